import { describe, expect, it, vi } from 'vitest';
import { createLookupCoalescer } from '../../../lib/page/coalescer';
import { channelSetKey, createRelationCache, type CacheRecord } from '../../../lib/page/relation-cache';
import type { ChannelRelationView, UserOutcome } from '../../../lib/page/relations';

const CHANNELS = ['_ZeUTxl', '_frxjem'];
const ids = (n: number, from = 1000) => Array.from({ length: n }, (_, i) => String(from + i));
const relationOf = (id: string): ChannelRelationView['relation'] => (['ADDED', 'BLOCKED', 'NONE'] as const)[Number(id) % 3]!;

function setup(opts: { ttlMinutes?: number; fail?: (ids: string[]) => boolean; omit?: Set<string>; store?: { value: CacheRecord | null } } = {}) {
  let clock = 1_000_000;
  const calls: string[][] = [];
  const store = opts.store ?? { value: null };
  const cache = createRelationCache({
    ttlMs: () => (opts.ttlMinutes ?? 10) * 60_000,
    now: () => clock,
    load: async () => store.value,
    save: async (r) => void (store.value = r),
    saveDelayMs: 0,
  });
  const coalescer = createLookupCoalescer({
    cache,
    windowMs: 5,
    maxWaitMs: 50,
    async fetchBatch(userIds, channelIds) {
      calls.push(userIds);
      await new Promise((r) => setTimeout(r, 1));
      if (opts.fail?.(userIds)) throw new Error('boom');
      return new Map(
        userIds
          .filter((id) => !opts.omit?.has(id))
          .map((id) => [id, channelIds.map((channelId) => ({ channelId, relation: relationOf(id) }))] as const),
      );
    },
    toError: (err) => ({ code: 'network', message: { ko: '실패', en: String(err) } }),
  });
  return { coalescer, cache, calls, store, advance: (ms: number) => void (clock += ms) };
}

const relationIn = (o: UserOutcome | undefined) => (o && 'channels' in o ? o.channels[0]?.relation : o ? 'ERROR' : undefined);

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
    expect(r.get('1001')).toEqual({ channels: CHANNELS.map((channelId) => ({ channelId, relation: 'UNKNOWN' })) });
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
});
