// @vitest-environment happy-dom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { parsePolicy } from '@/lib/policy/parse';
import { createFakePermissions } from '../fake-permissions';
import { find, messagesAsKeys } from './dom';

/*
 * Issue 13 on the options page: the organisation's profiles (read-only), the key warning, the parts
 * not applied, and every managed field locked (data-managed="true", disabled, labelled).
 */

type Answer = (name: string, input: unknown) => unknown;
let answer: Answer;
const calls: { name: string; input: unknown }[] = [];
vi.mock('@/components/api', () => ({
  call: async (name: string, input: unknown) => {
    calls.push({ name, input });
    return answer(name, input);
  },
}));
const { OptionsPage } = await import('@/components/OptionsPage');

const KEY = '0123456789abcdef0123456789abcdef';
const ok = (value: unknown) => ({ ok: true, value });
const POLICY = parsePolicy({
  adminKey: KEY,
  profiles: [
    { name: '서울 매장', channelIds: ['_ZeUTxl', '_frxjem'], colour: '#1e88e5' },
    { name: 'Broken', channelIds: [] },
  ],
  lookupBudgets: { pageLookupsPerDay: 2000 },
  sandboxAllowed: false,
});
const STATUS = {
  key: { saved: false },
  sandbox: { active: false, mode: 'off', managed: true },
  settings: { channelIds: [], rememberKey: false, cacheTtlMinutes: 10, concurrency: 4 },
  channelIds: [],
};
const SITE = {
  pattern: 'https://admin.example.com/*',
  rules: [],
  profileId: 'org-x',
  profileName: '서울 매장',
  granted: false,
};
let sites: unknown;

beforeEach(() => {
  fakeBrowser.reset();
  calls.length = 0;
  sites = {
    sites: [],
    managedSites: [SITE],
    cacheTtlMinutes: 10,
    channelIds: [],
    defaultBadgeChannel: null,
    budgets: {
      tabNewIdsPerMinute: 5000,
      pageLookupsPerDay: 2000,
      usedToday: 0,
      managed: { tabNewIdsPerMinute: false, pageLookupsPerDay: true },
    },
  };
  answer = (name) => {
    if (name === 'getStatus') return ok(STATUS);
    if (name === 'getPolicy') return ok(POLICY);
    if (name === 'listSites') return ok(sites);
    if (name === 'addSite') return ok({ ...(sites as object), managedSites: [{ ...SITE, granted: true }] });
    if (name === 'saveLookupBudgets') return ok(sites);
    return ok({});
  };
  Object.assign(fakeBrowser.permissions, createFakePermissions().api);
  messagesAsKeys();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('options under an organisation policy', () => {
  it('lists the organisation’s profiles read-only, warns about the key without showing it, explains what was left out', async () => {
    render(<OptionsPage />);
    const list = await find('[data-testid="managed-profiles"]');
    const items = [...list.querySelectorAll<HTMLElement>('li')];
    expect(items.map((li) => [li.dataset.managed, li.dataset.profileId?.startsWith('org-')])).toEqual([['true', true]]);
    expect(items[0]!.textContent).toContain('서울 매장');
    expect([...items[0]!.querySelectorAll<HTMLElement>('[data-channel-id]')].map((c) => c.dataset.channelId)).toEqual([
      '_ZeUTxl',
      '_frxjem',
    ]);
    expect(items[0]!.querySelector<HTMLElement>('.colour-swatch')!.style.background).toContain('#1e88e5');
    const warning = await find('[data-testid="policy-key-ignored"]');
    expect(warning.textContent).toContain('policy_keyIgnored');
    expect(warning.textContent).toContain('adminKey');
    expect(document.body.innerHTML).not.toContain(KEY);
    expect((await find('[data-policy-path="profiles[1].channelIds"]')).textContent).toContain('profiles[1].channelIds');
  });

  it('locks the managed budget and the sandbox switch, and leaves the other budget the user’s', async () => {
    render(<OptionsPage />);
    const day = await find<HTMLInputElement>('input[name="pageLookupsPerDay"]');
    expect([day.disabled, day.dataset.managed, day.value]).toEqual([true, 'true', '2000']);
    const tab = await find<HTMLInputElement>('input[name="tabNewIdsPerMinute"]');
    expect([tab.disabled, tab.dataset.managed]).toEqual([false, undefined]);
    const sandbox = await find<HTMLInputElement>('input[name="sandbox"]');
    expect([sandbox.disabled, sandbox.dataset.managed, sandbox.checked]).toEqual([true, 'true', false]);
    expect(document.querySelector('label[for="pageLookupsPerDay"]')!.textContent).toContain('policy_managedMark');
    // Saving sends the managed budget at its policy value, whatever was typed before.
    fireEvent.input(tab, { target: { value: '40' } });
    fireEvent.click(await find('[data-action="save-budgets"]'));
    await waitFor(() =>
      expect(calls.find((c) => c.name === 'saveLookupBudgets')?.input).toEqual({
        tabNewIdsPerMinute: 40,
        pageLookupsPerDay: 2000,
      }),
    );
  });

  it('shows the organisation’s site locked, with Grant access that asks the browser then tells the background', async () => {
    render(<OptionsPage />);
    const card = await find<HTMLElement>('[data-site="https://admin.example.com/*"][data-managed="true"]');
    const pattern = card.querySelector<HTMLInputElement>('input[name="sitePattern"]')!;
    expect([pattern.disabled, pattern.dataset.managed, pattern.value]).toEqual([
      true,
      'true',
      'https://admin.example.com/*',
    ]);
    expect(card.querySelector('[data-action="remove-site"]')).toBeNull();
    fireEvent.click(card.querySelector('[data-action="grant-site-access"]')!);
    await find('[data-testid="managed-site-granted"]');
    expect(await fakeBrowser.permissions.contains({ origins: ['https://admin.example.com/*'] })).toBe(true);
    expect(calls.filter((c) => c.name === 'addSite').map((c) => c.input)).toEqual([
      { pattern: 'https://admin.example.com/*' },
    ]);
  });
});
