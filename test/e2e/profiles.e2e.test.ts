import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { launchChromeWithExtension, launchFirefoxWithExtension } from './browsers';
import { checkUser, readRelationRows, saveSettings, type ExtensionSession } from './flows';
import { startTestSite, type TestSite } from './page-site/server';

/*
 * Issue 13: two profiles with different channels. Switching the profile in the popup changes its answer, and a
 * badge site bound to profile B shows B's channel while A is active. Chromium and Firefox.
 */

const SITE_PATTERN = 'http://127.0.0.1/*';
const A = { name: 'Agency A', channel: '_ZeUTxl' };
const B = { name: 'Agency B', channel: '_frxjem' };
const USER = '4018203344';
const PAGE_IDS = ['1111111111', '2222222222', '3333333333'];

type Session = ExtensionSession & { browser: { newPage(): Promise<Page> } };

async function activeName(page: Page): Promise<string> {
  const el = await page.waitForSelector('[data-active-profile]');
  return el!.evaluate((e) => e.textContent ?? '');
}

async function waitActive(page: Page, name: string) {
  await page.waitForFunction(
    (n) => document.querySelector('[data-active-profile]')?.textContent === n,
    { timeout: 15_000 },
    name,
  );
}

/** Chooses a profile by its name in a `<select name="profile">`, as a user does. */
async function switchTo(page: Page, name: string) {
  const value = await page.$$eval(
    'select[name="profile"] option',
    (opts, n) => opts.find((o) => o.textContent === n)?.getAttribute('value') ?? null,
    name,
  );
  expect(value).not.toBeNull();
  await page.select('select[name="profile"]', value!);
  await waitActive(page, name);
}

function runIn(browserName: string, launch: () => Promise<Session>) {
  describe(`profiles in ${browserName}`, () => {
    let server: SimulatorServer;
    let session: Session;
    let site: TestSite;

    beforeAll(async () => {
      server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 5 });
      site = await startTestSite();
      site.setPage(
        '/members',
        `<!doctype html><html><body><table>${PAGE_IDS.map(
          (id) => `<tr><td><span data-kakao-user-id="${id}">${id}</span></td></tr>`,
        ).join('')}</table></body></html>`,
      );
      session = await launch();
    });
    afterAll(async () => {
      await session?.close();
      await site?.close();
      await server?.close();
    });

    it('sets up two profiles with their own channels in Settings; a site added under B is bound to B', async () => {
      const options = await session.openExtensionPage('options.html');
      await options.waitForSelector('input[name="profileName"]');
      // Profile A: today's single-key form, plus its name.
      await options.$eval('input[name="profileName"]', (el) => ((el as HTMLInputElement).value = ''));
      await options.type('input[name="profileName"]', A.name);
      await saveSettings(options, SIM_ADMIN_KEY, A.channel);
      await waitActive(options, A.name);

      // Profile B: added, it becomes the one the form edits (empty fields), then saved with its own channel.
      await options.type('input[name="newProfileName"]', B.name);
      await options.click('[data-action="add-profile"]');
      await waitActive(options, B.name);
      await options.waitForFunction(
        () => (document.querySelector('textarea[name="channelIds"]') as HTMLTextAreaElement).value === '',
      );
      expect(await options.$eval('input[name="profileName"]', (el) => (el as HTMLInputElement).value)).toBe(B.name);
      await saveSettings(options, SIM_ADMIN_KEY, B.channel);

      // The badge site, added while B is active, is bound to B.
      await options.type('input[name="sitePattern"]', SITE_PATTERN);
      await options.click('form[aria-label] input[name="sitePattern"] ~ button[type="submit"]');
      await options.waitForSelector(`[data-site="${SITE_PATTERN}"] select[name="siteProfile"]`);
      const bound = await options.$eval(`[data-site="${SITE_PATTERN}"] select[name="siteProfile"]`, (el) => {
        const s = el as HTMLSelectElement;
        return s.selectedOptions[0]?.textContent;
      });
      expect(bound).toBe(B.name);

      // Back to A: the form shows A's channel.
      await switchTo(options, A.name);
      await options.waitForFunction(
        (c) => (document.querySelector('textarea[name="channelIds"]') as HTMLTextAreaElement).value === c,
        {},
        A.channel,
      );
      await options.close();
    });

    it('the popup shows the active profile, and switching changes its answer', async () => {
      const popup = await session.openExtensionPage('popup.html');
      expect(await activeName(popup)).toBe(A.name);
      expect(await popup.$$eval('select[name="profile"] option', (o) => o.map((x) => x.textContent))).toEqual([
        A.name,
        B.name,
      ]);
      await checkUser(popup, USER);
      const rowsA = await readRelationRows(popup);
      expect(rowsA.map((r) => r.channel)).toEqual([A.channel]);
      expect(rowsA[0]!.relation).toBe(server.sim.relationOf(USER, A.channel).relation);

      await switchTo(popup, B.name);
      await popup.waitForFunction(
        (c) =>
          [...document.querySelectorAll('li[data-channel-id]')].map((e) => e.getAttribute('data-channel-id')).join() ===
          c,
        { timeout: 15_000 },
        B.channel,
      );
      const rowsB = await readRelationRows(popup);
      expect(rowsB[0]!.relation).toBe(server.sim.relationOf(USER, B.channel).relation);

      // The workspace header shows the same active profile.
      const workspace = await session.openExtensionPage('workspace.html');
      expect(await activeName(workspace)).toBe(B.name);
      await switchTo(workspace, A.name);
      await workspace.close();

      const again = await session.openExtensionPage('popup.html');
      expect(await activeName(again)).toBe(A.name);
      await again.close();
      await popup.close();
    });

    it('a site bound to profile B shows B’s channel while A is active', async () => {
      const page = await session.browser.newPage();
      await page.goto(`${site.origin}/members`, { waitUntil: 'load' });
      await page.waitForFunction(
        (n) => {
          const hosts = document.querySelectorAll('[data-kakao-badge-for]');
          return hosts.length === n && [...hosts].every((h) => h.hasAttribute('data-relation'));
        },
        { timeout: 60_000 },
        PAGE_IDS.length,
      );
      const hosts = await page.$$eval('[data-kakao-badge-for]', (els) =>
        els.map((el) => ({
          id: el.getAttribute('data-kakao-badge-for')!,
          channel: el.getAttribute('data-channel-id'),
          relation: el.getAttribute('data-relation'),
        })),
      );
      for (const h of hosts) {
        expect(h.channel).toBe(B.channel);
        expect(h.relation).toBe(server.sim.relationOf(h.id, B.channel).relation);
      }
      // The calls asked about B's channel only.
      const multi = server.sim.log.filter((e) => e.path === '/v2/api/talk/channels/multi');
      expect(multi.length).toBeGreaterThan(0);
      expect(multi.every((e) => e.query.channel_ids === B.channel)).toBe(true);
      await page.close();
    });
  });
}

runIn('Chromium', () => launchChromeWithExtension(inject('chromeExtDir')));
runIn('Firefox', () => launchFirefoxWithExtension(inject('firefoxExtDir')));
