import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import {
  expectBulkExport,
  expectNoBrowserOrigin,
  readResultCells,
  runJobWatchingProgress,
  saveSettings,
} from './flows';
import { saveScreenshot } from './screenshots';
import { launchChromeWithExtension, type ChromeSession } from './browsers';

const CHANNELS = ['_ZeUTxl', '_frxjem'];
let server: SimulatorServer;
let chromeSession: ChromeSession;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-ws-e2e-'));

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 20 });
  chromeSession = await launchChromeWithExtension(inject('chromeExtDir'));
  const options = await chromeSession.openExtensionPage('options.html');
  await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
  await options.close();
});
afterAll(async () => {
  await chromeSession?.close();
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function openWorkspace(section: string): Promise<Page> {
  const page = await chromeSession.openExtensionPage(`workspace.html#/${section}`);
  await page.setViewport({ width: 1280, height: 900 });
  return page;
}

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

async function waitForDownload(dir: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const done = fs.readdirSync(dir).filter((f) => f.endsWith('.csv'));
    if (done.length > 0) return path.join(dir, done[0]!);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no download arrived');
}

describe('workspace, end to end in Chromium', () => {
  it('creates a customer file and uploads a 10,000-row Korean Excel (CP949) CSV through the workspace', async () => {
    const page = await openWorkspace('files');
    await page.waitForSelector('[data-testid="slot-meter"]');
    // 2 made by hand in the admin center
    expect(await page.$eval('[data-testid="slot-meter"]', (el) => el.getAttribute('data-used'))).toBe('2');
    await page.click('[data-action="new-file"]');
    await page.type('input[name="fileName"]', 'vip_e2e');
    await page.click('input[name="predefinedField"][value="성별"]');
    await page.click('[data-action="add-custom-field"]');
    await page.type('input[name="customField"]', '방문 횟수');
    await page.click('[data-action="review-schema"]');
    await page.waitForSelector('[data-testid="confirm-schema"]');
    await saveScreenshot(page, 'workspace-new-file-confirm');
    expect(await page.$eval('[data-testid="confirm-schema"]', (el) => el.textContent)).toContain('방문 횟수');
    await page.click('[data-action="confirm-create"]');
    const fileRow = await page.waitForSelector('tr[data-file-id]');
    const fileId = await fileRow!.evaluate((el) => el.getAttribute('data-file-id')!);
    expect(server.sim.files('_ZeUTxl')).toEqual([
      { id: fileId, name: 'vip_e2e', schema: { 성별: 'string', '방문 횟수': 'number' }, userCount: 0 },
    ]);

    // 10,000 good rows plus two bad ones, written the way Korean Excel saves CSV.
    const lines = ['회원번호,성별,방문 횟수,이름'];
    for (let i = 0; i < 10_000; i++) lines.push(`${3_000_000 + i},${i % 2 ? '남' : '여'},${i % 50},홍길동`);
    lines.push('12ab,여,1,오류', '3999999,남,많음,오류');
    const csvPath = path.join(tmp, 'users-cp949.csv');
    fs.writeFileSync(csvPath, iconv.encode(lines.join('\r\n'), 'cp949'));

    await page.click('[data-action="add-users"]');
    const input = await page.waitForSelector('input[name="csvFile"]');
    await (input as import('puppeteer-core').ElementHandle<HTMLInputElement>).uploadFile(csvPath);
    await page.waitForSelector('[data-testid="encoding-guess"]');
    expect(await page.$eval('[data-testid="encoding-guess"]', (el) => el.getAttribute('data-encoding'))).toBe('euc-kr');
    await page.waitForSelector('[data-testid="csv-preview"]');
    expect(await page.$eval('[data-testid="csv-preview"]', (el) => el.textContent)).toContain('홍길동');
    expect(await page.$eval('select[name="field-방문 횟수"]', (el) => (el as HTMLSelectElement).value)).toBe('2');

    await page.click('[data-action="dry-run"]');
    await page.waitForSelector('[data-testid="dry-run"]');
    expect(
      await page.$eval('[data-testid="dry-run"]', (el) => [
        el.getAttribute('data-valid'),
        el.getAttribute('data-errors'),
      ]),
    ).toEqual(['10000', '2']);
    expect(await page.$$eval('tr[data-error-row]', (els) => els.map((e) => e.getAttribute('data-error-row')))).toEqual([
      '10002',
      '10003',
    ]);
    expect(server.sim.log.filter((e) => e.path.includes('target_users'))).toHaveLength(0); // a dry run sends nothing
    await saveScreenshot(page, 'workspace-upload-dry-run');

    await runJobWatchingProgress(page, '[data-action="start-job"]');
    expect(await page.$eval('[data-testid="job-counts"]', (el) => el.textContent)).toContain('10,000');
    expect(await page.$eval('[data-testid="kakao-counts"]', (el) => el.textContent)).toMatch(/10,000.*10,000/);

    const inFile = server.sim.fileUsers(fileId)!;
    expect(inFile.size).toBe(10_000);
    expect(inFile.get('3000001')).toEqual({ 성별: '남', '방문 횟수': 1 });
    expect(inFile.get('3009998')).toEqual({ 성별: '여', '방문 횟수': 48 });
    expect(
      server.sim.log.filter((e) => e.path === '/v1/talkchannel/update/target_users' && e.status === 200),
    ).toHaveLength(5);
    expectNoBrowserOrigin(server.sim.log); // the file list (GET), the file's creation and the upload (POST)
    await saveScreenshot(page, 'workspace-files');
    await page.close();
  });

  it('checks 1,000 IDs in bulk, shows the simulator relations and exports them as a CSV with a BOM', async () => {
    server.sim.clearLog();
    const ids = Array.from({ length: 1_000 }, (_, i) => String(8_000_000 + i));
    const page = await openWorkspace('relationships');
    await page.waitForSelector('[data-action="source-paste"]');
    await page.click('[data-action="source-paste"]');
    await page.waitForSelector('textarea[name="pasteText"]');
    // Three IDs on the first line (comma and tab, as pasted from a sheet row), then one a line, then two duplicates.
    await fill(
      page,
      'textarea[name="pasteText"]',
      [`${ids[0]}, ${ids[1]}\t${ids[2]}`, ...ids.slice(3), ids[0], ids[1]].join('\n'),
    );
    await page.waitForSelector('[data-testid="csv-preview"]');
    expect(
      await page.$eval('[data-testid="paste-count"]', (el) => [
        el.getAttribute('data-ids'),
        el.getAttribute('data-lines'),
      ]),
    ).toEqual(['1002', '1000']);
    await page.click('[data-action="start-check"]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="job-progress"]')?.getAttribute('data-status') === 'done',
      { timeout: 60_000 },
    );
    expect(server.sim.log.filter((e) => e.path === '/v2/api/talk/channels/multi')).toHaveLength(5);

    // The list's first 100 rows show the simulator's truth.
    const cells = (await readResultCells(page, 100)).map((c) => [c.user, c.channel, c.relation]);
    expect(cells).toHaveLength(200); // 100 rows × 2 channels
    expect(await page.$eval('[data-testid="results-scroll"] table', (t) => t.getAttribute('aria-rowcount'))).toBe(
      '1001',
    );
    for (const [user, channel, relation] of cells)
      expect(relation).toBe(server.sim.relationOf(user!, channel!).relation);
    for (const channel of CHANNELS) {
      const shown = await page.$eval(`[data-summary-channel="${channel}"] [data-count-relation="ADDED"]`, (el) =>
        Number(el.getAttribute('data-count')),
      );
      expect(shown).toBe(ids.filter((id) => server.sim.relationOf(id, channel).relation === 'ADDED').length);
    }
    await saveScreenshot(page, 'workspace-relationships');
    // The keyboard scrolls the list: row 101 comes into view.
    await page.$eval('[data-testid="results-scroll"]', (el) => el.scrollTo({ top: 0 }));
    await page.focus('[data-testid="results-scroll"]');
    for (let i = 0; i < 30 && !(await page.$(`tr[data-kakao-user-id="${ids[100]}"]`)); i++) {
      await page.keyboard.press('PageDown');
      await new Promise((r) => setTimeout(r, 200)); // the list redraws on the scroll event
    }
    await page.waitForSelector(`tr[data-kakao-user-id="${ids[100]}"][aria-rowindex="102"]`);

    const downloads = path.join(tmp, 'downloads');
    fs.mkdirSync(downloads);
    const cdp = await chromeSession.browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.click('[data-action="download-report"]');
    const bytes = fs.readFileSync(await waitForDownload(downloads));
    expectBulkExport(bytes, ids, server.sim.relationOf, SIM_ADMIN_KEY);

    // Issue 16.14: "blocked only" shows and exports just the blocked rows.
    const blocked = ids.filter((id) => CHANNELS.some((c) => server.sim.relationOf(id, c).relation === 'BLOCKED'));
    expect(blocked.length).toBeGreaterThan(0);
    await page.click('[data-filter="BLOCKED"]');
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="filter-count"]')?.getAttribute('data-count') === String(n),
      {},
      blocked.length,
    );
    const relations = await page.$$eval('tr[data-kakao-user-id]', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td[data-relation]')].map((td) => td.getAttribute('data-relation'))),
    );
    expect(relations.length).toBeGreaterThan(0);
    expect(relations.length).toBeLessThanOrEqual(blocked.length);
    expect(await page.$eval('[data-testid="results-scroll"] table', (t) => t.getAttribute('aria-rowcount'))).toBe(
      String(blocked.length + 1),
    );
    for (const r of relations) expect(r).toContain('BLOCKED');
    const filtered = path.join(tmp, 'downloads-blocked');
    fs.mkdirSync(filtered);
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: filtered });
    await page.click('[data-action="export-results"]');
    const file = await waitForDownload(filtered);
    expect(path.basename(file)).toMatch(/^channel-desk-check-BLOCKED-/);
    expectBulkExport(fs.readFileSync(file), ids, server.sim.relationOf, SIM_ADMIN_KEY, 'BLOCKED');
    await page.close();
  });

  it('keeps a job running after the workspace tab closes, and lists it in the job history', async () => {
    server.sim.clearLog();
    server.setLatency(400);
    const ids = Array.from({ length: 2_000 }, (_, i) => String(9_000_000 + i));
    const page = await openWorkspace('relationships');
    await page.waitForSelector('[data-action="source-paste"]');
    await page.click('[data-action="source-paste"]');
    await fill(page, 'textarea[name="pasteText"]', ids.join('\n'));
    await page.waitForSelector('[data-testid="csv-preview"]');
    await page.click('[data-action="start-check"]');
    await page.waitForSelector('[data-testid="job-progress"]');
    await page.close(); // the background carries on

    const multi = () =>
      server.sim.log.filter((e) => e.path === '/v2/api/talk/channels/multi' && e.status === 200).length;
    for (let i = 0; i < 300 && multi() < 10; i++) await new Promise((r) => setTimeout(r, 100));
    expect(multi()).toBe(10);
    server.setLatency(20);

    const jobs = await openWorkspace('jobs');
    await jobs.waitForSelector('tr[data-job-id]');
    // The simulator logs a call before its (slow) answer arrives: wait for the last answer to land.
    await jobs.waitForFunction(
      () => document.querySelector('tr[data-job-id]')?.getAttribute('data-status') === 'done',
      { timeout: 30_000 },
    );
    const rows = await jobs.$$eval('tr[data-job-id]', (els) => els.map((el) => el.getAttribute('data-status')));
    expect(rows).toEqual(['done', 'done', 'done']); // this check, the 1,000-ID check, the upload
    await jobs.click('tr[data-job-id] [data-action="open-job"]');
    await jobs.waitForSelector('[data-testid="job-progress"][data-status="done"]');
    expect(await jobs.$eval('[data-testid="job-progress"]', (el) => el.getAttribute('data-done'))).toBe('2000');
    await jobs.waitForSelector('tr[data-kakao-user-id]');
    await jobs.close();
  });

  it('resumes a job after the service worker is stopped mid-way, without resending a confirmed batch', async () => {
    server.sim.clearLog();
    server.setLatency(300);
    const ids = Array.from({ length: 4_000 }, (_, i) => String(20_000_000 + i)); // 20 batches
    const page = await openWorkspace('relationships');
    await page.waitForSelector('[data-action="source-paste"]');
    await page.click('[data-action="source-paste"]');
    await fill(page, 'textarea[name="pasteText"]', ids.join('\n'));
    await page.waitForSelector('[data-testid="csv-preview"]');
    await page.click('[data-action="start-check"]');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="job-progress"]')?.getAttribute('data-done')) >= 400,
      { timeout: 30_000 },
    );

    // Stop the extension's service worker, as Chrome stops an idle one. A marker on the old
    // worker's global scope tells the restarted worker apart.
    const swTarget = chromeSession.browser
      .targets()
      .find((t) => t.type() === 'service_worker' && t.url().includes(chromeSession.extId))!;
    await chromeSession.worker.evaluate(() => ((globalThis as unknown as { __marker: number }).__marker = 1));
    const cdp = await page.createCDPSession();
    await cdp.send('ServiceWorker.enable');
    const stopped = new Promise<void>((resolve) =>
      cdp.on(
        'ServiceWorker.workerVersionUpdated',
        (e) => e.versions.some((v) => v.runningStatus === 'stopped') && resolve(),
      ),
    );
    await cdp.send('ServiceWorker.stopAllWorkers');
    await stopped;
    const okBeforeRestart = server.sim.log.filter(
      (e) => e.path === '/v2/api/talk/channels/multi' && e.status === 200,
    ).length;
    expect(okBeforeRestart).toBeLessThan(20);

    // A page message starts the worker again; its start() resumes the job. (Puppeteer holds a new
    // worker at "waiting for debugger"; release it — a user's browser has no debugger attached.)
    void page
      .evaluate(() =>
        (
          globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }
        ).chrome.runtime.sendMessage({ id: 0, type: 'listJobs', data: {}, timestamp: Date.now() }),
      )
      .catch(() => undefined);
    const session = await swTarget.createCDPSession();
    await session.send('Runtime.runIfWaitingForDebugger');
    await page.close();
    const marker = await session.send('Runtime.evaluate', {
      expression: 'globalThis.__marker ?? null',
      returnByValue: true,
    });
    expect(marker.result.value).toBeNull(); // a fresh worker

    const jobs = await openWorkspace('jobs');
    await jobs.waitForFunction(
      () => document.querySelector('tr[data-job-id]')?.getAttribute('data-status') === 'done',
      { timeout: 60_000 },
    );
    server.setLatency(20);
    const batchesSent = server.sim.log
      .filter((e) => e.path === '/v2/api/talk/channels/multi' && e.status === 200)
      .map((e) => e.query.target_ids!.split(',')[0]);
    expect(new Set(batchesSent).size).toBe(20);
    // A batch reaches Kakao twice only if it was in flight when the worker stopped (at most the 4 parallel calls).
    expect(batchesSent.length - 20).toBeLessThanOrEqual(4);
    await jobs.click('tr[data-job-id] [data-action="open-job"]');
    await jobs.waitForSelector('[data-testid="job-progress"][data-status="done"]');
    expect(await jobs.$eval('[data-testid="job-progress"]', (el) => el.getAttribute('data-done'))).toBe('4000');
    await jobs.close();
  });

  it('reads Korean first: a Korean browser gets the Korean workspace', async () => {
    const ko = await launchChromeWithExtension(inject('chromeExtDir'), { lang: 'ko' });
    try {
      const options = await ko.openExtensionPage('options.html');
      await options.waitForSelector('input[name="adminKey"]');
      await options.type('input[name="adminKey"]', SIM_ADMIN_KEY);
      await options.type('textarea[name="channelIds"]', CHANNELS.join('\n'));
      await options.click('button[type="submit"]');
      await options.waitForSelector('[data-testid="saved"]');
      await options.close();

      const page = await ko.openExtensionPage('workspace.html#/relationships');
      await page.setViewport({ width: 1280, height: 900 });
      await page.waitForSelector('[data-action="source-paste"]');
      expect(
        await page.$$eval('.ws-nav a[data-section]', (els) =>
          els.map((e) => e.getAttribute('data-section') + ':' + e.textContent!.trim()),
        ),
      ).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^relationships:.*친구 관계 확인$/),
          expect.stringMatching(/^files:.*고객 파일$/),
          expect.stringMatching(/^jobs:.*작업 기록$/),
          expect.stringMatching(/^growth:.*채널 성장 도구$/),
        ]),
      );
      await page.click('[data-action="source-paste"]');
      await fill(
        page,
        'textarea[name="pasteText"]',
        ['회원번호', ...Array.from({ length: 300 }, (_, i) => String(8_000_000 + i)), '12x'].join('\n'),
      );
      await page.waitForSelector('[data-testid="csv-preview"]');
      await page.click('[data-action="start-check"]');
      await page.waitForSelector('[data-testid="job-progress"][data-status="done"]');
      expect(await page.$eval('[data-testid="job-counts"]', (el) => el.textContent)).toContain('300건 중 300건 처리');
      expect(await page.$eval('[data-error-row]', (el) => el.textContent)).toContain('회원번호는 숫자만');
      await page.waitForSelector('tr[data-kakao-user-id]');
      await saveScreenshot(page, 'workspace-relationships-ko');
      await page.close();
    } finally {
      await ko.close();
    }
  });

  it('opens the workspace from the popup and from the options page', async () => {
    const popup = await chromeSession.openExtensionPage('popup.html');
    await popup.waitForSelector('[data-action="open-workspace"]');
    await popup.click('[data-action="open-workspace"]');
    const target = await chromeSession.browser.waitForTarget(
      (t) => t.url() === `chrome-extension://${chromeSession.extId}/workspace.html`,
    );
    const ws = (await target.page())!;
    await ws.waitForSelector('.ws-nav a[data-section="relationships"]');
    await ws.close();
    await popup.close();
    const options = await chromeSession.openExtensionPage('options.html');
    expect(await options.$eval('a[data-action="open-workspace"]', (a) => (a as HTMLAnchorElement).href)).toBe(
      `chrome-extension://${chromeSession.extId}/workspace.html`,
    );
    await options.close();
  });

  it('stays usable with 100,000 results: one list scrolls to the end and shows the simulator relations', async () => {
    server.sim.clearLog();
    server.setLatency(5);
    const ids = Array.from({ length: 100_000 }, (_, i) => String(30_000_000 + i));
    const page = await openWorkspace('relationships');
    await page.waitForSelector('[data-action="source-paste"]');
    await page.click('[data-action="source-paste"]');
    await fill(page, 'textarea[name="pasteText"]', ids.join('\n'));
    await page.waitForSelector('[data-testid="csv-preview"]');
    await page.click('[data-action="start-check"]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="job-progress"]')?.getAttribute('data-status') === 'done',
      { timeout: 180_000 },
    );
    expect(server.sim.log.filter((e) => e.path === '/v2/api/talk/channels/multi' && e.status === 200)).toHaveLength(
      500,
    );
    expect(await page.$eval('[data-testid="results-scroll"] table', (t) => t.getAttribute('aria-rowcount'))).toBe(
      '100001',
    );
    // End (keyboard) jumps to the last row; only the rows around the view are in the DOM.
    await page.focus('[data-testid="results-scroll"]');
    await page.keyboard.press('End');
    await page.waitForSelector(`tr[data-kakao-user-id="${ids[99_999]}"][aria-rowindex="100001"]`, { timeout: 30_000 });
    const inDom = await page.$$eval('tr[data-kakao-user-id]', (els) => els.length);
    expect(inDom).toBeGreaterThan(0);
    expect(inDom).toBeLessThan(100);
    const last = await page.$$eval(`tr[data-kakao-user-id="${ids[99_999]}"] td[data-channel-id]`, (els) =>
      els.map((el) => [el.getAttribute('data-channel-id')!, el.getAttribute('data-relation')!]),
    );
    expect(last).toEqual(CHANNELS.map((c) => [c, server.sim.relationOf(ids[99_999]!, c).relation]));
    server.setLatency(20);
    await page.close();
  });
});
