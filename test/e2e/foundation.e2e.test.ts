import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { checkUser, expectSandboxCallToAction, saveSettings } from './flows';
import { launchChromeWithExtension, type ChromeSession } from './browsers';

declare const chrome: any;

const USER = '1234567890123456789'; // 19 digits: more than 2^53, must stay exact
const CHANNELS = ['_ZeUTxl', '_frxjem'];

let server: SimulatorServer;
let chromeSession: ChromeSession;

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 20 });
  chromeSession = await launchChromeWithExtension(inject('chromeExtDir'));
});
afterAll(async () => {
  await chromeSession?.close();
  await server?.close();
});

describe('foundation, end to end in Chromium', () => {
  it('opens the options page on first install', async () => {
    const target = await chromeSession.browser.waitForTarget((t) => t.url().endsWith('/options.html'), {
      timeout: 10_000,
    });
    expect(target.url()).toBe(`chrome-extension://${chromeSession.extId}/options.html`);
  });

  it('asks only for the simulator origin, storage and context menus', async () => {
    const manifest = await chromeSession.worker.evaluate(() => chrome.runtime.getManifest());
    expect(manifest.host_permissions).toEqual(['http://127.0.0.1/*']);
    expect(manifest.externally_connectable).toBeUndefined();
  });

  it('popup without a key shows the call to action, in the sandbox', () => expectSandboxCallToAction(chromeSession));

  it('saves the key, tests it, and checks a user in the popup against the simulator', async () => {
    const options = await chromeSession.openExtensionPage('options.html');
    await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));

    // After saving, the page only ever shows the masked key.
    expect(await options.$eval('[data-testid="key-status"]', (el) => el.textContent)).toContain(
      `••••${SIM_ADMIN_KEY.slice(-4)}`,
    );
    expect(await options.$eval('input[name="adminKey"]', (el) => (el as HTMLInputElement).value)).toBe('');
    expect(await options.content()).not.toContain(SIM_ADMIN_KEY);

    await options.click('[data-action="test-key"]');
    const testText = await options
      .waitForSelector('[data-testid="test-ok"]')
      .then((el) => el!.evaluate((e) => e.textContent));
    expect(testText).toContain('_ZeUTxl');
    expect(testText).toContain('_frxjem');
    await options.close();

    server.sim.clearLog();
    const popup = await chromeSession.openExtensionPage('popup.html');
    await checkUser(popup, USER);
    await popup.waitForSelector('li[data-channel-id]');
    const rows = await popup.$$eval('li[data-channel-id]', (els) =>
      els.map((el) => ({
        channel: el.getAttribute('data-channel-id'),
        relation: el.getAttribute('data-relation'),
        text: el.textContent,
      })),
    );
    expect(rows.map((r) => r.channel)).toEqual(CHANNELS);
    for (const row of rows) {
      const truth = server.sim.relationOf(USER, row.channel!);
      expect(row.relation).toBe(truth.relation);
      expect(row.text).toMatch(
        truth.relation === 'ADDED' ? /Friend/ : truth.relation === 'BLOCKED' ? /Blocked/ : /Not added/,
      );
    }
    const calls = server.sim.log.filter((e) => e.path === '/v2/api/talk/channels');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.query).toMatchObject({
      target_id: USER,
      target_id_type: 'user_id',
      channel_ids: CHANNELS.join(','),
    });

    // The lookup is remembered in the popup's recent list.
    await popup.reload();
    await popup.waitForFunction(
      (id) => [...document.querySelectorAll('.chip')].some((c) => c.textContent === id),
      {},
      USER,
    );
    await popup.close();
  });

  it('an invalid user ID is explained without any API call', async () => {
    server.sim.clearLog();
    const popup = await chromeSession.openExtensionPage('popup.html');
    await checkUser(popup, '12ab');
    await popup.waitForSelector('.field-error');
    expect(server.sim.log).toHaveLength(0);
    await popup.close();
  });

  it('keeps the key out of sync storage and out of readable local storage', async () => {
    const areas = await chromeSession.worker.evaluate(async () => ({
      sync: await chrome.storage.sync.get(null),
      local: await chrome.storage.local.get(null),
      session: await chrome.storage.session.get(null),
    }));
    expect(Object.keys(areas.sync)).toHaveLength(0);
    expect(JSON.stringify(areas.local)).not.toContain(SIM_ADMIN_KEY);
    expect(JSON.stringify(areas.session)).toContain(SIM_ADMIN_KEY); // default: session only
  });

  it('an unknown key shows the -401 explanation', async () => {
    const options = await chromeSession.openExtensionPage('options.html');
    await saveSettings(options, 'ffffffffffffffffffffffffffffffff', CHANNELS.join(','));
    await options.close();
    const popup = await chromeSession.openExtensionPage('popup.html');
    await checkUser(popup, '42');
    const error = await popup.waitForSelector('[data-error-code]');
    expect(await error!.evaluate((el) => el.getAttribute('data-error-code'))).toBe('-401');
    expect(await error!.evaluate((el) => el.textContent)).toContain('Admin key is invalid');
    expect(await popup.content()).not.toContain('ffffffffffffffffffffffffffffffff');
    await popup.close();
  });
});
