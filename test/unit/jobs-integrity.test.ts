import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createWorkspaceFeature } from '@/lib/background/workspace';
import { createKakaoClient } from '@/lib/kakao/client';
import { KakaoApiError } from '@/lib/kakao/errors';
import { JobMeta } from '@/lib/jobs/model';
import { createJobRunner, type JobClient } from '@/lib/jobs/runner';
import { createJobStore, type JobStore } from '@/lib/jobs/store';
import { withSandbox } from '@/lib/sandbox/client';
import { createSandboxFetch } from '@/lib/sandbox/fetch';
import { jobsItem } from '@/lib/storage/jobs';
import { settingsItem } from '@/lib/storage/settings';
import { createFakeFetch, jsonResponse } from './fake-fetch';

/*
 * Review findings on jobs: each test here failed before its fix.
 */

const ctx = { senderClass: 'extension' as const, tabId: undefined, origin: undefined };
let store: JobStore;
let n = 0;
beforeEach(() => {
  fakeBrowser.reset();
  store = createJobStore(`integrity-${++n}`);
});

const ids = (count: number, start = 1_000_000) => Array.from({ length: count }, (_, i) => String(start + i));
const tick = () => new Promise((r) => setTimeout(r, 5));
async function until(predicate: () => boolean | Promise<boolean>) {
  for (let i = 0; i < 2000 && !(await predicate()); i++) await tick();
  if (!(await predicate())) throw new Error('timed out');
}
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

/** A client whose calls wait for `hold` (or abort); records the first ID of each batch sent. */
function holdingClient() {
  const sent: string[] = [];
  let hold: Promise<void> | null = null;
  const wait = async (signal?: AbortSignal) => {
    if (!hold) return;
    await new Promise<void>((resolve, reject) => {
      void hold!.then(resolve);
      signal?.addEventListener('abort', () => reject(new KakaoApiError('cancelled', null)));
    });
  };
  const client: JobClient = {
    async addUsers({ users }, o) {
      sent.push(users[0]!.id);
      await wait(o?.signal);
      return { request_count: users.length, success_count: users.length };
    },
    async deleteUsers({ userIds }, o) {
      sent.push(userIds[0]!);
      await wait(o?.signal);
      return { request_count: userIds.length, success_count: userIds.length };
    },
    async checkRelationships({ userIds }, o) {
      sent.push(userIds[0]!);
      await wait(o?.signal);
      return userIds.map((id) => ({
        user_id: id,
        channels: [{ channel_public_id: '_ZeUTxl', relation: 'ADDED' as const }],
      }));
    },
  };
  return { client, sent, setHold: (p: Promise<void> | null) => (hold = p) };
}

describe('a job stays on the backend it started on', () => {
  /** The background's wiring: a sandbox-aware client whose sandbox can be flipped mid-job. */
  async function setup() {
    await settingsItem.setValue({ ...(await settingsItem.getValue()), concurrency: 1 });
    let active = false;
    const realGate = gate();
    const sandboxGate = gate();
    // Kakao's real API: answers every user as ADDED; the first call waits until the test flips the sandbox.
    const real = createFakeFetch(async (req) => {
      if (real.calls.length === 1) await realGate.opened;
      const list = (req.url.searchParams.get('target_ids') ?? '').split(',');
      return jsonResponse(
        200,
        list.map((id) => ({
          user_id: Number(id),
          channels: [{ channel_public_id: '_ZeUTxl', channel_uuid: '@a', relation: 'ADDED' }],
        })),
      );
    });
    const sandboxFetch = createSandboxFetch();
    const sandboxCalls: string[] = [];
    const client = withSandbox(
      createKakaoClient({ origin: 'https://kapi.kakao.com', getKey: async () => 'f'.repeat(32), fetch: real.fetch }),
      {
        isActive: async () => active,
        sandboxFetch: async (input, init) => {
          sandboxCalls.push(String(input));
          if (sandboxCalls.length === 1) await sandboxGate.opened;
          return sandboxFetch(input, init);
        },
      },
    );
    const feature = createWorkspaceFeature({ apiOrigin: 'https://kapi.kakao.com', client, store });
    const h = feature.handlers;
    async function runCheck(count: number) {
      const job = await h.createJob({ kind: 'check', total: count, channelIds: ['_ZeUTxl'] }, ctx);
      await h.addJobItems({ jobId: job.id, offset: 0, items: ids(count, 4_000_000_001) }, ctx);
      await h.startJob({ jobId: job.id }, ctx);
      return job;
    }
    return {
      real,
      sandboxCalls,
      realGate,
      sandboxGate,
      runCheck,
      runner: feature.runner,
      setActive: (v: boolean) => (active = v),
    };
  }

  it('a real bulk check keeps asking Kakao when the sandbox is switched on mid-job', async () => {
    const t = await setup();
    const job = await t.runCheck(600);
    await until(() => t.real.calls.length === 1);
    t.setActive(true); // the manager turns the sandbox on while the check runs
    t.realGate.open();
    t.sandboxGate.open();
    await t.runner.idle();
    expect(t.sandboxCalls).toHaveLength(0);
    expect(t.real.calls).toHaveLength(3);
    const done = (await store.getJob(job.id))!;
    expect(done).toMatchObject({ status: 'done', backend: 'real', doneItems: 600, failedItems: 0 });
    expect(done.relations._ZeUTxl).toMatchObject({ ADDED: 600, UNKNOWN: 0 });
  });

  it('a demo job never sends its demo IDs to Kakao when a real key turns the sandbox off', async () => {
    const t = await setup();
    t.setActive(true);
    const job = await t.runCheck(600);
    await until(() => t.sandboxCalls.length === 1);
    t.setActive(false); // saving a real key ends the sandbox
    t.sandboxGate.open();
    t.realGate.open();
    await t.runner.idle();
    expect(t.real.calls).toHaveLength(0);
    expect(t.sandboxCalls).toHaveLength(3);
    expect(await store.getJob(job.id)).toMatchObject({ status: 'done', backend: 'sandbox' });
  });
});

describe('one bad stored job record', () => {
  const stored = (id: string, status: JobMeta['status']): JobMeta =>
    JobMeta.parse({
      id,
      kind: 'check',
      status,
      createdAt: 1,
      updatedAt: 1,
      channelIds: ['_ZeUTxl'],
      total: 200,
      received: 200,
      rejected: 0,
      batchSize: 200,
      batches: 1,
      doneBatches: 0,
      doneItems: 0,
      failedItems: 0,
      requestCount: 0,
      successCount: 0,
      relations: {},
      apiCalls: 0,
      retries: 0,
      doneAtResume: 0,
    });

  it('hides only itself: the other jobs are listed, and saving a job keeps them all', async () => {
    const bad = { id: 'from-the-future', kind: 'archive', status: 'running' };
    await jobsItem.setRaw([{ value: stored('a', 'running') }, { raw: bad }, { value: stored('b', 'paused') }]);
    expect((await store.listJobs()).map((j) => j.id)).toEqual(['a', 'b']);
    expect(await store.getJob('b')).toMatchObject({ status: 'paused' });

    await store.saveJob(stored('c', 'draft'));
    await store.saveJob({ ...stored('a', 'running'), doneBatches: 1 });
    expect((await store.listJobs()).map((j) => [j.id, j.status, j.doneBatches])).toEqual([
      ['c', 'draft', 0],
      ['a', 'running', 1],
      ['b', 'paused', 0],
    ]);
    // The unreadable record is not destroyed either (a newer version may read it).
    expect(await jobsItem.getRaw()).toContainEqual(bad);
    await store.deleteJob('b');
    expect((await store.listJobs()).map((j) => j.id)).toEqual(['c', 'a']);
  });
});

describe('pause, cancel and delete are final', () => {
  /** A store whose write of `status` waits at a gate: the window where the old runner let go of the job. */
  function slowStatusStore(status: JobMeta['status']) {
    const g = gate();
    let reached = false;
    const atGate = async (job: JobMeta) => {
      if (job.status === status) {
        reached = true;
        await g.opened;
      }
    };
    const slow: JobStore = {
      ...store,
      async saveJob(job) {
        await atGate(job);
        return store.saveJob(job);
      },
      async updateJob(job) {
        await atGate(job);
        return store.updateJob(job);
      },
    };
    return { slow, open: g.open, reached: () => reached };
  }

  it.each(['paused', 'cancelled'] as const)(
    'a keep-alive resume while the job is being %s does not restart it',
    async (status) => {
      const { client, sent, setHold } = holdingClient();
      const s = slowStatusStore(status);
      const runner = createJobRunner({ client, store: s.slow, concurrency: async () => 1 });
      const job = await runner.create({
        kind: 'delete',
        total: 8_000,
        channelId: '_ZeUTxl',
        fileId: '1',
        userType: 'app',
      });
      await runner.addItems(job.id, 0, ids(8_000));
      const hold = gate();
      setHold(hold.opened);
      await runner.startInBackground(job.id);
      await until(() => sent.length === 1);
      const stopping = status === 'paused' ? runner.pause(job.id) : runner.cancel(job.id);
      await until(s.reached);
      await tick();
      await runner.resumeRunning(); // the 30-second alarm fires in between
      setHold(null);
      hold.open();
      s.open();
      await stopping;
      await runner.idle();
      expect(await store.getJob(job.id)).toMatchObject({ status });
      expect(sent).toHaveLength(1);
    },
  );

  it('a job deleted while the keep-alive alarm resumes jobs stays deleted', async () => {
    const { client, sent } = holdingClient();
    const first = createJobRunner({ client, store, concurrency: async () => 1 });
    const job = await first.create({
      kind: 'delete',
      total: 4_000,
      channelId: '_ZeUTxl',
      fileId: '1',
      userType: 'app',
    });
    await first.addItems(job.id, 0, ids(4_000));
    await store.saveJob({ ...(await store.getJob(job.id))!, status: 'running' }); // a worker stopped mid-job

    const listed = gate();
    const release = gate();
    const racing: JobStore = {
      ...store,
      async listJobs() {
        const jobs = await store.listJobs();
        listed.open();
        await release.opened;
        return jobs;
      },
    };
    const second = createJobRunner({ client, store: racing, concurrency: async () => 1 });
    const resuming = second.resumeRunning();
    await listed.opened;
    await store.deleteJob(job.id); // the manager deletes it meanwhile
    release.open();
    await resuming;
    await second.idle();
    expect(await store.getJob(job.id)).toBeUndefined();
    expect(sent).toHaveLength(0);
  });
});

describe('a job starts only with all of its input', () => {
  it('a hand-over with a gap is incomplete: it cannot start', async () => {
    const { client, sent } = holdingClient();
    const runner = createJobRunner({ client, store, concurrency: async () => 1 });
    const job = await runner.create({ kind: 'check', total: 600, channelIds: ['_ZeUTxl'] });
    await runner.addItems(job.id, 0, ids(200));
    const after = await runner.addItems(job.id, 400, ids(200, 2_000_000)); // batch 1 never arrived
    expect(after.received).toBe(400);
    await expect(runner.start(job.id)).rejects.toThrow('job input is incomplete');
    expect(sent).toHaveLength(0);
    await runner.addItems(job.id, 200, ids(200, 3_000_000));
    expect((await runner.start(job.id)).status).toBe('done');
    expect(sent.sort()).toEqual(['1000000', '2000000', '3000000']);
  });

  it('a batch whose input is gone pauses the job with a clear error instead of confirming it empty', async () => {
    await expect(store.getItems(`nothing`, 0)).rejects.toThrow(/missing/);
    const { client, sent } = holdingClient();
    const runner = createJobRunner({ client, store, concurrency: async () => 1 });
    const job = await runner.create({ kind: 'check', total: 400, channelIds: ['_ZeUTxl'] });
    await runner.addItems(job.id, 0, ids(400));
    // The job's items vanish (the browser cleared the extension's IndexedDB); its record remains.
    const emptied = createJobStore(`integrity-empty-${n}`);
    const other = createJobRunner({
      client,
      store: emptied,
      concurrency: async () => 1,
      retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    });
    await other.start(job.id);
    const paused = (await store.getJob(job.id))!;
    expect(paused).toMatchObject({ status: 'paused', doneBatches: 0, pause: { code: 'internal' } });
    expect(paused.pause?.detail).toMatch(/batch 1 of 2\b.*missing/);
    expect(sent).toHaveLength(0);
  });
});

describe('rejected rows of the dry run', () => {
  it('are accepted only while the job is a draft, and the run keeps their count', async () => {
    const { client, setHold } = holdingClient();
    const feature = createWorkspaceFeature({
      apiOrigin: 'https://kapi.kakao.com',
      client: client as never,
      store,
      runner: createJobRunner({ client, store, concurrency: async () => 1 }),
    });
    const h = feature.handlers;
    const errors = [{ row: 3, column: 'id', code: 'invalid_user_id', value: 'x1' }] as Parameters<
      typeof h.addJobRejected
    >[0]['errors'];
    const job = await h.createJob({ kind: 'check', total: 400, channelIds: ['_ZeUTxl'] }, ctx);
    await h.addJobItems({ jobId: job.id, offset: 0, items: ids(400) }, ctx);
    expect(await h.addJobRejected({ jobId: job.id, index: 0, errors }, ctx)).toMatchObject({ rejected: 1 });
    const hold = gate();
    setHold(hold.opened);
    await h.startJob({ jobId: job.id }, ctx);
    await expect(h.addJobRejected({ jobId: job.id, index: 1, errors }, ctx)).rejects.toMatchObject({
      code: 'job_not_draft',
      detail: 'job is not a draft',
    });
    setHold(null);
    hold.open();
    await feature.runner.idle();
    expect(await store.getJob(job.id)).toMatchObject({ status: 'done', rejected: 1 });
    expect(await store.rejected(job.id)).toHaveLength(1);
  });
});

describe("the job's counts of the dry run (issue 16.3)", () => {
  it('counts rows with errors and duplicates apart, as the dry run did, pasted positions included', async () => {
    const { client } = holdingClient();
    const feature = createWorkspaceFeature({
      apiOrigin: 'https://kapi.kakao.com',
      client: client as never,
      store,
      runner: createJobRunner({ client, store, concurrency: async () => 1 }),
    });
    const h = feature.handlers;
    type Errors = Parameters<typeof h.addJobRejected>[0]['errors'];
    const job = await h.createJob(
      { kind: 'upload', total: 400, channelId: '_ZeUTxl', fileId: '1', userType: 'app' },
      ctx,
    );
    const first: Errors = [
      { row: 4, column: '구매금액', code: 'not_a_number', value: 'x' },
      { row: 4, column: '포인트', code: 'not_a_number', value: 'y' }, // the same row: one row with errors
      { row: 7, position: 2, column: 'ID', code: 'invalid_user_id', value: 'abc' },
    ];
    const second: Errors = [
      { row: 9, column: 'ID', code: 'duplicate', value: '111', firstRow: 2 },
      { row: 10, position: 3, column: 'ID', code: 'duplicate', value: '111', firstRow: 2, firstPosition: 1 },
    ];
    await h.addJobRejected({ jobId: job.id, index: 0, errors: first }, ctx);
    expect(await h.addJobRejected({ jobId: job.id, index: 1, errors: second }, ctx)).toMatchObject({
      rejected: 5,
      errorRows: 2,
      duplicates: 2,
    });
  });
});

describe('the workspace background starting up', () => {
  it('survives a job store that cannot be read: no unhandled rejection, and the next alarm tries again', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      let reads = 0;
      const broken: JobStore = {
        ...store,
        listJobs: async () => {
          reads++;
          throw new Error('storage is unavailable');
        },
      };
      const { client } = holdingClient();
      const feature = createWorkspaceFeature({
        apiOrigin: 'https://kapi.kakao.com',
        client: client as never,
        store: broken,
      });
      feature.start();
      await until(() => reads >= 2);
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
      expect(logged).toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', onUnhandled);
      logged.mockRestore();
    }
  });
});
