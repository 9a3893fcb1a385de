import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { checkUser, readRelationRows, saveSettings } from './flows';
import { saveScreenshot } from './screenshots';
import { launchChromeWithExtension, type ChromeSession } from './browsers';

const CHANNELS = ['_ZeUTxl', '_frxjem'];
const USER = '1234567890123456789';
const IDS = Array.from({ length: 450 }, (_, i) => String(61_000_000 + i)); // 3 batches: 200, 200, 50

let server: SimulatorServer;
let chromeSession: ChromeSession;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-apilog-e2e-'));

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 10 });
  chromeSession = await launchChromeWithExtension(inject('chromeExtDir'));
});
afterAll(async () => {
  await chromeSession?.close();
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface LogRow {
  endpoint: string | null;
  status: string | null;
  job: string | null;
  backend: string | null;
  text: string;
  batch: string;
  shape: string | null;
}

async function readLogRows(page: Page): Promise<LogRow[]> {
  await page.waitForSelector('tr[data-endpoint]');
  return page.$$eval('tr[data-endpoint]', (els) =>
    els.map((el) => ({
      endpoint: el.getAttribute('data-endpoint'),
      status: el.getAttribute('data-status'),
      job: el.getAttribute('data-job-id'),
      backend: el.getAttribute('data-backend'),
      text: el.textContent ?? '',
      batch: el.querySelectorAll('td')[3]?.textContent ?? '',
      shape: el.querySelector('[data-action="toggle-shape"]')?.getAttribute('title') ?? null,
    })),
  );
}

async function waitForDownload(dir: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const done = fs.readdirSync(dir).filter((f) => f.endsWith('.csv'));
    if (done.length > 0) return path.join(dir, done[0]!);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no download arrived');
}

describe('API log (API 기록), end to end in Chromium', () => {
  it('records the key test, a popup check and a bulk check, shows them with their job and shape, and exports them, never with the key or user IDs', async () => {
    const options = await chromeSession.openExtensionPage('options.html');
    await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
    await options.click('[data-action="test-key"]');
    await options.waitForSelector('[data-testid="test-ok"]');
    await options.close();

    const popup = await chromeSession.openExtensionPage('popup.html');
    await checkUser(popup, USER);
    expect((await readRelationRows(popup)).map((r) => r.channel)).toEqual(CHANNELS);
    await popup.close();

    const ws = await chromeSession.openExtensionPage('workspace.html#/relationships');
    await ws.setViewport({ width: 1280, height: 900 });
    await ws.waitForSelector('[data-action="source-paste"]');
    await ws.click('[data-action="source-paste"]');
    await ws.waitForSelector('textarea[name="pasteText"]');
    await ws.$eval(
      'textarea[name="pasteText"]',
      (el, v) => {
        (el as HTMLTextAreaElement).value = v;
        el.dispatchEvent(new Event('input', { bubbles: true }));
      },
      IDS.join('\n'),
    );
    await ws.waitForSelector('[data-testid="csv-preview"]');
    await ws.click('[data-action="start-check"]');
    await ws.waitForFunction(
      () => document.querySelector('[data-testid="job-progress"]')?.getAttribute('data-status') === 'done',
      { timeout: 60_000 },
    );

    // The log section, reached from the navigation.
    await ws.click('.ws-nav a[data-section="api-log"]');
    const rows = await readLogRows(ws);
    const multi = rows.filter((r) => r.endpoint === '/v2/api/talk/channels/multi');
    expect(multi).toHaveLength(3);
    const jobId = multi[0]!.job;
    expect(jobId).toMatch(/^check-/);
    for (const r of multi) {
      expect(r).toMatchObject({ status: '200', job: jobId, backend: 'real' });
      expect(r.text).toContain('_ZeUTxl, _frxjem');
      expect(r.shape).toMatch(/^\[\{.*channels:\[\{.*relation:string.*\}\].*user_id:number.*\}\]$/);
    }
    expect(multi.map((r) => r.batch).sort()).toEqual(['200', '200', '50']);
    const single = rows.filter((r) => r.endpoint === '/v2/api/talk/channels');
    expect(single).toHaveLength(2); // the key test and the popup check
    for (const r of single) {
      expect(r).toMatchObject({ status: '200', job: null, backend: 'real' });
      expect(r.shape).toMatch(/user_id:(number|string)/);
    }
    expect(rows[0]!.endpoint).toBe('/v2/api/talk/channels/multi'); // newest first
    expect(await ws.$eval('tr[data-endpoint]', (el) => el.textContent)).toContain('Check users (up to 200)');

    // No key, no user ID anywhere in the page.
    const html = await ws.content();
    expect(html).not.toContain(SIM_ADMIN_KEY);
    for (const id of [USER, ...IDS]) expect(html).not.toContain(id);

    // Filters: failures only (none), then one job's calls.
    await ws.select('select[name="outcome"]', 'failed');
    await ws.waitForSelector('tr[data-endpoint]', { hidden: true });
    await ws.select('select[name="outcome"]', '');
    await ws.select('select[name="jobId"]', jobId!);
    await ws.waitForFunction(
      () =>
        document.querySelectorAll('tr[data-endpoint]').length === 3 &&
        !document.querySelector('tr[data-endpoint]:not([data-job-id])'),
    );
    await ws.select('select[name="jobId"]', '');
    await ws.waitForFunction(() => document.querySelectorAll('tr[data-endpoint]').length === 5);
    await saveScreenshot(ws, 'workspace-api-log');

    // Export CSV: every row, no key, no user ID.
    const downloads = path.join(tmp, 'downloads');
    fs.mkdirSync(downloads);
    const cdp = await chromeSession.browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await ws.click('[data-action="export-api-log"]');
    const bytes = fs.readFileSync(await waitForDownload(downloads));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe(
      'Time (UTC),Backend,Method,Endpoint,Channel,Users,HTTP status,Kakao code,Duration (ms),Job,Answer ' +
        'shape,Tolerances used',
    );
    expect(lines.filter((l) => l.includes(',/v2/api/talk/channels/multi,') && l.includes(jobId!))).toHaveLength(3);
    const csv = bytes.toString('utf8');
    expect(csv).not.toContain(SIM_ADMIN_KEY);
    for (const id of [USER, ...IDS]) expect(csv).not.toContain(id);

    // The job column opens that job.
    await ws.click(`tr[data-job-id="${jobId}"] a[data-action="open-call-job"]`);
    await ws.waitForSelector('[data-testid="job-progress"][data-status="done"]');
    expect(await ws.$eval('[data-testid="job-progress"]', (el) => el.getAttribute('data-done'))).toBe('450');
    await ws.close();
  });

  it('marks calls the sandbox answered, and clears the log after confirmation', async () => {
    const options = await chromeSession.openExtensionPage('options.html');
    await options.waitForSelector('input[name="sandbox"]');
    await options.click('input[name="sandbox"]'); // sandbox on, with the key still saved
    await options.waitForSelector('[data-testid="sandbox-switch"] [data-testid="sandbox"]');
    await options.close();

    const popup = await chromeSession.openExtensionPage('popup.html');
    await checkUser(popup, '1000000001');
    await popup.waitForSelector('li[data-channel-id], [data-error-code]');
    await popup.close();

    const ws = await chromeSession.openExtensionPage('workspace.html#/api-log');
    await ws.setViewport({ width: 400, height: 800 });
    const rows = await readLogRows(ws);
    expect(rows[0]).toMatchObject({ endpoint: '/v2/api/talk/channels', backend: 'sandbox' });
    expect(await ws.$eval('tr[data-endpoint]', (el) => !!el.querySelector('[data-testid="sandbox-call"]'))).toBe(true);
    expect(rows.filter((r) => r.backend === 'sandbox')).toHaveLength(1);

    ws.once('dialog', (d) => void d.dismiss());
    await ws.click('[data-action="clear-api-log"]');
    expect(await ws.$$eval('tr[data-endpoint]', (els) => els.length)).toBe(rows.length);
    ws.once('dialog', (d) => void d.accept());
    await ws.click('[data-action="clear-api-log"]');
    await ws.waitForSelector('[data-testid="api-log-empty"]');
    await ws.close();
  });
});
