import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createProfilesFeature } from '@/lib/background/profiles';
import { dispatch, type Handlers } from '@/lib/messages/router';
import type { SenderFacts } from '@/lib/messages/sender';
import { addProfile, listProfiles, updateProfile } from '@/lib/profiles/store';
import { findKey, parseSettingsFile, SETTINGS_FILE_NAME } from '@/lib/profiles/transfer';
import { badgeSitesItem } from '@/lib/storage/badge-sites';
import { readKey, saveKey } from '@/lib/storage/key-vault';
import { migrateStorage } from '@/lib/storage/migrate';
import { settingsItem } from '@/lib/storage/settings';

const EXT_ID = 'channeldeskextid';
const identity = { id: EXT_ID, origin: `chrome-extension://${EXT_ID}` };
type Sender = SenderFacts & { tab?: { id?: number; url?: string } };
const page = { id: EXT_ID, origin: identity.origin } as Sender;
const content = {
  id: EXT_ID,
  origin: 'https://admin.example.com',
  tab: { id: 3, url: 'https://admin.example.com/' },
  frameId: 0,
} as Sender;

const KEY = 'c0ffee00deadbeef0123456789abcdef';

beforeEach(async () => {
  fakeBrowser.reset();
  await migrateStorage();
});

function send(name: string, data: unknown, sender: Sender = page) {
  const handlers = createProfilesFeature().handlers as unknown as Handlers;
  return dispatch(name as keyof Handlers, data, sender, handlers, identity) as Promise<any>;
}

async function twoProfiles() {
  await updateProfile('default', { name: 'Agency A', channelIds: ['_ZeUTxl'], rememberKey: true });
  const b = await addProfile({ name: 'Agency B', channelIds: ['_frxjem'] });
  await saveKey(KEY, true);
  await saveKey(KEY.replace('c0', 'd1'), false, b.id);
  await badgeSitesItem.setValue([
    { pattern: 'https://admin.example.com/*', rules: [{ selector: 'td.id' }], profileId: b.id },
  ]);
  await settingsItem.setValue({ ...(await settingsItem.getValue()), tabNewIdsPerMinute: 300 });
  return b;
}

describe('settings export', () => {
  it('holds profiles (no key), sites with rules and budgets, with a format and version', async () => {
    const b = await twoProfiles();
    const reply = await send('exportSettings', {});
    expect(reply.ok).toBe(true);
    expect(reply.value.fileName).toBe(SETTINGS_FILE_NAME);
    const text: string = reply.value.text;
    expect(text).not.toContain(KEY);
    expect(findKey(JSON.parse(text))).toBeNull();
    const file = JSON.parse(text);
    expect(file).toMatchObject({
      format: 'channel-desk-settings',
      version: 1,
      activeProfileId: 'default',
      profiles: [
        { id: 'default', name: 'Agency A', channelIds: ['_ZeUTxl'] },
        { id: b.id, name: 'Agency B', channelIds: ['_frxjem'] },
      ],
      sites: [{ pattern: 'https://admin.example.com/*', rules: [{ selector: 'td.id' }], profileId: b.id }],
      settings: { tabNewIdsPerMinute: 300 },
    });
    // It reads back.
    expect(parseSettingsFile(text)).toEqual(file);
  });

  it('profile and transfer commands are for extension pages only', async () => {
    for (const [name, data] of [
      ['listProfiles', {}],
      ['setActiveProfile', { profileId: 'default' }],
      ['exportSettings', {}],
      ['applySettingsImport', { text: '{}' }],
    ] as const) {
      expect(await send(name, data, content)).toMatchObject({ ok: false, refusal: 'refused_sender' });
    }
  });
});

describe('settings import', () => {
  it('refuses a file with a key in it, by field name or by value, and changes nothing', async () => {
    await twoProfiles();
    const exported = JSON.parse((await send('exportSettings', {})).value.text);
    const before = await listProfiles();
    const withField = { ...exported, profiles: [{ ...exported.profiles[0], adminKey: 'x' }, exported.profiles[1]] };
    const withValue = { ...exported, profiles: [{ ...exported.profiles[0], name: KEY }, exported.profiles[1]] };
    const nested = { ...exported, extra: { deep: [{ note: `key ${KEY.toUpperCase()}` }] } };
    for (const file of [withField, withValue, nested]) {
      for (const cmd of ['previewSettingsImport', 'applySettingsImport']) {
        const reply = await send(cmd, { text: JSON.stringify(file) });
        expect(reply).toMatchObject({ ok: false, error: { code: 'settings_file_has_key' } });
        expect(reply.error.explanation.ko).toContain('어드민 키');
        expect(reply.error.explanation.en).toContain('Admin key');
        expect(JSON.stringify(reply)).not.toContain(KEY); // the error names where, never the value
        expect(JSON.stringify(reply).toLowerCase()).not.toContain(KEY.toLowerCase());
      }
    }
    expect(await listProfiles()).toEqual(before);
    expect(await readKey()).toBe(KEY);
  });

  it('refuses what is not this format with the first wrong field named', async () => {
    const cases: [string, RegExp][] = [
      ['not json', /not JSON/],
      [JSON.stringify({ format: 'other', version: 1 }), /format/],
      [
        JSON.stringify({
          format: 'channel-desk-settings',
          version: 1,
          activeProfileId: 'x',
          profiles: [{ id: 'x', name: 'X', colour: 'blue', channelIds: ['not a channel'] }],
          sites: [],
          settings: {
            concurrency: 4,
            fileTimeoutSeconds: 60,
            cacheTtlMinutes: 10,
            tabNewIdsPerMinute: 5000,
            pageLookupsPerDay: 100000,
          },
        }),
        /profiles\.0\.channelIds\.0/,
      ],
    ];
    for (const [text, detail] of cases) {
      const reply = await send('previewSettingsImport', { text });
      expect(reply).toMatchObject({ ok: false, error: { code: 'settings_file_invalid' } });
      expect(reply.error.detail).toMatch(detail);
    }
  });

  it('previews what changes, then applies it; keys of kept profiles stay, removed profiles lose theirs', async () => {
    const b = await twoProfiles();
    const file = JSON.parse((await send('exportSettings', {})).value.text);
    // Another manager's file: A renamed, B removed, C added, a new site for C, another budget.
    file.profiles = [
      { ...file.profiles[0], name: 'Agency A (HQ)' },
      { id: 'agency-c', name: 'Agency C', colour: 'red', channelIds: ['_abcdef'] },
    ];
    file.sites = [{ pattern: 'https://crm.example.org/*', rules: [], profileId: 'agency-c' }];
    file.settings.pageLookupsPerDay = 1234;
    const text = JSON.stringify(file);

    const preview = await send('previewSettingsImport', { text });
    expect(preview.value).toEqual({
      profiles: { added: ['Agency C'], changed: ['Agency A (HQ)'], removed: ['Agency B'], unchanged: [] },
      sites: {
        added: ['https://crm.example.org/*'],
        changed: [],
        removed: ['https://admin.example.com/*'],
        unchanged: [],
      },
      settings: [{ name: 'pageLookupsPerDay', from: 100000, to: 1234 }],
      keysKept: ['Agency A (HQ)'],
    });
    // A preview changes nothing.
    expect((await listProfiles()).profiles.map((p) => p.name)).toEqual(['Agency A', 'Agency B']);

    const applied = await send('applySettingsImport', { text });
    expect(applied).toMatchObject({ ok: true });
    expect(applied.value.profiles.map((p: { name: string; keySaved: boolean }) => [p.name, p.keySaved])).toEqual([
      ['Agency A (HQ)', true],
      ['Agency C', false],
    ]);
    expect((await listProfiles()).profiles[0]!.rememberKey).toBe(true); // this device's choice is kept
    expect(await readKey()).toBe(KEY);
    expect(await readKey(b.id)).toBeNull();
    expect(await badgeSitesItem.getValue()).toEqual(file.sites);
    expect((await settingsItem.getValue()).pageLookupsPerDay).toBe(1234);
  });
});
