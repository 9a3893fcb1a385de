import { describe, expect, it } from 'vitest';
import {
  MAX_IDS_PER_RELATIONSHIP_CALL,
  MAX_USERS_PER_FILE_CALL,
  createKakaoClient,
  type KakaoClientDeps,
} from '../../lib/kakao/client';
import { KakaoApiError } from '../../lib/kakao/errors';
import { createFakeFetch, jsonResponse, textResponse, type Responder } from './fake-fetch';

const ORIGIN = 'https://kapi.example.test';
const KEY = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
/** 19 digits: above 2^53, so a JS number would round it. */
const BIG_USER = '1234567890123456789';
const BIG_FILE = '9007199254740993123';

function setup(responder?: Responder, deps: Partial<KakaoClientDeps> = {}) {
  const fake = createFakeFetch(responder);
  const client = createKakaoClient({ origin: ORIGIN, getKey: async () => KEY, fetch: fake.fetch, ...deps });
  return { fake, client };
}

/** Parses a request body whose `file_id` is a bare (possibly > 2^53) number, keeping it exact. */
function parseFileBody(body: string | undefined): Record<string, unknown> {
  expect(body).toBeDefined();
  return JSON.parse(body!.replace(/("file_id"\s*:\s*)(\d+)/, '$1"$2"')) as Record<string, unknown>;
}

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

const ids = (n: number, from = 1000) => Array.from({ length: n }, (_, i) => String(from + i));

describe('request building', () => {
  it('checkRelationship: GET /v2/api/talk/channels with the admin key and target/channel params', async () => {
    const { fake, client } = setup(() => jsonResponse(200, { user_id: 1, channels: [] }));
    await client.checkRelationship({ userId: BIG_USER, channelIds: ['_ZeUTxl', '_frxjem'] });

    expect(fake.calls).toHaveLength(1);
    const req = fake.last();
    expect(req.method).toBe('GET');
    expect(req.url.origin).toBe(ORIGIN);
    expect(req.url.pathname).toBe('/v2/api/talk/channels');
    expect(req.headers.get('authorization')).toBe(`KakaoAK ${KEY}`);
    expect(req.url.searchParams.get('target_id_type')).toBe('user_id');
    expect(req.url.searchParams.get('target_id')).toBe(BIG_USER);
    expect(req.url.searchParams.get('channel_ids')).toBe('_ZeUTxl,_frxjem');
    expect(req.url.searchParams.get('channel_id_type')).toBe('channel_public_id');
    expect(req.body).toBeUndefined();
  });

  it.each([
    ['omitted', undefined],
    ['empty', [] as string[]],
  ])('checkRelationship: channel params are left out when channelIds is %s', async (_label, channelIds) => {
    const { fake, client } = setup(() => jsonResponse(200, { user_id: 1, channels: [] }));
    await client.checkRelationship({ userId: '42', channelIds });
    const params = fake.last().url.searchParams;
    expect(params.has('channel_ids')).toBe(false);
    expect(params.has('channel_id_type')).toBe(false);
    expect(params.get('target_id')).toBe('42');
  });

  it('checkRelationships: GET /multi with comma-joined target_ids (200 allowed)', async () => {
    const userIds = ids(MAX_IDS_PER_RELATIONSHIP_CALL);
    const { fake, client } = setup(() => jsonResponse(200, []));
    await client.checkRelationships({ userIds, channelIds: ['_ZeUTxl'] });

    const req = fake.last();
    expect(req.method).toBe('GET');
    expect(req.url.pathname).toBe('/v2/api/talk/channels/multi');
    expect(req.headers.get('authorization')).toBe(`KakaoAK ${KEY}`);
    expect(req.url.searchParams.get('target_id_type')).toBe('user_id');
    expect(req.url.searchParams.get('target_ids')).toBe(userIds.join(','));
    expect(req.url.searchParams.get('target_ids')!.split(',')).toHaveLength(200);
    expect(req.url.searchParams.get('channel_ids')).toBe('_ZeUTxl');
    expect(req.url.searchParams.get('channel_id_type')).toBe('channel_public_id');
  });

  it('checkRelationships: an empty list makes no call', async () => {
    const { fake, client } = setup();
    await expect(client.checkRelationships({ userIds: [] })).resolves.toEqual([]);
    expect(fake.calls).toHaveLength(0);
  });

  it('createCustomerFile: POST JSON with channel, name and schema', async () => {
    const { fake, client } = setup(() => jsonResponse(200, { file_id: 1234 }));
    const schema = { 생년월일: 'string', 구매금액: 'number' } as const;
    const res = await client.createCustomerFile({ channelId: '_ZeUTxl', fileName: 'vip_2024', schema });

    const req = fake.last();
    expect(req.method).toBe('POST');
    expect(req.url.pathname).toBe('/v1/talkchannel/create/target_user_file');
    expect(req.url.search).toBe('');
    expect(req.headers.get('authorization')).toBe(`KakaoAK ${KEY}`);
    expect(req.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(req.body!)).toEqual({ channel_public_id: '_ZeUTxl', file_name: 'vip_2024', schema });
    expect(res).toEqual({ fileId: '1234' });
  });

  it('createCustomerFile: a 19-digit file_id in the answer stays exact', async () => {
    const { client } = setup(() => jsonResponse(200, `{"file_id":${BIG_FILE}}`));
    await expect(client.createCustomerFile({ channelId: '_ZeUTxl', fileName: 'f', schema: {} })).resolves.toEqual({
      fileId: BIG_FILE,
    });
  });

  it('listCustomerFiles: GET with channel_public_id', async () => {
    const { fake, client } = setup(() => jsonResponse(200, { results: [] }));
    await client.listCustomerFiles({ channelId: '_frxjem' });
    const req = fake.last();
    expect(req.method).toBe('GET');
    expect(req.url.pathname).toBe('/v1/talkchannel/target_user_file');
    expect(req.url.searchParams.get('channel_public_id')).toBe('_frxjem');
    expect(req.headers.get('authorization')).toBe(`KakaoAK ${KEY}`);
    expect(req.body).toBeUndefined();
  });

  it('addUsers: POST JSON with file_id as a bare number (even 19 digits) and users[].field', async () => {
    const { fake, client } = setup(() => jsonResponse(200, { request_count: 2, success_count: 2 }));
    const users = [{ id: BIG_USER, field: { 성별: 'F', 구매금액: 52000 } }, { id: '1234567891' }];
    await client.addUsers({ fileId: BIG_FILE, channelId: '_ZeUTxl', userType: 'app', users });

    const req = fake.last();
    expect(req.method).toBe('POST');
    expect(req.url.pathname).toBe('/v1/talkchannel/update/target_users');
    expect(req.headers.get('authorization')).toBe(`KakaoAK ${KEY}`);
    expect(req.headers.get('content-type')).toMatch(/^application\/json/);
    // A bare number, not a quoted string, and not rounded.
    expect(req.body).toMatch(new RegExp(`"file_id":${BIG_FILE}[,}]`));
    expect(req.body).not.toContain(`"file_id":"`);
    const body = parseFileBody(req.body);
    expect(body).toEqual({ file_id: BIG_FILE, channel_public_id: '_ZeUTxl', user_type: 'app', users });
    expect((body.users as Record<string, unknown>[])[0]).toHaveProperty('field');
  });

  it('deleteUsers: POST JSON with file_id as a bare number and user_ids as strings', async () => {
    const { fake, client } = setup(() => jsonResponse(200, { request_count: 2, success_count: 1 }));
    const res = await client.deleteUsers({
      fileId: '77',
      channelId: '_ZeUTxl',
      userType: 'phone',
      userIds: ['821012345678', '821098765432'],
    });

    const req = fake.last();
    expect(req.method).toBe('POST');
    expect(req.url.pathname).toBe('/v1/talkchannel/delete/target_users');
    expect(req.headers.get('authorization')).toBe(`KakaoAK ${KEY}`);
    expect(req.headers.get('content-type')).toMatch(/^application\/json/);
    expect(req.body).toMatch(/^\{"file_id":77,/);
    expect(parseFileBody(req.body)).toEqual({
      file_id: '77',
      channel_public_id: '_ZeUTxl',
      user_type: 'phone',
      user_ids: ['821012345678', '821098765432'],
    });
    expect(res).toEqual({ request_count: 2, success_count: 1 });
  });

  it('a non-numeric file ID is refused before any fetch', async () => {
    const { fake, client } = setup();
    const err = await failure(async () =>
      client.deleteUsers({ fileId: '12; drop', channelId: '_ZeUTxl', userType: 'app', userIds: ['1'] }),
    );
    expect(err.code).toBe(-2);
    expect(fake.calls).toHaveLength(0);
  });
});

describe('limits are enforced before any fetch', () => {
  it(`rejects ${MAX_IDS_PER_RELATIONSHIP_CALL + 1} IDs with -2`, async () => {
    const { fake, client } = setup();
    const err = await failure(() => client.checkRelationships({ userIds: ids(MAX_IDS_PER_RELATIONSHIP_CALL + 1) }));
    expect(err.code).toBe(-2);
    expect(err.status).toBeNull();
    expect(fake.calls).toHaveLength(0);
  });

  it(`accepts ${MAX_USERS_PER_FILE_CALL} users and rejects ${MAX_USERS_PER_FILE_CALL + 1} with -2`, async () => {
    const { fake, client } = setup(() => jsonResponse(200, { request_count: 2000, success_count: 2000 }));
    const users = ids(MAX_USERS_PER_FILE_CALL + 1).map((id) => ({ id }));

    await client.addUsers({
      fileId: '1',
      channelId: '_ZeUTxl',
      userType: 'app',
      users: users.slice(0, MAX_USERS_PER_FILE_CALL),
    });
    expect(fake.calls).toHaveLength(1);
    expect((parseFileBody(fake.last().body).users as unknown[]).length).toBe(MAX_USERS_PER_FILE_CALL);

    const err = await failure(() => client.addUsers({ fileId: '1', channelId: '_ZeUTxl', userType: 'app', users }));
    expect(err.code).toBe(-2);
    expect(fake.calls).toHaveLength(1);
  });

  it(`rejects deleting ${MAX_USERS_PER_FILE_CALL + 1} users with -2`, async () => {
    const { fake, client } = setup();
    const err = await failure(() =>
      client.deleteUsers({
        fileId: '1',
        channelId: '_ZeUTxl',
        userType: 'app',
        userIds: ids(MAX_USERS_PER_FILE_CALL + 1),
      }),
    );
    expect(err.code).toBe(-2);
    expect(fake.calls).toHaveLength(0);
  });
});

describe('response parsing', () => {
  it('keeps a 19-digit user_id exact and leaves updated_at out for NONE', async () => {
    const raw = `{"user_id":${BIG_USER},"channels":[
      {"channel_uuid":"@이안알파플친3","channel_public_id":"_frxjem","relation":"ADDED","updated_at":"2018-03-14T05:25:01Z"},
      {"channel_uuid":"@another","channel_public_id":"_xnrxjem","relation":"NONE"}]}`;
    expect(String(JSON.parse(raw).user_id)).not.toBe(BIG_USER); // what a naive parse would do
    const { client } = setup(() => jsonResponse(200, raw));
    const res = await client.checkRelationship({ userId: BIG_USER });

    expect(res.user_id).toBe(BIG_USER);
    expect(res.channels).toHaveLength(2);
    expect(res.channels[0]).toMatchObject({
      channel_public_id: '_frxjem',
      relation: 'ADDED',
      updated_at: '2018-03-14T05:25:01Z',
    });
    expect(res.channels[1]!.relation).toBe('NONE');
    expect(res.channels[1]!.updated_at ?? undefined).toBeUndefined();
  });

  it('maps a relation value Kakao may add later to UNKNOWN', async () => {
    const { client } = setup(() =>
      jsonResponse(200, {
        user_id: 5,
        channels: [
          { channel_public_id: '_a1', relation: 'PENDING' },
          { channel_public_id: '_b2', relation: 'BLOCKED', updated_at: '2024-05-02T01:02:03Z' },
        ],
      }),
    );
    const res = await client.checkRelationship({ userId: '5' });
    expect(res.channels.map((c) => c.relation)).toEqual(['UNKNOWN', 'BLOCKED']);
  });

  it('parses a /multi array keeping every 19-digit user_id exact', async () => {
    const users = [BIG_USER, '9223372036854775807', '111'];
    const entry = (u: string) => `{"user_id":${u},"channels":[{"channel_public_id":"_ZeUTxl","relation":"NONE"}]}`;
    const raw = `[${users.map(entry).join(',')}]`;
    const { client } = setup(() => jsonResponse(200, raw));
    const res = await client.checkRelationships({ userIds: users });
    expect(res.map((r) => r.user_id)).toEqual(users);
  });

  it('normalises the update_at spelling of the file list to updated_at', async () => {
    const { client } = setup(() =>
      jsonResponse(
        200,
        `{"empty_slot":28,"using_slot":2,"results":[
          {"file_id":${BIG_FILE},"file_name":"vip","status":"active",
           "update_at":"2024-05-02T01:02:03Z","schema":{"성별":"string"}},
          {"file_id":5,"file_name":"new","updated_at":"2024-06-01T00:00:00Z"}]}`,
      ),
    );
    const res = await client.listCustomerFiles({ channelId: '_ZeUTxl' });
    expect(res.empty_slot).toBe(28);
    expect(res.using_slot).toBe(2);
    expect(res.results[0]).toEqual({
      file_id: BIG_FILE,
      file_name: 'vip',
      status: 'active',
      updated_at: '2024-05-02T01:02:03Z',
      schema: { 성별: 'string' },
      schemaKnown: true,
    });
    expect(res.results[0]).not.toHaveProperty('update_at');
    expect(res.results[1]).toMatchObject({ file_id: '5', updated_at: '2024-06-01T00:00:00Z', schema: {} });
  });
});

describe('error paths', () => {
  it.each([
    { status: 401, code: -401, msg: 'wrong appKey format or unregistered appKey', retryable: false },
    { status: 400, code: -10, msg: 'API limit has been exceeded.', retryable: false },
    { status: 400, code: -819, msg: 'channel is not connected to app', retryable: false },
    { status: 400, code: -817, msg: 'file name already exists', retryable: false },
    { status: 400, code: -1, msg: 'internal server error', retryable: true },
  ])('Kakao error body $code (HTTP $status) → KakaoApiError', async ({ status, code, msg, retryable }) => {
    const { client } = setup(() => jsonResponse(status, { msg, code }));
    const err = await failure(() => client.listCustomerFiles({ channelId: '_ZeUTxl' }));
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
    expect(err.retryable).toBe(retryable);
    expect(err.detail).toBe(msg);
    expect(err.explanation.ko).toContain(String(code));
  });

  it('a 503 with a non-JSON body is a retryable server error', async () => {
    const { client } = setup(() => textResponse(503, '<html>Service Unavailable</html>', 'text/html'));
    const err = await failure(() => client.checkRelationship({ userId: '1' }));
    expect(err.status).toBe(503);
    expect(err.code).toBe(-1);
    expect(err.retryable).toBe(true);
  });

  it('a 4xx with a non-JSON body is an invalid response, not retried', async () => {
    const { client } = setup(() => textResponse(404, 'Not Found'));
    const err = await failure(() => client.checkRelationship({ userId: '1' }));
    expect(err.code).toBe('invalid_response');
    expect(err.status).toBe(404);
    expect(err.retryable).toBe(false);
  });

  it.each([
    ['wrong shape', JSON.stringify({ hello: 'world' })],
    ['not JSON', '<html>ok</html>'],
    ['empty body', ''],
    // A bad timestamp alone is tolerated now (the time is left out): test/unit/tolerance.test.ts.
  ])('a 200 with a malformed body (%s) → invalid_response', async (_label, body) => {
    const { client } = setup(() => textResponse(200, body, 'application/json'));
    const err = await failure(() => client.checkRelationship({ userId: '1' }));
    expect(err.code).toBe('invalid_response');
    expect(err.status).toBe(200);
    expect(err.retryable).toBe(false);
  });

  it('a fetch that throws → network (retryable)', async () => {
    const { client } = setup(() => {
      throw new TypeError('fetch failed');
    });
    const err = await failure(() => client.checkRelationship({ userId: '1' }));
    expect(err.code).toBe('network');
    expect(err.status).toBeNull();
    expect(err.retryable).toBe(true);
  });

  it('no saved key → no_key, and nothing is sent', async () => {
    const { fake, client } = setup(undefined, { getKey: async () => null });
    const err = await failure(() => client.checkRelationship({ userId: '1' }));
    expect(err.code).toBe('no_key');
    expect(err.retryable).toBe(false);
    expect(fake.calls).toHaveLength(0);
  });

  /** A fetch that only settles when its signal aborts, like a hung connection. */
  const hangingFetch: Responder = (req) =>
    new Promise<Response>((_resolve, reject) => {
      if (!req.signal) return reject(new Error('no signal passed to fetch'));
      req.signal.addEventListener('abort', () => reject(req.signal!.reason), { once: true });
    });

  it('a request that outlives timeoutMs → timeout (retryable)', async () => {
    const { fake, client } = setup(hangingFetch, { timeoutMs: 50 });
    const started = Date.now();
    const err = await failure(() => client.checkRelationship({ userId: '1' }));
    expect(err.code).toBe('timeout');
    expect(err.retryable).toBe(true);
    expect(fake.last().signal?.aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("the caller's own abort → cancelled (not retryable)", async () => {
    const { client } = setup(hangingFetch, { timeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = failure(() => client.checkRelationship({ userId: '1' }, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 10);
    const err = await pending;
    expect(err.code).toBe('cancelled');
    expect(err.retryable).toBe(false);
  });
});

describe('the key never leaks into errors', () => {
  function expectNoKey(err: KakaoApiError, key = KEY) {
    expect(err.message).not.toContain(key);
    expect(err.detail ?? '').not.toContain(key);
    expect(JSON.stringify(err.toInfo())).not.toContain(key);
    expect(JSON.stringify(err.explanation)).not.toContain(key);
  }

  it.each([
    ['the bare key', `unregistered appKey: ${KEY}`],
    ['"KakaoAK <key>"', `invalid Authorization header: KakaoAK ${KEY}`],
    ['the key in upper case', `no such key ${KEY.toUpperCase()}`],
    ['the key twice, in JSON-ish text', `{"key":"${KEY}","header":"KakaoAK ${KEY}"}`],
  ])("Kakao's msg echoing %s is redacted", async (_label, msg) => {
    const { client } = setup(() => jsonResponse(401, { code: -401, msg }));
    const err = await failure(() => client.checkRelationship({ userId: '1' }));
    expect(err.code).toBe(-401);
    expect(err.detail).toBeTruthy();
    expectNoKey(err);
    expectNoKey(err, KEY.toUpperCase());
  });

  it('the key is not in invalid_response, network, timeout or 5xx errors', async () => {
    const cases: Responder[] = [
      () => textResponse(200, `not json ${KEY}`),
      () => textResponse(502, `bad gateway KakaoAK ${KEY}`),
      () => {
        throw new TypeError(`connect failed for KakaoAK ${KEY}`);
      },
    ];
    for (const responder of cases) {
      const { client } = setup(responder);
      expectNoKey(await failure(() => client.checkRelationship({ userId: '1' })));
    }
  });

  // Kakao's msg may glue the key to other text, and a saved key need not be 32 hex
  // characters: the client scrubs the key it actually sent, not only key-shaped text.
  it.each([
    ['glued to a word character', KEY, `appkey_${KEY}`],
    ['a key that is not 32 hex characters', 'my-rest-api-key-Z9', 'unregistered appKey my-rest-api-key-Z9'],
  ])('redacts the key when the echo is %s', async (_label, key, msg) => {
    const { client } = setup(() => jsonResponse(401, { code: -401, msg }), { getKey: async () => key });
    expectNoKey(await failure(() => client.checkRelationship({ userId: '1' })), key);
  });
});
