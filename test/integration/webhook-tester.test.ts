import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { APP_EXPLANATIONS } from '../../lib/app-error';
import { createGrowthFeature } from '../../lib/background/growth';
import { createHandlers } from '../../lib/background/handlers';
import { createWebhookVerifier, KAKAO_WEBHOOK_USER_AGENT, type WebhookVerification } from '../../lib/webhook';
import { rememberWebhookUrl, webhookHistoryItem, webhookUrlsItem } from '../../lib/storage/webhook-history';
import { kv } from '@/lib/storage/kv';

/*
 * The tester's request against a receiver on 127.0.0.1 that checks it exactly
 * as the spec says a service should (Authorization = KakaoAK <primary admin
 * key>, a resource ID, User-Agent KakaoOpenAPI/1.0, JSON body), answering 200.
 * Node's fetch sends our User-Agent (Chromium replaces it; see the e2e test).
 */

const PRIMARY_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const ctx = { senderClass: 'extension' as const, tabId: undefined, origin: undefined };

interface Receiver {
  url: string;
  seen: { headers: http.IncomingHttpHeaders; verdict: WebhookVerification }[];
  /** The events the service acted on (e.g. a welcome message sent per 'added'). */
  counted: string[];
  close(): Promise<void>;
}

interface Behaviour {
  /** Simulated handling time, on the tester's injected clock (no real waiting). */
  takesMs?: number;
  status?: number;
  location?: string;
  /**
   * 'correct' (default) answers 2XX to a repeat and drops it; 'double-count' acts on every delivery;
   * 'conflict-on-repeat' answers 409 to a repeat; 'no-key-check' trusts any Authorization.
   */
  mode?: 'correct' | 'double-count' | 'conflict-on-repeat' | 'no-key-check';
}

/** The tester's clock (ms): receivers advance it by their simulated handling time. */
let clock = 0;

function startReceiver(behaviour: Behaviour = {}): Promise<Receiver> {
  const verifier = createWebhookVerifier({ primaryAdminKey: PRIMARY_KEY });
  const seen: Receiver['seen'] = [];
  const counted: string[] = [];
  const mode = behaviour.mode ?? 'correct';
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const verdict = verifier.verify({ headers: req.headers, body });
      seen.push({ headers: req.headers, verdict });
      const strictUa = req.headers['user-agent'] === KAKAO_WEBHOOK_USER_AGENT;
      clock += behaviour.takesMs ?? 0;
      const trusted = verdict.ok || (mode === 'no-key-check' && verdict.reason === 'bad_authorization');
      if (behaviour.location) return res.writeHead(302, { location: behaviour.location }).end();
      if (req.method !== 'POST' || !trusted || !strictUa) return res.writeHead(verdict.ok ? 400 : verdict.status).end();
      const duplicate = verdict.ok && verdict.duplicate;
      if (duplicate && mode === 'conflict-on-repeat') return res.writeHead(409).end();
      if (!duplicate || mode === 'double-count') counted.push(JSON.parse(body).event);
      res.writeHead(behaviour.status ?? 200).end('ok');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/kakao/webhook`,
        seen,
        counted,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

let receiver: Receiver | undefined;
beforeEach(() => {
  fakeBrowser.reset();
  clock = 0;
});
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function backgroundWithKey(granted = true, key = PRIMARY_KEY) {
  const core = createHandlers({ apiOrigin: 'https://kapi.kakao.com' });
  await core.saveSettings({ adminKey: key, channelIds: ['_ZeUTxl'], rememberKey: false }, ctx);
  const asked: string[] = [];
  const growth = createGrowthFeature({
    apiOrigin: 'https://kapi.kakao.com',
    client: core.client,
    hasOrigin: async (pattern) => (asked.push(pattern), granted),
    now: () => clock,
  }).handlers;
  return { growth, asked };
}

const event = (url: string) => ({
  url,
  event: 'added' as const,
  idType: 'app_user_id' as const,
  id: '1234567890',
  channelId: '_ZeUTxl',
  channelUuid: '@채널데스크',
});

describe('webhook tester against a spec-checking receiver', () => {
  it('never sends the key over plain http to another machine, even if the input got past the schema', async () => {
    const { growth, asked } = await backgroundWithKey();
    await expect(growth.sendTestWebhook(event('http://hooks.example.test/kakao'), ctx)).rejects.toMatchObject({
      code: 'internal',
      detail: expect.stringMatching(/https/),
    });
    expect(asked).toEqual([]);
    expect(await webhookHistoryItem.getValue()).toEqual([]);
  });

  it('is accepted: exact headers, JSON payload, 2XX in time → pass, and the history keeps no key', async () => {
    receiver = await startReceiver();
    const { growth, asked } = await backgroundWithKey();
    const result = await growth.sendTestWebhook(event(receiver.url), ctx);

    expect(asked).toEqual(['http://127.0.0.1/*']);
    expect(receiver.seen).toHaveLength(1);
    const { headers, verdict } = receiver.seen[0]!;
    expect(headers.authorization).toBe(`KakaoAK ${PRIMARY_KEY}`);
    expect(headers['x-kakao-resource-id']).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(headers['user-agent']).toBe('KakaoOpenAPI/1.0');
    expect(headers['content-type']).toBe('application/json');
    expect(verdict).toMatchObject({
      ok: true,
      duplicate: false,
      payload: {
        event: 'added',
        id: '1234567890',
        id_type: 'app_user_id',
        channel_public_id: '_ZeUTxl',
        channel_uuid: '@채널데스크',
      },
    });
    expect(verdict.ok && verdict.payload.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    expect(result).toMatchObject({
      status: 200,
      pass: true,
      keySource: 'saved',
      keyMasked: `••••${PRIMARY_KEY.slice(-4)}`,
    });
    expect(result.resourceId).toBe(headers['x-kakao-resource-id']);
    const history = await webhookHistoryItem.getValue();
    expect(history).toEqual([result]);
    expect(JSON.stringify(history)).not.toContain(PRIMARY_KEY);
  });

  it('a receiver that answers 200 after 4 s is reported as failing (too slow); 2.9 s passes', async () => {
    receiver = await startReceiver({ takesMs: 4000 });
    const { growth } = await backgroundWithKey();
    const result = await growth.sendTestWebhook(event(receiver.url), ctx);
    expect(receiver.seen[0]!.verdict.ok).toBe(true); // the request itself was fine
    expect(result).toMatchObject({ status: 200, pass: false, reason: 'slow', ms: 4000 });
    await receiver.close();
    receiver = await startReceiver({ takesMs: 2900 });
    expect(await growth.sendTestWebhook(event(receiver.url), ctx)).toMatchObject({ status: 200, pass: true, ms: 2900 });
  });

  it('a redirect is not followed and fails', async () => {
    receiver = await startReceiver({ location: '/elsewhere' });
    const { growth } = await backgroundWithKey();
    const result = await growth.sendTestWebhook(event(receiver.url), ctx);
    expect(receiver.seen).toHaveLength(1);
    expect(result).toMatchObject({ status: 302, pass: false, reason: 'redirect' });
  });

  it('a receiver that rejects the key (401) fails', async () => {
    receiver = await startReceiver();
    const { growth } = await backgroundWithKey(true, 'f'.repeat(32));
    const result = await growth.sendTestWebhook(event(receiver.url), ctx);
    expect(result).toMatchObject({ status: 401, pass: false, reason: 'client_error' });
  });

  it('a 500 fails, and a closed port is a network failure', async () => {
    receiver = await startReceiver({ status: 500 });
    const { growth } = await backgroundWithKey();
    expect(await growth.sendTestWebhook(event(receiver.url), ctx)).toMatchObject({
      status: 500,
      pass: false,
      reason: 'server_error',
    });
    const closedUrl = receiver.url;
    await receiver.close();
    receiver = undefined;
    expect(await growth.sendTestWebhook(event(closedUrl), ctx)).toMatchObject({
      status: null,
      pass: false,
      reason: 'network',
    });
    expect((await webhookHistoryItem.getValue()).map((h) => h.reason)).toEqual(['network', 'server_error']);
  });

  it('refuses to send without the origin permission, and sends nothing', async () => {
    receiver = await startReceiver();
    const { growth } = await backgroundWithKey(false);
    await expect(growth.sendTestWebhook(event(receiver.url), ctx)).rejects.toThrow();
    // Its own code and text (grant access in the tester), not "internal error, report it".
    await expect(growth.sendTestWebhook(event(receiver.url), ctx)).rejects.toMatchObject({
      code: 'webhook_permission_missing',
      explanation: APP_EXPLANATIONS.webhook_permission_missing,
    });
    expect(receiver.seen).toHaveLength(0);
  });

  it('in the sandbox the demo key is sent, never the saved one', async () => {
    receiver = await startReceiver();
    const { growth } = await backgroundWithKey();
    await growth.setSandboxMode({ mode: 'on' }, ctx);
    const result = await growth.sendTestWebhook(event(receiver.url), ctx);
    expect(receiver.seen[0]!.headers.authorization).toBe('KakaoAK sandbox-demo-key');
    // the receiver expects the real key
    expect(result).toMatchObject({ keySource: 'sandbox', status: 401, pass: false });
  });
});

const withProbes = (url: string) => ({
  ...event(url),
  probes: ['duplicate', 'wrong-auth', 'id-types'] as ('duplicate' | 'wrong-auth' | 'id-types')[],
});
const verdicts = (result: { probes?: { probe: string; verdict: string; reason?: string }[] }) =>
  Object.fromEntries((result.probes ?? []).map((p) => [p.probe, p.reason ? `${p.verdict}:${p.reason}` : p.verdict]));

describe('conformance probes against three receivers', () => {
  it('a correct receiver passes every probe, acts on the event once, and refuses the fake key', async () => {
    receiver = await startReceiver();
    const { growth } = await backgroundWithKey();
    const result = await growth.sendTestWebhook(withProbes(receiver.url), ctx);
    expect(result.pass).toBe(true);
    expect(verdicts(result)).toEqual({
      duplicate: 'pass',
      'wrong-auth': 'pass',
      'id-type:app_user_id': 'pass',
      'id-type:open_id': 'pass',
    });
    expect(receiver.seen).toHaveLength(5);
    const ids = receiver.seen.map((s) => s.headers['x-kakao-resource-id']);
    expect(ids[1]).toBe(ids[0]); // the duplicate is the same delivery
    expect(receiver.seen[1]!.verdict).toMatchObject({ ok: true, duplicate: true });
    expect(receiver.seen[2]!.headers.authorization).toBe('KakaoAK 00000000000000000000000000000000');
    expect(receiver.seen[2]!.verdict).toMatchObject({ ok: false, status: 401 });
    expect(receiver.seen.slice(3).map((s) => s.verdict.ok && s.verdict.payload.id_type)).toEqual([
      'app_user_id',
      'open_id',
    ]);
    // sample + the two ID-type probes; the repeat and the forgery were not acted on
    expect(receiver.counted).toHaveLength(3);
    expect(JSON.stringify(await webhookHistoryItem.getValue())).not.toContain(PRIMARY_KEY);
    expect((await webhookHistoryItem.getValue())[0]!.probes).toEqual(result.probes);
  });

  it('a receiver that double-counts answers 2XX to the repeat (Kakao is satisfied) but acts on it twice', async () => {
    receiver = await startReceiver({ mode: 'double-count' });
    const { growth } = await backgroundWithKey();
    const result = await growth.sendTestWebhook({ ...event(receiver.url), probes: ['duplicate'] }, ctx);
    expect(verdicts(result)).toEqual({ duplicate: 'pass' });
    expect(receiver.seen.map((s) => s.headers['x-kakao-resource-id'])).toEqual([result.resourceId, result.resourceId]);
    // what the explanation tells to fix: dedupe on X-Kakao-Resource-ID
    expect(receiver.counted).toEqual(['added', 'added']);
  });

  it('a receiver that rejects the repeat with 409 fails the duplicate probe (Kakao counts a failure)', async () => {
    receiver = await startReceiver({ mode: 'conflict-on-repeat' });
    const { growth } = await backgroundWithKey();
    const result = await growth.sendTestWebhook({ ...event(receiver.url), probes: ['duplicate'] }, ctx);
    expect(result.pass).toBe(true);
    expect(verdicts(result)).toEqual({ duplicate: 'fail:client_error' });
    expect(receiver.counted).toEqual(['added']);
  });

  it('a receiver that accepts a wrong key fails the wrong-key probe as a security hole; the real key is never in that request', async () => {
    receiver = await startReceiver({ mode: 'no-key-check' });
    const { growth } = await backgroundWithKey();
    const result = await growth.sendTestWebhook({ ...event(receiver.url), probes: ['wrong-auth'] }, ctx);
    expect(result.pass).toBe(true);
    expect(verdicts(result)).toEqual({ 'wrong-auth': 'fail:accepts_wrong_key' });
    const forged = receiver.seen[1]!.headers;
    expect(forged.authorization).toBe('KakaoAK 00000000000000000000000000000000');
    expect(JSON.stringify(forged)).not.toContain(PRIMARY_KEY.slice(-4));
    expect(receiver.counted).toEqual(['added', 'added']); // it acted on the forged event
  });

  it('remembers the last URL tested per channel', async () => {
    receiver = await startReceiver();
    const { growth } = await backgroundWithKey();
    expect(await growth.getWebhookUrls({}, ctx)).toEqual({});
    await growth.sendTestWebhook(event(receiver.url), ctx);
    await growth.sendTestWebhook({ ...event(`${receiver.url}?ch=2`), channelId: '_frxjem' }, ctx);
    // Remembered without the query (issue 11: a query often carries the receiver's token).
    expect(await growth.getWebhookUrls({}, ctx)).toEqual({ _ZeUTxl: receiver.url, _frxjem: receiver.url });
    // a refused URL is not remembered
    await expect(growth.sendTestWebhook(event('http://hooks.example.test/kakao'), ctx)).rejects.toThrow();
    expect((await growth.getWebhookUrls({}, ctx))._ZeUTxl).toBe(receiver.url);
  });

  it('keeps the URLs of the 100 most recently tested channels, and reads a damaged value as none', async () => {
    for (let i = 0; i <= 100; i++) await rememberWebhookUrl(`_ch${i}`, `https://hooks.example.test/${i}`);
    await rememberWebhookUrl('_ch1', 'https://hooks.example.test/again');
    const urls = await webhookUrlsItem.getValue();
    expect(Object.keys(urls)).toHaveLength(100);
    expect(urls._ch0).toBeUndefined(); // the oldest went first
    expect(urls._ch100).toBe('https://hooks.example.test/100');
    expect(urls._ch1).toBe('https://hooks.example.test/again');
    await kv.set('webhookUrls', { _ZeUTxl: 42 });
    expect(await webhookUrlsItem.getValue()).toEqual({});
  });
});
