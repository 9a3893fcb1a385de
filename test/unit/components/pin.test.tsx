// @vitest-environment happy-dom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { find, messagesAsKeys } from './dom';

/* Issue 13 as a manager sees it: the popup's unlock form, and the options' PIN controls. */

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
const { PinSettings } = await import('@/components/pin/PinSettings');

const ok = (value: unknown) => ({ ok: true, value });
const UNLOCKED = {
  saved: true,
  masked: '••••cdef',
  remembered: true,
  pinSet: true,
  triesLeft: 10,
  lockAfterMinutes: 30,
};
const LOCKED = { ...UNLOCKED, masked: null, locked: true };
const STATUS = (key: object) => ({
  key,
  sandbox: { active: false, mode: 'auto' },
  settings: { channelIds: ['_ZeUTxl'], rememberKey: true, cacheTtlMinutes: 10, concurrency: 4 },
  apiOrigin: 'https://kapi.kakao.com',
  ready: true,
  channelIds: ['_ZeUTxl'],
  channelNames: {},
});

beforeEach(() => {
  fakeBrowser.reset();
  calls.length = 0;
  messagesAsKeys();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const type = (selector: string, value: string) =>
  fireEvent.input(document.querySelector(selector)!, { target: { value } });

describe('popup while the key is PIN-locked', () => {
  it('shows the unlock form (not "no key", not the check form); a wrong PIN says the tries left; the right one unlocks', async () => {
    answer = (name, input) => {
      if (name === 'getStatus') return ok(STATUS(LOCKED));
      if (name === 'getRecentLookups') return ok([]);
      if (name === 'unlockKey') {
        const right = (input as { pin: string }).pin === '2580';
        return ok(
          right
            ? { ok: true, triesLeft: 10, wiped: false, key: UNLOCKED }
            : { ok: false, triesLeft: 7, wiped: false, key: { ...LOCKED, triesLeft: 7 } },
        );
      }
      return ok({});
    };
    render(<Popup />);
    await find('[data-testid="key-locked"] input[name="pin"]');
    expect(document.querySelector('input[name="userId"]')).toBeNull();
    expect(document.querySelector('[data-testid="no-key"]')).toBeNull();

    type('input[name="pin"]', '1111');
    fireEvent.click(document.querySelector('[data-action="unlock"]')!);
    const wrong = await find('[data-testid="pin-wrong"]');
    expect(wrong.getAttribute('data-tries-left')).toBe('7');
    expect(wrong.textContent).toContain('pin_wrongPin');
    expect(calls.find((c) => c.name === 'unlockKey')?.input).toEqual({ profileId: 'default', pin: '1111' });

    type('input[name="pin"]', '2580');
    fireEvent.click(document.querySelector('[data-action="unlock"]')!);
    await find('input[name="userId"]');
    expect(document.querySelector('[data-testid="key-locked"]')).toBeNull();
    expect(document.querySelector('[data-action="lock-now"]')).not.toBeNull();
  });

  it('a PIN shorter than 4 characters is not sent', async () => {
    answer = (name) => (name === 'getStatus' ? ok(STATUS(LOCKED)) : ok([]));
    render(<Popup />);
    await find('input[name="pin"]');
    type('input[name="pin"]', '12');
    fireEvent.click(document.querySelector('[data-action="unlock"]')!);
    await waitFor(() => expect(document.body.textContent).toContain('pin_tooShort'));
    expect(calls.some((c) => c.name === 'unlockKey')).toBe(false);
  });
});

describe('options PIN controls', () => {
  it('offers no PIN for a session-only key, and says why', () => {
    render(
      <PinSettings
        profileId="default"
        status={{ saved: true, masked: '••••cdef', remembered: false }}
        onKey={() => {}}
      />,
    );
    expect(document.querySelector('[data-testid="pin-settings"]')!.getAttribute('data-pin')).toBe('unavailable');
    expect(document.body.textContent).toContain('pin_needsRemember');
    expect(document.querySelector('input[name="pin"]')).toBeNull();
  });

  it('sets a PIN, then changing it sends the current PIN; idle minutes are checked', async () => {
    const keys: object[] = [];
    answer = (name) =>
      ok({
        ok: true,
        triesLeft: 10,
        wiped: false,
        key: { ...UNLOCKED, lockAfterMinutes: name === 'setLockAfter' ? 5 : 30 },
      });
    const noPin = { ...UNLOCKED, pinSet: false, triesLeft: undefined };
    const { rerender } = render(<PinSettings profileId="p1" status={noPin} onKey={(k) => keys.push(k)} />);
    type('[data-testid="pin-settings"] input[name="pin"]', 'long passphrase');
    fireEvent.click(document.querySelector('[data-action="set-pin"]')!);
    await find('[data-testid="pin-done"]');
    expect(calls.at(-1)).toEqual({ name: 'setPin', input: { profileId: 'p1', pin: 'long passphrase' } });

    rerender(<PinSettings profileId="p1" status={UNLOCKED} onKey={(k) => keys.push(k)} />);
    type('input[name="currentPin"]', 'long passphrase');
    type('[data-testid="pin-settings"] input[name="pin"]', 'longer passphrase');
    fireEvent.click(document.querySelector('[data-action="set-pin"]')!);
    await waitFor(() =>
      expect(calls.at(-1)).toEqual({
        name: 'setPin',
        input: { profileId: 'p1', pin: 'longer passphrase', currentPin: 'long passphrase' },
      }),
    );

    type('input[name="lockAfterMinutes"]', '0');
    fireEvent.click(document.querySelector('[data-action="save-lock-after"]')!);
    await waitFor(() => expect(document.body.textContent).toContain('pin_minutesInvalid'));
    type('input[name="lockAfterMinutes"]', '5');
    fireEvent.click(document.querySelector('[data-action="save-lock-after"]')!);
    await waitFor(() => expect(calls.at(-1)).toEqual({ name: 'setLockAfter', input: { profileId: 'p1', minutes: 5 } }));
    expect(document.body.textContent).toContain('pin_protects');
  });
});
