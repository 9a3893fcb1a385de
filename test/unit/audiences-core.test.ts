import { describe, expect, it } from 'vitest';
import { diffSnapshots, BUCKETS, type Bucket } from '@/lib/audiences/diff';
import { nextRunAfter, isDue } from '@/lib/audiences/schedule';
import {
  newRelations,
  packIds,
  relationAt,
  relationTotals,
  setRelation,
  unpackIds,
  type SnapshotData,
} from '@/lib/audiences/snapshot';
import type { CheckRelation } from '@/lib/kakao/terms';

/** A snapshot from readable rows: id → relation per channel. */
function snap(channelIds: string[], rows: [string, ...CheckRelation[]][]): SnapshotData {
  const relations = channelIds.map(() => newRelations(rows.length));
  rows.forEach(([, ...rels], i) => rels.forEach((r, c) => setRelation(relations[c]!, i, r)));
  return { ids: rows.map((r) => r[0]), channelIds, relations };
}

function bucketIds(s: SnapshotData, d: ReturnType<typeof diffSnapshots>, channel: string, bucket: Bucket) {
  const c = d.channels.find((x) => x.channelId === channel)!;
  return [...c.indexes[bucket]].map((i) => s.ids[i]);
}

describe('audience snapshot encoding', () => {
  it('packs IDs as nibbles and reads them back exactly, 19-digit IDs and odd lengths included', () => {
    const ids = ['1', '22', '4018203344', '9223372036854775807', '12345678901234567890', '7'];
    const packed = packIds(ids);
    expect(unpackIds(packed)).toEqual(ids);
    const digits = ids.reduce((s, id) => s + id.length + 1, 0);
    expect(packed.byteLength).toBe(Math.ceil(digits / 2));
    expect(unpackIds(packIds([]))).toEqual([]);
    expect(() => packIds(['12a'])).toThrow(/not a decimal ID/);
  });

  it('keeps 2 bits a relation: every relation at every position of a byte, overwritten in place', () => {
    const all: CheckRelation[] = ['ADDED', 'BLOCKED', 'NONE', 'UNKNOWN', 'NONE', 'ADDED', 'UNKNOWN'];
    const packed = newRelations(all.length);
    expect(packed.byteLength).toBe(2);
    all.forEach((r, i) => setRelation(packed, i, 'BLOCKED'));
    all.forEach((r, i) => setRelation(packed, i, r));
    expect(all.map((_, i) => relationAt(packed, i))).toEqual(all);
    expect(relationTotals(packed, all.length)).toEqual({ ADDED: 2, BLOCKED: 1, NONE: 2, UNKNOWN: 2 });
  });

  it('a 100,000-ID snapshot of two channels takes under 2 MB with its ID list', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => String(4_018_200_000 + i * 7));
    const list = packIds(ids);
    const relations = [newRelations(ids.length), newRelations(ids.length)];
    const bytes = list.byteLength + relations.reduce((s, r) => s + r.byteLength, 0);
    expect(relations[0]!.byteLength).toBe(25_000);
    expect(list.byteLength).toBe(550_000);
    expect(bytes).toBeLessThanOrEqual(2 * 1024 * 1024);
  });
});

describe('changes between two snapshots', () => {
  it('puts every transition in its bucket', () => {
    const from = snap(
      ['_a'],
      [
        ['1', 'NONE'],
        ['2', 'ADDED'],
        ['3', 'NONE'],
        ['4', 'BLOCKED'],
        ['5', 'BLOCKED'],
        ['6', 'ADDED'],
        ['7', 'ADDED'],
        ['8', 'UNKNOWN'],
        ['9', 'ADDED'],
        ['10', 'BLOCKED'],
      ],
    );
    const to = snap(
      ['_a'],
      [
        ['1', 'ADDED'], // added
        ['2', 'BLOCKED'], // blocked
        ['3', 'BLOCKED'], // blocked
        ['4', 'ADDED'], // unblocked
        ['5', 'NONE'], // unblocked
        ['6', 'NONE'], // left
        ['7', 'ADDED'], // unchanged
        ['8', 'ADDED'], // unknown (no answer before)
        ['9', 'UNKNOWN'], // unknown (no answer now)
        ['10', 'BLOCKED'], // unchanged
      ],
    );
    for (const sameList of [true, false]) {
      const d = diffSnapshots(from, to, sameList);
      const got = Object.fromEntries(BUCKETS.map((b) => [b, bucketIds(to, d, '_a', b)]));
      expect(got).toEqual({
        added: ['1'],
        blocked: ['2', '3'],
        unblocked: ['4', '5'],
        left: ['6'],
        unchanged: ['7', '10'],
        unknown: ['8', '9'],
      });
      expect(d.channels[0]!.counts).toEqual({ added: 1, blocked: 2, unblocked: 2, left: 1, unchanged: 2, unknown: 2 });
      expect([...d.joined]).toEqual([]);
      expect([...d.removed]).toEqual([]);
    }
  });

  it('matches IDs by value when the audience changed between runs: joined and removed IDs are in no bucket', () => {
    const from = snap(
      ['_a'],
      [
        ['1', 'NONE'],
        ['2', 'ADDED'],
        ['3', 'ADDED'],
      ],
    );
    // 2 removed, 4 and 5 added to the audience, order changed.
    const to = snap(
      ['_a'],
      [
        ['4', 'ADDED'],
        ['3', 'NONE'],
        ['5', 'BLOCKED'],
        ['1', 'ADDED'],
      ],
    );
    const d = diffSnapshots(from, to);
    expect(bucketIds(to, d, '_a', 'added')).toEqual(['1']);
    expect(bucketIds(to, d, '_a', 'left')).toEqual(['3']);
    expect([...d.joined].map((i) => to.ids[i])).toEqual(['4', '5']);
    expect([...d.removed].map((i) => from.ids[i])).toEqual(['2']);
    const total = Object.values(d.channels[0]!.counts).reduce((s, n) => s + n, 0);
    expect(total).toBe(2);
  });

  it('a channel added (or dropped) between runs: its IDs are unknown, the other channel is compared', () => {
    const from = snap(
      ['_a', '_old'],
      [
        ['1', 'NONE', 'ADDED'],
        ['2', 'ADDED', 'ADDED'],
      ],
    );
    const to = snap(
      ['_a', '_new'],
      [
        ['1', 'ADDED', 'ADDED'],
        ['2', 'ADDED', 'BLOCKED'],
      ],
    );
    const d = diffSnapshots(from, to, true);
    expect(d.channels.map((c) => c.channelId)).toEqual(['_a', '_new', '_old']);
    expect(d.channels[0]!.counts).toMatchObject({ added: 1, unchanged: 1, unknown: 0 });
    expect(d.channels[1]!.counts).toMatchObject({ unknown: 2, added: 0, blocked: 0 });
    expect(d.channels[2]!.counts).toMatchObject({ unknown: 2, unchanged: 0 });
  });

  it('empty snapshots give zero counts', () => {
    const d = diffSnapshots(snap(['_a'], []), snap(['_a'], []));
    expect(d.channels[0]!.counts).toEqual({ added: 0, blocked: 0, unblocked: 0, left: 0, unchanged: 0, unknown: 0 });
  });
});

describe('re-check schedule', () => {
  const at = (iso: string) => Date.parse(iso);

  it('daily at 09:00 in Seoul: later today, else tomorrow', () => {
    const daily = { every: 'daily', time: '09:00', timeZone: 'Asia/Seoul' } as const;
    expect(nextRunAfter(daily, at('2026-03-02T23:00:00Z'))).toBe(at('2026-03-03T00:00:00Z')); // 08:00 KST → 09:00
    expect(nextRunAfter(daily, at('2026-03-03T00:00:00Z'))).toBe(at('2026-03-04T00:00:00Z')); // exactly 09:00 → next
    expect(nextRunAfter(daily, at('2026-03-03T05:00:00Z'))).toBe(at('2026-03-04T00:00:00Z'));
  });

  it('the same schedule in another zone is another instant, and follows daylight saving there', () => {
    const berlin = { every: 'daily', time: '09:00', timeZone: 'Europe/Berlin' } as const;
    expect(nextRunAfter(berlin, at('2026-03-27T12:00:00Z'))).toBe(at('2026-03-28T08:00:00Z')); // CET, UTC+1
    expect(nextRunAfter(berlin, at('2026-03-28T12:00:00Z'))).toBe(at('2026-03-29T07:00:00Z')); // CEST from 29 March
    const ny = { every: 'daily', time: '09:00', timeZone: 'America/New_York' } as const;
    expect(nextRunAfter(ny, at('2026-03-02T12:00:00Z'))).toBe(at('2026-03-02T14:00:00Z'));
  });

  it('a time skipped by daylight saving runs just after the gap, once', () => {
    const gap = { every: 'daily', time: '02:30', timeZone: 'Europe/Berlin' } as const;
    const t = nextRunAfter(gap, at('2026-03-28T12:00:00Z'))!;
    expect(t).toBe(at('2026-03-29T01:30:00Z')); // 03:30 CEST, the first wall time after 02:00–03:00
    expect(nextRunAfter(gap, t)).toBe(at('2026-03-30T00:30:00Z'));
  });

  it('weekly on a weekday of the schedule zone (Monday in Seoul is still Sunday in UTC)', () => {
    const weekly = { every: 'weekly', time: '08:00', timeZone: 'Asia/Seoul', weekday: 1 } as const;
    // Wednesday 2026-03-04 → Monday 2026-03-09 08:00 KST = Sunday 23:00 UTC.
    expect(nextRunAfter(weekly, at('2026-03-04T03:00:00Z'))).toBe(at('2026-03-08T23:00:00Z'));
    expect(nextRunAfter(weekly, at('2026-03-08T23:00:00Z'))).toBe(at('2026-03-15T23:00:00Z'));
  });

  it('off never runs; a planned run missed while the browser was closed is due at the next start', () => {
    expect(nextRunAfter({ every: 'off' }, Date.now())).toBeUndefined();
    const daily = { every: 'daily', time: '09:00', timeZone: 'Asia/Seoul' } as const;
    const planned = nextRunAfter(daily, at('2026-03-02T01:00:00Z'))!;
    expect(isDue(planned, planned - 1)).toBe(false);
    // The browser was closed for three days: one catch-up run at start, then the next planned time after that.
    const start = at('2026-03-06T02:00:00Z');
    expect(isDue(planned, start)).toBe(true);
    expect(nextRunAfter(daily, start)).toBe(at('2026-03-07T00:00:00Z'));
    expect(isDue(undefined, start)).toBe(false);
  });
});

describe('diff speed', () => {
  it('two 100,000-ID snapshots of two channels, IDs matched by value, in well under a second', () => {
    const n = 100_000;
    const ids = Array.from({ length: n }, (_, i) => String(4_018_200_000 + i));
    const mk = (flip: number) => {
      const relations = [newRelations(n), newRelations(n)];
      for (let i = 0; i < n; i++)
        for (const r of relations)
          setRelation(r, i, (['ADDED', 'BLOCKED', 'NONE'] as const)[(i + flip * (i % 5 === 0 ? 1 : 0)) % 3]!);
      return { ids, channelIds: ['_a', '_b'], relations };
    };
    const a = mk(0);
    const b = mk(1);
    const started = performance.now();
    const d = diffSnapshots(a, b);
    const ms = performance.now() - started;
    expect(d.channels[0]!.counts.unchanged).toBe(n - n / 5);
    expect(ms).toBeLessThan(1000);
  });
});
