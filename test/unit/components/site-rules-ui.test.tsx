// @vitest-environment happy-dom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createFakePermissions } from '../fake-permissions';

/*
 * Issue 11 §2–3 in the extension pages: the options page refuses a public http
 * site and a wildcard over a shared domain (naming it) before asking the browser
 * for anything; the popup's "Enable on this site" says why a public http site
 * cannot have badges.
 */

type Answer = (name: string, input: unknown) => unknown;
const calls: string[] = [];
const ok = (value: unknown) => ({ ok: true, value });
const SITES = {
  sites: [],
  cacheTtlMinutes: 10,
  channelIds: ['_ZeUTxl'],
  defaultBadgeChannel: '_ZeUTxl',
  budgets: { tabNewIdsPerMinute: 5000, pageLookupsPerDay: 100000, usedToday: 1234 },
};
let answer: Answer = (name) => (name === 'listSites' ? ok(SITES) : { ok: false });
vi.mock('@/components/api', () => ({
  call: async (name: string, input: unknown) => {
    calls.push(name);
    return answer(name, input);
  },
}));
const { SitesSection } = await import('@/components/badges/SitesSection');
const { EnableOnSiteButton } = await import('@/components/badges/EnableOnSiteButton');

let requested: unknown[] = [];
beforeEach(() => {
  fakeBrowser.reset();
  calls.length = 0;
  requested = [];
  const permissions = createFakePermissions().api;
  Object.assign(fakeBrowser.permissions, permissions, {
    request: async (p: unknown) => {
      requested.push(p);
      return true;
    },
  });
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((name: string, subs?: string | string[]) =>
    [name, ...(subs === undefined ? [] : ([] as string[]).concat(subs))].join('|'),
  );
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const find = <T extends Element>(selector: string) =>
  waitFor(
    () => {
      const el = document.querySelector<T>(selector);
      if (!el) throw new Error(`missing ${selector}`);
      return el;
    },
    { timeout: 5_000 }, // the first submit waits for the Public Suffix List module to load
  );

/**
 * Submits a pattern and waits (up to 5 s: the first submit may load the Public Suffix List module) for the field's
 * error.
 */
async function tryPattern(pattern: string, expected: string): Promise<void> {
  const input = await find<HTMLInputElement>('input[name="sitePattern"]');
  fireEvent.input(input, { target: { value: pattern } });
  fireEvent.submit(input.form!);
  await waitFor(
    () => {
      const text = document.querySelector('#sitePatternError')?.textContent;
      if (text !== expected) throw new Error(`field error ${String(text)}, not ${expected}`);
    },
    { timeout: 5_000 },
  );
}

describe('options: site rules before any permission prompt', () => {
  it('refuses a public http site and a shared-domain wildcard, naming the domain', async () => {
    render(<SitesSection />);
    await tryPattern('http://admin.example.com/*', 'budgets_patternInsecure');
    await tryPattern('https://*.myshopify.com/*', 'budgets_patternSharedDomain|myshopify.com');
    await tryPattern('https://*.cafe24.com/*', 'budgets_patternSharedDomain|cafe24.com');
    expect(requested).toEqual([]);
    expect(calls).not.toContain('addSite');
  });

  it('shows the lookup budgets and today’s use', async () => {
    render(<SitesSection />);
    expect((await find<HTMLInputElement>('input[name="tabNewIdsPerMinute"]')).value).toBe('5000');
    expect((await find<HTMLInputElement>('input[name="pageLookupsPerDay"]')).value).toBe('100000');
    expect((await find('[data-testid="budget-usage"]')).textContent).toMatch(/^budgets_usage\|1,234\|100,000$/);
  });
});

describe('popup: enable on this site', () => {
  it('a public http site is refused with the https explanation, asking for nothing', async () => {
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 5, url: 'http://shop.example.com/orders' } as never]);
    render(<EnableOnSiteButton />);
    fireEvent.click(await find<HTMLButtonElement>('[data-action="enable-on-site"]'));
    expect((await find('[data-cannot-add]')).textContent).toBe('budgets_patternInsecure');
    expect(requested).toEqual([]);
  });
});

describe('a stored site without host access (refused at an import, or taken back in the browser)', () => {
  it('says so on its card and asks again from the click; the notice goes once access is given', async () => {
    const fake = createFakePermissions(['https://ok.example.com/*']);
    Object.assign(fakeBrowser.permissions, fake.api);
    const site = (pattern: string) => ({ pattern, rules: [], profileId: 'default' });
    const withSites = { ...SITES, sites: [site('https://ok.example.com/*'), site('https://admin.example.com/*')] };
    answer = (name) => (name === 'listSites' ? ok(withSites) : { ok: false });
    render(<SitesSection />);
    const notice = await find('[data-site="https://admin.example.com/*"] [data-testid="site-no-access"]');
    expect(notice.textContent).toContain('page_siteNoAccess|https://admin.example.com/*');
    expect(document.querySelector('[data-site="https://ok.example.com/*"] [data-testid="site-no-access"]')).toBeNull();

    fireEvent.click(notice.querySelector('[data-action="grant-site-access"]')!);
    expect(fake.requests).toEqual([['https://admin.example.com/*']]);
    await waitFor(() => expect(document.querySelector('[data-testid="site-no-access"]')).toBeNull());
  });
});
