import type { FileUser } from '@/lib/kakao/client';
import type { RowError } from '@/lib/csv/validate';
import { errorInfo } from '@/lib/kakao/errors';
import type { JobMeta } from '@/lib/jobs/model';
import { createJobStore } from '@/lib/jobs/store';
import type { CommandInput } from '@/lib/messages/protocol';
import { call, type CallResult } from '../api';

/** This page's handle on the job store (the extension's IndexedDB, shared with the background). */
const store = createJobStore();

/**
 * Hands a validated job to the background: create a draft, write its items and the
 * dry run's rejected rows straight into the job store (this page shares the
 * background's IndexedDB), then start it by id. The background checks that input
 * once as the draft starts (lib/jobs/drafts.ts `seal`) and refuses it, explained, when
 * it is incomplete or malformed. From then on the job runs in the background and
 * the page only watches it.
 */
export async function submitJob(
  spec: CommandInput<'createJob'>,
  items: readonly (FileUser | string)[],
  rejected: readonly RowError[],
  onSent?: (sent: number) => void,
): Promise<CallResult<JobMeta>> {
  const created = await call('createJob', spec);
  if (!created.ok) return created;
  const job = created.value;
  try {
    await store.putInput(
      job.id,
      job.batchSize,
      items,
      rejected.map((e) => (e.value.length > 1000 ? { ...e, value: e.value.slice(0, 1000) } : e)),
    );
  } catch (err) {
    return { ok: false, error: errorInfo(err) };
  }
  onSent?.(items.length);
  return call('startJob', { jobId: job.id });
}
