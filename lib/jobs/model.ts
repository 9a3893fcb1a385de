import { z } from 'zod';
import { isUnknownReason, type UnknownReason } from '../kakao/tolerance';
import { KakaoErrorInfo } from '../kakao/errors';
import { ChannelId, UserId } from '../kakao/ids';
import { UserType } from '../kakao/schemas';
import { ROW_ERROR_CODES } from '../csv/validate';

/*
 * One job model for uploads, deletions and bulk checks. A job's small state
 * (this record) lives in the extension's store (lib/storage/jobs.ts) so every extension page can watch it;
 * its inputs and per-batch results live in IndexedDB (see store.ts). A batch is
 * "confirmed" once its result is stored: that is the checkpoint a resumed job
 * starts from.
 */

export const JobKind = z.enum(['upload', 'delete', 'check']);
export type JobKind = z.infer<typeof JobKind>;
export const JobStatus = z.enum(['draft', 'running', 'paused', 'done', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatus>;

/** Where a job's calls go, fixed when it is created: the sandbox simulator or Kakao. */
export const JobBackend = z.enum(['sandbox', 'real']);
export type JobBackend = z.infer<typeof JobBackend>;

export const RelationCounts = z.object({
  ADDED: z.number().int().default(0),
  BLOCKED: z.number().int().default(0),
  NONE: z.number().int().default(0),
  UNKNOWN: z.number().int().default(0),
});
export type RelationCounts = z.infer<typeof RelationCounts>;

/** A batch Kakao applied to few of its users, and the first users of it (shown in the extension page only). */
const Reconcile = z.object({
  batch: z.number().int().nonnegative(),
  requestCount: z.number().int().nonnegative(),
  successCount: z.number().int().nonnegative(),
  sample: z.array(z.string()).max(10).default([]),
});
type Reconcile = z.infer<typeof Reconcile>;

export const JobMeta = z.object({
  id: z.string(),
  kind: JobKind,
  status: JobStatus,
  /** Absent on jobs stored before backends were pinned: such a job is pinned when it next runs. */
  backend: JobBackend.optional(),
  /** The profile whose key the job uses, fixed at creation (absent on jobs from before profiles: `default`). */
  profileId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  finishedAt: z.number().optional(),
  /** The file's channel (upload/delete). */
  channelId: ChannelId.optional(),
  /** The channels a bulk check asks about, in column order. */
  channelIds: z.array(ChannelId).default([]),
  fileId: z.string().optional(),
  fileName: z.string().optional(),
  userType: UserType.optional(),
  /** A check that re-checks an audience (lib/audiences): its result becomes the audience's next snapshot. */
  audienceId: z.string().max(60).optional(),
  /** Items (users or IDs) the job will send, after the dry run. */
  total: z.number().int().nonnegative(),
  /** Items the background has stored so far (a draft fills up in chunks). */
  received: z.number().int().nonnegative().default(0),
  /** Rows the dry run rejected (kept for the report): errorRows + duplicates (an error row may hold several errors). */
  rejected: z.number().int().nonnegative().default(0),
  /**
   * Of those, rows with errors, and duplicates removed (lib/csv/validate.ts: found = total + errorRows + duplicates).
   */
  errorRows: z.number().int().nonnegative().default(0),
  duplicates: z.number().int().nonnegative().default(0),
  batchSize: z.number().int().positive(),
  batches: z.number().int().nonnegative(),
  doneBatches: z.number().int().nonnegative().default(0),
  /** Items in confirmed batches. */
  doneItems: z.number().int().nonnegative().default(0),
  /** Items Kakao did not accept (upload/delete) or did not answer for (check). */
  failedItems: z.number().int().nonnegative().default(0),
  /** Sums of Kakao's request_count / success_count. */
  requestCount: z.number().int().nonnegative().default(0),
  successCount: z.number().int().nonnegative().default(0),
  /** Per channel, how many checked users have each relation. */
  relations: z.record(z.string(), RelationCounts).default({}),
  apiCalls: z.number().int().nonnegative().default(0),
  retries: z.number().int().nonnegative().default(0),
  /** When the job last (re)started running, and how far it was then: the rate shown is measured from here. */
  resumedAt: z.number().optional(),
  doneAtResume: z.number().int().nonnegative().default(0),
  /** Why the job is paused: Kakao's explained error, or absent when the user paused it. */
  pause: KakaoErrorInfo.optional(),
  /**
   * File jobs: batches (and their users) whose call timed out or lost its connection: Kakao may or may not have applied
   * them.
   */
  uncertainBatches: z.number().int().nonnegative().default(0),
  uncertainItems: z.number().int().nonnegative().default(0),
  /** Delete jobs: batches (and users) Kakao took with a 2XX but whose answer reported no counts. Never resent. */
  noCountBatches: z.number().int().nonnegative().default(0),
  noCountItems: z.number().int().nonnegative().default(0),
  /** Set when the job paused after a batch Kakao applied to none or fewer than half of its users. */
  reconcile: Reconcile.optional(),
  /** The manager resumed after a reconciliation pause: low counts no longer pause this job. */
  reconcileAcknowledged: z.boolean().default(false),
});
export type JobMeta = z.infer<typeof JobMeta>;

/** What a new job is created from (the createJob command's input). */
export const NewJob = z.strictObject({
  kind: JobKind,
  total: z.number().int().min(1).max(2_000_000),
  channelId: ChannelId.optional(),
  channelIds: z.array(ChannelId).max(50).optional(),
  fileId: z
    .string()
    .regex(/^\d{1,20}$/)
    .optional(),
  fileName: z.string().max(100).optional(),
  userType: UserType.optional(),
  /** The profile whose key the job uses (an audience's upload: the audience's); absent: the active one. */
  profileId: JobMeta.shape.profileId,
});
export type NewJob = z.infer<typeof NewJob>;

export const BATCH_SIZE: Record<JobKind, number> = { upload: 2000, delete: 2000, check: 200 };

/** One customer-file user as it is sent to Kakao. */
export const FileUserInput = z.strictObject({
  id: z.string().min(1).max(40),
  field: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

/** A phone job's ID: the number as sent (`821012345678`). */
const PhoneOrUserId = z.string().regex(/^(\d{1,20})$/, 'invalid_id');

/** What one stored item of `job` must look like (the background checks a job's input once, against this). */
export function jobItemSchema(job: Pick<JobMeta, 'kind' | 'userType'>) {
  return job.kind === 'upload' ? FileUserInput : job.userType === 'phone' ? PhoneOrUserId : UserId;
}

/** One row the dry run rejected, as kept with the job for its report. */
export const RowErrorInput = z.strictObject({
  row: z.number().int().nonnegative(),
  code: z.enum(ROW_ERROR_CODES),
  column: z.string().max(200),
  value: z.string().max(1000),
  firstRow: z.number().int().optional(),
  /** Which value on a pasted line with several IDs (lib/csv/idlist.ts). */
  position: z.number().int().positive().optional(),
  firstPosition: z.number().int().positive().optional(),
});

/**
 * A check result row: user ID, then relation and change time per channel (in `channelIds` order),
 * then — only when some relation is UNKNOWN for a known reason — one reason per channel ('' for none).
 * Rows stored before reasons existed simply end after the times.
 */
export type CheckRow = [userId: string, ...cells: string[]];

/** Why channel `index`'s relation in a check row is UNKNOWN, when the row says (see `CheckRow`). */
export function checkRowReason(row: CheckRow, channelCount: number, index: number): UnknownReason | undefined {
  const reason = row[1 + channelCount * 2 + index];
  return isUnknownReason(reason) ? reason : undefined;
}

/**
 * How a sent batch ended. `applied`: Kakao answered with its counts (absent on results stored
 * before outcomes existed). `no-counts`: a delete Kakao took (2XX) without reporting counts.
 * `uncertain`: the call timed out or lost its connection (or was in flight when the job
 * stopped): Kakao may or may not have applied it.
 */
export type BatchOutcome = 'applied' | 'no-counts' | 'uncertain';

export interface BatchResult {
  /** Users sent (Kakao's request_count when it reports one). */
  requestCount: number;
  /** Users Kakao applied (success_count); 0 when it reported none or the outcome is uncertain. */
  successCount: number;
  outcome?: BatchOutcome;
  /** Bulk checks only. */
  rows?: CheckRow[];
}

export const outcomeOf = (r: BatchResult): BatchOutcome => r.outcome ?? 'applied';

/** Kakao applied none, or fewer than half, of a batch's users: worth stopping to look at before sending more. */
export function needsReconciliation(r: BatchResult): boolean {
  return (
    outcomeOf(r) === 'applied' && r.requestCount > 0 && (r.successCount === 0 || r.successCount < r.requestCount / 2)
  );
}

/** A finished file job is partial when some users were not applied, are uncertain or have no counts. */
export function isPartial(job: JobMeta): boolean {
  return job.kind !== 'check' && (job.failedItems > 0 || job.uncertainItems > 0 || job.noCountItems > 0);
}

export function remaining(job: JobMeta): number {
  return Math.max(0, job.total - job.doneItems);
}

/** Items a second, measured since the job last resumed; null until there is something to measure. */
export function ratePerSecond(job: JobMeta, now: number): number | null {
  if (job.resumedAt === undefined) return null;
  const done = job.doneItems - job.doneAtResume;
  const seconds = ((job.finishedAt ?? now) - job.resumedAt) / 1000;
  return done > 0 && seconds > 0 ? done / seconds : null;
}
