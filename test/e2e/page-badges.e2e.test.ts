import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { ROOT } from './build';
import { saveScreenshot } from './screenshots';
import { launchChromeWithExtension, type ChromeSession } from './browsers';
import {
  EDITABLE_ID,
  HOSTILE_ID,
  renderTestPage,
  startTestSite,
  type TestSite,
  makePagePlan,
} from './page-site/server';
import { readStored } from './stored';

declare const chrome: any;

const CHANNELS = ['_ZeUTxl', '_frxjem'];
const SELECTED = CHANNELS[0]!;
const MULTI = '/v2/api/talk/channels/multi';
const MENU_ID = 'channel-desk-check-selection';

// 450 distinct IDs (one of them 19 digits), 400 in the HTML and 50 added after load,
// 40 of them in custom-rule cells, plus 40 repeated elements.
const {
  ids: IDS,
  plan: PLAN,
  badgeElements: BADGE_ELEMENTS,
} = makePagePlan({ distinct: 450, base: 8_100_000_000, step: 7, longIdAt: 5, repeats: 30 });

let server: SimulatorServer;
let site: TestSite;
let session: ChromeSession;

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 20 });
  site = await startTestSite();
  session = await launchChromeWithExtension(inject('chromeExtDir'));
  site.setPage('/orders', renderTestPage(PLAN));
});
afterAll(async () => {
  await session?.close();
  await site?.close();
  await server?.close();
});

const multiCalls = () => server.sim.log.filter((e) => e.path === MULTI);

async function badges(page: Page) {
  return page.$$eval('[data-kakao-badge-for]', (els) =>
    els.map((el) => [el.getAttribute('data-kakao-badge-for')!, el.getAttribute('data-relation')] as const),
  );
}

async function waitForAllBadges(page: Page, count: number, timeout = 60_000) {
  await page.waitForFunction(
    (n) => {
      const hosts = document.querySelectorAll('[data-kakao-badge-for]');
      return hosts.length === n && [...hosts].every((h) => h.hasAttribute('data-relation'));
    },
    { timeout, polling: 50 },
    count,
  );
}

async function openSitePage(file: string): Promise<Page> {
  const page = await session.browser.newPage();
  await page.goto(`${site.origin}${file}?ext=${session.extId}`, { waitUntil: 'load' });
  return page;
}

/**
 * What a badge's pill (inside its closed shadow root, read through DevTools) shows: its relation and the channel it
 * names.
 */
async function pill(page: Page, userId: string): Promise<{ relation: string | null; label: string | null }> {
  type DomNode = {
    nodeType: number;
    nodeValue?: string;
    attributes?: string[];
    children?: DomNode[];
    shadowRoots?: DomNode[];
  };
  const cdp = await page.createCDPSession();
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', {
      nodeId: root.nodeId,
      selector: `[data-kakao-badge-for="${userId}"]`,
    });
    const { node } = (await cdp.send('DOM.describeNode', { nodeId, depth: -1, pierce: true })) as unknown as {
      node: DomNode;
    };
    const attr = (n: DomNode, name: string) => {
      const i = (n.attributes ?? []).indexOf(name);
      return i >= 0 && i % 2 === 0 ? n.attributes![i + 1]! : null;
    };
    const find = (n: DomNode, cls: string): DomNode | null => {
      if (attr(n, 'class')?.split(' ').includes(cls)) return n;
      for (const c of [...(n.shadowRoots ?? []), ...(n.children ?? [])]) {
        const hit = find(c, cls);
        if (hit) return hit;
      }
      return null;
    };
    const text = (n: DomNode): string =>
      n.nodeType === 3 ? (n.nodeValue ?? '') : (n.children ?? []).map(text).join('');
    const pillNode = find(node, 'pill');
    const label = pillNode ? find(pillNode, 'ch') : null;
    return { relation: pillNode ? attr(pillNode, 'data-relation') : null, label: label ? text(label) : null };
  } finally {
    await cdp.detach();
  }
}

describe('friend-status badges on a manager’s site, end to end in Chromium', () => {
  it('keeps the content script small and free of the key, zod and preact', () => {
    const file = path.join(inject('chromeExtDir'), 'content-scripts', 'badges.js');
    const code = fs.readFileSync(file);
    expect(gzipSync(code).length).toBeLessThanOrEqual(12 * 1024);
    const text = code.toString('utf8');
    expect(text).not.toContain('KakaoAK');
    expect(text).not.toContain('ZodError');
    expect(text).not.toContain(SIM_ADMIN_KEY);
    const manifest = JSON.parse(fs.readFileSync(path.join(inject('chromeExtDir'), 'manifest.json'), 'utf8'));
    expect(manifest.content_scripts ?? []).toEqual([]); // registered per site at run time, never for every site
    expect(manifest.optional_host_permissions).toEqual(['http://*/*', 'https://*/*']);
  });

  it('adds the site in options: permission, registration, custom rule', async () => {
    const options = await session.openExtensionPage('options.html');
    await options.waitForSelector('input[name="adminKey"]');
    await options.type('input[name="adminKey"]', SIM_ADMIN_KEY);
    await options.type('textarea[name="channelIds"]', CHANNELS.join('\n'));
    await options.click('button[type="submit"]');
    await options.waitForSelector('[data-testid="saved"]');

    // A bad pattern is explained and asks for nothing.
    await options.type('input[name="sitePattern"]', 'https://*/*');
    await options.keyboard.press('Enter');
    await options.waitForSelector('#sitePatternError');
    expect(await options.$eval('#sitePatternError', (el) => el.textContent)).toMatch(/single site|사이트 하나/);

    await options.$eval('input[name="sitePattern"]', (el) => ((el as HTMLInputElement).value = ''));
    await options.type('input[name="sitePattern"]', 'http://127.0.0.1/*');
    await options.click('form[aria-label] input[name="sitePattern"] ~ button[type="submit"]');
    await options.waitForSelector('[data-testid="site-added"]');

    const scripts = await session.worker.evaluate(() => chrome.scripting.getRegisteredContentScripts());
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatchObject({
      matches: ['http://127.0.0.1/*'],
      js: ['content-scripts/badges.js'],
      persistAcrossSessions: true,
    });

    // Custom rule: the text of td.member holds "No. <id>".
    await options.click('[data-site="http://127.0.0.1/*"] button:not([data-action]):not(.primary)');
    await options.type('[data-site="http://127.0.0.1/*"] input[name="ruleSelector"]', 'td.member');
    await options.type('[data-site="http://127.0.0.1/*"] input[name="ruleRegex"]', 'No\\.\\s*(\\d+)');
    await options.click('[data-action="save-rules"]');
    await options.waitForSelector('[data-site="http://127.0.0.1/*"] p.success');
    await options.setViewport({ width: 800, height: 900 });
    const section = await options.$('[data-section="sites"]');
    await saveScreenshot(section!, 'options-sites');
    await options.close();
  });

  let page: Page;

  it('450 distinct IDs with duplicates and late rows: every badge matches the simulator, in exactly 3 /multi calls', async () => {
    server.sim.clearLog();
    page = await openSitePage('/orders');
    await page.waitForFunction(() => document.body.dataset.lateRows === 'added');
    await waitForAllBadges(page, BADGE_ELEMENTS);

    const found = await badges(page);
    expect(found).toHaveLength(BADGE_ELEMENTS);
    expect(new Set(found.map(([id]) => id))).toEqual(new Set(IDS));
    for (const [id, relation] of found) expect(relation).toBe(server.sim.relationOf(id, SELECTED).relation);

    const calls = multiCalls();
    expect(calls).toHaveLength(3);
    const asked = calls.flatMap((c) => c.query.target_ids!.split(','));
    expect(asked).toHaveLength(450);
    expect(new Set(asked)).toEqual(new Set(IDS));
    expect(asked).not.toContain(EDITABLE_ID); // form fields and contenteditable are ignored

    // Toolbar: found / friends for this tab.
    const friends = IDS.filter((id) => server.sim.relationOf(id, SELECTED).relation === 'ADDED').length;
    await session.worker.evaluate(() => new Promise((r) => setTimeout(r, 400)));
    const toolbar = await session.worker.evaluate(async () => {
      const [tab] = await chrome.tabs.query({ url: 'http://127.0.0.1/*' });
      return {
        text: await chrome.action.getBadgeText({ tabId: tab.id }),
        title: await chrome.action.getTitle({ tabId: tab.id }),
      };
    });
    expect(toolbar.text).toBe('450');
    expect(toolbar.title).toContain(`450`);
    expect(toolbar.title).toContain(`${friends}`);
  });

  it('badges are keyboard focusable and labelled', async () => {
    await page.bringToFront();
    await page.focus('body');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-kakao-badge-for'));
    expect(focused).toBe(IDS[0]);
    const snapshot = await page.accessibility.snapshot({ interestingOnly: true });
    const names: string[] = [];
    const walk = (n: any) => {
      if (n?.name) names.push(n.name);
      (n?.children ?? []).forEach(walk);
    };
    walk(snapshot);
    const word = { ADDED: 'Friend (added)', BLOCKED: 'Blocked', NONE: 'Not added' }[
      server.sim.relationOf(IDS[0]!, SELECTED).relation
    ];
    expect(names.some((n) => n.includes(`User ID ${IDS[0]}`) && n.includes(word))).toBe(true);
  });

  it('reloading within the TTL costs 0 calls; the hostile page script gets nothing and triggers nothing', async () => {
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
    expect(report.hostText).toBe('');
    expect(report.hostAttributes.sort()).toEqual(['data-channel-id', 'data-kakao-badge-for', 'data-relation']);
    expect(report.chromeRuntime).toBeNull();
    expect(report.chromeStorage).toBeNull();
    expect(report.reply ?? null).toBeNull();
    expect(report.localStorage).toEqual([]);
    expect(report.sessionStorage).toEqual([]);
    expect(report.indexedDB).toEqual([]);
    expect(report.globals).toEqual([]);
    expect(await page.$('[data-kakao-toast]')).toBeNull(); // the fake "result" message drew nothing
    expect(server.sim.log.some((e) => JSON.stringify(e.query).includes(HOSTILE_ID))).toBe(false);

    await page.setViewport({ width: 760, height: 520 });
    await page.hover(`[data-kakao-badge-for="${IDS[2]}"]`);
    await saveScreenshot(page, 'page-badges', { fullPage: false });
  });

  it('with two channels the pill names its channel, and the manager picks the badge channel per site (or any channel)', async () => {
    // @채널데스크, @myshop
    const uuid = (channel: string) => server.sim.linkedChannels().find((c) => c.publicId === channel)!.uuid;
    const anyRule = (id: string) => {
      const relations = CHANNELS.map((c) => server.sim.relationOf(id, c).relation);
      return relations.includes('ADDED') ? 'ADDED' : relations.includes('BLOCKED') ? 'BLOCKED' : 'NONE';
    };
    // IDs whose relation differs by channel, so each choice shows on the page.
    expect(
      IDS.filter(
        (id) => server.sim.relationOf(id, CHANNELS[0]!).relation !== server.sim.relationOf(id, CHANNELS[1]!).relation,
      ).length,
    ).toBeGreaterThan(10);
    const expectBadges = async (channelAttr: string, relationOf: (id: string) => string, label: string) => {
      await page.bringToFront(); // a background tab's timers (the late rows) are throttled
      await page.reload({ waitUntil: 'load' });
      await page.waitForFunction(() => document.body.dataset.lateRows === 'added');
      await waitForAllBadges(page, BADGE_ELEMENTS);
      const hosts = await page.$$eval('[data-kakao-badge-for]', (els) =>
        els.map(
          (el) =>
            [
              el.getAttribute('data-kakao-badge-for')!,
              el.getAttribute('data-relation'),
              el.getAttribute('data-channel-id'),
            ] as const,
        ),
      );
      expect(hosts.filter(([id, relation, channel]) => relation !== relationOf(id) || channel !== channelAttr)).toEqual(
        [],
      );
      expect(await pill(page, IDS[3]!)).toEqual({ relation: relationOf(IDS[3]!), label });
    };

    // The default (the first channel): its @name in the pill.
    await expectBadges(SELECTED, (id) => server.sim.relationOf(id, SELECTED).relation, uuid(SELECTED));

    const options = await session.openExtensionPage('options.html');
    const select = '[data-site="http://127.0.0.1/*"] select[name="badgeChannel"]';
    await options.waitForSelector(select);
    expect(await options.$eval(select, (el) => (el as HTMLSelectElement).value)).toBe(SELECTED);
    expect(await options.$$eval(`${select} option`, (els) => els.map((o) => (o as HTMLOptionElement).value))).toEqual([
      ...CHANNELS,
      'any',
    ]);
    const choose = async (value: string) => {
      await options.select(select, value);
      await options.waitForFunction(
        (v) => document.querySelector('[data-testid="badge-channel-saved"]')?.textContent?.includes(v),
        {},
        value === 'any' ? 'any channel' : value,
      );
    };

    await choose(CHANNELS[1]!);
    await expectBadges(CHANNELS[1]!, (id) => server.sim.relationOf(id, CHANNELS[1]!).relation, uuid(CHANNELS[1]!));
    await options.bringToFront();
    await choose('any');
    await expectBadges('any', anyRule, 'any channel');
    server.sim.clearLog();
    await options.bringToFront();
    await choose(SELECTED); // back to the default for the tests below
    await options.close();
    await expectBadges(SELECTED, (id) => server.sim.relationOf(id, SELECTED).relation, uuid(SELECTED));
    expect(multiCalls()).toHaveLength(0); // switching channels re-reads the cache (every channel is in it)
  });

  it('the context-menu handler shows the result in the page, explains an invalid selection, and remembers the lookup', async () => {
    const exists = await session.worker.evaluate((id) => chrome.contextMenus.update(id, {}).then(() => true), MENU_ID);
    expect(exists).toBe(true);
    const userId = '5550001234';
    await session.worker.evaluate(
      async (id, selection) => {
        const [tab] = await chrome.tabs.query({ url: 'http://127.0.0.1/*' });
        chrome.contextMenus.onClicked.dispatch(
          { menuItemId: id, selectionText: selection, editable: false, pageUrl: tab.url, frameId: 0 },
          tab,
        );
      },
      MENU_ID,
      ` ${userId} `,
    );
    const toast = await page.waitForSelector(`[data-kakao-toast="result"][data-kakao-toast-for="${userId}"]`);
    expect(await toast!.evaluate((el) => el.getAttribute('data-relation'))).toBe(
      server.sim.relationOf(userId, SELECTED).relation,
    );
    const recent = (await session.worker.evaluate(readStored, 'recentLookups')) as string[];
    expect(recent[0]).toBe(userId);

    await session.worker.evaluate(async (id) => {
      const [tab] = await chrome.tabs.query({ url: 'http://127.0.0.1/*' });
      chrome.contextMenus.onClicked.dispatch(
        { menuItemId: id, selectionText: '주문번호 A-17', editable: false, pageUrl: tab.url, frameId: 0 },
        tab,
      );
    }, MENU_ID);
    await page.waitForSelector('[data-kakao-toast="invalid"]');
    const snapshot = JSON.stringify(await page.accessibility.snapshot({ interestingOnly: false }));
    expect(snapshot).toContain('is not a user ID');
  });

  it('measures a 5,000-ID page: calls and time to all badges', async () => {
    const ids = Array.from({ length: 5000 }, (_, i) => String(7_200_000_000 + i * 3));
    site.setPage(
      '/big',
      renderTestPage({ ids, initial: 5000, memberCells: new Set(), repeats: [], lateRepeats: [], lateDelayMs: 0 }),
    );
    server.sim.clearLog();
    const big = await session.browser.newPage();
    // Phase marks, taken in the page: when the DOM was ready, the first badge appeared, all were answered.
    await big.evaluateOnNewDocument(() => {
      const marks: Record<string, number> = {};
      (window as any).__marks = marks;
      const timer = setInterval(() => {
        const hosts = document.querySelectorAll('[data-kakao-badge-for]');
        if (hosts.length > 0) marks.firstBadge ??= performance.now();
        if (
          hosts.length === 5000 &&
          document.querySelectorAll('[data-kakao-badge-for][data-relation]').length === 5000
        ) {
          marks.allBadges = performance.now();
          clearInterval(timer);
        }
      }, 20);
    });
    const started = Date.now();
    await big.goto(`${site.origin}/big?ext=${session.extId}`, { waitUntil: 'load' });
    await waitForAllBadges(big, 5000, 110_000);
    const ms = Date.now() - started;
    const marks = await big.evaluate(() => ({
      domReady: Math.round(
        performance.getEntriesByType('navigation')[0]
          ? (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd
          : 0,
      ),
      firstBadge: Math.round((window as any).__marks.firstBadge ?? 0),
      allBadges: Math.round((window as any).__marks.allBadges ?? 0),
    }));
    const calls = multiCalls();
    const mismatches = (await badges(big)).filter(
      ([id, relation]) => relation !== server.sim.relationOf(id, SELECTED).relation,
    );
    expect(mismatches).toEqual([]);
    expect(calls).toHaveLength(25);
    const result = { ids: 5000, multiCalls: calls.length, msToAllBadges: ms, inPageMs: marks, simLatencyMs: 20 };
    fs.mkdirSync(path.join(ROOT, 'test/e2e/.artifacts'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'test/e2e/.artifacts/page-5000.json'), JSON.stringify(result, null, 2));
    console.log('[page badges] 5,000-ID page:', JSON.stringify(result));
    await big.close();
  });

  it('removing the site unregisters the script: no badges, no calls', async () => {
    const options = await session.openExtensionPage('options.html');
    await options.waitForSelector('[data-action="remove-site"]');
    await options.click('[data-action="remove-site"]');
    await options.waitForSelector('[data-testid="sites-empty"]');
    expect(await session.worker.evaluate(() => chrome.scripting.getRegisteredContentScripts())).toEqual([]);
    await options.close();
    server.sim.clearLog();
    const again = await openSitePage('/orders');
    await again.waitForFunction(() => document.body.dataset.lateRows === 'added');
    await new Promise((r) => setTimeout(r, 500));
    expect(await again.$('[data-kakao-badge-for]')).toBeNull();
    expect(server.sim.log).toHaveLength(0);
    await again.close();
  });
});
