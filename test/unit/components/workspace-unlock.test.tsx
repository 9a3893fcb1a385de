// @vitest-environment happy-dom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { find, messagesAsKeys } from './dom';

/* Issue 13: a PIN-locked key in the workspace is unlocked there, without going to the popup or options. */

let locked = true;
const calls: { name: string; input: unknown }[] = [];
const KEY = { saved: true, masked: '••••cdef', remembered: true, pinSet: true, triesLeft: 10, lockAfterMinutes: 30 };
vi.mock('@/components/api', () => ({
  call: async (name: string, input: unknown) => {
    calls.push({ name, input });
    if (name === 'getStatus') {
      return {
        ok: true,
        value: {
          key: locked ? { ...KEY, masked: null, locked: true } : KEY,
          sandbox: { active: false, mode: 'auto' },
          settings: { channelIds: ['_ZeUTxl'], rememberKey: true, cacheTtlMinutes: 10, concurrency: 4 },
          apiOrigin: 'https://kapi.kakao.com',
          ready: true,
          channelIds: ['_ZeUTxl'],
          channelNames: {},
          profiles: {
            activeId: 'p2',
            profiles: [{ id: 'p2', name: 'Shop', colour: 'teal', channelIds: ['_ZeUTxl'] }],
          },
        },
      };
    }
    if (name === 'unlockKey') {
      const right = (input as { pin: string }).pin === '2580';
      if (right) locked = false;
      return {
        ok: true,
        value: right
          ? { ok: true, triesLeft: 10, wiped: false, key: KEY }
          : { ok: false, triesLeft: 9, wiped: false, key: { ...KEY, locked: true, triesLeft: 9 } },
      };
    }
    return { ok: true, value: [] };
  },
}));
const { WorkspaceShell } = await import('@/components/workspace/WorkspaceShell');

beforeEach(() => {
  fakeBrowser.reset();
  calls.length = 0;
  locked = true;
  messagesAsKeys();
  location.hash = '#/jobs';
});
afterEach(() => cleanup());

const type = (selector: string, value: string) =>
  fireEvent.input(document.querySelector(selector)!, { target: { value } });

it('shows the unlock form for the active profile; a wrong PIN keeps it, the right one removes it and loads the status again', async () => {
  render(<WorkspaceShell />);
  await find('main [data-testid="key-locked"] input[name="pin"]');

  type('input[name="pin"]', '1111');
  fireEvent.click(document.querySelector('[data-action="unlock"]')!);
  const wrong = await find('[data-testid="pin-wrong"]');
  expect(wrong.getAttribute('data-tries-left')).toBe('9');
  expect(calls.find((c) => c.name === 'unlockKey')?.input).toEqual({ profileId: 'p2', pin: '1111' });

  const before = calls.filter((c) => c.name === 'getStatus').length;
  type('input[name="pin"]', '2580');
  fireEvent.click(document.querySelector('[data-action="unlock"]')!);
  await waitFor(() => expect(document.querySelector('[data-testid="key-locked"]')).toBeNull());
  expect(calls.filter((c) => c.name === 'getStatus').length).toBeGreaterThan(before);
});

it('shows no unlock form when the key is not locked', async () => {
  locked = false;
  render(<WorkspaceShell />);
  await find('nav select[name="profile"], nav [data-active-profile]');
  expect(document.querySelector('[data-testid="key-locked"]')).toBeNull();
});
