import {
  array,
  boolean,
  enum as oneOf,
  literal,
  nullable,
  number,
  object,
  optional,
  record,
  string,
  type infer as Infer,
} from 'zod/mini';
import type { Status } from '../messages/commands/core';
import { PROFILE_COLOURS } from '../profiles/colours';
import { defineParsedItem } from './item';

/*
 * The background's last status (the masked key only, never key material), in
 * storage.session: written whenever the background computes a status and whenever
 * a value it depends on changes (lib/background/handlers.ts), so the popup can paint
 * from it without waking or waiting for the worker, then asks the background,
 * whose answer replaces it. Gone when the browser closes, like a session key: after
 * a restart the popup waits for the background.
 *
 * zod/mini, not zod: the popup reads this before its first paint, and the full zod
 * build would double its bundle (issue 14 §4).
 */
const CachedStatus = object({
  key: object({
    saved: boolean(),
    masked: nullable(string()),
    remembered: boolean(),
    cleared: optional(boolean()),
    refused: optional(boolean()),
    pinSet: optional(boolean()),
    locked: optional(boolean()),
    triesLeft: optional(number()),
    lockAfterMinutes: optional(number()),
    wiped: optional(boolean()),
  }),
  settings: object({
    profileId: optional(string()),
    channelIds: array(string()),
    selectedChannelId: optional(string()),
    rememberKey: boolean(),
    concurrency: number(),
    fileTimeoutSeconds: number(),
    cacheTtlMinutes: number(),
    tabNewIdsPerMinute: number(),
    pageLookupsPerDay: number(),
  }),
  apiOrigin: string(),
  sandbox: object({ active: boolean(), mode: oneOf(['auto', 'on', 'off']), managed: optional(literal(true)) }),
  ready: boolean(),
  channelIds: array(string()),
  channelNames: optional(record(string(), string())),
  // Without these fields a copy would paint a locked key as saved, or the popup without its profile switcher.
  profiles: optional(
    object({
      activeId: string(),
      profiles: array(
        object({
          id: string(),
          name: string(),
          colour: oneOf(PROFILE_COLOURS),
          channelIds: array(string()),
          selectedChannelId: optional(string()),
          rememberKey: boolean(),
          keySaved: boolean(),
          managed: optional(boolean()),
        }),
      ),
    }),
  ),
  storage: optional(object({ schemaVersion: number(), state: oneOf(['ok', 'failed']), detail: optional(string()) })),
});

/** Every status the background computes fits the copy, and every copy read back is a status. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const fits: Same<Infer<typeof CachedStatus>, Status> = true;
void fits;

export const statusCacheItem = defineParsedItem<Status | null>('session:statusCache', nullable(CachedStatus), null);
