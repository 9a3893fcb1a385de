import pLimit from 'p-limit';
import type { FileUser, KakaoClient } from '../kakao/client';
import { toKakaoError } from '../kakao/errors';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../kakao/retry';
import type { UserRelationship } from '../kakao/schemas';
import { BATCH_SIZE, type BatchResult, type CheckRow, type JobKind, type JobMeta, type RelationCounts } from './model';
import type { JobStore } from './store';

/*
 * How a job runs, and how it resumes. The runner sends a job's unconfirmed
 * batches through one shared concurrency limit; each answer is stored as that
 * batch's result (the checkpoint) before the job's counters move. When the
 * worker stops, in-flight batches simply have no result yet; a new runner built
 * on the same store sends exactly those again and never a confirmed one.
 *
 * Temporary failures (5xx, -1, -603, timeouts, network) are retried with backoff
 * and jitter by withRetry. Anything else (-10 quota, -401 key, bad input), or a
 * temporary failure that outlasts the retries, pauses the job with Kakao's
 * explained error; `resume` picks it up once the cause is fixed.
 */

export type JobClient = Pick<KakaoClient, 'addUsers' | 'deleteUsers' | 'checkRelationships'>;

export interface JobRunnerDeps {
  client: JobClient;
  store: JobStore;
  now?: () => number;
  retry?: RetryPolicy;
  /** Parallel API calls across all jobs (the `concurrency` setting). */
  concurrency: () => Promise<number>;
  /** Told when the runner goes from idle to busy and back (keep-alive alarms). */
  onBusyChange?: (busy: boolean) => void;
}

export interface NewJob {
  kind: JobKind;
  total: number;
  channelId?: string;
  channelIds?: string[];
  fileId?: string;
  fileName?: string;
  userType?: 'app' | 'phone';
}

const emptyCounts = (): RelationCounts => ({ ADDED: 0, BLOCKED: 0, NONE: 0, UNKNOWN: 0 });

/** Turns /multi's answer into one row per asked ID, in the order asked; a user Kakao left out is UNKNOWN. */
export function checkRows(ids: readonly string[], channelIds: readonly string[], answer: readonly UserRelationship[]): CheckRow[] {
  const byUser = new Map(answer.map((u) => [u.user_id, u]));
  return ids.map((id) => {
    const user = byUser.get(id);
    const cells = channelIds.flatMap((channelId) => {
      const c = user?.channels.find((x) => x.channel_public_id === channelId);
      return [c?.relation ?? 'UNKNOWN', c?.updated_at ?? ''];
    });
    return [id, ...cells] as CheckRow;
  });
}

export function createJobRunner(deps: JobRunnerDeps) {
  const now = deps.now ?? Date.now;
  const policy = deps.retry ?? DEFAULT_RETRY;
  const limit = pLimit(4);
  const active = new Map<string, { controller: AbortController; finished: Promise<void>; job: JobMeta }>();
  let stopped = false;

  const setBusy = () => deps.onBusyChange?.(active.size > 0);

  async function send(job: JobMeta, index: number, signal: AbortSignal): Promise<BatchResult> {
    const common = { fileId: job.fileId!, channelId: job.channelId!, userType: job.userType ?? 'app' };
    if (job.kind === 'upload') {
      const users = await deps.store.getItems<FileUser>(job.id, index);
      const r = await deps.client.addUsers({ ...common, users }, { signal });
      return { requestCount: r.request_count, successCount: r.success_count };
    }
    const ids = await deps.store.getItems<string>(job.id, index);
    if (job.kind === 'delete') {
      const r = await deps.client.deleteUsers({ ...common, userIds: ids }, { signal });
      return { requestCount: r.request_count, successCount: r.success_count };
    }
    const answer = await deps.client.checkRelationships({ userIds: ids, channelIds: job.channelIds }, { signal });
    const rows = checkRows(ids, job.channelIds, answer);
    const answered = rows.filter((r) => r.slice(1).some((cell, i) => i % 2 === 0 && cell !== 'UNKNOWN')).length;
    return { requestCount: ids.length, successCount: answered, rows };
  }

  /** Folds one confirmed batch into the job's counters. */
  function count(job: JobMeta, result: BatchResult) {
    job.doneBatches++;
    job.doneItems += result.requestCount;
    job.requestCount += result.requestCount;
    job.successCount += result.successCount;
    job.failedItems += result.requestCount - result.successCount;
    for (const row of result.rows ?? []) {
      job.channelIds.forEach((channelId, i) => {
        const relation = row[1 + i * 2] as keyof RelationCounts;
        const counts = (job.relations[channelId] ??= emptyCounts());
        counts[relation in counts ? relation : 'UNKNOWN']++;
      });
    }
  }

  /** Counters rebuilt from the stored results: the truth after a restart. */
  async function recount(job: JobMeta): Promise<Set<number>> {
    const results = await deps.store.results(job.id);
    Object.assign(job, { doneBatches: 0, doneItems: 0, requestCount: 0, successCount: 0, failedItems: 0, relations: {} });
    for (const result of results.values()) count(job, result);
    return new Set(results.keys());
  }

  async function save(job: JobMeta) {
    if (stopped) return; // a stopped worker writes nothing more
    job.updatedAt = now();
    await deps.store.saveJob({ ...job, relations: structuredClone(job.relations) });
  }

  /**
   * Progress writes, coalesced per job: while one write is in flight, batches
   * confirmed meanwhile are folded into a single next write. Each caller's promise
   * resolves after a write that includes its changes. (One storage.local write per
   * batch, each re-read and re-parsed, was a third of the time a 100,000-ID check took.)
   */
  const progressWrites = new Map<string, { dirty: boolean; running: Promise<void> }>();
  function saveProgress(job: JobMeta): Promise<void> {
    const pending = progressWrites.get(job.id);
    if (pending) {
      pending.dirty = true;
      return pending.running;
    }
    const entry = { dirty: true, running: Promise.resolve() };
    entry.running = (async () => {
      try {
        while (entry.dirty) {
          entry.dirty = false;
          await save(job);
        }
      } finally {
        progressWrites.delete(job.id);
      }
    })();
    progressWrites.set(job.id, entry);
    return entry.running;
  }

  async function execute(job: JobMeta, controller: AbortController) {
    const confirmed = await recount(job);
    job.status = 'running';
    job.pause = undefined;
    job.resumedAt = now();
    job.doneAtResume = job.doneItems;
    await save(job);
    limit.concurrency = Math.max(1, await deps.concurrency());

    const pending: number[] = [];
    for (let i = 0; i < job.batches; i++) if (!confirmed.has(i)) pending.push(i);

    await Promise.all(
      pending.map(async (index) => {
        const pauseWith = async (err: unknown) => {
          const error = toKakaoError(err);
          if (error.code === 'cancelled' || controller.signal.aborted) return;
          job.status = 'paused';
          job.pause = error.toInfo();
          controller.abort();
          await save(job);
        };
        try {
          // The concurrency slot is held only while Kakao is asked (and, on a failure,
          // until the job is paused, so no further batch starts): storing the answer and
          // the progress write happen after the slot is free for the next batch.
          const result = await limit(async () => {
            if (controller.signal.aborted) return undefined;
            try {
              return await withRetry(
                (attempt) => {
                  job.apiCalls++;
                  if (attempt > 0) job.retries++;
                  return send(job, index, controller.signal);
                },
                policy,
                controller.signal,
              );
            } catch (err) {
              await pauseWith(err);
              return undefined;
            }
          });
          if (!result || stopped) return;
          await deps.store.completeBatch(job.id, index, result); // the checkpoint
          count(job, result);
          await saveProgress(job);
        } catch (err) {
          await pauseWith(err);
        }
      }),
    );
    await progressWrites.get(job.id)?.running;
    if (job.status === 'running' && job.doneBatches === job.batches) {
      job.status = 'done';
      job.finishedAt = now();
      await save(job);
    }
  }

  function launch(job: JobMeta): Promise<void> {
    const existing = active.get(job.id);
    if (existing) return existing.finished;
    const controller = new AbortController();
    const finished = execute(job, controller)
      .catch(async (err) => {
        job.status = 'paused';
        job.pause = toKakaoError(err).toInfo();
        await save(job);
      })
      .finally(() => {
        active.delete(job.id);
        setBusy();
      });
    active.set(job.id, { controller, finished, job });
    setBusy();
    return finished;
  }

  async function mustGet(id: string): Promise<JobMeta> {
    const job = active.get(id)?.job ?? (await deps.store.getJob(id));
    if (!job) throw new Error(`unknown job ${id}`);
    return job;
  }

  return {
    /** A draft job; its items arrive with `addItems`, then `start` runs it. */
    async create(input: NewJob): Promise<JobMeta> {
      const batchSize = BATCH_SIZE[input.kind];
      const job: JobMeta = {
        id: `${input.kind}-${now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        kind: input.kind,
        status: 'draft',
        createdAt: now(),
        updatedAt: now(),
        channelId: input.channelId,
        channelIds: input.channelIds ?? [],
        fileId: input.fileId,
        fileName: input.fileName,
        userType: input.userType,
        total: input.total,
        received: 0,
        rejected: 0,
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
      };
      await deps.store.saveJob(job);
      return job;
    },

    /**
     * Stores items starting at `offset`. Chunks must start on a batch boundary,
     * so a chunk sent twice (a retried message) overwrites itself, never doubles.
     */
    async addItems(jobId: string, offset: number, items: unknown[]): Promise<JobMeta> {
      const job = await mustGet(jobId);
      if (job.status !== 'draft') throw new Error('job is not a draft');
      if (offset % job.batchSize !== 0 || offset + items.length > job.total) throw new Error('chunk is not on a batch boundary');
      if (items.length % job.batchSize !== 0 && offset + items.length !== job.total) throw new Error('chunk must fill whole batches');
      for (let i = 0; i < items.length; i += job.batchSize) {
        await deps.store.putItems(jobId, (offset + i) / job.batchSize, items.slice(i, i + job.batchSize));
      }
      job.received = Math.max(job.received, offset + items.length);
      await save(job);
      return job;
    },

    /** Starts a complete draft, or resumes a paused job. Resolves when it stops (done, paused, cancelled). */
    async start(jobId: string): Promise<JobMeta> {
      const job = await mustGet(jobId);
      if (job.status === 'draft' && job.received < job.total) throw new Error('job input is incomplete');
      if (job.status === 'done' || job.status === 'cancelled') return job;
      await launch(job);
      return job;
    },

    /** Starts without waiting for the end (message handlers answer at once). */
    async startInBackground(jobId: string): Promise<JobMeta> {
      const job = await mustGet(jobId);
      if (job.status === 'draft' && job.received < job.total) throw new Error('job input is incomplete');
      if (job.status === 'done' || job.status === 'cancelled') return job;
      void launch(job);
      return { ...job, status: 'running' };
    },

    async pause(jobId: string): Promise<JobMeta> {
      const job = await mustGet(jobId);
      const run = active.get(jobId);
      if (run) {
        run.controller.abort();
        await run.finished;
      }
      if (job.status === 'running') {
        job.status = 'paused';
        job.pause = undefined;
        await save(job);
      }
      return job;
    },

    async cancel(jobId: string): Promise<JobMeta> {
      const job = await mustGet(jobId);
      const run = active.get(jobId);
      if (run) {
        run.controller.abort();
        await run.finished;
      }
      if (job.status !== 'done') {
        job.status = 'cancelled';
        job.finishedAt = now();
        await save(job);
      }
      return job;
    },

    /** On worker start (and on the keep-alive alarm): every job that was running continues. */
    async resumeRunning(): Promise<void> {
      for (const job of await deps.store.listJobs()) {
        if (job.status === 'running' && !active.has(job.id)) void launch(job);
      }
    },

    /** Resolves when every active job has stopped. */
    async idle(): Promise<void> {
      while (active.size > 0) await Promise.all([...active.values()].map((r) => r.finished));
    },

    isActive: (jobId: string) => active.has(jobId),

    /** The worker is going away: abort in-flight calls and write nothing more (tests use this to simulate a stop). */
    async stop(): Promise<void> {
      stopped = true;
      const runs = [...active.values()];
      for (const run of runs) run.controller.abort();
      await Promise.allSettled(runs.map((r) => r.finished));
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
