// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { explain } from '@/lib/kakao/errors';
import { createFakePermissions } from '../fake-permissions';
import { find, messagesAsKeys } from './dom';

/* Failures that used to show nothing: each now shows an ErrorNotice or an inline error. */

type Answer = (name: string, input: unknown) => unknown;
let answer: Answer;
const calls: string[] = [];
vi.mock('@/components/api', () => ({
  call: async (name: string, input: unknown) => {
    calls.push(name);
    return answer(name, input);
  },
}));
const { SitesSection } = await import('@/components/badges/SitesSection');
const { EnableOnSiteButton } = await import('@/components/badges/EnableOnSiteButton');
const { OptionsPage } = await import('@/components/OptionsPage');

const ok = (value: unknown) => ({ ok: true, value });
const failure = {
  ok: false,
  error: { code: 'internal', status: null, retryable: false, explanation: explain('internal', null) },
};
const SITE = 'https://admin.example.com/*';
const SITES = {
  sites: [{ pattern: SITE, rules: [{ selector: 'td.member' }] }],
  cacheTtlMinutes: 10,
  channelIds: ['_ZeUTxl'],
  defaultBadgeChannel: '_ZeUTxl',
  budgets: { tabNewIdsPerMinute: 5000, pageLookupsPerDay: 100000, usedToday: 0 },
};
const STATUS = {
  key: { saved: true, masked: '••••cdef', remembered: false },
  sandbox: { active: false, mode: 'auto' },
  settings: {
    channelIds: ['_ZeUTxl'],
    rememberKey: false,
    selectedChannelId: null,
    cacheTtlMinutes: 10,
    concurrency: 4,
  },
};
const defaults: Answer = (name) => {
  if (name === 'listSites') return ok(SITES);
  if (name === 'getStatus') return ok(STATUS);
  return failure;
};

beforeEach(() => {
  fakeBrowser.reset();
  calls.length = 0;
  answer = defaults;
  Object.assign(fakeBrowser.permissions, createFakePermissions().api);
  messagesAsKeys();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const errorShown = (root: ParentNode = document) => root.querySelector('[data-error-code="internal"]');

describe('badge sites (options)', () => {
  it('a failed rule save shows an error on that site', async () => {
    render(<SitesSection />);
    const save = await find<HTMLButtonElement>('[data-action="save-rules"]');
    fireEvent.click(save);
    await waitFor(() => expect(errorShown(document.querySelector(`[data-site="${SITE}"]`)!)).not.toBeNull());
    expect(calls).toContain('saveSiteRules');
  });

  it('an invalid cache time is explained, not silently ignored', async () => {
    render(<SitesSection />);
    const input = await find<HTMLInputElement>('input[name="cacheTtlMinutes"]');
    fireEvent.input(input, { target: { value: '2000' } });
    fireEvent.submit(input.closest('form')!);
    expect((await screen.findByTestId('ttl-invalid')).textContent).toBe('page_ttlInvalid');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(calls).not.toContain('savePageCacheTtl');
  });

  it('a failed cache-time save or cache clear shows an error', async () => {
    render(<SitesSection />);
    const input = await find<HTMLInputElement>('input[name="cacheTtlMinutes"]');
    fireEvent.input(input, { target: { value: '30' } });
    fireEvent.submit(input.closest('form')!);
    await waitFor(() => expect(errorShown(input.closest('form')!)).not.toBeNull());
    expect(calls).toContain('savePageCacheTtl');
  });
});

describe('popup: enable on this site', () => {
  it('a failed addSite shows an error instead of nothing', async () => {
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 5, url: 'https://shop.example.com/orders' } as never]);
    vi.spyOn(fakeBrowser.permissions, 'request').mockResolvedValue(true);
    answer = (name, input) =>
      name === 'listSites'
        ? ok({ sites: [], cacheTtlMinutes: 10, channelIds: ['_ZeUTxl'], defaultBadgeChannel: '_ZeUTxl' })
        : defaults(name, input);
    render(<EnableOnSiteButton />);
    fireEvent.click(await find<HTMLButtonElement>('[data-action="enable-on-site"]'));
    await waitFor(() => expect(errorShown()).not.toBeNull());
    expect(calls).toContain('addSite');
  });
});

describe('options: clear key', () => {
  it('a failed clear shows an error', async () => {
    render(<OptionsPage />);
    const clear = await screen.findByRole('button', { name: 'options_clearKey' });
    fireEvent.click(clear);
    await waitFor(() => expect(calls).toContain('clearKey'));
    await waitFor(() => expect(errorShown(clear.closest('form') ?? document)).not.toBeNull());
    expect(screen.queryByTestId('cleared')).toBeNull();
  });
});
