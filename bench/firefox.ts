import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SimulatorServer } from '../test/simulator/server';
import { launchFirefoxWithExtension } from '../test/e2e/browsers';
import { saveSettings } from '../test/e2e/flows';
import { SIM_ADMIN_KEY } from '../lib/simulator/model';
import { CHANNELS, apiPhase, idsWithDuplicates, pickCsv, waitForJobDone } from './bulk';
import type { BenchRow } from './report';

const MULTI = '/v2/api/talk/channels/multi';

/**
 * The 10,000-ID bulk check through the workspace UI in Firefox ESR, exactly as in
 * Chromium (bench/bulk.ts) but without the worker heap row: Firefox's background
 * page has no CDP heap sampling over WebDriver BiDi.
 */
export async function firefoxBulkCheckScenario(
  extDir: string,
  server: SimulatorServer,
  latencyMs: number,
  concurrency: number,
): Promise<BenchRow[]> {
  const total = 10_000;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-bench-ffbulk-'));
  const session = await launchFirefoxWithExtension(extDir);
  try {
    const options = await session.openExtensionPage('options.html');
    await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
    await options.close();

    const { list, unique } = idsWithDuplicates(total, 40_000_000 + total);
    const file = path.join(tmp, `ids-${total}.csv`);
    fs.writeFileSync(file, ['회원번호', ...list].join('\r\n'));
    const page = await session.openExtensionPage('workspace.html#/relationships');
    await page.setViewport({ width: 1280, height: 900 });
    await pickCsv(page, file);

    server.sim.clearLog();
    const t0 = performance.now();
    const clickedAt = Date.now(); // the simulator logs Date.now()
    await page.click('[data-action="start-check"]');
    await waitForJobDone(page, 180_000);
    const wall = performance.now() - t0;
    await page.close();

    const calls = server.sim.log.filter((e) => e.path === MULTI);
    const failed = calls.filter((e) => e.status !== 200).length;
    if (failed > 0) throw new Error(`bench: ${failed} ${MULTI} calls failed in Firefox`);
    const idealCalls = Math.ceil(unique / 200);
    const idealMs = Math.ceil(idealCalls / concurrency) * latencyMs;
    const scenario = `bulk check (${total.toLocaleString('en-US')} IDs, 20% dup, UI)`;
    return [
      {
        scenario,
        metric: '/multi calls',
        measured: calls.length,
        ideal: idealCalls,
        unit: '',
        note: 'ideal = ⌈unique/200⌉',
      },
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
      },
      {
        scenario,
        metric: 'API phase (first call → last answer)',
        measured: apiPhase(server, MULTI, latencyMs),
        ideal: idealMs,
        unit: 'ms',
        note: "Firefox's event page on the same 2 shared cores",
      },
    ];
  } finally {
    await session.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
