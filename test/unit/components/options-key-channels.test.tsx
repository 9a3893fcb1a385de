// @vitest-environment happy-dom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createFakePermissions } from '../fake-permissions';
import { find, messagesAsKeys } from './dom';

/*
 * Issue 16 items 6 and 7 on the options page: "Saved" that is no longer true, which key "Test key" tested, mistyped
 * channel IDs.
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

const ok = (value: unknown) => ({ ok: true, value });
const STATUS = {
  key: { saved: true, masked: '••••cdef', remembered: false },
  sandbox: { active: false, mode: 'auto' },
  settings: {
    channelIds: ['_ZeUTxI'],
    rememberKey: false,
    selectedChannelId: '_ZeUTxI',
    cacheTtlMinutes: 10,
    concurrency: 4,
  },
  channelIds: ['_ZeUTxI'],
};
const LINKED = [
  { publicId: '_ZeUTxl', uuid: '@채널데스크' },
  { publicId: '_frxjem', uuid: '@myshop' },
];
const defaults: Answer = (name, input) => {
  if (name === 'getStatus') return ok(STATUS);
  if (name === 'listSites')
    return ok({
      sites: [],
      cacheTtlMinutes: 10,
      budgets: { tabNewIdsPerMinute: 5000, pageLookupsPerDay: 100000, usedToday: 0 },
    });
  if (name === 'saveSettings')
    return ok({
      ...STATUS,
      settings: { ...STATUS.settings, channelIds: (input as { channelIds: string[] }).channelIds },
    });
  if (name === 'testKey') {
    const typed = (input as { adminKey?: string }).adminKey !== undefined;
    return ok({ tested: typed ? 'typed' : 'saved', linkedChannels: LINKED, linkedKnown: true });
  }
  return ok({});
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

const field = () => find<HTMLTextAreaElement>('textarea[name="channelIds"]');
const keyField = () => find<HTMLInputElement>('input[name="adminKey"]');
const saved = () => document.querySelector('[data-testid="saved"]');

async function saveOnce() {
  await waitFor(async () => expect((await field()).value).toBe('_ZeUTxI'));
  fireEvent.click(await find('button[type="submit"]'));
  await find('[data-testid="saved"]');
}

describe('item 6: "Saved" only while it is true', () => {
  it('an edit of the channel list clears "Saved"', async () => {
    render(<OptionsPage />);
    await saveOnce();
    fireEvent.input(await field(), { target: { value: '_ZeUTxl\n_frxjem' } });
    expect(saved()).toBeNull();
  });

  it('typing a key clears "Saved"', async () => {
    render(<OptionsPage />);
    await saveOnce();
    fireEvent.input(await keyField(), { target: { value: '0123' } });
    expect(saved()).toBeNull();
  });

  it('a save refused for an invalid channel ID does not keep showing "Saved"', async () => {
    render(<OptionsPage />);
    await saveOnce();
    const text = await field();
    fireEvent.input(text, { target: { value: 'not-a-channel' } });
    fireEvent.submit(text.closest('form')!);
    await find('#channelIdsError');
    expect(saved()).toBeNull();
  });

  it('a save the background refuses does not show "Saved"', async () => {
    render(<OptionsPage />);
    await saveOnce();
    answer = (name, input) =>
      name === 'saveSettings'
        ? {
            ok: false,
            error: { code: 'internal', status: null, retryable: false, explanation: { ko: '오류', en: 'failed' } },
          }
        : defaults(name, input);
    fireEvent.input(await field(), { target: { value: '_ZeUTxl' } });
    fireEvent.click(await find('button[type="submit"]'));
    await find('[data-error-code="internal"]');
    expect(saved()).toBeNull();
  });

  it('"Test key" with a typed key tests that key and says it is not saved yet', async () => {
    render(<OptionsPage />);
    fireEvent.input(await keyField(), { target: { value: '0123456789abcdef0123456789abcdef' } });
    fireEvent.click(await find('[data-action="test-key"]'));
    const result = await find('[data-testid="test-ok"]');
    expect(calls.find((c) => c.name === 'testKey')?.input).toEqual({ adminKey: '0123456789abcdef0123456789abcdef' });
    expect(result.getAttribute('data-tested')).toBe('typed');
    expect(result.textContent).toContain('diagnose_testOkUnsaved');
  });

  it('"Test key" with an untouched field tests the saved key', async () => {
    render(<OptionsPage />);
    await field();
    fireEvent.click(await find('[data-action="test-key"]'));
    const result = await find('[data-testid="test-ok"]');
    expect(calls.find((c) => c.name === 'testKey')?.input).toEqual({});
    expect(result.textContent).toContain('options_testOk|');
    expect(result.textContent).not.toContain('Unsaved');
  });

  it('editing the key after a test removes the result about the other key', async () => {
    render(<OptionsPage />);
    await field();
    fireEvent.click(await find('[data-action="test-key"]'));
    await find('[data-testid="test-ok"]');
    fireEvent.input(await keyField(), { target: { value: 'x' } });
    expect(document.querySelector('[data-testid="test-ok"]')).toBeNull();
  });
});

describe('item 7: channel IDs the app does not have', () => {
  it('after a key test, a saved channel the app lacks is marked with the look-alike linked ID, and "Use" fixes the field', async () => {
    render(<OptionsPage />);
    await waitFor(async () => expect((await field()).value).toBe('_ZeUTxI'));
    fireEvent.click(await find('[data-action="test-key"]'));
    const missing = await find('[data-channel-missing="_ZeUTxI"]');
    expect(missing.getAttribute('data-suggestion')).toBe('_ZeUTxl');
    expect(missing.querySelectorAll('code')[1]?.textContent).toBe('_ZeUTxl');
    // Two sentences, not one run-on line: "…: _ZeUTxI. Linked channel …: _ZeUTxl".
    expect(missing.querySelector('span')!.textContent).toMatch(/_ZeUTxI\. \S+ _ZeUTxl$/);
    // The app's other linked channel is offered.
    expect(
      document.querySelector('[data-channel-unlisted="_frxjem"] [data-action="add-linked-channel"]'),
    ).not.toBeNull();

    fireEvent.click(missing.querySelector('[data-action="use-suggested-channel"]')!);
    expect((await field()).value).toBe('_ZeUTxl');
    expect(document.querySelector('[data-channel-missing]')).toBeNull();
    fireEvent.click(await find('[data-channel-unlisted="_frxjem"] [data-action="add-linked-channel"]'));
    expect((await field()).value).toBe('_ZeUTxl\n_frxjem');
    expect(document.querySelector('[data-channel-unlisted]')).toBeNull();
    await find('[data-testid="channels-changed"]');

    fireEvent.click(await find('button[type="submit"]'));
    await find('[data-testid="saved"]');
    expect(calls.filter((c) => c.name === 'saveSettings').at(-1)?.input).toMatchObject({
      channelIds: ['_ZeUTxl', '_frxjem'],
    });
  });

  it('a pasted pf.kakao.com address becomes its channel ID', async () => {
    render(<OptionsPage />);
    const text = await field();
    fireEvent.input(text, { target: { value: 'https://pf.kakao.com/_ZeUTxl\npf.kakao.com/_frxjem/friend' } });
    // A browser fires both; preact/compat listens to focusout.
    fireEvent.focusOut(text);
    fireEvent.blur(text);
    await waitFor(() => expect(text.value).toBe('_ZeUTxl\n_frxjem'));
    expect(document.querySelector('#channelIdsError')).toBeNull();
    fireEvent.click(await find('button[type="submit"]'));
    await find('[data-testid="saved"]');
    expect(calls.filter((c) => c.name === 'saveSettings').at(-1)?.input).toMatchObject({
      channelIds: ['_ZeUTxl', '_frxjem'],
    });
  });
});

describe('a key cleared when the browser closed', () => {
  it('options say the key was cleared at the restart, not "no key saved yet"', async () => {
    answer = (name, input) =>
      name === 'getStatus'
        ? ok({ ...STATUS, key: { saved: false, masked: null, remembered: false, cleared: true } })
        : defaults(name, input);
    render(<OptionsPage />);
    await waitFor(async () =>
      expect((await find('[data-testid="key-status"]')).textContent).toBe('firsthour_keyClearedOptions'),
    );
  });

  it('a key never saved still says so', async () => {
    answer = (name, input) =>
      name === 'getStatus'
        ? ok({ ...STATUS, key: { saved: false, masked: null, remembered: false } })
        : defaults(name, input);
    render(<OptionsPage />);
    await waitFor(async () => expect((await find('[data-testid="key-status"]')).textContent).toBe('options_keyNone'));
  });
});
