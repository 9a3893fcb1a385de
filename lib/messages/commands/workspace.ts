import { z } from 'zod';
import { ChannelId } from '../../kakao/ids';
import { FieldType, type CustomerFile, type UnreadableFile } from '../../kakao/schemas';
import { NewJob, FileUserInput, RowErrorInput, type JobMeta } from '../../jobs/model';
import { MAX_FIELDS, MAX_FILE_NAME } from '../../csv/schema';
import type { CommandTable } from '../define';
import { defineCommand } from '../define';

export interface CustomerFileListing {
  files: CustomerFile[];
  /** Entries of Kakao's list that could not be read (no file ID): shown as rows that say so. */
  unreadableFiles: UnreadableFile[];
  /** Kakao's slot counts (30 a channel); null when Kakao's answer leaves them out. */
  usingSlot: number | null;
  emptySlot: number | null;
}

const JobId = z
  .string()
  .regex(/^[a-z]+-[a-z0-9]+-[a-z0-9]+$/)
  .max(60);
/** Chunks of at most this many items a message (whole batches). */
const MAX_ITEMS_PER_MESSAGE = 4000;

/**
 * The workspace's commands: customer files and background jobs. Extension pages
 * only: content scripts and web pages can neither read files nor start jobs.
 */
export const workspaceCommands = {
  listCustomerFiles: defineCommand<CustomerFileListing>()({
    allow: ['extension'],
    input: z.strictObject({ channelId: ChannelId, profileId: NewJob.shape.profileId }),
  }),
  /** Never retried automatically: a retry could create a second file. */
  createCustomerFile: defineCommand<{ fileId: string }>()({
    allow: ['extension'],
    input: z.strictObject({
      channelId: ChannelId,
      profileId: NewJob.shape.profileId,
      fileName: z.string().trim().min(1).max(MAX_FILE_NAME),
      schema: z
        .record(z.string().trim().min(1).max(40), FieldType)
        .refine((s) => Object.keys(s).length <= MAX_FIELDS, 'too many fields'),
    }),
  }),
  createJob: defineCommand<JobMeta>()({
    allow: ['extension'],
    input: NewJob,
  }),
  /** A chunk of a draft job's input, starting at `offset` (a batch boundary). */
  addJobItems: defineCommand<JobMeta>()({
    allow: ['extension'],
    input: z.strictObject({
      jobId: JobId,
      offset: z.number().int().nonnegative(),
      items: z
        .array(z.union([FileUserInput, z.string().max(40)]))
        .min(1)
        .max(MAX_ITEMS_PER_MESSAGE),
    }),
  }),
  /** Rows the dry run rejected, kept with the job for its report. */
  addJobRejected: defineCommand<JobMeta>()({
    allow: ['extension'],
    input: z.strictObject({
      jobId: JobId,
      index: z.number().int().nonnegative(),
      errors: z.array(RowErrorInput).max(MAX_ITEMS_PER_MESSAGE),
    }),
  }),
  /**
   * Starts a draft or resumes a paused job. `resendUncertain` (delete jobs with uncertain batches, after the
   * manager confirmed): true resends them, false finishes without resending them.
   */
  startJob: defineCommand<JobMeta>()({
    allow: ['extension'],
    input: z.strictObject({ jobId: JobId, resendUncertain: z.boolean().optional() }),
  }),
  pauseJob: defineCommand<JobMeta>()({ allow: ['extension'], input: z.strictObject({ jobId: JobId }) }),
  cancelJob: defineCommand<JobMeta>()({ allow: ['extension'], input: z.strictObject({ jobId: JobId }) }),
  deleteJob: defineCommand<{ deleted: true }>()({ allow: ['extension'], input: z.strictObject({ jobId: JobId }) }),
  listJobs: defineCommand<JobMeta[]>()({ allow: ['extension'], input: z.strictObject({}) }),
  /** Parallel API calls for jobs (1–8). */
  setJobConcurrency: defineCommand<{ concurrency: number }>()({
    allow: ['extension'],
    input: z.strictObject({ concurrency: z.number().int().min(1).max(8) }),
  }),
  /** How long a customer-file call (create, add, delete) may take before it counts as timed out. */
  setFileTimeout: defineCommand<{ fileTimeoutSeconds: number }>()({
    allow: ['extension'],
    input: z.strictObject({ fileTimeoutSeconds: z.number().int().min(10).max(600) }),
  }),
} satisfies CommandTable;
