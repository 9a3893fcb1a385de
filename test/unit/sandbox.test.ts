import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createKakaoClient } from '../../lib/kakao/client';
import { createHandlers } from '../../lib/background/handlers';
import { createGrowthFeature } from '../../lib/background/growth';
import { withSandbox } from '../../lib/sandbox/client';
import { DEMO_CHANNELS, DEMO_USER_IDS, SANDBOX_ADMIN_KEY } from '../../lib/sandbox/demo';
import { createSandboxFetch } from '../../lib/sandbox/fetch';
import { isSandboxActive } from '../../lib/sandbox/state';
import { createSandboxSimulator } from '../../lib/sandbox/simulator';
import { seededRelation, SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { createFakeFetch, jsonResponse } from './fake-fetch';

const ctx = { senderClass: 'extension' as const, tabId: undefined, origin: undefined };

beforeEach(() => {
  fakeBrowser.reset();
});

describe('sandbox mode rule', () => {
  it.each([
    ['auto', false, true],
    ['auto', true, false],
    ['on', true, true],
    ['on', false, true],
    ['off', false, false],
    ['off', true, false],
  ] as const)('mode %s, key saved %s → active %s', (mode, keySaved, active) => {
    expect(isSandboxActive(mode, keySaved)).toBe(active);
  });
});

describe('sandbox fetch', () => {
  it('answers the real client from the simulator, with demo files already in it', async () => {
    const client = createKakaoClient({
      origin: 'https://sandbox.invalid',
      getKey: async () => SANDBOX_ADMIN_KEY,
      fetch: createSandboxFetch(),
    });
    const files = await client.listCustomerFiles({ channelId: '_ZeUTxl' });
    expect(files.results.map((f) => f.file_name)).toEqual(['체험용_VIP_고객', '체험용_신규가입']);
    expect(files.using_slot).toBe(3); // two demo files + one "uploaded by hand"
    const check = await client.checkRelationship({ userId: DEMO_USER_IDS[0] });
    expect(check.channels.map((c) => [c.channel_public_id, c.channel_uuid])).toEqual(
      DEMO_CHANNELS.map((c) => [c.publicId, c.uuid]),
    );
    await expect(
      createKakaoClient({
        origin: 'https://sandbox.invalid',
        getKey: async () => SIM_ADMIN_KEY,
        fetch: createSandboxFetch(),
      }).checkRelationship({ userId: '1' }),
    ).rejects.toMatchObject({ code: -401 });
  });

  it('demo files hold their demo users', () => {
    const sim = createSandboxSimulator();
    const files = sim.files('_ZeUTxl');
    expect(files.map((f) => f.userCount)).toEqual([24, 8]);
    expect(sim.fileUsers(files[0]!.id)?.get('4000000001')).toEqual({ 성별: 'F', 구매금액: 10000 });
    expect(sim.files('_frxjem')).toHaveLength(1);
  });

  it('the demo user IDs show every relation', () => {
    const relations = new Set(DEMO_USER_IDS.flatMap((u) => DEMO_CHANNELS.map((c) => seededRelation(u, c.publicId))));
    expect([...relations].sort()).toEqual(['ADDED', 'BLOCKED', 'NONE']);
  });
});

describe('sandbox-aware client', () => {
  it('routes each call to the sandbox or the real API by the setting at that moment', async () => {
    const realFetch = createFakeFetch(() => jsonResponse(200, { user_id: 42, channels: [] }));
    const real = createKakaoClient({
      origin: 'https://kapi.kakao.com',
      getKey: async () => 'k'.repeat(32),
      fetch: realFetch.fetch,
    });
    let active = true;
    const client = withSandbox(real, { isActive: async () => active });
    const fromSandbox = await client.checkRelationship({ userId: '42' });
    expect(fromSandbox.channels).toHaveLength(2);
    expect(realFetch.calls).toHaveLength(0);
    active = false;
    const fromReal = await client.checkRelationship({ userId: '42' });
    expect(fromReal.channels).toHaveLength(0);
    expect(realFetch.calls).toHaveLength(1);
    expect(Object.keys(client).sort()).toEqual(Object.keys(real).sort());
  });
});

describe('background with no key (fresh install)', () => {
  function setup() {
    const realFetch = createFakeFetch(() => jsonResponse(401, { code: -401, msg: 'no' }));
    const core = createHandlers({ apiOrigin: 'https://kapi.kakao.com', fetch: realFetch.fetch });
    const growth = createGrowthFeature({ apiOrigin: 'https://kapi.kakao.com', client: core.client });
    return { core, growth: growth.handlers, realFetch };
  }

  it('is in the sandbox and answers lookups with demo data, never calling Kakao', async () => {
    const { core, realFetch } = setup();
    const status = await core.getStatus({}, ctx);
    expect(status.sandbox).toEqual({ active: true, mode: 'auto' });
    const user = DEMO_USER_IDS[1];
    const result = await core.checkUser({ userId: user }, ctx);
    expect(result.channels.map((c) => c.relation)).toEqual(DEMO_CHANNELS.map((c) => seededRelation(user, c.publicId)));
    expect(realFetch.calls).toHaveLength(0);
  });

  it('growth tools list the demo channels with their @IDs', async () => {
    const { growth } = setup();
    expect(await growth.getGrowthChannels({}, ctx)).toEqual({
      demo: true,
      channels: DEMO_CHANNELS.map((c) => ({ ...c })),
    });
  });

  it('saving a real key ends the sandbox; the switch can turn it back on and off', async () => {
    const { core, growth, realFetch } = setup();
    await growth.setSandboxMode({ mode: 'on' }, ctx);
    const saved = await core.saveSettings(
      { adminKey: 'f'.repeat(32), channelIds: ['_ZeUTxl'], rememberKey: false },
      ctx,
    );
    expect(saved.sandbox).toEqual({ active: false, mode: 'auto' });
    await expect(core.checkUser({ userId: '42' }, ctx)).rejects.toMatchObject({ code: -401 });
    expect(realFetch.calls).toHaveLength(1);

    expect(await growth.setSandboxMode({ mode: 'on' }, ctx)).toEqual({ active: true, mode: 'on' });
    // The demo channels, never demo answers for the saved real channel list.
    expect((await core.checkUser({ userId: '42' }, ctx)).channels.map((c) => c.channel_public_id)).toEqual(
      DEMO_CHANNELS.map((c) => c.publicId),
    );
    expect(realFetch.calls).toHaveLength(1);
    expect(await growth.setSandboxMode({ mode: 'off' }, ctx)).toEqual({ active: false, mode: 'off' });
  });

  it('with the sandbox turned off and no key, calls fail with "no key" instead of showing demo data', async () => {
    const { core, growth } = setup();
    await growth.setSandboxMode({ mode: 'off' }, ctx);
    await expect(core.checkUser({ userId: '42' }, ctx)).rejects.toMatchObject({ code: 'no_key' });
  });
});
