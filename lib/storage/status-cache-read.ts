import * as z from 'zod/mini';
import type { Status } from '../messages/commands/core';
import { PROFILE_COLOURS } from '../profiles/colours';
import { browser } from 'wxt/browser';

/*
 * The popup's read of the status cache (lib/storage/status-cache.ts declares it, the background writes it), with
 * the same schema in zod/mini: the popup parses it before its first paint without loading zod. The popup's build
 * bundles this from source (scripts/popup-one-file.ts): zod's chunk shared with the other pages would bring all
 * of zod's core with it.
 */

const KeyStatus = z.object({
  saved: z.boolean(),
  masked: z.nullable(z.string()),
  remembered: z.boolean(),
  cleared: z.optional(z.boolean()),
  refused: z.optional(z.boolean()),
  pinSet: z.optional(z.boolean()),
  locked: z.optional(z.boolean()),
  triesLeft: z.optional(z.number()),
  lockAfterMinutes: z.optional(z.number()),
  wiped: z.optional(z.boolean()),
});
const Ids = z.array(z.string());
const Mode = z.enum(['direct', 'relay']);
const Profile = z.object({
  id: z.string(),
  name: z.string(),
  colour: z.enum(PROFILE_COLOURS),
  channelIds: Ids,
  selectedChannelId: z.optional(z.string()),
  rememberKey: z.boolean(),
  mode: Mode,
  relayUrl: z.optional(z.string()),
  keySaved: z.boolean(),
  managed: z.optional(z.boolean()),
  relayManaged: z.optional(z.boolean()),
});
const Settings = z.object({
  channelIds: Ids,
  selectedChannelId: z.optional(z.string()),
  rememberKey: z.boolean(),
  concurrency: z.number(),
  fileTimeoutSeconds: z.number(),
  cacheTtlMinutes: z.number(),
  tabNewIdsPerMinute: z.number(),
  pageLookupsPerDay: z.number(),
  // The active profile's (lib/profiles/store.ts settingsOfProfile): its id and connection.
  profileId: z.optional(z.string()),
  mode: z.optional(Mode),
  relayUrl: z.optional(z.string()),
});
const StatusSchema = z.object({
  key: KeyStatus,
  settings: Settings,
  apiOrigin: z.string(),
  sandbox: z.object({
    active: z.boolean(),
    mode: z.enum(['auto', 'on', 'off']),
    managed: z.optional(z.literal(true)),
  }),
  ready: z.boolean(),
  channelIds: Ids,
  channelNames: z.optional(z.record(z.string(), z.string())),
  profiles: z.optional(z.object({ activeId: z.string(), profiles: z.array(Profile) })),
});
// The schema says what `getStatus` answers, no more and no less: tsc fails here when the two part.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same: Same<z.infer<typeof StatusSchema>, Omit<Status, 'storage'>> = true;
void same;

const StatusCache = z.object({ status: StatusSchema, expiresAt: z.optional(z.number()) });

/** `statusCacheItem`'s key in storage.session (lib/storage/status-cache.ts: `session:statusCache`). */
const KEY = 'statusCache';

declare global {
  /** The popup's first code started reading the cached status (entrypoints/popup/first.ts). */
  var cdCachedStatus: Promise<Status | null> | undefined;
}

/** The cached status, if there is one and no PIN key has locked for being idle since it was written. */
export async function cachedStatus(now = Date.now()): Promise<Status | null> {
  // Read as `defineParsedItem` reads it (absent or not fitting the schema: none), without the store's helpers (their
  // storage library and the extension's own store: 4 KB gzipped the popup's first paint does not need).
  const parsed = StatusCache.safeParse((await browser.storage.session.get(KEY))[KEY]);
  const cached = parsed.success ? parsed.data : null;
  if (!cached || (cached.expiresAt !== undefined && now >= cached.expiresAt)) return null;
  return cached.status;
}
