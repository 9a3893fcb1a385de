import { describe, expect, it } from 'vitest';
import { createKakaoClient } from '@/lib/kakao/client';
import { KakaoApiError } from '@/lib/kakao/errors';
import { apiHostPermission } from '@/lib/kakao/origin';
import { guardedFetch } from '@/lib/platform/guarded-fetch';
import { createHostAccess } from '@/lib/platform/host-access';
import { createFakeFetch, jsonResponse } from './fake-fetch';
import { createFakePermissions } from './fake-permissions';

const ORIGIN = 'https://kapi.kakao.com';
const PATTERN = apiHostPermission(ORIGIN);
const KEY = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const relationship = {
  user_id: 42,
  channels: [{ channel_uuid: '@x', channel_public_id: '_ZeUTxl', relation: 'ADDED' }],
};

// Chrome grants host_permissions at install (a user may withhold them later);
// Firefox MV3 may install without them (the user declined, or revoked them).
describe.each([
  { target: 'chrome', grantedAtInstall: true },
  { target: 'firefox', grantedAtInstall: false },
])('host access to the Kakao API ($target)', ({ grantedAtInstall }) => {
  function setup() {
    const permissions = createFakePermissions(grantedAtInstall ? [PATTERN] : []);
    const access = createHostAccess(permissions.api, [PATTERN]);
    const fake = createFakeFetch(() => jsonResponse(200, relationship));
    const client = createKakaoClient({
      origin: ORIGIN,
      getKey: async () => KEY,
      fetch: guardedFetch(fake.fetch, access),
    });
    return { permissions, access, fake, client };
  }

  it('a call without access is refused as no_host_access and sends nothing', async () => {
    const { permissions, fake, client } = setup();
    if (grantedAtInstall) await permissions.api.remove({ origins: [PATTERN] }); // the user withheld it
    const err = await client.checkRelationship({ userId: '42' }).then(
      () => expect.unreachable('resolved'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KakaoApiError);
    const info = (err as KakaoApiError).toInfo();
    expect(info.code).toBe('no_host_access');
    expect(info.retryable).toBe(false); // retrying cannot help until the user acts
    expect(info.explanation.en).toContain('Grant access');
    expect(info.explanation.ko).toContain('접근 허용');
    expect(fake.calls).toHaveLength(0);
  });

  it('after a grant the same client calls Kakao', async () => {
    const { permissions, access, fake, client } = setup();
    if (grantedAtInstall) await permissions.api.remove({ origins: [PATTERN] });
    expect(await access.has()).toBe(false);
    expect(await access.request()).toBe(true);
    expect(permissions.requests).toEqual([[PATTERN]]);
    const result = await client.checkRelationship({ userId: '42' });
    expect(result.channels[0]?.relation).toBe('ADDED');
    expect(fake.calls).toHaveLength(1);
  });

  it('a declined prompt keeps access missing', async () => {
    const { permissions, access } = setup();
    if (grantedAtInstall) await permissions.api.remove({ origins: [PATTERN] });
    permissions.answer(false);
    expect(await access.request()).toBe(false);
    expect(await access.has()).toBe(false);
  });

  it('watch reports grants and revocations until unsubscribed', async () => {
    const { permissions, access } = setup();
    let changes = 0;
    const stop = access.watch(() => changes++);
    await permissions.api.remove({ origins: [PATTERN] });
    await access.request();
    expect(changes).toBe(2);
    stop();
    expect(permissions.listenerCount()).toBe(0);
    await permissions.api.remove({ origins: [PATTERN] });
    expect(changes).toBe(2);
  });
});

describe('host access edge cases', () => {
  it('asks for the API host pattern without a port (match patterns carry none)', () => {
    expect(apiHostPermission('http://127.0.0.1:8123')).toBe('http://127.0.0.1/*');
    const access = createHostAccess(createFakePermissions().api, [apiHostPermission('http://127.0.0.1:8123')]);
    expect(access.origins).toEqual(['http://127.0.0.1/*']);
  });

  it('when the permissions API itself fails, the request goes out (the browser still enforces access)', async () => {
    const broken = createFakePermissions().api;
    broken.contains = () => Promise.reject(new Error('not implemented'));
    const fake = createFakeFetch(() => jsonResponse(200, relationship));
    const client = createKakaoClient({
      origin: ORIGIN,
      getKey: async () => KEY,
      fetch: guardedFetch(fake.fetch, createHostAccess(broken, [PATTERN])),
    });
    await client.checkRelationship({ userId: '42' });
    expect(fake.calls).toHaveLength(1);
  });

  it('a real network failure is still reported as network, not as missing access', async () => {
    const access = createHostAccess(createFakePermissions([PATTERN]).api, [PATTERN]);
    const failing = (async () => {
      throw new TypeError('NetworkError when attempting to fetch resource.');
    }) as typeof fetch;
    const client = createKakaoClient({ origin: ORIGIN, getKey: async () => KEY, fetch: guardedFetch(failing, access) });
    await expect(client.checkRelationship({ userId: '42' })).rejects.toMatchObject({ code: 'network' });
  });
});

describe('host access during a bulk job (issue 14 §3)', () => {
  function counted(granted: boolean) {
    const permissions = createFakePermissions(granted ? [PATTERN] : []);
    let asked = 0;
    const contains = permissions.api.contains;
    permissions.api.contains = (p) => {
      asked++;
      return contains(p);
    };
    let clock = 0;
    const fake = createFakeFetch(() => jsonResponse(200, relationship));
    const client = createKakaoClient({
      origin: ORIGIN,
      getKey: async () => KEY,
      fetch: guardedFetch(fake.fetch, createHostAccess(permissions.api, [PATTERN]), () => clock),
    });
    return { permissions, client, fake, asked: () => asked, tick: (ms: number) => (clock += ms) };
  }

  it('asks the browser once for a burst of calls, not before each one', async () => {
    const s = counted(true);
    for (let i = 0; i < 10; i++) await s.client.checkRelationship({ userId: '42' });
    expect(s.fake.calls).toHaveLength(10);
    expect(s.asked()).toBe(1);
    s.tick(2000);
    await s.client.checkRelationship({ userId: '42' });
    expect(s.asked()).toBe(2);
  });

  it('a revocation stops the very next call', async () => {
    const s = counted(true);
    await s.client.checkRelationship({ userId: '42' });
    await s.permissions.api.remove({ origins: [PATTERN] });
    await expect(s.client.checkRelationship({ userId: '42' })).rejects.toMatchObject({ code: 'no_host_access' });
    expect(s.fake.calls).toHaveLength(1);
  });

  it('"missing" is never reused: a grant is seen by the next call', async () => {
    const s = counted(false);
    await expect(s.client.checkRelationship({ userId: '42' })).rejects.toMatchObject({ code: 'no_host_access' });
    await s.permissions.api.request({ origins: [PATTERN] });
    await s.client.checkRelationship({ userId: '42' });
    expect(s.fake.calls).toHaveLength(1);
  });
});
