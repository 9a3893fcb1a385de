import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHandlers } from '@/lib/background/handlers';
import { createProfilesFeature } from '@/lib/background/profiles';
import { createKakaoClient, type ApiRoute } from '@/lib/kakao/client';
import { explain, KakaoApiError } from '@/lib/kakao/errors';
import { withRetry } from '@/lib/kakao/retry';
import { guardedFetchByOrigin } from '@/lib/platform/guarded-fetch';
import { createHostAccess } from '@/lib/platform/host-access';
import { createFakePermissions } from './fake-permissions';
import { managedProfileId } from '@/lib/policy';
import { forgetPolicy } from '@/lib/policy/current';
import { addProfile, listProfiles, profilesView, setActiveProfile, updateProfile } from '@/lib/profiles/store';
import { parseSettingsFile } from '@/lib/profiles/transfer';
import { keyStatus, readKey } from '@/lib/storage/key-vault';
import { SCHEMA_VERSION, transact } from '@/lib/storage/kv';
import { migrateStorage } from '@/lib/storage/migrate';
import type { HandlerContext } from '@/lib/messages/router';
import { startRelay, type StartedRelay } from '../../relay/src/testing';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { createFakeFetch, jsonResponse } from './fake-fetch';
import { storedValues } from './stored';

/*
 * Issue 18, relay mode in the extension: the client's requests in relay mode, the relay's own errors explained and
 * a 429 waited out for its Retry-After, the schema 3 → 4 migration, and where the relay token is kept.
 */

const ADMIN_KEY = 'c0ffee00deadbeef0123456789abcdef';
const TOKEN = 'relay-token-for-ana-0123456789';
const ctx: HandlerContext = { senderClass: 'extension', tabId: undefined, origin: undefined };
const relayRoute = (url: string) => async (): Promise<ApiRoute> => ({ mode: 'relay', url });

/** Runs a call and returns what it rejected with (fails when it resolved). */
async function failure(run: () => Promise<unknown>): Promise<KakaoApiError> {
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(KakaoApiError);
    return err as KakaoApiError;
  }
  throw new Error('expected the call to fail');
}

describe('the client in relay mode', () => {
  it('sends the Kakao path under the relay URL (path prefix kept) with the token as a Bearer, never KakaoAK', async () => {
    const fake = createFakeFetch(() => jsonResponse(200, { user_id: 1, channels: [] }));
    const client = createKakaoClient({
      origin: 'https://kapi.kakao.com',
      getKey: async () => TOKEN,
      getRoute: relayRoute('https://relay.example.com/kakao'),
      fetch: fake.fetch,
    });
    await client.checkRelationship({ userId: '4018203344', channelIds: ['_ZeUTxl'] });
    await client.listCustomerFiles({ channelId: '_ZeUTxl' });
    expect(fake.calls.map((c) => `${c.url.origin}${c.url.pathname}`)).toEqual([
      'https://relay.example.com/kakao/v2/api/talk/channels',
      'https://relay.example.com/kakao/v1/talkchannel/target_user_file',
    ]);
    for (const call of fake.calls) expect(call.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    // Nothing else changes: the same query as a direct call.
    expect(fake.calls[0]!.url.searchParams.get('target_id')).toBe('4018203344');
    expect(fake.calls[0]!.url.searchParams.get('channel_ids')).toBe('_ZeUTxl');
  });

  it('the same client goes direct when the profile is direct (KakaoAK to the API origin)', async () => {
    const fake = createFakeFetch(() => jsonResponse(200, { user_id: 1, channels: [] }));
    let route: ApiRoute = { mode: 'relay', url: 'https://relay.example.com/' };
    const client = createKakaoClient({
      origin: 'https://kapi.kakao.com',
      getKey: async () => ADMIN_KEY,
      getRoute: async () => route,
      fetch: fake.fetch,
    });
    await client.checkRelationship({ userId: '1' });
    route = { mode: 'direct' };
    await client.checkRelationship({ userId: '1' });
    expect(fake.calls[0]!.url.href).toMatch(/^https:\/\/relay\.example\.com\/v2\/api\/talk\/channels\?/);
    expect(fake.calls[1]!.url.origin).toBe('https://kapi.kakao.com');
    expect(fake.calls[1]!.headers.get('authorization')).toBe(`KakaoAK ${ADMIN_KEY}`);
  });

  it('sends nothing without a relay URL or token, and says which is missing', async () => {
    const fake = createFakeFetch();
    const noUrl = createKakaoClient({
      origin: 'https://kapi.kakao.com',
      getKey: async () => TOKEN,
      getRoute: async () => ({ mode: 'relay', url: undefined }),
      fetch: fake.fetch,
    });
    expect((await failure(() => noUrl.checkRelationship({ userId: '1' }))).code).toBe('no_relay_url');
    const noToken = createKakaoClient({
      origin: 'https://kapi.kakao.com',
      getKey: async () => null,
      getRoute: relayRoute('https://relay.example.com'),
      fetch: fake.fetch,
    });
    const error = await failure(() => noToken.checkRelationship({ userId: '1' }));
    expect(error.code).toBe('no_relay_token');
    expect(error.explanation.en).toMatch(/relay token/);
    expect(fake.calls).toHaveLength(0);
  });

  it('reads a 429 Retry-After (seconds or a date), and a retry waits at least that long', async () => {
    const fake = createFakeFetch(
      () =>
        new Response(JSON.stringify({ code: 'relay_rate', msg: 'Over 5 calls a minute for this token.' }), {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': '7' },
        }),
    );
    const client = createKakaoClient({
      origin: 'https://kapi.kakao.com',
      getKey: async () => TOKEN,
      getRoute: relayRoute('https://relay.example.com'),
      fetch: fake.fetch,
    });
    const error = await failure(() => client.checkRelationships({ userIds: ['1', '2'] }));
    expect(error).toMatchObject({ code: 'relay_rate', status: 429, retryable: true, retryAfterMs: 7000 });
    expect(error.toInfo().retryAfterMs).toBe(7000);

    const waits: number[] = [];
    let attempts = 0;
    const answer = await withRetry(
      async () => {
        attempts++;
        if (attempts === 1) throw error;
        return 'ok';
      },
      { retries: 3, baseDelayMs: 10, maxDelayMs: 20, random: () => 1, sleep: async (ms) => void waits.push(ms) },
    );
    expect(answer).toBe('ok');
    expect(waits).toEqual([7000]);
  });
});

describe('host access per origin', () => {
  it('a relay call without the relay’s access is refused before anything is sent, and says so; a grant lets it go', async () => {
    const permissions = createFakePermissions(['https://kapi.kakao.com/*']);
    const fake = createFakeFetch(() => jsonResponse(200, { user_id: 1, channels: [] }));
    const fetch = guardedFetchByOrigin(
      fake.fetch,
      { origin: 'https://kapi.kakao.com', access: createHostAccess(permissions.api, ['https://kapi.kakao.com/*']) },
      (origin) => createHostAccess(permissions.api, [`${origin.replace(/:\d+$/, '')}/*`]),
    );
    const client = createKakaoClient({
      origin: 'https://kapi.kakao.com',
      getKey: async () => TOKEN,
      getRoute: relayRoute('https://relay.example.com:8443/kakao'),
      fetch,
    });
    const error = await failure(() => client.checkRelationship({ userId: '1' }));
    expect(error.code).toBe('relay_no_host_access');
    expect(error.explanation.ko).toMatch(/릴레이/);
    expect(fake.calls).toHaveLength(0);
    await permissions.api.request({ origins: ['https://relay.example.com/*'] });
    await client.checkRelationship({ userId: '1' });
    expect(fake.calls.map((c) => c.url.origin)).toEqual(['https://relay.example.com:8443']);
    // The Kakao API keeps its own access check.
    const direct = createKakaoClient({ origin: 'https://kapi.kakao.com', getKey: async () => ADMIN_KEY, fetch });
    await direct.checkRelationship({ userId: '1' });
    expect(fake.calls.at(-1)!.url.origin).toBe('https://kapi.kakao.com');
  });
});

describe('through a real relay to the simulator', () => {
  let sim: SimulatorServer;
  let relay: StartedRelay;
  let limited: StartedRelay;
  beforeAll(async () => {
    sim = await startSimulatorServer({ adminKeys: [ADMIN_KEY] });
    relay = await startRelay({
      kakaoOrigin: sim.origin,
      adminKey: ADMIN_KEY,
      tokens: { ana: TOKEN },
      channels: ['_ZeUTxl'],
    });
    limited = await startRelay({ kakaoOrigin: sim.origin, adminKey: ADMIN_KEY, tokens: { ana: TOKEN }, rate: 1 });
  });
  afterAll(async () => {
    await relay.close();
    await limited.close();
    await sim.close();
  });

  const clientFor = (url: string, token = TOKEN) =>
    createKakaoClient({ origin: sim.origin, getKey: async () => token, getRoute: relayRoute(url) });

  it('a check goes through: Kakao sees the relay’s Admin key, the browser never had it', async () => {
    sim.sim.log.length = 0;
    const answer = await clientFor(relay.origin).checkRelationship({ userId: '4018203344', channelIds: ['_ZeUTxl'] });
    expect(answer.channels.map((c) => c.channel_public_id)).toEqual(['_ZeUTxl']);
    expect(sim.lastRequestHeaders()?.authorization).toBe(`KakaoAK ${ADMIN_KEY}`);
    expect(sim.sim.log.at(-1)?.auth).toBe('admin');
  });

  it('explains the relay’s refusals in Korean and English: a wrong token, a channel it does not serve, a wrong path', async () => {
    const auth = await failure(() =>
      clientFor(relay.origin, 'not-the-right-token-000').checkRelationship({ userId: '1' }),
    );
    expect(auth).toMatchObject({ code: 'relay_auth', status: 401, retryable: false });
    expect(auth.explanation.ko).toMatch(/릴레이 토큰/);
    expect(auth.explanation.en).toMatch(/relay token/);

    const channel = await failure(() => clientFor(relay.origin).listCustomerFiles({ channelId: '_frxjem' }));
    expect(channel).toMatchObject({ code: 'relay_channel', status: 403, retryable: false });
    expect(channel.explanation.en).toMatch(/does not serve this channel/);
    expect(channel.explanation.ko).toMatch(/채널/);
    expect(channel.detail).toMatch(/_frxjem/);

    const path = await failure(() => clientFor(`${relay.origin}/kakao`).checkRelationship({ userId: '1' }));
    expect(path).toMatchObject({ code: 'relay_not_found', status: 404 });
    expect(path.explanation.en).toMatch(/relay URL/);
  });

  it('a bulk run over the relay’s rate waits out each Retry-After and then goes through', async () => {
    const perMinute = await startRelay({
      kakaoOrigin: sim.origin,
      adminKey: ADMIN_KEY,
      tokens: { ana: TOKEN },
      rate: 60,
    });
    try {
      const client = clientFor(perMinute.origin);
      const waits: number[] = [];
      const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)).then(() => void waits.push(ms));
      const policy = { retries: 3, baseDelayMs: 1, maxDelayMs: 2, sleep };
      // 60 calls use up the minute's burst; the next ones are told to come back in a second, and do.
      const started = Date.now();
      const answers = await Promise.all(
        Array.from({ length: 62 }, (_, i) =>
          withRetry(() => client.checkRelationships({ userIds: [String(1000 + i)] }), policy),
        ),
      );
      expect(answers).toHaveLength(62);
      const lines = perMinute.auditLines();
      const refused = lines.filter((l) => l.relayError === 'relay_rate').length;
      expect(refused).toBeGreaterThanOrEqual(1);
      // Each 429 was waited out for its Retry-After (a second here), never retried sooner.
      expect(waits.filter((ms) => ms >= 1000)).toHaveLength(refused);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(lines.filter((l) => l.status === 200)).toHaveLength(62);
    } finally {
      await perMinute.close();
    }
  });

  it('a 429 from the relay carries its Retry-After and is retried, not failed', async () => {
    const client = clientFor(limited.origin);
    await client.checkRelationship({ userId: '1' });
    const error = await failure(() => client.checkRelationship({ userId: '1' }));
    expect(error).toMatchObject({ code: 'relay_rate', status: 429, retryable: true });
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(error.explanation.ko).toMatch(/429/);
  });
});

describe('relay explanations', () => {
  it('every relay code has its own Korean and English sentence (not the generic "Kakao API error")', () => {
    for (const code of [
      'relay_auth',
      'relay_channel',
      'relay_rate',
      'relay_not_found',
      'relay_too_large',
      'relay_upstream',
      'relay_timeout',
      'relay_cancelled',
      'relay_error',
      'no_relay_url',
      'no_relay_token',
      'relay_no_host_access',
    ]) {
      const text = explain(code, null);
      expect(text.en, code).toMatch(/relay/i);
      expect(text.ko, code).toMatch(/릴레이/);
      expect(text.en).not.toMatch(/Kakao API error/);
    }
  });
});

describe('schema 3 → 4: profiles get a connection mode', () => {
  beforeEach(() => fakeBrowser.reset());

  it('a stored state of schema 3 keeps its profiles, each now direct, and its key', async () => {
    // Today's stored state: two profiles (no `mode`), the marker at 3, a session key for `default`.
    const v3 = {
      activeId: 'p-1234abcd',
      profiles: [
        { id: 'default', name: '_ZeUTxl', colour: 'blue', channelIds: ['_ZeUTxl'], rememberKey: false },
        {
          id: 'p-1234abcd',
          name: 'Shop',
          colour: 'green',
          channelIds: ['_frxjem'],
          selectedChannelId: '_frxjem',
          rememberKey: true,
        },
      ],
    };
    await transact('readwrite', ({ values, meta }) => {
      values.put(structuredClone(v3), 'profiles');
      values.put({ concurrency: 3 }, 'settings');
      values.put({ savedAt: 1764400000000 }, 'adminKeySessionNote');
      meta.put({ version: 3, at: 1764400000000, keys: [] }, 'migration');
    });
    await fakeBrowser.storage.session.set({ adminKey: ADMIN_KEY });

    expect(SCHEMA_VERSION).toBe(4);
    expect(await migrateStorage()).toEqual({ schemaVersion: 4, state: 'ok' });
    const stored = (await storedValues()).profiles as typeof v3;
    expect(stored.profiles.map((p) => [p.id, (p as { mode?: string }).mode])).toEqual([
      ['default', 'direct'],
      ['p-1234abcd', 'direct'],
    ]);
    expect(await listProfiles()).toEqual({
      activeId: 'p-1234abcd',
      profiles: v3.profiles.map((p) => ({ ...p, mode: 'direct' })),
    });
    expect(await readKey('default')).toBe(ADMIN_KEY);
    // Runs once: a relay profile made afterwards is not turned back into a direct one by the next start.
    const handlers = createHandlers({ apiOrigin: 'https://kapi.kakao.com' });
    await handlers.saveSettings(
      {
        channelIds: ['_frxjem'],
        rememberKey: false,
        connectionMode: 'relay',
        relayUrl: 'https://relay.example.com/kakao/',
        relayToken: TOKEN,
      },
      ctx,
    );
    await migrateStorage();
    expect((await listProfiles()).profiles[1]).toMatchObject({
      mode: 'relay',
      relayUrl: 'https://relay.example.com/kakao',
    });
  });
});

describe('the relay token is kept like the key', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await migrateStorage();
  });

  const handlersNow = () => createHandlers({ apiOrigin: 'https://kapi.kakao.com' });
  const relayInput = {
    channelIds: ['_ZeUTxl'],
    connectionMode: 'relay' as const,
    relayUrl: 'https://relay.example.com',
  };

  it('session by default: in storage.session only, nowhere in the extension store, never in sync', async () => {
    const status = await handlersNow().saveSettings({ ...relayInput, rememberKey: false, relayToken: TOKEN }, ctx);
    expect(status.key).toMatchObject({ saved: true, remembered: false });
    expect(status.key.masked).not.toContain(TOKEN);
    expect(Object.values(await fakeBrowser.storage.session.get(null))).toContain(TOKEN);
    expect(JSON.stringify(await storedValues())).not.toContain(TOKEN);
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
  });

  it('"remember" is opt-in: sealed in the extension store (never plain), gone from the session', async () => {
    const status = await handlersNow().saveSettings({ ...relayInput, rememberKey: true, relayToken: TOKEN }, ctx);
    expect(status.key).toMatchObject({ saved: true, remembered: true });
    const stored = await storedValues();
    expect(stored.adminKeySealed).toBeDefined();
    expect(JSON.stringify(stored)).not.toContain(TOKEN);
    expect(JSON.stringify(await fakeBrowser.storage.session.get(null))).not.toContain(TOKEN);
    expect(await readKey('default')).toBe(TOKEN);
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
  });

  it('a profile switched to relay keeps no Admin key, and refuses one', async () => {
    const handlers = handlersNow();
    await handlers.saveSettings({ channelIds: [], rememberKey: true, adminKey: ADMIN_KEY }, ctx);
    expect(await readKey('default')).toBe(ADMIN_KEY);
    const status = await handlers.saveSettings({ ...relayInput, rememberKey: true }, ctx);
    expect(status.key.saved).toBe(false);
    expect(await readKey('default')).toBeNull();
    const all = JSON.stringify([await storedValues(), await fakeBrowser.storage.session.get(null)]);
    expect(all).not.toContain(ADMIN_KEY);
    await expect(
      handlers.saveSettings({ ...relayInput, rememberKey: false, adminKey: ADMIN_KEY }, ctx),
    ).rejects.toMatchObject({ code: 'relay_has_no_key' });
    await expect(
      handlers.saveSettings({ ...relayInput, rememberKey: false, relayUrl: 'http://relay.example.com' }, ctx),
    ).rejects.toMatchObject({ code: 'relay_url_invalid' });
    expect(await keyStatus()).toMatchObject({ saved: false });
  });

  it('settings export carries the mode and relay URL, never the token; an import brings them back', async () => {
    const handlers = handlersNow();
    const other = await addProfile({ name: 'Relay team' });
    await setActiveProfile(other.id);
    await handlers.saveSettings(
      {
        ...relayInput,
        relayUrl: 'https://relay.example.com/kakao',
        rememberKey: true,
        relayToken: TOKEN,
      },
      ctx,
    );
    const transfer = createProfilesFeature().handlers;
    const { text } = await transfer.exportSettings({}, ctx);
    expect(text).not.toContain(TOKEN);
    const file = parseSettingsFile(text);
    expect(file.profiles.find((p) => p.id === other.id)).toMatchObject({
      mode: 'relay',
      relayUrl: 'https://relay.example.com/kakao',
    });
    expect(file.profiles.find((p) => p.id === 'default')).toMatchObject({ mode: 'direct' });
    expect(file.profiles.find((p) => p.id === 'default')).not.toHaveProperty('relayUrl');
  });
});

describe('a policy may name a profile’s relay', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    vi.restoreAllMocks();
    await migrateStorage();
  });
  afterAll(() => {
    vi.restoreAllMocks();
    forgetPolicy();
  });

  function setPolicy(raw: Record<string, unknown>) {
    const managed = fakeBrowser.storage.managed as unknown as { get: () => Promise<unknown> };
    vi.spyOn(managed, 'get').mockImplementation(() => Promise.resolve(raw));
    forgetPolicy();
  }

  it('the profile is a relay profile with that URL, locked; the token is the manager’s; no token from a policy', async () => {
    setPolicy({
      profiles: [
        { name: 'Seoul store', channelIds: ['_ZeUTxl'], relayUrl: 'https://relay.example.com/kakao/', token: TOKEN },
        { name: 'Busan store', channelIds: ['_frxjem'], relayUrl: 'http://relay.example.com' },
      ],
    });
    const seoul = managedProfileId('Seoul store');
    const state = await listProfiles();
    expect(state.profiles.find((p) => p.id === seoul)).toMatchObject({
      mode: 'relay',
      relayUrl: 'https://relay.example.com/kakao',
    });
    // A relay URL that is not https costs that profile, with a note (lib/policy/parse.ts).
    expect(state.profiles.some((p) => p.id === managedProfileId('Busan store'))).toBe(false);
    expect((await profilesView()).profiles.find((p) => p.id === seoul)).toMatchObject({
      managed: true,
      relayManaged: true,
    });
    await expect(updateProfile(seoul, { mode: 'direct' })).rejects.toMatchObject({ code: 'policy_managed' });
    await expect(updateProfile(seoul, { relayUrl: 'https://other.example.com' })).rejects.toMatchObject({
      code: 'policy_managed',
    });
    await setActiveProfile(seoul);
    const status = await createHandlers({ apiOrigin: 'https://kapi.kakao.com' }).saveSettings(
      { channelIds: ['_ZeUTxl'], rememberKey: false, connectionMode: 'relay', relayToken: TOKEN },
      ctx,
    );
    expect(status.key.saved).toBe(true);
    expect(await readKey(seoul)).toBe(TOKEN);
  });
});
