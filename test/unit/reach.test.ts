import { describe, expect, it } from 'vitest';
import { checkRows } from '@/lib/jobs/runner';
import { JobMeta, type CheckRow } from '@/lib/jobs/model';
import {
  carriedTable,
  narrowUsers,
  reusableChecks,
  rowSelected,
  selectIds,
  toggleBucket,
  type BucketSelection,
} from '@/lib/jobs/reach';
import { createRowValidator } from '@/lib/csv/validate';

const CHANNELS = ['_ZeUTxl', '_frxjem'];

/** Rows as the bulk check stores them, from a /multi answer (user 5 left out by Kakao: UNKNOWN in both). */
const rows: CheckRow[] = checkRows(
  ['1', '2', '3', '4', '5'],
  CHANNELS,
  (
    [
      ['1', 'ADDED', 'ADDED'],
      ['2', 'ADDED', 'BLOCKED'],
      ['3', 'BLOCKED', 'ADDED'],
      ['4', 'NONE', 'NONE'],
    ] as const
  ).map(([id, a, b]) => ({
    user_id: id,
    channels: [
      { channel_public_id: '_ZeUTxl', relation: a, updated_at: '2024-01-01T00:00:00Z' },
      { channel_public_id: '_frxjem', relation: b, updated_at: '2024-02-01T00:00:00Z' },
    ],
  })),
);

const select = (s: Partial<BucketSelection>) => selectIds(rows, { include: [], exclude: [], ...s });

describe('bucket selection', () => {
  it('picks the friends of one channel', () => {
    expect(select({ include: [{ channel: 0, relation: 'ADDED' }] })).toEqual(['1', '2']);
    expect(select({ include: [{ channel: 1, relation: 'ADDED' }] })).toEqual(['1', '3']);
  });

  it('takes the union of included buckets, in the check order', () => {
    expect(
      select({
        include: [
          { channel: 1, relation: 'ADDED' },
          { channel: 0, relation: 'ADDED' },
        ],
      }),
    ).toEqual(['1', '2', '3']);
  });

  it('leaves out excluded buckets: friends of _ZeUTxl, but not those who blocked _frxjem', () => {
    expect(
      select({ include: [{ channel: 0, relation: 'ADDED' }], exclude: [{ channel: 1, relation: 'BLOCKED' }] }),
    ).toEqual(['1']);
  });

  it('with nothing included, every row less the excluded ones', () => {
    expect(select({})).toEqual(['1', '2', '3', '4', '5']);
    expect(select({ exclude: [{ channel: 0, relation: 'BLOCKED' }] })).toEqual(['1', '2', '4', '5']);
  });

  it('a user Kakao did not answer is in the unknown bucket of each channel, never a friend', () => {
    expect(select({ include: [{ channel: 0, relation: 'UNKNOWN' }] })).toEqual(['5']);
    expect(rowSelected(rows[4]!, { include: [{ channel: 1, relation: 'ADDED' }], exclude: [] })).toBe(false);
  });

  it('toggles a bucket on and off without duplicates', () => {
    const friends = { channel: 0, relation: 'ADDED' } as const;
    const once = toggleBucket([], friends, true);
    expect(toggleBucket(once, friends, true)).toEqual([friends]);
    expect(toggleBucket(once, friends, false)).toEqual([]);
    expect(toggleBucket(once, { channel: 1, relation: 'ADDED' }, false)).toEqual([friends]);
  });
});

describe('row narrowing', () => {
  it('keeps the upload rows of the picked users, in the file order, with their fields', () => {
    const users = [{ id: '4', field: { 성별: '여' } }, { id: '1', field: { 성별: '남' } }, { id: '2' }, { id: '9' }];
    const keep = new Set(select({ include: [{ channel: 0, relation: 'ADDED' }] }));
    expect(narrowUsers(users, keep)).toEqual([{ id: '1', field: { 성별: '남' } }, { id: '2' }]);
    expect(narrowUsers(users, new Set())).toEqual([]);
  });
});

describe('carried columns', () => {
  it('carry the ID, relation and change time per channel into the upload dry run', () => {
    const picked = rows.filter((r) => rowSelected(r, { include: [{ channel: 0, relation: 'ADDED' }], exclude: [] }));
    const table = carriedTable(CHANNELS, picked, {
      userId: 'User ID',
      relation: (c) => `${c} relation`,
      changedAt: (c) => `${c} changed at`,
    });
    expect(table.header).toEqual([
      'User ID',
      '_ZeUTxl relation',
      '_ZeUTxl changed at',
      '_frxjem relation',
      '_frxjem changed at',
    ]);
    const validator = createRowValidator(
      table.header,
      { 관계: 'string' },
      {
        idColumn: 0,
        userType: 'app',
        fields: { 관계: 3 },
      },
    );
    validator.add(table.rows);
    const { users, summary } = validator.finish();
    expect(users).toEqual([
      { id: '1', field: { 관계: 'ADDED' } },
      { id: '2', field: { 관계: 'BLOCKED' } },
    ]);
    expect(summary.errors).toEqual([]);
  });
});

describe('reusing a check', () => {
  const job = (over: Partial<JobMeta>): JobMeta =>
    JobMeta.parse({
      id: 'j',
      kind: 'check',
      status: 'done',
      backend: 'real',
      createdAt: 1_000,
      updatedAt: 2_000,
      finishedAt: 2_000,
      channelIds: CHANNELS,
      total: 2000,
      batchSize: 200,
      batches: 10,
      ...over,
    });
  const wanted = {
    channelIds: CHANNELS,
    total: 2000,
    backend: 'real' as const,
    profileId: undefined,
    now: 60_000,
    ttlMs: 10 * 60_000,
  };

  it('reuses a recent check of the same channels and size, newest first, and joins a running one', () => {
    const found = reusableChecks(
      [job({ id: 'old' }), job({ id: 'running', status: 'running', createdAt: 5_000 })],
      wanted,
    );
    expect(found.map((j) => j.id)).toEqual(['running', 'old']);
  });

  it('does not reuse a check that is too old, cancelled, of other channels, size, backend or profile', () => {
    expect(
      reusableChecks(
        [
          job({ id: 'stale', finishedAt: 1 }),
          job({ id: 'cancelled', status: 'cancelled' }),
          job({ id: 'order', channelIds: ['_frxjem', '_ZeUTxl'] }),
          job({ id: 'fewer', channelIds: ['_ZeUTxl'] }),
          job({ id: 'size', total: 1999 }),
          job({ id: 'demo', backend: 'sandbox' }),
          job({ id: 'profile', profileId: 'shop2' }),
          job({ id: 'upload', kind: 'upload' }),
        ],
        { ...wanted, now: 2_000 + 10 * 60_000 + 1, ttlMs: 10 * 60_000 },
      ).map((j) => j.id),
    ).toEqual([]);
    // With no cache time, only a check still running is joined.
    expect(reusableChecks([job({ id: 'done' })], { ...wanted, ttlMs: 0 })).toEqual([]);
  });
});
