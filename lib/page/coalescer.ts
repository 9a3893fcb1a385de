import pLimit from 'p-limit';
import { channelSetKey, type RelationCache } from './relation-cache';
import type { ChannelRelationView, PageLookupError, UserOutcome } from './relations';

/*
 * One queue for every tab's lookups. IDs are deduped against the cache, against
 * calls already in flight and against each other; full batches of `batchSize`
 * leave at once, a partial batch waits `windowMs` for more IDs (at most
 * `maxWaitMs` in total) so rows that load a moment later share its call. A
 * failed batch answers its IDs with the error and is not cached.
 */

export interface CoalescerDeps {
  cache: RelationCache;
  /** One API call for ≤ batchSize IDs: relations per user (users the API left out are simply missing). */
  fetchBatch: (userIds: string[], channelIds: string[]) => Promise<Map<string, ChannelRelationView[]>>;
  toError: (err: unknown) => PageLookupError;
  batchSize?: number;
  windowMs?: number;
  maxWaitMs?: number;
  concurrency?: () => number;
}

interface Queue {
  channelIds: string[];
  ids: string[];
  timer: ReturnType<typeof setTimeout> | null;
  firstAt: number;
}

export function createLookupCoalescer(deps: CoalescerDeps) {
  const batchSize = deps.batchSize ?? 200;
  const windowMs = deps.windowMs ?? 40;
  const maxWaitMs = deps.maxWaitMs ?? 250;
  const inflight = new Map<string, { promise: Promise<UserOutcome>; resolve: (o: UserOutcome) => void }>();
  const queues = new Map<string, Queue>();
  let limit = pLimit(deps.concurrency?.() ?? 4);

  function send(channelKey: string, channelIds: string[], ids: string[]) {
    void limit(() => deps.fetchBatch(ids, channelIds)).then(
      (found) => {
        for (const id of ids) {
          const channels = found.get(id) ?? channelIds.map((channelId) => ({ channelId, relation: 'UNKNOWN' as const }));
          deps.cache.set(channelKey, id, channels);
          settle(channelKey, id, { channels });
        }
      },
      (err: unknown) => {
        const error = deps.toError(err);
        for (const id of ids) settle(channelKey, id, { error });
      },
    );
  }

  function settle(channelKey: string, id: string, outcome: UserOutcome) {
    const key = `${channelKey}|${id}`;
    inflight.get(key)?.resolve(outcome);
    inflight.delete(key);
  }

  function flush(channelKey: string, all: boolean) {
    const q = queues.get(channelKey);
    if (!q) return;
    while (q.ids.length >= batchSize || (all && q.ids.length > 0)) send(channelKey, q.channelIds, q.ids.splice(0, batchSize));
    if (q.timer !== null) clearTimeout(q.timer);
    q.timer = null;
    if (q.ids.length === 0) {
      queues.delete(channelKey);
      return;
    }
    const wait = Math.max(0, Math.min(windowMs, q.firstAt + maxWaitMs - Date.now()));
    q.timer = setTimeout(() => flush(channelKey, true), wait);
  }

  return {
    /** Relations for every distinct ID, from the cache or the API. Never rejects: errors are per-ID outcomes. */
    async lookup(userIds: readonly string[], channelIds: string[]): Promise<Map<string, UserOutcome>> {
      await deps.cache.prepare();
      const channelKey = channelSetKey(channelIds);
      const result = new Map<string, UserOutcome>();
      const waits: Promise<void>[] = [];
      for (const id of new Set(userIds)) {
        const hit = deps.cache.get(channelKey, id);
        if (hit) {
          result.set(id, { channels: hit });
          continue;
        }
        const key = `${channelKey}|${id}`;
        let pending = inflight.get(key);
        if (!pending) {
          let resolve!: (o: UserOutcome) => void;
          const promise = new Promise<UserOutcome>((r) => (resolve = r));
          pending = { promise, resolve };
          inflight.set(key, pending);
          let q = queues.get(channelKey);
          if (!q) {
            q = { channelIds, ids: [], timer: null, firstAt: Date.now() };
            queues.set(channelKey, q);
          }
          q.ids.push(id);
        }
        waits.push(pending.promise.then((o) => void result.set(id, o)));
      }
      flush(channelKey, false);
      await Promise.all(waits);
      return result;
    },
    /** Applies a changed concurrency setting to the next batches. */
    setConcurrency(n: number) {
      limit = pLimit(Math.max(1, n));
    },
  };
}

export type LookupCoalescer = ReturnType<typeof createLookupCoalescer>;
