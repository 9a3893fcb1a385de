import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { launchChromeWithExtension, launchFirefoxWithExtension } from './browsers';
import { checkUser, readRelationRows, saveSettings, type ExtensionSession } from './flows';
import { readStored } from './stored';

/*
 * Issue 13: the PIN lock, in Chromium and Firefox. A remembered key with a PIN is locked after the browser restarts
 * (same profile folder): the popup asks for the PIN, a wrong one says how many tries are left, the right one unlocks
 * and a check reaches Kakao (the simulator) again.
 */

const CHANNEL = '_ZeUTxl';
const PIN = 'sea otter 4812';
const USER_ID = '4000000123';
let server: SimulatorServer;

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 5 });
});
afterAll(async () => {
  await server?.close();
});

async function type(page: Page, selector: string, value: string) {
  await page.$eval(selector, (el) => ((el as HTMLInputElement).value = ''));
  await page.type(selector, value);
}

const browsers: { name: string; launch: (profile: string) => Promise<ExtensionSession> }[] = [
  {
    name: 'Chromium',
    launch: (profile) => launchChromeWithExtension(inject('chromeExtDir'), { userDataDir: profile, lang: 'en' }),
  },
  {
    name: 'Firefox',
    launch: (profile) => launchFirefoxWithExtension(inject('firefoxExtDir'), { userDataDir: profile, lang: 'en' }),
  },
];

describe.each(browsers)('PIN lock after a browser restart ($name, one profile)', ({ launch }) => {
  it('the popup asks for the PIN, a wrong one shows the tries left, the right one unlocks and a check works', async () => {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-pin-profile-'));
    let session: ExtensionSession | undefined;
    try {
      session = await launch(profile);
      const options = await session.openExtensionPage('options.html');
      await saveSettings(options, SIM_ADMIN_KEY, CHANNEL, { remember: true });
      await options.waitForSelector('[data-testid="pin-settings"][data-pin="none"]');
      await type(options, '[data-testid="pin-settings"] input[name="pin"]', PIN);
      await options.click('[data-action="set-pin"]');
      await options.waitForSelector('[data-testid="pin-settings"][data-pin="set"] [data-testid="pin-done"]', {
        timeout: 60_000,
      });
      // What is stored: the PIN-sealed record, with the product's PBKDF2 cost; never the key itself.
      const sealed = (await options.evaluate(readStored, 'adminKeySealed')) as { pin?: { iterations: number } };
      expect(sealed.pin?.iterations).toBeGreaterThanOrEqual(600_000);
      expect(JSON.stringify(sealed)).not.toContain(SIM_ADMIN_KEY);
      await options.close();
      await session.close();

      session = await launch(profile);
      server.sim.clearLog();
      const popup = await session.openExtensionPage('popup.html');
      await popup.waitForSelector('[data-testid="key-locked"] input[name="pin"]');
      expect(await popup.$('input[name="userId"]')).toBeNull(); // locked is not "ready", and not "no key"
      expect(await popup.$('[data-testid="no-key"]')).toBeNull();
      expect(await popup.$('[data-testid="sandbox"]')).toBeNull(); // never the sandbox instead

      await type(popup, 'input[name="pin"]', 'sea otter 0000');
      await popup.click('[data-action="unlock"]');
      const wrong = await popup.waitForSelector('[data-testid="pin-wrong"]', { timeout: 60_000 });
      expect(await wrong!.evaluate((el) => el.getAttribute('data-tries-left'))).toBe('9');
      expect(await wrong!.evaluate((el) => el.textContent)).toContain('9 tries left');
      expect(server.sim.log).toHaveLength(0);

      await type(popup, 'input[name="pin"]', PIN);
      await popup.click('[data-action="unlock"]');
      await popup.waitForSelector('input[name="userId"]', { timeout: 60_000 });
      await checkUser(popup, USER_ID);
      const rows = await readRelationRows(popup);
      expect(rows.map((r) => r.channel)).toEqual([CHANNEL]);
      expect(rows[0]!.relation).toBe(server.sim.relationOf(USER_ID, CHANNEL).relation);
      expect(server.sim.log.length).toBeGreaterThan(0);
      expect(await popup.content()).not.toContain(SIM_ADMIN_KEY);
      // Locking again from the popup brings the unlock form back.
      await popup.click('[data-action="lock-now"]');
      await popup.waitForSelector('[data-testid="key-locked"] input[name="pin"]');
      await popup.close();
    } finally {
      await session?.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });
});
