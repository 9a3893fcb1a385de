import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../lib/background/handlers';
import { createKakaoClient } from '../../lib/kakao/client';
import { KakaoApiError } from '../../lib/kakao/errors';
import type { HandlerContext } from '../../lib/messages/router';
import { clearKey, keyStatus, readKey, saveKey, setRemember } from '../../lib/storage/key-vault';
import { profileSettings } from '../../lib/profiles/store';
import { kv } from '../../lib/storage/kv';
import { createFakeFetch, jsonResponse } from './fake-fetch';
import { storedValues } from './stored';

const KEY = 'c0ffee00deadbeef0123456789abcdef';
const OTHER_KEY = '0badf00d0badf00d0badf00d0badf00d';

/** What the device store holds with a session-only key: the note that one was saved (for the "key cleared" notice). */
const SESSION_NOTE_ONLY = { adminKeySessionNote: { savedAt: expect.any(Number) } };
/** `local`: what stays on the device, the extension's own store (lib/storage/kv.ts), which replaced storage.local. */
const dump = async (area: 'local' | 'session' | 'sync') =>
  area === 'local' ? storedValues() : fakeBrowser.storage[area].get(null);
const text = async (area: 'local' | 'session' | 'sync') => JSON.stringify(await dump(area));
/** What storage.session holds. */
const sessionBesidesStatusCopy = () => dump('session');

beforeEach(() => {
  fakeBrowser.reset();
});
afterEach(async () => {
  // Whatever a test did, nothing may ever reach storage.sync, nor storage.local (content scripts can reach it).
  expect(await dump('sync')).toEqual({});
  expect(await fakeBrowser.storage.local.get(null)).toEqual({});
});

describe('key vault', () => {
  it('by default keeps the key in storage.session only', async () => {
    await saveKey(KEY, false);
    expect(await text('session')).toContain(KEY);
    expect(await text('local')).not.toContain(KEY);
    expect(await dump('local')).toEqual(SESSION_NOTE_ONLY); // no key material: only when a session key was saved
    await expect(readKey()).resolves.toBe(KEY);
  });

  it('remember: storage.local holds only a ciphertext, and readKey decrypts it', async () => {
    await saveKey(KEY, true);
    const local = await dump('local');
    const serialised = JSON.stringify(local);
    expect(serialised).not.toContain(KEY);
    expect(serialised).not.toContain(KEY.toUpperCase());
    expect(serialised).not.toContain(btoa(KEY));
    expect(Object.keys(local)).toHaveLength(1);
    const sealed = Object.values(local)[0] as { iv: string; data: string };
    expect(sealed).toEqual({ v: 2, iv: expect.any(String), data: expect.any(String) });
    expect(await dump('session')).toEqual({});
    await expect(readKey()).resolves.toBe(KEY);
  });

  it('each remembered save uses a fresh IV and ciphertext', async () => {
    await saveKey(KEY, true);
    const first = await text('local');
    await saveKey(KEY, true);
    expect(await text('local')).not.toBe(first);
    await expect(readKey()).resolves.toBe(KEY);
  });

  it('a tampered ciphertext reads as no key', async () => {
    await saveKey(KEY, true);
    const local = await dump('local');
    const [name, sealed] = Object.entries(local)[0] as [string, { iv: string; data: string }];
    const bytes = Uint8Array.from(atob(sealed.data), (c) => c.charCodeAt(0));
    bytes[0] = bytes[0]! ^ 0xff;
    await kv.set(name, { ...sealed, data: btoa(String.fromCharCode(...bytes)) });
    await expect(readKey()).resolves.toBeNull();
    expect((await keyStatus()).saved).toBe(false);
  });

  it.each([false, true])('keyStatus (remember=%s) shows only •••• plus the last 4 characters', async (remember) => {
    await saveKey(KEY, remember);
    const status = await keyStatus();
    expect(status).toEqual({
      saved: true,
      masked: `••••${KEY.slice(-4)}`,
      remembered: remember,
      // A remembered key may get a PIN (issue 13): whether it has one, and its idle lock.
      ...(remember ? { pinSet: false, lockAfterMinutes: 30 } : {}),
    });
    expect(status.masked).not.toContain(KEY.slice(0, -4));
  });

  it('keyStatus with no key', async () => {
    await expect(keyStatus()).resolves.toEqual({ saved: false, masked: null, remembered: false });
    await expect(readKey()).resolves.toBeNull();
  });

  it('setRemember moves the key from session to sealed local and back', async () => {
    await saveKey(KEY, false);
    await setRemember(true);
    expect(await dump('session')).toEqual({});
    expect(await text('local')).not.toContain(KEY);
    expect(Object.keys(await dump('local'))).toHaveLength(1);
    await expect(keyStatus()).resolves.toMatchObject({ saved: true, remembered: true });
    await expect(readKey()).resolves.toBe(KEY);

    await setRemember(false);
    expect(await dump('local')).toEqual(SESSION_NOTE_ONLY); // no key material: only when a session key was saved
    expect(await text('session')).toContain(KEY);
    await expect(keyStatus()).resolves.toMatchObject({ saved: true, remembered: false });
    await expect(readKey()).resolves.toBe(KEY);
  });

  it('setRemember without a key stores nothing', async () => {
    await setRemember(true);
    expect(await dump('local')).toEqual({});
    expect(await dump('session')).toEqual({});
  });

  it('saving a new key replaces the old one in the other area', async () => {
    await saveKey(KEY, true);
    await saveKey(OTHER_KEY, false);
    expect(await dump('local')).toEqual(SESSION_NOTE_ONLY); // no key material: only when a session key was saved
    await expect(readKey()).resolves.toBe(OTHER_KEY);
    await saveKey(KEY, true);
    expect(await dump('session')).toEqual({});
    await expect(readKey()).resolves.toBe(KEY);
  });

  it.each([false, true])('clearKey removes the key from both areas (remember=%s)', async (remember) => {
    await saveKey(KEY, remember);
    await clearKey();
    expect(await dump('session')).toEqual({});
    expect(await dump('local')).toEqual({});
    await expect(readKey()).resolves.toBeNull();
    await expect(keyStatus()).resolves.toEqual({ saved: false, masked: null, remembered: false });
  });
});

describe('background handlers', () => {
  const ctx: HandlerContext = { senderClass: 'extension', tabId: undefined, origin: undefined };
  const ORIGIN = 'https://kapi.example.test';

  function setup() {
    const fake = createFakeFetch((req) =>
      jsonResponse(200, {
        user_id: Number(req.url.searchParams.get('target_id') ?? 0),
        channels: [
          {
            channel_uuid: '@채널데스크',
            channel_public_id: '_ZeUTxl',
            relation: 'ADDED',
            updated_at: '2024-05-02T01:02:03Z',
          },
          { channel_uuid: '@myshop', channel_public_id: '_frxjem', relation: 'NONE' },
        ],
      }),
    );
    const keySources: (() => Promise<string | null>)[] = [];
    const handlers = createHandlers({
      apiOrigin: ORIGIN,
      makeClient: (getKey) => {
        keySources.push(getKey);
        return createKakaoClient({ origin: ORIGIN, getKey, fetch: fake.fetch });
      },
    });
    return { fake, handlers, keySources };
  }

  it('saveSettings persists channelIds and keeps the key in session by default', async () => {
    const { handlers } = setup();
    const status = await handlers.saveSettings(
      { adminKey: KEY, channelIds: ['_ZeUTxl', '_frxjem'], rememberKey: false },
      ctx,
    );

    expect(status.key).toEqual({ saved: true, masked: `••••${KEY.slice(-4)}`, remembered: false });
    expect(status.settings).toMatchObject({
      channelIds: ['_ZeUTxl', '_frxjem'],
      rememberKey: false,
      selectedChannelId: '_ZeUTxl',
    });
    expect(status.apiOrigin).toBe(ORIGIN);
    expect(JSON.stringify(status)).not.toContain(KEY);
    await expect(profileSettings()).resolves.toMatchObject({ channelIds: ['_ZeUTxl', '_frxjem'] });
    expect(await text('session')).toContain(KEY);
    expect(await text('local')).not.toContain(KEY);
  });

  it('saveSettings with rememberKey seals the key into local storage', async () => {
    const { handlers } = setup();
    const status = await handlers.saveSettings({ adminKey: KEY, channelIds: ['_frxjem'], rememberKey: true }, ctx);
    expect(status.key).toMatchObject({ saved: true, remembered: true });
    expect(await sessionBesidesStatusCopy()).toEqual({});
    expect(await text('session')).not.toContain(KEY); // the popup's status copy holds the masked key only
    expect(await text('local')).not.toContain(KEY);
    await expect(readKey()).resolves.toBe(KEY);
    await expect(profileSettings()).resolves.toMatchObject({ rememberKey: true, channelIds: ['_frxjem'] });
  });

  it('saveSettings without a key keeps the saved key and moves it when rememberKey changes', async () => {
    const { handlers } = setup();
    await handlers.saveSettings({ adminKey: KEY, channelIds: ['_ZeUTxl'], rememberKey: false }, ctx);
    const status = await handlers.saveSettings({ channelIds: ['_frxjem', '_ZeUTxl'], rememberKey: true }, ctx);
    expect(status.key).toMatchObject({ saved: true, remembered: true, masked: `••••${KEY.slice(-4)}` });
    expect(await sessionBesidesStatusCopy()).toEqual({});
    expect(await text('session')).not.toContain(KEY);
    await expect(readKey()).resolves.toBe(KEY);
    // The selected channel survives because it is still in the list.
    expect(status.settings.selectedChannelId).toBe('_ZeUTxl');
    const narrowed = await handlers.saveSettings({ channelIds: ['_frxjem'], rememberKey: true }, ctx);
    expect(narrowed.settings.selectedChannelId).toBe('_frxjem');
  });

  it('clearKey forgets the key and reports it', async () => {
    const { handlers } = setup();
    await handlers.saveSettings({ adminKey: KEY, channelIds: [], rememberKey: true }, ctx);
    const status = await handlers.clearKey({}, ctx);
    expect(status.key).toEqual({ saved: false, masked: null, remembered: false });
    await expect(readKey()).resolves.toBeNull();
  });

  it('checkUser calls Kakao with the saved key and channels, and remembers the lookup', async () => {
    const { handlers, fake } = setup();
    await handlers.saveSettings({ adminKey: KEY, channelIds: ['_ZeUTxl', '_frxjem'], rememberKey: false }, ctx);

    const res = await handlers.checkUser({ userId: '42' }, ctx);
    expect(res.user_id).toBe('42');
    expect(res.channels.map((c) => c.relation)).toEqual(['ADDED', 'NONE']);
    const req = fake.last();
    expect(req.headers.get('authorization')).toBe(`KakaoAK ${KEY}`);
    expect(req.url.searchParams.get('target_id')).toBe('42');
    expect(req.url.searchParams.get('channel_ids')).toBe('_ZeUTxl,_frxjem');

    await handlers.checkUser({ userId: '7', channelIds: ['_frxjem'] }, ctx);
    expect(fake.last().url.searchParams.get('channel_ids')).toBe('_frxjem');
    await handlers.checkUser({ userId: '42' }, ctx);
    await expect(handlers.getRecentLookups({}, ctx)).resolves.toEqual(['42', '7']);
  });

  it('checkUser does not remember a lookup that failed', async () => {
    const { handlers, fake } = setup();
    await saveKey(KEY, false);
    fake.respondWith(() => jsonResponse(401, { code: -401, msg: 'bad key' }));
    await expect(handlers.checkUser({ userId: '42' }, ctx)).rejects.toMatchObject({ code: -401 });
    await expect(handlers.getRecentLookups({}, ctx)).resolves.toEqual([]);
  });

  it('testKey with an unsaved key uses that key and does not save it', async () => {
    const { handlers, fake } = setup();
    await saveKey(KEY, false);
    const res = await handlers.testKey({ adminKey: OTHER_KEY }, ctx);
    expect(fake.last().headers.get('authorization')).toBe(`KakaoAK ${OTHER_KEY}`);
    expect(res.linkedChannels).toEqual([
      { publicId: '_ZeUTxl', uuid: '@채널데스크' },
      { publicId: '_frxjem', uuid: '@myshop' },
    ]);
    await expect(readKey()).resolves.toBe(KEY);
    expect(await text('session')).not.toContain(OTHER_KEY);
    expect(await text('local')).not.toContain(OTHER_KEY);
  });

  it('testKey without a key uses the saved key', async () => {
    const { handlers, fake } = setup();
    await saveKey(KEY, true);
    await handlers.testKey({}, ctx);
    expect(fake.last().headers.get('authorization')).toBe(`KakaoAK ${KEY}`);
  });

  it('testKey with no key at all fails with no_key before any call', async () => {
    const { handlers, fake } = setup();
    const err = await handlers.testKey({}, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KakaoApiError);
    expect((err as KakaoApiError).code).toBe('no_key');
    expect(fake.calls).toHaveLength(0);
  });

  it("the handlers' own client reads the key from the vault at call time", async () => {
    const { handlers, keySources } = setup();
    await expect(keySources[0]!()).resolves.toBeNull();
    await handlers.saveSettings({ adminKey: KEY, channelIds: [], rememberKey: true }, ctx);
    await expect(keySources[0]!()).resolves.toBe(KEY);
  });
});
