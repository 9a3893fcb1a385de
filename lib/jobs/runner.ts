import pLimit from 'p-limit';
import { AppError } from '../app-error';
import type { FileUser } from '../kakao/client';
import { errorInfo, toKakaoError } from '../kakao/errors';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../kakao/retry';
import { answerLost, batchLength, count, recount, sendBatch, type JobClient } from './batch';
import { assertComplete, createDrafts } from './drafts';
import { createReadAhead, createWriteBehind } from './io';
import {
  needsReconciliation,
  outcomeOf,
  type BatchResult,
  type JobBackend,
  type JobMeta,
  type JobStatus,
} from './model';
import { identityChanges } from '../storage/jobs';
import type { JobStore } from './store';

export { checkRows, type JobClient } from './batch';
export type { NewJob } from './model';

/*
 * How a job runs, and how it resumes. The runner sends a job's unconfirmed
 * batches through one shared concurrency limit; each answer is stored as that
 * batch's result (the checkpoint) before the job's counters move. When the
 * worker stops, in-flight batches simply have no result yet; a new runner built
 * on the same store sends exactly those again and never a confirmed one.
 *
 * No IndexedDB read or write stands between a free slot and its next call, except a
 * file batch's in-flight marker: batch inputs are read ahead in ranges, and results
 * are written behind, several to a transaction (io.ts); a batch still counts only once
 * its result is stored.
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

export interface JobRunnerDeps {
  /** The client of jobs on the "real" backend (and of every job when `clientFor` is not given). */
  client: JobClient;
  /** The client for a backend; each job uses its own backend's for every call. */
  clientFor?: (backend: JobBackend, profileId?: string) => JobClient;
  /** The backend new jobs are pinned to (the sandbox setting at that moment); "real" when not given. */
  currentBackend?: (profileId?: string) => Promise<JobBackend>;
  /** The profile new jobs record (the active one at creation): a running job keeps it when the user switches. */
  currentProfile?: () => Promise<string>;
  store: JobStore;
  now?: () => number;
  retry?: RetryPolicy;
  /** Parallel API calls across all jobs (the `concurrency` setting). */
  concurrency: () => Promise<number>;
  /** Told when the runner goes from idle to busy and back (keep-alive alarms). */
  onBusyChange?: (busy: boolean) => void;
  /** The timeout of customer-file calls (the `fileTimeoutSeconds` setting); the client's default when not given. */
  fileTimeoutMs?: () => Promise<number>;
  /** Told after a job's `done` state is stored (an audience re-check turns its results into a snapshot). */
  onJobDone?: (job: JobMeta) => void;
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

/** Progress writes of a running job start at most this often (the last one is written at once). */
const PROGRESS_INTERVAL_MS = 400;

/** About this many items of a job are read ahead of the batch being sent (at least two batches a slot). */
const READ_AHEAD_ITEMS = 8000;

export function createJobRunner(deps: JobRunnerDeps) {
  const now = deps.now ?? Date.now;
  const policy = deps.retry ?? DEFAULT_RETRY;
  const limit = pLimit(4);
  const active = new Map<string, Run>();
  let stopped = false;
  const clientOf = (job: JobMeta): JobClient =>
    job.backend && deps.clientFor ? deps.clientFor(job.backend, job.profileId) : deps.client;
  const currentBackend = deps.currentBackend ?? (async () => 'real' as const);

  const setBusy = () => deps.onBusyChange?.(active.size > 0);

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
   * confirmed meanwhile are folded into a single next write, and the next write
   * waits until PROGRESS_INTERVAL_MS after the previous one began (each write re-reads,
   * parses and rewrites the job list, and every open page re-parses it: back to back,
   * they competed with the calls for the CPU). Each caller's promise resolves after a
   * write that includes its changes; `flushProgress` ends the wait at once. Progress is
   * only what pages show: a batch's checkpoint is its stored result (io.ts).
   */
  const progressWrites = new Map<string, { dirty: boolean; running: Promise<void>; wake?: () => void }>();
  /** When each job's last progress write began. */
  const lastProgressWrite = new Map<string, number>();
  function saveProgress(job: JobMeta): Promise<void> {
    const pending = progressWrites.get(job.id);
    if (pending) {
      pending.dirty = true;
      return pending.running;
    }
    const entry: { dirty: boolean; running: Promise<void>; wake?: () => void } = {
      dirty: true,
      running: Promise.resolve(),
    };
    entry.running = (async () => {
      try {
        while (entry.dirty) {
          // Spaced from the job's previous write, also one from an earlier chain (batches that arrive after a
          // quiet moment, as on a busy machine, must not each get a write of their own).
          const wait = PROGRESS_INTERVAL_MS - (now() - (lastProgressWrite.get(job.id) ?? -Infinity));
          if (wait > 0 && !stopped)
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, wait);
              entry.wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          entry.wake = undefined;
          entry.dirty = false;
          lastProgressWrite.set(job.id, now());
          await save(job);
        }
      } finally {
        progressWrites.delete(job.id);
      }
    })();
    progressWrites.set(job.id, entry);
    return entry.running;
  }
  /** Writes pending progress now (no interval wait) and resolves once it is stored. */
  function flushProgress(jobId: string): Promise<void> | undefined {
    const entry = progressWrites.get(jobId);
    entry?.wake?.();
    return entry?.running;
  }

  /** Batches of a job read ahead at a time (at least two a concurrency slot). */
  const readAheadWindow = (job: JobMeta) =>
    Math.max(2 * limit.concurrency, Math.ceil(READ_AHEAD_ITEMS / job.batchSize));

  async function execute(
    run: Run,
    allowed: readonly JobStatus[],
    options: StartOptions,
    checked?: Map<number, unknown[]>,
  ) {
    const { job, controller } = run;
    // The stored job is the truth: it may have been paused, cancelled or deleted since it was read.
    // The reads a run needs before its first call, together (each is a round trip to the store).
    const [stored, identity, results, concurrency, fileTimeoutMs] = await Promise.all([
      deps.store.getJob(job.id),
      deps.store.identity(job.id),
      deps.store.results(job.id),
      deps.concurrency(),
      job.kind !== 'check' ? deps.fileTimeoutMs?.() : undefined,
    ]);
    if (!stored || !allowed.includes(stored.status) || run.stopping) return;
    Object.assign(job, stored);
    // A record whose kind, backend, channel, file or user type is not what the job was created as is not run.
    const changed = identity ? identityChanges(stored, identity) : ['identity'];
    if (changed.length > 0) {
      console.warn(
        `Channel Desk: job ${job.id} refused, its record differs from its creation in: ${changed.join(', ')}`,
      );
      job.status = 'paused';
      job.pause = new AppError('job_identity_changed', `changed since creation: ${changed.join(', ')}`).toInfo();
      await save(job);
      return;
    }
    // A job stored before backends were pinned keeps the one it resumes on.
    job.backend ??= await currentBackend(job.profileId);
    const isFile = job.kind !== 'check';
    // Uncertain batches sent again this run: every add (an upsert), a delete only when the manager confirmed.
    const resend = new Set<number>();
    for (const [index, result] of results) {
      if (outcomeOf(result) === 'uncertain' && (job.kind === 'upload' || options.resendUncertain === true))
        resend.add(index);
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
    limit.concurrency = Math.max(1, concurrency);
    const timeoutMs = isFile ? fileTimeoutMs : undefined;

    const pending: number[] = [];
    for (let i = 0; i < job.batches; i++) if (!results.has(i) || resend.has(i)) pending.push(i);
    const items = createReadAhead(deps.store, job.id, pending, readAheadWindow(job), checked);
    items.prefetch(); // the first range is read while "running" is written
    if (!(await save(job))) return;
    const written = createWriteBehind(deps.store, job.id, () => stopped);

    const pauseWith = async (err: unknown) => {
      const error = toKakaoError(err);
      if (error.code === 'cancelled' || controller.signal.aborted || run.stopping) return;
      job.status = 'paused';
      job.pause = error.toInfo();
      controller.abort();
      await save(job);
    };
    // A delete whose answer was lost is not sent again without the manager's word: no retry on timeouts or lost
    // connections.
    const shouldRetry = job.kind === 'delete' ? (e: { code: unknown }) => !answerLost(e.code) : undefined;

    const runBatch = async (index: number) => {
      /** An add's in-flight marker, being written while the add is sent. */
      let marked: Promise<void> | undefined;
      try {
        // The concurrency slot is held only while Kakao is asked (and, on a failure,
        // until the job is paused, so no further batch starts): storing the answer and
        // the progress write happen after the slot is free for the next batch.
        const result = await limit(async (): Promise<BatchResult | undefined> => {
          if (controller.signal.aborted || run.stopping || run.halt) return undefined; // no new batch once a stop began
          const uncertain: BatchResult = {
            requestCount: batchLength(job, index),
            successCount: 0,
            outcome: 'uncertain',
          };
          // In flight: uncertain until Kakao answers. A delete's marker lands before it is sent (a delete whose
          // answer is lost is never resent without the manager's word). An add's is written while it is sent:
          // an add whose marker never landed (the worker stopped at that moment) is simply unsent, and resent on
          // resume, as an uncertain add is anyway (adding is an upsert). The result or the drop below is a later
          // transaction on the same store, so it always lands after the marker.
          if (job.kind === 'delete') await deps.store.completeBatch(job.id, index, uncertain);
          else if (isFile) {
            marked = deps.store.completeBatch(job.id, index, uncertain);
            marked.catch(() => undefined); // awaited (and reported) once the call has ended
          }
          let lost = false;
          try {
            const answer = await withRetry(
              async (attempt) => {
                job.apiCalls++;
                if (attempt > 0) job.retries++;
                try {
                  return await sendBatch(clientOf(job), items, job, index, controller.signal, timeoutMs);
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
            if (isFile && !job.reconcileAcknowledged && !resend.has(index) && needsReconciliation(answer))
              run.halt = true;
            return answer;
          } catch (err) {
            if (isFile && lost) {
              // Kakao may have applied it: it stays uncertain. A stop's abort writes nothing more.
              return controller.signal.aborted || run.stopping || stopped ? undefined : uncertain;
            }
            // Kakao answered with an error: nothing applied
            if (isFile && !stopped) {
              await marked?.catch(() => undefined);
              await deps.store.dropResult(job.id, index);
            }
            await pauseWith(err);
            return undefined;
          }
        });
        await marked; // a marker that could not be stored pauses the job, as before the call
        if (!result || stopped || run.stopping) return;
        await written.put(index, result); // the checkpoint
        count(job, result);
        if (
          run.halt &&
          !job.reconcile &&
          !job.reconcileAcknowledged &&
          !resend.has(index) &&
          needsReconciliation(result)
        ) {
          const items = await deps.store.getItems<FileUser | string>(job.id, index).catch(() => []);
          job.reconcile = {
            batch: index,
            requestCount: result.requestCount,
            successCount: result.successCount,
            sample: items.slice(0, 5).map((item) => (typeof item === 'string' ? item : item.id)),
          };
        }
        // Not awaited: the batch is counted; the (coalesced) progress write lands a moment later.
        saveProgress(job).catch((err: unknown) => pauseWith(err));
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
    await flushProgress(job.id)?.catch(() => undefined);
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
      if (job.status === 'done') deps.onJobDone?.(job);
    }
  }

  /** Runs a job if its stored status is one of `allowed` (checked again when the run begins). */
  function launch(
    job: JobMeta,
    allowed: readonly JobStatus[],
    options: StartOptions = {},
    checked?: Map<number, unknown[]>,
  ): Promise<void> {
    const existing = active.get(job.id);
    if (existing) return existing.finished;
    const run: Run = { controller: new AbortController(), finished: Promise.resolve(), job, stopping: false };
    run.finished = execute(run, allowed, options, checked)
      .catch(async (err) => {
        if (run.stopping) return;
        job.status = 'paused';
        job.pause = errorInfo(err);
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

  async function mustGet(id: string): Promise<JobMeta> {
    const job = active.get(id)?.job ?? (await deps.store.getJob(id));
    if (!job) throw new AppError('unknown_job', `unknown job ${id}`);
    return job;
  }

  const drafts = createDrafts({
    store: deps.store,
    now,
    currentBackend,
    currentProfile: deps.currentProfile,
    mustGet,
    isActive: (id) => active.has(id),
    save,
  });

  /** Starts a complete draft, or resumes a paused job: the job as it was, and the run (resolves when it stops). */
  async function begin(jobId: string, options: StartOptions): Promise<{ job: JobMeta; run?: Promise<void> }> {
    let job = await mustGet(jobId);
    // A draft whose input the page wrote into the store is checked (once) before it starts; the first batches as
    // checked go straight to the run (not read again).
    let checked: Map<number, unknown[]> | undefined;
    if (job.status === 'draft' && job.received < job.total && !active.has(jobId))
      ({ job, first: checked } = await drafts.seal(jobId, readAheadWindow(job)));
    assertComplete(job);
    if (job.status === 'done' || job.status === 'cancelled') return { job };
    return { job, run: launch(job, ['draft', 'paused', 'running'], options, checked) };
  }

  return {
    /** A draft job; its items arrive with `addItems`, then `start` runs it. */
    create: drafts.create,
    /** Stores items starting at `offset` (a batch boundary), only while the job is a draft. */
    addItems: drafts.addItems,
    /** Rows the dry run rejected, kept for the report; like items, only while the job is a draft. */
    addRejected: drafts.addRejected,

    /** Starts a complete draft, or resumes a paused job. Resolves when it stops (done, paused, cancelled). */
    async start(jobId: string, options: StartOptions = {}): Promise<JobMeta> {
      const { job, run } = await begin(jobId, options);
      await run;
      return job;
    },

    /** Starts without waiting for the end (message handlers answer at once). */
    async startInBackground(jobId: string, options: StartOptions = {}): Promise<JobMeta> {
      const { job, run } = await begin(jobId, options);
      return run ? { ...job, status: 'running' } : job;
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
