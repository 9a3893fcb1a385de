import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../../test/simulator/server';
import { startRelay, type StartedRelay } from '../src/testing.js';

/* The relay on a real socket (the test helper) in front of the Kakao simulator over HTTP, both on 127.0.0.1. */

const TOKEN = 'manager-one-token-0123';
const USER_IDS = ['1234567890123456789', '9007199254740993'];

let sim: SimulatorServer;
let relay: StartedRelay;

beforeAll(async () => {
  sim = await startSimulatorServer();
  relay = await startRelay({ kakaoOrigin: sim.origin, adminKey: SIM_ADMIN_KEY, tokens: { mina: TOKEN } });
});
afterAll(async () => {
  await relay?.close();
  await sim?.close();
});
beforeEach(() => {
  sim.sim.clearLog();
  sim.sim.setAccess({});
});

/** A call through the relay as the extension's background makes it (which a browser gives an Origin). */
function viaRelay(target: StartedRelay, path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  return fetch(`${target.origin}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${init.token ?? TOKEN}`,
      origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
      ...(init.body !== undefined && { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

describe('the six calls through the relay', () => {
  it('each reaches the simulator with the relay key and no Origin, and its answer comes back', async () => {
    const steps: [string, string, unknown?][] = [
      ['GET', `/v2/api/talk/channels?target_id_type=user_id&target_id=${USER_IDS[0]}`],
      [
        'GET',
        `/v2/api/talk/channels/multi?target_id_type=user_id&target_ids=${USER_IDS.join(',')}` +
          '&channel_ids=_ZeUTxl&channel_id_type=channel_public_id',
      ],
      [
        'POST',
        '/v1/talkchannel/create/target_user_file',
        { channel_public_id: '_frxjem', file_name: 'relay-vip', schema: { 구매금액: 'number' } },
      ],
      ['GET', '/v1/talkchannel/target_user_file?channel_public_id=_frxjem'],
    ];
    const answers: unknown[] = [];
    for (const [method, path, body] of steps) {
      const res = await viaRelay(relay, path, { method, body });
      expect(res.status, path).toBe(200);
      answers.push(JSON.parse(await res.text()));
      const headers = sim.lastRequestHeaders()!;
      expect(headers.authorization).toBe(`KakaoAK ${SIM_ADMIN_KEY}`);
      expect(headers.origin).toBeUndefined();
      expect(headers.referer).toBeUndefined();
    }
    const fileId = (answers[2] as { file_id: number }).file_id;
    expect((answers[3] as { results: { file_id: number; file_name: string }[] }).results).toContainEqual(
      expect.objectContaining({ file_id: fileId, file_name: 'relay-vip' }),
    );
    const single = answers[0] as { channels: { channel_public_id: string; relation: string }[] };
    for (const c of single.channels) {
      expect(c.relation).toBe(sim.sim.relationOf(USER_IDS[0]!, c.channel_public_id).relation);
    }

    const write = { file_id: fileId, channel_public_id: '_frxjem', user_type: 'app' };
    const added = await viaRelay(relay, '/v1/talkchannel/update/target_users', {
      method: 'POST',
      body: { ...write, users: USER_IDS.map((id) => ({ id, field: { 구매금액: 1000 } })) },
    });
    expect(added.status).toBe(200);
    expect(await added.json()).toMatchObject({ request_count: 2, success_count: 2 });
    expect([...sim.sim.fileUsers(String(fileId))!.keys()].sort()).toEqual([...USER_IDS].sort());
    const deleted = await viaRelay(relay, '/v1/talkchannel/delete/target_users', {
      method: 'POST',
      body: { ...write, user_ids: [USER_IDS[0]] },
    });
    expect(deleted.status).toBe(200);
    expect([...sim.sim.fileUsers(String(fileId))!.keys()]).toEqual([USER_IDS[1]]);
    expect(sim.lastRequestHeaders()!.authorization).toBe(`KakaoAK ${SIM_ADMIN_KEY}`);
    expect(sim.sim.log.map((e) => e.headers)).toEqual(Array(6).fill({}));

    const lines = relay.auditLines().slice(-6);
    expect(lines.map((l) => [l.token, l.method, l.endpoint, l.channel, l.batch, l.status, l.code])).toEqual([
      ['mina', 'GET', '/v2/api/talk/channels', null, 1, 200, null],
      ['mina', 'GET', '/v2/api/talk/channels/multi', '_ZeUTxl', 2, 200, null],
      ['mina', 'POST', '/v1/talkchannel/create/target_user_file', '_frxjem', null, 200, null],
      ['mina', 'GET', '/v1/talkchannel/target_user_file', '_frxjem', null, 200, null],
      ['mina', 'POST', '/v1/talkchannel/update/target_users', '_frxjem', 2, 200, null],
      ['mina', 'POST', '/v1/talkchannel/delete/target_users', '_frxjem', 1, 200, null],
    ]);
    const log = relay.auditText();
    for (const secret of [SIM_ADMIN_KEY, TOKEN, ...USER_IDS]) expect(log).not.toContain(secret);
  });
});

describe("Kakao's errors pass through unchanged", () => {
  it('a relay with a key Kakao does not know: the -401 answer as the simulator wrote it', async () => {
    const wrong = await startRelay({
      kakaoOrigin: sim.origin,
      adminKey: 'ffffffffffffffffffffffffffffffff',
      tokens: { mina: TOKEN },
    });
    try {
      const res = await viaRelay(wrong, `/v2/api/talk/channels/multi?target_id_type=user_id&target_ids=1`);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(await res.text()).toBe('{"msg":"wrong appKey format or unregistered appKey","code":-401}');
      expect(sim.lastRequestHeaders()!.authorization).toBe('KakaoAK ffffffffffffffffffffffffffffffff');
      expect(wrong.auditLines()).toEqual([
        expect.objectContaining({ token: 'mina', status: 401, upstreamStatus: 401, code: -401, relayError: null }),
      ]);
    } finally {
      await wrong.close();
    }
  });

  it('-401 ip mismatched (the Admin key IP allow-list) names the caller IP Kakao saw', async () => {
    sim.sim.setAccess({ ipMismatch: { callerIp: '203.0.113.9' } });
    const res = await viaRelay(relay, '/v1/talkchannel/target_user_file?channel_public_id=_ZeUTxl');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ msg: 'ip mismatched! callerIp=203.0.113.9', code: -401 });
  });

  it('a customer-file error (-819) keeps its status and code', async () => {
    const res = await viaRelay(relay, '/v1/talkchannel/target_user_file?channel_public_id=_unlnkd');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ msg: 'channel is not connected to app', code: -819 });
    expect(relay.auditLines().at(-1)).toMatchObject({ channel: '_unlnkd', code: -819, upstreamStatus: 400 });
  });
});

describe('the relay helper', () => {
  it('refuses other tokens and channels, and rate-limits, over HTTP', async () => {
    const strict = await startRelay({
      kakaoOrigin: sim.origin,
      adminKey: SIM_ADMIN_KEY,
      tokens: { mina: TOKEN },
      channels: ['_ZeUTxl'],
      rate: 1,
    });
    try {
      const path = (channel: string) => `/v1/talkchannel/target_user_file?channel_public_id=${channel}`;
      expect((await viaRelay(strict, path('_ZeUTxl'), { token: 'someone-else-token-00' })).status).toBe(401);
      expect((await viaRelay(strict, path('_ZeUTxl'))).status).toBe(200);
      const over = await viaRelay(strict, path('_ZeUTxl'));
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
      expect(sim.sim.log).toHaveLength(1);
    } finally {
      await strict.close();
    }
  });

  it('close() lets a call in flight finish, then takes no more', async () => {
    const closing = await startRelay({ kakaoOrigin: sim.origin, adminKey: SIM_ADMIN_KEY, tokens: { mina: TOKEN } });
    sim.setLatency(300);
    try {
      const inFlight = viaRelay(closing, '/v1/talkchannel/target_user_file?channel_public_id=_ZeUTxl');
      await new Promise((r) => setTimeout(r, 100));
      const closed = closing.close();
      expect((await inFlight).status).toBe(200);
      await closed;
      await expect(fetch(`${closing.origin}/health`)).rejects.toThrow();
    } finally {
      sim.setLatency(0);
    }
  });
});
