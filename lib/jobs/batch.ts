import type { FileUser, KakaoClient } from '../kakao/client';
import { KakaoApiError } from '../kakao/errors';
import type { UserRelationship } from '../kakao/schemas';
import type { UnknownReason } from '../kakao/tolerance';
import { outcomeOf, type BatchResult, type CheckRow, type JobMeta, type RelationCounts } from './model';

/** Where a batch's stored input comes from: the store, or a run's read-ahead (io.ts). */
interface ItemSource {
  get<T>(index: number): Promise<T[]>;
}

/*
 * One batch of a job: its stored input, the Kakao call that sends it, and how its
 * answer folds into the job's counters (count, and recount from the stored results
 * after a restart). The runner (runner.ts) decides when a batch is sent.
 */

export type JobClient = Pick<KakaoClient, 'addUsers' | 'deleteUsers' | 'checkRelationships'>;

/** A call that ended without Kakao's answer: it may have been applied. */
export const answerLost = (code: unknown) => code === 'timeout' || code === 'network' || code === 'cancelled';

const emptyCounts = (): RelationCounts => ({ ADDED: 0, BLOCKED: 0, NONE: 0, UNKNOWN: 0 });

/** How many items batch `index` holds: `batchSize`, except a shorter last one. */
export function batchLength(job: Pick<JobMeta, 'total' | 'batchSize'>, index: number): number {
  return Math.max(0, Math.min(job.batchSize, job.total - index * job.batchSize));
}

/**
 * Turns /multi's answer into one row per asked ID, in the order asked (the answer's order
 * does not matter). A user Kakao left out, answered without channels, or a channel missing
 * from a user's list is UNKNOWN with its reason; the other users of the batch keep theirs.
 */
export function checkRows(
  ids: readonly string[],
  channelIds: readonly string[],
  answer: readonly UserRelationship[],
): CheckRow[] {
  const byUser = new Map(answer.map((u) => [u.user_id, u]));
  return ids.map((id) => {
    const user = byUser.get(id);
    const reasons: string[] = [];
    const cells = channelIds.flatMap((channelId) => {
      const c = user?.channels.find((x) => x.channel_public_id === channelId);
      const reason: UnknownReason | undefined = !user
        ? 'not_answered'
        : (user.reason ?? (c ? c.reason : 'channel_missing'));
      reasons.push(reason ?? '');
      return [c?.relation ?? 'UNKNOWN', c?.updated_at ?? ''];
    });
    return (reasons.some(Boolean) ? [id, ...cells, ...reasons] : [id, ...cells]) as CheckRow;
  });
}

/** A batch's stored input, checked: a missing or short batch is an error, never sent or confirmed as it is. */
async function itemsOf<T>(source: ItemSource, job: JobMeta, index: number): Promise<T[]> {
  const where = `batch ${index + 1} of ${job.batches}`;
  let items: T[];
  try {
    items = await source.get<T>(index);
  } catch (err) {
    throw new KakaoApiError(
      'internal',
      null,
      `${where}: its stored input is missing (${(err as Error).message}); start the job again from its file`,
    );
  }
  const expected = batchLength(job, index);
  if (items.length !== expected)
    throw new KakaoApiError('internal', null, `${where}: ${items.length} items stored, ${expected} expected`);
  return items;
}

/** Sends batch `index` of a job with that job's client; its answer as a batch result. */
export async function sendBatch(
  client: JobClient,
  source: ItemSource,
  job: JobMeta,
  index: number,
  signal: AbortSignal,
  timeoutMs?: number,
): Promise<BatchResult> {
  const common = { fileId: job.fileId!, channelId: job.channelId!, userType: job.userType ?? 'app' };
  const options = { signal, jobId: job.id, ...(timeoutMs ? { timeoutMs } : {}) };
  if (job.kind === 'upload') {
    const users = await itemsOf<FileUser>(source, job, index);
    const r = await client.addUsers({ ...common, users }, options);
    return { requestCount: r.request_count, successCount: r.success_count, outcome: 'applied' };
  }
  const ids = await itemsOf<string>(source, job, index);
  if (job.kind === 'delete') {
    const r = await client.deleteUsers({ ...common, userIds: ids }, options);
    // Kakao took the batch (2XX); without success_count it is "sent, no counts reported": never failed, never resent.
    if (r.success_count === undefined)
      return { requestCount: r.request_count ?? ids.length, successCount: 0, outcome: 'no-counts' };
    return { requestCount: r.request_count ?? ids.length, successCount: r.success_count, outcome: 'applied' };
  }
  const answer = await client.checkRelationships(
    { userIds: ids, channelIds: job.channelIds },
    { signal, jobId: job.id },
  );
  const rows = checkRows(ids, job.channelIds, answer);
  const relationCells = job.channelIds.length * 2;
  const answered = rows.filter((r) =>
    r.slice(1, 1 + relationCells).some((cell, i) => i % 2 === 0 && cell !== 'UNKNOWN'),
  ).length;
  return { requestCount: ids.length, successCount: answered, rows };
}

/** Folds one confirmed batch into the job's counters. */
export function count(job: JobMeta, result: BatchResult) {
  job.doneBatches++;
  job.doneItems += result.requestCount;
  const outcome = outcomeOf(result);
  if (outcome === 'uncertain') {
    job.uncertainBatches++;
    job.uncertainItems += result.requestCount;
  } else if (outcome === 'no-counts') {
    job.noCountBatches++;
    job.noCountItems += result.requestCount;
  } else {
    job.requestCount += result.requestCount;
    job.successCount += result.successCount;
    job.failedItems += result.requestCount - result.successCount;
  }
  for (const row of result.rows ?? []) {
    job.channelIds.forEach((channelId, i) => {
      const relation = row[1 + i * 2] as keyof RelationCounts;
      const counts = (job.relations[channelId] ??= emptyCounts());
      counts[relation in counts ? relation : 'UNKNOWN']++;
    });
  }
}

/** Counters rebuilt from the stored results (except the batches about to be resent): the truth after a restart. */
export function recount(job: JobMeta, results: Map<number, BatchResult>, resend: ReadonlySet<number>) {
  Object.assign(job, {
    doneBatches: 0,
    doneItems: 0,
    requestCount: 0,
    successCount: 0,
    failedItems: 0,
    uncertainBatches: 0,
    uncertainItems: 0,
    noCountBatches: 0,
    noCountItems: 0,
    relations: {},
  });
  for (const [index, result] of results) if (!resend.has(index)) count(job, result);
}
