import { describe, expect, it, vi } from 'vitest';
import { createLookupCoalescer } from '../../../lib/badges/coalescer';
import { channelSetKey, createRelationCache, type CacheRecord } from '../../../lib/badges/relation-cache';
import type { ChannelRelationView, UserOutcome } from '../../../lib/badges/relations';

const CHANNELS = ['_ZeUTxl', '_frxjem'];
const ids = (n: number, from = 1000) => Array.from({ length: n }, (_, i) => String(from + i));
const relationOf = (id: string): ChannelRelationView['relation'] =>
  (['ADDED', 'BLOCKED', 'NONE'] as const)[Number(id) % 3]!;

function setup(
  opts: {
    ttlMinutes?: number;
    fail?: (ids: string[]) => boolean;
    omit?: Set<string>;
    store?: { value: CacheRecord | null };
    maxEntries?: number;
    save?: (r: CacheRecord) => Promise<void>;
    concurrency?: () => number;
    gate?: Promise<void>;
  } = {},
) {
  let clock = 1_000_000;
  const calls: string[][] = [];
  const store = opts.store ?? { value: null };
  const cache = createRelationCache({
    ttlMs: () => (opts.ttlMinutes ?? 10) * 60_000,
    now: () => clock,
    load: async () => store.value,
    save: opts.save ?? (async (r) => void (store.value = r)),
    saveDelayMs: 0,
    maxEntries: opts.maxEntries,
  });
  let running = 0;
  let maxRunning = 0;
  const coalescer = createLookupCoalescer({
    cache,
    windowMs: 5,
    maxWaitMs: 50,
    concurrency: opts.concurrency,
    async fetchBatch(userIds, channelIds) {
      calls.push(userIds);
      maxRunning = Math.max(maxRunning, ++running);
      await new Promise((r) => setTimeout(r, 5));
      await opts.gate;
      running--;
      if (opts.fail?.(userIds)) throw new Error('boom');
      return new Map(
        userIds
          .filter((id) => !opts.omit?.has(id))
          .map((id) => [id, channelIds.map((channelId) => ({ channelId, relation: relationOf(id) }))] as const),
      );
    },
    toError: (err) => ({ code: 'network', message: { ko: '실패', en: String(err) } }),
  });
  return { coalescer, cache, calls, store, advance: (ms: number) => void (clock += ms), maxRunning: () => maxRunning };
}

const relationIn = (o: UserOutcome | undefined) =>
  o && 'channels' in o ? o.channels[0]?.relation : o ? 'ERROR' : undefined;

describe('lookup coalescing and cache', () => {
  it('450 distinct IDs plus duplicates, in several messages, cost exactly 3 calls of at most 200', async () => {
    const { coalescer, calls } = setup();
    const all = ids(450);
    const first = [...all.slice(0, 300), ...all.slice(0, 50)]; // duplicates within a message
    const second = [...all.slice(250, 450), '1000', '1001']; // overlap with the first and repeats
    const [a, b] = await Promise.all([coalescer.lookup(first, CHANNELS), coalescer.lookup(second, CHANNELS)]);
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => c.length <= 200)).toBe(true);
    expect(new Set(calls.flat()).size).toBe(450);
    expect(calls.flat()).toHaveLength(450);
    expect(a.size).toBe(300);
    expect(b.size).toBe(202);
    for (const [id, o] of [...a, ...b]) expect(relationIn(o)).toBe(relationOf(id));
  });

  it('rows that arrive after the first ones share the partial batch when they come within the window', async () => {
    const { coalescer, calls } = setup();
    const p1 = coalescer.lookup(ids(120), CHANNELS);
    const p2 = coalescer.lookup(ids(60, 2000), CHANNELS);
    await Promise.all([p1, p2]);
    expect(calls.map((c) => c.length)).toEqual([180]);
  });

  it('serves the cache within the TTL and calls again after it', async () => {
    const { coalescer, calls, advance } = setup({ ttlMinutes: 10 });
    await coalescer.lookup(ids(450), CHANNELS);
    expect(calls).toHaveLength(3);
    const again = await coalescer.lookup(ids(450), CHANNELS);
    expect(calls).toHaveLength(3);
    expect(relationIn(again.get('1001'))).toBe(relationOf('1001'));
    advance(10 * 60_000);
    await coalescer.lookup(ids(10), CHANNELS);
    expect(calls).toHaveLength(4);
  });

  it('a TTL of 0 never caches', async () => {
    const { coalescer, calls } = setup({ ttlMinutes: 0 });
    await coalescer.lookup(ids(5), CHANNELS);
    await coalescer.lookup(ids(5), CHANNELS);
    expect(calls).toHaveLength(2);
  });

  it('a changed channel set is a cache miss', async () => {
    const { coalescer, calls } = setup();
    await coalescer.lookup(ids(5), CHANNELS);
    await coalescer.lookup(ids(5), ['_ZeUTxl']);
    expect(calls).toHaveLength(2);
    expect(channelSetKey(['b', 'a'])).toBe(channelSetKey(['a', 'b']));
  });

  it('a failed batch answers each of its IDs with the error and is not cached', async () => {
    let failing = true;
    const { coalescer, calls } = setup({ fail: () => failing });
    const r = await coalescer.lookup(ids(3), CHANNELS);
    expect([...r.values()].every((o) => 'error' in o && o.error.code === 'network')).toBe(true);
    failing = false;
    const again = await coalescer.lookup(ids(3), CHANNELS);
    expect(calls).toHaveLength(2);
    expect(relationIn(again.get('1000'))).toBe(relationOf('1000'));
  });

  it('a user the API leaves out is UNKNOWN for every requested channel', async () => {
    const { coalescer } = setup({ omit: new Set(['1001']) });
    const r = await coalescer.lookup(ids(2), CHANNELS);
    expect(r.get('1001')).toEqual({
      channels: CHANNELS.map((channelId) => ({ channelId, relation: 'UNKNOWN', reason: 'not_answered' })),
    });
  });

  it('survives a worker restart through the stored cache', async () => {
    const store = { value: null as CacheRecord | null };
    const first = setup({ store });
    await first.coalescer.lookup(ids(250), CHANNELS);
    await vi.waitFor(() => expect(Object.keys(store.value ?? {})).toHaveLength(250));
    const second = setup({ store }); // a new worker: new memory, same session storage
    const r = await second.coalescer.lookup(ids(250), CHANNELS);
    expect(second.calls).toHaveLength(0);
    expect(relationIn(r.get('1100'))).toBe(relationOf('1100'));
    await second.cache.clear();
    expect(store.value).toEqual({});
  });

  it('keeps each backend’s answers apart: sandbox answers are never shown for a real key, nor one key’s for another', async () => {
    const { coalescer, calls } = setup();
    await coalescer.lookup(ids(3), CHANNELS, 'sandbox');
    await coalescer.lookup(ids(3), CHANNELS, 'key-aaaa');
    await coalescer.lookup(ids(3), CHANNELS, 'key-bbbb');
    expect(calls).toHaveLength(3);
    await coalescer.lookup(ids(3), CHANNELS, 'key-aaaa');
    expect(calls).toHaveLength(3);
  });

  it('a clear is not undone by a batch that was already in flight', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const { coalescer, cache, calls, store } = setup({ gate });
    const pending = coalescer.lookup(ids(3), CHANNELS, 'k');
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await cache.clear();
    // Asked again after the clear: a new call, not the answer of the batch sent before it.
    const after = coalescer.lookup(ids(3), CHANNELS, 'k');
    open();
    await pending;
    await after;
    expect(calls).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 10));
    expect(Object.keys(store.value ?? {})).toHaveLength(3); // only the post-clear answers
    expect(cache.size).toBe(3);
  });

  it('keeps at most maxEntries (oldest dropped) so session storage never fills', async () => {
    const { coalescer, cache, store } = setup({ maxEntries: 100 });
    await coalescer.lookup(ids(150), CHANNELS, 'k');
    await coalescer.lookup(ids(100, 2000), CHANNELS, 'k');
    expect(cache.size).toBe(100);
    // What is saved is the newest 100 only.
    await vi.waitFor(() => {
      const keys = Object.keys(store.value ?? {});
      expect(keys).toHaveLength(100);
      expect(keys.every((k) => /\|20\d\d$/.test(k))).toBe(true);
    });
  });

  it('a failed save (quota) keeps the newer half and saves again instead of failing silently', async () => {
    const saved: number[] = [];
    let failures = 1;
    const save = async (r: CacheRecord) => {
      if (failures-- > 0) throw new Error('QUOTA_BYTES quota exceeded');
      saved.push(Object.keys(r).length);
    };
    const { coalescer, cache } = setup({ save });
    await coalescer.lookup(ids(200), CHANNELS, 'k');
    await vi.waitFor(() => expect(saved).toEqual([100]));
    expect(cache.size).toBe(100);
  });

  describe('writes to session storage', () => {
    // Each write hands the browser the whole cache (a 5,000-ID page: 4,000 entries); in Chrome a write every 250 ms
    // during a page's burst of answers held the worker for seconds, and the page's queued lookups waited behind it.
    async function burst(opts: { every: number; count: number; saveDelayMs: number; saveMaxWaitMs?: number }) {
      vi.useFakeTimers();
      try {
        const saved: number[] = [];
        const cache = createRelationCache({
          ttlMs: () => 60_000,
          save: async (r) => void saved.push(Object.keys(r).length),
          saveDelayMs: opts.saveDelayMs,
          saveMaxWaitMs: opts.saveMaxWaitMs,
        });
        await cache.prepare();
        const key = channelSetKey(CHANNELS, 'k');
        for (let i = 0; i < opts.count; i++) {
          cache.set(key, String(1000 + i), [{ channelId: CHANNELS[0]!, relation: 'ADDED' }]);
          await vi.advanceTimersByTimeAsync(opts.every);
        }
        const duringBurst = [...saved];
        await vi.advanceTimersByTimeAsync(opts.saveDelayMs + 1);
        return { duringBurst, saved };
      } finally {
        vi.useRealTimers();
      }
    }

    it('a burst of answers is written once, after the last one', async () => {
      const { duringBurst, saved } = await burst({ every: 50, count: 20, saveDelayMs: 200 });
      expect(duringBurst).toEqual([]);
      expect(saved).toEqual([20]);
    });

    it('a steady stream of answers is still written every saveMaxWaitMs', async () => {
      const { duringBurst, saved } = await burst({ every: 50, count: 60, saveDelayMs: 200, saveMaxWaitMs: 1000 });
      expect(duringBurst.length).toBeGreaterThanOrEqual(2);
      expect(duringBurst.length).toBeLessThanOrEqual(3);
      expect(saved.at(-1)).toBe(60);
    });
  });

  it('runs at most the concurrency setting’s calls at once, read before every lookup', async () => {
    let setting = 1;
    const one = setup({ concurrency: () => setting });
    await one.coalescer.lookup(ids(1000), CHANNELS, 'k');
    expect(one.calls).toHaveLength(5);
    expect(one.maxRunning()).toBe(1);
    setting = 3;
    await one.coalescer.lookup(ids(1000, 5000), CHANNELS, 'k');
    expect(one.maxRunning()).toBe(3);
  });
});
