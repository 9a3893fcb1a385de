import { z } from 'zod';
import { AppError } from '../app-error';
import { countErrorRows, type RowError } from '../csv/validate';
import { batchLength } from './batch';
import { BATCH_SIZE, jobItemSchema, RowErrorInput, type JobBackend, type JobMeta, type NewJob } from './model';
import type { JobStore } from './store';

/*
 * A job before it runs: created as a draft, then its items and the dry run's
 * rejected rows arrive, each edit of one draft after the other. The runner
 * (runner.ts) starts a draft once all of its items have arrived.
 *
 * Two ways in. The workspace page shares the background's origin and IndexedDB:
 * it writes the whole input straight into the job store (`JobStore.putInput`) and
 * hands over only the job id; `seal` checks that input once, when the draft starts,
 * and refuses a draft whose input is missing or malformed (nothing is sent). Or
 * chunk by chunk through `addItems` (messages), each chunk checked on arrival.
 * Content scripts cannot reach the extension's IndexedDB: only extension pages
 * can write a job's input, as only they may send job commands.
 */

export interface DraftDeps {
  store: JobStore;
  now: () => number;
  /** The backend new jobs of a profile are pinned to (that profile's sandbox setting; the active one's if none). */
  currentBackend: (profileId?: string) => Promise<JobBackend>;
  /** The profile new jobs record (the active one); absent: none recorded (the `default` profile). */
  currentProfile?: () => Promise<string>;
  /** The job, running or stored; an `unknown_job` AppError when there is none. */
  mustGet: (jobId: string) => Promise<JobMeta>;
  /** Whether a run of the job has begun (a started draft is no longer one). */
  isActive: (jobId: string) => boolean;
  /** Writes the job's state; false when it is no longer stored. */
  save: (job: JobMeta) => Promise<boolean>;
}

/** A draft whose input has not all arrived cannot start. */
export function assertComplete(job: JobMeta) {
  if (job.status === 'draft' && job.received < job.total)
    throw new AppError('job_incomplete', 'job input is incomplete');
}

export function createDrafts(deps: DraftDeps) {
  const { store, now } = deps;

  /** Draft edits (items, rejected rows) of one job, one after the other: each is a read-modify-write. */
  const draftChains = new Map<string, Promise<unknown>>();
  function draftEdit<T>(jobId: string, fn: () => Promise<T>): Promise<T> {
    const next = (draftChains.get(jobId) ?? Promise.resolve()).then(fn, fn);
    const tail = next.catch(() => undefined);
    draftChains.set(jobId, tail);
    void tail.then(() => {
      if (draftChains.get(jobId) === tail) draftChains.delete(jobId);
    });
    return next;
  }

  async function mustDraft(jobId: string): Promise<JobMeta> {
    const job = await deps.mustGet(jobId);
    // A started draft is no longer one, even before its run has written "running".
    if (job.status !== 'draft' || deps.isActive(jobId)) throw new AppError('job_not_draft', 'job is not a draft');
    return job;
  }

  async function saveDraft(job: JobMeta) {
    if (!(await deps.save(job))) throw new AppError('unknown_job', `unknown job ${job.id}`);
  }

  return {
    /** A draft job; its items arrive with `addItems`, then `start` runs it. */
    async create(input: NewJob, extra: Pick<JobMeta, 'audienceId' | 'profileId'> = {}): Promise<JobMeta> {
      const batchSize = BATCH_SIZE[input.kind];
      const profileId = extra.profileId ?? (deps.currentProfile ? await deps.currentProfile() : undefined);
      const job: JobMeta = {
        id: `${input.kind}-${now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        kind: input.kind,
        status: 'draft',
        // The job's own profile decides: an audience's re-check or upload under profile B is not sent to the sandbox
        // because the active profile A is in it (nor B's demo job to Kakao).
        backend: await deps.currentBackend(extra.profileId),
        ...(profileId ? { profileId } : {}),
        createdAt: now(),
        updatedAt: now(),
        channelId: input.channelId,
        channelIds: input.channelIds ?? [],
        fileId: input.fileId,
        fileName: input.fileName,
        userType: input.userType,
        ...(extra.audienceId ? { audienceId: extra.audienceId } : {}),
        total: input.total,
        received: 0,
        rejected: 0,
        errorRows: 0,
        duplicates: 0,
        batchSize,
        batches: Math.ceil(input.total / batchSize),
        doneBatches: 0,
        doneItems: 0,
        failedItems: 0,
        requestCount: 0,
        successCount: 0,
        relations: {},
        apiCalls: 0,
        retries: 0,
        doneAtResume: 0,
        uncertainBatches: 0,
        uncertainItems: 0,
        noCountBatches: 0,
        noCountItems: 0,
        reconcileAcknowledged: false,
      };
      await store.saveJob(job);
      return job;
    },

    /**
     * Stores items starting at `offset`. Chunks must start on a batch boundary,
     * so a chunk sent twice (a retried message) overwrites itself, never doubles.
     */
    addItems(jobId: string, offset: number, items: unknown[]): Promise<JobMeta> {
      return draftEdit(jobId, async () => {
        const job = await mustDraft(jobId);
        if (offset % job.batchSize !== 0 || offset + items.length > job.total)
          throw new AppError('chunk_misaligned', 'chunk is not on a batch boundary');
        if (items.length % job.batchSize !== 0 && offset + items.length !== job.total)
          throw new AppError('chunk_misaligned', 'chunk must fill whole batches');
        for (let i = 0; i < items.length; i += job.batchSize) {
          await store.putItems(jobId, (offset + i) / job.batchSize, items.slice(i, i + job.batchSize));
        }
        // Received = the items of the batches actually stored (each one whole), so a hand-over with a gap never reaches
        // the total.
        const stored = await store.itemBatches(jobId);
        job.received = [...stored].filter((i) => i < job.batches).reduce((sum, i) => sum + batchLength(job, i), 0);
        await saveDraft(job);
        return job;
      });
    },

    /**
     * A draft about to start whose input was written straight into the store: every batch must be
     * there, whole, and every item well-formed (checked here, once); the rejected rows are counted.
     * Sets `received`, so a draft checked once is never checked again.
     */
    seal(jobId: string, keep = 0): Promise<{ job: JobMeta; first?: Map<number, unknown[]> }> {
      return draftEdit(jobId, async () => {
        const job = await mustDraft(jobId);
        if (job.received >= job.total) return { job }; // arrived through addItems, checked chunk by chunk
        // The items and the rejected rows are read together (two round trips to the store at once).
        const [stored, rejectedRows] = await Promise.all([
          store.itemRange(jobId, 0, job.batches),
          store.rejected(jobId),
        ]);
        const schema = z.array(jobItemSchema(job));
        /** The first `keep` batches as checked: the run sends them without reading them again. */
        const first = new Map<number, unknown[]>();
        for (let index = 0; index < job.batches; index++) {
          const items = stored.get(index);
          if (!items || items.length !== batchLength(job, index))
            throw new AppError('job_incomplete', 'job input is incomplete');
          const parsed = schema.safeParse(items);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            const item = typeof issue?.path[0] === 'number' ? index * job.batchSize + issue.path[0] + 1 : 0;
            const where = [
              `batch ${index + 1} of ${job.batches}`,
              item ? `item ${item}` : '',
              ...(issue?.path ?? []).slice(1),
            ];
            throw new AppError(
              'job_input_invalid',
              `invalid item (${where.filter((w) => w !== '').join(', ')}): ${issue?.message ?? ''}`,
            );
          }
          if (index < keep) first.set(index, parsed.data);
        }
        const rejected = z.array(RowErrorInput).safeParse(rejectedRows);
        if (!rejected.success)
          throw new AppError('job_input_invalid', `invalid rejected row: ${rejected.error.issues[0]?.message ?? ''}`);
        const rows: RowError[] = rejected.data;
        job.rejected = rows.length;
        job.errorRows = countErrorRows(rows);
        job.duplicates = rows.filter((e) => e.code === 'duplicate').length;
        job.received = job.total;
        await saveDraft(job);
        return { job, first };
      });
    },

    /** Rows the dry run rejected, kept for the report; like items, only while the job is a draft. */
    addRejected(jobId: string, index: number, errors: RowError[]): Promise<JobMeta> {
      return draftEdit(jobId, async () => {
        const job = await mustDraft(jobId);
        await store.addRejected(jobId, index, errors);
        const rejected = await store.rejected(jobId);
        job.rejected = rejected.length;
        job.errorRows = countErrorRows(rejected);
        job.duplicates = rejected.filter((e) => e.code === 'duplicate').length;
        await saveDraft(job);
        return job;
      });
    },
  };
}
