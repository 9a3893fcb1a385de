import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { launchChromeWithExtension, type ChromeSession } from './browsers';
import { saveSettings } from './flows';
import { saveScreenshot } from './screenshots';

declare const chrome: any;

/*
 * Issue 17 end to end in Chromium: the toolbar states as the action API reports
 * them (one screenshot each), the privacy policy page from the options page, and
 * the store screenshots (1280×800, from the sandbox, never real data), written to
 * store/screenshots/ by `SCREENSHOTS=1`.
 */
const CHANNELS = ['_ZeUTxl', '_frxjem'];
const SANDBOX_TITLE = 'Channel Desk\nSandbox: demo data, nothing is sent to Kakao';

let server: SimulatorServer;
beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 5 });
});
afterAll(() => server?.close());

/** The toolbar button as every tab sees it by default (no tab's page count). */
const toolbar = (session: ChromeSession) =>
  session.worker.evaluate(async () => ({
    title: (await chrome.action.getTitle({})) as string,
    badge: (await chrome.action.getBadgeText({})) as string,
  }));

async function waitForTitle(session: ChromeSession, title: string) {
  for (let i = 0; i < 100; i++) {
    const now = await toolbar(session);
    if (now.title === title) return now;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect((await toolbar(session)).title).toBe(title);
  throw new Error('unreachable');
}

/**
 * A picture of the toolbar button on a light and a dark toolbar, at 1× and 2×: the icon the state names
 * (the extension's own PNG), its badge and its tooltip, as the action API reports them.
 */
async function showToolbar(session: ChromeSession, variant: 'normal' | 'sandbox' | 'attention', name: string) {
  const { title, badge } = await toolbar(session);
  const page = await session.openExtensionPage('privacy.html');
  await page.setViewport({ width: 560, height: 220 });
  const icon = (size: 16 | 32) => (variant === 'normal' ? `/icons/${size}.png` : `/icons/${variant}-${size}.png`);
  await page.evaluate(
    (icons, badgeText, tooltip) => {
      const stripStyle = (bg: string, fg: string) =>
        `background:${bg};color:${fg};display:flex;gap:28px;align-items:center;padding:14px 18px;font:13px sans-serif`;
      const badgeStyle = (size: number) =>
        'position:absolute;right:-3px;bottom:-3px;background:#c62828;color:#fff;' +
        `border-radius:${size / 4}px;padding:0 ${size / 8}px;font:bold ${size * 0.6}px/1.1 sans-serif`;
      const strip = (bg: string, fg: string) => `
        <div style="${stripStyle(bg, fg)}">
          ${[
            [icons[0], 16],
            [icons[1], 32],
          ]
            .map(
              ([src, size]) => `<span style="position:relative;display:inline-block;width:${size}px;height:${size}px">
                <img src="${src}" width="${size}" height="${size}" alt="">
                ${badgeText ? `<span style="${badgeStyle(Number(size))}">${badgeText}</span>` : ''}
              </span>`,
            )
            .join('')}
          <span style="white-space:pre-line;border:1px solid ${fg}55;border-radius:4px;padding:4px 8px">${tooltip.replace(/</g, '&lt;')}</span>
        </div>`;
      const strips = strip('#f1f3f4', '#1d1f23') + strip('#35363a', '#e8eaed');
      document.body.innerHTML = `<div id="toolbars" style="display:inline-block">${strips}</div>`;
      document.body.style.margin = '0';
    },
    [icon(16), icon(32)],
    badge,
    title,
  );
  await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
  await saveScreenshot((await page.$('#toolbars'))!, name);
  await page.close();
}

describe('toolbar states (action API)', () => {
  let session: ChromeSession;
  beforeAll(async () => {
    session = await launchChromeWithExtension(inject('chromeExtDir'), { lang: 'en' });
  });
  afterAll(() => session?.close());

  it('sandbox on a fresh install: the marked icon, no badge, the title says demo data', async () => {
    expect(await waitForTitle(session, SANDBOX_TITLE)).toEqual({ title: SANDBOX_TITLE, badge: '' });
    await showToolbar(session, 'sandbox', 'toolbar-sandbox');
  });

  it('normal once a key is saved', async () => {
    const options = await session.openExtensionPage('options.html');
    await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
    await options.close();
    expect(await waitForTitle(session, 'Channel Desk')).toEqual({ title: 'Channel Desk', badge: '' });
    await showToolbar(session, 'normal', 'toolbar-normal');
  });

  it('attention when the session key is gone (as after a browser restart): red "!", the title says why', async () => {
    await session.worker.evaluate(() => chrome.storage.session.clear());
    const title = 'Channel Desk\nNeeds attention: the Admin key was cleared when the browser closed';
    expect(await waitForTitle(session, title)).toEqual({ title, badge: '!' });
    await showToolbar(session, 'attention', 'toolbar-attention');

    // Saving the key again clears it.
    const options = await session.openExtensionPage('options.html');
    await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
    await options.close();
    await waitForTitle(session, 'Channel Desk');
  });

  it('the options page links to the privacy policy, which says what is stored and sent', async () => {
    const options = await session.openExtensionPage('options.html');
    const link = await options.waitForSelector('a[data-action="open-privacy"]');
    const opened = new Promise<Page | null>((resolve) =>
      session.browser.once('targetcreated', (t: { page(): Promise<Page | null> }) => resolve(t.page())),
    );
    await link!.click();
    const privacy = (await opened)!;
    await privacy.waitForSelector('main.page-privacy h2');
    expect(privacy.url()).toBe(`chrome-extension://${session.extId}/privacy.html`);
    const headings = await privacy.$$eval('h2', (els) => els.map((e) => e.textContent));
    expect(headings).toEqual(['English', '한국어']);
    expect(await privacy.$eval('main', (el) => el.textContent)).toContain('No analytics, telemetry');
    await privacy.close();
    await options.close();
  });
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

describe.each(['en', 'ko'] as const)('store screenshots (%s), 1280×800, from the sandbox', (lang) => {
  let session: ChromeSession;
  beforeAll(async () => {
    server.sim.clearLog();
    session = await launchChromeWithExtension(inject('chromeExtDir'), { lang });
  });
  afterAll(() => session?.close());

  const shot = (page: Page, name: string) =>
    saveScreenshot(page, `${lang}-${name}`, { dir: 'store/screenshots', fullPage: false });
  async function open(file: string): Promise<Page> {
    const page = await session.openExtensionPage(file);
    await page.setViewport({ width: 1280, height: 800 });
    return page;
  }

  // Five pages and a 600-ID check: longer than one page's test.
  it(
    'the popup, the bulk check, customer files, growth tools and settings; nothing reaches the API',
    { timeout: 240_000 },
    async () => {
      // The popup in its real size, in the middle of a 1280×800 picture.
      const popup = await open('popup.html');
      await popup.addStyleTag({
        content:
          'html{background:linear-gradient(135deg,#e8effd,#f5f6f8)!important;min-height:100%}' +
          'body{margin:0;background:transparent!important}' +
          'main.page-popup{margin:60px auto 0;border:1px solid #d9dce3;border-radius:10px;' +
          'box-shadow:0 12px 40px #0003;background:var(--bg)}',
      });
      await popup.waitForSelector('[data-demo-user]');
      await popup.click('[data-demo-user]');
      await popup.waitForSelector('li[data-channel-id][data-relation]');
      await shot(popup, '1-popup');
      await popup.close();

      const check = await open('workspace.html#/relationships');
      await check.waitForSelector('[data-action="source-paste"]');
      await check.click('[data-action="source-paste"]');
      await check.waitForSelector('textarea[name="pasteText"]');
      await fill(
        check,
        'textarea[name="pasteText"]',
        Array.from({ length: 600 }, (_, i) => String(4_000_000_001 + i)).join('\n'),
      );
      await check.click('[data-action="start-check"]');
      await check.waitForFunction(
        () => document.querySelector('[data-testid="job-progress"]')?.getAttribute('data-status') === 'done',
        { timeout: 60_000 },
      );
      await check.waitForSelector('tr[data-kakao-user-id]');
      await shot(check, '2-bulk-check');
      await check.close();

      const files = await open('workspace.html#/files');
      await files.waitForSelector('tr[data-file-id]');
      await shot(files, '3-customer-files');
      await files.close();

      const growth = await open('workspace.html#/growth');
      await growth.waitForSelector('.growth-channel[data-channel-id="_ZeUTxl"]');
      await shot(growth, '4-growth-tools');
      await growth.close();

      const options = await open('options.html');
      await options.waitForSelector('input[name="adminKey"]');
      await shot(options, '5-settings');
      await options.close();

      // Sandbox only: the (simulated) Kakao API got no request.
      expect(server.sim.log).toHaveLength(0);
    },
  );
});
