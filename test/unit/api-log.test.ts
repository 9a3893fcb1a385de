import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createApiLog, type ApiLog } from '@/lib/api-log/store';
import { API_LOG_LIMIT, StoredApiCall } from '@/lib/api-log/model';
import { describeShape, MAX_SHAPE_LENGTH, type ApiCallRecord } from '@/lib/kakao/call-record';
import { createKakaoClient } from '@/lib/kakao/client';
import { createJobStore } from '@/lib/jobs/store';
import { createHandlers } from '@/lib/background/handlers';
import { sandboxModeItem } from '@/lib/sandbox/state';
import { SIM_ADMIN_KEY } from '@/lib/simulator/model';
import type { HandlerContext } from '@/lib/messages/router';
import { startSimulatorServer, type SimulatorServer } from '../simulator/server';
import { createFilledJob, makeRunner } from '../integration/jobs-helpers';

let dbCount = 0;
const newLog = (options: Parameters<typeof createApiLog>[0] = {}) =>
  createApiLog({ dbName: `api-log-test-${++dbCount}`, ...options });

/** Every stored record, raw, exactly as IndexedDB holds it. */
async function rawRecords(dbName: string): Promise<unknown[]> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(dbName);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const rows = await new Promise<unknown[]>((resolve, reject) => {
    const req = db.transaction('calls', 'readonly').objectStore('calls').getAll();
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  db.close();
  return rows;
}

function record(overrides: Partial<ApiCallRecord> = {}): ApiCallRecord {
  return {
    at: 1_700_000_000_000,
    method: 'GET',
    endpoint: '/v2/api/talk/channels/multi',
    channel: '_ZeUTxl',
    batchSize: 200,
    status: 200,
    durationMs: 42,
    shape: '[{channels:[{channel_public_id:string,relation:string}],user_id:number}]',
    tolerances: [],
    ...overrides,
  };
}

describe('describeShape: field names and types, never values', () => {
  it('shows field names and JSON types, the union of array element shapes', () => {
    expect(
      describeShape({
        user_id: 12345678901,
        channels: [{ relation: 'ADDED', updated_at: null }, { relation: 'NONE' }],
      }),
    ).toBe('{channels:[{relation:string,updated_at:null}|{relation:string}],user_id:number}');
  });

  it('turns keys that are user IDs or phone numbers into <id>, and identical fields collapse', () => {
    const answer = {
      '1234567890': { relation: 'ADDED' },
      '9876543210123': { relation: 'NONE' },
      '+821012345678': 'x',
      '12345': 1,
    };
    const shape = describeShape(answer);
    expect(shape).toBe('{<id>:number,<id>:string,<id>:{relation:string}}');
    for (const value of ['1234567890', '9876543210123', '821012345678', '12345', 'ADDED', 'NONE'])
      expect(shape).not.toContain(value);
  });

  it('hides IDs inside keys, keeps short numbers, quotes odd keys', () => {
    expect(describeShape({ user_1234567: 1, a1234: 2, 'user id 01012345678': 3 })).toBe(
      '{"user id <id>":number,a1234:number,user_<id>:number}',
    );
  });

  it('cuts keys longer than 40 characters', () => {
    const shape = describeShape({ ['k'.repeat(60)]: true });
    expect(shape).toBe(`{"${'k'.repeat(40)}…":boolean}`);
  });

  it('caps the whole shape at 2,000 characters, even for an answer with thousands of distinct fields', () => {
    const wide = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`field_${i}_${'x'.repeat(20)}`, i]));
    const shape = describeShape({ a: wide, b: [wide] });
    expect(shape.length).toBeLessThanOrEqual(MAX_SHAPE_LENGTH);
    expect(shape.endsWith('…')).toBe(true);
  });
});

describe('API log store', () => {
  it('writes appended records together a moment later, not during the call', async () => {
    const dbName = `api-log-test-${++dbCount}`;
    const log = createApiLog({ dbName, flushDelayMs: 10_000 });
    log.append(record(), 'real');
    log.append(record({ endpoint: '/v2/api/talk/channels' }), 'sandbox');
    await new Promise((r) => setTimeout(r, 50));
    expect((await createApiLog({ dbName }).list()).stored).toBe(0); // another reader sees nothing yet
    const page = await log.list(); // listing writes what is queued first
    expect(page.records.map((r) => [r.endpoint, r.backend])).toEqual([
      ['/v2/api/talk/channels', 'sandbox'],
      ['/v2/api/talk/channels/multi', 'real'],
    ]);
    expect(page.records[0]!.seq).toBeGreaterThan(page.records[1]!.seq);
  });

  it(`keeps the last ${API_LOG_LIMIT.toLocaleString('en')} records, dropping the oldest`, async () => {
    const log = newLog();
    for (let i = 0; i < API_LOG_LIMIT + 37; i++) log.append(record({ at: 1_000_000 + i, durationMs: i }), 'real');
    const page = await log.list({ limit: 500 });
    expect(page.stored).toBe(API_LOG_LIMIT);
    expect(page.total).toBe(API_LOG_LIMIT);
    expect(page.records[0]!.durationMs).toBe(API_LOG_LIMIT + 36); // newest first
    const last = await log.list({ offset: API_LOG_LIMIT - 1, limit: 1 });
    expect(last.records[0]!.durationMs).toBe(37); // the 37 oldest are gone
  });

  it('filters by endpoint, outcome, Kakao code, job, time range and text, newest first, paged', async () => {
    const log = newLog();
    log.append(record({ at: 1000 }), 'real');
    log.append(
      record({
        at: 2000,
        endpoint: '/v2/api/talk/channels',
        batchSize: 1,
        status: 401,
        code: -401,
        shape: '{code:number,msg:string}',
      }),
      'real',
    );
    log.append(record({ at: 3000, jobId: 'check-abc-1', tolerances: ['multi.missing-channels'] }), 'sandbox');
    log.append(record({ at: 4000, jobId: 'check-abc-1', status: null, code: 'timeout', shape: undefined }), 'sandbox');
    log.append(
      record({ at: 5000, endpoint: '/v1/talkchannel/update/target_users', method: 'POST', jobId: 'upload-x-2' }),
      'real',
    );
    const ats = async (q: Parameters<ApiLog['list']>[0]) => (await log.list(q)).records.map((r) => r.at);

    expect(await ats({})).toEqual([5000, 4000, 3000, 2000, 1000]);
    expect(await ats({ endpoint: '/v2/api/talk/channels/multi' })).toEqual([4000, 3000, 1000]);
    expect(await ats({ outcome: 'ok' })).toEqual([5000, 3000, 1000]);
    expect(await ats({ outcome: 'failed' })).toEqual([4000, 2000]);
    expect(await ats({ code: -401 })).toEqual([2000]);
    expect(await ats({ code: 'timeout' })).toEqual([4000]);
    expect(await ats({ jobId: 'check-abc-1' })).toEqual([4000, 3000]);
    expect(await ats({ from: 2000, to: 4000 })).toEqual([3000, 2000]);
    expect(await ats({ text: 'MISSING-channels' })).toEqual([3000]);
    expect(await ats({ text: 'msg:string' })).toEqual([2000]);
    expect(await ats({ text: 'sandbox' })).toEqual([4000, 3000]);
    expect(await ats({ offset: 1, limit: 2 })).toEqual([4000, 3000]);

    const page = await log.list({ outcome: 'failed', limit: 1 });
    expect(page).toMatchObject({ total: 2, stored: 5, unreadable: 0 });
    expect(page.endpoints).toEqual([
      '/v1/talkchannel/update/target_users',
      '/v2/api/talk/channels',
      '/v2/api/talk/channels/multi',
    ]);
    expect(page.jobIds.sort()).toEqual(['check-abc-1', 'upload-x-2']);
  });

  it('clear empties the log, queued records included', async () => {
    const log = newLog({ flushDelayMs: 10_000 });
    log.append(record(), 'real');
    await log.flush();
    log.append(record(), 'real');
    await log.clear();
    expect((await log.list()).stored).toBe(0);
  });

  it('a log that cannot be written never breaks a call', async () => {
    const server = await startSimulatorServer();
    try {
      const log = newLog();
      const open = vi.spyOn(indexedDB, 'open').mockImplementation(() => {
        throw new Error('IndexedDB is gone');
      });
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const client = createKakaoClient({
        origin: server.origin,
        getKey: async () => SIM_ADMIN_KEY,
        onCall: log.reporter('real'),
      });
      const answer = await client.checkRelationships({ userIds: ['1001', '1002'], channelIds: ['_ZeUTxl'] });
      expect(answer).toHaveLength(2);
      await expect(log.flush()).resolves.toBeUndefined();
      expect(warn).toHaveBeenCalled();
      expect(JSON.stringify(warn.mock.calls)).not.toContain(SIM_ADMIN_KEY);
      open.mockRestore();
      warn.mockRestore();
    } finally {
      await server.close();
    }
  });

  it('counts stored records that do not parse instead of hiding them', async () => {
    const log = newLog();
    log.append(record(), 'real');
    log.append({ ...record(), method: 'DELETE' } as unknown as ApiCallRecord, 'real');
    const page = await log.list();
    expect(page).toMatchObject({ stored: 2, unreadable: 1, total: 1 });
  });
});

describe('API log against the simulator: no key, no user ID, no phone number is ever stored', () => {
  let server: SimulatorServer;
  beforeEach(async () => {
    fakeBrowser.reset();
    server = await startSimulatorServer();
  });
  afterEach(async () => {
    await server.close();
  });

  for (const dialect of ['strict', 'variant'] as const) {
    it(`real /multi answers (${dialect} dialect), single checks, uploads with phone numbers and a bad key`, async () => {
      server.sim.setDialect(dialect);
      const dbName = `api-log-test-${++dbCount}`;
      const log = createApiLog({ dbName });
      const client = createKakaoClient({
        origin: server.origin,
        getKey: async () => SIM_ADMIN_KEY,
        onCall: log.reporter('real'),
      });
      const ids = Array.from({ length: 200 }, (_, i) => String(7_312_000_000 + i));
      const phones = Array.from({ length: 50 }, (_, i) => `8210${String(55_550_000 + i)}`);

      await client.checkRelationships({ userIds: ids, channelIds: ['_ZeUTxl', '_frxjem'] });
      await client.checkRelationships({ userIds: ids.slice(0, 10) });
      await client.checkRelationship({ userId: ids[0]! });
      const { fileId } = await client.createCustomerFile({
        channelId: '_ZeUTxl',
        fileName: 'vip',
        schema: { 성별: 'string' },
      });
      await client.addUsers({
        fileId,
        channelId: '_ZeUTxl',
        userType: 'phone',
        users: phones.map((id) => ({ id, field: { 성별: 'F' } })),
      });
      await client.deleteUsers({ fileId, channelId: '_ZeUTxl', userType: 'phone', userIds: phones.slice(0, 5) });
      const bad = createKakaoClient({
        origin: server.origin,
        getKey: async () => 'f'.repeat(32),
        onCall: log.reporter('real'),
      });
      await expect(bad.checkRelationships({ userIds: ids.slice(0, 3) })).rejects.toMatchObject({ code: -401 });

      const page = await log.list();
      expect(page.records.map((r) => [r.endpoint, r.status, r.code ?? null, r.batchSize ?? null])).toEqual([
        ['/v2/api/talk/channels/multi', 401, -401, 3],
        ['/v1/talkchannel/delete/target_users', 200, null, 5],
        ['/v1/talkchannel/update/target_users', 200, null, 50],
        ['/v1/talkchannel/create/target_user_file', 200, null, null],
        ['/v2/api/talk/channels', 200, null, 1],
        ['/v2/api/talk/channels/multi', 200, null, 10],
        ['/v2/api/talk/channels/multi', 200, null, 200],
      ]);
      const multi = page.records.at(-1)!;
      expect(multi.channel).toBe('_ZeUTxl,_frxjem');
      expect(multi.shape).toMatch(
        /^\[\{.*channels:\[\{.*channel_public_id:string.*relation:string.*\}.*user_id:number.*\}\]$/,
      );

      const raw = JSON.stringify(await rawRecords(dbName));
      expect(raw).not.toContain(SIM_ADMIN_KEY);
      expect(raw).not.toContain('f'.repeat(32));
      for (const id of [...ids, ...phones, fileId]) expect(raw).not.toContain(id);
      for (const row of await rawRecords(dbName)) expect(StoredApiCall.safeParse(row).success).toBe(true);
    });
  }

  it('shows types as Kakao sent them: a 19-digit user_id the client keeps as a string is a number on the wire', async () => {
    const log = newLog();
    const client = createKakaoClient({
      origin: server.origin,
      getKey: async () => SIM_ADMIN_KEY,
      onCall: log.reporter('real'),
    });
    const answer = await client.checkRelationship({ userId: '1234567890123456789' });
    expect(answer.user_id).toBe('1234567890123456789');
    const [call] = (await log.list()).records;
    expect(call!.shape).toMatch(/user_id:number/);
    expect(call!.shape).not.toContain('1234567890123456789');
  });

  it('a job’s calls carry its job ID', async () => {
    const log = newLog();
    const client = createKakaoClient({
      origin: server.origin,
      getKey: async () => SIM_ADMIN_KEY,
      onCall: log.reporter('real'),
    });
    const runner = makeRunner(client, createJobStore(`api-log-jobs-${dbCount}`));
    const ids = Array.from({ length: 450 }, (_, i) => String(4_000_000 + i));
    const job = await createFilledJob(runner, { kind: 'check', channelIds: ['_ZeUTxl'] }, ids);
    await runner.start(job.id);
    const page = await log.list({ jobId: job.id });
    expect(page.records.map((r) => r.batchSize).sort()).toEqual([200, 200, 50]);
    expect(page.records.every((r) => r.endpoint === '/v2/api/talk/channels/multi' && r.status === 200)).toBe(true);
  });

  it('the background logs every client it makes with its backend: the sandbox, the saved key, and the key test', async () => {
    const ctx: HandlerContext = { senderClass: 'extension', tabId: undefined, origin: undefined };
    const log = newLog();
    const handlers = createHandlers({
      apiOrigin: server.origin,
      apiLog: log,
      makeClient: (getKey, onCall) => createKakaoClient({ origin: server.origin, getKey, onCall }),
    });
    await handlers.checkUser({ userId: '1234567890123', channelIds: ['_ZeUTxl'] }, ctx); // no key: the sandbox answers
    await handlers.saveSettings({ adminKey: SIM_ADMIN_KEY, channelIds: ['_ZeUTxl'], rememberKey: false }, ctx);
    expect(await sandboxModeItem.getValue()).toBe('auto');
    await handlers.checkUser({ userId: '2234567890123' }, ctx);
    await handlers.testKey({ adminKey: 'e'.repeat(32) }, ctx).catch(() => undefined);

    const page = await log.list();
    expect(page.records.map((r) => [r.endpoint, r.backend, r.status])).toEqual([
      ['/v2/api/talk/channels', 'real', 401],
      ['/v2/api/talk/channels', 'real', 200],
      ['/v2/api/talk/channels', 'sandbox', 200],
    ]);
    const raw = JSON.stringify(page);
    for (const secret of ['1234567890123', '2234567890123', SIM_ADMIN_KEY, 'e'.repeat(32)])
      expect(raw).not.toContain(secret);
  });
});
