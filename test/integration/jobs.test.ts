import { isDeepStrictEqual } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { checkRowReason } from '../../lib/jobs/model';
import { createJobStore, type JobStore } from '../../lib/jobs/store';
import { simDropsUser, simLacksChannels } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { createFilledJob, makeRunner, makeUsers, recordingClient, waitFor } from './jobs-helpers';

const CHANNEL = '_ZeUTxl';
const SCHEMA = { 성별: 'string', 구매금액: 'number' } as const;
const UPDATE = '/v1/talkchannel/update/target_users';

let server: SimulatorServer;
let store: JobStore;
let dbCount = 0;

async function newFile(name = 'vip') {
  const { client } = recordingClient(server);
  const { fileId } = await client.createCustomerFile({ channelId: CHANNEL, fileName: name, schema: SCHEMA });
  return fileId;
}

beforeEach(async () => {
  fakeBrowser.reset();
  server = await startSimulatorServer({ latencyMs: 0 });
  store = createJobStore(`jobs-test-${++dbCount}`);
});
afterEach(async () => {
  await server.close();
});

describe('upload job against the simulator', () => {
  it('uploads 100,000 users through 10% injected 5xx and timeouts, ending with exactly the input in the file', async () => {
    const fileId = await newFile();
    server.sim.setFaultRate(0.1, ['5xx', 'timeout'], '/v1/talkchannel/update');
    // A "timeout" holds the connection past the client's timeout, then drops it. The client's timeout is far above
    // a normal call's time even on a loaded machine (150 ms was not: slow calls timed out and retried until the
    // test's own 30 s ran out).
    server.setHang(2_000);
    const { client, calls } = recordingClient(server, 1_500);
    const runner = makeRunner(client, store, 4);
    const users = makeUsers(100_000);
    const job = await createFilledJob(
      runner,
      { kind: 'upload', channelId: CHANNEL, fileId, fileName: 'vip', userType: 'app' },
      users,
    );
    expect(job.batches).toBe(50);

    await runner.start(job.id);

    const final = (await store.getJob(job.id))!;
    expect(final).toMatchObject({
      status: 'done',
      doneItems: 100_000,
      requestCount: 100_000,
      successCount: 100_000,
      failedItems: 0,
      doneBatches: 50,
    });
    const inFile = server.sim.fileUsers(fileId)!;
    expect(inFile.size).toBe(100_000);
    // Every user with exactly its fields (one expect: 100,000 toEqual calls took most of this test's 8 s).
    expect(users.filter((u) => !isDeepStrictEqual(inFile.get(u.id), u.field)).map((u) => u.id)).toEqual([]);

    // Faults really happened and were retried; every batch was confirmed exactly once.
    const updates = calls.filter((c) => c.path === UPDATE);
    const faults = server.sim.log.filter((e) => e.path === UPDATE && e.fault);
    expect(faults.length).toBeGreaterThan(0);
    expect(faults.some((f) => f.fault === 'timeout')).toBe(true);
    expect(updates.filter((c) => c.status === 200)).toHaveLength(50);
    expect(final.apiCalls).toBe(updates.length);
    expect(final.retries).toBe(updates.length - 50);
  });

  it('resumes after the worker stops mid-way: no batch lost, no confirmed batch sent again', async () => {
    const fileId = await newFile();
    server.setLatency(40);
    const first = recordingClient(server);
    const runner1 = makeRunner(first.client, store, 2);
    const users = makeUsers(40_000); // 20 batches
    const job = await createFilledJob(runner1, { kind: 'upload', channelId: CHANNEL, fileId, userType: 'app' }, users);
    void runner1.start(job.id);
    await waitFor(async () => ((await store.getJob(job.id))?.doneBatches ?? 0) >= 5);
    await runner1.stop(); // the service worker goes away

    const confirmed = await store.confirmedBatches(job.id);
    const confirmedFirstUsers = new Set([...confirmed].map((i) => users[i * 2000]!.id));
    expect(confirmed.size).toBeGreaterThanOrEqual(5);
    expect(confirmed.size).toBeLessThan(20);
    expect((await store.getJob(job.id))!.status).toBe('running');

    // A new worker starts from the same persisted state.
    const second = recordingClient(server);
    const runner2 = makeRunner(second.client, store, 2);
    await runner2.resumeRunning();
    await runner2.idle();

    const final = (await store.getJob(job.id))!;
    expect(final).toMatchObject({ status: 'done', doneBatches: 20, doneItems: 40_000, successCount: 40_000 });
    const resent = second.calls.filter((c) => c.path === UPDATE).map((c) => c.firstUser!);
    expect(resent.filter((id) => confirmedFirstUsers.has(id))).toEqual([]);
    expect(new Set(resent).size).toBe(20 - confirmed.size);
    // Across both workers, every batch reached Kakao with a 200 at least once.
    const sentOk = new Set(
      [...first.calls, ...second.calls].filter((c) => c.status === 200 && c.path === UPDATE).map((c) => c.firstUser),
    );
    expect(sentOk.size).toBe(20);
    // The simulator saw one successful call per batch, plus at most, per concurrency slot (2), the call in flight
    // when the worker stopped and one answered whose result was still being stored (results are written behind the
    // next call): those batches have no result, so they are sent again, which an add (an upsert) allows.
    const okInSim = server.sim.log.filter((e) => e.path === UPDATE && e.status === 200).length;
    expect(okInSim).toBeGreaterThanOrEqual(20);
    expect(okInSim).toBeLessThanOrEqual(20 + 2 * 2);
    expect(server.sim.fileUsers(fileId)!.size).toBe(40_000);
  });

  it('pauses on -10 with its explanation, without retrying, and resumes after the quota clears', async () => {
    const fileId = await newFile();
    const { client, calls } = recordingClient(server);
    const runner = makeRunner(client, store, 1);
    const users = makeUsers(5_000); // 3 batches
    const job = await createFilledJob(runner, { kind: 'upload', channelId: CHANNEL, fileId, userType: 'app' }, users);
    server.sim.injectFaults('-10', 1, '/v1/talkchannel/update');

    await runner.start(job.id);
    const paused = (await store.getJob(job.id))!;
    expect(paused.status).toBe('paused');
    expect(paused.pause).toMatchObject({ code: -10, retryable: false });
    expect(paused.pause!.explanation.ko).toContain('한도');
    expect(paused.pause!.explanation.en).toContain('quota');
    expect(calls.filter((c) => c.path === UPDATE)).toHaveLength(1);
    expect(server.sim.fileUsers(fileId)!.size).toBe(0);

    await runner.start(job.id); // "Resume"
    const final = (await store.getJob(job.id))!;
    expect(final.status).toBe('done');
    expect(final.pause).toBeUndefined();
    expect(server.sim.fileUsers(fileId)!.size).toBe(5_000);
  });

  it('a bad key (-401) pauses the job too, and cancel stops it for good', async () => {
    const fileId = await newFile();
    const { client } = recordingClient(server);
    const runner = makeRunner(client, store, 1);
    const job = await createFilledJob(runner, { kind: 'delete', channelId: CHANNEL, fileId, userType: 'app' }, [
      '1',
      '2',
      '3',
    ]);
    // A worker whose key the API does not know (a simulator with a different key list).
    const other = await startSimulatorServer({ adminKeys: ['ffffffffffffffffffffffffffffffff'] });
    const wrong = makeRunner(recordingClient(other).client, store, 1);
    await wrong.start(job.id);
    expect((await store.getJob(job.id))!.pause?.code).toBe(-401);
    await other.close();
    await runner.cancel(job.id);
    const final = (await store.getJob(job.id))!;
    expect(final.status).toBe('cancelled');
    await runner.start(job.id);
    expect((await store.getJob(job.id))!.status).toBe('cancelled');
    expect(server.sim.log.filter((e) => e.path === '/v1/talkchannel/delete/target_users')).toHaveLength(0);
  });
});

describe('delete job against the simulator', () => {
  it('removes exactly the listed users and reports how many Kakao found', async () => {
    const fileId = await newFile();
    const { client } = recordingClient(server);
    const runner = makeRunner(client, store, 4);
    const users = makeUsers(5_000);
    await runner.start(
      (await createFilledJob(runner, { kind: 'upload', channelId: CHANNEL, fileId, userType: 'app' }, users)).id,
    );
    expect(server.sim.fileUsers(fileId)!.size).toBe(5_000);

    // 2,500 users in the file plus 100 that never were: Kakao counts them as requested, not successful.
    const toDelete = [
      ...users.slice(0, 2_500).map((u) => u.id),
      ...Array.from({ length: 100 }, (_, i) => String(9_900_000 + i)),
    ];
    const job = await createFilledJob(
      runner,
      { kind: 'delete', channelId: CHANNEL, fileId, userType: 'app' },
      toDelete,
    );
    await runner.start(job.id);
    expect(await store.getJob(job.id)).toMatchObject({
      status: 'done',
      batches: 2,
      requestCount: 2_600,
      successCount: 2_500,
      failedItems: 100,
    });
    const left = server.sim.fileUsers(fileId)!;
    expect(left.size).toBe(2_500);
    expect(left.has(users[0]!.id)).toBe(false);
    expect(left.has(users[4_999]!.id)).toBe(true);
  });
});

describe('bulk relationship check job', () => {
  it('checks 1,000 IDs in batches of 200 and stores the simulator relations per channel', async () => {
    const { client, calls } = recordingClient(server);
    const runner = makeRunner(client, store, 4);
    const ids = Array.from({ length: 1_000 }, (_, i) => String(7_000_000 + i));
    const channels = ['_ZeUTxl', '_frxjem'];
    const job = await createFilledJob(runner, { kind: 'check', channelIds: channels }, ids);
    await runner.start(job.id);

    expect(calls.filter((c) => c.path === '/v2/api/talk/channels/multi')).toHaveLength(5);
    const final = (await store.getJob(job.id))!;
    expect(final).toMatchObject({ status: 'done', doneItems: 1_000, failedItems: 0 });
    const results = await store.results(job.id);
    const rows = [...results.keys()].sort((a, b) => a - b).flatMap((k) => results.get(k)!.rows!);
    expect(rows.map((r) => r[0])).toEqual(ids);
    for (const row of rows) {
      channels.forEach((channel, i) => {
        const truth = server.sim.relationOf(row[0], channel);
        expect(row[1 + i * 2]).toBe(truth.relation);
        expect(row[2 + i * 2]).toBe(truth.updatedAt ?? '');
      });
    }
    for (const channel of channels) {
      const c = final.relations[channel]!;
      expect(c.ADDED + c.BLOCKED + c.NONE).toBe(1_000);
      expect(c.ADDED).toBe(ids.filter((id) => server.sim.relationOf(id, channel).relation === 'ADDED').length);
    }
  });

  it('in the variant dialect: users without channels are UNKNOWN with the reason, their batch-mates exact, dropped users not_answered', async () => {
    server.sim.setDialect('variant');
    const { client } = recordingClient(server);
    const runner = makeRunner(client, store, 4);
    const ids = Array.from({ length: 1_000 }, (_, i) => String(7_000_000 + i));
    const channels = ['_ZeUTxl', '_frxjem'];
    const job = await createFilledJob(runner, { kind: 'check', channelIds: channels }, ids);
    await runner.start(job.id);

    const lacking = ids.filter(simLacksChannels);
    const dropped = ids.filter(simDropsUser);
    expect(lacking.length).toBeGreaterThan(50);
    expect(dropped.length).toBeGreaterThan(10);
    const final = (await store.getJob(job.id))!;
    // Every batch of 200 was confirmed: an odd element cost its user, never the batch.
    expect(final).toMatchObject({
      status: 'done',
      doneItems: 1_000,
      doneBatches: 5,
      failedItems: lacking.length + dropped.length,
    });
    const results = await store.results(job.id);
    const rows = [...results.keys()].sort((a, b) => a - b).flatMap((k) => results.get(k)!.rows!);
    expect(rows.map((r) => r[0])).toEqual(ids);
    for (const row of rows) {
      const id = row[0];
      channels.forEach((channel, i) => {
        if (simLacksChannels(id) || simDropsUser(id)) {
          expect(row[1 + i * 2]).toBe('UNKNOWN');
          expect(checkRowReason(row, channels.length, i)).toBe(simLacksChannels(id) ? 'no_channels' : 'not_answered');
        } else {
          const truth = server.sim.relationOf(id, channel);
          expect(row[1 + i * 2]).toBe(truth.relation);
          // +09:00 in the answer, normalised back to the same instant in UTC.
          expect(row[2 + i * 2]).toBe(truth.updatedAt ?? '');
          expect(checkRowReason(row, channels.length, i)).toBeUndefined();
        }
      });
    }
    for (const channel of channels) {
      const c = final.relations[channel]!;
      expect(c.UNKNOWN).toBe(lacking.length + dropped.length);
      expect(c.ADDED).toBe(
        ids.filter(
          (id) => !simLacksChannels(id) && !simDropsUser(id) && server.sim.relationOf(id, channel).relation === 'ADDED',
        ).length,
      );
    }
  });
});
