import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { z } from 'zod';
import { AppError } from '../../lib/app-error';
import { createHandlers } from '../../lib/background/handlers';
import { createKakaoClient } from '../../lib/kakao/client';
import { errorInfo } from '../../lib/kakao/errors';
import { sandboxStatus } from '../../lib/sandbox/state';
import { defineParsedItem } from '../../lib/storage/item';
import {
  keyStatus,
  keyWasCleared,
  lockIdleKeys,
  lockKey,
  PIN_ITERATIONS,
  pinKdf,
  readKey,
  removePin,
  saveKey,
  setLockAfterMinutes,
  setPin,
  setRemember,
  unlockKey,
} from '../../lib/storage/key-vault';
import { createFakeFetch, jsonResponse } from './fake-fetch';
import { storedValues } from './stored';

/*
 * Issue 13: the PIN lock. With a PIN the remembered key is AES-GCM under PBKDF2(PIN); unlocked it lives in
 * storage.session (gone with the browser), locks when idle, and ten wrong tries wipe it.
 */

const KEY = 'c0ffee00deadbeef0123456789abcdef';
const OTHER = 'another-profile';
const sealedRaw = (suffix = '') =>
  defineParsedItem<Record<string, unknown> | null>(
    `local:adminKeySealed${suffix}`,
    z.record(z.string(), z.unknown()).nullable(),
    null,
  );

/** What a browser restart does to the vault: storage.session is gone; the device store stays. */
const restartBrowser = () => fakeBrowser.storage.session.clear();

beforeEach(() => {
  fakeBrowser.reset();
  pinKdf.iterations = 1_000; // ten wrong tries at 600,000 each would take the machine for a minute
});
afterEach(() => {
  pinKdf.iterations = PIN_ITERATIONS;
  vi.useRealTimers();
});

describe('PIN lock', () => {
  it('stores the key sealed under PBKDF2-SHA-256 with at least 600,000 iterations and a random salt', async () => {
    pinKdf.iterations = PIN_ITERATIONS; // the product's cost, once
    await saveKey(KEY, true);
    expect(await setPin('2580', undefined)).toMatchObject({ ok: true });
    const sealed = (await sealedRaw().getValue())!;
    expect(sealed.pin).toMatchObject({ kdf: 'PBKDF2-SHA-256', iterations: 600_000 });
    expect(PIN_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    expect(JSON.stringify(await storedValues())).not.toContain(KEY);
    await saveKey(KEY, true);
    await setPin('2580', undefined);
    expect((await sealedRaw().getValue())!.pin).not.toEqual(sealed.pin); // a new salt each time
  });

  it('after a restart the key is locked (not "no key": no sandbox), a real call fails key_locked, the PIN unlocks', async () => {
    await saveKey(KEY, true);
    await setPin('correct horse', undefined);
    await expect(readKey()).resolves.toBe(KEY); // unlocked right after setting it
    expect(await keyStatus()).toMatchObject({ saved: true, pinSet: true, masked: '••••cdef' });

    await restartBrowser();
    const locked = await keyStatus();
    expect(locked).toMatchObject({ saved: true, remembered: true, pinSet: true, locked: true, triesLeft: 10 });
    expect(locked.masked).toBeNull();
    await expect(readKey()).rejects.toMatchObject({ code: 'key_locked' });
    await expect(readKey()).rejects.toBeInstanceOf(AppError);
    expect((await sandboxStatus()).active).toBe(false); // the sandbox never answers for a locked key
    expect(await keyWasCleared()).toBe(false);

    expect(await unlockKey('wrong horse')).toEqual({ ok: false, triesLeft: 9, wiped: false });
    expect(await keyStatus()).toMatchObject({ locked: true, triesLeft: 9 });
    expect(await unlockKey('correct horse')).toEqual({ ok: true, triesLeft: 10, wiped: false });
    await expect(readKey()).resolves.toBe(KEY);
    expect(await keyStatus()).toMatchObject({ saved: true, triesLeft: 10 });
    expect((await keyStatus()).locked).toBeUndefined();
    // Unlocked means in storage.session only: the device store never holds the plain key.
    expect(JSON.stringify(await storedValues())).not.toContain(KEY);
  });

  it('ten wrong tries wipe the remembered key and say so; entering the key again starts over', async () => {
    await saveKey(KEY, true);
    await setPin('1234', undefined);
    await restartBrowser();
    for (let i = 1; i <= 9; i++)
      expect(await unlockKey('0000')).toEqual({ ok: false, triesLeft: 10 - i, wiped: false });
    expect(await unlockKey('0000')).toEqual({ ok: false, triesLeft: 0, wiped: true });
    expect(await sealedRaw().getValue()).toBeNull();
    expect(await keyStatus()).toEqual({ saved: false, masked: null, remembered: false, cleared: true, wiped: true });
    expect(await keyWasCleared()).toBe(true);
    expect((await sandboxStatus()).active).toBe(false);
    await expect(readKey()).resolves.toBeNull();

    await saveKey(KEY, true);
    expect(await keyStatus()).toMatchObject({ saved: true, pinSet: false });
    expect((await keyStatus()).wiped).toBeUndefined();
  });

  it('the wrong-try count is kept before trying: a right PIN after 9 wrong ones (even across restarts) still works', async () => {
    await saveKey(KEY, true);
    await setPin('1234', undefined);
    for (let i = 0; i < 9; i++) {
      await restartBrowser();
      await unlockKey('9999');
    }
    expect(await keyStatus()).toMatchObject({ triesLeft: 1 });
    expect(await unlockKey('1234')).toMatchObject({ ok: true });
    expect(await keyStatus()).toMatchObject({ triesLeft: 10 });
  });

  it('changing or removing the PIN needs the current one; a wrong current PIN counts as a wrong try', async () => {
    await saveKey(KEY, true);
    await setPin('1111', undefined);
    expect(await setPin('2222', undefined)).toMatchObject({ ok: false, triesLeft: 9 });
    expect(await setPin('2222', '3333')).toMatchObject({ ok: false, triesLeft: 8 });
    expect(await setPin('2222', '1111')).toMatchObject({ ok: true });
    await restartBrowser();
    expect(await unlockKey('1111')).toMatchObject({ ok: false });
    expect(await removePin('1111')).toMatchObject({ ok: false });
    expect(await removePin('2222')).toMatchObject({ ok: true });
    await restartBrowser();
    await expect(readKey()).resolves.toBe(KEY); // no PIN: remembered as before
    expect(await keyStatus()).toMatchObject({ pinSet: false });
    expect((await keyStatus()).locked).toBeUndefined();
  });

  it('is offered for remembered keys only', async () => {
    await saveKey(KEY, false);
    await expect(setPin('1234', undefined)).rejects.toMatchObject({ code: 'pin_needs_remember' });
  });

  it('keeping "remember" on while locked keeps the key and its PIN (saving channels does not need the PIN)', async () => {
    await saveKey(KEY, true);
    await setPin('1234', undefined);
    await restartBrowser();
    await setRemember(true);
    expect(await keyStatus()).toMatchObject({ locked: true, pinSet: true });
    await expect(setRemember(false)).rejects.toMatchObject({ code: 'key_locked' });
    expect(await keyStatus()).toMatchObject({ locked: true, pinSet: true });
  });

  it('locks after the idle minutes (default 30) and on "lock now"; a real call restarts the idle time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await saveKey(KEY, true);
    await setPin('1234', undefined);
    expect(await keyStatus()).toMatchObject({ lockAfterMinutes: 30 });
    vi.advanceTimersByTime(29 * 60_000);
    await expect(readKey()).resolves.toBe(KEY); // used: idle again from now
    vi.advanceTimersByTime(29 * 60_000);
    await lockIdleKeys();
    expect((await keyStatus()).locked).toBeUndefined();
    vi.advanceTimersByTime(2 * 60_000);
    await lockIdleKeys(); // the alarm
    expect(await keyStatus()).toMatchObject({ locked: true });

    await unlockKey('1234');
    await setLockAfterMinutes(5);
    vi.advanceTimersByTime(6 * 60_000);
    await expect(readKey()).rejects.toMatchObject({ code: 'key_locked' }); // checked on read too
    await unlockKey('1234');
    await lockKey();
    expect(await keyStatus()).toMatchObject({ locked: true, lockAfterMinutes: 5 });
  });

  it('is per profile: the PIN is bound to its profile id', async () => {
    await saveKey(KEY, true, OTHER);
    await setPin('1234', undefined, OTHER);
    await saveKey(KEY, true);
    await restartBrowser();
    await expect(readKey()).resolves.toBe(KEY); // the default profile has no PIN
    await expect(readKey(OTHER)).rejects.toMatchObject({ code: 'key_locked' });
    // The other profile's PIN-sealed record copied into the default profile does not open with the right PIN.
    await sealedRaw().setValue((await sealedRaw(`@${OTHER}`).getValue())!);
    expect(await unlockKey('1234')).toMatchObject({ ok: false });
    expect(await unlockKey('1234', OTHER)).toMatchObject({ ok: true });
    await expect(readKey(OTHER)).resolves.toBe(KEY);
  });

  it("today's remembered key (no PIN) reads as before and shows no PIN", async () => {
    await saveKey(KEY, true);
    const sealed = (await sealedRaw().getValue())!;
    expect(sealed.pin).toBeUndefined();
    await restartBrowser();
    await expect(readKey()).resolves.toBe(KEY);
    expect(await keyStatus()).toMatchObject({ saved: true, remembered: true, pinSet: false, lockAfterMinutes: 30 });
  });
});

describe('calls while locked', () => {
  it('a check while the key is locked sends nothing and fails with key_locked, explained as "unlock" (ko/en)', async () => {
    const ctx = { senderClass: 'extension' as const, tabId: undefined, origin: undefined };
    const fake = createFakeFetch(() =>
      jsonResponse(200, { user_id: 1, channels: [{ channel_public_id: '_ZeUTxl', relation: 'ADDED' }] }),
    );
    const origin = 'https://kapi.example.test';
    const handlers = createHandlers({
      apiOrigin: origin,
      makeClient: (getKey) => createKakaoClient({ origin, getKey, fetch: fake.fetch }),
    });
    await handlers.saveSettings({ adminKey: KEY, channelIds: ['_ZeUTxl'], rememberKey: true }, ctx);
    await setPin('1234', undefined);
    await restartBrowser();
    // Saving the channels again ("remember" still on) works while locked and keeps the PIN.
    const status = await handlers.saveSettings({ channelIds: ['_ZeUTxl'], rememberKey: true }, ctx);
    expect(status).toMatchObject({ ready: true, sandbox: { active: false }, key: { locked: true, pinSet: true } });

    const err = await handlers.checkUser({ userId: '42' }, ctx).catch((e: unknown) => e);
    const info = errorInfo(err);
    expect(info.code).toBe('key_locked');
    expect(info.explanation.en).toContain('Unlock');
    expect(info.explanation.ko).toContain('잠금을 해제');
    expect(fake.calls).toHaveLength(0); // nothing sent, and no demo answer instead

    await unlockKey('1234');
    await expect(handlers.checkUser({ userId: '42' }, ctx)).resolves.toMatchObject({
      channels: [{ relation: 'ADDED' }],
    });
    expect(fake.calls).toHaveLength(1);
  });
});

describe('PIN commands', () => {
  it('refuse a PIN shorter than 4 characters and a malformed profile id before anything is tried', async () => {
    const { Commands } = await import('../../lib/messages/protocol');
    expect(Commands.unlockKey.input.safeParse({ profileId: 'default', pin: '123' }).success).toBe(false);
    expect(Commands.setPin.input.safeParse({ profileId: '../x', pin: '1234' }).success).toBe(false);
    expect(Commands.setLockAfter.input.safeParse({ profileId: 'default', minutes: 0 }).success).toBe(false);
    expect(Commands.unlockKey.input.safeParse({ profileId: 'default', pin: '1234' }).success).toBe(true);
  });
});
