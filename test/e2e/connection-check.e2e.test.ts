import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { saveSettings } from './flows';
import { launchChromeWithExtension, type ChromeSession } from './browsers';

/* Issue 10 §3: the connection check (연결 진단) in the options page and the workspace, against the simulator. */

const CHANNELS = ['_ZeUTxl', '_frxjem'];

let server: SimulatorServer;
let chromeSession: ChromeSession;

interface Row {
  check: string | null;
  status: string | null;
  code: string | null;
  text: string;
}

/** Presses "Run connection check" and reads the table's rows by their public attributes. */
async function runCheck(page: Page): Promise<Row[]> {
  await page.waitForSelector('[data-action="run-check"]');
  await page.evaluate(() => document.querySelector('[data-testid="check-report"]')?.remove());
  await page.click('[data-action="run-check"]');
  await page.waitForSelector('[data-testid="check-report"] tr[data-check]');
  return page.$$eval('tr[data-check]', (els) =>
    els.map((el) => ({
      check: el.getAttribute('data-check'),
      status: el.getAttribute('data-status'),
      code: el.getAttribute('data-error-code'),
      text: el.textContent ?? '',
    })),
  );
}

async function openWorkspaceCheck(): Promise<Page> {
  const page = await chromeSession.openExtensionPage('workspace.html#/diagnose');
  await page.waitForSelector('[data-section="diagnose"][aria-current="page"]');
  return page;
}

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort') });
  chromeSession = await launchChromeWithExtension(inject('chromeExtDir'));
  const options = await chromeSession.openExtensionPage('options.html');
  await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
  await options.close();
});
afterAll(async () => {
  await chromeSession?.close();
  await server?.close();
});
beforeEach(() => {
  server.sim.setAccess({});
});

describe('connection check, end to end in Chromium', () => {
  it('all good (options, saved key): every row ✓, and the copied report has no key', async () => {
    const options = await chromeSession.openExtensionPage('options.html');
    await chromeSession.browser
      .defaultBrowserContext()
      .overridePermissions(`chrome-extension://${chromeSession.extId}`, [
        'clipboard-read',
        'clipboard-write',
        'clipboard-sanitized-write',
      ]);
    server.sim.clearLog();
    const rows = await runCheck(options);
    expect(rows.map((r) => [r.check, r.status, r.code])).toEqual([
      ['relationship', 'ok', null],
      ['files:_ZeUTxl', 'ok', null],
      ['files:_frxjem', 'ok', null],
    ]);
    expect(rows[0]!.text).toContain('The key was accepted');
    expect(await options.$eval('[data-testid="check-report"]', (el) => el.getAttribute('data-verdict'))).toBe(
      'accepted',
    );
    expect(server.sim.log.map((e) => e.path)).toEqual([
      '/v2/api/talk/channels',
      '/v1/talkchannel/target_user_file',
      '/v1/talkchannel/target_user_file',
    ]);

    await options.click('[data-action="copy-report"]');
    await options.waitForFunction(() => document.querySelector('[data-testid="connection-check"] .success') !== null);
    const report = await options.evaluate(() => navigator.clipboard.readText());
    expect(report).toContain('# Channel Desk connection check');
    expect(report).toContain('| files:_frxjem | ✓ ok |');
    expect(report).toContain(`••••${SIM_ADMIN_KEY.slice(-4)}`);
    expect(report).not.toContain(SIM_ADMIN_KEY);
    expect(await options.content()).not.toContain(SIM_ADMIN_KEY);
    await options.close();
  });

  it('-401 ip mismatched (workspace): every row ✗ -401 with where to allow the IP, not "wrong key"', async () => {
    server.sim.setAccess({ ipMismatch: { callerIp: '127.0.0.1' } });
    const page = await openWorkspaceCheck();
    const rows = await runCheck(page);
    expect(rows.map((r) => r.check)).toEqual(['relationship', 'files:_ZeUTxl', 'files:_frxjem']);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'fail', code: '-401' });
      expect(row.text).toContain('Allowed IP addresses');
      expect(row.text).toContain('127.0.0.1');
      expect(row.text).not.toContain('The Admin key is wrong');
    }
    expect(await page.$eval('[data-testid="check-report"]', (el) => el.getAttribute('data-verdict'))).toBe('blocked');
    await page.close();
  });

  it('-3 on the file API only (workspace): the key is accepted, file rows say to allow the API for this key', async () => {
    server.sim.setAccess({ deniedApis: { files: { code: -3 } } });
    const page = await openWorkspaceCheck();
    const rows = await runCheck(page);
    expect(rows.map((r) => [r.check, r.status, r.code])).toEqual([
      ['relationship', 'ok', null],
      ['files:_ZeUTxl', 'fail', '-3'],
      ['files:_frxjem', 'fail', '-3'],
    ]);
    expect(rows[1]!.text).toContain('Kakao Developers > [App] > [Admin key]');
    expect(await page.$eval('[data-testid="check-report"]', (el) => el.getAttribute('data-verdict'))).toBe('accepted');
    await page.close();
  });

  it('-819 on one channel (workspace): only that channel fails, with where to link it', async () => {
    server.sim.setAccess({ channelErrors: { _frxjem: { code: -819 } } });
    const page = await openWorkspaceCheck();
    const rows = await runCheck(page);
    expect(rows.map((r) => [r.check, r.status, r.code])).toEqual([
      ['relationship', 'ok', null],
      ['files:_ZeUTxl', 'ok', null],
      ['files:_frxjem', 'fail', '-819'],
    ]);
    expect(rows[2]!.text).toContain('Channel _frxjem is not linked to this app');
    expect(rows[2]!.text).toContain('[App] > [Kakao Talk Channel]');
    await page.close();
  });

  it('a mistyped channel (_ZeUTxI) is marked after the key test, and the look-alike linked ID replaces it', async () => {
    const options = await chromeSession.openExtensionPage('options.html');
    await options.waitForFunction(
      () => (document.querySelector('textarea[name="channelIds"]') as HTMLTextAreaElement).value !== '',
    );
    await options.$eval('textarea[name="channelIds"]', (el) => ((el as HTMLTextAreaElement).value = ''));
    await options.type('textarea[name="channelIds"]', '_ZeUTxI');
    await options.click('[data-action="test-key"]');
    const missing = await options.waitForSelector('[data-channel-missing="_ZeUTxI"]');
    expect(await missing!.evaluate((el) => el.getAttribute('data-suggestion'))).toBe('_ZeUTxl');
    await options.click('[data-channel-missing="_ZeUTxI"] [data-action="use-suggested-channel"]');
    expect(await options.$eval('textarea[name="channelIds"]', (el) => (el as HTMLTextAreaElement).value)).toBe(
      '_ZeUTxl',
    );
    expect(await options.$('[data-channel-missing]')).toBeNull();
    await options.close();
  });
});
