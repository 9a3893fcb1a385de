import { done, openDatabase, request } from '../platform/idb';
import { packIds, unpackIds } from './snapshot';

/*
 * The big parts of audiences, in their own IndexedDB database of the extension origin (shared by the background and
 * the extension pages; content scripts cannot reach it):
 *   lists      key → an ID list packed as nibbles (snapshot.ts), content-addressed (`list-<sha-256>`), so an audience,
 *                    its duplicates and its snapshots share one copy while the IDs are the same
 *   extra      key → the import's extra columns, one row per ID (kept for mapping to customer-file fields later)
 *   relations  [audienceId, snapshotId] → per channel the packed relations of one snapshot
 * Pages write a new list or extra columns here before they ask the background to make the audience (no copy through
 * messages); the background checks them then, and drops what no audience refers to.
 */

const DB_NAME = 'channel-desk-audiences';

interface ListRecord {
  key: string;
  bytes: Uint8Array;
  count: number;
  writtenAt: number;
}
interface ExtraRecord {
  key: string;
  rows: string[][];
  writtenAt: number;
}
interface RelationsRecord {
  audienceId: string;
  snapshotId: string;
  channels: Uint8Array[];
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return [...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The content key of a packed list. */
export const listKeyOf = async (bytes: Uint8Array) => `list-${await sha256Hex(bytes)}`;

export function createAudienceStore(dbName = DB_NAME) {
  let dbPromise: Promise<IDBDatabase> | null = null;
  const db = () =>
    (dbPromise ??= openDatabase(dbName, 1, (d) => {
      if (!d.objectStoreNames.contains('lists')) d.createObjectStore('lists', { keyPath: 'key' });
      if (!d.objectStoreNames.contains('extra')) d.createObjectStore('extra', { keyPath: 'key' });
      if (!d.objectStoreNames.contains('relations'))
        d.createObjectStore('relations', { keyPath: ['audienceId', 'snapshotId'] });
    }));

  async function get<T>(store: string, key: IDBValidKey): Promise<T | undefined> {
    const tx = (await db()).transaction(store, 'readonly');
    return (await request(tx.objectStore(store).get(key))) as T | undefined;
  }
  async function put(store: string, value: unknown) {
    const tx = (await db()).transaction(store, 'readwrite');
    tx.objectStore(store).put(value);
    await done(tx);
  }

  return {
    /** Packs and stores an ID list; its content key. */
    async putList(ids: readonly string[], now = Date.now()): Promise<{ key: string; bytes: number }> {
      const bytes = packIds(ids);
      const key = await listKeyOf(bytes);
      await put('lists', { key, bytes, count: ids.length, writtenAt: now } satisfies ListRecord);
      return { key, bytes: bytes.byteLength };
    },
    /** The stored list's packed bytes (undefined when there is none). */
    async listRecord(key: string): Promise<ListRecord | undefined> {
      const r = await get<ListRecord>('lists', key);
      return r && r.bytes instanceof Uint8Array ? r : undefined;
    },
    async getList(key: string): Promise<string[]> {
      const r = await get<ListRecord>('lists', key);
      if (!r || !(r.bytes instanceof Uint8Array)) throw new Error(`the ID list ${key} is missing`);
      return unpackIds(r.bytes);
    },
    async putExtra(key: string, rows: string[][], now = Date.now()) {
      await put('extra', { key, rows, writtenAt: now } satisfies ExtraRecord);
    },
    async getExtra(key: string): Promise<string[][] | undefined> {
      return (await get<ExtraRecord>('extra', key))?.rows;
    },
    async putRelations(audienceId: string, snapshotId: string, channels: Uint8Array[]) {
      await put('relations', { audienceId, snapshotId, channels } satisfies RelationsRecord);
    },
    async getRelations(audienceId: string, snapshotId: string): Promise<Uint8Array[]> {
      const r = await get<RelationsRecord>('relations', [audienceId, snapshotId]);
      if (!r) throw new Error(`the snapshot ${snapshotId} is missing`);
      return r.channels;
    },
    async deleteRelations(audienceId: string, snapshotIds?: readonly string[]) {
      const tx = (await db()).transaction('relations', 'readwrite');
      const store = tx.objectStore('relations');
      if (snapshotIds) for (const s of snapshotIds) store.delete([audienceId, s]);
      else store.delete(IDBKeyRange.bound([audienceId, ''], [audienceId, '\uffff']));
      await done(tx);
    },
    /** Drops lists and extra columns no one refers to (older than `graceMs`: a page may be about to use them). */
    async collect(referenced: ReadonlySet<string>, now = Date.now(), graceMs = 60 * 60 * 1000) {
      const tx = (await db()).transaction(['lists', 'extra'], 'readwrite');
      for (const name of ['lists', 'extra'] as const) {
        const store = tx.objectStore(name);
        const all = (await request(store.getAll())) as (ListRecord | ExtraRecord)[];
        for (const r of all) if (!referenced.has(r.key) && now - r.writtenAt > graceMs) store.delete(r.key);
      }
      await done(tx);
    },
  };
}

export type AudienceStore = ReturnType<typeof createAudienceStore>;
