import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import {
  FIREFOX_EXTENSION_ID,
  findFirefox,
  launchChromeWithExtension,
  launchFirefoxWithExtension,
  type ChromeSession,
  type FirefoxSession,
} from './browsers';
import { TEST_EXTENSION_ID } from './build';

/*
 * Issue 13: an organisation rolls Channel Desk out by policy. Chromium reads the 3rdparty policy
 * for the test build's pinned extension ID from its Linux policy folder; Firefox ESR reads
 * policies.json from its distribution folder. Both show the organisation's profiles, lock the
 * managed fields (data-managed="true", disabled, labelled) and warn about the key in the policy,
 * which is never shown. Writing those folders needs root (CI runs as root): otherwise this fails,
 * never skips. Every file written is removed (and a policies.json that was there put back) after
 * the tests, also when they fail.
 */

const KEY = '0123456789abcdef0123456789abcdef';

/** The policy an IT admin would set (README "For IT admins"), with a key and one bad profile in it. */
const POLICY = {
  profiles: [
    {
      name: '서울 매장',
      channelIds: ['_ZeUTxl', '_frxjem'],
      colour: '#1e88e5',
      sites: [{ pattern: 'https://admin.example.com/*', rules: [{ selector: '.uid' }] }],
    },
    { name: 'Busan store', channelIds: ['_xoRxjb'], colour: '#e53935', adminKey: KEY },
    { name: 'Broken', channelIds: ['not a channel'] },
  ],
  lookupBudgets: { pageLookupsPerDay: 2000 },
  sandboxAllowed: false,
  webhookTester: false,
  adminKey: KEY,
};

/** Debian's chromium reads /etc/chromium/policies/managed/*.json (Google Chrome: /etc/opt/chrome/…). */
const CHROMIUM_POLICY_DIR = '/etc/chromium/policies/managed';
const CHROMIUM_POLICY_FILE = path.join(CHROMIUM_POLICY_DIR, 'channel-desk-test.json');

function requireRoot(): void {
  if (process.getuid?.() !== 0) {
    throw new Error(
      "policy.e2e needs root: it writes the browsers' system policy folders (" +
        `${CHROMIUM_POLICY_DIR}, the Firefox ESR distribution folder). CI runs as root; run it as root.`,
    );
  }
}

/** Makes the missing folders of `dir`, and returns the ones it made (deepest last) so cleanup can remove them. */
function makeDirs(dir: string): string[] {
  const made: string[] = [];
  let current = dir;
  while (!fs.existsSync(current)) {
    made.unshift(current);
    current = path.dirname(current);
  }
  for (const d of made) fs.mkdirSync(d);
  return made;
}

function removeDirsIfEmpty(dirs: string[]): void {
  for (const d of [...dirs].reverse()) {
    try {
      fs.rmdirSync(d);
    } catch {
      // not empty (something else put a file there): leave it
    }
  }
}

/**
 * The options page's view of the policy, read the same way in both browsers. Chromium hands an extension
 * installed while it runs (as the tests install it) its policy a moment later: a page opened before that shows
 * none, as a real one would until opened again, so the page is reloaded (at most twice) until the policy is there.
 */
async function readManagedOptions(page: Page) {
  for (let attempt = 0; ; attempt++) {
    const shown = await page
      .waitForSelector('[data-testid="managed-profiles"]', { timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    if (shown) break;
    if (attempt >= 2) throw new Error('the options page never showed the managed profiles');
    await page.reload();
  }
  await page.waitForSelector('input[name="pageLookupsPerDay"][data-managed="true"]', { timeout: 30_000 });
  await page.waitForSelector('[data-site="https://admin.example.com/*"][data-managed="true"]', { timeout: 30_000 });
  return page.evaluate(() => {
    const field = (name: string, within: ParentNode = document) => {
      const el = within.querySelector<HTMLInputElement>(`input[name="${name}"]`);
      return el
        ? { disabled: el.disabled, managed: el.dataset.managed ?? null, value: el.value, checked: el.checked }
        : null;
    };
    const site = document.querySelector('[data-site="https://admin.example.com/*"]');
    return {
      profiles: [...document.querySelectorAll<HTMLElement>('[data-testid="managed-profiles"] > li')].map((li) => ({
        managed: li.dataset.managed,
        id: li.dataset.profileId,
        name: li.querySelector('[data-testid="managed-profile-name"]')?.textContent,
        channels: [...li.querySelectorAll<HTMLElement>('[data-channel-id]')].map((c) => c.dataset.channelId),
        colour: li.querySelector<HTMLElement>('.colour-swatch')?.dataset.colour,
      })),
      keyWarning: document.querySelector('[data-testid="policy-key-ignored"]')?.textContent ?? null,
      notes: [...document.querySelectorAll<HTMLElement>('[data-policy-path]')].map((n) => n.dataset.policyPath),
      tab: field('tabNewIdsPerMinute'),
      day: field('pageLookupsPerDay'),
      sandbox: field('sandbox'),
      site: site
        ? {
            managed: (site as HTMLElement).dataset.managed,
            pattern: field('sitePattern', site),
            grant: site.querySelector('[data-action="grant-site-access"]') !== null,
          }
        : null,
      marks: [...document.querySelectorAll('[data-testid="managed-mark"]')].map((m) => m.textContent),
      html: document.documentElement.outerHTML,
    };
  });
}

function expectManagedOptions(view: Awaited<ReturnType<typeof readManagedOptions>>, mark: string) {
  // The organisation's profiles, read-only; the bad one is left out and explained.
  expect(view.profiles.map((p) => [p.managed, p.name, p.channels, p.colour])).toEqual([
    ['true', '서울 매장', ['_ZeUTxl', '_frxjem'], '#1e88e5'],
    ['true', 'Busan store', ['_xoRxjb'], '#e53935'],
  ]);
  for (const p of view.profiles) expect(p.id).toMatch(/^org-[A-Za-z0-9_-]+$/);
  expect(view.notes).toContain('profiles[2].channelIds');
  // The key: a visible warning naming where it was, never the key itself.
  expect(view.keyWarning).not.toBeNull();
  expect(view.keyWarning).toContain('adminKey');
  expect(view.html).not.toContain(KEY);
  // Locked fields: the managed budget, the sandbox switch (off, although no key is saved) and the site.
  expect(view.day).toEqual({ disabled: true, managed: 'true', value: '2000', checked: false });
  expect(view.tab).toMatchObject({ disabled: false, managed: null }); // not in the policy: the user's
  expect(view.sandbox).toMatchObject({ disabled: true, managed: 'true', checked: false });
  expect(view.site).toEqual({
    managed: 'true',
    pattern: { disabled: true, managed: 'true', value: 'https://admin.example.com/*', checked: false },
    grant: true,
  });
  expect(view.marks.length).toBeGreaterThanOrEqual(4);
  for (const m of view.marks) expect(m).toBe(mark);
}

/**
 * The organisation's profiles are real profiles: the popup's switcher offers them, and choosing one shows its
 * name; on the options page its name and channels are then locked (`data-managed`), its key field is not.
 */
async function expectManagedProfileUsable(open: (file: string) => Promise<Page>) {
  const popup = await open('popup.html');
  await popup.waitForFunction(
    () => [...document.querySelectorAll('select[name="profile"] option')].some((o) => o.textContent === 'Busan store'),
    { timeout: 30_000 },
  );
  const names = await popup.$$eval('select[name="profile"] option', (os) => os.map((o) => o.textContent));
  expect(names).toEqual(expect.arrayContaining(['서울 매장', 'Busan store']));
  const busan = await popup.$eval(
    'select[name="profile"]',
    (select) => [...(select as HTMLSelectElement).options].find((o) => o.textContent === 'Busan store')!.value,
  );
  await popup.select('select[name="profile"]', busan);
  await popup.waitForFunction(
    () => document.querySelector('[data-active-profile]')?.textContent?.includes('Busan store'),
    { timeout: 30_000 },
  );
  await popup.close();
  const options = await open('options.html');
  await options.waitForSelector('input[name="profileName"][data-managed="true"]', { timeout: 30_000 });
  const fields = await options.evaluate(() => {
    const el = (sel: string) => document.querySelector<HTMLInputElement | HTMLTextAreaElement>(sel)!;
    return {
      name: [el('input[name="profileName"]').value, el('input[name="profileName"]').disabled],
      channels: [el('textarea[name="channelIds"]').dataset.managed, el('textarea[name="channelIds"]').disabled],
      key: el('input[name="adminKey"]').disabled,
    };
  });
  expect(fields).toEqual({ name: ['Busan store', true], channels: ['true', true], key: false });
  await options.close();
}

async function expectWebhookTesterOff(page: Page, mark: string) {
  await page.waitForSelector('[data-testid="webhook-managed"]', { timeout: 30_000 });
  const facts = await page.evaluate(() => {
    const url = document.querySelector<HTMLInputElement>('input[name="webhookUrl"]');
    const send = document.querySelector<HTMLButtonElement>('form button[type="submit"]');
    return {
      url: url ? { disabled: url.disabled, managed: url.dataset.managed } : null,
      send: send ? { disabled: send.disabled, managed: send.dataset.managed } : null,
      mark: document.querySelector('[data-testid="webhook-managed"] [data-testid="managed-mark"]')?.textContent,
    };
  });
  expect(facts).toEqual({
    url: { disabled: true, managed: 'true' },
    send: { disabled: true, managed: 'true' },
    mark,
  });
}

let server: SimulatorServer;
beforeAll(async () => {
  server = await startSimulatorServer({ port: inject('simPort'), latencyMs: 20 });
});
afterAll(async () => {
  await server?.close();
});

describe('team roll-out by policy: Chromium (Linux policy folder)', () => {
  let chrome: ChromeSession | undefined;
  let madeDirs: string[] = [];

  beforeAll(async () => {
    requireRoot();
    madeDirs = makeDirs(CHROMIUM_POLICY_DIR);
    fs.writeFileSync(
      CHROMIUM_POLICY_FILE,
      JSON.stringify({ '3rdparty': { extensions: { [TEST_EXTENSION_ID]: POLICY } } }, null, 2),
    );
    chrome = await launchChromeWithExtension(inject('chromeExtDir'), { lang: 'ko' });
  });
  afterAll(async () => {
    await chrome?.close();
    fs.rmSync(CHROMIUM_POLICY_FILE, { force: true });
    removeDirsIfEmpty(madeDirs);
  });

  it('the test build has the pinned ID the policy names', () => {
    expect(chrome!.extId).toBe(TEST_EXTENSION_ID);
  });

  it('options show the managed profiles, locked fields labelled 조직에서 설정함, and the key warning', async () => {
    const page = await chrome!.openExtensionPage('options.html');
    expectManagedOptions(await readManagedOptions(page), '조직에서 설정함');
    await page.close();
  });

  it('a managed profile is in the switcher; chosen, its name and channels are locked and its key is the manager’s', async () => {
    await expectManagedProfileUsable((file) => chrome!.openExtensionPage(file));
  });

  it('the webhook tester is off by policy', async () => {
    const page = await chrome!.openExtensionPage('workspace.html#/webhook');
    await expectWebhookTesterOff(page, '조직에서 설정함');
    await page.close();
  });
});

describe('team roll-out by policy: Firefox ESR (policies.json in its distribution folder)', () => {
  let firefox: FirefoxSession | undefined;
  let policiesFile = '';
  let backup: Buffer | null = null;
  let madeDirs: string[] = [];

  beforeAll(async () => {
    requireRoot();
    const distribution = path.join(path.dirname(fs.realpathSync(findFirefox())), 'distribution');
    policiesFile = path.join(distribution, 'policies.json');
    backup = fs.existsSync(policiesFile) ? fs.readFileSync(policiesFile) : null;
    madeDirs = makeDirs(distribution);
    fs.writeFileSync(
      policiesFile,
      JSON.stringify({ policies: { '3rdparty': { Extensions: { [FIREFOX_EXTENSION_ID]: POLICY } } } }, null, 2),
    );
    firefox = await launchFirefoxWithExtension(inject('firefoxExtDir'), { lang: 'en-US' });
  });
  afterAll(async () => {
    await firefox?.close();
    if (!policiesFile) return;
    if (backup !== null) fs.writeFileSync(policiesFile, backup);
    else fs.rmSync(policiesFile, { force: true });
    removeDirsIfEmpty(madeDirs);
  });

  it('options show the managed profiles, locked fields labelled "Set by your organisation", and the key warning', async () => {
    const page = await firefox!.openExtensionPage('options.html');
    expectManagedOptions(await readManagedOptions(page), 'Set by your organisation');
    await page.close();
  });

  it('a managed profile is in the switcher; chosen, its name and channels are locked and its key is the manager’s', async () => {
    await expectManagedProfileUsable((file) => firefox!.openExtensionPage(file));
  });

  it('the webhook tester is off by policy', async () => {
    const page = await firefox!.openExtensionPage('workspace.html#/webhook');
    await expectWebhookTesterOff(page, 'Set by your organisation');
    await page.close();
  });
});
