import { done, openDatabase, request } from '../platform/idb';

/*
 * The extension's own key-value store: IndexedDB of the extension origin.
 *
 * Why not storage.local: content scripts can read AND write storage.local, and the
 * background acts on what it holds (jobs, the sandbox switch, sites, settings). The
 * extension origin's IndexedDB is shared by the background and the extension pages;
 * a content script runs in the web page's origin and can reach neither it nor the
 * BroadcastChannel below.
 *
 * Change notices: `watch` hears writes made in this context at once, and writes made
 * in the other extension contexts (background ↔ pages) through a BroadcastChannel of
 * the extension origin.
 */

export const KV_DB_NAME = 'channel-desk-store';
/**
 * The stored data's schema: 1 was storage.local (up to 0.x), 2 is this store, 3 adds profiles, 4 their
 * connection modes (lib/storage/migrate.ts).
 */
export const SCHEMA_VERSION = 4;
const VALUES = 'values';
const META = 'meta';

let dbPromise: Promise<IDBDatabase> | null = null;
let connection: IDBDatabase | null = null;

function db(): Promise<IDBDatabase> {
  dbPromise ??= openDatabase(KV_DB_NAME, 1, (d) => {
    if (!d.objectStoreNames.contains(VALUES)) d.createObjectStore(VALUES);
    if (!d.objectStoreNames.contains(META)) d.createObjectStore(META);
  }).then(
    (opened) => {
      // Another context upgrading or deleting the database: let go, and reopen on the next use.
      opened.onversionchange = () => closeKv();
      opened.onclose = () => closeKv();
      connection = opened;
      return opened;
    },
    (err: unknown) => {
      dbPromise = null;
      throw err;
    },
  );
  return dbPromise;
}

/** Closes this context's connection; the next operation opens the database again (tests: before deleting it). */
export function closeKv(): void {
  connection?.close();
  connection = null;
  dbPromise = null;
}

type Stores = { values: IDBObjectStore; meta: IDBObjectStore };

/** Tests: a fresh browser profile has no watchers left from the contexts of the one before. */
export function forgetKvWatchers(): void {
  listeners.clear();
}

/** One transaction over both stores: all of `run`'s requests commit together, or none does. */
export async function transact<T>(mode: IDBTransactionMode, run: (stores: Stores) => Promise<T> | T): Promise<T> {
  const tx = (await db()).transaction([VALUES, META], mode);
  const finished = done(tx);
  try {
    const out = await run({ values: tx.objectStore(VALUES), meta: tx.objectStore(META) });
    await finished;
    return out;
  } catch (err) {
    try {
      tx.abort();
    } catch {
      // already finished
    }
    await finished.catch(() => undefined);
    throw err;
  }
}

/* -- change notices ------------------------------------------------------ */

type Listener = (key: string, value: unknown) => void;
const listeners = new Set<Listener>();
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('channel-desk-store') : null;
if (channel) {
  channel.onmessage = (event: MessageEvent<{ key?: unknown; value?: unknown }>) => {
    if (typeof event.data?.key === 'string') notify(event.data.key, event.data.value);
  };
  // Node (tests) would otherwise keep running for the channel.
  (channel as unknown as { unref?: () => void }).unref?.();
}

function notify(key: string, value: unknown) {
  for (const listener of [...listeners]) {
    try {
      listener(key, value);
    } catch (err) {
      console.error('Channel Desk: a storage watcher failed', err);
    }
  }
}

function changed(key: string, value: unknown) {
  notify(key, value);
  try {
    channel?.postMessage({ key, value });
  } catch (err) {
    console.error('Channel Desk: could not announce a storage change', err);
  }
}

/* -- the store ----------------------------------------------------------- */

/** Every operation waits for this first (the background holds it while old data is moved in). */
let gate: Promise<unknown> = Promise.resolve();
export function holdUntil(ready: Promise<unknown>): void {
  gate = ready.catch(() => undefined);
}

interface MigrationMarker {
  version: number;
}
/**
 * For extension pages: resolves once the background has finished this schema's migration (lib/storage/migrate.ts
 * writes its done-marker), so a page opened while the background moves data never reads the old shape or writes
 * over it. Pages pass it to `holdUntil`. Gives up after `timeoutMs` (a failed migration is shown by the options page).
 */
export async function migrationDone(timeoutMs = 10_000, pollMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const marker = (await transact('readonly', ({ meta }) => request(meta.get('migration')))) as
      MigrationMarker | undefined;
    if ((marker && marker.version >= SCHEMA_VERSION) || Date.now() >= end) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export const kv = {
  async get(key: string): Promise<unknown> {
    await gate;
    return transact('readonly', ({ values }) => request(values.get(key)));
  },
  /*
   * Like storage.onChanged, a write that changes nothing announces nothing: a watcher that writes what it
   * watches (or removes what is not there) must not wake every context in a loop.
   */
  async set(key: string, value: unknown): Promise<void> {
    await gate;
    const changedNow = await transact('readwrite', async ({ values }) => {
      const before = await request(values.get(key));
      values.put(value, key);
      return before === undefined || JSON.stringify(before) !== JSON.stringify(value);
    });
    if (changedNow) changed(key, value);
  },
  async remove(key: string): Promise<void> {
    await gate;
    const existed = await transact('readwrite', async ({ values }) => {
      const had = (await request(values.getKey(key))) !== undefined;
      values.delete(key);
      return had;
    });
    if (existed) changed(key, undefined);
  },
  /** Writes `value` only if `key` holds nothing yet (write-once); false when it already did. */
  async add(key: string, value: unknown): Promise<boolean> {
    await gate;
    return transact('readwrite', async ({ values }) => {
      if ((await request(values.getKey(key))) !== undefined) return false;
      values.add(value, key);
      return true;
    });
  },
  /** Calls `cb` with the key after each write of any key, in any extension context (the status cache). */
  watchAll(cb: (key: string) => void): () => void {
    const listener: Listener = (k) => cb(k);
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** Calls `cb` with the new value (undefined when removed) after each write of `key`, in any extension context. */
  watch(key: string, cb: (value: unknown) => void): () => void {
    const listener: Listener = (k, v) => {
      if (k === key) cb(v);
    };
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
