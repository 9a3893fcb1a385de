import { describe, expect, it } from 'vitest';
import { pasteIsTable, splitIdList } from '@/lib/csv/idlist';
import { parseCsvText, parseCsvTextNumbered, streamCsv, type RowPlace } from '@/lib/csv/parse';
import { guessIdColumn } from '@/lib/csv/mapping';
import {
  collectIds,
  countErrorRows,
  createRowValidator,
  describeRowError,
  rowLabel,
  summaryCounts,
  type PlacedValue,
} from '@/lib/csv/validate';
import { asText, checkExportTable, csvBlob, csvCell, exportTime } from '@/lib/csv/export';
import { rowMatches } from '@/lib/jobs/check-filter';
import type { CheckRow } from '@/lib/jobs/model';

const utf8 = (s: string) => new TextEncoder().encode(s);

async function numbered(text: string, sliceBytes?: number) {
  const rows: string[][] = [];
  const places: RowPlace[] = [];
  await streamCsv(new Blob([utf8(text)]), 'utf-8', (r, p) => (rows.push(...r), places.push(...p)), sliceBytes);
  return { rows, places };
}

describe('issue 16.1: several IDs on one pasted line', () => {
  it("splits on commas, semicolons, tabs, spaces and newlines, keeping each value's line and place", () => {
    const list = splitIdList('4018203344, 1234567890, 5550001112');
    expect(list.tokens.map((t) => t.value)).toEqual(['4018203344', '1234567890', '5550001112']);
    expect(list.lines).toBe(1);
    expect(list.tokens.map((t) => t.place)).toEqual([
      { line: 1, position: 1 },
      { line: 1, position: 2 },
      { line: 1, position: 3 },
    ]);
    // A row copied from Excel is tab-separated; semicolons and spaces separate too.
    expect(
      splitIdList('111\t222\t333\n\n444;555 666\n777').tokens.map((t) => [t.value, t.place.line, t.place.position]),
    ).toEqual([
      ['111', 1, 1],
      ['222', 1, 2],
      ['333', 1, 3],
      ['444', 3, 1],
      ['555', 3, 2],
      ['666', 3, 3],
      ['777', 4, undefined],
    ]);
  });

  it('reports an unparseable value as a row, with its line and which value it was', () => {
    const { tokens } = splitIdList('4018203344, abc, 5550001112\n\n\n#N/A');
    const { ids, summary } = collectIds(
      tokens.map((t): PlacedValue => ({ value: t.value, place: t.place })),
      'app',
    );
    expect(ids).toEqual(['4018203344', '5550001112']);
    expect(summary).toMatchObject({ rows: 4, valid: 2, errorRows: 2, duplicates: 0 });
    expect(summary.errors.map((e) => [e.value, rowLabel(e, 'en')])).toEqual([
      ['abc', '1, 2nd value'],
      ['#N/A', '4'],
    ]);
    expect(rowLabel(summary.errors[0]!, 'ko')).toBe('1, 2번째 값');
  });

  it('skips a lone ID header line, keeps phone numbers with spaces whole, and leaves tables to the CSV parser', () => {
    const list = splitIdList('회원번호\n111\n222');
    expect(list.header).toBe('회원번호');
    expect(list.tokens.map((t) => [t.value, t.place.line])).toEqual([
      ['111', 2],
      ['222', 3],
    ]);
    expect(splitIdList('010 1234 5678, +82 10-9999-0000', 'phone').tokens.map((t) => t.value)).toEqual([
      '010 1234 5678',
      '+82 10-9999-0000',
    ]);
    expect(pasteIsTable('4018203344, 1234567890')).toBe(false);
    expect(pasteIsTable('"user_id","name"\n"1","Kim, A"')).toBe(true); // quoted CSV stays a table
    expect(pasteIsTable('이름\t회원번호\n김\t123')).toBe(true); // a header row naming the ID column
    expect(parseCsvText('"user_id","name"\n"1","Kim, A"')).toEqual([
      ['user_id', 'name'],
      ['1', 'Kim, A'],
    ]);
  });
});

describe('issue 16.2: row numbers are the lines the manager sees', () => {
  it('counts blank lines and the header line (a streamed file, cut into tiny slices)', async () => {
    const lines = ['회원번호'];
    for (let i = 0; i < 1000; i++) lines.push(String(1000 + i));
    lines[1001] = 'abc'; // line 1002
    lines.splice(500, 0, '', ''); // two blank lines before the error
    const text = lines.join('\r\n') + '\r\n';
    const lineOf = (v: string) => text.split('\r\n').indexOf(v) + 1;
    for (const slice of [undefined, 7]) {
      const { rows, places } = await numbered(text, slice);
      const v = createRowValidator(rows[0]!, {}, { idColumn: 0, userType: 'app', fields: {} });
      v.add(rows.slice(1), places.slice(1));
      const { summary } = v.finish();
      expect(summary.errors).toEqual([
        { row: lineOf('abc'), code: 'invalid_user_id', column: '회원번호', value: 'abc' },
      ]);
      expect(lineOf('abc')).toBe(1004);
    }
  });

  it('gives a multi-line quoted cell all its lines', () => {
    const { rows, places } = parseCsvTextNumbered('id,memo\n1,"two\nlines"\n\n#N/A,x\n');
    expect(rows).toEqual([
      ['id', 'memo'],
      ['1', 'two\nlines'],
      ['#N/A', 'x'],
    ]);
    expect(places.map((p) => p.line)).toEqual([1, 2, 5]);
  });
});

describe('issue 16.3: errors before duplicates, one set of numbers', () => {
  it('lists errors first and counts rows, not messages', () => {
    const header = ['회원번호', '구매금액', '포인트'];
    const v = createRowValidator(
      header,
      { 구매금액: 'number', 포인트: 'number' },
      { idColumn: 0, userType: 'app', fields: { 구매금액: 1, 포인트: 2 } },
    );
    v.add([
      ['1001', '1', '1'],
      ['1001', '2', '2'], // duplicate
      ['1002', 'x', 'y'], // one row, two bad cells
      ['1001', '3', '3'], // duplicate
      ['abc', '1', '1'],
    ]);
    const { summary } = v.finish();
    expect(summary.errors.map((e) => [e.code, e.row])).toEqual([
      ['not_a_number', 4],
      ['not_a_number', 4],
      ['invalid_user_id', 6],
      ['duplicate', 3],
      ['duplicate', 5],
    ]);
    expect(summary).toMatchObject({ rows: 5, valid: 1, duplicates: 2, errorRows: 2 });
    const counts = summaryCounts(summary);
    expect(counts).toEqual({ found: 5, valid: 3, errorRows: 2, duplicates: 2, send: 1 });
    expect(counts.found).toBe(counts.send + counts.duplicates + counts.errorRows);
    // The job's numbers come from the same rows: rows with errors and duplicates, not messages.
    expect(countErrorRows(summary.errors)).toBe(2);
  });

  it('says where the kept row of a pasted duplicate was', () => {
    const { summary } = collectIds(
      [
        { value: '111', place: { line: 2, position: 3 } },
        { value: '111', place: { line: 9 } },
      ],
      'app',
    );
    expect(describeRowError(summary.errors[0]!, 'en')).toContain('first seen in row 2, 3rd value');
  });
});

// Times are written in Asia/Seoul: vitest.config.ts sets TZ for the whole run (a worker thread cannot set its own).
describe('issue 16.4: exports Excel keeps intact', () => {
  it('writes IDs as ="…" text cells, never as bare numbers, and nothing else that way', () => {
    expect(csvCell(asText('1234567890123456789'))).toBe('"=""1234567890123456789"""');
    expect(csvCell(asText('=cmd'))).toBe("'=cmd"); // only digits are wrapped; formulas still neutralised
    expect(csvCell('1234567890123456789')).toBe('1234567890123456789');
  });

  it('writes relation words with the code in its own column and zoned times, and reads its own export back', async () => {
    const rows: CheckRow[] = [
      ['1234567890123456789', 'ADDED', '2024-05-02T01:02:03Z', 'BLOCKED', ''],
      ['4018203344', 'UNKNOWN', '', 'NONE', '2024-12-31T15:00:00Z'],
    ];
    const words: Record<string, string> = {
      ADDED: '친구 (채널 추가됨)',
      BLOCKED: '차단',
      NONE: '친구 아님',
      UNKNOWN: '확인 불가',
    };
    const table = checkExportTable(['_ZeUTxl', '_frxjem'], rows, {
      userId: '회원번호',
      relation: (c) => words[c]!,
      relationHeader: (c) => c,
      codeHeader: (c) => `${c} relation_code`,
      changedAtHeader: (c) => `${c} 변경 시각`,
    });
    const blob = csvBlob(table.header, table.rows);
    const text = new TextDecoder().decode(await blob.arrayBuffer());
    expect(text).toContain('"=""1234567890123456789"""');
    expect(text).not.toMatch(/\r\n1234567890123456789,/);
    const back = await numbered(text);
    expect(back.rows).toEqual([
      [
        '회원번호',
        '_ZeUTxl',
        '_ZeUTxl relation_code',
        '_ZeUTxl 변경 시각',
        '_frxjem',
        '_frxjem relation_code',
        '_frxjem 변경 시각',
      ],
      ['1234567890123456789', '친구 (채널 추가됨)', 'ADDED', '2024-05-02 10:02:03 +09:00', '차단', 'BLOCKED', ''],
      ['4018203344', '확인 불가', 'UNKNOWN', '', '친구 아님', 'NONE', '2025-01-01 00:00:00 +09:00'],
    ]);
    // Channel Desk's importer takes its own export: the ID column is found, the IDs come back whole.
    const column = guessIdColumn(back.rows[0]!);
    expect(
      collectIds(
        back.rows.slice(1).map((r) => r[column]!),
        'app',
      ).ids,
    ).toEqual(['1234567890123456789', '4018203344']);
    expect(exportTime('not a time')).toBe('not a time');
  });
});

describe('issue 16.14: result filters', () => {
  it('matches a relation in one channel or in any channel', () => {
    const row: CheckRow = ['1', 'ADDED', '', 'BLOCKED', ''];
    expect(rowMatches(row, 'all', -1, 2)).toBe(true);
    expect(rowMatches(row, 'BLOCKED', -1, 2)).toBe(true);
    expect(rowMatches(row, 'BLOCKED', 0, 2)).toBe(false);
    expect(rowMatches(row, 'BLOCKED', 1, 2)).toBe(true);
    expect(rowMatches(row, 'UNKNOWN', -1, 2)).toBe(false);
  });
});
