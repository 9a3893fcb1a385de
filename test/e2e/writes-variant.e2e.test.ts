import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { createKakaoClient } from '../../lib/kakao/client';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { launchChromeWithExtension, type ChromeSession } from './browsers';
import { openUsersImport, openWorkspace, pasteSource, runDryRun, setUp, waitForJob } from './flows';

/*
 * Customer-file writes through the workspace against the simulator in the
 * `variant` dialect (add counts as strings, delete answered `{}`): the result on
 * screen is honest, destructive actions ask first, and a first batch Kakao
 * applies to nobody stops the job after one call.
 */

const CHANNEL = '_ZeUTxl';
const UPDATE = '/v1/talkchannel/update/target_users';
const DELETE = '/v1/talkchannel/delete/target_users';
let server: SimulatorServer;
let chrome: ChromeSession;
let fileId: string;

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 20, dialect: 'variant' });
  const client = createKakaoClient({ origin: server.origin, getKey: async () => SIM_ADMIN_KEY });
  fileId = (
    await client.createCustomerFile({ channelId: CHANNEL, fileName: 'vip_variant', schema: { 성별: 'string' } })
  ).fileId;
  chrome = await launchChromeWithExtension(inject('chromeExtDir'));
  await setUp(chrome, SIM_ADMIN_KEY, [CHANNEL]);
});
afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

const calls = (path: string) => server.sim.log.filter((e) => e.path === path);
const text = (page: Page, selector: string) => page.$eval(selector, (el) => el.textContent ?? '');

/** Opens the file's add/delete form, pastes IDs, runs the dry run. */
async function prepare(mode: 'add-users' | 'delete-users', ids: string[]): Promise<Page> {
  const page = await openWorkspace(chrome, 'files');
  await openUsersImport(page, mode, fileId);
  await pasteSource(page, ids.join('\n'));
  await runDryRun(page);
  return page;
}

const waitStatus = (page: Page, status: string) => waitForJob(page, status, { timeout: 60_000 });

describe('customer-file writes in the variant dialect, in Chromium', () => {
  it('uploads users whose counts come back as strings and shows what Kakao applied', async () => {
    server.sim.clearLog();
    const ids = Array.from({ length: 2_500 }, (_, i) => String(3_100_000 + i));
    const page = await prepare('add-users', ids);
    await page.click('[data-action="start-job"]'); // adding asks nothing
    await waitStatus(page, 'done');
    expect(await page.$eval('[data-testid="job-progress"]', (el) => el.getAttribute('data-outcome'))).toBe('done');
    expect(await text(page, '[data-testid="kakao-counts"]')).toMatch(/2,500.*2,500/);
    expect(await text(page, '[data-testid="job-progress"]')).not.toMatch(/request_count|success_count/);
    expect(calls(UPDATE).map((e) => e.status)).toEqual([200, 200]);
    expect(server.sim.fileUsers(fileId)!.size).toBe(2_500);
    await page.close();
  });

  it('deletes 4 users only after a confirmation naming the count and file, and shows "no counts" as a warning, not success', async () => {
    server.sim.clearLog();
    const page = await prepare('delete-users', ['3100000', '3100001', '3100002', '3100003']);
    await page.click('[data-action="start-job"]');
    const dialog = await page.waitForSelector('dialog[data-testid="confirm-dialog"][open]');
    const question = await dialog!.evaluate((el) => el.textContent ?? '');
    expect(question).toContain('4');
    expect(question).toContain('vip_variant');
    // The safe choice has the focus: Escape (or Enter) does not delete.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-action'))).toBe('dismiss');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('dialog[data-testid="confirm-dialog"]'));
    expect(calls(DELETE)).toHaveLength(0);

    await page.click('[data-action="start-job"]');
    await page.waitForSelector('dialog[data-testid="confirm-dialog"][open] [data-action="confirm"]');
    await page.click('dialog[data-testid="confirm-dialog"] [data-action="confirm"]');
    await waitStatus(page, 'done');
    const progress = await page.$eval('[data-testid="job-progress"]', (el) => ({
      outcome: el.getAttribute('data-outcome'),
      status: el.querySelector('.status')?.textContent,
      noCounts: el.getAttribute('data-no-counts'),
    }));
    expect(progress).toEqual({ outcome: 'partial', status: 'Finished with exceptions', noCounts: '4' });
    expect(await text(page, '[data-testid="no-counts"]')).toContain('reported no counts');
    // no "0 of 0" invented from an answer without counts
    expect(await page.$('[data-testid="kakao-counts"]')).toBeNull();
    expect(await text(page, '[data-testid="job-progress"]')).not.toContain('✓');
    expect(calls(DELETE)).toHaveLength(1); // sent once, never resent
    expect(server.sim.fileUsers(fileId)!.size).toBe(2_496);
    await page.close();
  });

  it('a first batch Kakao applies to nobody pauses after one call with the causes; cancel asks first and sits apart from resume', async () => {
    server.sim.clearLog();
    server.sim.setNotAppUsers((id) => id.startsWith('41'));
    const ids = Array.from({ length: 6_000 }, (_, i) => String(4_100_000 + i));
    const page = await prepare('add-users', ids);
    await page.click('[data-action="start-job"]');
    await waitStatus(page, 'paused');
    expect(calls(UPDATE)).toHaveLength(1);
    const reconcile = await text(page, '[data-testid="reconcile"]');
    expect(reconcile).toContain('0 of 2,000');
    expect(reconcile).toContain('4100000, 4100001');
    expect(reconcile).toMatch(/82/); // the phone-form cause
    expect(await text(page, '[data-testid="job-progress"]')).not.toMatch(/request_count|success_count/);
    // Cancel is not next to Resume.
    expect(
      await page.$eval('[data-action="resume-job"]', (el) => el.nextElementSibling?.getAttribute('data-action')),
    ).not.toBe('cancel-job');

    await page.click('[data-action="cancel-job"]');
    await page.waitForSelector('dialog[data-testid="confirm-dialog"][open]');
    const question = await text(page, 'dialog[data-testid="confirm-dialog"]');
    expect(question).toContain('4,000 of 6,000');
    expect(question).toContain('vip_variant');
    await page.click('dialog[data-testid="confirm-dialog"] [data-action="dismiss"]');
    await page.waitForFunction(() => !document.querySelector('dialog[data-testid="confirm-dialog"]'));
    expect(await page.$eval('[data-testid="job-progress"]', (el) => el.getAttribute('data-status'))).toBe('paused');

    await page.click('[data-action="cancel-job"]');
    await page.waitForSelector('dialog[data-testid="confirm-dialog"][open] [data-action="confirm-cancel"]');
    await page.click('dialog[data-testid="confirm-dialog"] [data-action="confirm-cancel"]');
    await waitStatus(page, 'cancelled');
    expect(calls(UPDATE)).toHaveLength(1);
    server.sim.setNotAppUsers(() => false);
    await page.close();
  });
});
