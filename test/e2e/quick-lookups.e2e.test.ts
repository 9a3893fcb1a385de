import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { launchChromeWithExtension, launchFirefoxWithExtension, type ChromeSession } from './browsers';
import { readRelationRows, saveSettings } from './flows';
import { startTestSite, type TestSite } from './page-site/server';

/*
 * Issue 13, quick lookups. Puppeteer cannot type into the address bar or press browser shortcuts, so in Chromium the
 * background's own listeners are driven from the service worker (`dispatch`, as the context-menu test does); what
 * they show is read where the manager sees it: the toast in the page, the popup's result view in a tab.
 */

declare const chrome: any;
declare const browser: any;

const CHANNELS = ['_ZeUTxl', '_frxjem'];
const MULTI = '/v2/api/talk/channels/multi';
const SITE_PATTERN = 'http://127.0.0.1/*';

let server: SimulatorServer;

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 20 });
});
afterAll(async () => {
  await server?.close();
});

const multiCalls = () => server.sim.log.filter((e) => e.path === MULTI);

it.each([
  ['chrome', () => inject('chromeExtDir')],
  ['firefox', () => inject('firefoxExtDir')],
])('the %s manifest carries both commands (i18n descriptions, suggested keys) and the kc keyword', (_b, dir) => {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir(), 'manifest.json'), 'utf8'));
  expect(manifest.omnibox).toEqual({ keyword: 'kc' });
  expect(manifest.commands).toEqual({
    'check-selection': {
      suggested_key: { default: 'Alt+Shift+K' },
      description: '__MSG_quick_commandCheckSelection__',
    },
    'open-workspace': { suggested_key: { default: 'Alt+Shift+O' }, description: '__MSG_quick_commandOpenWorkspace__' },
  });
});

describe('quick lookups in Chromium', () => {
  let session: ChromeSession;
  let site: TestSite;

  beforeAll(async () => {
    site = await startTestSite();
    session = await launchChromeWithExtension(inject('chromeExtDir'));
  });
  afterAll(async () => {
    await session?.close();
    await site?.close();
  });

  it('options: saved key and channels, a badge site; the shortcuts section lists both commands with their keys', async () => {
    const options = await session.openExtensionPage('options.html');
    await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
    await options.type('input[name="sitePattern"]', SITE_PATTERN);
    await options.click('form[aria-label] input[name="sitePattern"] ~ button[type="submit"]');
    await options.waitForSelector('[data-testid="site-added"]');

    await options.waitForSelector('[data-section="shortcuts"] tr[data-command="open-workspace"]');
    const rows = await options.$$eval('[data-section="shortcuts"] tr[data-command]', (trs) =>
      trs.map((tr) => [tr.getAttribute('data-command'), tr.querySelector('kbd')?.textContent ?? null, tr.textContent]),
    );
    expect(rows.map(([name, key]) => [name, key])).toEqual([
      ['check-selection', 'Alt+Shift+K'],
      ['open-workspace', 'Alt+Shift+O'],
    ]);
    expect(rows[0]![2]).toContain('Check the friend status of the selected user ID');
    const button = await options.$('[data-section="shortcuts"] button[data-action="open-shortcuts"]');
    expect(await button!.evaluate((b) => b.textContent)).toBe('Change shortcuts');
    await options.close();
  });

  it('the check-selection shortcut reads the page’s selection and shows the relation in the page, counted', async () => {
    const userId = '5550004321';
    site.setPage('/ticket', `<!doctype html><p>Ticket 17 from member <span id="member">${userId}</span>.</p>`);
    const page = await session.browser.newPage();
    await page.goto(`${site.origin}/ticket`, { waitUntil: 'load' });
    await page.evaluate(() => {
      const range = document.createRange();
      range.selectNodeContents(document.getElementById('member')!);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    server.sim.clearLog();
    await page.bringToFront();
    await session.worker.evaluate(async () => {
      const [tab] = await chrome.tabs.query({ url: 'http://127.0.0.1/*' });
      chrome.commands.onCommand.dispatch('check-selection', tab);
    });
    const toast = await page.waitForSelector(`[data-kakao-toast="result"][data-kakao-toast-for="${userId}"]`);
    expect(await toast!.evaluate((el) => el.getAttribute('data-relation'))).toBe(
      server.sim.relationOf(userId, CHANNELS[0]!).relation,
    );
    expect(multiCalls()).toHaveLength(1);

    // The same text through the context menu: the same toast, from the cache.
    await page.evaluate(() => document.querySelector('[data-kakao-toast]')?.remove());
    await session.worker.evaluate(async (id) => {
      const [tab] = await chrome.tabs.query({ url: 'http://127.0.0.1/*' });
      chrome.contextMenus.onClicked.dispatch(
        {
          menuItemId: 'channel-desk-check-selection',
          selectionText: id,
          editable: false,
          pageUrl: tab.url,
          frameId: 0,
        },
        tab,
      );
    }, userId);
    await page.waitForSelector(`[data-kakao-toast="result"][data-kakao-toast-for="${userId}"]`);
    expect(multiCalls()).toHaveLength(1);

    // Both counted once against today's budget (the cached second look is free): options shows the use.
    const options = await session.openExtensionPage('options.html');
    await options.waitForSelector('[data-testid="budget-usage"]');
    expect(await options.$eval('[data-testid="budget-usage"]', (el) => el.getAttribute('data-used'))).toBe('1');
    await options.close();
    await page.close();
  });

  it('kc <ID> in the address bar: one call once typed, a line per channel; Enter opens the popup’s result view', async () => {
    const userId = '5550007777';
    server.sim.clearLog();
    const lines = (await session.worker.evaluate(async (id: string) => {
      const g = globalThis as any;
      g.__lines = null;
      // Typed key by key, faster than the debounce.
      for (let i = 1; i <= id.length; i++) {
        chrome.omnibox.onInputChanged.dispatch(id.slice(0, i), (s: unknown) => {
          if (i === id.length) g.__lines = s;
        });
        await new Promise((r) => setTimeout(r, 30));
      }
      // The first answer is "checking" (no lines); the lines come once the typing stopped.
      for (let t = 0; t < 200 && !g.__lines?.length; t++) await new Promise((r) => setTimeout(r, 50));
      return g.__lines;
    }, userId)) as { content: string; description: string }[];
    expect(multiCalls()).toHaveLength(1);
    expect(multiCalls()[0]!.query.target_ids).toBe(userId);
    expect(lines.map((l) => l.content).sort()).toEqual(CHANNELS.map((c) => `${userId} ${c}`).sort());
    const words: Record<string, string> = { ADDED: 'Friend (added)', BLOCKED: 'Blocked', NONE: 'Not added' };
    for (const line of lines) {
      const channel = line.content.split(' ')[1]!;
      expect(line.description).toContain(
        `${channel}</match>: ${words[server.sim.relationOf(userId, channel).relation]}`,
      );
    }

    const opened = session.browser.waitForTarget((t) => t.url().endsWith(`/popup.html?userId=${userId}`));
    await session.worker.evaluate((id: string) => {
      chrome.omnibox.onInputEntered.dispatch(`${id} _frxjem`, 'newForegroundTab');
    }, userId);
    const popup = (await (await opened).page()) as Page;
    await popup.waitForSelector('[data-testid="lookup"] [data-channel-id]');
    expect(await popup.$eval('input[name="userId"]', (el) => (el as HTMLInputElement).value)).toBe(userId);
    const rows = await readRelationRows(popup);
    expect(rows.length).toBe(CHANNELS.length);
    for (const row of rows) expect(row.relation).toBe(server.sim.relationOf(userId, row.channel!).relation);
    await popup.close();
  });
});

describe('quick lookups in Firefox ESR', () => {
  it('Firefox assigns both shortcuts, options lists them with its shortcut page, and popup.html?userId= checks', async () => {
    const firefox = await launchFirefoxWithExtension(inject('firefoxExtDir'));
    try {
      const options = await firefox.openExtensionPage('options.html');
      await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
      const all = (await options.evaluate(() => browser.commands.getAll())) as { name: string; shortcut: string }[];
      expect(Object.fromEntries(all.map((c) => [c.name, c.shortcut]))).toEqual({
        'check-selection': 'Alt+Shift+K',
        'open-workspace': 'Alt+Shift+O',
      });
      await options.waitForSelector('[data-section="shortcuts"] tr[data-command="open-workspace"] kbd');
      const keys = await options.$$eval('[data-section="shortcuts"] kbd', (els) => els.map((el) => el.textContent));
      expect(keys).toEqual(['Alt+Shift+K', 'Alt+Shift+O']);
      // Firefox 137+ opens its own shortcut page (ESR here is newer): the button, not the written path.
      expect(await options.evaluate(() => typeof browser.commands.openShortcutSettings)).toBe('function');
      expect(await options.$('[data-action="open-shortcuts"]')).not.toBeNull();
      expect(await options.$('[data-testid="shortcuts-path"]')).toBeNull();
      await options.close();

      const userId = '5550008888';
      const popup = await firefox.openExtensionPage(`popup.html?userId=${userId}`);
      await popup.waitForSelector('[data-testid="lookup"] [data-channel-id]');
      const rows = await readRelationRows(popup);
      expect(rows.length).toBe(CHANNELS.length);
      for (const row of rows) expect(row.relation).toBe(server.sim.relationOf(userId, row.channel!).relation);
      await popup.close();
    } finally {
      await firefox.close();
    }
  });
});
