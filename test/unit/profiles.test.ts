import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  activeProfile,
  addProfile,
  deleteProfile,
  listProfiles,
  profileSettings,
  profilesView,
  renameProfile,
  reorderProfiles,
  setActiveProfile,
  updateProfile,
} from '@/lib/profiles/store';
import { badgeSitesItem } from '@/lib/storage/badge-sites';
import { identityChanges, jobIdentity, jobsItem } from '@/lib/storage/jobs';
import { keyStatus, readKey, saveKey } from '@/lib/storage/key-vault';
import { SCHEMA_VERSION, transact } from '@/lib/storage/kv';
import { migrateStorage } from '@/lib/storage/migrate';
import { settingsItem } from '@/lib/storage/settings';
import fixture from '../fixtures/storage-v2.json';
import { storedValues } from './stored';

beforeEach(() => fakeBrowser.reset());

/** Puts today's (schema 2) stored state in place: the store's values and marker, and the session key. */
async function storeV2() {
  await transact('readwrite', ({ values, meta }) => {
    for (const [k, v] of Object.entries(structuredClone(fixture.values))) values.put(v, k);
    meta.put(structuredClone(fixture.marker), 'migration');
  });
  await fakeBrowser.storage.session.set(structuredClone(fixture.session));
}

describe('schema 2 → 3: a single-key install becomes one profile', () => {
  it('keeps the channels, selected channel, key placement, sites, jobs and global settings', async () => {
    await storeV2();
    expect(await migrateStorage()).toEqual({ schemaVersion: SCHEMA_VERSION, state: 'ok' });
    expect(SCHEMA_VERSION).toBe(4);

    const state = await listProfiles();
    expect(state.activeId).toBe('default');
    expect(state.profiles).toEqual([
      {
        id: 'default',
        name: '_ZeUTxl', // named after the first channel
        colour: 'blue',
        channelIds: ['_ZeUTxl', '_frxjem'],
        selectedChannelId: '_frxjem',
        rememberKey: false,
        mode: 'direct',
      },
    ]);
    // The key is where it was (session storage, today's name): the default profile reads it, nothing moved.
    expect(await fakeBrowser.storage.session.get(null)).toEqual(fixture.session);
    expect(await readKey('default')).toBe(fixture.session.adminKey);
    expect(await keyStatus()).toMatchObject({ saved: true, masked: '••••cdef' });
    // Global settings stay global; the profile's fields are gone from them (one place only).
    const stored = await storedValues();
    expect(stored.settings).toEqual({
      concurrency: 6,
      fileTimeoutSeconds: 90,
      cacheTtlMinutes: 30,
      tabNewIdsPerMinute: 2000,
      pageLookupsPerDay: 50000,
    });
    expect(await profileSettings()).toMatchObject({
      ...fixture.values.settings,
      profileId: 'default',
    });
    // Sites and jobs are as they were; their absent profile is the default one.
    expect(await badgeSitesItem.getValue()).toEqual(fixture.values.pageSites);
    expect(await jobsItem.getRaw()).toEqual(fixture.values.jobs);
    const job = (await jobsItem.getValue())[0]!;
    expect(identityChanges(job, (await jobIdentity(job.id))!)).toEqual([]);
    expect(stored.adminKeySessionNote).toEqual(fixture.values.adminKeySessionNote);
  });

  it('runs once: a second start changes nothing made since', async () => {
    await storeV2();
    await migrateStorage();
    await renameProfile('default', 'Agency A');
    await addProfile({ name: 'Agency B', channelIds: ['_frxjem'] });
    await migrateStorage();
    expect((await listProfiles()).profiles.map((p) => p.name)).toEqual(['Agency A', 'Agency B']);
  });

  it('a fresh install (nothing stored) gets one unnamed default profile', async () => {
    await migrateStorage();
    expect(await listProfiles()).toEqual({
      activeId: 'default',
      profiles: [{ id: 'default', name: '', colour: 'blue', channelIds: [], rememberKey: false, mode: 'direct' }],
    });
  });
});

describe('the profile store', () => {
  beforeEach(() => migrateStorage());

  it('adds, renames, reorders, switches and deletes; the active profile is always one of them', async () => {
    await updateProfile('default', { name: 'A', channelIds: ['_ZeUTxl'] });
    const b = await addProfile({ name: '  B  ', channelIds: ['_frxjem'] });
    expect(b).toMatchObject({ name: 'B', colour: 'green', channelIds: ['_frxjem'], selectedChannelId: '_frxjem' });
    expect(b.id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect((await activeProfile()).id).toBe('default'); // adding does not switch

    await setActiveProfile(b.id);
    expect((await profileSettings()).channelIds).toEqual(['_frxjem']);
    expect((await profileSettings('default')).channelIds).toEqual(['_ZeUTxl']);

    await reorderProfiles([b.id, 'default']);
    expect((await listProfiles()).profiles.map((p) => p.name)).toEqual(['B', 'A']);
    await expect(reorderProfiles([b.id])).rejects.toMatchObject({ code: 'invalid_profile_order' });
    await expect(renameProfile(b.id, '   ')).rejects.toThrow();
    await expect(setActiveProfile('nope')).rejects.toMatchObject({ code: 'unknown_profile' });

    // Deleting the active profile activates the first left, clears its key and rebinds its sites.
    await saveKey('0123456789abcdef0123456789abcdef', false, b.id);
    await badgeSitesItem.setValue([{ pattern: 'https://admin.example.com/*', rules: [], profileId: b.id }]);
    await deleteProfile(b.id);
    expect(await listProfiles()).toMatchObject({ activeId: 'default', profiles: [{ id: 'default' }] });
    expect(await readKey(b.id)).toBeNull();
    expect((await badgeSitesItem.getValue())[0]!.profileId).toBe('default');
    await expect(deleteProfile('default')).rejects.toMatchObject({ code: 'last_profile' });
  });

  it('keeps each profile’s key apart and never shows one to pages', async () => {
    const b = await addProfile({ name: 'B' });
    await saveKey('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1', false);
    await saveKey('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2', true, b.id);
    expect(await readKey()).toBe('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1');
    expect(await readKey(b.id)).toBe('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2');
    const view = await profilesView();
    expect(view.profiles.map((p) => p.keySaved)).toEqual([true, true]);
    expect(JSON.stringify(view)).not.toMatch(/aaaaaaaa|bbbbbbbb/);
  });

  it('the selected channel follows a changed channel list; global settings stay global', async () => {
    await updateProfile('default', { channelIds: ['_ZeUTxl', '_frxjem'], selectedChannelId: '_frxjem' });
    await updateProfile('default', { channelIds: ['_ZeUTxl'] });
    expect((await activeProfile()).selectedChannelId).toBe('_ZeUTxl');
    await settingsItem.setValue({ ...(await settingsItem.getValue()), concurrency: 2 });
    const b = await addProfile({ name: 'B' });
    expect((await profileSettings(b.id)).concurrency).toBe(2);
  });
});
