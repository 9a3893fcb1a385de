import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { checkUser, saveSettings } from './flows';
import { saveScreenshot } from './screenshots';
import { launchChromeWithExtension, type ChromeSession } from './browsers';
import { readStored } from './stored';

declare const chrome: any;

/*
 * Issue 16 item 5 (a session-only key after a browser restart) and item 13
 * (summary cards at 1280 and 400 px, ko and en), in Chromium on one profile
 * that is closed and started again, as a manager's browser is.
 */

const CHANNELS = ['_ZeUTxl', '_frxjem'];
const IDS = Array.from({ length: 40 }, (_, i) => String(4_000_000_000 + i * 7919));
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-firsthour-profile-'));
let server: SimulatorServer;
let session: ChromeSession | undefined;

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 5 });
});
afterAll(async () => {
  await session?.close();
  await server?.close();
  fs.rmSync(profile, { recursive: true, force: true });
});

/** Closes the browser and starts it again on the same profile (storage.session is gone, storage.local stays). */
async function restart(lang: string) {
  await session?.close();
  session = await launchChromeWithExtension(inject('chromeExtDir'), { userDataDir: profile, lang });
  return session;
}

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

async function runBulkCheck(s: ChromeSession): Promise<Page> {
  const page = await s.openExtensionPage('workspace.html#/relationships');
  await page.setViewport({ width: 1280, height: 900 });
  await page.waitForSelector('[data-action="source-paste"]');
  await page.click('[data-action="source-paste"]');
  await fill(page, 'textarea[name="pasteText"]', IDS.join('\n'));
  await page.waitForSelector('[data-testid="csv-preview"]');
  await page.click('[data-action="start-check"]');
  await page.waitForSelector('[data-testid="job-progress"][data-status="done"]');
  await page.waitForSelector('[data-summary-channel]');
  return page;
}

/** Every summary card at this width: nothing wider than the card, nothing sticking out of it. */
async function clippedCards(page: Page, width: number) {
  await page.setViewport({ width, height: 900 });
  await new Promise((r) => setTimeout(r, 100));
  return page.$$eval('[data-summary-channel]', (cards) =>
    cards.flatMap((card) => {
      const box = card.getBoundingClientRect();
      const out: string[] = [];
      if (box.right > document.documentElement.clientWidth)
        out.push(`${card.getAttribute('data-summary-channel')}: card ends at ${box.right} px, past the window`);
      if (card.scrollWidth > card.clientWidth)
        out.push(
          `${card.getAttribute('data-summary-channel')}: scrollWidth ${card.scrollWidth} > clientWidth ` +
            `${card.clientWidth}`,
        );
      for (const el of card.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && (r.right > box.right + 0.5 || r.left < box.left - 0.5))
          out.push(`${card.getAttribute('data-summary-channel')}: "${el.textContent}" sticks out`);
        if (el.scrollWidth > el.clientWidth && el.clientWidth > 0)
          out.push(`${card.getAttribute('data-summary-channel')}: "${el.textContent}" clipped`);
      }
      return out;
    }),
  );
}

describe('a session-only key and a browser restart (Chromium, one profile)', () => {
  it('after the restart: "key cleared" with the key field and "remember" right there; no sandbox, no demo results for the real channels', async () => {
    const first = await restart('en');
    const options = await first.openExtensionPage('options.html');
    await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'), { remember: false });
    await options.close();

    const ko = await restart('ko');
    server.sim.clearLog();
    const popup = await ko.openExtensionPage('popup.html');
    const notice = await popup.waitForSelector('[data-testid="key-cleared"]');
    expect(await notice!.evaluate((el) => el.textContent)).toContain('브라우저를 닫을 때 어드민 키가 지워졌습니다');
    expect(await popup.$('[data-testid="key-cleared"] input[name="adminKey"]')).not.toBeNull();
    expect(await popup.$('[data-testid="key-cleared"] input[name="rememberKey"]')).not.toBeNull();
    expect(await popup.$('[data-testid="sandbox"]')).toBeNull(); // the old code fell back to the sandbox here
    expect(await popup.$('input[name="userId"]')).toBeNull();
    await saveScreenshot(popup, 'popup-key-cleared');

    const workspace = await ko.openExtensionPage('workspace.html#/relationships');
    await workspace.waitForSelector('[data-testid="key-cleared"] input[name="adminKey"]');
    expect(await workspace.$('[data-action="start-check"]')).toBeNull();
    expect(await workspace.$('.ws-nav [data-testid="sandbox"]')).toBeNull();
    // Read through the extension page: on a reused profile the worker handle found at launch may be one Chrome
    // replaced.
    expect((await workspace.evaluate(readStored, 'jobs')) ?? []).toEqual([]); // no job ran on the saved channels
    expect(JSON.stringify(await workspace.evaluate(() => chrome.storage.local.get(null)))).not.toContain(SIM_ADMIN_KEY);
    expect(server.sim.log).toHaveLength(0);

    // The key goes back in from the workspace's notice, remembered this time.
    await workspace.type('[data-testid="key-cleared"] input[name="adminKey"]', SIM_ADMIN_KEY);
    await workspace.click('[data-testid="key-cleared"] input[name="rememberKey"]');
    await workspace.click('[data-action="save-key"]');
    await workspace.waitForSelector('[data-action="start-check"]');
    expect(await workspace.content()).not.toContain(SIM_ADMIN_KEY);
    await workspace.close();

    // The popup checks against Kakao (the simulator) again; focus lands on the result (item 15).
    await popup.reload();
    await popup.waitForSelector('input[name="userId"]');
    await popup.type('input[name="userId"]', IDS[0]!);
    await popup.click('button[type="submit"]');
    await popup.waitForSelector('li[data-channel-id]');
    expect(await popup.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('lookup');
    expect(server.sim.log.filter((e) => e.path === '/v2/api/talk/channels')).toHaveLength(1);
    await popup.close();
  });

  it('a real bulk check is not marked demo, names its channels, and its summary cards fit at 1280 and 400 px (ko)', async () => {
    const page = await runBulkCheck(session!);
    expect(await page.$('[data-testid="demo-results"]')).toBeNull();
    expect(await page.$eval('[data-summary-channel="_ZeUTxl"] strong', (el) => el.textContent)).toBe(
      '@채널데스크 · _ZeUTxl',
    );
    const counts = await page.$$eval('[data-summary-channel="_ZeUTxl"] [data-count]', (els) =>
      els.reduce((n, el) => n + Number(el.getAttribute('data-count')), 0),
    );
    expect(counts).toBe(IDS.length);
    expect(await clippedCards(page, 1280)).toEqual([]);
    await saveScreenshot(page, 'workspace-summary-1280-ko');
    expect(await clippedCards(page, 400)).toEqual([]);
    await saveScreenshot(page, 'workspace-summary-400-ko');
    await page.close();
  });

  it('the remembered key survives the next restart; the English summary cards fit at 1280 and 400 px', async () => {
    const en = await restart('en');
    const popup = await en.openExtensionPage('popup.html');
    await checkUser(popup, IDS[1]!);
    await popup.waitForSelector('li[data-channel-id]');
    expect(await popup.$('[data-testid="key-cleared"]')).toBeNull();
    await popup.close();
    const page = await runBulkCheck(en);
    expect(await page.$eval('[data-summary-channel="_frxjem"] strong', (el) => el.textContent)).toBe(
      '@myshop · _frxjem',
    );
    expect(await clippedCards(page, 1280)).toEqual([]);
    expect(await clippedCards(page, 400)).toEqual([]);
    await saveScreenshot(page, 'workspace-summary-400-en');
    await page.close();
  });

  it('at 400 px the navigation is only as tall as its links, and a file row shows its buttons inside the table', async () => {
    const page = await session!.openExtensionPage('workspace.html#/files');
    await page.setViewport({ width: 400, height: 900 });
    await page.waitForSelector('[data-action="new-file"]');
    // A short section: the old grid stretched the navigation row to fill half the window.
    const gap = await page.$eval(
      '.ws-nav',
      (nav) => nav.getBoundingClientRect().bottom - nav.lastElementChild!.getBoundingClientRect().bottom,
    );
    expect(gap).toBeLessThan(40);
    await page.click('[data-action="new-file"]');
    await page.type('input[name="fileName"]', 'vip_리뷰_400');
    await page.click('[data-action="review-schema"]');
    await page.waitForSelector('[data-action="confirm-create"]');
    await page.click('[data-action="confirm-create"]');
    await page.waitForSelector('tr[data-file-id] [data-action="delete-users"]');
    const outside = await page.$$eval('tr[data-file-id] td.actions button', (buttons) => {
      const box = buttons[0]!.closest('.table-scroll')!.getBoundingClientRect();
      return buttons.filter((b) => b.getBoundingClientRect().right > box.right + 0.5).map((b) => b.textContent);
    });
    expect(outside).toEqual([]); // the old flex cell kept both buttons on one line, past the table's edge
    await page.close();
  });
});

describe('sandbox results are marked as demo (Chromium, fresh install)', () => {
  it('the results screen, the export (file name and column) and the job history say demo', async () => {
    const fresh = await launchChromeWithExtension(inject('chromeExtDir'), { lang: 'en' });
    const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-firsthour-dl-'));
    try {
      // the first-install tab
      await fresh.browser.waitForTarget((t) => t.url().endsWith('/options.html'), { timeout: 10_000 });
      server.sim.clearLog();
      const page = await runBulkCheck(fresh);
      expect(await page.$eval('[data-testid="demo-results"]', (el) => el.textContent)).toContain('Sandbox (demo data)');
      expect(await page.$eval('[data-testid="job-progress"] [data-testid="demo-tag"]', (el) => el.textContent)).toBe(
        'Demo',
      );
      expect(await page.$eval('[data-summary-channel="_ZeUTxl"] strong', (el) => el.textContent)).toBe(
        '@채널데스크 · _ZeUTxl',
      );

      const cdp = await fresh.browser.target().createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
      await page.click('[data-action="download-report"]');
      let files: string[] = [];
      for (let i = 0; i < 200 && files.length === 0; i++) {
        files = fs.readdirSync(downloads).filter((f) => f.endsWith('.csv'));
        if (files.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^channel-desk-check-\d{8}-\d{4}-demo\.csv$/);
      const lines = fs
        .readFileSync(path.join(downloads, files[0]!), 'utf8')
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toBe(
        'User ID,_ZeUTxl,_ZeUTxl relation_code,_ZeUTxl changed at,_frxjem,_frxjem relation_code,_frxjem ' +
          'changed at,Data',
      );
      expect(lines).toHaveLength(IDS.length + 1);
      for (const line of lines.slice(1)) expect(line.endsWith(',Demo (sandbox)')).toBe(true);

      await page.evaluate(() => (location.hash = '#/jobs'));
      const row = await page.waitForSelector('tr[data-job-id][data-demo="true"]');
      expect(await row!.$eval('[data-testid="demo-tag"]', (el) => el.textContent)).toBe('Demo');
      // demo data never came from the API
      expect(server.sim.log.filter((e) => e.path.includes('/multi'))).toHaveLength(0);
      await page.close();
    } finally {
      await fresh.close();
      fs.rmSync(downloads, { recursive: true, force: true });
    }
  });
});
