import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { classifySender, type SenderFacts } from '../../lib/messages/sender';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { TO_CONTENT_TYPE as TOAST_MESSAGE } from '../../lib/messages/to-content-guard';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { launchFirefoxWithExtension, type FirefoxSession } from './browsers';
import { saveSettings } from './flows';
import {
  EDITABLE_ID,
  HOSTILE_ID,
  renderTestPage,
  startTestSite,
  type TestSite,
  makePagePlan,
} from './page-site/server';
import { readStored } from './stored';

// Firefox's native `browser` namespace, inside page.evaluate / executeScript functions.
declare const browser: any;

const CHANNELS = ['_ZeUTxl', '_frxjem'];
const SELECTED = CHANNELS[0]!;
const MULTI = '/v2/api/talk/channels/multi';
const MENU_ID = 'channel-desk-check-selection';
const SITE_PATTERN = 'http://127.0.0.1/*';

// 430 distinct IDs: 380 in the HTML, 50 added after load (40 in custom-rule cells), plus 30 repeated elements.
const {
  ids: IDS,
  plan: PLAN,
  badgeElements: BADGE_ELEMENTS,
} = makePagePlan({ distinct: 430, base: 6_300_000_000, step: 11, longIdAt: 3, repeats: 20 });
const EXPECTED_CALLS = Math.ceil(IDS.length / 200);

let server: SimulatorServer;
let site: TestSite;
let firefox: FirefoxSession;
let page: Page;

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 20 });
  site = await startTestSite();
  site.setPage('/orders', renderTestPage(PLAN));
  firefox = await launchFirefoxWithExtension(inject('firefoxExtDir'));
});
afterAll(async () => {
  await firefox?.close();
  await site?.close();
  await server?.close();
});

const multiCalls = () => server.sim.log.filter((e) => e.path === MULTI);

async function waitForAllBadges(p: Page, count: number, timeout = 60_000) {
  await p.waitForFunction(
    (n) => {
      const hosts = document.querySelectorAll('[data-kakao-badge-for]');
      return hosts.length === n && [...hosts].every((h) => h.hasAttribute('data-relation'));
    },
    { timeout, polling: 100 },
    count,
  );
}

async function badges(p: Page) {
  return p.$$eval('[data-kakao-badge-for]', (els) =>
    els.map((el) => [el.getAttribute('data-kakao-badge-for')!, el.getAttribute('data-relation')] as const),
  );
}

describe('friend-status badges in Firefox ESR', () => {
  it('adds the site through the options form: the permission request and the runtime registration work', async () => {
    const options = await firefox.openExtensionPage('options.html');
    await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
    await options.waitForSelector('[data-testid="sites-empty"]');

    await options.type('input[name="sitePattern"]', SITE_PATTERN);
    // A real click: Firefox only asks for a permission inside a user gesture.
    await options.click('form[aria-label] input[name="sitePattern"] ~ button[type="submit"]');
    await options.waitForSelector('[data-testid="site-added"]');
    expect(await options.$('#sitePatternError')).toBeNull();

    const registered = {
      scripts: await options.evaluate(() => browser.scripting.getRegisteredContentScripts()),
      sites: await options.evaluate(readStored, 'pageSites'),
    };
    expect(registered.scripts).toHaveLength(1);
    expect(registered.scripts[0]).toMatchObject({
      matches: [SITE_PATTERN],
      js: ['content-scripts/badges.js'],
      persistAcrossSessions: true,
    });

    // Custom rule: the text of td.member holds "No. <id>".
    await options.click(`[data-site="${SITE_PATTERN}"] button:not([data-action]):not(.primary)`);
    await options.type(`[data-site="${SITE_PATTERN}"] input[name="ruleSelector"]`, 'td.member');
    await options.type(`[data-site="${SITE_PATTERN}"] input[name="ruleRegex"]`, 'No\\.\\s*(\\d+)');
    await options.click('[data-action="save-rules"]');
    await options.waitForSelector(`[data-site="${SITE_PATTERN}"] p.success`);
    await options.close();
  });

  it(`430 distinct IDs with duplicates and late rows: every badge matches the simulator, in exactly ${EXPECTED_CALLS} /multi calls`, async () => {
    server.sim.clearLog();
    page = await firefox.browser.newPage();
    await page.goto(`${site.origin}/orders`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.lateRows === 'added');
    await waitForAllBadges(page, BADGE_ELEMENTS);

    const found = await badges(page);
    expect(found).toHaveLength(BADGE_ELEMENTS);
    expect(new Set(found.map(([id]) => id))).toEqual(new Set(IDS));
    for (const [id, relation] of found) expect(relation).toBe(server.sim.relationOf(id, SELECTED).relation);

    const calls = multiCalls();
    expect(calls).toHaveLength(EXPECTED_CALLS);
    const asked = calls.flatMap((c) => c.query.target_ids!.split(','));
    expect(asked).toHaveLength(IDS.length);
    expect(new Set(asked)).toEqual(new Set(IDS));
    expect(asked).not.toContain(EDITABLE_ID);
    expect(asked).not.toContain(HOSTILE_ID);

    // Toolbar: found / friends for this tab (reportPageCounts from the Firefox content script).
    const friends = IDS.filter((id) => server.sim.relationOf(id, SELECTED).relation === 'ADDED').length;
    const popup = await firefox.openExtensionPage('popup.html');
    await popup.waitForFunction(
      async (pattern: string) => {
        const [tab] = await browser.tabs.query({ url: pattern });
        return (await browser.action.getBadgeText({ tabId: tab.id })) === '430';
      },
      { polling: 100 },
      SITE_PATTERN,
    );
    const title = await popup.evaluate(async (pattern: string) => {
      const [tab] = await browser.tabs.query({ url: pattern });
      return browser.action.getTitle({ tabId: tab.id });
    }, SITE_PATTERN);
    expect(title).toContain('430');
    expect(title).toContain(`${friends}`);
    await popup.close();
  });

  it('reloading within the TTL costs 0 calls; the page script got nothing', async () => {
    server.sim.clearLog();
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.lateRows === 'added');
    await waitForAllBadges(page, BADGE_ELEMENTS);
    await new Promise((r) => setTimeout(r, 500)); // let any stray lookup reach the simulator
    expect(multiCalls()).toHaveLength(0);
    expect(server.sim.log).toHaveLength(0);

    const report = await page.evaluate(() => (window as any).__probe());
    expect(report.badgeCount).toBe(BADGE_ELEMENTS);
    expect(report.shadowRoots).toBe(0); // closed shadow roots
    expect(report.hostInnerHTML).toBe('');
    expect(report.hostAttributes.sort()).toEqual(['data-channel-id', 'data-kakao-badge-for', 'data-relation']);
    expect(report.chromeRuntime).toBeNull();
    expect(report.localStorage).toEqual([]);
    expect(report.sessionStorage).toEqual([]);
    expect(report.globals).toEqual([]);
    expect(await page.$('[data-kakao-toast]')).toBeNull();
  });

  it('the content-script world cannot read storage.session, where the key lives', async () => {
    const options = await firefox.openExtensionPage('options.html');
    // The key is in session storage (read from an extension page, where it is allowed)…
    expect(JSON.stringify(await options.evaluate(() => browser.storage.session.get(null)))).toContain(SIM_ADMIN_KEY);
    // …and the same call from the tab's content-script sandbox fails or is absent.
    // executeScript runs the function in the tab's content-script sandbox, the one the badges script runs in.
    const seen = await options.evaluate(async (pattern: string) => {
      const [tab] = await browser.tabs.query({ url: pattern });
      const [injected] = await browser.scripting.executeScript({
        target: { tabId: tab.id, frameIds: [0] },
        func: async () => {
          const g = globalThis as any;
          const out = { session: '', local: '' };
          try {
            out.session = g.browser?.storage?.session
              ? `readable: ${JSON.stringify(await g.browser.storage.session.get(null))}`
              : 'absent';
          } catch (err) {
            out.session = `refused: ${String(err)}`;
          }
          out.local = JSON.stringify(await g.browser.storage.local.get(null));
          return out;
        },
      });
      return injected.result as { session: string; local: string };
    }, SITE_PATTERN);
    expect(seen.session).toMatch(/^(absent|refused)/);
    expect(seen.session).not.toContain(SIM_ADMIN_KEY);
    expect(seen.local).not.toContain(SIM_ADMIN_KEY);
    await options.close();
  });

  it('a real content-script sender is class `content`: its commands answer, extension-only commands are refused', async () => {
    const options = await firefox.openExtensionPage('options.html');
    // The options page listens too, to see the `sender` facts Firefox gives for the content script.
    await options.evaluate(() => {
      (window as any).__senders = [];
      browser.runtime.onMessage.addListener((message: any, sender: any) => {
        if (message?.senderProbe) (window as any).__senders.push(JSON.parse(JSON.stringify(sender)));
      });
    });
    const replies = await options.evaluate(async (pattern: string) => {
      const [tab] = await browser.tabs.query({ url: pattern });
      const [injected] = await browser.scripting.executeScript({
        target: { tabId: tab.id, frameIds: [0] },
        func: async () => {
          const g = globalThis as any;
          // The wire format of @webext-core/messaging, which the badges script uses.
          const send = (type: string, data: unknown) =>
            g.browser.runtime.sendMessage({ id: 1, type, data, timestamp: Date.now() });
          void g.browser.runtime.sendMessage({ senderProbe: true }).catch(() => undefined);
          return {
            // Set by the registered badges script: this is its sandbox, not a separate one.
            badgesScriptHere: g.__channelDeskBadges === true,
            config: await send('getPageConfig', {}),
            listSites: await send('listSites', {}),
            clearPageCache: await send('clearPageCache', { recheck: false }),
            addSite: await send('addSite', { pattern: 'https://evil.example/*' }),
          };
        },
      });
      return injected.result as Record<'config' | 'listSites' | 'clearPageCache' | 'addSite', { res: any }> & {
        badgesScriptHere: boolean;
      };
    }, SITE_PATTERN);
    expect(replies.badgesScriptHere).toBe(true);
    await options.waitForFunction(() => (window as any).__senders.length > 0);
    const sender = (await options.evaluate(() => (window as any).__senders[0])) as SenderFacts & {
      tab?: { url?: string };
    };
    expect(sender.id).toBe(firefox.extId);
    expect(sender.envType).toBe('content_child');
    expect(sender.origin).toBe(site.origin); // Firefox vouches for the content script's origin too
    expect(sender.tab?.url).toBe(`${site.origin}/orders`);
    expect(classifySender(sender, firefox.extId, firefox.origin)).toBe('content');
    expect(replies.config.res).toMatchObject({
      ok: true,
      value: { enabled: true, rules: [{ selector: 'td.member' }] },
    });
    for (const name of ['listSites', 'clearPageCache', 'addSite'] as const) {
      expect(replies[name].res).toEqual({
        ok: false,
        refusal: 'refused_sender',
        detail: `${name} is not allowed from content`,
      });
    }
    // And the other way round: the content-only command is refused from an extension page.
    const fromPage = await options.evaluate(() =>
      browser.runtime.sendMessage({ id: 2, type: 'getPageConfig', data: {}, timestamp: Date.now() }),
    );
    expect(fromPage.res).toEqual({
      ok: false,
      refusal: 'refused_sender',
      detail: 'getPageConfig is not allowed from extension',
    });
    // Nothing changed: still one site, and the cache still answers a reload with 0 calls.
    expect(await options.evaluate(readStored, 'pageSites')).toHaveLength(1);
    await options.close();
  });

  it('the context menu exists in Firefox, and the background reaches the badges script in the tab', async () => {
    const popup = await firefox.openExtensionPage('popup.html');
    // update() rejects for an unknown id: the item was created on install through menusApi().
    expect(await popup.evaluate((id: string) => browser.contextMenus.update(id, {}).then(() => true), MENU_ID)).toBe(
      true,
    );
    // With the "contextMenus" permission Firefox exposes that name only; menusApi() picks it (no onClicked.dispatch to
    // drive it).
    expect(await popup.evaluate(() => [typeof browser.menus, typeof browser.contextMenus.onClicked.dispatch])).toEqual([
      'undefined',
      'undefined',
    ]);

    // "Check again" after clearing the cache: the background messages the tab's content script.
    server.sim.clearLog();
    await popup.evaluate(() =>
      browser.runtime.sendMessage({ id: 3, type: 'clearPageCache', data: { recheck: true }, timestamp: Date.now() }),
    );
    const deadline = Date.now() + 30_000;
    while (multiCalls().length < EXPECTED_CALLS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await waitForAllBadges(page, BADGE_ELEMENTS);
    expect(multiCalls()).toHaveLength(EXPECTED_CALLS);

    // The toast the menu handler sends (same message, same tabs.sendMessage path) is drawn and acknowledged.
    const userId = '5550001234';
    const reply = await popup.evaluate(
      async (pattern: string, message: unknown) => {
        const [tab] = await browser.tabs.query({ url: pattern });
        return browser.tabs.sendMessage(tab.id, message, { frameId: 0 });
      },
      SITE_PATTERN,
      {
        type: TOAST_MESSAGE,
        kind: 'result',
        userId,
        selectedChannelId: SELECTED,
        outcome: { channels: [{ channelId: SELECTED, relation: 'BLOCKED' }] },
      },
    );
    expect(reply).toEqual({ shown: true });
    const toast = await page.waitForSelector(`[data-kakao-toast="result"][data-kakao-toast-for="${userId}"]`);
    expect(await toast!.evaluate((el) => el.getAttribute('data-relation'))).toBe('BLOCKED');
    await popup.close();
  });

  it('removing the site unregisters the script: no badges, no calls', async () => {
    const options = await firefox.openExtensionPage('options.html');
    await options.waitForSelector('[data-action="remove-site"]');
    await options.click('[data-action="remove-site"]');
    await options.waitForSelector('[data-testid="sites-empty"]');
    expect(await options.evaluate(() => browser.scripting.getRegisteredContentScripts())).toEqual([]);
    // The API host is the same origin here (ports do not count): removing the site must not revoke it.
    expect(await options.evaluate((p: string) => browser.permissions.contains({ origins: [p] }), SITE_PATTERN)).toBe(
      true,
    );
    await options.close();
    server.sim.clearLog();
    const again = await firefox.browser.newPage();
    await again.goto(`${site.origin}/orders`, { waitUntil: 'load' });
    await again.waitForFunction(() => document.body.dataset.lateRows === 'added');
    await new Promise((r) => setTimeout(r, 500));
    expect(await again.$('[data-kakao-badge-for]')).toBeNull();
    expect(server.sim.log).toHaveLength(0);
    await again.close();
  });
});
