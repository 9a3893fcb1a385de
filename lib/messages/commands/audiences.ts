import { z } from 'zod';
import { AudienceId, AudienceName, MAX_AUDIENCE_IDS, Schedule, type AudienceMeta } from '../../audiences/model';
import type { JobMeta } from '../../jobs/model';
import { ChannelId } from '../../kakao/ids';
import { CHECK_RELATIONS } from '../../kakao/terms';
import type { CommandTable } from '../define';
import { defineCommand } from '../define';

const ListKey = z.string().regex(/^list-[0-9a-f]{32}$/);
const ExtraKey = z.string().regex(/^extra-[a-z0-9-]{8,40}$/);
const JobId = z
  .string()
  .regex(/^[a-z]+-[a-z0-9]+-[a-z0-9]+$/)
  .max(60);

/**
 * Audiences (대상 목록). Extension pages only. A new audience's ID list (and extra columns) is written by the page
 * straight into the audience store (lib/audiences/store.ts); these commands name it, and the background checks it.
 */
export const audienceCommands = {
  createAudience: defineCommand<AudienceMeta>()({
    allow: ['extension'],
    input: z.strictObject({
      name: AudienceName,
      listKey: ListKey,
      count: z.number().int().min(1).max(MAX_AUDIENCE_IDS),
      source: z.string().max(200),
      columns: z.array(z.string().max(200)).max(100).optional(),
      extraKey: ExtraKey.optional(),
    }),
  }),
  /** From a finished bulk check: all its IDs, or those with one relation (in one channel, or any). */
  createAudienceFromJob: defineCommand<AudienceMeta>()({
    allow: ['extension'],
    input: z.strictObject({
      name: AudienceName,
      jobId: JobId,
      relation: z.enum(['all', ...CHECK_RELATIONS]),
      channelId: ChannelId.optional(),
    }),
  }),
  renameAudience: defineCommand<AudienceMeta>()({
    allow: ['extension'],
    input: z.strictObject({ audienceId: AudienceId, name: AudienceName }),
  }),
  duplicateAudience: defineCommand<AudienceMeta>()({
    allow: ['extension'],
    input: z.strictObject({ audienceId: AudienceId, name: AudienceName }),
  }),
  deleteAudience: defineCommand<{ deleted: true }>()({
    allow: ['extension'],
    input: z.strictObject({ audienceId: AudienceId }),
  }),
  /** Re-checks the audience now with every configured channel: a bulk-check job (batched, resumable, in Jobs). */
  recheckAudience: defineCommand<JobMeta>()({
    allow: ['extension'],
    input: z.strictObject({ audienceId: AudienceId }),
  }),
  setAudienceSchedule: defineCommand<AudienceMeta>()({
    allow: ['extension'],
    input: z.strictObject({ audienceId: AudienceId, schedule: Schedule }),
  }),
} satisfies CommandTable;
