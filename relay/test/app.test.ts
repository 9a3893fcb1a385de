import { beforeEach, describe, expect, it } from 'vitest';
import { createKakaoSimulator, SIM_ADMIN_KEY, type KakaoSimulator } from '../../lib/simulator/model';
import { createRelayApp } from '../src/app.js';
import type { AuditLine } from '../src/audit.js';
import { configFromEnv, type RelayEnv } from '../src/config.js';

/*
 * The relay app (Hono's fetch handler, no socket) in front of the Kakao simulator's model: every upstream request the
 * relay makes is recorded as it left the relay, and answered by the same code that serves the simulator over HTTP.
 */

const ALICE = 'alice-token-0123456789';
const BOB = 'bob-token-abcdefghijk';
const ENV: RelayEnv = {
  KAKAO_ADMIN_KEY: SIM_ADMIN_KEY,
  KAKAO_API_ORIGIN: 'http://kakao.test',
  RELAY_TOKENS: `alice:${ALICE},bob:${BOB}`,
};
const USER_IDS = ['1234567890123456789', '2234567890123456789', '3234567890123456789'];

interface Sent {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string;
}

let sim: KakaoSimulator;
let sent: Sent[];
let audit: AuditLine[];
let clock: number;

/** The upstream: the simulator's model, reached as if over the network. */
async function simFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(String(input));
  const headers = Object.fromEntries(new Headers(init?.headers).entries());
  const body = init?.body ? new TextDecoder().decode(init.body as ArrayBuffer) : '';
  sent.push({ url, method: init?.method ?? 'GET', headers, body });
  const result = sim.handle({ method: init?.method ?? 'GET', url: url.pathname + url.search, headers, body });
  if (!result.response) throw new TypeError('fetch failed');
  return new Response(result.response.body, { status: result.response.status, headers: result.response.headers });
}

async function relayWith(env: RelayEnv = {}, upstream: typeof fetch = simFetch) {
  const config = await configFromEnv({ ...ENV, ...env });
  return createRelayApp(config, { audit: (line) => audit.push(line), fetch: upstream, now: () => clock });
}

function call(
  app: Awaited<ReturnType<typeof relayWith>>,
  path: string,
  init: { method?: string; token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== null) headers.authorization ??= `Bearer ${init.token ?? ALICE}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  return app.fetch(new Request(`https://relay.example.com${path}`, { method: init.method ?? 'GET', headers, body }));
}

const multiPath = (ids: string[], channels?: string) =>
  `/v2/api/talk/channels/multi?target_id_type=user_id&target_ids=${ids.join(',')}` +
  (channels ? `&channel_ids=${channels}&channel_id_type=channel_public_id` : '');

beforeEach(() => {
  sim = createKakaoSimulator();
  sent = [];
  audit = [];
  clock = Date.parse('2026-11-30T07:00:00Z');
});

describe('the allow-list: six Kakao calls, method and path', () => {
  it('forwards each of the six calls to the same path and query on Kakao, with the relay key', async () => {
    const app = await relayWith();
    const file = await call(app, '/v1/talkchannel/create/target_user_file', {
      method: 'POST',
      body: { channel_public_id: '_ZeUTxl', file_name: 'vip', schema: { 구매금액: 'number' } },
    });
    expect(file.status).toBe(200);
    const { file_id } = (await file.json()) as { file_id: number };
    const calls: [string, string, unknown?][] = [
      ['GET', '/v2/api/talk/channels?target_id_type=user_id&target_id=42&channel_ids=_ZeUTxl'],
      ['GET', multiPath(USER_IDS, '_ZeUTxl,_frxjem')],
      ['GET', '/v1/talkchannel/target_user_file?channel_public_id=_ZeUTxl'],
      [
        'POST',
        '/v1/talkchannel/update/target_users',
        { file_id, channel_public_id: '_ZeUTxl', user_type: 'app', users: [{ id: '42', field: { 구매금액: 1 } }] },
      ],
      [
        'POST',
        '/v1/talkchannel/delete/target_users',
        { file_id, channel_public_id: '_ZeUTxl', user_type: 'app', user_ids: ['42'] },
      ],
    ];
    for (const [method, path, body] of calls) {
      const res = await call(app, path, { method, body });
      expect(res.status, path).toBe(200);
    }
    expect(sent.map((s) => `${s.method} ${s.url.pathname}${s.url.search}`)).toEqual([
      'POST /v1/talkchannel/create/target_user_file',
      ...calls.map(([method, path]) => `${method} ${path}`),
    ]);
    for (const s of sent) {
      expect(s.url.origin).toBe('http://kakao.test');
      expect(s.headers.authorization).toBe(`KakaoAK ${SIM_ADMIN_KEY}`);
    }
    expect(sim.fileUsers(String(file_id))?.size ?? 0).toBe(0); // added, then deleted: the writes reached the model
  });

  it.each([
    ['GET', '/v1/user/me'],
    ['GET', '/v1/api/talk/channels?target_id=1'],
    ['GET', '/v2/api/talk/channels/'],
    ['POST', '/v2/api/talk/channels'],
    ['GET', '/v1/talkchannel/update/target_users'],
    ['DELETE', '/v1/talkchannel/target_user_file'],
    ['HEAD', '/v2/api/talk/channels?target_id=1'],
    ['GET', '/v2/api/talk/channels/multi/../../../v1/user/me'],
  ])('%s %s: 404 with a JSON error, nothing sent to Kakao', async (method, path) => {
    const app = await relayWith();
    const res = await call(app, path, { method });
    expect(res.status).toBe(404);
    if (method !== 'HEAD') expect(await res.json()).toMatchObject({ code: 'relay_not_found' });
    expect(sent).toEqual([]);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ endpoint: null, status: 404, relayError: 'relay_not_found', token: null });
  });

  it('GET /health answers for load balancers without a token, and is not a Kakao call', async () => {
    const app = await relayWith();
    const res = await call(app, '/health', { token: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(sent).toEqual([]);
    expect(audit).toEqual([]);
  });
});

describe('managers authenticate with their token', () => {
  it.each([
    ['no Authorization header', null],
    ['an unknown token', 'not-a-known-token-123'],
    ['a token that differs in its last character', `${ALICE.slice(0, -1)}X`],
  ])('%s: 401 relay_auth, nothing sent to Kakao', async (_label, token) => {
    const app = await relayWith();
    const res = await call(app, multiPath(USER_IDS), { token });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'relay_auth' });
    expect(sent).toEqual([]);
    expect(audit[0]).toMatchObject({ token: null, status: 401, relayError: 'relay_auth', upstreamStatus: null });
  });

  it('the Admin key itself, or a KakaoAK header, is no relay token', async () => {
    const app = await relayWith();
    for (const authorization of [`KakaoAK ${SIM_ADMIN_KEY}`, `Bearer ${SIM_ADMIN_KEY}`, `Basic ${btoa('alice:x')}`]) {
      const res = await call(app, multiPath(USER_IDS), { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
    }
    expect(sent).toEqual([]);
  });

  it('a token stored as its SHA-256 (the relay:token command) is accepted; its plain text is not needed', async () => {
    const hash = Array.from(
      new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('carol-token-0123456789'))),
      (b) => b.toString(16).padStart(2, '0'),
    ).join('');
    const app = await relayWith({ RELAY_TOKENS: `carol:sha256:${hash}` });
    expect((await call(app, multiPath(USER_IDS), { token: 'carol-token-0123456789' })).status).toBe(200);
    expect((await call(app, multiPath(USER_IDS), { token: `sha256:${hash}` })).status).toBe(401);
    expect(audit.map((l) => l.token)).toEqual(['carol', null]);
  });
});

describe('RELAY_CHANNELS: the channels a relay serves', () => {
  it('a channel outside the list: 403 relay_channel, in the query or in a JSON body, nothing sent', async () => {
    const app = await relayWith({ RELAY_CHANNELS: '_ZeUTxl' });
    const refused = [
      await call(app, multiPath(USER_IDS, '_ZeUTxl,_frxjem')),
      await call(app, `${multiPath(USER_IDS, '_ZeUTxl')}&channel_ids=_frxjem`), // a repeated parameter counts too
      await call(app, '/v1/talkchannel/target_user_file?channel_public_id=_frxjem'),
      await call(app, '/v1/talkchannel/delete/target_users', {
        method: 'POST',
        body: { file_id: 1, channel_public_id: '_frxjem', user_type: 'app', user_ids: ['1'] },
      }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      const body = (await res.json()) as { code: string; msg: string };
      expect(body.code).toBe('relay_channel');
      expect(body.msg).toContain('_frxjem');
    }
    expect(sent).toEqual([]);
    expect(audit.map((l) => [l.status, l.relayError, l.channel])).toEqual([
      [403, 'relay_channel', '_ZeUTxl,_frxjem'],
      [403, 'relay_channel', '_ZeUTxl,_frxjem'],
      [403, 'relay_channel', '_frxjem'],
      [403, 'relay_channel', '_frxjem'],
    ]);
  });

  it('a channel on the list is forwarded', async () => {
    const app = await relayWith({ RELAY_CHANNELS: '_ZeUTxl, _frxjem' });
    expect((await call(app, multiPath(USER_IDS, '_frxjem'))).status).toBe(200);
    expect((await call(app, '/v1/talkchannel/target_user_file?channel_public_id=_ZeUTxl')).status).toBe(200);
    expect(sent).toHaveLength(2);
  });

  it('a check that names no channel ("every linked channel") is narrowed to the served channels', async () => {
    const app = await relayWith({ RELAY_CHANNELS: '_frxjem' });
    const res = await call(app, '/v2/api/talk/channels?target_id_type=user_id&target_id=42');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { channels: { channel_public_id: string }[] };
    expect(body.channels.map((c) => c.channel_public_id)).toEqual(['_frxjem']);
    expect(sent[0]!.url.searchParams.get('channel_ids')).toBe('_frxjem');
    expect(audit[0]!.channel).toBe('_frxjem');
    // Without a list, the same call reaches every linked channel, as without a relay.
    const open = await relayWith();
    const all = (await (await call(open, '/v2/api/talk/channels?target_id_type=user_id&target_id=42')).json()) as {
      channels: unknown[];
    };
    expect(all.channels).toHaveLength(2);
  });

  it('a file call whose channel cannot be read is refused when there is a list, forwarded when there is none', async () => {
    const noChannel = { file_id: 1, user_type: 'app', user_ids: ['1'] };
    const listed = await relayWith({ RELAY_CHANNELS: '_ZeUTxl' });
    for (const body of [noChannel, 'file_id=1&channel_public_id=_ZeUTxl']) {
      const res = await call(listed, '/v1/talkchannel/delete/target_users', { method: 'POST', body });
      expect(res.status).toBe(403);
    }
    expect(sent).toEqual([]);
    const open = await relayWith();
    const res = await call(open, '/v1/talkchannel/delete/target_users', { method: 'POST', body: noChannel });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: -2 }); // Kakao's own answer
  });
});

describe('RELAY_RATE: calls a minute per token', () => {
  it('over the rate: 429 with Retry-After; other tokens go on; the allowance comes back with time', async () => {
    const app = await relayWith({ RELAY_RATE: '3' });
    for (let i = 0; i < 3; i++) expect((await call(app, multiPath(USER_IDS))).status).toBe(200);
    const over = await call(app, multiPath(USER_IDS));
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({ code: 'relay_rate' });
    // 3 a minute: one call comes back every 20 s.
    expect(over.headers.get('retry-after')).toBe('20');
    expect(sent).toHaveLength(3);
    expect((await call(app, multiPath(USER_IDS), { token: BOB })).status).toBe(200);
    clock += 19_000;
    expect((await call(app, multiPath(USER_IDS))).status).toBe(429);
    clock += 1_000;
    expect((await call(app, multiPath(USER_IDS))).status).toBe(200);
    expect(audit.filter((l) => l.relayError === 'relay_rate').map((l) => l.token)).toEqual(['alice', 'alice']);
  });

  it('the default is 600 a minute', async () => {
    const app = await relayWith();
    for (let i = 0; i < 600; i++) await call(app, '/v1/talkchannel/target_user_file?channel_public_id=_ZeUTxl');
    expect((await call(app, '/v1/talkchannel/target_user_file?channel_public_id=_ZeUTxl')).status).toBe(429);
    expect(sent).toHaveLength(600);
  });
});

describe('the audit log', () => {
  it('one line per call: time, token name, endpoint, channel, batch size, statuses, Kakao code, duration', async () => {
    const app = await relayWith();
    await call(app, multiPath(USER_IDS, '_ZeUTxl'));
    sim.setAccess({ channelErrors: { _frxjem: { code: -819 } } });
    await call(app, '/v1/talkchannel/update/target_users', {
      method: 'POST',
      token: BOB,
      body: { file_id: 7, channel_public_id: '_frxjem', user_type: 'phone', users: [{ id: '01012345678' }] },
    });
    expect(audit).toEqual([
      {
        time: '2026-11-30T07:00:00.000Z',
        token: 'alice',
        method: 'GET',
        endpoint: '/v2/api/talk/channels/multi',
        channel: '_ZeUTxl',
        batch: 3,
        status: 200,
        upstreamStatus: 200,
        code: null,
        relayError: null,
        durationMs: 0,
      },
      {
        time: '2026-11-30T07:00:00.000Z',
        token: 'bob',
        method: 'POST',
        endpoint: '/v1/talkchannel/update/target_users',
        channel: '_frxjem',
        batch: 1,
        status: 400,
        upstreamStatus: 400,
        code: -819,
        relayError: null,
        durationMs: 0,
      },
    ]);
  });

  it('the duration is measured from arrival to answer', async () => {
    const app = await relayWith({}, async (input, init) => {
      clock += 250;
      return simFetch(input, init);
    });
    await call(app, multiPath(USER_IDS));
    expect(audit[0]!.durationMs).toBe(250);
  });

  it('never holds the key, a token, user IDs or phone numbers', async () => {
    const app = await relayWith({ RELAY_CHANNELS: '_ZeUTxl' });
    await call(app, multiPath(USER_IDS, '_ZeUTxl'));
    await call(app, `/v2/api/talk/channels?target_id_type=user_id&target_id=${USER_IDS[0]}`);
    await call(app, multiPath(USER_IDS, '_frxjem'));
    await call(app, '/v1/talkchannel/update/target_users', {
      method: 'POST',
      body: { file_id: 1, channel_public_id: '_ZeUTxl', user_type: 'phone', users: [{ id: '01098765432' }] },
    });
    await call(app, multiPath(USER_IDS), { token: 'wrong-token-0123456789' });
    await call(app, `/v1/user/${USER_IDS[0]}`);
    expect(audit).toHaveLength(6);
    const text = audit.map((l) => JSON.stringify(l)).join('\n');
    for (const secret of [SIM_ADMIN_KEY, ALICE, 'wrong-token-0123456789', ...USER_IDS, '01098765432', '98765432']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe("Kakao's answers pass through unchanged", () => {
  it('a Kakao error (-401 ip mismatched) keeps its status and exact body', async () => {
    sim.setAccess({ ipMismatch: { callerIp: '203.0.113.7' } });
    const headers = { authorization: `KakaoAK ${SIM_ADMIN_KEY}` };
    const direct = sim.handle({ method: 'GET', url: multiPath(USER_IDS), headers, body: '' }).response!;
    const app = await relayWith();
    const res = await call(app, multiPath(USER_IDS));
    expect(res.status).toBe(401);
    expect(await res.text()).toBe(direct.body);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(audit[0]).toMatchObject({ status: 401, upstreamStatus: 401, code: -401, relayError: null });
  });

  it('a wrong relay key: Kakao says -401, and the manager sees that, not a relay error', async () => {
    const app = await relayWith({ KAKAO_ADMIN_KEY: 'ffffffffffffffffffffffffffffffff' });
    const res = await call(app, multiPath(USER_IDS));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ msg: 'wrong appKey format or unregistered appKey', code: -401 });
  });

  it('a 200 answer is returned byte for byte (19-digit user IDs stay bare numbers)', async () => {
    const app = await relayWith();
    const res = await call(app, multiPath(USER_IDS, '_ZeUTxl'));
    const text = await res.text();
    for (const id of USER_IDS) expect(text).toContain(`"user_id":${id}`);
    sim.clearLog();
    const direct = sim.handle({
      method: 'GET',
      url: multiPath(USER_IDS, '_ZeUTxl'),
      headers: sent[0]!.headers,
      body: '',
    });
    expect(text).toBe(direct.response!.body);
  });

  it('Kakao unreachable: 502 relay_upstream; no answer in time: 504 relay_timeout', async () => {
    const down = await relayWith({}, () => Promise.reject(new TypeError('fetch failed')));
    const res = await call(down, multiPath(USER_IDS));
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: 'relay_upstream' });
    const slow = await relayWith(
      { RELAY_UPSTREAM_TIMEOUT_MS: '50' },
      (_input, init) =>
        new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason))),
    );
    const late = await call(slow, multiPath(USER_IDS));
    expect(late.status).toBe(504);
    expect(await late.json()).toMatchObject({ code: 'relay_timeout' });
    expect(audit.map((l) => [l.status, l.upstreamStatus, l.relayError])).toEqual([
      [502, null, 'relay_upstream'],
      [504, null, 'relay_timeout'],
    ]);
  });
  it('a manager who goes away mid-call: the Kakao call is abandoned and the log says relay_cancelled', async () => {
    let upstreamAborted = false;
    const app = await relayWith(
      {},
      (_input, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => {
            upstreamAborted = true;
            reject(init.signal!.reason);
          }),
        ),
    );
    const leaving = new AbortController();
    const answer = app.fetch(
      new Request(`https://relay.example.com${multiPath(USER_IDS)}`, {
        headers: { authorization: `Bearer ${ALICE}` },
        signal: leaving.signal,
      }),
    );
    await new Promise((r) => setTimeout(r, 20));
    leaving.abort();
    expect((await answer).status).toBe(499);
    expect(upstreamAborted).toBe(true);
    expect(audit[0]).toMatchObject({ status: 499, upstreamStatus: null, relayError: 'relay_cancelled' });
  });

  it('an answer without a body (204) passes through as one', async () => {
    const app = await relayWith({}, async () => new Response(null, { status: 204 }));
    const res = await call(app, multiPath(USER_IDS));
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });
});

describe('what is sent to Kakao, and what comes back', () => {
  it("strips the browser's Origin, Referer, Cookie and forwarding headers; replaces Authorization", async () => {
    const app = await relayWith();
    await call(app, '/v1/talkchannel/create/target_user_file', {
      method: 'POST',
      body: { channel_public_id: '_ZeUTxl', file_name: 'f', schema: {} },
      headers: {
        origin: 'chrome-extension://abcdefghijklmnop',
        referer: 'https://admin.example.com/users',
        cookie: 'session=1',
        'x-forwarded-for': '198.51.100.1',
        connection: 'keep-alive',
        'user-agent': 'Mozilla/5.0',
      },
    });
    expect(Object.keys(sent[0]!.headers).sort()).toEqual(['authorization', 'content-type']);
    expect(sent[0]!.headers['content-type']).toBe('application/json');
    expect(sent[0]!.body).toBe('{"channel_public_id":"_ZeUTxl","file_name":"f","schema":{}}');
  });

  it('answers no CORS headers and passes no cookies back', async () => {
    const app = await relayWith({}, async () =>
      Response.json(
        { ok: 1 },
        { headers: { 'set-cookie': 'a=b', 'access-control-allow-origin': '*', 'x-kakao-internal': 'x' } },
      ),
    );
    const res = await call(app, multiPath(USER_IDS), { headers: { origin: 'https://evil.example' } });
    expect([...res.headers.keys()]).toEqual(['content-type']);
  });

  it('a Kakao message that echoes the key reaches neither the manager nor the log', async () => {
    const app = await relayWith({}, async (_input, init) => {
      const auth = new Headers(init?.headers).get('authorization');
      return Response.json(
        { code: -401, msg: `wrong appKey=${auth}` },
        { status: 401, headers: { 'www-authenticate': `${auth}` } },
      );
    });
    const res = await call(app, multiPath(USER_IDS));
    const text = await res.text();
    expect(text).not.toContain(SIM_ADMIN_KEY);
    expect(JSON.parse(text)).toEqual({ code: -401, msg: 'wrong appKey=KakaoAK [redacted]' });
    expect(res.headers.get('www-authenticate')).toBe('KakaoAK [redacted]');
    expect(JSON.stringify(audit)).not.toContain(SIM_ADMIN_KEY);
  });

  it('no relay error, Kakao error or success answer contains the key', async () => {
    const app = await relayWith({ RELAY_CHANNELS: '_ZeUTxl', RELAY_RATE: '5' });
    const answers = [
      await call(app, multiPath(USER_IDS, '_ZeUTxl')),
      await call(app, multiPath(USER_IDS, '_frxjem')),
      await call(app, '/v1/talkchannel/target_user_file'),
      await call(app, multiPath(USER_IDS), { token: null }),
      await call(app, '/nope'),
      await call(app, '/v2/api/talk/channels/multi?target_id_type=user_id&channel_ids=_ZeUTxl'),
      await call(app, multiPath(USER_IDS, '_ZeUTxl')),
      await call(app, multiPath(USER_IDS, '_ZeUTxl')),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 403, 403, 401, 404, 400, 200, 429]);
    for (const res of answers) {
      expect(await res.text()).not.toContain(SIM_ADMIN_KEY);
      expect(JSON.stringify([...res.headers])).not.toContain(SIM_ADMIN_KEY);
    }
  });
});
