import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createGrowthFeature } from '../../lib/background/growth';
import { createHandlers } from '../../lib/background/handlers';
import { createWebhookVerifier, KAKAO_WEBHOOK_USER_AGENT, type WebhookVerification } from '../../lib/webhook';
import { webhookHistoryItem } from '../../lib/storage/webhook-history';

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
  close(): Promise<void>;
}

function startReceiver(behaviour: { delayMs?: number; status?: number; location?: string } = {}): Promise<Receiver> {
  const verifier = createWebhookVerifier({ primaryAdminKey: PRIMARY_KEY });
  const seen: Receiver['seen'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const verdict = verifier.verify({ headers: req.headers, body });
      seen.push({ headers: req.headers, verdict });
      const strictUa = req.headers['user-agent'] === KAKAO_WEBHOOK_USER_AGENT;
      const answer = () => {
        if (behaviour.location) res.writeHead(302, { location: behaviour.location }).end();
        else if (req.method !== 'POST' || !verdict.ok || !strictUa) res.writeHead(verdict.ok ? 400 : verdict.status).end();
        else res.writeHead(behaviour.status ?? 200).end('ok');
      };
      if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
      else answer();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/kakao/webhook`,
        seen,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

let receiver: Receiver | undefined;
beforeEach(() => fakeBrowser.reset());
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function backgroundWithKey(granted = true) {
  const core = createHandlers({ apiOrigin: 'https://kapi.kakao.com' });
  await core.saveSettings({ adminKey: PRIMARY_KEY, channelIds: ['_ZeUTxl'], rememberKey: false }, ctx);
  const asked: string[] = [];
  const growth = createGrowthFeature({
    apiOrigin: 'https://kapi.kakao.com',
    client: core.client,
    hasOrigin: async (pattern) => (asked.push(pattern), granted),
  }).handlers;
  return { growth, asked };
}

const event = (url: string) => ({ url, event: 'added' as const, idType: 'app_user_id' as const, id: '1234567890', channelId: '_ZeUTxl', channelUuid: '@채널데스크' });

describe('webhook tester against a spec-checking receiver', () => {
  it('never sends the key over plain http to another machine, even if the input got past the schema', async () => {
    const { growth, asked } = await backgroundWithKey();
    await expect(growth.sendTestWebhook(event('http://hooks.example.test/kakao'), ctx)).rejects.toMatchObject({ code: 'internal', detail: expect.stringMatching(/https/) });
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
    expect(verdict).toMatchObject({ ok: true, duplicate: false, payload: { event: 'added', id: '1234567890', id_type: 'app_user_id', channel_public_id: '_ZeUTxl', channel_uuid: '@채널데스크' } });
    expect(verdict.ok && verdict.payload.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    expect(result).toMatchObject({ status: 200, pass: true, keySource: 'saved', keyMasked: `••••${PRIMARY_KEY.slice(-4)}` });
    expect(result.resourceId).toBe(headers['x-kakao-resource-id']);
    const history = await webhookHistoryItem.getValue();
    expect(history).toEqual([result]);
    expect(JSON.stringify(history)).not.toContain(PRIMARY_KEY);
  });

  it('a receiver that answers 200 after 4 s is reported as failing (too slow)', async () => {
    receiver = await startReceiver({ delayMs: 4000 });
    const { growth } = await backgroundWithKey();
    const result = await growth.sendTestWebhook(event(receiver.url), ctx);
    expect(receiver.seen[0]!.verdict.ok).toBe(true); // the request itself was fine
    expect(result).toMatchObject({ status: 200, pass: false, reason: 'slow' });
    expect(result.ms).toBeGreaterThanOrEqual(3900);
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
    const core = createHandlers({ apiOrigin: 'https://kapi.kakao.com' });
    await core.saveSettings({ adminKey: 'f'.repeat(32), channelIds: [], rememberKey: false }, ctx);
    const growth = createGrowthFeature({ apiOrigin: '', client: core.client, hasOrigin: async () => true }).handlers;
    const result = await growth.sendTestWebhook(event(receiver.url), ctx);
    expect(result).toMatchObject({ status: 401, pass: false, reason: 'client_error' });
  });

  it('a 500 fails, and a closed port is a network failure', async () => {
    receiver = await startReceiver({ status: 500 });
    const { growth } = await backgroundWithKey();
    expect(await growth.sendTestWebhook(event(receiver.url), ctx)).toMatchObject({ status: 500, pass: false, reason: 'server_error' });
    const closedUrl = receiver.url;
    await receiver.close();
    receiver = undefined;
    expect(await growth.sendTestWebhook(event(closedUrl), ctx)).toMatchObject({ status: null, pass: false, reason: 'network' });
    expect((await webhookHistoryItem.getValue()).map((h) => h.reason)).toEqual(['network', 'server_error']);
  });

  it('refuses to send without the origin permission, and sends nothing', async () => {
    receiver = await startReceiver();
    const { growth } = await backgroundWithKey(false);
    await expect(growth.sendTestWebhook(event(receiver.url), ctx)).rejects.toThrow();
    expect(receiver.seen).toHaveLength(0);
  });

  it('in the sandbox the demo key is sent, never the saved one', async () => {
    receiver = await startReceiver();
    const { growth } = await backgroundWithKey();
    await growth.setSandboxMode({ mode: 'on' }, ctx);
    const result = await growth.sendTestWebhook(event(receiver.url), ctx);
    expect(receiver.seen[0]!.headers.authorization).toBe('KakaoAK sandbox-demo-key');
    expect(result).toMatchObject({ keySource: 'sandbox', status: 401, pass: false }); // the receiver expects the real key
  });
});
