import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { classifySender, type SenderFacts } from '../../lib/messages/sender';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { FIREFOX_EXTENSION_ID, launchFirefoxWithExtension, type FirefoxSession } from './browsers';
import { checkUser, readError, readRelationRows, saveSettings, expectSandboxCallToAction } from './flows';
import { readStored } from './stored';

// The extension pages' own `browser` (Firefox's native namespace), inside page.evaluate.
declare const browser: any;

const USER = '1234567890123456789'; // 19 digits: more than 2^53, must stay exact
const CHANNELS = ['_ZeUTxl', '_frxjem'];
const API_HOST = 'http://127.0.0.1/*';

let server: SimulatorServer;
let firefox: FirefoxSession;

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 20 });
  firefox = await launchFirefoxWithExtension(inject('firefoxExtDir'));
});
afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

async function storageAreas(page: Page) {
  return page.evaluate(async () => ({
    sync: await browser.storage.sync.get(null),
    local: await browser.storage.local.get(null),
    session: await browser.storage.session.get(null),
  }));
}

async function relationsMatchSimulator(popup: Page, userId: string) {
  const rows = await readRelationRows(popup);
  expect(rows.map((r) => r.channel)).toEqual(CHANNELS);
  for (const row of rows) {
    const truth = server.sim.relationOf(userId, row.channel!);
    expect(row.relation).toBe(truth.relation);
    expect(row.text).toMatch(
      truth.relation === 'ADDED' ? /Friend/ : truth.relation === 'BLOCKED' ? /Blocked/ : /Not added/,
    );
  }
}

describe('Channel Desk in Firefox ESR', () => {
  it('installs as an MV3 add-on with a stable gecko id and an event-page background', async () => {
    const page = await firefox.openExtensionPage('popup.html');
    const facts = await page.evaluate(async () => {
      const bg = await browser.runtime.getBackgroundPage();
      return {
        manifest: browser.runtime.getManifest(),
        id: browser.runtime.id,
        backgroundIsWindow: bg !== null && bg.location.protocol === 'moz-extension:',
        granted: await browser.permissions.getAll(),
      };
    });
    expect(facts.id).toBe(FIREFOX_EXTENSION_ID);
    expect(facts.manifest.manifest_version).toBe(3);
    expect(facts.manifest.browser_specific_settings.gecko).toMatchObject({
      id: FIREFOX_EXTENSION_ID,
      strict_min_version: '140.0',
      data_collection_permissions: { required: ['none'] },
    });
    expect(facts.manifest.background.scripts).toHaveLength(1);
    expect(facts.manifest.background.scripts[0]).toMatch(/background\.js$/);
    expect(facts.manifest.background.service_worker ?? null).toBeNull();
    expect(facts.backgroundIsWindow).toBe(true);
    expect(facts.manifest.host_permissions).toEqual([API_HOST]);
    expect(facts.granted.origins).toEqual([API_HOST]); // a temporary add-on gets its host permissions
    await page.close();
  });

  it('popup without a key shows the call to action, in the sandbox', () => expectSandboxCallToAction(firefox));

  it("gives extension pages' messages facts that classify as `extension`", async () => {
    // Listen in the options page, send from the popup: the `sender` Firefox hands a listener
    // is what the background's router classifies.
    const listener = await firefox.openExtensionPage('options.html');
    await listener.evaluate(() => {
      (window as any).__senders = [];
      browser.runtime.onMessage.addListener((message: any, sender: any) => {
        if (message?.senderProbe) (window as any).__senders.push(JSON.parse(JSON.stringify(sender)));
      });
    });
    const popup = await firefox.openExtensionPage('popup.html');
    await popup.evaluate(() => browser.runtime.sendMessage({ senderProbe: true }).catch(() => undefined));
    await listener.waitForFunction(() => (window as any).__senders.length > 0);
    const sender = (await listener.evaluate(() => (window as any).__senders[0])) as SenderFacts & { url?: string };
    expect(sender.id).toBe(FIREFOX_EXTENSION_ID);
    expect(sender.origin).toBe(firefox.origin);
    expect(sender.envType).toBe('addon_child');
    expect(classifySender(sender, FIREFOX_EXTENSION_ID, firefox.origin)).toBe('extension');
    await popup.close();
    await listener.close();
  });

  it('saves the key through the options form and checks a user in the popup against the simulator', async () => {
    const options = await firefox.openExtensionPage('options.html');
    await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
    expect(await options.$eval('[data-testid="key-status"]', (el) => el.textContent)).toContain(
      `••••${SIM_ADMIN_KEY.slice(-4)}`,
    );
    expect(await options.$eval('input[name="adminKey"]', (el) => (el as HTMLInputElement).value)).toBe('');
    expect(await options.content()).not.toContain(SIM_ADMIN_KEY);
    expect(await options.$('[data-testid="host-access"]')).toBeNull(); // access granted: no notice

    await options.click('[data-action="test-key"]');
    const testText = await options
      .waitForSelector('[data-testid="test-ok"]')
      .then((el) => el!.evaluate((e) => e.textContent));
    expect(testText).toContain('_ZeUTxl');
    expect(testText).toContain('_frxjem');
    await options.close();

    server.sim.clearLog();
    // Every command below comes from the popup page: the background accepted it as `extension`.
    const popup = await firefox.openExtensionPage('popup.html');
    await checkUser(popup, USER);
    await relationsMatchSimulator(popup, USER);
    const calls = server.sim.log.filter((e) => e.path === '/v2/api/talk/channels');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.query).toMatchObject({
      target_id: USER,
      target_id_type: 'user_id',
      channel_ids: CHANNELS.join(','),
    });
    await popup.close();
  });

  it('keeps the key in session storage by default: never in sync, never readable in local', async () => {
    const page = await firefox.openExtensionPage('popup.html');
    const areas = await storageAreas(page);
    expect(Object.keys(areas.sync)).toHaveLength(0);
    expect(JSON.stringify(areas.local)).not.toContain(SIM_ADMIN_KEY);
    expect(JSON.stringify(areas.session)).toContain(SIM_ADMIN_KEY);
    await page.close();
  });

  it('"remember on this device" seals the key in the extension store (IndexedDB wrapping key works in Firefox)', async () => {
    const options = await firefox.openExtensionPage('options.html');
    await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'), { remember: true });
    const areas = await storageAreas(options);
    expect(JSON.stringify(areas.session)).not.toContain(SIM_ADMIN_KEY);
    expect(JSON.stringify(areas.local)).not.toContain(SIM_ADMIN_KEY);
    expect(areas.local).toEqual({}); // the sealed key is in the extension's store, out of content scripts' reach
    const sealed = await options.evaluate(readStored, 'adminKeySealed');
    expect(JSON.stringify(sealed)).not.toContain(SIM_ADMIN_KEY);
    expect(sealed).toMatchObject({ iv: expect.any(String), data: expect.any(String) });
    expect(Object.keys(areas.sync)).toHaveLength(0);
    await options.close();

    const popup = await firefox.openExtensionPage('popup.html');
    await checkUser(popup, USER);
    await relationsMatchSimulator(popup, USER); // the background unsealed the key

    // Back to the default for the tests below.
    const again = await firefox.openExtensionPage('options.html');
    await saveSettings(again, SIM_ADMIN_KEY, CHANNELS.join('\n'), { remember: false });
    await again.close();
    await popup.close();
  });

  it('withheld host access: nothing is sent, the popup says why, and "Grant access" in settings fixes it', async () => {
    const options = await firefox.openExtensionPage('options.html');
    // What a user does in about:addons → Permissions (Firefox MV3 host permissions are revocable).
    expect(await options.evaluate((origin) => browser.permissions.remove({ origins: [origin] }), API_HOST)).toBe(true);
    const notice = await options.waitForSelector('[data-testid="host-access"][data-host-access="missing"]');
    expect(await notice!.evaluate((el) => el.textContent)).toContain('127.0.0.1');

    server.sim.clearLog();
    const popup = await firefox.openExtensionPage('popup.html');
    await checkUser(popup, USER);
    const error = await readError(popup);
    expect(error.code).toBe('no_host_access');
    expect(error.text).toContain('Grant access');
    expect(server.sim.log).toHaveLength(0);

    // A real click (a user gesture) asks Firefox; the profile auto-accepts permission prompts.
    await options.click('[data-action="grant-host-access"]');
    await options.waitForSelector('[data-testid="host-access"][data-host-access="granted"]');
    expect(await options.evaluate((origin) => browser.permissions.contains({ origins: [origin] }), API_HOST)).toBe(
      true,
    );
    await options.close();

    await popup.close();
    const fresh = await firefox.openExtensionPage('popup.html');
    await checkUser(fresh, USER);
    await relationsMatchSimulator(fresh, USER);
    await fresh.close();
  });

  it('the workspace page opens, with its navigation and a settings link inside the add-on', async () => {
    const workspace = await firefox.openExtensionPage('workspace.html');
    const nav = await workspace.waitForSelector('nav.ws-nav');
    expect(await nav!.evaluate((el) => el.getAttribute('aria-label'))).toBe('Workspace');
    expect(await workspace.$eval('a.ws-settings', (el) => (el as HTMLAnchorElement).href)).toBe(
      `${firefox.origin}/options.html`,
    );
    // Each section registered in components/workspace/sections.tsx gets a link (#/<id>); the features add them.
    const sections = await workspace.$$eval('nav.ws-nav a[data-section]', (els) =>
      els.map((el) => el.getAttribute('href')),
    );
    for (const href of sections) expect(href).toMatch(/^#\/[\w-]+$/);
    await workspace.close();
  });

  it('an unknown key shows the -401 explanation without showing the key', async () => {
    const options = await firefox.openExtensionPage('options.html');
    await saveSettings(options, 'ffffffffffffffffffffffffffffffff', CHANNELS.join(','));
    await options.close();
    const popup = await firefox.openExtensionPage('popup.html');
    await checkUser(popup, '42');
    const error = await readError(popup);
    expect(error.code).toBe('-401');
    expect(error.text).toContain('Admin key is invalid');
    expect(await popup.content()).not.toContain('ffffffffffffffffffffffffffffffff');
    await popup.close();
  });
});
