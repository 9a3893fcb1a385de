import { request } from '../platform/idb';
import { identityKey, identityOf } from './jobs';
import { JobMeta } from '../jobs/model';
import { SCHEMA_VERSION, transact } from './kv';
import { defaultProfile, ProfilesState } from '../profiles/model';
import { ChannelId } from '../kakao/ids';

/*
 * Stored data's schema versions:
 *   1  everything in storage.local (Channel Desk up to this change)
 *   2  the extension's own store (lib/storage/kv.ts), with job identities
 *   3  profiles (lib/profiles): the single key install becomes one profile, id `default`, named after its first
 *      channel; `settings.channelIds`, `selectedChannelId` and `rememberKey` move into it. Its key stays where
 *      it is (the vault's `default` profile keeps the names of before), and badge sites without a profile
 *      belong to `default`.
 *   4  connection modes: every profile says whether it is `direct` (all of them, at this step) or `relay`
 *      (a relay URL in the profile, the relay token in the key vault's slot).
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
      await toProfiles(values);
      await toConnectionModes(values);
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

/** 2 → 3, inside the migration's transaction: one profile from the single-key settings, unless profiles exist. */
async function toProfiles(values: IDBObjectStore): Promise<void> {
  if ((await request(values.getKey('profiles'))) !== undefined) return;
  const raw = await request(values.get('settings'));
  const settings = raw !== null && typeof raw === 'object' ? ({ ...raw } as Record<string, unknown>) : {};
  const channelIds = Array.isArray(settings.channelIds)
    ? settings.channelIds.filter((c): c is string => ChannelId.safeParse(c).success).slice(0, 50)
    : [];
  const profile = defaultProfile({
    channelIds,
    ...(typeof settings.selectedChannelId === 'string' && channelIds.includes(settings.selectedChannelId)
      ? { selectedChannelId: settings.selectedChannelId }
      : {}),
    rememberKey: settings.rememberKey === true,
  });
  values.put(ProfilesState.parse({ activeId: profile.id, profiles: [profile] }), 'profiles');
  if (raw !== undefined) {
    delete settings.channelIds;
    delete settings.selectedChannelId;
    delete settings.rememberKey;
    values.put(settings, 'settings');
  }
}

/** 3 → 4, inside the migration's transaction: every stored profile without a mode is a direct one. */
async function toConnectionModes(values: IDBObjectStore): Promise<void> {
  const raw = (await request(values.get('profiles'))) as unknown;
  if (raw === null || typeof raw !== 'object' || !Array.isArray((raw as { profiles?: unknown }).profiles)) return;
  const state = raw as { profiles: Record<string, unknown>[] };
  if (state.profiles.every((p) => p !== null && typeof p === 'object' && 'mode' in p)) return;
  const profiles = state.profiles.map((p) =>
    p !== null && typeof p === 'object' && !('mode' in p) ? { ...p, mode: 'direct' } : p,
  );
  // Written as read, with the mode added: a state that does not parse is left for the profile store to report.
  values.put({ ...state, profiles }, 'profiles');
}
