import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import {
  createFileInEditor,
  openUsersImport,
  openWorkspace,
  pasteSource,
  runDryRun,
  setUp,
  startBulkCheck,
  waitForJob,
} from './flows';
import { saveScreenshot } from './screenshots';
import { launchChromeWithExtension, type ChromeSession } from './browsers';

/*
 * Issue 12, reach: the upload dry run's reach preview (a bulk check of the file's rows, per channel friends /
 * blocked / not added / unknown, then "upload only the friends"), and a finished bulk check sent to a new
 * customer file without a CSV round trip. The simulator holds the truth of every relation and file.
 */

const CHANNELS = ['_ZeUTxl', '_frxjem'];
const BUCKETS = { friends: 'ADDED', blocked: 'BLOCKED', 'not-added': 'NONE', unknown: 'UNKNOWN' } as const;
let server: SimulatorServer;
let chrome: ChromeSession;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-reach-e2e-'));

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 20 });
  chrome = await launchChromeWithExtension(inject('chromeExtDir'));
  await setUp(chrome, SIM_ADMIN_KEY, CHANNELS);
});
afterAll(async () => {
  await chrome?.close();
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Creates a customer file of `_ZeUTxl` through the workspace's schema editor (already open); returns its ID. */
const createFile = (page: Page, scope: string, name: string, field?: string) =>
  createFileInEditor(page, server.sim, { scope, name, channel: '_ZeUTxl', field });

const multiCalls = () => server.sim.log.filter((e) => e.path === '/v2/api/talk/channels/multi').length;

/** The counts the reach preview shows: channel → bucket → count. */
function readReach(page: Page): Promise<Record<string, Record<string, number>>> {
  return page.$$eval('[data-testid="reach-preview"] [data-reach]', (els) => {
    const out: Record<string, Record<string, number>> = {};
    for (const el of els)
      (out[el.getAttribute('data-channel-id')!] ??= {})[el.getAttribute('data-reach')!] = Number(
        el.getAttribute('data-count'),
      );
    return out;
  });
}

describe('reach, end to end in Chromium', () => {
  it('previews the reach of a 2,000-row app-ID CSV per channel as the simulator knows it, then uploads only the friends', async () => {
    const ids = Array.from({ length: 2_000 }, (_, i) => String(6_100_000 + i * 7));
    const csv = path.join(tmp, 'reach.csv');
    fs.writeFileSync(csv, ['회원번호,이름', ...ids.map((id) => `${id},홍길동`)].join('\r\n'));

    const page = await openWorkspace(chrome, 'files');
    await page.waitForSelector('[data-testid="slot-meter"]');
    const fileId = await createFile(page, '[data-testid="files-section"]', 'reach_e2e');
    await openUsersImport(page, 'add-users', fileId);
    const input = (await page.waitForSelector('input[name="csvFile"]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(csv);
    await runDryRun(page, { valid: 2000 });

    // Nothing is checked until the manager asks.
    server.sim.clearLog();
    expect(await page.$('[data-testid="reach-counts"]')).toBeNull();
    await page.click('[data-action="preview-reach"]');
    // A real background job: its progress shows while it runs, and its counts once done.
    await page.waitForSelector('[data-testid="reach-counts"]');
    await page.waitForSelector('[data-action="upload-friends-only"][data-channel-id="_ZeUTxl"]:not([disabled])', {
      timeout: 60_000,
    });
    expect(multiCalls()).toBe(10); // 2,000 IDs, 200 a call

    const truth: Record<string, Record<string, number>> = {};
    for (const c of CHANNELS)
      truth[c] = Object.fromEntries(
        Object.entries(BUCKETS).map(([name, relation]) => [
          name,
          ids.filter((id) => server.sim.relationOf(id, c).relation === relation).length,
        ]),
      );
    expect(await readReach(page)).toEqual(truth);
    await saveScreenshot((await page.$('[data-testid="reach-preview"]'))!, 'workspace-reach-preview');
    await page.setViewport({ width: 400, height: 900 });
    // At 400 px nothing in a channel's card is cut off or sticks out (its button wraps).
    const overflowing = await page.$$eval('[data-reach-channel], [data-reach-channel] *', (els) =>
      els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(overflowing).toEqual([]);
    await page.setViewport({ width: 1280, height: 900 });
    expect(truth._ZeUTxl!.friends).toBeGreaterThan(0);
    expect(truth._ZeUTxl!.friends).toBeLessThan(2_000);

    // A second dry run of the same rows reuses the check: no new call to Kakao, the same counts.
    await page.click('[data-action="dry-run"]');
    await page.waitForSelector('[data-action="preview-reach"]');
    await page.click('[data-action="preview-reach"]');
    await page.waitForSelector('[data-testid="reach-reused"]');
    await page.waitForSelector('[data-action="upload-friends-only"][data-channel-id="_ZeUTxl"]:not([disabled])');
    expect(await readReach(page)).toEqual(truth);
    expect(multiCalls()).toBe(10);

    // Only the friends of _ZeUTxl: the count is shown before the upload starts.
    const friends = ids.filter((id) => server.sim.relationOf(id, '_ZeUTxl').relation === 'ADDED');
    await page.click('[data-action="upload-friends-only"][data-channel-id="_ZeUTxl"]');
    await page.waitForSelector(`[data-testid="reach-narrowed"][data-count="${friends.length}"]`);
    expect(await page.$eval('[data-action="start-job"]', (el) => el.textContent)).toContain(
      friends.length.toLocaleString('en-US'),
    );
    await page.click('[data-action="start-job"]');
    await waitForJob(page, 'done', { scope: '[data-testid="import-upload"]' });
    expect([...server.sim.fileUsers(fileId)!.keys()].sort()).toEqual([...friends].sort());
    await page.close();
  });

  it('keeps the preview running when the page closes; the next dry run of the same rows joins it', async () => {
    const ids = Array.from({ length: 2_000 }, (_, i) => String(6_400_000 + i * 11));
    const csv = path.join(tmp, 'reach-2.csv');
    fs.writeFileSync(csv, ['회원번호', ...ids].join('\r\n'));
    const dryRun = async (page: Page) => {
      await openUsersImport(page, 'add-users');
      const input = (await page.waitForSelector('input[name="csvFile"]')) as ElementHandle<HTMLInputElement>;
      await input.uploadFile(csv);
      await runDryRun(page, { valid: 2000 });
    };
    server.sim.clearLog();
    server.setLatency(400); // slow enough that the check is still running when the page goes
    try {
      const page = await openWorkspace(chrome, 'files');
      await dryRun(page);
      await page.click('[data-action="preview-reach"]');
      await page.waitForSelector('[data-testid="reach-preview"] [data-testid="job-progress"][data-status="running"]');
      const jobId = await page.$eval('[data-testid="reach-preview"]', (el) => el.getAttribute('data-job-id'));
      expect(jobId).toBeTruthy();
      await page.close();
      const atClose = multiCalls();
      expect(atClose).toBeLessThan(10);
      // The background goes on alone.
      for (let i = 0; i < 300 && multiCalls() < 10; i++) await new Promise((r) => setTimeout(r, 50));
      expect(multiCalls()).toBe(10);

      const again = await openWorkspace(chrome, 'files');
      await dryRun(again);
      await again.click('[data-action="preview-reach"]');
      await again.waitForSelector('[data-testid="reach-reused"]');
      expect(await again.$eval('[data-testid="reach-preview"]', (el) => el.getAttribute('data-job-id'))).toBe(jobId);
      await again.waitForSelector('[data-action="upload-friends-only"][data-channel-id="_frxjem"]:not([disabled])', {
        timeout: 60_000,
      });
      const counts = await readReach(again);
      for (const c of CHANNELS)
        for (const [name, relation] of Object.entries(BUCKETS))
          expect(counts[c]![name]).toBe(ids.filter((id) => server.sim.relationOf(id, c).relation === relation).length);
      expect(multiCalls()).toBe(10); // joined, never asked again
      await again.close();
    } finally {
      server.setLatency(20);
    }
  });

  it('explains that a phone-number file cannot be previewed', async () => {
    const page = await openWorkspace(chrome, 'files');
    await openUsersImport(page, 'add-users');
    await pasteSource(page, '전화번호\n010-1234-5678\n010-2345-6789');
    await page.waitForSelector('select[name="userType"]');
    expect(await page.$eval('select[name="userType"]', (el) => (el as HTMLSelectElement).value)).toBe('phone');
    await runDryRun(page, { valid: 2 });
    await page.waitForSelector('[data-testid="reach-phone"]');
    expect(await page.$('[data-action="preview-reach"]')).toBeNull();
    await page.close();
  });

  it('sends the friends of a finished bulk check to a new customer file, with a carried column', async () => {
    const ids = Array.from({ length: 600 }, (_, i) => String(7_300_000 + i * 3));
    const page = await openWorkspace(chrome, 'relationships');
    await startBulkCheck(page, ids);
    await page.waitForSelector('[data-action="to-customer-file"]:not([disabled])', { timeout: 60_000 });
    await page.click('[data-action="to-customer-file"]');
    await page.waitForSelector('[data-testid="to-file"] [data-testid="to-file-selected"][data-count="600"]');

    // Friends of _ZeUTxl, leaving out whoever blocked _frxjem.
    await page.click('input[name="includeBucket"][value="_ZeUTxl:ADDED"]');
    await page.click('input[name="excludeBucket"][value="_frxjem:BLOCKED"]');
    const rel = (id: string, c: string) => server.sim.relationOf(id, c);
    const expected = ids.filter(
      (id) => rel(id, '_ZeUTxl').relation === 'ADDED' && rel(id, '_frxjem').relation !== 'BLOCKED',
    );
    expect(expected.length).toBeGreaterThan(0);
    await page.waitForSelector(`[data-testid="to-file-selected"][data-count="${expected.length}"]`);

    const fileId = await createFile(page, '[data-testid="to-file"]', 'friends_only', '가입일');
    await page.waitForSelector(`input[name="targetFile"][value="${fileId}"]`);
    await page.waitForFunction(
      (id) => (document.querySelector(`input[name="targetFile"][value="${id}"]`) as HTMLInputElement | null)?.checked,
      {},
      fileId,
    );
    // The date they became friends of _ZeUTxl goes into the file's 가입일 field.
    const column = await page.$$eval('select[name="field-가입일"] option', (opts) =>
      opts.find((o) => o.textContent === '_ZeUTxl changed at')?.getAttribute('value'),
    );
    expect(column).toBeDefined();
    await page.select('select[name="field-가입일"]', column!);
    await runDryRun(page, { scope: '[data-testid="to-file"]', valid: expected.length });
    await saveScreenshot((await page.$('[data-testid="to-file"]'))!, 'workspace-check-to-file');
    await page.click('[data-testid="to-file"] [data-action="start-job"]');
    await waitForJob(page, 'done', { scope: '[data-testid="to-file"]' });

    const inFile = server.sim.fileUsers(fileId)!;
    expect([...inFile.keys()].sort()).toEqual([...expected].sort());
    expect(inFile.get(expected[0]!)).toEqual({ 가입일: rel(expected[0]!, '_ZeUTxl').updatedAt });
    await page.close();
  });
});
