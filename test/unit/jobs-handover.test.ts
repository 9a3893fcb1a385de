import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createWorkspaceFeature } from '@/lib/background/workspace';
import { APP_EXPLANATIONS } from '@/lib/app-error';
import type { RowError } from '@/lib/csv/validate';
import type { FileUser } from '@/lib/kakao/client';
import { createJobRunner, type JobClient } from '@/lib/jobs/runner';
import { createJobStore, type JobStore } from '@/lib/jobs/store';

/*
 * The hand-over without copies: an extension page writes a draft's input straight
 * into the job store and starts it by id; the background checks that input once,
 * as it starts. And a run's IndexedDB traffic: inputs read ahead, results written behind.
 */

const ctx = { senderClass: 'extension' as const, tabId: undefined, origin: undefined };
let store: JobStore;
let n = 0;
beforeEach(() => {
  fakeBrowser.reset();
  store = createJobStore(`handover-${++n}`);
});

const ids = (count: number, start = 1_000_000) => Array.from({ length: count }, (_, i) => String(start + i));
const users = (count: number): FileUser[] =>
  Array.from({ length: count }, (_, i) => ({ id: String(500_000 + i), field: { 성별: 'F' } }));

/** Accepts everything; records the first item of each batch sent. */
function recordingClient() {
  const sent: string[] = [];
  const client: JobClient = {
    async addUsers({ users: u }) {
      sent.push(u[0]!.id);
      return { request_count: u.length, success_count: u.length };
    },
    async deleteUsers({ userIds }) {
      sent.push(userIds[0]!);
      return { request_count: userIds.length, success_count: userIds.length };
    },
    async checkRelationships({ userIds }) {
      sent.push(userIds[0]!);
      await new Promise((r) => setTimeout(r, 2));
      return userIds.map((id) => ({
        user_id: id,
        channels: [{ channel_public_id: '_ZeUTxl', relation: 'ADDED' as const, updated_at: '2024-01-01T00:00:00Z' }],
      }));
    },
  };
  return { client, sent };
}

function feature(client: JobClient) {
  const f = createWorkspaceFeature({ apiOrigin: 'https://kapi.kakao.com', client: client as never, store });
  const handlers = f.handlers;
  return { f, h: handlers };
}

const duplicate = (row: number): RowError => ({ row, code: 'duplicate', column: '회원번호', value: '1', firstRow: 2 });

describe('a page hands over a job by writing its input into the store', () => {
  it('runs a check whose 1,000 IDs and rejected rows the page wrote, counting the rejected rows once', async () => {
    const { client, sent } = recordingClient();
    const { f, h } = feature(client);
    const job = await h.createJob({ kind: 'check', total: 1_000, channelIds: ['_ZeUTxl'] }, ctx);
    await store.putInput(job.id, job.batchSize, ids(1_000), [duplicate(3), duplicate(7)]);
    expect(await h.startJob({ jobId: job.id }, ctx)).toMatchObject({ status: 'running' });
    await f.runner.idle();
    expect(await store.getJob(job.id)).toMatchObject({
      status: 'done',
      received: 1_000,
      doneItems: 1_000,
      rejected: 2,
      duplicates: 2,
      errorRows: 0,
    });
    expect(sent.sort()).toEqual(['1000000', '1000200', '1000400', '1000600', '1000800']);
    expect(await store.rejected(job.id)).toHaveLength(2);
  });

  it('uploads users the page wrote, in batches of 2,000', async () => {
    const { client, sent } = recordingClient();
    const runner = createJobRunner({ client, store, concurrency: async () => 4 });
    const job = await runner.create({ kind: 'upload', total: 4_500, channelId: '_ZeUTxl', fileId: '1' });
    await store.putInput(job.id, job.batchSize, users(4_500), []);
    expect(await runner.start(job.id)).toMatchObject({ id: job.id });
    expect(await store.getJob(job.id)).toMatchObject({ status: 'done', doneBatches: 3, successCount: 4_500 });
    expect(sent).toEqual(['500000', '502000', '504000']);
  });

  it('refuses to start a draft with a malformed item, saying where, and sends nothing', async () => {
    const { client, sent } = recordingClient();
    const { h } = feature(client);
    const job = await h.createJob({ kind: 'check', total: 450, channelIds: ['_ZeUTxl'] }, ctx);
    const items = ids(450);
    items[203] = '12ab'; // batch 2, item 204
    await store.putInput(job.id, job.batchSize, items, []);
    await expect(h.startJob({ jobId: job.id }, ctx)).rejects.toMatchObject({
      code: 'job_input_invalid',
      detail: expect.stringMatching(/batch 2 of 3, item 204/),
      explanation: APP_EXPLANATIONS.job_input_invalid,
    });
    expect(await store.getJob(job.id)).toMatchObject({ status: 'draft', received: 0 });
    expect(sent).toEqual([]);
  });

  it('refuses an upload whose user has the wrong shape', async () => {
    const { client, sent } = recordingClient();
    const runner = createJobRunner({ client, store, concurrency: async () => 4 });
    const job = await runner.create({ kind: 'upload', total: 3, channelId: '_ZeUTxl', fileId: '1' });
    await store.putInput(job.id, job.batchSize, [{ id: '1' }, { id: '2', field: { a: [1] } }, { id: '3' }], []);
    await expect(runner.start(job.id)).rejects.toMatchObject({
      code: 'job_input_invalid',
      detail: expect.stringMatching(/batch 1 of 1, item 2, field/),
    });
    expect(sent).toEqual([]);
  });

  it('refuses a draft with a missing or short batch as incomplete', async () => {
    const { client, sent } = recordingClient();
    const runner = createJobRunner({ client, store, concurrency: async () => 4 });
    const gap = await runner.create({ kind: 'check', total: 600, channelIds: ['_ZeUTxl'] });
    await store.putItems(gap.id, 0, ids(200));
    await store.putItems(gap.id, 2, ids(200, 2_000_000));
    await expect(runner.start(gap.id)).rejects.toMatchObject({ code: 'job_incomplete' });
    const short = await runner.create({ kind: 'check', total: 300, channelIds: ['_ZeUTxl'] });
    await store.putInput(short.id, short.batchSize, ids(299), []);
    await expect(runner.start(short.id)).rejects.toMatchObject({ code: 'job_incomplete' });
    const none = await runner.create({ kind: 'check', total: 10, channelIds: ['_ZeUTxl'] });
    await expect(runner.start(none.id)).rejects.toMatchObject({ code: 'job_incomplete' });
    expect(sent).toEqual([]);
  });
});

describe("a run's IndexedDB traffic", () => {
  it('reads batch inputs in ranges ahead of the calls, not once per call', async () => {
    const { client, sent } = recordingClient();
    let itemReads = 0;
    const counting: JobStore = {
      ...store,
      getItems: (jobId, index) => (itemReads++, store.getItems(jobId, index)),
      itemRange: (jobId, from, to) => (itemReads++, store.itemRange(jobId, from, to)),
    };
    const runner = createJobRunner({ client, store: counting, concurrency: async () => 4 });
    const job = await runner.create({ kind: 'check', total: 20_000, channelIds: ['_ZeUTxl'] });
    await store.putInput(job.id, job.batchSize, ids(20_000), []);
    await runner.start(job.id);
    expect(sent).toHaveLength(100);
    expect(await store.getJob(job.id)).toMatchObject({ status: 'done', doneBatches: 100, doneItems: 20_000 });
    // One read to check the input as it starts (its first range, as checked, goes straight to the run), then one a
    // range of 40 batches (8,000 IDs) after it.
    expect(itemReads).toBeLessThanOrEqual(1 + Math.ceil(100 / 40) - 1);
  });

  it('sends an add while its in-flight marker is written, a delete only after; each result replaces its marker', async () => {
    for (const kind of ['upload', 'delete'] as const) {
      const { client } = recordingClient();
      let markersWritten = 0;
      const sentWithMarkersWritten: number[] = [];
      const slowMarkers: JobStore = {
        ...store,
        async completeBatch(jobId, index, result) {
          await new Promise((r) => setTimeout(r, 40)); // a busy store
          await store.completeBatch(jobId, index, result);
          markersWritten++;
        },
      };
      const watching: JobClient = {
        ...client,
        addUsers: (input, options) => (sentWithMarkersWritten.push(markersWritten), client.addUsers(input, options)),
        deleteUsers: (input, options) => (
          sentWithMarkersWritten.push(markersWritten),
          client.deleteUsers(input, options)
        ),
      };
      const runner = createJobRunner({ client: watching, store: slowMarkers, concurrency: async () => 4 });
      const job = await runner.create({ kind, total: 10_000, channelId: '_ZeUTxl', fileId: '1' });
      await store.putInput(job.id, job.batchSize, kind === 'upload' ? users(10_000) : ids(10_000), []);
      await runner.start(job.id);
      // An add does not wait for its marker (the first goes alone: no marker written yet); a delete does.
      expect(sentWithMarkersWritten[0], kind).toBe(kind === 'upload' ? 0 : 1);
      expect(await store.getJob(job.id)).toMatchObject({ status: 'done', doneBatches: 5, uncertainBatches: 0 });
      const results = await store.results(job.id);
      expect([...results.values()].map((r) => r.outcome)).toEqual(Array(5).fill('applied'));
    }
  });

  it('stores results several to a transaction, and counts a batch only once its result is stored', async () => {
    const { client } = recordingClient();
    let writes = 0;
    let countedBeforeStored = 0;
    const stored = new Set<number>();
    const counting: JobStore = {
      ...store,
      async completeBatch(jobId, index, result) {
        writes++;
        await store.completeBatch(jobId, index, result);
        stored.add(index);
      },
      async completeBatches(jobId, results) {
        writes++;
        await store.completeBatches(jobId, results);
        for (const index of results.keys()) stored.add(index);
      },
      async updateJob(job) {
        if (job.doneBatches > stored.size) countedBeforeStored++;
        return store.updateJob(job);
      },
    };
    const runner = createJobRunner({ client, store: counting, concurrency: async () => 8 });
    const job = await runner.create({ kind: 'check', total: 20_000, channelIds: ['_ZeUTxl'] });
    await store.putInput(job.id, job.batchSize, ids(20_000), []);
    await runner.start(job.id);
    expect(await store.getJob(job.id)).toMatchObject({ status: 'done', doneBatches: 100 });
    expect((await store.results(job.id)).size).toBe(100);
    expect(countedBeforeStored).toBe(0);
    expect(writes).toBeLessThan(100);
  });
});
