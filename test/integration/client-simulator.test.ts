import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKakaoClient, MAX_USERS_PER_FILE_CALL, type KakaoClient } from '../../lib/kakao/client';
import { KakaoApiError } from '../../lib/kakao/errors';
import { withRetry } from '../../lib/kakao/retry';
import { SIM_ADMIN_KEY, simDropsUser, simDuplicatesUser, simLacksChannels } from '../../lib/simulator/model';
import type { ApiCallRecord } from '../../lib/kakao/call-record';
import { TOLERANCES } from '../../lib/kakao/tolerance';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';

/** The real client against the simulator over HTTP on 127.0.0.1. */

let server: SimulatorServer;
let client: KakaoClient;
const WRONG_KEY = 'ffffffffffffffffffffffffffffffff';

/** n distinct 19-digit user IDs (above 2^53). */
const bigIds = (n: number, base = 1234567890123456000n) =>
  Array.from({ length: n }, (_, i) => (base + BigInt(i) * 7919n).toString());

function clientWith(options: { key?: string | null; timeoutMs?: number } = {}) {
  const key = options.key === undefined ? SIM_ADMIN_KEY : options.key;
  return createKakaoClient({ origin: server.origin, getKey: async () => key, timeoutMs: options.timeoutMs ?? 5_000 });
}

async function failure(run: () => Promise<unknown>): Promise<KakaoApiError> {
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(KakaoApiError);
    return err as KakaoApiError;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  server = await startSimulatorServer();
  client = clientWith();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(() => {
  server.sim.clearFaults();
  server.sim.clearLog();
});

describe('relationship checks over HTTP', () => {
  it('one user: every linked channel, matching the simulator truth, 19-digit ID exact', async () => {
    const [userId] = bigIds(1);
    const res = await client.checkRelationship({ userId: userId! });
    expect(res.user_id).toBe(userId);
    const linked = server.sim.linkedChannels().map((c) => c.publicId);
    expect(res.channels.map((c) => c.channel_public_id)).toEqual(linked);
    for (const c of res.channels) {
      const truth = server.sim.relationOf(userId!, c.channel_public_id);
      expect(c.relation).toBe(truth.relation);
      expect(c.updated_at ?? undefined).toBe(truth.updatedAt);
    }
    expect(server.sim.log).toHaveLength(1);
    expect(server.sim.log[0]).toMatchObject({
      path: '/v2/api/talk/channels',
      query: { target_id: userId },
      status: 200,
    });
  });

  it('a relation changed in the simulator shows up', async () => {
    const userId = '424242';
    server.sim.setRelation(userId, '_frxjem', 'BLOCKED');
    const res = await client.checkRelationship({ userId, channelIds: ['_frxjem'] });
    expect(res.channels).toHaveLength(1);
    expect(res.channels[0]).toMatchObject({ channel_public_id: '_frxjem', relation: 'BLOCKED' });
    expect(res.channels[0]!.updated_at).toMatch(/Z$/);
  });

  it('200 users in one call, each matching relationOf', async () => {
    const ids = bigIds(200, 9000000000000000000n);
    const res = await client.checkRelationships({ userIds: ids, channelIds: ['_ZeUTxl', '_frxjem'] });
    expect(res).toHaveLength(200);
    const byId = new Map(res.map((u) => [u.user_id, u]));
    expect([...byId.keys()].sort()).toEqual([...ids].sort());
    const seen = new Set<string>();
    for (const id of ids) {
      const user = byId.get(id)!;
      expect(user.channels.map((c) => c.channel_public_id)).toEqual(['_ZeUTxl', '_frxjem']);
      for (const c of user.channels) {
        const truth = server.sim.relationOf(id, c.channel_public_id);
        expect(c.relation).toBe(truth.relation);
        expect(c.updated_at ?? undefined).toBe(truth.updatedAt);
        seen.add(c.relation);
      }
    }
    expect(seen.size).toBeGreaterThan(1);
    expect(server.sim.log).toHaveLength(1);
    expect(server.sim.log[0]).toMatchObject({ path: '/v2/api/talk/channels/multi', count: 200, status: 200 });
  });

  it('a wrong key → -401, not retryable, key not in the error', async () => {
    const err = await failure(() => clientWith({ key: WRONG_KEY }).checkRelationship({ userId: '1' }));
    expect(err.code).toBe(-401);
    expect(err.status).toBe(401);
    expect(err.retryable).toBe(false);
    expect(JSON.stringify(err.toInfo())).not.toContain(WRONG_KEY);
  });
});

describe('customer files over HTTP', () => {
  const schema = { 성별: 'string', 구매금액: 'number' } as const;

  it('create, list, add 2,000 users with fields, delete', async () => {
    const fileName = `vip_${Date.now()}`;
    const { fileId } = await client.createCustomerFile({ channelId: '_ZeUTxl', fileName, schema });
    expect(fileId).toMatch(/^\d+$/);

    const list = await client.listCustomerFiles({ channelId: '_ZeUTxl' });
    const listed = list.results.find((f) => f.file_id === fileId);
    expect(listed).toMatchObject({ file_name: fileName, schema, status: 'active' });
    expect(listed!.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect((list.using_slot ?? 0) + (list.empty_slot ?? 0)).toBe(30);
    expect(list.using_slot).toBe(server.sim.files('_ZeUTxl').length + 2);

    const ids = bigIds(MAX_USERS_PER_FILE_CALL, 5000000000000000000n);
    const users = ids.map((id, i) => ({ id, field: { 성별: i % 2 ? 'F' : 'M', 구매금액: i * 100 } }));
    const added = await client.addUsers({ fileId, channelId: '_ZeUTxl', userType: 'app', users });
    expect(added).toEqual({ request_count: MAX_USERS_PER_FILE_CALL, success_count: MAX_USERS_PER_FILE_CALL });

    const stored = server.sim.fileUsers(fileId)!;
    expect(stored.size).toBe(MAX_USERS_PER_FILE_CALL);
    for (const user of users) expect(stored.get(user.id)).toEqual(user.field);

    const toDelete = [...ids.slice(0, 10), '1'];
    const deleted = await client.deleteUsers({ fileId, channelId: '_ZeUTxl', userType: 'app', userIds: toDelete });
    expect(deleted).toEqual({ request_count: 11, success_count: 10 });
    const after = server.sim.fileUsers(fileId)!;
    expect(after.size).toBe(MAX_USERS_PER_FILE_CALL - 10);
    for (const id of ids.slice(0, 10)) expect(after.has(id)).toBe(false);
    expect(after.has(ids[10]!)).toBe(true);
  });

  it('a duplicate name → -817; an unlinked channel → -819; an unknown file → -816', async () => {
    const fileName = `dup_${Date.now()}`;
    await client.createCustomerFile({ channelId: '_frxjem', fileName, schema });
    expect((await failure(() => client.createCustomerFile({ channelId: '_frxjem', fileName, schema }))).code).toBe(
      -817,
    );
    expect((await failure(() => client.listCustomerFiles({ channelId: '_unlnkd' }))).code).toBe(-819);
    expect(
      (
        await failure(() =>
          client.addUsers({ fileId: '987654321', channelId: '_frxjem', userType: 'app', users: [{ id: '1' }] }),
        )
      ).code,
    ).toBe(-816);
  });
});

describe('faults over HTTP', () => {
  it('injected 5xx answers are retried by withRetry until the call succeeds', async () => {
    server.sim.injectFaults('5xx', 2, '/v2/api/talk/channels');
    const delays: number[] = [];
    const attempts: number[] = [];
    const res = await withRetry(
      (attempt) => {
        attempts.push(attempt);
        return client.checkRelationship({ userId: '77' });
      },
      { retries: 3, baseDelayMs: 1, maxDelayMs: 5, random: () => 1, sleep: async (ms) => void delays.push(ms) },
    );
    expect(res.user_id).toBe('77');
    expect(attempts).toEqual([0, 1, 2]);
    expect(delays).toHaveLength(2);
    expect(server.sim.log.map((e) => e.status)).toEqual([503, 503, 200]);
  });

  it('without retries, the injected 5xx surfaces as a retryable error', async () => {
    server.sim.injectFaults('5xx', 1);
    const err = await failure(() => client.checkRelationship({ userId: '77' }));
    expect(err).toMatchObject({ code: -9798, status: 503, retryable: true });
  });

  it('a quota error (-10) is not retried', async () => {
    server.sim.injectFaults('-10', 3);
    let calls = 0;
    const err = await failure(() =>
      withRetry(
        () => {
          calls++;
          return client.checkRelationship({ userId: '77' });
        },
        { retries: 3, baseDelayMs: 1, maxDelayMs: 5, sleep: async () => {} },
      ),
    );
    expect(err.code).toBe(-10);
    expect(calls).toBe(1);
  });

  it('a hung connection → timeout', async () => {
    server.setHang(300);
    server.sim.injectFaults('timeout', 1);
    // The client gives up at 100 ms, before the server drops the socket at 300 ms
    // (which would surface as `network`, not `timeout`).
    const err = await failure(() => clientWith({ timeoutMs: 100 }).checkRelationship({ userId: '1' }));
    expect(err.code).toBe('timeout');
    expect(err.retryable).toBe(true);
    expect(server.sim.log.at(-1)).toMatchObject({ fault: 'timeout' });
  });

  it('a dropped connection → network', async () => {
    server.sim.injectFaults('reset', 1);
    const err = await failure(() => client.checkRelationship({ userId: '1' }));
    expect(err.code).toBe('network');
    expect(err.retryable).toBe(true);
  });
});

describe('the variant dialect over HTTP (reported real-API shapes)', () => {
  const records: ApiCallRecord[] = [];
  const recorded = () =>
    createKakaoClient({
      origin: server.origin,
      getKey: async () => SIM_ADMIN_KEY,
      timeoutMs: 5_000,
      onCall: (r) => records.push(r),
    });
  beforeEach(() => {
    records.length = 0;
    server.sim.setDialect('variant');
  });
  afterAll(() => server.sim.setDialect('strict'));
  const ids = Array.from({ length: 200 }, (_, i) => String(3_000_000 + i));

  it('/multi: one call of 200; users without channels are UNKNOWN (no_channels), the rest exact, duplicates merged', async () => {
    const users = await recorded().checkRelationships({ userIds: ids, channelIds: ['_ZeUTxl', '_frxjem'] });
    const byId = new Map(users.map((u) => [u.user_id, u]));
    expect(ids.some(simDuplicatesUser)).toBe(true);
    expect(users).toHaveLength(ids.filter((id) => !simDropsUser(id)).length); // one entry per user answered
    for (const id of ids) {
      const user = byId.get(id);
      if (simDropsUser(id)) expect(user).toBeUndefined();
      else if (simLacksChannels(id)) expect(user).toEqual({ user_id: id, channels: [], reason: 'no_channels' });
      else {
        for (const c of user!.channels) {
          const truth = server.sim.relationOf(id, c.channel_public_id);
          expect(c.relation).toBe(truth.relation);
          expect(c.updated_at).toBe(truth.updatedAt);
        }
      }
    }
    expect(records).toHaveLength(1);
    expect(records[0]!.tolerances).toEqual(
      expect.arrayContaining([
        TOLERANCES.multiMissingChannels,
        TOLERANCES.multiDuplicates,
        TOLERANCES.multiMissingUsers,
        TOLERANCES.extraFields,
        TOLERANCES.timeOffset,
      ]),
    );
  });

  it('single check: channels [] for a user without consent → no_channels; other users exact with the offset time normalised', async () => {
    const lacking = ids.find(simLacksChannels)!;
    expect(await recorded().checkRelationship({ userId: lacking, channelIds: ['_ZeUTxl'] })).toEqual({
      user_id: lacking,
      channels: [],
      reason: 'no_channels',
    });
    const friend = ids.find(
      (id) => !simLacksChannels(id) && server.sim.relationOf(id, '_ZeUTxl').relation === 'ADDED',
    )!;
    const res = await recorded().checkRelationship({ userId: friend, channelIds: ['_ZeUTxl'] });
    expect(res.channels).toEqual([
      {
        channel_uuid: '@채널데스크',
        channel_public_id: '_ZeUTxl',
        relation: 'ADDED',
        updated_at: server.sim.relationOf(friend, '_ZeUTxl').updatedAt,
      },
    ]);
  });

  it('file list: every file listed, the string schema parsed, null/absent schemas unknown, slots read from strings', async () => {
    server.sim.setDialect('strict');
    for (const name of ['obj', 'str', 'nul', 'abs'])
      await client.createCustomerFile({
        channelId: '_frxjem',
        fileName: `variant_${name}`,
        schema: { 성별: 'string' },
      });
    server.sim.setDialect('variant');
    const list = await recorded().listCustomerFiles({ channelId: '_frxjem' });
    const mine = list.results.filter((f) => f.file_name.startsWith('variant_'));
    expect(mine).toHaveLength(4);
    // The simulator's `mixed` schema forms go by place in the list: object, JSON string, null, absent.
    const known = list.results.map((f, i) => [f.file_name, f.schemaKnown, f.schemaKnown ? f.schema : null, i % 4 < 2]);
    for (const [name, schemaKnown, schema, expected] of known) {
      expect(schemaKnown, String(name)).toBe(expected);
      if (expected && String(name).startsWith('variant_')) expect(schema).toEqual({ 성별: 'string' });
    }
    for (const f of mine) expect(f.updated_at).toBeUndefined();
    expect(list.using_slot).toBe(list.results.length);
    expect(records[0]!.tolerances).toEqual(
      expect.arrayContaining([
        TOLERANCES.fileSchemaString,
        TOLERANCES.fileSchemaUnknown,
        TOLERANCES.fileNoUpdatedAt,
        TOLERANCES.fileSlotsString,
      ]),
    );
  });
});
