import fs from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createJobStore } from '../../lib/jobs/store';
import { DEFAULT_SETTINGS } from '../../lib/storage/settings';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { createFilledJob, makeRunner, makeUsers, recordingClient } from '../integration/jobs-helpers';

/*
 * API calls and wall time of the two big jobs against the simulator over HTTP,
 * with the default concurrency setting. The job runs exactly as in the extension
 * (same runner, IndexedDB store, client); only the browser is absent.
 */
const LATENCY = Number(process.env.SIM_LATENCY_MS ?? 50);
const results: Record<string, unknown>[] = [];
let server: SimulatorServer;

beforeEach(async () => {
  fakeBrowser.reset();
  server = await startSimulatorServer({ latencyMs: LATENCY });
});
afterEach(async () => {
  await server.close();
  fs.mkdirSync('bench-results', { recursive: true });
  fs.writeFileSync(`bench-results/jobs-${LATENCY}ms.json`, JSON.stringify(results, null, 2));
});

it(`uploads 100,000 users at ${LATENCY} ms latency`, async () => {
  const { client, calls } = recordingClient(server, 20_000);
  const { fileId } = await client.createCustomerFile({
    channelId: '_ZeUTxl',
    fileName: 'bench',
    schema: { 성별: 'string', 구매금액: 'number' },
  });
  calls.length = 0;
  const runner = makeRunner(client, createJobStore(`bench-upload-${LATENCY}`), DEFAULT_SETTINGS.concurrency);
  const job = await createFilledJob(
    runner,
    { kind: 'upload', channelId: '_ZeUTxl', fileId, userType: 'app' },
    makeUsers(100_000),
  );
  const started = performance.now();
  await runner.start(job.id);
  const ms = performance.now() - started;
  expect(server.sim.fileUsers(fileId)!.size).toBe(100_000);
  const row = {
    job: 'upload 100,000 users',
    latencyMs: LATENCY,
    concurrency: DEFAULT_SETTINGS.concurrency,
    apiCalls: calls.length,
    idealCalls: Math.ceil(100_000 / 2000),
    wallMs: Math.round(ms),
  };
  results.push(row);
  console.log(row);
});

it(`checks 100,000 IDs at ${LATENCY} ms latency`, async () => {
  const { client, calls } = recordingClient(server, 20_000);
  const runner = makeRunner(client, createJobStore(`bench-check-${LATENCY}`), DEFAULT_SETTINGS.concurrency);
  const ids = Array.from({ length: 100_000 }, (_, i) => String(10_000_000 + i));
  const job = await createFilledJob(runner, { kind: 'check', channelIds: ['_ZeUTxl', '_frxjem'] }, ids);
  const started = performance.now();
  await runner.start(job.id);
  const ms = performance.now() - started;
  const row = {
    job: 'check 100,000 IDs (2 channels)',
    latencyMs: LATENCY,
    concurrency: DEFAULT_SETTINGS.concurrency,
    apiCalls: calls.length,
    idealCalls: Math.ceil(100_000 / 200),
    wallMs: Math.round(ms),
  };
  results.push(row);
  console.log(row);
});
