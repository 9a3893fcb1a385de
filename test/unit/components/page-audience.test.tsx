// @vitest-environment happy-dom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Browser } from 'wxt/browser';
import { find, messagesAsKeys } from './dom';

/* Issue 12: "save this page's IDs as an audience", from the popup. */

type Answer = (name: string, input: unknown) => unknown;
let answer: Answer;
const calls: { name: string; input: unknown }[] = [];
vi.mock('@/components/api', () => ({
  call: async (name: string, input: unknown) => {
    calls.push({ name, input });
    return answer(name, input);
  },
}));
const { Popup } = await import('@/components/Popup');

const ok = (value: unknown) => ({ ok: true, value });
const READY = {
  key: { saved: true, masked: '••••cdef', remembered: false },
  sandbox: { active: false, mode: 'auto' },
  settings: { channelIds: ['_ZeUTxl'], rememberKey: false, cacheTtlMinutes: 10, concurrency: 4 },
  apiOrigin: 'https://kapi.kakao.com',
  ready: true,
  channelIds: ['_ZeUTxl'],
};
const TAB = {
  id: 42,
  url: 'https://admin.example.com/orders?page=2',
  title: 'Orders',
  active: true,
} as Browser.tabs.Tab;
let count = 0;

beforeEach(() => {
  fakeBrowser.reset();
  calls.length = 0;
  count = 12;
  vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([TAB]);
  answer = (name, input) => {
    if (name === 'getStatus') return ok(READY);
    if (name === 'getRecentLookups') return ok([]);
    if (name === 'listSites') return ok({ sites: [{ pattern: 'https://admin.example.com/*', rules: [] }] });
    if (name === 'getPageIdCount') return ok({ count, capped: false });
    if (name === 'createAudienceFromPage') return ok({ id: 'aud-x-y', name: (input as { name: string }).name, count });
    return ok({});
  };
  messagesAsKeys();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const today = () => {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

describe('popup: save this page’s IDs as an audience', () => {
  it('offers the active tab’s IDs under the page’s title and date, saves them from the click, and links to Audiences', async () => {
    const create = vi.spyOn(fakeBrowser.tabs, 'create').mockResolvedValue({} as Browser.tabs.Tab);
    render(<Popup />);
    const button = await find<HTMLButtonElement>('button[data-action="save-page-audience"]');
    expect(button.textContent).toBe('pageids_save|12');
    expect(button.disabled).toBe(false);
    const name = document.querySelector<HTMLInputElement>('input[name="audienceName"]')!;
    expect(name.value).toBe(`Orders ${today()}`);
    expect(calls.find((c) => c.name === 'getPageIdCount')?.input).toEqual({ tabId: 42 });
    expect(calls.some((c) => c.name === 'createAudienceFromPage')).toBe(false); // nothing is made before the click

    fireEvent.input(name, { target: { value: 'Order page buyers' } });
    fireEvent.click(button);
    const saved = await find('[data-testid="page-audience-saved"]');
    expect(saved.textContent).toContain('pageids_saved|Order page buyers|12');
    expect(calls.filter((c) => c.name === 'createAudienceFromPage').map((c) => c.input)).toEqual([
      { tabId: 42, name: 'Order page buyers' },
    ]);
    fireEvent.click(document.querySelector('[data-action="open-audiences"]')!);
    await waitFor(() =>
      expect(create).toHaveBeenCalledWith({ url: expect.stringMatching(/workspace\.html#\/audiences$/) }),
    );
  });

  it('without IDs on the page: says so, and the button is disabled', async () => {
    count = 0;
    render(<Popup />);
    const button = await find<HTMLButtonElement>('button[data-action="save-page-audience"]');
    expect(button.disabled).toBe(true);
    expect(document.querySelector('[data-testid="page-audience"]')!.textContent).toContain('pageids_none');
    fireEvent.click(button);
    expect(calls.some((c) => c.name === 'createAudienceFromPage')).toBe(false);
  });

  it('shows the background’s refusal and keeps the form', async () => {
    answer = ((prev) => (name: string, input: unknown) =>
      name === 'createAudienceFromPage'
        ? {
            ok: false,
            error: { code: 'audience_empty', status: null, retryable: false, explanation: { ko: '없음', en: 'none' } },
          }
        : prev(name, input))(answer);
    render(<Popup />);
    fireEvent.click(await find('button[data-action="save-page-audience"]'));
    await waitFor(() => expect(calls.some((c) => c.name === 'createAudienceFromPage')).toBe(true));
    await find('[data-testid="page-audience"] [data-error-code="audience_empty"]');
    expect(document.querySelector('[data-testid="page-audience-saved"]')).toBeNull();
    expect(document.querySelector('button[data-action="save-page-audience"]')).not.toBeNull();
  });

  it('is not shown for a browser page', async () => {
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ ...TAB, url: 'chrome://extensions/' }]);
    render(<Popup />);
    await find('input[name="userId"]');
    await new Promise((r) => setTimeout(r, 50));
    expect(document.querySelector('[data-testid="page-audience"]')).toBeNull();
    expect(calls.some((c) => c.name === 'getPageIdCount')).toBe(false);
  });
});
