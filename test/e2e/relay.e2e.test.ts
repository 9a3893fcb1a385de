import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startRelay, type StartedRelay } from '../../relay/src/testing';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { launchChromeWithExtension, launchFirefoxWithExtension } from './browsers';
import {
  checkUser,
  expectNoBrowserOrigin,
  readError,
  readRelationRows,
  runJobWatchingProgress,
  type ExtensionSession,
} from './flows';

/*
 * Issue 18: a profile in relay mode. The extension calls the relay (startRelay, pointed at the simulator) with its
 * relay token; the relay calls "Kakao" (the simulator) with the Admin key only it holds. The popup check, a
 * 1,000-ID bulk check and a customer-file upload all go through it; Kakao sees the relay's key and no browser
 * Origin; the browser's storage never holds the Admin key. Chromium and Firefox.
 */

const CHANNELS = ['_ZeUTxl', '_frxjem'];
const TOKEN = 'relay-token-e2e-0123456789abcdef';
const USER = '4018203344';

/** Sets a field's value the way typing would (Preact listens to `input`). */
async function fill(page: Page, selector: string, value: string) {
  await page.$eval(
    selector,
    (el, v) => {
      (el as HTMLInputElement).value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
}

/** Everything Channel Desk stores, in one text: storage.session, .local, .sync and its own IndexedDB store. */
async function everythingStored(page: Page): Promise<string> {
  return page.evaluate(async () => {
    type Area = { get(keys: null): Promise<Record<string, unknown>> };
    type Api = { storage: { session: Area; local: Area; sync: Area } };
    const scope = globalThis as unknown as { browser?: Api; chrome: Api };
    const api = scope.browser ?? scope.chrome;
    const [session, local, sync] = await Promise.all([
      api.storage.session.get(null),
      api.storage.local.get(null),
      api.storage.sync.get(null).catch(() => ({})),
    ]);
    const values = await new Promise<unknown[]>((resolve, reject) => {
      const open = indexedDB.open('channel-desk-store', 1);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const req = db.transaction('values', 'readonly').objectStore('values').getAll();
        req.onsuccess = () => {
          db.close();
          resolve(req.result as unknown[]);
        };
        req.onerror = () => reject(req.error);
      };
    });
    return JSON.stringify({ session, local, sync, values });
  });
}

type Session = ExtensionSession;

function runIn(browserName: string, launch: () => Promise<Session>) {
  describe(`relay mode in ${browserName}`, () => {
    let server: SimulatorServer;
    let relay: StartedRelay;
    let session: Session;

    beforeAll(async () => {
      server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 5 });
      relay = await startRelay({
        kakaoOrigin: server.origin,
        adminKey: SIM_ADMIN_KEY,
        tokens: { ana: TOKEN },
        channels: CHANNELS,
      });
      session = await launch();
    });
    afterAll(async () => {
      await session?.close();
      await relay?.close();
      await server?.close();
    });

    it('sets a profile to relay mode in Settings: URL and token, the relay’s access asked on save', async () => {
      const options = await session.openExtensionPage('options.html');
      await options.waitForSelector('input[name="connectionMode"][value="relay"]');
      await options.click('input[name="connectionMode"][value="relay"]');
      await options.waitForSelector('input[name="relayUrl"]');
      // No Admin key field in relay mode: the key stays on the relay.
      expect(await options.$('input[name="adminKey"]')).toBeNull();
      // The URL as a manager pastes it (a trailing slash is dropped when saved).
      await fill(options, 'input[name="relayUrl"]', `${relay.origin}/`);
      await fill(options, 'input[name="relayToken"]', TOKEN);
      await fill(options, 'textarea[name="channelIds"]', CHANNELS.join('\n'));
      await options.click('button[type="submit"]');
      await options.waitForSelector('[data-testid="saved"]');
      await options.waitForSelector('[data-relay-access="granted"]');
      expect(await options.$eval('[data-testid="relay-token-status"]', (el) => el.textContent)).toMatch(/••••/);
      expect(await options.$eval('input[name="relayToken"]', (el) => (el as HTMLInputElement).value)).toBe('');
      // The URL as saved: without the trailing slash.
      expect(await options.$eval('input[name="relayUrl"]', (el) => (el as HTMLInputElement).value)).toBe(relay.origin);

      // A wrong token, tested before saving: the relay's refusal is explained (relay_auth), nothing is saved.
      await fill(options, 'input[name="relayToken"]', 'not-the-relay-token-000');
      await options.click('[data-action="test-key"]');
      const refusal = await readError(options);
      expect(refusal.code).toBe('relay_auth');
      expect(refusal.text).toMatch(/릴레이 토큰|relay token/);
      await fill(options, 'input[name="relayToken"]', '');

      // The connection check runs through the relay and passes.
      await options.click('[data-action="run-check"]');
      const report = await options.waitForSelector('[data-testid="check-report"]', { timeout: 30_000 });
      expect(await report!.evaluate((el) => el.getAttribute('data-verdict'))).toBe('accepted');
      await options.close();

      expect(relay.auditLines().length).toBeGreaterThan(0);
      // The relay saw the manager's token on every call it forwarded, and refused the wrong one.
      const lines = relay.auditLines();
      expect(lines.filter((l) => l.upstreamStatus !== null).every((l) => l.token === 'ana')).toBe(true);
      expect(lines.filter((l) => l.relayError === 'relay_auth').map((l) => l.token)).toEqual([null]);
    });

    it('the popup checks one user through the relay; Kakao sees the relay’s key and no browser Origin', async () => {
      server.sim.clearLog();
      const popup = await session.openExtensionPage('popup.html');
      await checkUser(popup, USER);
      const rows = await readRelationRows(popup);
      expect(rows.map((r) => [r.channel, r.relation])).toEqual(
        CHANNELS.map((c) => [c, server.sim.relationOf(USER, c).relation]),
      );
      const calls = server.sim.log.filter((e) => e.path === '/v2/api/talk/channels');
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ adminKey: SIM_ADMIN_KEY, auth: 'admin', headers: {} });
      await popup.close();
    });

    it('checks 1,000 IDs in bulk through the relay', async () => {
      server.sim.clearLog();
      const before = relay.auditLines().length;
      const ids = Array.from({ length: 1_000 }, (_, i) => String(8_100_000 + i));
      const page = await session.openExtensionPage('workspace.html#/relationships');
      await page.waitForSelector('[data-action="source-paste"]');
      await page.click('[data-action="source-paste"]');
      await page.waitForSelector('textarea[name="pasteText"]');
      await fill(page, 'textarea[name="pasteText"]', ids.join('\n'));
      await page.waitForSelector('[data-testid="csv-preview"]');
      await runJobWatchingProgress(page, '[data-action="start-check"]', 120_000);
      const multi = server.sim.log.filter((e) => e.path === '/v2/api/talk/channels/multi');
      expect(multi).toHaveLength(5);
      expect(multi.reduce((n, e) => n + e.count, 0)).toBe(1_000);
      expect(multi.every((e) => e.adminKey === SIM_ADMIN_KEY)).toBe(true);
      const relayed = relay.auditLines().slice(before);
      expect(relayed.filter((l) => l.endpoint === '/v2/api/talk/channels/multi' && l.status === 200)).toHaveLength(5);
      for (const channel of CHANNELS) {
        const shown = await page.$eval(`[data-summary-channel="${channel}"] [data-count-relation="ADDED"]`, (el) =>
          Number(el.getAttribute('data-count')),
        );
        expect(shown).toBe(ids.filter((id) => server.sim.relationOf(id, channel).relation === 'ADDED').length);
      }
      await page.close();
    });

    it('creates a customer file and uploads users from a CSV through the relay', async () => {
      server.sim.clearLog();
      const page = await session.openExtensionPage('workspace.html#/files');
      await page.waitForSelector('[data-action="new-file"]');
      await page.click('[data-action="new-file"]');
      await page.type('input[name="fileName"]', `relay_${browserName.toLowerCase()}`);
      await page.click('input[name="predefinedField"][value="성별"]');
      await page.click('[data-action="review-schema"]');
      await page.waitForSelector('[data-testid="confirm-schema"]');
      await page.click('[data-action="confirm-create"]');
      await page.waitForFunction(
        (name) => [...document.querySelectorAll('tr[data-file-id]')].some((r) => r.textContent?.includes(name)),
        { timeout: 30_000 },
        `relay_${browserName.toLowerCase()}`,
      );
      const file = server.sim.files('_ZeUTxl').find((f) => f.name === `relay_${browserName.toLowerCase()}`)!;
      expect(file).toBeDefined();

      const lines = ['회원번호,성별'];
      for (let i = 0; i < 300; i++) lines.push(`${5_000_000 + i},${i % 2 ? '남' : '여'}`);
      const csvPath = path.join(os.tmpdir(), `cd-relay-users-${browserName}-${process.pid}.csv`);
      fs.writeFileSync(csvPath, lines.join('\n'));
      try {
        await page.click('[data-action="add-users"]');
        const input = await page.waitForSelector('input[name="csvFile"]');
        await (input as ElementHandle<HTMLInputElement>).uploadFile(csvPath);
        await page.waitForSelector('[data-testid="csv-preview"]');
        await page.click('[data-action="dry-run"]');
        await page.waitForSelector('[data-testid="dry-run"]');
        await runJobWatchingProgress(page, '[data-action="start-job"]', 120_000);
      } finally {
        fs.rmSync(csvPath, { force: true });
      }
      expect(server.sim.fileUsers(String(file.id))!.size).toBe(300);
      const writes = server.sim.log.filter((e) => e.method === 'POST');
      expect(writes.length).toBeGreaterThanOrEqual(2); // the file's creation and the upload
      expect(server.sim.log.every((e) => e.adminKey === SIM_ADMIN_KEY)).toBe(true);
      expectNoBrowserOrigin(server.sim.log);
      await page.close();
    });

    it('the browser’s storage holds the relay token’s place, never the Admin key', async () => {
      const options = await session.openExtensionPage('options.html');
      await options.waitForSelector('input[name="connectionMode"]');
      const stored = await everythingStored(options);
      expect(stored).not.toContain(SIM_ADMIN_KEY);
      expect(stored).toContain(TOKEN); // session only ("remember" off): storage.session, gone when the browser closes
      expect(stored).toContain(`${relay.origin}`); // the profile's relay URL
      await options.close();
    });
  });
}

runIn('Chromium', () => launchChromeWithExtension(inject('chromeExtDir')));
runIn('Firefox', () => launchFirefoxWithExtension(inject('firefoxExtDir')));
