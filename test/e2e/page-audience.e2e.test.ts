import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { launchChromeWithExtension, type ChromeSession } from './browsers';
import { allowSite, saveSettings, waitForBadges } from './flows';
import { renderTestPage, startTestSite, type TestSite } from './page-site/server';

/*
 * Issue 12: "save this page's IDs as an audience", from the popup. A manager's page on an allowed site lists 60
 * distinct IDs (8 of them twice); the badges are drawn; the popup opened for that tab offers the 60 IDs, saves them
 * from the click, and the workspace's audience list shows the audience with 60 IDs (each ID once).
 */

declare const chrome: any;

const CHANNELS = ['_ZeUTxl', '_frxjem'];
const IDS = Array.from({ length: 60 }, (_, i) => String(7_300_000_000 + i * 11));
const REPEATS = IDS.slice(0, 8);

let server: SimulatorServer;
let site: TestSite;
let session: ChromeSession;

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 5 });
  site = await startTestSite();
  session = await launchChromeWithExtension(inject('chromeExtDir'));
  site.setPage(
    '/members',
    renderTestPage({
      ids: IDS,
      initial: IDS.length,
      memberCells: new Set(),
      repeats: REPEATS,
      lateRepeats: [],
      lateDelayMs: 0,
    }),
  );
});
afterAll(async () => {
  await session?.close();
  await site?.close();
  await server?.close();
});

describe('save this page’s IDs as an audience, end to end in Chromium', () => {
  it('the popup saves the IDs the badges found on the tab; the workspace lists the audience with all of them', async () => {
    const options = await session.openExtensionPage('options.html');
    await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
    await allowSite(options, 'http://127.0.0.1/*');
    await options.close();

    const page = await session.browser.newPage();
    await page.goto(`${site.origin}/members?ext=${session.extId}`, { waitUntil: 'load' });
    await waitForBadges(page, IDS.length + REPEATS.length);
    const tabId: number = await session.worker.evaluate(async () => {
      const [tab] = await chrome.tabs.query({ url: 'http://127.0.0.1/*' });
      return tab.id;
    });

    const popup = await session.openExtensionPage(`popup.html?tabId=${tabId}`);
    const button = await popup.waitForSelector('button[data-action="save-page-audience"]:not([disabled])');
    expect(await button!.evaluate((el) => el.textContent)).toMatch(/\(60\)/);
    const name = await popup.$eval('input[name="audienceName"]', (el) => (el as HTMLInputElement).value);
    expect(name).toMatch(/^주문 관리 \(test admin\) \d{4}-\d{2}-\d{2}$/);
    await popup.$eval('input[name="audienceName"]', (el) => ((el as HTMLInputElement).value = ''));
    await popup.type('input[name="audienceName"]', 'Members page');
    await button!.click();
    await popup.waitForSelector('[data-testid="page-audience-saved"]');
    const link = await popup.$eval('a[data-action="open-audiences"]', (el) => el.getAttribute('href'));
    expect(link).toMatch(/\/workspace\.html#\/audiences$/);
    await popup.close();

    const workspace = await session.openExtensionPage('workspace.html#/audiences');
    await workspace.waitForSelector('[data-testid="audience-list"] li[data-audience-id]');
    const rows = await workspace.$$eval('[data-testid="audience-list"] li[data-audience-id]', (els) =>
      els.map((el) => el.textContent ?? ''),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Members page');
    expect(rows[0]).toMatch(/\b60\b/);

    await workspace.close();
    await page.close();
  });
});
