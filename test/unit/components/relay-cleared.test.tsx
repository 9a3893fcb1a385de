// @vitest-environment happy-dom
import { cleanup, fireEvent, render } from '@testing-library/preact';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { find, messagesAsKeys } from './dom';

/* Issue 18: a relay profile's session-only token, gone after a browser restart, is asked for as a relay token. */

const calls: { name: string; input: unknown }[] = [];
let mode: 'direct' | 'relay' = 'relay';
const status = (saved: boolean) => ({
  key: saved
    ? { saved: true, masked: '••••cdef', remembered: false }
    : { saved: false, masked: null, remembered: false, cleared: true },
  sandbox: { active: false, mode: 'auto' },
  settings: { channelIds: ['_ZeUTxl'], rememberKey: false, cacheTtlMinutes: 10, concurrency: 4 },
  apiOrigin: 'https://kapi.kakao.com',
  ready: saved,
  channelIds: ['_ZeUTxl'],
  channelNames: {},
  profiles: {
    activeId: 'team',
    profiles: [{ id: 'team', name: 'Team', colour: 'teal', channelIds: ['_ZeUTxl'], mode, keySaved: saved }],
  },
});
vi.mock('@/components/api', () => ({
  call: async (name: string, input: unknown) => {
    calls.push({ name, input });
    if (name === 'getStatus') return { ok: true, value: status(false) };
    if (name === 'saveSettings') return { ok: true, value: status(true) };
    return { ok: true, value: [] };
  },
}));
const { Popup } = await import('@/components/Popup');

beforeEach(() => {
  fakeBrowser.reset();
  calls.length = 0;
  messagesAsKeys();
});
afterEach(() => cleanup());

it('a relay profile: the popup asks for the relay token (not an Admin key) and saves it as the token', async () => {
  mode = 'relay';
  render(<Popup />);
  const card = await find('[data-testid="key-cleared"]');
  expect(card.querySelector('h2')!.textContent).toBe('relay_tokenClearedTitle');
  expect(card.querySelector('input[name="adminKey"]')).toBeNull();
  fireEvent.input(card.querySelector('input[name="relayToken"]')!, { target: { value: 'team-token-0123456789' } });
  fireEvent.submit(card.querySelector('form')!);
  await find('input[name="userId"]');
  expect(calls.find((c) => c.name === 'saveSettings')?.input).toEqual({
    relayToken: 'team-token-0123456789',
    channelIds: ['_ZeUTxl'],
    rememberKey: false,
  });
});

it('a direct profile keeps asking for the Admin key', async () => {
  mode = 'direct';
  render(<Popup />);
  const card = await find('[data-testid="key-cleared"]');
  expect(card.querySelector('h2')!.textContent).toBe('firsthour_keyClearedTitle');
  expect(card.querySelector('input[name="adminKey"]')).not.toBeNull();
});
