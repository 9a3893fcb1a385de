import { z } from 'zod';
import { AppError } from '../app-error';
import { KakaoApiError } from '../kakao/errors';
import { jobItemSchema, type JobMeta } from '../jobs/model';
import { createJobRunner, type JobRunner } from '../jobs/runner';
import { createJobStore, type JobStore } from '../jobs/store';
import { workspaceCommands } from '../messages/commands/workspace';
import { backendsOf } from '../sandbox/client';
import { DEMO_CHANNELS } from '../sandbox/demo';
import { settingsItem } from '../storage/settings';
import { activeProfileId } from '../profiles/store';
import type { BackgroundFeature, FeatureDeps } from './feature';

/*
 * The workspace's background side: customer-file calls and the job runner.
 * Jobs run here, not in the page, so they survive the workspace tab closing.
 * An MV3 worker is stopped when idle; while jobs run, a 30-second alarm wakes it
 * (and Kakao calls plus storage writes keep it busy). On every start the runner
 * resumes jobs that were running from their last confirmed batch.
 */

export const JOBS_ALARM = 'channel-desk-jobs';

/**
 * While jobs run, an extension API call this often keeps the background awake. Both browsers stop an idle
 * background after 30 s, and an in-flight fetch does not count as activity: Firefox suspends its event page
 * mid-call (seen in e2e), the answer is lost, and the alarm's restart re-sends the same batches. Any extension
 * API call resets the idle timer in Firefox and Chrome (110+).
 */
const KEEPALIVE_MS = 10_000;
let heartbeat: ReturnType<typeof setInterval> | undefined;

function keepAlive(busy: boolean) {
  if (busy) {
    heartbeat ??= setInterval(() => {
      try {
        void browser.runtime.getPlatformInfo().catch(() => undefined);
      } catch {
        // not available (tests' fake browser): the alarm still wakes a stopped background
      }
    }, KEEPALIVE_MS);
  } else if (heartbeat !== undefined) {
    clearInterval(heartbeat);
    heartbeat = undefined;
  }
  if (!browser.alarms) return;
  if (busy) void browser.alarms.create(JOBS_ALARM, { periodInMinutes: 0.5 });
  else void browser.alarms.clear(JOBS_ALARM);
}

export function createWorkspaceFeature(
  deps: FeatureDeps & { store?: JobStore; runner?: JobRunner; onJobDone?: (job: JobMeta) => void },
): BackgroundFeature<typeof workspaceCommands> & { runner: JobRunner; store: JobStore } {
  const store = deps.store ?? createJobStore();
  // Jobs are pinned to the backend (sandbox or real) they were created on.
  const backends = backendsOf(deps.client);
  const runner =
    deps.runner ??
    createJobRunner({
      client: backends ? backends.clientFor('real') : deps.client,
      clientFor: backends?.clientFor,
      currentBackend: backends?.current,
      // A job keeps the profile active at its creation, whatever the manager switches to while it runs.
      currentProfile: activeProfileId,
      store,
      concurrency: async () => (await settingsItem.getValue()).concurrency,
      fileTimeoutMs: async () => (await settingsItem.getValue()).fileTimeoutSeconds * 1000,
      onBusyChange: keepAlive,
      onJobDone: deps.onJobDone,
    });

  /** A draft whose page closed while handing it over never starts; it is dropped after an hour. */
  async function dropAbandonedDrafts() {
    const cutoff = Date.now() - 60 * 60 * 1000;
    for (const job of await store.listJobs())
      if (job.status === 'draft' && job.updatedAt < cutoff) await store.deleteJob(job.id);
  }

  /** A profile's own key (an audience's customer-file upload); none given: the active profile's. */
  const clientOf = (profileId?: string) =>
    profileId && deps.clientForProfile ? deps.clientForProfile(profileId) : deps.client;

  async function mustJob(jobId: string) {
    const job = await store.getJob(jobId);
    if (!job) throw new AppError('unknown_job', `unknown job ${jobId}`);
    return job;
  }

  return {
    runner,
    store,
    handlers: {
      async listCustomerFiles({ channelId, profileId }) {
        const list = await clientOf(profileId).listCustomerFiles({ channelId });
        return {
          files: list.results,
          unreadableFiles: list.unreadable,
          usingSlot: list.using_slot ?? null,
          emptySlot: list.empty_slot ?? null,
        };
      },
      createCustomerFile: async ({ profileId, ...input }) =>
        clientOf(profileId).createCustomerFile(input, {
          timeoutMs: (await settingsItem.getValue()).fileTimeoutSeconds * 1000,
        }),
      async createJob(input) {
        if ((input.kind === 'upload' || input.kind === 'delete') && (!input.fileId || !input.channelId)) {
          throw new KakaoApiError(-2, null, 'a file job needs fileId and channelId');
        }
        if (input.kind === 'check' && !input.channelIds?.length)
          throw new KakaoApiError(-2, null, 'a check needs channelIds');
        // The sandbox answers with demo data: never run a job on channels other than the demo ones there.
        if (backends && (await backends.current(input.profileId)) === 'sandbox') {
          const demo = new Set<string>(DEMO_CHANNELS.map((c) => c.publicId));
          const real = [...(input.channelIds ?? []), ...(input.channelId ? [input.channelId] : [])].filter(
            (c) => !demo.has(c),
          );
          if (real.length > 0) throw new KakaoApiError('sandbox_real_channels', null, real.join(', '));
        }
        const { profileId, ...spec } = input;
        return runner.create(spec, profileId ? { profileId } : {});
      },
      async addJobItems({ jobId, offset, items }) {
        const job = await mustJob(jobId);
        const parsed = z.array(jobItemSchema(job)).safeParse(items);
        if (!parsed.success)
          throw new KakaoApiError(-2, null, `invalid item: ${parsed.error.issues[0]?.path.join('.')}`);
        return runner.addItems(jobId, offset, parsed.data);
      },
      async addJobRejected({ jobId, index, errors }) {
        await mustJob(jobId);
        return runner.addRejected(jobId, index, errors);
      },
      startJob: ({ jobId, resendUncertain }) =>
        runner.startInBackground(jobId, resendUncertain === undefined ? {} : { resendUncertain }),
      pauseJob: ({ jobId }) => runner.pause(jobId),
      cancelJob: ({ jobId }) => runner.cancel(jobId),
      async deleteJob({ jobId }) {
        await mustJob(jobId);
        await runner.remove(jobId);
        return { deleted: true as const };
      },
      listJobs: () => store.listJobs(),
      async setJobConcurrency({ concurrency }) {
        await settingsItem.setValue({ ...(await settingsItem.getValue()), concurrency });
        return { concurrency };
      },
      async setFileTimeout({ fileTimeoutSeconds }) {
        await settingsItem.setValue({ ...(await settingsItem.getValue()), fileTimeoutSeconds });
        return { fileTimeoutSeconds };
      },
    },
    start() {
      // A failure here (storage unreadable, …) is logged, never an unhandled rejection; the next alarm or start tries
      // again.
      const resume = () =>
        runner.resumeRunning().catch((err: unknown) => console.error('Channel Desk: resuming jobs failed', err));
      browser.alarms?.onAlarm.addListener((alarm) => {
        if (alarm.name === JOBS_ALARM) void resume();
      });
      void resume();
      void dropAbandonedDrafts().catch((err: unknown) =>
        console.error('Channel Desk: dropping abandoned drafts failed', err),
      );
    },
  };
}
