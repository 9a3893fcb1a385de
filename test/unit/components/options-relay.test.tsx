// @vitest-environment happy-dom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createFakePermissions } from '../fake-permissions';
import { find, messagesAsKeys } from './dom';

/*
 * Issue 18 on the options page: the connection mode switch, the relay's URL and token, the relay's host access asked
 * for from the click that saves, and a clear state when the browser refuses it.
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
const profile = (mode: 'direct' | 'relay', relayUrl?: string) => ({
  id: 'default',
  name: 'Team',
  colour: 'blue',
  channelIds: ['_ZeUTxl'],
  rememberKey: false,
  mode,
  ...(relayUrl ? { relayUrl } : {}),
  keySaved: mode === 'relay',
});
const status = (mode: 'direct' | 'relay', relayUrl?: string) => ({
  key: mode === 'relay' ? { saved: true, masked: '••••wxyz', remembered: false } : { saved: false, masked: null },
  sandbox: { active: false, mode: 'auto' },
  settings: { channelIds: ['_ZeUTxl'], rememberKey: false, cacheTtlMinutes: 10, concurrency: 4 },
  channelIds: ['_ZeUTxl'],
  profiles: { activeId: 'default', profiles: [profile(mode, relayUrl)] },
});
const defaults: Answer = (name, input) => {
  if (name === 'getStatus') return ok(status('direct'));
  if (name === 'listSites')
    return ok({
      sites: [],
      cacheTtlMinutes: 10,
      budgets: { tabNewIdsPerMinute: 5000, pageLookupsPerDay: 100000, usedToday: 0 },
    });
  if (name === 'saveSettings') {
    const i = input as { connectionMode: 'direct' | 'relay'; relayUrl?: string };
    return ok(status(i.connectionMode, i.relayUrl));
  }
  return ok({});
};

let permissions: ReturnType<typeof createFakePermissions>;
beforeEach(() => {
  fakeBrowser.reset();
  calls.length = 0;
  answer = defaults;
  permissions = createFakePermissions();
  Object.assign(fakeBrowser.permissions, permissions.api);
  messagesAsKeys();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function chooseRelay() {
  render(<OptionsPage />);
  // The form is filled from the stored profile first.
  await waitFor(async () => expect((await find<HTMLInputElement>('input[name="profileName"]')).value).toBe('Team'));
  const relay = await find<HTMLInputElement>('input[name="connectionMode"][value="relay"]');
  expect((await find<HTMLInputElement>('input[name="connectionMode"][value="direct"]')).checked).toBe(true);
  fireEvent.click(relay);
  await find('input[name="relayUrl"]');
  expect(document.querySelector('input[name="adminKey"]')).toBeNull();
}

const type = (selector: string, value: string) =>
  fireEvent.input(document.querySelector(selector)!, { target: { value } });

describe('relay mode in the profile form', () => {
  it('saves mode, URL and token, asking for the relay host (no port) from the same click', async () => {
    await chooseRelay();
    type('input[name="relayUrl"]', 'https://relay.example.com:8443/kakao/');
    type('input[name="relayToken"]', 'relay-token-0123456789');
    fireEvent.click(await find('button[type="submit"]'));
    // Asked synchronously, before the save message went out.
    expect(permissions.requests).toEqual([['https://relay.example.com/*']]);
    await find('[data-testid="saved"]');
    expect(calls.find((c) => c.name === 'saveSettings')?.input).toMatchObject({
      connectionMode: 'relay',
      relayUrl: 'https://relay.example.com:8443/kakao/',
      relayToken: 'relay-token-0123456789',
    });
    expect(calls.find((c) => c.name === 'saveSettings')?.input).not.toHaveProperty('adminKey');
    await find('[data-relay-access="granted"]');
    expect((await find<HTMLInputElement>('input[name="relayToken"]')).value).toBe('');
    expect((await find('[data-testid="relay-token-status"]')).textContent).toBe('relay_tokenSaved|••••wxyz');
  });

  it('a refused permission is shown with a way to ask again; granting it clears the warning', async () => {
    permissions.answer(false);
    await chooseRelay();
    type('input[name="relayUrl"]', 'https://relay.example.com');
    type('input[name="relayToken"]', 'relay-token-0123456789');
    fireEvent.click(await find('button[type="submit"]'));
    const refused = await find('[data-relay-access="refused"]');
    expect(refused.getAttribute('role')).toBe('alert');
    expect(refused.textContent).toContain('relay_accessRefused|relay.example.com');
    permissions.answer(true);
    fireEvent.click(await find('[data-action="grant-relay-access"]'));
    await find('[data-relay-access="granted"]');
    expect(document.querySelector('[data-relay-access="refused"]')).toBeNull();
  });

  it('a URL that is not https is refused on the page: nothing is saved, no permission asked', async () => {
    await chooseRelay();
    type('input[name="relayUrl"]', 'http://relay.example.com');
    fireEvent.click(await find('button[type="submit"]'));
    await find('#relayUrlError');
    expect((await find('input[name="relayUrl"]')).getAttribute('aria-invalid')).toBe('true');
    expect(permissions.requests).toEqual([]);
    expect(calls.some((c) => c.name === 'saveSettings')).toBe(false);
  });

  it('a saved relay profile opens in relay mode, its token masked; its refused access shows at once', async () => {
    answer = (name, input) =>
      name === 'getStatus' ? ok(status('relay', 'https://relay.example.com')) : defaults(name, input);
    render(<OptionsPage />);
    await waitFor(async () =>
      expect((await find<HTMLInputElement>('input[name="connectionMode"][value="relay"]')).checked).toBe(true),
    );
    expect((await find<HTMLInputElement>('input[name="relayUrl"]')).value).toBe('https://relay.example.com');
    expect((await find('[data-testid="relay-token-status"]')).textContent).toBe('relay_tokenSaved|••••wxyz');
    await find('[data-relay-access="refused"]');
  });
});
