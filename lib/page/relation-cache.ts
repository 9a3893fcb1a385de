import type { ChannelRelationView } from './relations';

/*
 * Looked-up relations, reused for `cacheTtlMinutes`. Keyed by the channel set and
 * the user ID, so changing channels in settings never serves a stale shape. The
 * background keeps it in storage.session (trusted contexts only; content scripts
 * cannot read it), so a worker restart keeps the cache and a browser restart
 * clears it. Writes are debounced: a 5,000-ID page writes a handful of times.
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
  saveDelayMs?: number;
}

export function channelSetKey(channelIds: readonly string[]): string {
  return channelIds.length === 0 ? '*' : [...channelIds].sort().join(',');
}

export function createRelationCache(deps: RelationCacheDeps) {
  const now = deps.now ?? Date.now;
  const entries = new Map<string, CacheEntry>();
  let ready: Promise<void> | null = null;
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  let ttl = 0;

  const keyOf = (channelKey: string, userId: string) => `${channelKey}|${userId}`;

  function load(): Promise<void> {
    ready ??= (async () => {
      const stored = deps.load ? await deps.load().catch(() => null) : null;
      for (const [k, v] of Object.entries(stored ?? {})) if (!entries.has(k)) entries.set(k, v);
    })();
    return ready;
  }

  function snapshot(): CacheRecord {
    const record: CacheRecord = {};
    const t = now();
    for (const [k, v] of entries) if (t - v.at < ttl) record[k] = v;
    return record;
  }

  function scheduleSave() {
    if (!deps.save || saveTimer !== null) return;
    saveTimer = setTimeout(() => {
      saveTimer = null;
      void deps.save!(snapshot()).catch(() => undefined);
    }, deps.saveDelayMs ?? 250);
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
    set(channelKey: string, userId: string, channels: ChannelRelationView[]): void {
      if (ttl <= 0) return;
      entries.set(keyOf(channelKey, userId), { at: now(), channels });
      scheduleSave();
    },
    async clear(): Promise<void> {
      await load();
      entries.clear();
      if (saveTimer !== null) clearTimeout(saveTimer);
      saveTimer = null;
      await deps.save?.({});
    },
    get size(): number {
      return entries.size;
    },
  };
}

export type RelationCache = ReturnType<typeof createRelationCache>;
