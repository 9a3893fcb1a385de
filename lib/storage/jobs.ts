import { z } from 'zod';
import { JobBackend, JobKind, JobMeta } from '../jobs/model';
import { ChannelId } from '../kakao/ids';
import { UserType } from '../kakao/schemas';
import { defineParsedListItem } from './item';
import { kv } from './kv';

/**
 * The job list (each job's small state; inputs and results are in lib/jobs/store.ts).
 * Parsed job by job: one record that does not parse (a newer version's, a hand
 * edit) is left out of the list, never the whole list; writes keep it as stored.
 */
export const jobsItem = defineParsedListItem('local:jobs', JobMeta);

/**
 * What a job is, fixed when it is created and never rewritten (an IndexedDB `add`):
 * the runner runs a job only while its record still says the same.
 */
export const JobIdentity = z.object({
  kind: JobKind,
  /** Absent only for jobs stored before backends were pinned. */
  backend: JobBackend.optional(),
  /** Absent on jobs from before profiles (the `default` profile). */
  profileId: z.string().optional(),
  channelId: ChannelId.optional(),
  channelIds: z.array(ChannelId).default([]),
  fileId: z.string().optional(),
  userType: UserType.optional(),
});
export type JobIdentity = z.infer<typeof JobIdentity>;

export const identityKey = (jobId: string) => `jobIdentity:${jobId}`;

export function identityOf(job: JobMeta): JobIdentity {
  return JobIdentity.parse({
    kind: job.kind,
    backend: job.backend,
    profileId: job.profileId,
    channelId: job.channelId,
    channelIds: job.channelIds,
    fileId: job.fileId,
    userType: job.userType,
  });
}

/** Records a new job's identity; false when one is already recorded for that ID (it is never replaced). */
export const fixJobIdentity = (job: JobMeta): Promise<boolean> => kv.add(identityKey(job.id), identityOf(job));

/** The identity recorded at creation; undefined when none is, or it does not parse. */
export async function jobIdentity(jobId: string): Promise<JobIdentity | undefined> {
  const parsed = JobIdentity.safeParse(await kv.get(identityKey(jobId)));
  return parsed.success ? parsed.data : undefined;
}

export const forgetJobIdentity = (jobId: string): Promise<void> => kv.remove(identityKey(jobId));

/** Where a record differs from its identity: the field names (empty when it matches). */
export function identityChanges(job: JobMeta, identity: JobIdentity): string[] {
  const now = identityOf(job);
  const fields = ['kind', 'backend', 'profileId', 'channelId', 'channelIds', 'fileId', 'userType'] as const;
  return fields.filter((f) => {
    if (f === 'backend' && identity.backend === undefined) return false; // pinned when it first runs
    return JSON.stringify(now[f]) !== JSON.stringify(identity[f]);
  });
}
