import { request } from '../platform/idb';
import { identityKey, identityOf } from './jobs';
import { JobMeta } from '../jobs/model';
import { SCHEMA_VERSION, transact } from './kv';

/*
 * Stored data's schema versions:
 *   1  everything in storage.local (Channel Desk up to this change)
 *   2  the extension's own store (lib/storage/kv.ts), with job identities
 *
 * `migrateStorage` runs at every background start (and on `runtime.onInstalled`
 * `update`); it does its work once. Every key in storage.local is copied into the
 * new store, unless the new store already holds that key, in the same IndexedDB
 * transaction that writes the done-marker: either all of it lands, or nothing does
 * and the old data stays where it was. Only then is storage.local emptied. A failure
 * is logged and kept as a status the options page shows (`getStatus().storage`).
 */

export interface StorageStatus {
  schemaVersion: number;
  /** `failed`: the old data is still in storage.local, and the app runs without it until a start succeeds. */
  state: 'ok' | 'failed';
  detail?: string;
}

interface Marker {
  version: number;
  at: number;
  keys: string[];
}

type LocalArea = Pick<typeof browser.storage.local, 'get' | 'remove'>;

let last: StorageStatus = { schemaVersion: SCHEMA_VERSION, state: 'ok' };
/** The last migration's outcome in this context. */
export const storageStatus = (): StorageStatus => last;

export async function migrateStorage(local: LocalArea = browser.storage.local): Promise<StorageStatus> {
  try {
    const old = await local.get(null);
    const marker = await transact('readwrite', async ({ values, meta }) => {
      const done = (await request(meta.get('migration'))) as Marker | undefined;
      if (done && done.version >= SCHEMA_VERSION) return done;
      const keys = Object.keys(old);
      for (const key of keys) {
        if ((await request(values.getKey(key))) === undefined) values.put(old[key], key);
      }
      // Jobs from schema 1 get the identity they have now: from here on it is fixed.
      for (const raw of Array.isArray(old.jobs) ? (old.jobs as unknown[]) : []) {
        const job = JobMeta.safeParse(raw);
        if (!job.success) continue;
        const id = identityKey(job.data.id);
        if ((await request(values.getKey(id))) === undefined) values.put(identityOf(job.data), id);
      }
      const next: Marker = { version: SCHEMA_VERSION, at: Date.now(), keys };
      meta.put(next, 'migration');
      return next;
    });
    // Copied (now or by an earlier start whose clean-up did not finish): out of content scripts' reach.
    const leftover = marker.keys.filter((k) => k in old);
    if (leftover.length > 0) await local.remove(leftover);
    last = { schemaVersion: SCHEMA_VERSION, state: 'ok' };
  } catch (err) {
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    console.error('Channel Desk: moving stored data out of storage.local failed; it stays there.', err);
    last = { schemaVersion: SCHEMA_VERSION, state: 'failed', detail: detail.slice(0, 300) };
  }
  return last;
}
