import { z } from 'zod';
import type { Status } from '../messages/commands/core';
import { ConnectionMode, Profile } from '../profiles/model';
import { SandboxMode } from './sandbox-mode';
import { Settings } from './settings';
import { defineParsedItem } from './item';

/*
 * The popup's first paint (issue 14 target 4): the last status the background computed, in storage.session
 * (trusted contexts only: content scripts cannot read it; gone when the browser closes, the extension updates or
 * reloads). The popup renders from it at once (lib/storage/status-cache-read.ts), then still asks `getStatus`
 * and shows the answer.
 *
 * It must never say something untrue: the background drops it whenever an input of the status changes
 * (lib/background/status-cache.ts), and `expiresAt` is when the first unlocked PIN key locks for being idle.
 * Not in the schema versions (lib/storage/migrate.ts): storage.session is emptied when the extension updates.
 */

const Flag = z.boolean().optional();
const StatusSchema = z.object({
  key: z.object({
    saved: z.boolean(),
    masked: z.string().nullable(),
    remembered: z.boolean(),
    cleared: Flag,
    refused: Flag,
    pinSet: Flag,
    locked: Flag,
    triesLeft: z.number().optional(),
    lockAfterMinutes: z.number().optional(),
    wiped: Flag,
  }),
  // The active profile's settings (lib/profiles/store.ts settingsOfProfile): with its id and connection.
  settings: Settings.extend({
    profileId: z.string().optional(),
    mode: ConnectionMode.optional(),
    relayUrl: z.string().optional(),
  }),
  apiOrigin: z.string(),
  sandbox: z.object({ active: z.boolean(), mode: SandboxMode, managed: z.literal(true).optional() }),
  ready: z.boolean(),
  channelIds: z.array(z.string()),
  channelNames: z.record(z.string(), z.string()).optional(),
  profiles: z
    .object({
      activeId: z.string(),
      profiles: z.array(Profile.extend({ keySaved: z.boolean(), managed: Flag, relayManaged: Flag })),
    })
    .optional(),
});
// The schema says what `getStatus` answers, no more and no less (but `storage`: lib/background/status-cache.ts
// says why): tsc fails here when the two part.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same: Same<z.output<typeof StatusSchema>, Omit<Status, 'storage'>> = true;
void same;

const StatusCache = z.object({
  status: StatusSchema,
  /** When the first unlocked PIN key locks for being idle (ms since epoch): from then on the status is not read. */
  expiresAt: z.number().optional(),
});

export const statusCacheItem = defineParsedItem('session:statusCache', StatusCache.nullable(), null);

/**
 * Stored values that are no input of the status: their writes (frequent, during jobs and lookups) leave the cache.
 * Every other write in any storage area drops it, so an input added later is covered without a line here.
 */
const NOT_STATUS_INPUTS = [
  'statusCache',
  'jobs',
  'recentLookups',
  'pageLookupUse',
  'pageRelationCache',
  'webhookHistory',
  'audiences',
];
/** Job identities are stored one per job (lib/storage/jobs.ts). */
export const isStatusInput = (key: string) => !NOT_STATUS_INPUTS.includes(key) && !key.startsWith('jobIdentity:');
