import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHandlers } from '../../lib/background/handlers';
import type { Status } from '../../lib/messages/commands/core';
import { forgetPolicy } from '../../lib/policy/current';
import { addProfile, deleteProfile, setActiveProfile, updateProfile } from '../../lib/profiles/store';
import { sandboxModeItem } from '../../lib/sandbox/state';
import { learnChannelNames } from '../../lib/storage/channel-names';
import {
  clearKey,
  lockIdleKeys,
  lockKey,
  pinKdf,
  PIN_ITERATIONS,
  saveKey,
  setLockAfterMinutes,
  setPin,
  unlockKey,
} from '../../lib/storage/key-vault';
import { DEFAULT_SETTINGS, recentLookupsItem, rememberLookup, settingsItem } from '../../lib/storage/settings';
import { statusCacheItem } from '../../lib/storage/status-cache';
import { cachedStatus } from '../../lib/storage/status-cache-read';

/*
 * Issue 14 target 4: the popup paints from the status the background last computed (storage.session), and that
 * status never says something untrue. Each input of the status, changed the way the product changes it: the
 * cached status is gone at once, and soon computed again to what `getStatus` says now.
 */

const ctx = { senderClass: 'extension' as const, tabId: undefined, origin: undefined };
const KEY = 'c0ffee00deadbeef0123456789abcdef';

function setPolicy(raw: Record<string, unknown> | null) {
  const managed = fakeBrowser.storage.managed as unknown as { get: () => Promise<unknown> };
  vi.spyOn(managed, 'get').mockImplementation(() =>
    raw === null ? Promise.reject(new Error('Managed storage manifest not found')) : Promise.resolve(raw),
  );
  forgetPolicy();
}

const settle = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));
/** What `getStatus` says now, as the cache keeps it (without the migration's outcome, which is not cached). */
async function truth(): Promise<Status> {
  const { storage: _, ...status } = await createHandlers({ apiOrigin: 'https://kapi.kakao.com' }).getStatus({}, ctx);
  return status;
}

let worker: ReturnType<typeof createHandlers>;
beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
  setPolicy(null);
  pinKdf.iterations = 1_000;
  worker = createHandlers({ apiOrigin: 'https://kapi.kakao.com', cacheStatus: true });
});
afterEach(async () => {
  pinKdf.iterations = PIN_ITERATIONS;
  await settle(400); // no rewrite of this test's cache left to run in the next one
});

/** The worker computes a status; the popup's read gives it back. */
async function cached(): Promise<Status> {
  await worker.getStatus({}, ctx);
  await settle();
  const status = await cachedStatus();
  expect(status).toEqual(await truth());
  return status!;
}

/** After `change`: no cached status at once, then the true one again; and the change did change the status. */
async function expectFollows(change: () => Promise<unknown>) {
  const before = await cached();
  await change();
  await settle();
  expect(await cachedStatus()).toBeNull();
  await settle(400);
  const now = await truth();
  expect(now).not.toEqual(before);
  expect(await cachedStatus()).toEqual(now);
}

describe('the popup’s cached status', () => {
  it('is what getStatus answered, read back by the popup’s own reader', async () => {
    await saveKey(KEY, true);
    const status = await cached();
    expect(status).toMatchObject({ key: { saved: true }, sandbox: { active: false }, ready: true });
  });

  it('reads as none when it does not fit its schema', async () => {
    await cached();
    await fakeBrowser.storage.session.set({ statusCache: { status: { key: { saved: 'yes' } } } });
    expect(await cachedStatus()).toBeNull();
  });

  it('a key saved', () => expectFollows(() => saveKey(KEY, true)));

  it('a key cleared', async () => {
    await saveKey(KEY, true);
    await expectFollows(() => clearKey());
  });

  it('a session key gone (the browser closed): storage.session is emptied, the cache with it', async () => {
    await saveKey(KEY, false);
    await cached();
    await fakeBrowser.storage.session.clear();
    expect(await cachedStatus()).toBeNull();
    await settle(400);
    expect(await cachedStatus()).toEqual(await truth());
    expect((await truth()).key).toMatchObject({ saved: false, cleared: true });
  });

  it('a PIN set, the key locked, unlocked, a wrong PIN, the idle minutes changed', async () => {
    await saveKey(KEY, true);
    await expectFollows(() => setPin('2580', undefined));
    await expectFollows(() => lockKey());
    await expectFollows(() => unlockKey('2580'));
    await expectFollows(() => lockKey());
    await expectFollows(() => unlockKey('0000')); // tries left
    await expectFollows(() => setLockAfterMinutes(5));
  });

  it('an unlocked PIN key: the cache says until when, and is not read after it locks for being idle', async () => {
    await saveKey(KEY, true);
    await setPin('2580', undefined);
    await unlockKey('2580');
    const status = await cached();
    expect(status.key.locked).toBeUndefined();
    const { expiresAt } = (await statusCacheItem.getValue())!;
    expect(expiresAt).toBeGreaterThan(Date.now() + 29 * 60_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 30 * 60_000);
    expect(await cachedStatus(expiresAt! - 1)).toEqual(status);
    expect(await cachedStatus(expiresAt!)).toBeNull();
    // The idle alarm locks it: the cache goes too.
    vi.spyOn(Date, 'now').mockReturnValue(expiresAt! + 1);
    await lockIdleKeys();
    vi.restoreAllMocks();
    setPolicy(null);
    await settle();
    expect(await cachedStatus()).toBeNull();
  });

  it('profiles: one added, switched to, changed to a relay, deleted', async () => {
    await saveKey(KEY, true);
    let second = { id: '' };
    await expectFollows(async () => (second = await addProfile({ name: 'Second', channelIds: ['_abcDEF'] })));
    await expectFollows(() => setActiveProfile(second.id));
    await expectFollows(() => updateProfile(second.id, { mode: 'relay', relayUrl: 'https://relay.example.com' }));
    await expectFollows(() => deleteProfile(second.id));
  });

  it('the sandbox switched on, and the organisation’s policy locking it off', async () => {
    await saveKey(KEY, true);
    await expectFollows(() => sandboxModeItem.setValue('on'));
    await expectFollows(async () => {
      setPolicy({ sandboxAllowed: false });
      await fakeBrowser.storage.onChanged.trigger({ sandboxAllowed: { newValue: false } }, 'managed');
    });
  });

  it('settings and channel names', async () => {
    await saveKey(KEY, true); // in the sandbox, the demo channels' names are shown
    await expectFollows(() => settingsItem.setValue({ ...DEFAULT_SETTINGS, concurrency: 2 }));
    await expectFollows(() => learnChannelNames([{ publicId: '_ZeUTxl', uuid: '@channeldesk' }]));
  });

  it('stays through writes that are no input of the status (a lookup remembered)', async () => {
    const status = await cached();
    await rememberLookup('1234567');
    expect(await recentLookupsItem.getValue()).toEqual(['1234567']);
    await settle();
    expect(await cachedStatus()).toEqual(status);
  });
});
