import { z } from 'zod';
import { ChannelId } from '../kakao/ids';
import { KakaoErrorInfo } from '../kakao/errors';

/*
 * Audiences (대상 목록): a named list of app user IDs, re-checked now or on a schedule. The small part (this record:
 * name, counts, schedule, the snapshots' summaries) lives in the extension's store (lib/storage/audiences.ts), so
 * pages watch it; the ID lists, extra columns and snapshots' relations live in their own IndexedDB database
 * (./store.ts). A snapshot is one finished re-check: per ID, the relation with each channel checked.
 */

export const MAX_AUDIENCE_IDS = 200_000;
const MAX_AUDIENCE_NAME = 60;
/** Snapshots kept per audience: the oldest goes when a 31st is taken. */
export const SNAPSHOTS_KEPT = 30;
export const MAX_AUDIENCES = 100;

export const AudienceId = z.string().regex(/^aud-[a-z0-9]{4,20}-[a-z0-9]{4,10}$/);
export const AudienceName = z.string().trim().min(1).max(MAX_AUDIENCE_NAME);

/** A re-check schedule: never, daily or weekly at a local time in a time zone. */
export const Schedule = z.discriminatedUnion('every', [
  z.strictObject({ every: z.literal('off') }),
  z.strictObject({
    every: z.literal('daily'),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    timeZone: z.string().min(1).max(64),
  }),
  z.strictObject({
    every: z.literal('weekly'),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    timeZone: z.string().min(1).max(64),
    /** 0 = Sunday … 6 = Saturday, in the schedule's time zone. */
    weekday: z.number().int().min(0).max(6),
  }),
]);
export type Schedule = z.infer<typeof Schedule>;

export const SnapshotMeta = z.object({
  /** The re-check job's id (one snapshot per job). */
  id: z.string(),
  takenAt: z.number(),
  channelIds: z.array(ChannelId),
  count: z.number().int().nonnegative(),
  /** The ID list the snapshot is aligned to (shared with the audience and other snapshots while unchanged). */
  listKey: z.string(),
  /** Stored bytes of the relations, and of the ID list (shared between snapshots with the same list). */
  relationBytes: z.number().int().nonnegative(),
  listBytes: z.number().int().nonnegative(),
  /** Per channel, how many IDs had each relation. */
  totals: z.record(z.string(), z.record(z.string(), z.number().int().nonnegative())).default({}),
  trigger: z.enum(['manual', 'schedule']).default('manual'),
});
export type SnapshotMeta = z.infer<typeof SnapshotMeta>;

export const AudienceMeta = z.object({
  id: AudienceId,
  name: AudienceName,
  createdAt: z.number(),
  updatedAt: z.number(),
  /**
   * The profile the audience was made in: its re-checks use that profile's key and channels whichever profile is
   * active (absent: the active one).
   */
  profileId: z.string().min(1).max(64).optional(),
  count: z.number().int().nonnegative(),
  /** Where the IDs came from: a file's name, `paste`, or a bulk check's job id. */
  source: z.string().max(200).default(''),
  listKey: z.string(),
  /** Extra columns of the import, kept in order for later mapping to customer-file fields. */
  columns: z.array(z.string().max(200)).max(100).default([]),
  /** Where those columns' values are (lib/audiences/store.ts `extra`), one row per ID. */
  extraKey: z.string().optional(),
  schedule: Schedule.default({ every: 'off' }),
  /** When the schedule next runs (absent when off). */
  nextDueAt: z.number().optional(),
  /** The re-check running or last run, and what started it. */
  lastJobId: z.string().optional(),
  lastJobListKey: z.string().optional(),
  lastTrigger: z.enum(['manual', 'schedule']).optional(),
  lastRunAt: z.number().optional(),
  /**
   * The last scheduled re-check that could not start (the previous one still running or paused, no channel, …), and
   * why: shown on the audience until a re-check starts.
   */
  missedRun: z.object({ at: z.number(), error: KakaoErrorInfo }).optional(),
  /** Newest first; at most SNAPSHOTS_KEPT. */
  snapshots: z.array(SnapshotMeta).default([]),
});
export type AudienceMeta = z.infer<typeof AudienceMeta>;
