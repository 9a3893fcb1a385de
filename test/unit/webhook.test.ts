import { describe, expect, it } from 'vitest';
import {
  buildWebhookRequest,
  createWebhookVerifier,
  KAKAO_WEBHOOK_USER_AGENT,
  MAX_RESOURCE_ID_LENGTH,
  WebhookPayload,
  webhookVerdict,
} from '../../lib/webhook';
import { FAKE_ADMIN_KEY, probeVerdict } from '../../lib/webhook/verdict';
import { samplePayload, sendTestWebhook, WebhookTestInput } from '../../lib/webhook/tester';
import { webhookUrlProblem } from '../../lib/webhook/sample';
import { createFakeFetch, textResponse } from './fake-fetch';

const KEY = '0123456789abcdef0123456789abcdef';
const FIELDS = {
  url: 'https://hooks.example.test/kakao',
  event: 'blocked',
  idType: 'open_id',
  id: 'opaque-123',
  channelId: '_ZeUTxl',
  channelUuid: '@채널데스크',
} as const;

describe('webhook request (as Kakao sends it)', () => {
  it('has exactly Kakao’s headers and a payload that matches the schema', () => {
    const req = buildWebhookRequest(samplePayload(FIELDS, Date.UTC(2024, 4, 2, 1, 2, 3, 456)), KEY);
    expect(req.method).toBe('POST');
    expect(req.headers.Authorization).toBe(`KakaoAK ${KEY}`);
    expect(req.headers['X-Kakao-Resource-ID']).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(req.headers['User-Agent']).toBe('KakaoOpenAPI/1.0');
    expect(req.headers['Content-Type']).toBe('application/json');
    const body = JSON.parse(req.body);
    expect(body).toEqual({
      event: 'blocked',
      id: 'opaque-123',
      id_type: 'open_id',
      channel_public_id: '_ZeUTxl',
      channel_uuid: '@채널데스크',
      updated_at: '2024-05-02T01:02:03Z',
    });
    expect(WebhookPayload.safeParse(body).success).toBe(true);
  });

  it('a new resource ID for every delivery', () => {
    const ids = new Set(
      Array.from(
        { length: 50 },
        () => buildWebhookRequest(samplePayload(FIELDS, 0), KEY).headers['X-Kakao-Resource-ID'],
      ),
    );
    expect(ids.size).toBe(50);
  });

  it('the tester input accepts http(s) URLs only', () => {
    expect(WebhookTestInput.safeParse(FIELDS).success).toBe(true);
    expect(WebhookTestInput.safeParse({ ...FIELDS, url: 'ftp://x.test/' }).success).toBe(false);
    expect(WebhookTestInput.safeParse({ ...FIELDS, url: 'not a url' }).success).toBe(false);
    expect(WebhookTestInput.safeParse({ ...FIELDS, event: 'deleted' }).success).toBe(false);
  });

  it('refuses plain http to another machine (the request carries the real key); allows http only to loopback', () => {
    for (const url of [
      'http://hooks.example.test/kakao',
      'http://10.0.0.5/hook',
      'http://128.0.0.1/hook',
      'http://localhost.example.test/',
    ]) {
      expect(webhookUrlProblem(url), url).toBe('insecure');
      expect(WebhookTestInput.safeParse({ ...FIELDS, url }).success, url).toBe(false);
    }
    for (const url of [
      'https://hooks.example.test/kakao',
      'http://127.0.0.1:8080/hook',
      'http://127.9.8.7/hook',
      'http://localhost:3000/',
      'http://[::1]:9000/',
    ]) {
      expect(webhookUrlProblem(url), url).toBeNull();
      expect(WebhookTestInput.safeParse({ ...FIELDS, url }).success, url).toBe(true);
    }
    expect(webhookUrlProblem('ftp://x.test/')).toBe('invalid');
    expect(webhookUrlProblem('not a url')).toBe('invalid');
  });
});

describe('Kakao’s verdict', () => {
  it.each([
    [{ status: 200, ms: 120 }, { pass: true }],
    [{ status: 204, ms: 2999 }, { pass: true }],
    [
      { status: 200, ms: 3001 },
      { pass: false, reason: 'slow' },
    ],
    [
      { status: 302, ms: 10 },
      { pass: false, reason: 'redirect' },
    ],
    [
      { status: null, redirected: true, ms: 10 },
      { pass: false, reason: 'redirect' },
    ],
    [
      { status: 404, ms: 10 },
      { pass: false, reason: 'client_error' },
    ],
    [
      { status: 503, ms: 10 },
      { pass: false, reason: 'server_error' },
    ],
    [
      { status: 101, ms: 10 },
      { pass: false, reason: 'unexpected_status' },
    ],
    [
      { status: null, ms: 10_000, transportError: 'no_answer' as const },
      { pass: false, reason: 'no_answer' },
    ],
    [
      { status: null, ms: 3, transportError: 'network' as const },
      { pass: false, reason: 'network' },
    ],
  ])('%j → %j', (outcome, verdict) => {
    expect(webhookVerdict(outcome)).toEqual(verdict);
  });

  it('the tester sends Kakao’s request with redirects not followed, and reports status and time', async () => {
    const fake = createFakeFetch(() => textResponse(500, 'boom'));
    const result = await sendTestWebhook(FIELDS, KEY, { fetch: fake.fetch });
    expect(fake.calls).toHaveLength(1);
    const call = fake.calls[0]!;
    expect(call.method).toBe('POST');
    expect(call.headers.get('authorization')).toBe(`KakaoAK ${KEY}`);
    expect(call.headers.get('x-kakao-resource-id')).toBe(result.resourceId);
    expect(result).toMatchObject({
      status: 500,
      pass: false,
      reason: 'server_error',
      event: 'blocked',
      url: FIELDS.url,
    });
    expect(JSON.stringify(result)).not.toContain(KEY);
  });
});

describe('conformance probes', () => {
  it.each([
    ['duplicate', { status: 200, ms: 50 }, { verdict: 'pass' }],
    ['duplicate', { status: 409, ms: 50 }, { verdict: 'fail', reason: 'client_error' }],
    ['duplicate', { status: 200, ms: 3500 }, { verdict: 'fail', reason: 'slow' }],
    ['wrong-auth', { status: 401, ms: 5 }, { verdict: 'pass' }],
    ['wrong-auth', { status: 403, ms: 5000 }, { verdict: 'pass' }],
    ['wrong-auth', { status: 200, ms: 5 }, { verdict: 'fail', reason: 'accepts_wrong_key' }],
    ['wrong-auth', { status: 204, ms: 5 }, { verdict: 'fail', reason: 'accepts_wrong_key' }],
    ['wrong-auth', { status: 400, ms: 5 }, { verdict: 'warn', reason: 'wrong_key_status' }],
    ['wrong-auth', { status: 500, ms: 5 }, { verdict: 'warn', reason: 'wrong_key_status' }],
    ['wrong-auth', { status: 302, ms: 5 }, { verdict: 'warn', reason: 'redirect' }],
    ['wrong-auth', { status: null, ms: 5, transportError: 'network' as const }, { verdict: 'warn', reason: 'network' }],
    ['id-type:open_id', { status: 200, ms: 5 }, { verdict: 'pass' }],
    ['id-type:app_user_id', { status: 422, ms: 5 }, { verdict: 'fail', reason: 'client_error' }],
  ] as const)('%s: %j → %j', (probe, outcome, judged) => {
    expect(probeVerdict(probe, outcome)).toEqual(judged);
  });

  it('none are sent unless asked for', async () => {
    const fake = createFakeFetch(() => textResponse(200, 'ok'));
    const result = await sendTestWebhook(FIELDS, KEY, { fetch: fake.fetch });
    expect(fake.calls).toHaveLength(1);
    expect(result.probes).toBeUndefined();
  });

  it('sends the duplicate with the same resource ID and body, the fake key, and both id_types, each judged on its own', async () => {
    let clock = 0;
    // A receiver that never checks the key, and takes 3.2 s (on the injected clock) for the fifth request.
    const fake = createFakeFetch(() => {
      clock += fake.calls.length === 5 ? 3200 : 40;
      return textResponse(200, 'ok');
    });
    const result = await sendTestWebhook(
      { ...FIELDS, idType: 'app_user_id', id: '4242', probes: ['duplicate', 'wrong-auth', 'id-types'] },
      KEY,
      { fetch: fake.fetch, now: () => clock },
    );
    expect(fake.calls).toHaveLength(5);
    const [main, dup, wrong, app, open] = fake.calls;
    expect(dup!.headers.get('x-kakao-resource-id')).toBe(main!.headers.get('x-kakao-resource-id'));
    expect(dup!.body).toBe(main!.body);
    expect(dup!.headers.get('authorization')).toBe(`KakaoAK ${KEY}`);

    expect(wrong!.headers.get('authorization')).toBe(`KakaoAK ${FAKE_ADMIN_KEY}`);
    const wrongText = JSON.stringify([...wrong!.headers]) + wrong!.body;
    expect(wrongText).not.toContain(KEY);
    expect(wrongText).not.toContain(KEY.slice(-4));
    expect(wrong!.headers.get('x-kakao-resource-id')).not.toBe(main!.headers.get('x-kakao-resource-id'));

    expect(JSON.parse(app!.body!)).toMatchObject({ id_type: 'app_user_id', id: '4242' });
    expect(JSON.parse(open!.body!)).toMatchObject({ id_type: 'open_id' });
    expect(JSON.parse(open!.body!).id).not.toBe('4242');
    expect(new Set(fake.calls.slice(2).map((c) => c.headers.get('x-kakao-resource-id'))).size).toBe(3);

    expect(result).toMatchObject({ pass: true, status: 200 });
    expect(result.probes).toEqual([
      { probe: 'duplicate', resourceId: result.resourceId, status: 200, ms: 40, verdict: 'pass' },
      {
        probe: 'wrong-auth',
        resourceId: wrong!.headers.get('x-kakao-resource-id'),
        status: 200,
        ms: 40,
        verdict: 'fail',
        reason: 'accepts_wrong_key',
      },
      {
        probe: 'id-type:app_user_id',
        resourceId: app!.headers.get('x-kakao-resource-id'),
        status: 200,
        ms: 40,
        verdict: 'pass',
      },
      {
        probe: 'id-type:open_id',
        resourceId: open!.headers.get('x-kakao-resource-id'),
        status: 200,
        ms: 3200,
        verdict: 'fail',
        reason: 'slow',
      },
    ]);
    expect(JSON.stringify(result)).not.toContain(KEY);
  });

  it('a receiver that checks the key passes the wrong-key probe', async () => {
    const fake = createFakeFetch((req) =>
      textResponse(req.headers.get('authorization') === `KakaoAK ${KEY}` ? 200 : 401, ''),
    );
    const result = await sendTestWebhook({ ...FIELDS, probes: ['wrong-auth'] }, KEY, { fetch: fake.fetch });
    expect(result.probes).toEqual([expect.objectContaining({ probe: 'wrong-auth', status: 401, verdict: 'pass' })]);
  });

  it('after the sample event got no answer, the probes are reported as not sent instead of waiting again', async () => {
    const fake = createFakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    const result = await sendTestWebhook({ ...FIELDS, probes: ['duplicate', 'id-types'] }, KEY, { fetch: fake.fetch });
    expect(fake.calls).toHaveLength(1);
    expect(result.reason).toBe('network');
    expect(result.probes!.map((p) => [p.probe, p.verdict, p.reason])).toEqual([
      ['duplicate', 'warn', 'skipped'],
      ['id-type:app_user_id', 'warn', 'skipped'],
      ['id-type:open_id', 'warn', 'skipped'],
    ]);
  });

  it('never sends the wrong-key probe when the real key is the fake one', async () => {
    const fake = createFakeFetch(() => textResponse(200, ''));
    const result = await sendTestWebhook({ ...FIELDS, probes: ['wrong-auth'] }, FAKE_ADMIN_KEY, { fetch: fake.fetch });
    expect(fake.calls).toHaveLength(1);
    expect(result.probes).toEqual([
      expect.objectContaining({ probe: 'wrong-auth', verdict: 'warn', reason: 'skipped' }),
    ]);
  });

  it('the tester input accepts only known probes', () => {
    expect(WebhookTestInput.safeParse({ ...FIELDS, probes: ['duplicate', 'wrong-auth', 'id-types'] }).success).toBe(
      true,
    );
    expect(WebhookTestInput.safeParse({ ...FIELDS, probes: ['replay'] }).success).toBe(false);
  });
});

describe('webhook verifier (for service developers)', () => {
  const verifier = () => createWebhookVerifier({ primaryAdminKey: KEY });
  const delivery = (overrides: Record<string, string | undefined> = {}, body?: string) => {
    const req = buildWebhookRequest(samplePayload(FIELDS, Date.now()), KEY);
    return {
      headers: {
        ...Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v])),
        ...overrides,
      },
      body: body ?? req.body,
    };
  };

  it('accepts Kakao’s delivery and parses the payload', () => {
    const v = verifier().verify(delivery());
    expect(v).toMatchObject({
      ok: true,
      duplicate: false,
      userAgentOk: true,
      payload: { event: 'blocked', id_type: 'open_id' },
    });
  });

  it('works with fetch Headers too (any header case)', () => {
    const d = delivery();
    const v = verifier().verify({ headers: new Headers(d.headers as Record<string, string>), body: d.body });
    expect(v.ok).toBe(true);
  });

  it('rejects a wrong or missing Authorization with 401', () => {
    expect(verifier().verify(delivery({ authorization: `KakaoAK ${'f'.repeat(32)}` }))).toMatchObject({
      ok: false,
      status: 401,
      reason: 'bad_authorization',
    });
    expect(verifier().verify(delivery({ authorization: KEY }))).toMatchObject({ ok: false, status: 401 });
    expect(verifier().verify(delivery({ authorization: undefined }))).toMatchObject({ ok: false, status: 401 });
  });

  it('rejects a missing resource ID, a non-JSON type and a bad body with 400', () => {
    expect(verifier().verify(delivery({ 'x-kakao-resource-id': undefined }))).toMatchObject({
      ok: false,
      status: 400,
      reason: 'bad_resource_id',
    });
    expect(verifier().verify(delivery({ 'x-kakao-resource-id': '' }))).toMatchObject({
      ok: false,
      status: 400,
      reason: 'bad_resource_id',
    });
    expect(
      verifier().verify(delivery({ 'x-kakao-resource-id': 'x'.repeat(MAX_RESOURCE_ID_LENGTH + 1) })),
    ).toMatchObject({ ok: false, status: 400, reason: 'bad_resource_id' });
    expect(verifier().verify(delivery({ 'content-type': 'text/plain' }))).toMatchObject({
      ok: false,
      reason: 'bad_content_type',
    });
    expect(verifier().verify(delivery({}, '{"event":"deleted"}'))).toMatchObject({ ok: false, reason: 'bad_body' });
    expect(verifier().verify(delivery({}, 'nope'))).toMatchObject({ ok: false, reason: 'bad_body' });
  });

  it('tolerates a charset suffix and deprecated legacy fields', () => {
    const body = JSON.stringify({
      ...samplePayload(FIELDS, 0),
      plus_friend_public_id: '_ZeUTxl',
      timestamp: 1714611723000,
    });
    expect(verifier().verify(delivery({ 'content-type': 'application/json;charset=utf-8' }, body)).ok).toBe(true);
  });

  // Kakao documents Authorization, X-Kakao-Resource-ID and User-Agent only: Content-Type and the ID's format are not
  // promised.
  it('accepts a delivery without Content-Type when the body is JSON (and still rejects a non-JSON body)', () => {
    expect(verifier().verify(delivery({ 'content-type': undefined }))).toMatchObject({
      ok: true,
      payload: { event: 'blocked' },
    });
    const d = delivery({ 'content-type': undefined });
    const headers = new Headers(Object.entries(d.headers).filter((e): e is [string, string] => e[1] !== undefined));
    expect(verifier().verify({ headers, body: d.body }).ok).toBe(true);
    expect(verifier().verify(delivery({ 'content-type': undefined }, 'event=added'))).toMatchObject({
      ok: false,
      status: 400,
      reason: 'bad_body',
    });
    expect(verifier().verify(delivery({ 'content-type': 'text/plain' }))).toMatchObject({
      ok: false,
      reason: 'bad_content_type',
    });
  });

  it.each([
    ['one character', 'a'],
    ['a UUID', '3f2b8c1e-9a7d-4c2b-8e1f-0a9b8c7d6e5f'],
    ['dots, colons and slashes', 'evt.2024:05/02+abc=='],
    ['256 characters', 'R'.repeat(256)],
    ['Kakao’s example', 'Rvy1c2dkzBAZ5hGD3rqYbxvr'],
  ])('accepts any non-empty resource ID up to 256 characters: %s', (_name, id) => {
    const v = verifier();
    expect(v.verify(delivery({ 'x-kakao-resource-id': id }))).toMatchObject({
      ok: true,
      resourceId: id,
      duplicate: false,
    });
    expect(v.verify(delivery({ 'x-kakao-resource-id': id }))).toMatchObject({ ok: true, duplicate: true });
  });

  it('keeps the Authorization check strict whatever else it tolerates', () => {
    const lenient = { 'content-type': undefined, 'x-kakao-resource-id': 'a' };
    for (const authorization of [
      undefined,
      '',
      KEY,
      `Bearer ${KEY}`,
      `kakaoak ${KEY}`,
      `KakaoAK  ${KEY}`,
      `KakaoAK ${KEY} `,
      `KakaoAK ${KEY.toUpperCase()}`,
      `KakaoAK ${KEY.slice(0, -1)}`,
      `KakaoAK ${FAKE_ADMIN_KEY}`,
    ]) {
      expect(verifier().verify(delivery({ ...lenient, authorization })), String(authorization)).toMatchObject({
        ok: false,
        status: 401,
        reason: 'bad_authorization',
      });
    }
    expect(verifier().verify(delivery(lenient)).ok).toBe(true);
  });

  it('does not require Kakao’s User-Agent (browsers may replace it) but reports it', () => {
    const v = verifier().verify(delivery({ 'user-agent': 'Mozilla/5.0 Chrome/156' }));
    expect(v).toMatchObject({ ok: true, userAgentOk: false });
    expect(KAKAO_WEBHOOK_USER_AGENT).toBe('KakaoOpenAPI/1.0');
  });

  it('flags a repeated resource ID as a duplicate; a forged request cannot poison the list', () => {
    const v = verifier();
    const d = delivery();
    const forged = { ...d, headers: { ...d.headers, authorization: 'KakaoAK wrong' } };
    expect(v.verify(forged).ok).toBe(false);
    expect(v.verify(d)).toMatchObject({ ok: true, duplicate: false });
    expect(v.verify(d)).toMatchObject({ ok: true, duplicate: true });
    expect(v.verify(delivery())).toMatchObject({ ok: true, duplicate: false });
  });

  it('forgets resource IDs after their time, and the oldest first when full', () => {
    let now = 0;
    const v = createWebhookVerifier({ primaryAdminKey: KEY, rememberMs: 1000, maxRemembered: 2, now: () => now });
    const [a, b, c] = [delivery(), delivery(), delivery()];
    v.verify(a);
    v.verify(b);
    v.verify(c); // a is forgotten: only 2 kept
    expect(v.verify(a)).toMatchObject({ duplicate: false });
    now = 5000;
    expect(v.verify(c)).toMatchObject({ duplicate: false });
  });
});
