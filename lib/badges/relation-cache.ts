import type { ChannelRelationView } from './relations';

/*
 * Looked-up relations, reused for `cacheTtlMinutes`. Keyed by the backend (the
 * sandbox or a fingerprint of the key: see backend-identity.ts), the channel set
 * and the user ID, so sandbox answers or another key's answers are never shown
 * as the current key's, and changing channels never serves a stale shape.
 * At most `maxEntries` are kept (oldest dropped first), so storage.session
 * (10 MB in Chrome) never fills; a failed save drops the older half and retries. The
 * background keeps it in storage.session (trusted contexts only; content scripts
 * cannot read it), so a worker restart keeps the cache and a browser restart
 * clears it. Writes wait for a quiet moment: a 5,000-ID page writes once, after its last answer. Each write hands
 * the browser the whole record (4,000 entries for that page), which costs the worker hundreds of ms in Chrome's
 * storage binding: written every 250 ms during a burst of answers (before), those writes held the worker for
 * seconds (2.3 s of a 5,000-ID page's profile), and the page's queued lookups waited behind them (issue 14).
 */

export interface CacheEntry {
  at: number;
  channels: ChannelRelationView[];
}
export type CacheRecord = Record<string, CacheEntry>;

export interface RelationCacheDeps {
  ttlMs: () => Promise<number> | number;
  now?: () => number;
  load?: () => Promise<CacheRecord | null>;
  save?: (record: CacheRecord) => Promise<void>;
  /** A write waits for this long without a new answer (a quiet moment)… */
  saveDelayMs?: number;
  /** …but never longer than this after the first unsaved answer. */
  saveMaxWaitMs?: number;
  /** Most entries kept; the oldest go first. */
  maxEntries?: number;
}

/** ~150 bytes an entry with two channels: about 3 MB of storage.session at most. */
const MAX_CACHE_ENTRIES = 20_000;

/** The cache namespace for a backend and a channel set, e.g. `key-0a1b…#_ZeUTxl,_frxjem`. */
export function channelSetKey(channelIds: readonly string[], backend = 'default'): string {
  return `${backend}#${channelIds.length === 0 ? '*' : [...channelIds].sort().join(',')}`;
}

export function createRelationCache(deps: RelationCacheDeps) {
  const now = deps.now ?? Date.now;
  const entries = new Map<string, CacheEntry>();
  let ready: Promise<void> | null = null;
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the oldest answer not written yet came in (Date.now), or null when all are written. */
  let unsavedSince: number | null = null;
  let ttl = 0;
  /** Bumped by `clear()`: answers to batches sent before it are not cached. */
  let generation = 0;
  const maxEntries = deps.maxEntries ?? MAX_CACHE_ENTRIES;

  const keyOf = (channelKey: string, userId: string) => `${channelKey}|${userId}`;

  function load(): Promise<void> {
    ready ??= (async () => {
      const stored = deps.load ? await deps.load().catch(() => null) : null;
      const gen = generation;
      // Entries stored before the backend namespace existed (no `#`) cannot be attributed to a key: dropped.
      for (const [k, v] of Object.entries(stored ?? {}))
        if (gen === generation && k.includes('#') && !entries.has(k)) entries.set(k, v);
      trim();
    })();
    return ready;
  }

  /** Drops the oldest entries beyond `limit` (a Map iterates in insertion order). */
  function trim(limit = maxEntries) {
    for (const k of entries.keys()) {
      if (entries.size <= limit) break;
      entries.delete(k);
    }
  }

  function snapshot(): CacheRecord {
    const record: CacheRecord = {};
    const t = now();
    for (const [k, v] of entries) {
      if (t - v.at < ttl) record[k] = v;
      else entries.delete(k);
    }
    return record;
  }

  async function save() {
    try {
      await deps.save!(snapshot());
    } catch {
      // Most likely the storage quota: keep the newer half and try once more.
      trim(Math.floor(entries.size / 2));
      await deps.save!(snapshot()).catch((err: unknown) =>
        console.warn('Channel Desk: relation cache not saved', err instanceof Error ? err.message : err),
      );
    }
  }

  /** When the last answer came in (Date.now): the write waits for a quiet moment after it. */
  let lastSetAt = 0;
  /** When the pending write is due: `saveDelayMs` after the last answer, `saveMaxWaitMs` after the first at most. */
  const saveDue = () =>
    Math.min(lastSetAt + (deps.saveDelayMs ?? 1000), unsavedSince! + (deps.saveMaxWaitMs ?? 10_000));

  function armSave() {
    saveTimer = setTimeout(
      () => {
        // More answers came meanwhile: wait on (one timer per burst, not one per answer).
        if (Date.now() < saveDue()) return armSave();
        saveTimer = null;
        unsavedSince = null;
        void save();
      },
      Math.max(0, saveDue() - Date.now()),
    );
  }

  function scheduleSave() {
    if (!deps.save) return;
    lastSetAt = Date.now();
    unsavedSince ??= lastSetAt;
    if (saveTimer === null) armSave();
  }

  return {
    /** Loads the stored cache and the current TTL; call before a batch of `get`s. */
    async prepare(): Promise<void> {
      ttl = await deps.ttlMs();
      await load();
    },
    /** A fresh entry, or undefined (missing or older than the TTL). */
    get(channelKey: string, userId: string): ChannelRelationView[] | undefined {
      const entry = entries.get(keyOf(channelKey, userId));
      if (!entry) return undefined;
      if (now() - entry.at >= ttl) {
        entries.delete(keyOf(channelKey, userId));
        return undefined;
      }
      return entry.channels;
    },
    /** The current generation; pass it back to `set` for an answer to a batch sent now. */
    get generation(): number {
      return generation;
    },
    /** Stores an answer, unless the cache was cleared after its batch was sent (`sentAt` generation). */
    set(channelKey: string, userId: string, channels: ChannelRelationView[], sentAt: number = generation): void {
      if (ttl <= 0 || sentAt !== generation) return;
      const key = keyOf(channelKey, userId);
      entries.delete(key); // re-inserted as the newest
      entries.set(key, { at: now(), channels });
      trim();
      scheduleSave();
    },
    async clear(): Promise<void> {
      generation++;
      await load();
      entries.clear();
      if (saveTimer !== null) clearTimeout(saveTimer);
      saveTimer = null;
      unsavedSince = null;
      await deps.save?.({});
    },
    get size(): number {
      return entries.size;
    },
  };
}

export type RelationCache = ReturnType<typeof createRelationCache>;
