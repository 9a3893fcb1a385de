import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createWorkspaceFeature, JOBS_ALARM } from '../../lib/background/workspace';
import { createJobStore, type JobStore } from '../../lib/jobs/store';
import { workspaceCommands } from '../../lib/messages/commands/workspace';
import { dispatch, type Handlers } from '../../lib/messages/router';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { recordingClient, waitFor } from './jobs-helpers';
import { settingsItem } from '@/lib/storage/settings';

const ID = { id: 'ext-id', origin: 'chrome-extension://ext-id' };
const PAGE = { id: 'ext-id', origin: 'chrome-extension://ext-id' };
const CONTENT = { id: 'ext-id', origin: 'https://shop.example', tab: { id: 3 } };

let server: SimulatorServer;
let store: JobStore;
let n = 0;

function feature() {
  const { client, calls } = recordingClient(server);
  const f = createWorkspaceFeature({ apiOrigin: server.origin, client, store });
  // Only the workspace commands matter here; the others are never dispatched.
  return {
    f,
    calls,
    send: (name: keyof typeof workspaceCommands, data: unknown, sender: object = PAGE) =>
      dispatch(name, data, sender, f.handlers as unknown as Handlers, ID),
  };
}

beforeEach(async () => {
  fakeBrowser.reset();
  server = await startSimulatorServer({ latencyMs: 30 });
  store = createJobStore(`feature-test-${++n}`);
});
afterEach(() => server.close());

describe('workspace commands in the background', () => {
  it('every workspace command is for extension pages only: a content script is refused', async () => {
    for (const spec of Object.values(workspaceCommands)) expect(spec.allow).toEqual(['extension']);
    const { send } = feature();
    expect(await send('listJobs', {}, CONTENT)).toMatchObject({ ok: false, refusal: 'refused_sender' });
    expect(await send('listCustomerFiles', { channelId: '_ZeUTxl' }, { id: 'other-extension' })).toMatchObject({
      ok: false,
      refusal: 'refused_sender',
    });
    expect(server.sim.log).toHaveLength(0);
  });

  it('rejects malformed input with a specific reason and never stores it', async () => {
    const { send } = feature();
    expect(await send('createCustomerFile', { channelId: 'ZeUTxl', fileName: 'a', schema: {} })).toMatchObject({
      ok: false,
      refusal: 'invalid_message',
    });
    const created = await send('createJob', { kind: 'check', total: 3, channelIds: ['_ZeUTxl'] });
    expect(created.ok).toBe(true);
    const jobId = (created as { value: { id: string } }).value.id;
    const bad = await send('addJobItems', { jobId, offset: 0, items: ['111', 'x22', '333'] });
    expect(bad).toMatchObject({ ok: false, error: { code: -2 } });
    expect((await store.getJob(jobId))!.received).toBe(0);
    expect(await send('startJob', { jobId })).toMatchObject({
      ok: false,
      error: { code: 'job_incomplete', detail: 'job input is incomplete' },
    });
    expect(await send('createJob', { kind: 'upload', total: 3 })).toMatchObject({ ok: false, error: { code: -2 } });
  });

  it('lists files with the slot counts, creates one, and runs a check job to the end', async () => {
    const { send, f } = feature();
    const made = await send('createCustomerFile', {
      channelId: '_ZeUTxl',
      fileName: '이벤트 응모자',
      schema: { 응모일: 'string' },
    });
    expect(made).toMatchObject({ ok: true });
    const listing = await send('listCustomerFiles', { channelId: '_ZeUTxl' });
    expect(listing).toMatchObject({
      ok: true,
      value: { usingSlot: 3, emptySlot: 27, files: [{ file_name: '이벤트 응모자', schema: { 응모일: 'string' } }] },
    });

    const created = (await send('createJob', { kind: 'check', total: 450, channelIds: ['_ZeUTxl'] })) as {
      ok: true;
      value: { id: string };
    };
    const ids = Array.from({ length: 450 }, (_, i) => String(600 + i));
    await send('addJobItems', { jobId: created.value.id, offset: 0, items: ids });
    expect(await send('startJob', { jobId: created.value.id })).toMatchObject({
      ok: true,
      value: { status: 'running' },
    });
    await waitFor(async () => (await store.getJob(created.value.id))?.status === 'done');
    // Idle again: no wake-up alarm left (the runner goes idle just after its last write lands).
    await f.runner.idle();
    expect(await fakeBrowser.alarms.get(JOBS_ALARM)).toBeUndefined();
  });

  it('a worker that starts again resumes the running job from its checkpoint', async () => {
    // One call at a time (10 batches of 30 ms), so the job is still mid-way when the first worker stops.
    await settingsItem.setValue({ ...(await settingsItem.getValue()), concurrency: 1 });
    const first = feature();
    const created = (await first.send('createJob', { kind: 'check', total: 2000, channelIds: ['_ZeUTxl'] })) as {
      ok: true;
      value: { id: string };
    };
    const jobId = created.value.id;
    await first.send('addJobItems', {
      jobId,
      offset: 0,
      items: Array.from({ length: 2000 }, (_, i) => String(900_000 + i)),
    });
    await first.send('startJob', { jobId });
    expect(await fakeBrowser.alarms.get(JOBS_ALARM)).toMatchObject({ name: JOBS_ALARM, periodInMinutes: 0.5 });
    await waitFor(async () => ((await store.getJob(jobId))?.doneBatches ?? 0) >= 2);
    await first.f.runner.stop();
    const confirmed = [...(await store.confirmedBatches(jobId))].map((b) => String(900_000 + b * 200));

    const second = feature();
    second.f.start(); // what the background does when the worker wakes
    await waitFor(async () => (await store.getJob(jobId))?.status === 'done');
    const resent = second.calls.map((c) => c.firstUser);
    expect(resent.filter((id) => confirmed.includes(id!))).toEqual([]);
    expect(new Set(resent).size).toBe(10 - confirmed.length);
    expect((await store.getJob(jobId))!.doneItems).toBe(2000);
  });
});
