import pLimit from 'p-limit';
import type { FileUser, KakaoClient } from '../kakao/client';
import { KakaoApiError, toKakaoError } from '../kakao/errors';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../kakao/retry';
import type { UserRelationship } from '../kakao/schemas';
import type { UnknownReason } from '../kakao/tolerance';
import { countErrorRows, type RowError } from '../csv/validate';
import {
  BATCH_SIZE,
  needsReconciliation,
  outcomeOf,
  type BatchResult,
  type CheckRow,
  type JobBackend,
  type JobMeta,
  type JobStatus,
  type NewJob,
  type RelationCounts,
} from './model';
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
 *
 * Customer-file batches (upload/delete) are honest about what Kakao may have done:
 * - Before a file batch is sent it is stored `uncertain` (the in-flight marker). A
 *   Kakao answer replaces it (applied, or for a delete without counts, `no-counts`);
 *   an error Kakao answered removes it (nothing was applied). A call that timed out,
 *   lost its connection, or was in flight when the job or worker stopped stays
 *   `uncertain`: the job goes on with its other batches, then pauses saying so.
 * - On resume an uncertain add batch is resent (adding is an upsert); an uncertain
 *   delete batch only with `resendUncertain: true` (the manager confirmed). A delete
 *   is never retried after a timeout or a lost connection.
 * - Reconciliation: a batch Kakao applied to none or fewer than half of its users
 *   stops the job after that batch (no new batch starts; calls in flight finish). The
 *   first batch of a file job is sent alone, so a job that is wrong from its first row
 *   costs one call. Resuming acknowledges it: low counts no longer pause that job.
 *
 * A job is pinned to the backend (sandbox or real) it was created on: every call
 * of that job goes to that backend's client, whatever the sandbox setting says later.
 *
 * Pause, cancel and delete are final: the new status is written while the run
 * still counts as active, and every (re)launch re-reads the stored job first, so a
 * keep-alive resume can neither restart a job being stopped nor bring back a deleted one.
 */

export type JobClient = Pick<KakaoClient, 'addUsers' | 'deleteUsers' | 'checkRelationships'>;

export interface JobRunnerDeps {
  /** The client of jobs on the "real" backend (and of every job when `clientFor` is not given). */
  client: JobClient;
  /** The client for a backend; each job uses its own backend's for every call. */
  clientFor?: (backend: JobBackend) => JobClient;
  /** The backend new jobs are pinned to (the sandbox setting at that moment); "real" when not given. */
  currentBackend?: () => Promise<JobBackend>;
  store: JobStore;
  now?: () => number;
  retry?: RetryPolicy;
  /** Parallel API calls across all jobs (the `concurrency` setting). */
  concurrency: () => Promise<number>;
  /** Told when the runner goes from idle to busy and back (keep-alive alarms). */
  onBusyChange?: (busy: boolean) => void;
  /** The timeout of customer-file calls (the `fileTimeoutSeconds` setting); the client's default when not given. */
  fileTimeoutMs?: () => Promise<number>;
}

/** How a paused job resumes. */
export interface StartOptions {
  /**
   * Delete jobs with uncertain batches: `true` resends them (the manager confirmed), `false` finishes
   * without resending them (they stay uncertain in the report). Absent: they are not resent, and the job
   * pauses again at the end so the manager can choose. Uncertain add batches are always resent.
   */
  resendUncertain?: boolean;
}

/** A call that ended without Kakao's answer: it may have been applied. */
const answerLost = (code: unknown) => code === 'timeout' || code === 'network' || code === 'cancelled';

export type { NewJob } from './model';

const emptyCounts = (): RelationCounts => ({ ADDED: 0, BLOCKED: 0, NONE: 0, UNKNOWN: 0 });

/** How many items batch `index` holds: `batchSize`, except a shorter last one. */
export function batchLength(job: Pick<JobMeta, 'total' | 'batchSize'>, index: number): number {
  return Math.max(0, Math.min(job.batchSize, job.total - index * job.batchSize));
}

interface Run {
  controller: AbortController;
  finished: Promise<void>;
  job: JobMeta;
  /** A pause, cancel or delete is under way: the run writes no status of its own any more. */
  stopping: boolean;
  /** That stop's own write; the run stays active (not relaunchable) until it has landed. */
  hold?: Promise<unknown>;
  /** A batch needs reconciling: no new batch starts, calls in flight finish, then the job pauses. */
  halt?: boolean;
}

/**
 * Turns /multi's answer into one row per asked ID, in the order asked (the answer's order
 * does not matter). A user Kakao left out, answered without channels, or a channel missing
 * from a user's list is UNKNOWN with its reason; the other users of the batch keep theirs.
 */
export function checkRows(ids: readonly string[], channelIds: readonly string[], answer: readonly UserRelationship[]): CheckRow[] {
  const byUser = new Map(answer.map((u) => [u.user_id, u]));
  return ids.map((id) => {
    const user = byUser.get(id);
    const reasons: string[] = [];
    const cells = channelIds.flatMap((channelId) => {
      const c = user?.channels.find((x) => x.channel_public_id === channelId);
      const reason: UnknownReason | undefined = !user ? 'not_answered' : user.reason ?? (c ? c.reason : 'channel_missing');
      reasons.push(reason ?? '');
      return [c?.relation ?? 'UNKNOWN', c?.updated_at ?? ''];
    });
    return (reasons.some(Boolean) ? [id, ...cells, ...reasons] : [id, ...cells]) as CheckRow;
  });
}

export function createJobRunner(deps: JobRunnerDeps) {
  const now = deps.now ?? Date.now;
  const policy = deps.retry ?? DEFAULT_RETRY;
  const limit = pLimit(4);
  const active = new Map<string, Run>();
  let stopped = false;
  const clientOf = (job: JobMeta): JobClient => (job.backend && deps.clientFor ? deps.clientFor(job.backend) : deps.client);
  const currentBackend = deps.currentBackend ?? (async () => 'real' as const);

  /** A batch's stored input, checked: a missing or short batch is an error, never sent or confirmed as it is. */
  async function itemsOf<T>(job: JobMeta, index: number): Promise<T[]> {
    const where = `batch ${index + 1} of ${job.batches}`;
    let items: T[];
    try {
      items = await deps.store.getItems<T>(job.id, index);
    } catch (err) {
      throw new KakaoApiError('internal', null, `${where}: its stored input is missing (${(err as Error).message}); start the job again from its file`);
    }
    const expected = batchLength(job, index);
    if (items.length !== expected) throw new KakaoApiError('internal', null, `${where}: ${items.length} items stored, ${expected} expected`);
    return items;
  }

  const setBusy = () => deps.onBusyChange?.(active.size > 0);

  async function send(job: JobMeta, index: number, signal: AbortSignal, timeoutMs?: number): Promise<BatchResult> {
    const common = { fileId: job.fileId!, channelId: job.channelId!, userType: job.userType ?? 'app' };
    const client = clientOf(job);
    const options = { signal, jobId: job.id, ...(timeoutMs ? { timeoutMs } : {}) };
    if (job.kind === 'upload') {
      const users = await itemsOf<FileUser>(job, index);
      const r = await client.addUsers({ ...common, users }, options);
      return { requestCount: r.request_count, successCount: r.success_count, outcome: 'applied' };
    }
    const ids = await itemsOf<string>(job, index);
    if (job.kind === 'delete') {
      const r = await client.deleteUsers({ ...common, userIds: ids }, options);
      // Kakao took the batch (2XX); without success_count it is "sent, no counts reported": never failed, never resent.
      if (r.success_count === undefined) return { requestCount: r.request_count ?? ids.length, successCount: 0, outcome: 'no-counts' };
      return { requestCount: r.request_count ?? ids.length, successCount: r.success_count, outcome: 'applied' };
    }
    const answer = await client.checkRelationships({ userIds: ids, channelIds: job.channelIds }, { signal, jobId: job.id });
    const rows = checkRows(ids, job.channelIds, answer);
    const relationCells = job.channelIds.length * 2;
    const answered = rows.filter((r) => r.slice(1, 1 + relationCells).some((cell, i) => i % 2 === 0 && cell !== 'UNKNOWN')).length;
    return { requestCount: ids.length, successCount: answered, rows };
  }

  /** Folds one confirmed batch into the job's counters. */
  function count(job: JobMeta, result: BatchResult) {
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
  function recount(job: JobMeta, results: Map<number, BatchResult>, resend: ReadonlySet<number>) {
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

  /** Writes a stored job's state; false when it is no longer stored (deleted): its run, if any, stops. */
  async function save(job: JobMeta): Promise<boolean> {
    if (stopped) return true; // a stopped worker writes nothing more
    job.updatedAt = now();
    const kept = await deps.store.updateJob({ ...job, relations: structuredClone(job.relations) });
    if (!kept) {
      const run = active.get(job.id);
      if (run?.job === job) {
        run.stopping = true;
        run.controller.abort();
      }
    }
    return kept;
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

  async function execute(run: Run, allowed: readonly JobStatus[], options: StartOptions) {
    const { job, controller } = run;
    // The stored job is the truth: it may have been paused, cancelled or deleted since it was read.
    const stored = await deps.store.getJob(job.id);
    if (!stored || !allowed.includes(stored.status) || run.stopping) return;
    Object.assign(job, stored);
    job.backend ??= await currentBackend(); // a job stored before backends were pinned keeps the one it resumes on
    const isFile = job.kind !== 'check';
    const results = await deps.store.results(job.id);
    // Uncertain batches sent again this run: every add (an upsert), a delete only when the manager confirmed.
    const resend = new Set<number>();
    for (const [index, result] of results) {
      if (outcomeOf(result) === 'uncertain' && (job.kind === 'upload' || options.resendUncertain === true)) resend.add(index);
    }
    recount(job, results, resend);
    if (run.stopping) return;
    // Resuming after a reconciliation pause is the manager's "go on": low counts no longer pause this job.
    if (stored.status === 'paused' && stored.reconcile) job.reconcileAcknowledged = true;
    job.reconcile = undefined;
    job.status = 'running';
    job.pause = undefined;
    job.resumedAt = now();
    job.doneAtResume = job.doneItems;
    if (!(await save(job))) return;
    limit.concurrency = Math.max(1, await deps.concurrency());
    const timeoutMs = isFile ? await deps.fileTimeoutMs?.() : undefined;

    const pending: number[] = [];
    for (let i = 0; i < job.batches; i++) if (!results.has(i) || resend.has(i)) pending.push(i);

    const pauseWith = async (err: unknown) => {
      const error = toKakaoError(err);
      if (error.code === 'cancelled' || controller.signal.aborted || run.stopping) return;
      job.status = 'paused';
      job.pause = error.toInfo();
      controller.abort();
      await save(job);
    };
    // A delete whose answer was lost is not sent again without the manager's word: no retry on timeouts or lost connections.
    const shouldRetry = job.kind === 'delete' ? (e: { code: unknown }) => !answerLost(e.code) : undefined;

    const runBatch = async (index: number) => {
      try {
        // The concurrency slot is held only while Kakao is asked (and, on a failure,
        // until the job is paused, so no further batch starts): storing the answer and
        // the progress write happen after the slot is free for the next batch.
        const result = await limit(async (): Promise<BatchResult | undefined> => {
          if (controller.signal.aborted || run.stopping || run.halt) return undefined; // no new batch once a stop began
          const uncertain: BatchResult = { requestCount: batchLength(job, index), successCount: 0, outcome: 'uncertain' };
          if (isFile) await deps.store.completeBatch(job.id, index, uncertain); // in flight: uncertain until Kakao answers
          let lost = false;
          try {
            const answer = await withRetry(
              async (attempt) => {
                job.apiCalls++;
                if (attempt > 0) job.retries++;
                try {
                  return await send(job, index, controller.signal, timeoutMs);
                } catch (err) {
                  if (answerLost(toKakaoError(err).code)) lost = true;
                  throw err;
                }
              },
              policy,
              controller.signal,
              shouldRetry,
            );
            // Decided before the slot is free, so no further batch starts after one that needs reconciling.
            // A resent uncertain batch is exempt: its first send may already have applied it.
            if (isFile && !job.reconcileAcknowledged && !resend.has(index) && needsReconciliation(answer)) run.halt = true;
            return answer;
          } catch (err) {
            if (isFile && lost) {
              // Kakao may have applied it: it stays uncertain. A stop's abort writes nothing more.
              return controller.signal.aborted || run.stopping || stopped ? undefined : uncertain;
            }
            if (isFile && !stopped) await deps.store.dropResult(job.id, index); // Kakao answered with an error: nothing applied
            await pauseWith(err);
            return undefined;
          }
        });
        if (!result || stopped || run.stopping) return;
        await deps.store.completeBatch(job.id, index, result); // the checkpoint
        count(job, result);
        if (run.halt && !job.reconcile && !job.reconcileAcknowledged && !resend.has(index) && needsReconciliation(result)) {
          const items = await deps.store.getItems<FileUser | string>(job.id, index).catch(() => []);
          job.reconcile = {
            batch: index,
            requestCount: result.requestCount,
            successCount: result.successCount,
            sample: items.slice(0, 5).map((item) => (typeof item === 'string' ? item : item.id)),
          };
        }
        await saveProgress(job);
      } catch (err) {
        await pauseWith(err);
      }
    };

    // A file job's first batch goes alone: if Kakao applies none of it, the job stops after one call.
    let rest = pending;
    if (isFile && pending.length > 1) {
      await runBatch(pending[0]!);
      rest = pending.slice(1);
    }
    await Promise.all(rest.map(runBatch));
    await progressWrites.get(job.id)?.running;
    if (job.status !== 'running' || run.stopping || stopped) return;
    if (job.reconcile) {
      job.status = 'paused'; // reconciliation: the manager looks at the batch, then resumes or cancels
      await save(job);
    } else if (job.doneBatches === job.batches) {
      // Uncertain batches: an upload resends them on resume; a delete asks first (or finishes when told to keep them).
      if (job.uncertainBatches > 0 && !(job.kind === 'delete' && options.resendUncertain === false)) {
        job.status = 'paused';
      } else {
        job.status = 'done';
        job.finishedAt = now();
      }
      await save(job);
    }
  }

  /** Runs a job if its stored status is one of `allowed` (checked again when the run begins). */
  function launch(job: JobMeta, allowed: readonly JobStatus[], options: StartOptions = {}): Promise<void> {
    const existing = active.get(job.id);
    if (existing) return existing.finished;
    const run: Run = { controller: new AbortController(), finished: Promise.resolve(), job, stopping: false };
    run.finished = execute(run, allowed, options)
      .catch(async (err) => {
        if (run.stopping) return;
        job.status = 'paused';
        job.pause = toKakaoError(err).toInfo();
        await save(job);
      })
      .finally(async () => {
        await run.hold?.catch(() => undefined);
        await settleCounts(job.id).catch(() => undefined);
        active.delete(job.id);
        setBusy();
      });
    active.set(job.id, run);
    setBusy();
    return run.finished;
  }

  /**
   * Stops a job for good: `write` (the new status, or the deletion) lands while the
   * run still counts as active, and only then is the run aborted.
   */
  async function stopWith(jobId: string, write: (job: JobMeta | undefined) => Promise<unknown>): Promise<void> {
    const run = active.get(jobId);
    if (!run) {
      await write(await deps.store.getJob(jobId));
      return;
    }
    run.stopping = true;
    run.hold = write(run.job);
    try {
      await run.hold;
    } finally {
      run.controller.abort();
      await run.finished;
    }
  }

  /**
   * When a run ends (paused by the manager or an error, cancelled): batches that were in flight
   * are stored uncertain; the stopped job's counters are rebuilt from the store so it says so.
   */
  async function settleCounts(jobId: string) {
    if (stopped) return;
    const job = await deps.store.getJob(jobId);
    if (!job || job.kind === 'check' || job.status === 'running') return;
    const before = job.uncertainBatches;
    recount(job, await deps.store.results(job.id), new Set());
    if (job.uncertainBatches !== before) await save(job);
  }

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
    const job = await mustGet(jobId);
    // A started draft is no longer one, even before its run has written "running".
    if (job.status !== 'draft' || active.has(jobId)) throw new Error('job is not a draft');
    return job;
  }

  function assertComplete(job: JobMeta) {
    if (job.status === 'draft' && job.received < job.total) throw new Error('job input is incomplete');
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
        backend: await currentBackend(),
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
      await deps.store.saveJob(job);
      return job;
    },

    /**
     * Stores items starting at `offset`. Chunks must start on a batch boundary,
     * so a chunk sent twice (a retried message) overwrites itself, never doubles.
     */
    addItems(jobId: string, offset: number, items: unknown[]): Promise<JobMeta> {
      return draftEdit(jobId, async () => {
        const job = await mustDraft(jobId);
        if (offset % job.batchSize !== 0 || offset + items.length > job.total) throw new Error('chunk is not on a batch boundary');
        if (items.length % job.batchSize !== 0 && offset + items.length !== job.total) throw new Error('chunk must fill whole batches');
        for (let i = 0; i < items.length; i += job.batchSize) {
          await deps.store.putItems(jobId, (offset + i) / job.batchSize, items.slice(i, i + job.batchSize));
        }
        // Received = the items of the batches actually stored (each one whole), so a hand-over with a gap never reaches the total.
        const stored = await deps.store.itemBatches(jobId);
        job.received = [...stored].filter((i) => i < job.batches).reduce((sum, i) => sum + batchLength(job, i), 0);
        if (!(await save(job))) throw new Error(`unknown job ${jobId}`);
        return job;
      });
    },

    /** Rows the dry run rejected, kept for the report; like items, only while the job is a draft. */
    addRejected(jobId: string, index: number, errors: RowError[]): Promise<JobMeta> {
      return draftEdit(jobId, async () => {
        const job = await mustDraft(jobId);
        await deps.store.addRejected(jobId, index, errors);
        const rejected = await deps.store.rejected(jobId);
        job.rejected = rejected.length;
        job.errorRows = countErrorRows(rejected);
        job.duplicates = rejected.filter((e) => e.code === 'duplicate').length;
        if (!(await save(job))) throw new Error(`unknown job ${jobId}`);
        return job;
      });
    },

    /** Starts a complete draft, or resumes a paused job. Resolves when it stops (done, paused, cancelled). */
    async start(jobId: string, options: StartOptions = {}): Promise<JobMeta> {
      const job = await mustGet(jobId);
      assertComplete(job);
      if (job.status === 'done' || job.status === 'cancelled') return job;
      await launch(job, ['draft', 'paused', 'running'], options);
      return job;
    },

    /** Starts without waiting for the end (message handlers answer at once). */
    async startInBackground(jobId: string, options: StartOptions = {}): Promise<JobMeta> {
      const job = await mustGet(jobId);
      assertComplete(job);
      if (job.status === 'done' || job.status === 'cancelled') return job;
      void launch(job, ['draft', 'paused', 'running'], options);
      return { ...job, status: 'running' };
    },

    async pause(jobId: string): Promise<JobMeta> {
      const job = await mustGet(jobId);
      const wasActive = active.has(jobId);
      await stopWith(jobId, async (current) => {
        const target = current ?? job;
        // An active run may still be starting (draft/paused in memory): it too ends paused.
        if (target.status === 'running' || (wasActive && target.status !== 'done' && target.status !== 'cancelled')) {
          target.status = 'paused';
          target.pause = undefined;
          await save(target);
        }
      });
      return active.get(jobId)?.job ?? (await deps.store.getJob(jobId)) ?? job;
    },

    async cancel(jobId: string): Promise<JobMeta> {
      const job = await mustGet(jobId);
      await stopWith(jobId, async (current) => {
        const target = current ?? job;
        if (target.status !== 'done' && target.status !== 'cancelled') {
          target.status = 'cancelled';
          target.finishedAt = now();
          await save(target);
        }
      });
      return (await deps.store.getJob(jobId)) ?? job;
    },

    /** Deletes a job and its data; a running one is stopped first, and nothing brings it back. */
    async remove(jobId: string): Promise<void> {
      await stopWith(jobId, () => deps.store.deleteJob(jobId));
    },

    /** On worker start (and on the keep-alive alarm): every job that was running continues. */
    async resumeRunning(): Promise<void> {
      for (const job of await deps.store.listJobs()) {
        if (job.status === 'running' && !active.has(job.id)) void launch(job, ['running']);
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
