import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHandlers } from '../../lib/background/handlers';
import { forgetPolicy } from '../../lib/policy/current';
import { addProfile, profileSettings, profilesView, setActiveProfile } from '../../lib/profiles/store';
import { sandboxModeItem, sandboxStatus } from '../../lib/sandbox/state';
import { clearKey, keyStatus, lockKey, saveKey, setPin } from '../../lib/storage/key-vault';

/*
 * Issue 14 §4: the popup waits for the background's status before its first meaningful render. The status reads
 * each of its inputs once (the profiles, the policy, each profile's key) instead of once per part, and each part
 * is still what the part's own function says, in every state the popup shows.
 */

const ctx = { senderClass: 'extension' as const, tabId: undefined, origin: undefined };
const KEY = 'c0ffee00deadbeef0123456789abcdef';

let managedReads = 0;
function setPolicy(raw: Record<string, unknown> | null) {
  const managed = fakeBrowser.storage.managed as unknown as { get: () => Promise<unknown> };
  vi.spyOn(managed, 'get').mockImplementation(() => {
    managedReads++;
    return raw === null ? Promise.reject(new Error('Managed storage manifest not found')) : Promise.resolve(raw);
  });
  forgetPolicy();
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
  setPolicy(null);
  managedReads = 0;
});

/** The status, and what each part's own function says now. */
async function statusAndParts() {
  const core = createHandlers({ apiOrigin: 'https://kapi.kakao.com' });
  const status = await core.getStatus({}, ctx);
  const id = status.profiles!.activeId;
  return {
    status,
    parts: {
      key: await keyStatus(id),
      settings: await profileSettings(id),
      sandbox: await sandboxStatus(id),
      profiles: await profilesView(),
    },
  };
}

async function expectConsistent() {
  const { status, parts } = await statusAndParts();
  expect(status.key).toEqual(parts.key);
  expect(status.settings).toEqual(parts.settings);
  expect(status.sandbox).toEqual(parts.sandbox);
  expect(status.profiles).toEqual(parts.profiles);
  return status;
}

describe('the status the popup waits for', () => {
  it('reads the organisation policy once, not once per part', async () => {
    await addProfile({ name: 'Second', channelIds: ['_abcDEF'] });
    const core = createHandlers({ apiOrigin: 'https://kapi.kakao.com' });
    managedReads = 0;
    await core.getStatus({}, ctx);
    expect(managedReads).toBe(1);
  });

  it('no key: the sandbox, as sandboxStatus says', async () => {
    const status = await expectConsistent();
    expect(status.sandbox.active).toBe(true);
    expect(status.key.saved).toBe(false);
  });

  it('a saved key: no sandbox, the key saved', async () => {
    await saveKey(KEY, true);
    const status = await expectConsistent();
    expect(status).toMatchObject({ key: { saved: true }, sandbox: { active: false }, ready: true });
  });

  it('a key cleared after it was saved shows as not saved', async () => {
    await saveKey(KEY, true);
    await expectConsistent();
    await clearKey();
    const status = await expectConsistent();
    expect(status.key.saved).toBe(false);
  });

  it('a session key gone with the browser: cleared, no sandbox', async () => {
    await saveKey(KEY, false);
    await fakeBrowser.storage.session.clear();
    const status = await expectConsistent();
    expect(status.key).toMatchObject({ saved: false, cleared: true });
    expect(status.sandbox.active).toBe(false);
  });

  it('a PIN-locked key shows as locked, and the sandbox stays off', async () => {
    await saveKey(KEY, true);
    expect(await setPin('2580', undefined)).toMatchObject({ ok: true });
    await lockKey();
    const status = await expectConsistent();
    expect(status.key).toMatchObject({ saved: true, locked: true });
    expect(status.sandbox.active).toBe(false);
  });

  it('sandbox switched on by hand, and locked off by the policy', async () => {
    await saveKey(KEY, true);
    await sandboxModeItem.setValue('on');
    expect((await expectConsistent()).sandbox).toMatchObject({ active: true, mode: 'on' });
    setPolicy({ sandboxAllowed: false });
    expect((await expectConsistent()).sandbox).toMatchObject({ active: false, managed: true });
  });

  it('a switched profile shows its own channels, key and sandbox', async () => {
    await saveKey(KEY, true);
    const second = await addProfile({ name: 'Second', channelIds: ['_abcDEF'] });
    await setActiveProfile(second.id);
    const status = await expectConsistent();
    expect(status.profiles!.activeId).toBe(second.id);
    expect(status.settings.channelIds).toEqual(['_abcDEF']);
    expect(status.key.saved).toBe(false);
    expect(status.profiles!.profiles.map((p) => p.keySaved)).toEqual([true, false]);
  });
});
