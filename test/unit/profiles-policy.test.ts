import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { managedProfileId } from '../../lib/policy';
import { forgetPolicy } from '../../lib/policy/current';
import {
  addProfile,
  deleteProfile,
  listProfiles,
  profilesView,
  renameProfile,
  setActiveProfile,
  updateProfile,
} from '../../lib/profiles/store';
import { nearestProfileColour } from '../../lib/profiles/colours';
import { readKey, saveKey } from '../../lib/storage/key-vault';

/*
 * Issue 13: the organisation's profiles (storage.managed) are real profiles: in the switcher and the store, with
 * the policy's name, channels and colour locked, and the key the manager's own (a policy never carries one).
 */

const KEY = '0123456789abcdef0123456789abcdef';
const SEOUL = managedProfileId('Seoul store');

function setPolicy(raw: Record<string, unknown> | null) {
  const managed = fakeBrowser.storage.managed as unknown as { get: () => Promise<unknown> };
  vi.spyOn(managed, 'get').mockImplementation(() =>
    raw === null ? Promise.reject(new Error('Managed storage manifest not found')) : Promise.resolve(raw),
  );
  forgetPolicy();
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
  setPolicy({ profiles: [{ name: 'Seoul store', channelIds: ['_ZeUTxl', '_frxjem'], colour: '#2e9e5a' }] });
});

describe('profiles from the organisation', () => {
  it('are in the list with the policy’s name, channels and nearest palette colour', async () => {
    await addProfile({ name: 'Mine', channelIds: ['_abcDEF'] });
    const state = await listProfiles();
    expect(state.profiles.map((p) => p.name).sort()).toEqual(['', 'Mine', 'Seoul store']);
    expect(state.profiles.find((p) => p.id === SEOUL)).toMatchObject({
      id: SEOUL,
      channelIds: ['_ZeUTxl', '_frxjem'],
      selectedChannelId: '_ZeUTxl',
      colour: 'green',
    });
    const view = await profilesView();
    expect(view.profiles.find((p) => p.id === SEOUL)).toMatchObject({ managed: true, keySaved: false });
    expect(view.profiles.find((p) => p.name === 'Mine')?.managed).toBeUndefined();
  });

  it('cannot be renamed, recoloured, given other channels or deleted; the key and “remember” are the manager’s', async () => {
    await expect(renameProfile(SEOUL, 'Busan')).rejects.toMatchObject({ code: 'policy_managed' });
    await expect(updateProfile(SEOUL, { colour: 'red' })).rejects.toMatchObject({ code: 'policy_managed' });
    await expect(updateProfile(SEOUL, { channelIds: ['_ZeUTxl'] })).rejects.toMatchObject({ code: 'policy_managed' });
    await expect(deleteProfile(SEOUL)).rejects.toMatchObject({ code: 'policy_managed' });

    // Saving the options form of a managed profile sends its (locked) channels unchanged, with the key.
    await updateProfile(SEOUL, { channelIds: ['_ZeUTxl', '_frxjem'], rememberKey: true });
    await saveKey(KEY, true, SEOUL);
    await setActiveProfile(SEOUL);
    expect((await listProfiles()).profiles.find((p) => p.id === SEOUL)).toMatchObject({ rememberKey: true });
    await expect(readKey(SEOUL)).resolves.toBe(KEY);
  });

  it('a profile the policy no longer names is gone; the active one falls back to the first', async () => {
    await setActiveProfile(SEOUL);
    await updateProfile(SEOUL, { rememberKey: true }); // stored with the manager's choice
    setPolicy(null);
    const state = await listProfiles();
    expect(state.profiles.map((p) => p.id)).toEqual(['default']);
    expect(state.activeId).toBe('default');
  });

  it('when only the organisation’s profiles were left and the policy drops them, one empty profile remains', async () => {
    await setActiveProfile(SEOUL);
    await deleteProfile('default'); // allowed: the managed profile is still there
    expect((await listProfiles()).profiles.map((p) => p.id)).toEqual([SEOUL]);
    setPolicy(null);
    const state = await listProfiles();
    expect(state.profiles).toHaveLength(1);
    expect(state).toMatchObject({ activeId: 'default', profiles: [{ id: 'default', channelIds: [] }] });
  });

  it('a policy colour maps to the nearest palette colour (readable in light and dark); a non-colour to none', () => {
    expect(nearestProfileColour('#d9534e')).toBe('red');
    expect(nearestProfileColour('#3070e0')).toBe('blue');
    expect(nearestProfileColour('teal')).toBe('teal');
    expect(nearestProfileColour('blue-ish')).toBeUndefined();
  });
});
