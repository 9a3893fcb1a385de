import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CDPSession, ElementHandle, Page, Protocol } from 'puppeteer-core';
import type { SimulatorServer } from '../test/simulator/server';
import { launchChromeWithExtension, type ChromeSession } from '../test/e2e/browsers';
import { saveSettings } from '../test/e2e/flows';
import { SIM_ADMIN_KEY } from '../lib/simulator/model';
import type { BenchRow } from './report';
import { browserCpu, nodeCpu } from './cpu';

const MULTI = '/v2/api/talk/channels/multi';
export const CHANNELS = ['_ZeUTxl', '_frxjem'];
/** Why the API phase runs above ⌈calls/concurrency⌉ × latency (see README, Benchmarks). */
const API_NOTE =
  'batch inputs are read ahead and results written behind (lib/jobs/io.ts); per call the worker still goes through ' +
  "Chrome's network service and parses the answer (a delete also stores its in-flight marker) before that slot asks " +
  'again; on 2 shared cores the worker waits for CPU';

/**
 * Peak JS heap of the extension's service worker, sampled over CDP
 * (Runtime.getHeapUsage on the worker target) every ~100 ms while a job runs.
 */
export class WorkerHeapSampler {
  private timer: NodeJS.Timeout | null = null;
  private inFlight = false;
  peak = 0;
  samples = 0;
  error: unknown = null;

  private constructor(private readonly cdp: CDPSession) {}

  static async attach(session: ChromeSession): Promise<WorkerHeapSampler> {
    const target = session.browser
      .targets()
      .find((t) => t.type() === 'service_worker' && t.url().includes(session.extId));
    if (!target) throw new Error('bench: the extension service worker is not running (no service_worker target)');
    return new WorkerHeapSampler(await target.createCDPSession());
  }

  /** Heap in use right now, after a full GC: the baseline a job starts from. */
  async baseline(): Promise<number> {
    await this.cdp.send('HeapProfiler.collectGarbage');
    return (await this.cdp.send('Runtime.getHeapUsage')).usedSize;
  }

  start(intervalMs = 100) {
    this.peak = 0;
    this.samples = 0;
    this.error = null;
    const sample = async () => {
      if (this.inFlight) return;
      this.inFlight = true;
      try {
        const { usedSize } = await this.cdp.send('Runtime.getHeapUsage');
        this.peak = Math.max(this.peak, usedSize);
        this.samples++;
      } catch (err) {
        this.error ??= err;
      } finally {
        this.inFlight = false;
      }
    };
    void sample();
    this.timer = setInterval(() => void sample(), intervalMs);
  }

  /** Stops sampling; the peak in MB. Throws when no sample could be taken (never reports 0 for "unknown"). */
  async stop(): Promise<number> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.inFlight) await new Promise((r) => setTimeout(r, 10));
    if (this.samples === 0) throw new Error(`bench: no heap sample from the service worker (${String(this.error)})`);
    return this.peak / (1024 * 1024);
  }

  /** BENCH_PROFILE=1: a CPU profile of the worker while a job runs; prints the top functions by self time. */
  async profileStart() {
    if (!process.env.BENCH_PROFILE) return;
    await this.cdp.send('Profiler.enable');
    await this.cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await this.cdp.send('Profiler.start');
  }

  async profileStop(label: string) {
    if (!process.env.BENCH_PROFILE) return;
    printProfile(`worker CPU profile, ${label}`, (await this.cdp.send('Profiler.stop')).profile);
  }

  async detach() {
    if (this.timer) clearInterval(this.timer);
    await this.cdp.detach().catch(() => undefined);
  }
}

/** BENCH_PROFILE=1: the top functions of a CPU profile by self time. */
function printProfile(title: string, profile: Protocol.Profiler.Profile) {
  const self = new Map<string, number>();
  const dt = new Map<number, number>();
  profile.samples?.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)));
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt.get(node.id) ?? 0) / 1000);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${title}: ${total.toFixed(0)} ms sampled`);
  for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${k}`);
}

/** A Chrome with the extension installed, its key and two channels saved through the options page. */
export async function launchConfigured(extDir: string): Promise<ChromeSession> {
  const session = await launchChromeWithExtension(extDir);
  try {
    const options = await session.openExtensionPage('options.html');
    await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
    await options.close();
    return session;
  } catch (err) {
    await session.close();
    throw err;
  }
}

/** Picks a CSV file in a workspace CSV source, as a user does, and waits for its preview. */
export async function pickCsv(page: Page, file: string) {
  const input = (await page.waitForSelector('input[name="csvFile"]')) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(file);
  await page.waitForSelector('[data-testid="csv-preview"]', { timeout: 30_000 });
}

/** Waits until the job on screen is done; fails with the job's status if it paused or was cancelled. */
export async function waitForJobDone(page: Page, timeoutMs: number) {
  await page.waitForFunction(
    () =>
      ['done', 'paused', 'cancelled'].includes(
        document.querySelector('[data-testid="job-progress"]')?.getAttribute('data-status') ?? '',
      ),
    {
      timeout: timeoutMs,
      polling: 'mutation',
    },
  );
  const status = await page.$eval('[data-testid="job-progress"]', (el) => [
    el.getAttribute('data-status'),
    el.getAttribute('data-done'),
    el.getAttribute('data-total'),
  ]);
  if (status[0] !== 'done')
    throw new Error(`bench: the job stopped as ${status[0]} after ${status[1]}/${status[2]} items`);
}

/**
 * BENCH_GAPS=1: per-call overhead, the time from an answer leaving the simulator to the call that took its slot
 * arriving (the k-th call after the first `concurrency` waits for the k-th answer).
 */
function logGaps(label: string, calls: readonly { at: number }[], latencyMs: number, concurrency: number) {
  const answers = calls.map((c) => c.at + latencyMs).sort((a, b) => a - b);
  const gaps = calls.slice(concurrency).map((c, k) => c.at - answers[k]!);
  gaps.sort((a, b) => a - b);
  const q = (f: number) => gaps[Math.floor(f * (gaps.length - 1))] ?? 0;
  const sum = gaps.reduce((a, b) => a + b, 0);
  const mean = (sum / Math.max(1, gaps.length)).toFixed(1);
  console.log(`${label}: answer → next call, median ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms, mean ${mean} ms`);
}

/** First request logged → last request answered (its latency included). */
export function apiPhase(server: SimulatorServer, pathname: string, latencyMs: number): number {
  const calls = server.sim.log.filter((e) => e.path === pathname);
  return calls.length > 0 ? calls[calls.length - 1]!.at - calls[0]!.at + latencyMs : 0;
}

/** `total` IDs of which 20% repeat an earlier one, in a deterministic shuffled order. */
export function idsWithDuplicates(total: number, base: number): { list: string[]; unique: number } {
  const unique = Math.round(total * 0.8);
  const list = Array.from({ length: total }, (_, i) => String(base + (i < unique ? i : (i * 7919) % unique) * 7));
  let seed = 42;
  for (let i = list.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return { list, unique };
}

/**
 * Bulk relationship check through the workspace UI, as a user does it: pick a
 * CSV of IDs (20% duplicates), press start, wait for the job to be done.
 */
/**
 * Runs one job from the workspace button `startSelector` to done, sampling the
 * worker's heap, and returns the rows every job scenario shares: API calls, wall
 * time, hand-over, API phase and peak heap. Any failed call fails the bench.
 */
export async function measureJob(
  page: Page,
  ctx: { server: SimulatorServer; heap: WorkerHeapSampler; latencyMs: number; concurrency: number },
  job: {
    startSelector: string;
    apiPath: string;
    scenario: string;
    callsMetric: string;
    idealCalls: number;
    callsNote: string;
    handOverNote: string;
  },
): Promise<BenchRow[]> {
  const { server, heap, latencyMs, concurrency } = ctx;
  const base = await heap.baseline();
  server.sim.clearLog();
  heap.start();
  await heap.profileStart();
  const pageCdp = process.env.BENCH_PROFILE ? await page.createCDPSession() : undefined;
  if (pageCdp) {
    await pageCdp.send('Profiler.enable');
    await pageCdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await pageCdp.send('Profiler.start');
  }
  const rootPid = page.browser().process()?.pid;
  const cpu0 = rootPid ? browserCpu(rootPid) : undefined;
  const node0 = nodeCpu();
  const sim0 = server.stats();
  const t0 = performance.now();
  const clickedAt = Date.now(); // the simulator logs Date.now()
  await page.click(job.startSelector);
  await waitForJobDone(page, 180_000);
  const wall = performance.now() - t0;
  const cpu1 = rootPid ? browserCpu(rootPid) : undefined;
  const nodeMs = nodeCpu() - node0;
  const sim1 = server.stats();
  const peak = await heap.stop();
  await heap.profileStop(job.scenario);
  if (pageCdp) {
    printProfile(`page CPU profile, ${job.scenario}`, (await pageCdp.send('Profiler.stop')).profile);
    await pageCdp.detach();
  }

  const calls = server.sim.log.filter((e) => e.path === job.apiPath);
  if (process.env.BENCH_GAPS) logGaps(job.scenario, calls, latencyMs, concurrency);
  const failed = calls.filter((e) => e.status !== 200).length;
  if (failed > 0) throw new Error(`bench: ${failed} ${job.apiPath} calls failed`);
  const idealMs = Math.ceil(job.idealCalls / concurrency) * latencyMs;
  const { scenario } = job;
  const answers = Math.max(1, sim1.answers - sim0.answers);
  const cpuRows: BenchRow[] = [];
  if (cpu0 && cpu1) {
    const ext = cpu1.extension - cpu0.extension;
    cpuRows.push(
      {
        scenario,
        metric: 'CPU: extension process (worker + page), per call',
        measured: ext / calls.length,
        ideal: null,
        unit: 'ms',
        note: `${ext.toFixed(0)} ms over the job (/proc, 10 ms ticks): the product's own work, moves little with load`,
      },
      {
        scenario,
        metric: "CPU: Chrome's network service + browser process, per call",
        measured: (cpu1.network - cpu0.network + cpu1.browser - cpu0.browser) / calls.length,
        ideal: null,
        unit: 'ms',
        note: 'IPC and HTTP of each fetch, and the browser side of storage and extension APIs',
      },
    );
  }
  cpuRows.push(
    {
      scenario,
      metric: 'simulator: handling + writing, per call',
      measured: (sim1.busyMs - sim0.busyMs) / answers,
      ideal: null,
      unit: 'ms',
      note: `not the product's; Node in all (also puppeteer) used ${(nodeMs / calls.length).toFixed(1)} ms CPU a call`,
    },
    {
      scenario,
      metric: 'simulator: answers late after their latency, mean',
      measured: (sim1.lateMs - sim0.lateMs) / answers,
      ideal: null,
      unit: 'ms',
      note: "a busy Node event loop delays the answer: part of each gap that is the bench's, not the product's",
    },
  );
  return [
    { scenario, metric: job.callsMetric, measured: calls.length, ideal: job.idealCalls, unit: '', note: job.callsNote },
    {
      scenario,
      metric: 'start → job done (wall)',
      measured: wall,
      ideal: idealMs,
      unit: 'ms',
      note: `ideal = ⌈calls/${concurrency}⌉ × latency; includes the hand-over below`,
    },
    {
      scenario,
      metric: 'hand-over (start → first call)',
      measured: (calls[0]?.at ?? clickedAt) - clickedAt,
      ideal: null,
      unit: 'ms',
      note: job.handOverNote,
    },
    {
      scenario,
      metric: 'API phase (first call → last answer)',
      measured: apiPhase(server, job.apiPath, latencyMs),
      ideal: idealMs,
      unit: 'ms',
      note: API_NOTE,
    },
    ...cpuRows,
    {
      scenario,
      metric: 'peak worker JS heap',
      measured: peak,
      ideal: null,
      unit: 'MB',
      note: `sampled every 100 ms over CDP; ${(base / 2 ** 20).toFixed(1)} MB after GC before the job`,
    },
  ];
}

export async function bulkCheckScenario(
  extDir: string,
  server: SimulatorServer,
  latencyMs: number,
  concurrency: number,
): Promise<BenchRow[]> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-bench-bulk-'));
  const session = await launchConfigured(extDir);
  const heap = await WorkerHeapSampler.attach(session).catch(async (err) => {
    await session.close();
    throw err;
  });
  const rows: BenchRow[] = [];
  try {
    for (const total of [10_000, 100_000]) {
      const { list, unique } = idsWithDuplicates(total, 40_000_000 + total);
      const file = path.join(tmp, `ids-${total}.csv`);
      fs.writeFileSync(file, ['회원번호', ...list].join('\r\n'));

      const page = await session.openExtensionPage('workspace.html#/relationships');
      await page.setViewport({ width: 1280, height: 900 });
      await pickCsv(page, file);
      const measured = await measureJob(
        page,
        { server, heap, latencyMs, concurrency },
        {
          startSelector: '[data-action="start-check"]',
          apiPath: MULTI,
          scenario: `bulk check (${total.toLocaleString('en-US')} IDs, 20% dup, UI)`,
          callsMetric: '/multi calls',
          idealCalls: Math.ceil(unique / 200),
          callsNote: 'ideal = ⌈unique/200⌉',
          handOverNote:
            "includes the page's own CSV read (row below); then the page writes the deduped IDs into the job store " +
            '(IndexedDB) and sends the job id; the worker checks them once',
        },
      );
      const pageParseMs = await page.evaluate(() => performance.getEntriesByName('cd:csv-parse').at(-1)?.duration);
      if (pageParseMs === undefined) throw new Error('bench: the workspace set no cd:csv-parse measure');
      const heapRow = measured.pop()!;
      rows.push(
        ...measured,
        {
          scenario: heapRow.scenario,
          metric: "page's own CSV read (parse, validate, dedupe)",
          measured: pageParseMs,
          ideal: null,
          unit: 'ms',
          note: 'performance.measure in the workspace page, part of start → first call',
        },
        heapRow,
      );
      await page.close();
    }
    return rows;
  } finally {
    await heap.detach();
    await session.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
