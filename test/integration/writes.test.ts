import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createKakaoClient } from '../../lib/kakao/client';
import type { ApiCallRecord } from '../../lib/kakao/call-record';
import { WRITE_TOLERANCES } from '../../lib/kakao/write-tolerance';
import { createJobStore, type JobStore } from '../../lib/jobs/store';
import { createJobRunner } from '../../lib/jobs/runner';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { createFilledJob, makeRunner, makeUsers, recordingClient } from './jobs-helpers';

/*
 * Honest write accounting, against the simulator over HTTP: answers in the
 * `variant` dialect, uncertain batches (the write lands, its answer is lost),
 * and the reconciliation pause after a batch Kakao applied to nobody.
 */

const CHANNEL = '_ZeUTxl';
const SCHEMA = { 성별: 'string', 구매금액: 'number' } as const;
const UPDATE = '/v1/talkchannel/update/target_users';
const DELETE = '/v1/talkchannel/delete/target_users';

let server: SimulatorServer;
let store: JobStore;
let n = 0;

beforeEach(async () => {
  fakeBrowser.reset();
  server = await startSimulatorServer({ latencyMs: 0, dialect: 'variant' });
  store = createJobStore(`writes-test-${++n}`);
});
afterEach(async () => {
  await server.close();
});

async function newFile(name = 'vip') {
  const { client } = recordingClient(server);
  return (await client.createCustomerFile({ channelId: CHANNEL, fileName: name, schema: SCHEMA })).fileId;
}
const simCalls = (path: string) => server.sim.log.filter((e) => e.path === path);

describe('the client reads variant write answers', () => {
  it('add: counts as numeric strings with file_id echoed are read as numbers, and the API log names both tolerances', async () => {
    const fileId = await newFile();
    const records: ApiCallRecord[] = [];
    const client = createKakaoClient({
      origin: server.origin,
      getKey: async () => SIM_ADMIN_KEY,
      onCall: (r) => records.push(r),
    });
    const added = await client.addUsers({ fileId, channelId: CHANNEL, userType: 'app', users: makeUsers(3) });
    expect(added).toEqual({ request_count: 3, success_count: 3 });
    expect(records.at(-1)!.tolerances).toEqual([WRITE_TOLERANCES.addCountsAsStrings, WRITE_TOLERANCES.addFileIdEchoed]);
    expect(records.at(-1)!.shape).toBe('{file_id:number,request_count:string,success_count:string}');
  });

  it('delete: `{}` is a result without counts, never an error, and the log says delete.no-counts', async () => {
    const fileId = await newFile();
    const records: ApiCallRecord[] = [];
    const client = createKakaoClient({
      origin: server.origin,
      getKey: async () => SIM_ADMIN_KEY,
      onCall: (r) => records.push(r),
    });
    await client.addUsers({ fileId, channelId: CHANNEL, userType: 'app', users: makeUsers(3) });
    expect(await client.deleteUsers({ fileId, channelId: CHANNEL, userType: 'app', userIds: ['5000000'] })).toEqual({});
    expect(records.at(-1)!.tolerances).toEqual([WRITE_TOLERANCES.deleteNoCounts]);
    server.sim.setDialect({ base: 'variant', deleteAnswer: 'request-only' });
    expect(await client.deleteUsers({ fileId, channelId: CHANNEL, userType: 'app', userIds: ['5000001'] })).toEqual({
      request_count: 1,
    });
    expect(records.at(-1)!.tolerances).toEqual([WRITE_TOLERANCES.deleteNoSuccessCount]);
    expect(server.sim.fileUsers(fileId)!.size).toBe(1);
  });
});

describe('write jobs in the variant dialect', () => {
  it('an upload reads string counts; a delete answered `{}` ends done with "no counts", sent once', async () => {
    const fileId = await newFile();
    const { client, calls } = recordingClient(server);
    const runner = makeRunner(client, store, 4);
    const users = makeUsers(5_000);
    const upload = await createFilledJob(
      runner,
      { kind: 'upload', channelId: CHANNEL, fileId, userType: 'app' },
      users,
    );
    await runner.start(upload.id);
    expect(await store.getJob(upload.id)).toMatchObject({
      status: 'done',
      requestCount: 5_000,
      successCount: 5_000,
      failedItems: 0,
    });

    const del = await createFilledJob(
      runner,
      { kind: 'delete', channelId: CHANNEL, fileId, userType: 'app' },
      users.slice(0, 4_000).map((u) => u.id),
    );
    await runner.start(del.id);
    const final = (await store.getJob(del.id))!;
    expect(final).toMatchObject({
      status: 'done',
      doneItems: 4_000,
      noCountBatches: 2,
      noCountItems: 4_000,
      failedItems: 0,
      uncertainBatches: 0,
    });
    expect(calls.filter((c) => c.path === DELETE)).toHaveLength(2); // never resent
    expect(server.sim.fileUsers(fileId)!.size).toBe(1_000);
    await runner.start(del.id); // starting a done job again sends nothing
    expect(calls.filter((c) => c.path === DELETE)).toHaveLength(2);
  });
});

describe('reconciliation', () => {
  it('a first batch Kakao applies to nobody pauses the job after exactly one call, with the batch and its first users', async () => {
    const fileId = await newFile();
    const { client } = recordingClient(server);
    const runner = makeRunner(client, store, 4);
    // Field names that are not in the file's schema: Kakao accepts the call and applies nobody.
    const users = Array.from({ length: 10_000 }, (_, i) => ({ id: String(6_000_000 + i), field: { 등급: 'VIP' } }));
    const job = await createFilledJob(runner, { kind: 'upload', channelId: CHANNEL, fileId, userType: 'app' }, users);
    await runner.start(job.id);

    const paused = (await store.getJob(job.id))!;
    expect(simCalls(UPDATE)).toHaveLength(1);
    expect(paused).toMatchObject({ status: 'paused', doneBatches: 1, requestCount: 2_000, successCount: 0 });
    expect(paused.reconcile).toEqual({
      batch: 0,
      requestCount: 2_000,
      successCount: 0,
      sample: ['6000000', '6000001', '6000002', '6000003', '6000004'],
    });

    // Resume: the manager read it and goes on; the job does not stop again for low counts.
    await runner.start(job.id);
    const final = (await store.getJob(job.id))!;
    expect(final).toMatchObject({ status: 'done', doneBatches: 5, reconcileAcknowledged: true, failedItems: 10_000 });
    expect(final.reconcile).toBeUndefined();
    expect(simCalls(UPDATE)).toHaveLength(5); // the first batch was not sent again
  });

  it('a later batch applied to fewer than half pauses after that batch, not after the rest', async () => {
    const fileId = await newFile();
    const { client } = recordingClient(server);
    const runner = makeRunner(client, store, 1);
    const good = makeUsers(4_000);
    const bad = Array.from({ length: 16_000 }, (_, i) => ({ id: String(7_000_000 + i), field: { 등급: 'VIP' } }));
    const job = await createFilledJob(runner, { kind: 'upload', channelId: CHANNEL, fileId, userType: 'app' }, [
      ...good,
      ...bad,
    ]);
    await runner.start(job.id);
    expect(await store.getJob(job.id)).toMatchObject({
      status: 'paused',
      doneBatches: 3,
      reconcile: { batch: 2, successCount: 0 },
    });
    expect(simCalls(UPDATE)).toHaveLength(3);
    await runner.cancel(job.id);
    expect((await store.getJob(job.id))!.status).toBe('cancelled');
    expect(simCalls(UPDATE)).toHaveLength(3);
  });
});

describe('uncertain batches: the write lands, its answer is lost', () => {
  it('an upload batch whose answers were lost is uncertain, the job pauses saying so, and resume sends it again', async () => {
    const fileId = await newFile();
    server.setHang(300);
    const { client } = recordingClient(server, 150);
    const runner = makeRunner(client, store, 2);
    const users = makeUsers(6_000); // 3 batches
    const job = await createFilledJob(runner, { kind: 'upload', channelId: CHANNEL, fileId, userType: 'app' }, users);
    // The first batch is sent alone: every attempt at it lands, and every answer is lost (1 + 8 retries).
    server.sim.injectFaults('timeout-after', 9, UPDATE);
    await runner.start(job.id);

    const paused = (await store.getJob(job.id))!;
    expect(paused).toMatchObject({
      status: 'paused',
      uncertainBatches: 1,
      uncertainItems: 2_000,
      doneBatches: 3,
      successCount: 4_000,
    });
    expect(paused.pause).toBeUndefined();
    expect(server.sim.fileUsers(fileId)!.size).toBe(6_000); // it did land
    expect(await store.confirmedBatches(job.id)).toEqual(new Set([1, 2]));

    server.sim.clearLog();
    await runner.start(job.id); // "Resume": an add is an upsert, so it is sent again
    expect(simCalls(UPDATE).map((e) => e.status)).toEqual([200]);
    expect(await store.getJob(job.id)).toMatchObject({
      status: 'done',
      uncertainBatches: 0,
      requestCount: 6_000,
      successCount: 6_000,
    });
  });

  it('a delete whose connection dropped after it landed is not retried, and is resent only when the manager confirms', async () => {
    const fileId = await newFile();
    const { client } = recordingClient(server);
    const runner = makeRunner(client, store, 4);
    server.sim.setDialect('strict');
    const users = makeUsers(6_000);
    await runner.start(
      (await createFilledJob(runner, { kind: 'upload', channelId: CHANNEL, fileId, userType: 'app' }, users)).id,
    );
    const job = await createFilledJob(
      runner,
      { kind: 'delete', channelId: CHANNEL, fileId, userType: 'app' },
      users.map((u) => u.id),
    );
    server.sim.injectFaults('reset-after', 1, DELETE);
    await runner.start(job.id);

    expect(simCalls(DELETE)).toHaveLength(3); // the lost one was not retried
    const paused = (await store.getJob(job.id))!;
    expect(paused).toMatchObject({ status: 'paused', uncertainBatches: 1, uncertainItems: 2_000, successCount: 4_000 });
    expect(server.sim.fileUsers(fileId)!.size).toBe(0); // the first batch had landed

    // A plain resume (or a worker restart) does not resend it.
    await runner.resumeRunning();
    await runner.idle();
    expect(simCalls(DELETE)).toHaveLength(3);

    // Confirmed: sent again; Kakao finds nobody left to delete, and the counts say so.
    await runner.start(job.id, { resendUncertain: true });
    expect(simCalls(DELETE)).toHaveLength(4);
    expect(await store.getJob(job.id)).toMatchObject({
      status: 'done',
      uncertainBatches: 0,
      requestCount: 6_000,
      successCount: 4_000,
      failedItems: 2_000,
    });
  });

  it('a delete finished without resending keeps its uncertain batch in the counts', async () => {
    const fileId = await newFile();
    const { client } = recordingClient(server);
    const runner = makeRunner(client, store, 4);
    const job = await createFilledJob(runner, { kind: 'delete', channelId: CHANNEL, fileId, userType: 'app' }, [
      '1',
      '2',
      '3',
    ]);
    server.sim.injectFaults('reset-after', 1, DELETE);
    await runner.start(job.id);
    expect(await store.getJob(job.id)).toMatchObject({ status: 'paused', uncertainBatches: 1 });
    await runner.start(job.id, { resendUncertain: false });
    expect(await store.getJob(job.id)).toMatchObject({ status: 'done', uncertainBatches: 1, uncertainItems: 3 });
    expect(simCalls(DELETE)).toHaveLength(1);
  });
});

describe('file calls have their own timeout', () => {
  it('the client times out a file call at its file timeout and a lookup at its own', async () => {
    const fileId = await newFile();
    server.setHang(3_000);
    const client = createKakaoClient({
      origin: server.origin,
      getKey: async () => SIM_ADMIN_KEY,
      timeoutMs: 1_200,
      fileTimeoutMs: 200,
    });
    server.sim.injectFaults('timeout', 1, UPDATE);
    let started = Date.now();
    await expect(
      client.addUsers({ fileId, channelId: CHANNEL, userType: 'app', users: makeUsers(1) }),
    ).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1_000);
    server.sim.injectFaults('timeout', 1, '/v2/api/talk/channels');
    started = Date.now();
    await expect(client.checkRelationship({ userId: '1' })).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_100);
  });

  it('a job uses the file-timeout setting for every batch call', async () => {
    const fileId = await newFile();
    server.setHang(3_000);
    const { client } = recordingClient(server, 5_000);
    const runner = createJobRunner({
      client,
      store,
      concurrency: async () => 1,
      retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      fileTimeoutMs: async () => 200,
    });
    const job = await createFilledJob(
      runner,
      { kind: 'upload', channelId: CHANNEL, fileId, userType: 'app' },
      makeUsers(10),
    );
    server.sim.injectFaults('timeout-after', 1, UPDATE);
    const started = Date.now();
    await runner.start(job.id);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await store.getJob(job.id)).toMatchObject({ status: 'paused', uncertainBatches: 1, uncertainItems: 10 });
  });
});
