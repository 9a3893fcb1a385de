import type { FileUser } from '@/lib/kakao/client';
import type { RowError } from '@/lib/csv/validate';
import type { JobMeta } from '@/lib/jobs/model';
import { MAX_ITEMS_PER_MESSAGE } from '@/lib/messages/commands/workspace';
import type { CommandInput } from '@/lib/messages/protocol';
import { call, type CallResult } from '../api';

/**
 * Hands a validated job to the background: create a draft, send the items in
 * whole-batch chunks, attach the dry run's rejected rows, then start it. From
 * then on the job runs in the background and the page only watches it.
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
  const chunk = job.batchSize * Math.max(1, Math.floor(MAX_ITEMS_PER_MESSAGE / job.batchSize));
  for (let offset = 0; offset < items.length; offset += chunk) {
    const r = await call('addJobItems', {
      jobId: job.id,
      offset,
      items: items.slice(offset, offset + chunk) as FileUser[],
    });
    if (!r.ok) return r;
    onSent?.(Math.min(items.length, offset + chunk));
  }
  for (let i = 0; i * MAX_ITEMS_PER_MESSAGE < rejected.length; i++) {
    const errors = rejected
      .slice(i * MAX_ITEMS_PER_MESSAGE, (i + 1) * MAX_ITEMS_PER_MESSAGE)
      .map((e) => ({ ...e, value: e.value.slice(0, 1000) }));
    const r = await call('addJobRejected', { jobId: job.id, index: i, errors });
    if (!r.ok) return r;
  }
  return call('startJob', { jobId: job.id });
}
