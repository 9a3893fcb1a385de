import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import {
  launchChromeWithExtension,
  launchFirefoxWithExtension,
  type ChromeSession,
  type FirefoxSession,
} from './browsers';
import { saveSettings } from './flows';
import { makePagePlan, renderTestPage, startTestSite, type TestSite } from './page-site/server';
import { readStored } from './stored';

/*
 * Issue 11 §1: state content scripts cannot forge. A compromised page on an enabled
 * site controls the badges content script's world. Before this change it could read
 * storage.local (settings, jobs, lookups) and write it: a cancelled delete job
 * rewritten to `running` on another file was resumed by the background.
 */

declare const chrome: any;
declare const browser: any;

const CHANNELS = ['_ZeUTxl', '_frxjem'];
const SITE_PATTERN = 'http://127.0.0.1/*';
const DELETE = '/v1/talkchannel/delete/target_users';
const { plan: PLAN } = makePagePlan({ distinct: 60, base: 7_300_000_000, step: 13, longIdAt: 2, repeats: 5 });

/** A command from an extension page, in @webext-core/messaging's wire format; `api` is `chrome` or `browser`. */
async function command(page: Page, type: string, data: unknown): Promise<any> {
  const reply = await page.evaluate(
    (t: string, d: unknown) => {
      const api = (globalThis as any).browser ?? (globalThis as any).chrome;
      return api.runtime.sendMessage({ id: Math.floor(Math.random() * 1e9), type: t, data: d, timestamp: Date.now() });
    },
    type,
    data,
  );
  if (!reply?.res?.ok) throw new Error(`${type} failed: ${JSON.stringify(reply)}`);
  return reply.res.value;
}

/** A delete job on file 111, created and cancelled before it sent anything: what the attack rewrites. */
async function cancelledDeleteJob(page: Page): Promise<string> {
  const job = await command(page, 'createJob', {
    kind: 'delete',
    total: 3,
    channelId: CHANNELS[0],
    fileId: '111',
    userType: 'app',
  });
  await command(page, 'addJobItems', { jobId: job.id, offset: 0, items: ['7300000001', '7300000002', '7300000003'] });
  await command(page, 'cancelJob', { jobId: job.id });
  return job.id as string;
}

async function addSite(options: Page) {
  await options.type('input[name="sitePattern"]', SITE_PATTERN);
  // A real click: the browser asks for the host permission only inside a user gesture.
  await options.click('form[aria-label] input[name="sitePattern"] ~ button[type="submit"]');
  await options.waitForSelector('[data-testid="site-added"]');
}

let server: SimulatorServer;
let site: TestSite;

beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 5 });
  site = await startTestSite();
  site.setPage('/orders', renderTestPage(PLAN));
});
afterAll(async () => {
  await site?.close();
  await server?.close();
});

describe('Chromium: the badges content script cannot read or write what the background acts on', () => {
  let session: ChromeSession;
  afterAll(async () => session?.close());

  it('in its isolated world, storage.local refuses reads and writes, and the extension store is not there', async () => {
    session = await launchChromeWithExtension(inject('chromeExtDir'));
    const options = await session.openExtensionPage('options.html');
    await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
    await addSite(options);
    const jobId = await cancelledDeleteJob(options);
    await command(options, 'checkUser', { userId: '7300000001' }); // a recent lookup to steal

    const page = await session.browser.newPage();
    await page.goto(`${site.origin}/orders`, { waitUntil: 'load' });
    await page.waitForSelector('[data-kakao-badge-for][data-relation]', { timeout: 60_000 });

    // The badges script's isolated world, as DevTools lists it.
    const cdp = await page.createCDPSession();
    const contexts: { id: number; origin: string; name: string; auxData?: { type?: string; frameId?: string } }[] = [];
    cdp.on('Runtime.executionContextCreated', (e: any) => contexts.push(e.context));
    await cdp.send('Runtime.enable');
    const isolated = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin.includes(session.extId));
    expect(isolated, JSON.stringify(contexts)).toBeDefined();

    const forged = {
      sandboxMode: 'on',
      settings: { channelIds: ['_evil11'], rememberKey: false, concurrency: 8 },
      jobs: [{ id: jobId, kind: 'delete', status: 'running', fileId: '222', channelId: CHANNELS[0] }],
    };
    const { result, exceptionDetails } = (await cdp.send('Runtime.evaluate', {
      contextId: isolated!.id,
      awaitPromise: true,
      returnByValue: true,
      expression: `(async () => {
        const out = { write: '', read: '', databases: [] };
        try { await chrome.storage.local.set(${JSON.stringify(forged)}); out.write = 'written'; }
        catch (err) { out.write = 'refused: ' + String(err && err.message || err); }
        try { out.read = 'read: ' + JSON.stringify(await chrome.storage.local.get(null)); }
        catch (err) { out.read = 'refused: ' + String(err && err.message || err); }
        out.databases = (await indexedDB.databases()).map((d) => d.name);
        out.marker = globalThis.__channelDeskBadges === true;
        return out;
      })()`,
    })) as { result: { value: Record<string, unknown> }; exceptionDetails?: unknown };
    await cdp.detach();
    expect(exceptionDetails).toBeUndefined();
    const seen = result.value as { write: string; read: string; databases: string[]; marker: boolean };
    expect(seen.marker).toBe(true); // really the badges script's world
    expect(seen.write).toMatch(/^refused: .*(not allowed|access)/i);
    expect(seen.read).toMatch(/^refused/);
    expect(seen.read).not.toContain('_ZeUTxl');
    expect(seen.read).not.toContain(jobId);
    expect(seen.databases).not.toContain('channel-desk-store'); // the page origin's IndexedDB, not the extension's

    // Nothing changed for the background: same settings, sandbox off, the job still cancelled on file 111.
    const status = await command(options, 'getStatus', {});
    expect(status.settings.channelIds).toEqual(CHANNELS);
    expect(status.sandbox.active).toBe(false);
    expect(await options.evaluate(readStored, 'sandboxMode')).toBe('auto'); // as saving a real key set it
    const jobs = (await options.evaluate(readStored, 'jobs')) as { id: string; status: string; fileId: string }[];
    expect(jobs.find((j) => j.id === jobId)).toMatchObject({ status: 'cancelled', fileId: '111' });
    expect(await options.evaluate(readStored, 'recentLookups')).toEqual(['7300000001']);
    expect(server.sim.log.filter((e) => e.path === DELETE)).toHaveLength(0);
    // And storage.local holds nothing of Channel Desk's.
    expect(await session.worker.evaluate(() => chrome.storage.local.get(null))).toEqual({});
    await page.close();
    await options.close();
  });
});

describe('Firefox: what a content script can still write has no effect', () => {
  let firefox: FirefoxSession;
  afterAll(async () => firefox?.close());

  it('a forged running job and sandbox switch in storage.local: 0 API calls, nothing changes', async () => {
    firefox = await launchFirefoxWithExtension(inject('firefoxExtDir'));
    const options = await firefox.openExtensionPage('options.html');
    await saveSettings(options, SIM_ADMIN_KEY, CHANNELS.join('\n'));
    await options.waitForSelector('[data-testid="sites-empty"]');
    await addSite(options);
    const jobId = await cancelledDeleteJob(options);
    await command(options, 'checkUser', { userId: '7300000001' });

    const page = await firefox.browser.newPage();
    await page.goto(`${site.origin}/orders`, { waitUntil: 'load' });
    await page.waitForSelector('[data-kakao-badge-for][data-relation]', { timeout: 60_000 });
    server.sim.clearLog();

    // The cancelled job rewritten as the review did: running, on file 222 (a complete record, in today's format).
    const [cancelled] = ((await command(options, 'listJobs', {})) as { id: string }[]).filter((j) => j.id === jobId);
    const forgedJob = { ...cancelled, status: 'running', fileId: '222', finishedAt: undefined };
    // In the tab's content-script sandbox (where the badges script runs): read what is there, then forge.
    const seen = await options.evaluate(
      async (pattern: string, job: unknown) => {
        const [tab] = await browser.tabs.query({ url: pattern });
        const [injected] = await browser.scripting.executeScript({
          target: { tabId: tab.id, frameIds: [0] },
          args: [job],
          func: async (forged: { id: string }) => {
            const g = globalThis as any;
            const before = JSON.stringify(await g.browser.storage.local.get(null));
            const { jobs = [] } = await g.browser.storage.local.get('jobs');
            await g.browser.storage.local.set({
              sandboxMode: 'on',
              settings: { channelIds: ['_evil11'], rememberKey: false, concurrency: 8 },
              jobs: [forged, ...jobs.filter((j: { id: string }) => j.id !== forged.id)],
            });
            return { before, badgesScriptHere: g.__channelDeskBadges === true };
          },
        });
        return injected.result as { before: string; badgesScriptHere: boolean };
      },
      SITE_PATTERN,
      forgedJob,
    );
    expect(seen.badgesScriptHere).toBe(true);
    // Nothing of Channel Desk's to read: no settings, no jobs, no lookups.
    expect(seen.before).toBe('{}');

    // The background acts on stored jobs at its start and on the keep-alive alarm: fire the alarm now.
    await options.evaluate(() => browser.alarms.create('channel-desk-jobs', { when: Date.now() + 100 }));
    await new Promise((r) => setTimeout(r, 3_000));

    expect(server.sim.log.filter((e) => e.path === DELETE)).toHaveLength(0);
    const status = await command(options, 'getStatus', {});
    expect(status.settings.channelIds).toEqual(CHANNELS);
    expect(status.sandbox.active).toBe(false);
    const jobs = (await command(options, 'listJobs', {})) as { id: string; status: string; fileId: string }[];
    expect(jobs.find((j) => j.id === jobId)).toMatchObject({ status: 'cancelled', fileId: '111' });
    expect(await options.evaluate(readStored, 'recentLookups')).toEqual(['7300000001']);
    await page.close();
    await options.close();
  });
});
