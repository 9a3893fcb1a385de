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
  fetchBatch: (
    userIds: string[],
    channelIds: string[],
    /** The lookup's backend namespace (lib/background/badges/lookups.ts: `<profile>/<backend>`). */
    backend: string,
  ) => Promise<Map<string, ChannelRelationView[]>>;
  toError: (err: unknown) => PageLookupError;
  batchSize?: number;
  windowMs?: number;
  maxWaitMs?: number;
  /** Parallel API calls (the `concurrency` setting), read before every lookup. */
  concurrency?: () => Promise<number> | number;
}

interface Queue {
  channelKey: string;
  /** The cache generation when the IDs were queued: answers are cached only if no clear came since. */
  generation: number;
  channelIds: string[];
  backend: string;
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
  const limit = pLimit(4);

  function send(queueKey: string, q: Queue, ids: string[]) {
    void limit(() => deps.fetchBatch(ids, q.channelIds, q.backend)).then(
      (found) => {
        for (const id of ids) {
          const channels =
            found.get(id) ??
            q.channelIds.map((channelId) => ({
              channelId,
              relation: 'UNKNOWN' as const,
              reason: 'not_answered' as const,
            }));
          deps.cache.set(q.channelKey, id, channels, q.generation);
          settle(queueKey, id, { channels });
        }
      },
      (err: unknown) => {
        const error = deps.toError(err);
        for (const id of ids) settle(queueKey, id, { error });
      },
    );
  }

  function settle(queueKey: string, id: string, outcome: UserOutcome) {
    const key = `${queueKey}|${id}`;
    inflight.get(key)?.resolve(outcome);
    inflight.delete(key);
  }

  function flush(queueKey: string, all: boolean) {
    const q = queues.get(queueKey);
    if (!q) return;
    while (q.ids.length >= batchSize || (all && q.ids.length > 0)) send(queueKey, q, q.ids.splice(0, batchSize));
    if (q.timer !== null) clearTimeout(q.timer);
    q.timer = null;
    if (q.ids.length === 0) {
      queues.delete(queueKey);
      return;
    }
    const wait = Math.max(0, Math.min(windowMs, q.firstAt + maxWaitMs - Date.now()));
    q.timer = setTimeout(() => flush(queueKey, true), wait);
  }

  return {
    /**
     * Relations for every distinct ID, from the cache or the API. Never rejects: errors are per-ID outcomes.
     * `admit`, given how many IDs would need the API (not cached, not already being looked up), says how many
     * of them may (the first ones); the others get its `refused` outcome and are not sent.
     */
    async lookup<R = never>(
      userIds: readonly string[],
      channelIds: string[],
      backend?: string,
      admit?: (count: number) => { allowed: number; refused: R },
    ): Promise<Map<string, UserOutcome | R>> {
      const [, concurrency] = await Promise.all([deps.cache.prepare(), deps.concurrency?.()]);
      if (concurrency !== undefined) limit.concurrency = Math.max(1, concurrency);
      const channelKey = channelSetKey(channelIds, backend);
      // After a clear, IDs do not join batches sent before it (their answers would not be the fresh look asked for).
      const generation = deps.cache.generation;
      const queueKey = `${generation}|${channelKey}`;
      const result = new Map<string, UserOutcome | R>();
      const waits: Promise<void>[] = [];
      const fresh: string[] = [];
      for (const id of new Set(userIds)) {
        const hit = deps.cache.get(channelKey, id);
        if (hit) {
          result.set(id, { channels: hit });
          continue;
        }
        const pending = inflight.get(`${queueKey}|${id}`);
        if (pending) waits.push(pending.promise.then((o) => void result.set(id, o)));
        else fresh.push(id);
      }
      // Synchronous from the cache check to the queue: two lookups cannot both spend the same budget.
      const admitted = admit?.(fresh.length);
      for (const [i, id] of fresh.entries()) {
        if (admitted && i >= admitted.allowed) {
          result.set(id, admitted.refused);
          continue;
        }
        const key = `${queueKey}|${id}`;
        let pending = inflight.get(key);
        if (!pending) {
          let resolve!: (o: UserOutcome) => void;
          const promise = new Promise<UserOutcome>((r) => (resolve = r));
          pending = { promise, resolve };
          inflight.set(key, pending);
          let q = queues.get(queueKey);
          if (!q) {
            q = {
              channelKey,
              generation,
              channelIds,
              backend: backend ?? 'default',
              ids: [],
              timer: null,
              firstAt: Date.now(),
            };
            queues.set(queueKey, q);
          }
          q.ids.push(id);
        }
        waits.push(pending.promise.then((o) => void result.set(id, o)));
      }
      flush(queueKey, false);
      await Promise.all(waits);
      return result;
    },
  };
}
