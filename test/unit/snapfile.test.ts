import { describe, expect, it } from 'vitest';
import { newRelations, setRelation, snapshotRows, type SnapshotData } from '@/lib/audiences/snapshot';
import { carriedTable, selectIds } from '@/lib/jobs/reach';
import { createRowValidator } from '@/lib/csv/validate';

const CHANNELS = ['_ZeUTxl', '_frxjem'];

/** Five IDs: 102 was never answered in _ZeUTxl (UNKNOWN), and _frxjem knows only the first four. */
function snapshot(): SnapshotData {
  const ids = ['101', '102', '103', '104', '105'];
  const zeu = newRelations(ids.length);
  setRelation(zeu, 0, 'ADDED');
  setRelation(zeu, 2, 'BLOCKED');
  setRelation(zeu, 3, 'NONE');
  setRelation(zeu, 4, 'ADDED');
  const frx = newRelations(4);
  setRelation(frx, 0, 'BLOCKED');
  setRelation(frx, 1, 'ADDED');
  setRelation(frx, 2, 'ADDED');
  setRelation(frx, 3, 'ADDED');
  // A packed array for 4 IDs is one byte: the 5th ID is past its end.
  return { ids, channelIds: CHANNELS, relations: [zeu, frx.slice(0, 1)] };
}

describe('an audience snapshot as rows for a customer file', () => {
  it('decodes each ID with its relation per channel and its extra cells; unknown relations are UNKNOWN', () => {
    const extra = [['Kim', 'VIP'], ['Lee', 'regular'], ['Park'], ['Choi', 'VIP']];
    const rows = snapshotRows(snapshot(), extra, 2);
    expect(rows).toEqual([
      ['101', 'ADDED', '', 'BLOCKED', '', 'Kim', 'VIP'],
      ['102', 'UNKNOWN', '', 'ADDED', '', 'Lee', 'regular'],
      ['103', 'BLOCKED', '', 'ADDED', '', 'Park', ''],
      ['104', 'NONE', '', 'ADDED', '', 'Choi', 'VIP'],
      ['105', 'ADDED', '', 'UNKNOWN', '', '', ''],
    ]);
  });

  it('a channel without stored relations leaves every ID UNKNOWN there', () => {
    const data = { ...snapshot(), relations: [snapshot().relations[0]!] };
    expect(snapshotRows(data).map((r) => r[3])).toEqual(['UNKNOWN', 'UNKNOWN', 'UNKNOWN', 'UNKNOWN', 'UNKNOWN']);
  });

  it('buckets pick from the decoded rows, and the extra columns map to file fields like the carried ones', () => {
    const rows = snapshotRows(
      snapshot(),
      [
        ['Kim', '1'],
        ['Lee', '2'],
        ['Park', '3'],
        ['Choi', '4'],
        ['Jung', '5'],
      ],
      2,
    );
    const friends = { include: [{ channel: 0, relation: 'ADDED' as const }], exclude: [] };
    expect(selectIds(rows, friends)).toEqual(['101', '105']);
    const unknownThere = { include: [{ channel: 0, relation: 'UNKNOWN' as const }], exclude: [] };
    expect(selectIds(rows, unknownThere)).toEqual(['102']);

    const picked = rows.filter((r) => selectIds([r], friends).length === 1);
    const table = carriedTable(CHANNELS, picked, { userId: 'User ID', relation: (c) => `${c} relation` }, [
      'name',
      'grade',
    ]);
    // No "changed at" columns: a snapshot does not know when a relation changed.
    expect(table.header).toEqual(['User ID', '_ZeUTxl relation', '_frxjem relation', 'name', 'grade']);
    expect(table.rows).toEqual([
      ['101', 'ADDED', 'BLOCKED', 'Kim', '1'],
      ['105', 'ADDED', 'UNKNOWN', 'Jung', '5'],
    ]);
    const validator = createRowValidator(
      table.header,
      { 이름: 'string', 등급: 'number' },
      { idColumn: 0, userType: 'app', fields: { 이름: 3, 등급: 4 } },
      1,
    );
    validator.add(table.rows);
    const { users } = validator.finish();
    expect(users).toEqual([
      { id: '101', field: { 이름: 'Kim', 등급: 1 } },
      { id: '105', field: { 이름: 'Jung', 등급: 5 } },
    ]);
  });
});
