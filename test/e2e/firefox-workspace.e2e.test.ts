import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { SIM_ADMIN_KEY, seededRelation } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { launchFirefoxWithExtension, type FirefoxSession } from './browsers';
import {
  saveSettings,
  expectBulkExport,
  expectNoBrowserOrigin,
  readResultCells,
  runJobWatchingProgress,
} from './flows';

/*
 * The sandbox and the workspace (bulk checks, CSV export, customer-file upload,
 * background jobs) in Firefox ESR, the same flows as the Chromium tests.
 */

// The extension pages' own `browser` (Firefox's native namespace), inside page.evaluate.
declare const browser: any;

const CHANNELS = ['_ZeUTxl', '_frxjem'];
const MULTI = '/v2/api/talk/channels/multi';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-ff-ws-e2e-'));
const downloads = path.join(tmp, 'downloads');
fs.mkdirSync(downloads);

let server: SimulatorServer;
let firefox: FirefoxSession;

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 20 });
  firefox = await launchFirefoxWithExtension(inject('firefoxExtDir'), { downloadDir: downloads });
});
afterAll(async () => {
  await firefox?.close();
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Sets a textarea's value the way typing would (Preact listens to `input`). */
async function fill(page: Page, selector: string, value: string) {
  await page.$eval(
    selector,
    (el, v) => {
      (el as HTMLTextAreaElement).value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
}

async function openWorkspace(session: FirefoxSession, section: string): Promise<Page> {
  const page = await session.openExtensionPage(`workspace.html#/${section}`);
  await page.setViewport({ width: 1280, height: 900 });
  return page;
}

/** Pastes IDs in the relationships section and starts the check. */
async function startCheck(page: Page, ids: string[]) {
  await page.waitForSelector('[data-action="source-paste"]');
  await page.click('[data-action="source-paste"]');
  await page.waitForSelector('textarea[name="pasteText"]');
  await fill(page, 'textarea[name="pasteText"]', ids.join('\n'));
  await page.waitForSelector('[data-testid="csv-preview"]');
  await page.click('[data-action="start-check"]');
  await page.waitForSelector('[data-testid="job-progress"]');
}

async function waitForDownload(dir: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    // Firefox writes into "<name>.part" and renames when done.
    const done = fs.readdirSync(dir).filter((f) => f.endsWith('.csv'));
    if (done.length > 0) return path.join(dir, done[0]!);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no download arrived in ${dir} (found: ${fs.readdirSync(dir).join(', ') || 'nothing'})`);
}

const multiOk = () => server.sim.log.filter((e) => e.path === MULTI && e.status === 200);

describe('sandbox and workspace in Firefox ESR', () => {
  it('a fresh install with no key answers from the sandbox: the simulator server gets no request', async () => {
    server.sim.clearLog();
    const popup = await firefox.openExtensionPage('popup.html');
    await popup.waitForSelector('[data-testid="sandbox"] [data-testid="no-key"]');
    expect(await popup.$eval('[data-testid="sandbox"]', (el) => el.textContent)).toContain('Sandbox (demo data)');
    const user = '1234567890';
    await popup.click(`[data-demo-user="${user}"]`);
    await popup.waitForSelector('li[data-channel-id]');
    const rows = await popup.$$eval('li[data-channel-id]', (els) =>
      els.map((el) => ({ channel: el.getAttribute('data-channel-id')!, relation: el.getAttribute('data-relation') })),
    );
    expect(rows.map((r) => r.channel)).toEqual(CHANNELS);
    for (const row of rows) expect(row.relation).toBe(seededRelation(user, row.channel));
    expect(new Set(rows.map((r) => r.relation)).size).toBe(2); // the demo user has two different relations
    await popup.close();

    // The workspace is in the sandbox too: the growth tools read the demo channels from the sandbox API.
    const growth = await openWorkspace(firefox, 'growth');
    await growth.waitForSelector('.ws-nav [data-testid="sandbox"]');
    await growth.waitForSelector('.growth-channel[data-channel-id="_ZeUTxl"]');
    const cards = await growth.$$eval('.growth-channel', (els) =>
      els.map((el) => ({ id: el.getAttribute('data-channel-id'), text: el.textContent })),
    );
    expect(cards.map((c) => c.id)).toEqual(CHANNELS);
    expect(cards[0]!.text).toContain('@채널데스크'); // the channel uuid only the sandbox simulator answers
    await growth.close();
    expect(server.sim.log).toHaveLength(0);
  });

  it('with a real key saved, 1,000 pasted IDs are checked in ⌈unique/200⌉ calls, match the simulator and export as a CSV with a BOM', async () => {
    const options = await firefox.openExtensionPage('options.html');
    await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
    await options.close();

    server.sim.clearLog();
    const ids = Array.from({ length: 1_000 }, (_, i) => String(8_000_000 + i));
    const page = await openWorkspace(firefox, 'relationships');
    await startCheck(page, [...ids, ids[0]!, ids[1]!]); // two duplicates
    await page.waitForFunction(
      () => document.querySelector('[data-testid="job-progress"]')?.getAttribute('data-status') === 'done',
      { timeout: 60_000 },
    );
    expect(await page.$eval('[data-testid="job-progress"]', (el) => el.getAttribute('data-done'))).toBe('1000');
    expect(server.sim.log.filter((e) => e.path === MULTI)).toHaveLength(Math.ceil(ids.length / 200));
    expect(new Set(multiOk().flatMap((e) => e.query.target_ids!.split(',')))).toEqual(new Set(ids));

    const cells = (await readResultCells(page, 100)).map((c) => [c.user, c.channel, c.relation]);
    expect(cells).toHaveLength(200); // 100 rows × 2 channels
    for (const [user, channel, relation] of cells)
      expect(relation).toBe(server.sim.relationOf(user!, channel!).relation);
    for (const channel of CHANNELS) {
      const shown = await page.$eval(`[data-summary-channel="${channel}"] [data-count-relation="ADDED"]`, (el) =>
        Number(el.getAttribute('data-count')),
      );
      expect(shown).toBe(ids.filter((id) => server.sim.relationOf(id, channel).relation === 'ADDED').length);
    }

    await page.click('[data-action="download-report"]');
    const bytes = fs.readFileSync(await waitForDownload(downloads));
    expectBulkExport(bytes, ids, server.sim.relationOf, SIM_ADMIN_KEY);
    await page.close();
  });

  it('creates a customer file and uploads a 3,000-row Korean Excel (CP949) CSV picked with the file input', async () => {
    server.sim.clearLog();
    const page = await openWorkspace(firefox, 'files');
    await page.waitForSelector('[data-testid="slot-meter"]');
    expect(await page.$eval('[data-testid="slot-meter"]', (el) => el.getAttribute('data-used'))).toBe('2');
    await page.click('[data-action="new-file"]');
    await page.type('input[name="fileName"]', 'firefox_vip');
    await page.click('input[name="predefinedField"][value="성별"]');
    await page.click('[data-action="add-custom-field"]');
    await page.type('input[name="customField"]', '방문 횟수');
    await page.click('[data-action="review-schema"]');
    await page.waitForSelector('[data-testid="confirm-schema"]');
    await page.click('[data-action="confirm-create"]');
    const fileRow = await page.waitForSelector('tr[data-file-id]');
    const fileId = await fileRow!.evaluate((el) => el.getAttribute('data-file-id')!);
    expect(server.sim.files('_ZeUTxl')).toEqual([
      { id: fileId, name: 'firefox_vip', schema: { 성별: 'string', '방문 횟수': 'number' }, userCount: 0 },
    ]);

    const lines = ['회원번호,성별,방문 횟수,이름'];
    for (let i = 0; i < 3_000; i++) lines.push(`${4_000_000 + i},${i % 2 ? '남' : '여'},${i % 50},홍길동`);
    lines.push('12ab,여,1,오류');
    const csvPath = path.join(tmp, 'users-cp949.csv');
    fs.writeFileSync(csvPath, iconv.encode(lines.join('\r\n'), 'cp949'));

    await page.click('[data-action="add-users"]');
    const input = (await page.waitForSelector('input[name="csvFile"]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(csvPath); // WebDriver BiDi input.setFiles
    await page.waitForSelector('[data-testid="encoding-guess"]');
    expect(await page.$eval('[data-testid="encoding-guess"]', (el) => el.getAttribute('data-encoding'))).toBe('euc-kr');
    await page.waitForSelector('[data-testid="csv-preview"]');
    // decoded by Firefox's TextDecoder
    expect(await page.$eval('[data-testid="csv-preview"]', (el) => el.textContent)).toContain('홍길동');
    await page.click('[data-action="dry-run"]');
    await page.waitForSelector('[data-testid="dry-run"]');
    expect(
      await page.$eval('[data-testid="dry-run"]', (el) => [
        el.getAttribute('data-valid'),
        el.getAttribute('data-errors'),
      ]),
    ).toEqual(['3000', '1']);

    await runJobWatchingProgress(page, '[data-action="start-job"]');
    expect(await page.$eval('[data-testid="kakao-counts"]', (el) => el.textContent)).toMatch(/3,000.*3,000/);

    const inFile = server.sim.fileUsers(fileId)!;
    expect(inFile.size).toBe(3_000);
    expect(inFile.get('4000001')).toEqual({ 성별: '남', '방문 횟수': 1 });
    expect(inFile.get('4002998')).toEqual({ 성별: '여', '방문 횟수': 48 });
    expect(
      server.sim.log.filter((e) => e.path === '/v1/talkchannel/update/target_users' && e.status === 200),
    ).toHaveLength(2);
    expectNoBrowserOrigin(server.sim.log); // the file list (GET), the file's creation and the upload (POST)
    await page.close();
  });
});

describe('a background job and Firefox suspending its idle event page', () => {
  // Firefox suspends an event page after `extensions.background.idle.timeout` ms without extension
  // activity (30 s by default; 14 s here), even with a fetch in flight. Kakao answers in 17 s here
  // (under the client's 20 s timeout): without the runner's keep-alive the page is suspended mid-call,
  // the answer is lost, and every restart by the alarm re-sends the same batches.
  const IDLE_MS = 14_000;
  const LATENCY_MS = 17_000;

  it('a check whose calls outlast the idle timeout finishes without the event page being suspended or a batch re-sent', async () => {
    const ff = await launchFirefoxWithExtension(inject('firefoxExtDir'), { backgroundIdleMs: IDLE_MS });
    try {
      const options = await ff.openExtensionPage('options.html');
      await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
      // A marker on the background page's window tells a suspended-and-restarted page apart.
      await options.evaluate(async () => ((await browser.runtime.getBackgroundPage()).__marker = 'before the job'));
      server.sim.clearLog();
      server.setLatency(LATENCY_MS);
      // 8 batches, 2 rounds of 4 parallel calls
      const ids = Array.from({ length: 1_600 }, (_, i) => String(20_000_000 + i));
      const page = await openWorkspace(ff, 'relationships');
      await startCheck(page, ids);
      await page.close(); // no page keeps the background busy now

      for (let i = 0; i < 900 && multiOk().length < 8; i++) await new Promise((r) => setTimeout(r, 100));
      server.setLatency(20);
      expect(multiOk()).toHaveLength(8);
      expect(server.sim.log.filter((e) => e.path === MULTI)).toHaveLength(8); // nothing re-sent
      expect(new Set(multiOk().flatMap((e) => e.query.target_ids!.split(',')))).toEqual(new Set(ids));
      expect(await options.evaluate(async () => (await browser.runtime.getBackgroundPage()).__marker ?? null)).toBe(
        'before the job',
      );

      const jobs = await openWorkspace(ff, 'jobs');
      await jobs.waitForFunction(
        () => document.querySelector('tr[data-job-id]')?.getAttribute('data-status') === 'done',
        { timeout: 30_000 },
      );
      await jobs.click('tr[data-job-id] [data-action="open-job"]');
      await jobs.waitForSelector('[data-testid="job-progress"][data-status="done"]');
      expect(await jobs.$eval('[data-testid="job-progress"]', (el) => el.getAttribute('data-done'))).toBe('1600');
      await jobs.close();
      await options.close();
    } finally {
      server.setLatency(20);
      await ff.close();
    }
  });
});
