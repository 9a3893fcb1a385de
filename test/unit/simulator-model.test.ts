import { beforeEach, describe, expect, it } from 'vitest';
import {
  MAX_FILES_PER_CHANNEL,
  MAX_FILE_USERS,
  MAX_MULTI_IDS,
  MAX_SCHEMA_FIELDS,
  SIM_ADMIN_KEY,
  SIM_CHANNELS,
  createKakaoSimulator,
  simDropsUser,
  simDuplicatesUser,
  simLacksChannels,
  type FaultKind,
  type KakaoSimulator,
  type SimulatorOptions,
} from '../../lib/simulator/model';
import { parseJsonKeepingIds } from '../../lib/kakao/schemas';

const ADMIN = `KakaoAK ${SIM_ADMIN_KEY}`;
const NOW = Date.UTC(2025, 4, 6, 7, 8, 9);
const RFC3339_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const BIG_USER = '1234567890123456789';
const LINKED = SIM_CHANNELS.filter((c) => c.linked).map((c) => c.publicId);

interface CallOptions {
  auth?: string | null;
  body?: unknown;
  contentType?: string;
}
interface Answer {
  status: number;
  raw: string;
  json: any;
}

function makeSim(options: SimulatorOptions = {}) {
  return createKakaoSimulator({
    now: () => NOW,
    userTokens: {
      'tok-consent': { userId: BIG_USER, plusfriendsConsent: true },
      'tok-noconsent': { userId: '555', plusfriendsConsent: false },
    },
    ...options,
  });
}

function call(sim: KakaoSimulator, method: string, url: string, opts: CallOptions = {}): Answer {
  const headers: Record<string, string | undefined> = {};
  const auth = opts.auth === undefined ? ADMIN : opts.auth;
  if (auth !== null) headers['authorization'] = auth;
  let body = '';
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] = opts.contentType ?? 'application/json;charset=utf-8';
  }
  const result = sim.handle({ method, url, headers, body });
  if (!result.response) throw new Error(`no response (fault ${result.fault})`);
  return { status: result.response.status, raw: result.response.body, json: parseJsonKeepingIds(result.response.body) };
}

const qs = (params: Record<string, string>) => new URLSearchParams(params).toString();
const single = (params: Record<string, string>) => `/v2/api/talk/channels?${qs(params)}`;
const multi = (params: Record<string, string>) => `/v2/api/talk/channels/multi?${qs(params)}`;

function expectKakaoError(res: Answer, status: number, code: number) {
  expect(res.status).toBe(status);
  expect(res.json).toEqual({ code, msg: expect.any(String) });
}

function createFile(
  sim: KakaoSimulator,
  channel: string,
  name: string,
  schema: Record<string, string> = { 성별: 'string', 구매금액: 'number' },
) {
  return call(sim, 'POST', '/v1/talkchannel/create/target_user_file', {
    body: { channel_public_id: channel, file_name: name, schema },
  });
}
function addUsers(sim: KakaoSimulator, fileId: string, users: unknown[], channel = '_ZeUTxl', userType = 'app') {
  return call(sim, 'POST', '/v1/talkchannel/update/target_users', {
    body: `{"file_id":${fileId},${JSON.stringify({ channel_public_id: channel, user_type: userType, users }).slice(1)}`,
  });
}
function deleteUsers(sim: KakaoSimulator, fileId: string, userIds: unknown[], channel = '_ZeUTxl') {
  return call(sim, 'POST', '/v1/talkchannel/delete/target_users', {
    body:
      `{"file_id":${fileId},` +
      JSON.stringify({ channel_public_id: channel, user_type: 'app', user_ids: userIds }).slice(1),
  });
}

let sim: KakaoSimulator;
beforeEach(() => {
  sim = makeSim();
});

describe('authentication', () => {
  it('a missing Authorization header → 401/-401', () => {
    expectKakaoError(
      call(sim, 'GET', single({ target_id_type: 'user_id', target_id: '1' }), { auth: null }),
      401,
      -401,
    );
  });

  it.each([
    ['an unknown admin key', 'KakaoAK ffffffffffffffffffffffffffffffff'],
    ['a malformed header', `KakaoAK${SIM_ADMIN_KEY}`],
    ['an unknown Bearer token', 'Bearer nope'],
  ])('%s → 401/-401', (_label, auth) => {
    expectKakaoError(call(sim, 'GET', single({ target_id_type: 'user_id', target_id: '1' }), { auth }), 401, -401);
  });

  it('accepts the known admin key and keys added later', () => {
    expect(call(sim, 'GET', single({ target_id_type: 'user_id', target_id: '1' })).status).toBe(200);
    const other = 'abcdefabcdefabcdefabcdefabcdefab';
    expect(
      call(sim, 'GET', single({ target_id_type: 'user_id', target_id: '1' }), { auth: `KakaoAK ${other}` }).status,
    ).toBe(401);
    sim.addAdminKey(other);
    expect(
      call(sim, 'GET', single({ target_id_type: 'user_id', target_id: '1' }), { auth: `KakaoAK ${other}` }).status,
    ).toBe(200);
  });

  it('a consenting user token works on /v2/api/talk/channels without target params', () => {
    const res = call(sim, 'GET', '/v2/api/talk/channels', { auth: 'Bearer tok-consent' });
    expect(res.status).toBe(200);
    expect(res.json.user_id).toBe(BIG_USER);
    expect(res.json.channels.map((c: any) => c.channel_public_id)).toEqual(LINKED);
  });

  it('a user without plusfriends consent → 403/-402 with required_scopes', () => {
    const res = call(sim, 'GET', '/v2/api/talk/channels', { auth: 'Bearer tok-noconsent' });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe(-402);
    expect(res.json.required_scopes).toEqual(['plusfriends']);
    expect(Array.isArray(res.json.allowed_scopes)).toBe(true);
  });

  it('a user token on /multi → 401/-401 (admin key only)', () => {
    expectKakaoError(
      call(sim, 'GET', multi({ target_id_type: 'user_id', target_ids: '1,2' }), { auth: 'Bearer tok-consent' }),
      401,
      -401,
    );
  });

  it('a user token on the customer-file APIs → 401/-401', () => {
    expectKakaoError(
      call(sim, 'GET', '/v1/talkchannel/target_user_file?channel_public_id=_ZeUTxl', { auth: 'Bearer tok-consent' }),
      401,
      -401,
    );
    expectKakaoError(
      call(sim, 'POST', '/v1/talkchannel/create/target_user_file', {
        auth: 'Bearer tok-consent',
        body: { channel_public_id: '_ZeUTxl', file_name: 'x', schema: {} },
      }),
      401,
      -401,
    );
    expect(sim.files('_ZeUTxl')).toHaveLength(0);
  });
});

describe('relationship checks', () => {
  it.each([
    ['target_id_type missing', { target_id: '1' }],
    ['target_id_type wrong', { target_id_type: 'uuid', target_id: '1' }],
    ['target_id missing', { target_id_type: 'user_id' }],
    ['target_id not a number', { target_id_type: 'user_id', target_id: 'abc' }],
    ['target_id with a leading zero', { target_id_type: 'user_id', target_id: '0123' }],
  ])('admin key: %s → 400/-2', (_label, params) => {
    expectKakaoError(call(sim, 'GET', single(params as Record<string, string>)), 400, -2);
  });

  it('the raw JSON body has the 19-digit user_id as a bare number', () => {
    const res = call(sim, 'GET', single({ target_id_type: 'user_id', target_id: BIG_USER }));
    expect(res.status).toBe(200);
    expect(res.raw).toMatch(new RegExp(`"user_id":${BIG_USER}[,}]`));
    expect(res.json.user_id).toBe(BIG_USER);
  });

  it('answers every linked channel when channel_ids is omitted, with the true relation', () => {
    const res = call(sim, 'GET', single({ target_id_type: 'user_id', target_id: '777' }));
    expect(res.json.channels.map((c: any) => c.channel_public_id)).toEqual(LINKED);
    for (const c of res.json.channels) {
      const truth = sim.relationOf('777', c.channel_public_id);
      expect(c.relation).toBe(truth.relation);
      expect(c.updated_at).toBe(truth.updatedAt);
      expect(c.channel_uuid).toBe(SIM_CHANNELS.find((s) => s.publicId === c.channel_public_id)!.uuid);
    }
  });

  it('parses channel_ids as comma-separated, keeps the asked order and drops unlinked/unknown IDs', () => {
    const res = call(
      sim,
      'GET',
      single({
        target_id_type: 'user_id',
        target_id: '1',
        channel_ids: '_frxjem,_unlnkd,_nope,_ZeUTxl',
        channel_id_type: 'channel_public_id',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.json.channels.map((c: any) => c.channel_public_id)).toEqual(['_frxjem', '_ZeUTxl']);
  });

  it('leaves updated_at out for NONE and writes RFC 3339 Z times otherwise', () => {
    sim.setRelation('10', '_ZeUTxl', 'NONE');
    sim.setRelation('10', '_frxjem', 'BLOCKED');
    sim.setRelation('11', '_ZeUTxl', 'ADDED');
    const res = call(sim, 'GET', multi({ target_id_type: 'user_id', target_ids: '10,11' }));
    const [u10, u11] = res.json;
    const z = u10.channels.find((c: any) => c.channel_public_id === '_ZeUTxl');
    const f = u10.channels.find((c: any) => c.channel_public_id === '_frxjem');
    expect(z.relation).toBe('NONE');
    expect(z).not.toHaveProperty('updated_at');
    expect(f.relation).toBe('BLOCKED');
    expect(f.updated_at).toMatch(RFC3339_Z);
    expect(Date.parse(f.updated_at)).toBe(NOW);
    expect(u11.channels[0]).toMatchObject({
      relation: 'ADDED',
      updated_at: new Date(NOW).toISOString().replace('.000Z', 'Z'),
    });
  });

  it('over many seeded users: NONE never has updated_at, the others always have a Z time', () => {
    const ids = Array.from({ length: 150 }, (_, i) => String(100_000 + i));
    const res = call(sim, 'GET', multi({ target_id_type: 'user_id', target_ids: ids.join(',') }));
    const relations = new Set<string>();
    for (const user of res.json) {
      for (const c of user.channels) {
        relations.add(c.relation);
        if (c.relation === 'NONE') expect(c).not.toHaveProperty('updated_at');
        else expect(c.updated_at).toMatch(RFC3339_Z);
      }
    }
    expect([...relations].sort()).toEqual(['ADDED', 'BLOCKED', 'NONE']);
  });

  it('/multi returns an array in the order asked, matching relationOf', () => {
    const ids = ['3', BIG_USER, '2', '9223372036854775807'];
    const res = call(sim, 'GET', multi({ target_id_type: 'user_id', target_ids: ids.join(',') }));
    expect(res.status).toBe(200);
    expect(Array.isArray(res.json)).toBe(true);
    expect(res.json.map((u: any) => String(u.user_id))).toEqual(ids);
    for (const u of res.json) {
      for (const c of u.channels)
        expect(c.relation).toBe(sim.relationOf(String(u.user_id), c.channel_public_id).relation);
    }
    for (const id of ids) expect(res.raw).toContain(`"user_id":${id},`);
  });

  it(`/multi: ${MAX_MULTI_IDS} IDs pass, ${MAX_MULTI_IDS + 1} → 400/-2`, () => {
    const ids = Array.from({ length: MAX_MULTI_IDS + 1 }, (_, i) => String(i + 1));
    const ok = call(
      sim,
      'GET',
      multi({ target_id_type: 'user_id', target_ids: ids.slice(0, MAX_MULTI_IDS).join(',') }),
    );
    expect(ok.status).toBe(200);
    expect(ok.json).toHaveLength(MAX_MULTI_IDS);
    expectKakaoError(call(sim, 'GET', multi({ target_id_type: 'user_id', target_ids: ids.join(',') })), 400, -2);
  });

  it.each([
    ['target_ids missing', { target_id_type: 'user_id' }],
    ['target_id_type missing', { target_ids: '1,2' }],
    ['a non-numeric target', { target_id_type: 'user_id', target_ids: '1,x,3' }],
  ])('/multi: %s → 400/-2', (_label, params) => {
    expectKakaoError(call(sim, 'GET', multi(params as Record<string, string>)), 400, -2);
  });
});

describe('customer files', () => {
  it('creates a file and lists it with slots, update_at and schema', () => {
    const created = createFile(sim, '_frxjem', 'vip_2024');
    expect(created.status).toBe(200);
    expect(created.raw).toMatch(/^\{"file_id":\d+\}$/);
    const fileId = String(created.json.file_id);

    const list = call(sim, 'GET', '/v1/talkchannel/target_user_file?channel_public_id=_frxjem');
    expect(list.status).toBe(200);
    expect(list.json.using_slot).toBe(1);
    expect(list.json.empty_slot).toBe(MAX_FILES_PER_CHANNEL - 1);
    expect(list.json.results).toHaveLength(1);
    expect(String(list.json.results[0].file_id)).toBe(fileId);
    expect(list.json.results[0]).toMatchObject({
      file_name: 'vip_2024',
      status: 'active',
      schema: { 성별: 'string', 구매금액: 'number' },
    });
    expect(list.json.results[0].update_at).toMatch(RFC3339_Z);
    expect(sim.files('_frxjem')).toEqual([
      { id: fileId, name: 'vip_2024', schema: { 성별: 'string', 구매금액: 'number' }, userCount: 0 },
    ]);
  });

  it('_ZeUTxl counts its 2 hand-made files: 28 creatable, then -818', () => {
    const before = call(sim, 'GET', '/v1/talkchannel/target_user_file?channel_public_id=_ZeUTxl').json;
    expect(before).toMatchObject({ using_slot: 2, empty_slot: MAX_FILES_PER_CHANNEL - 2, results: [] });
    for (let i = 0; i < MAX_FILES_PER_CHANNEL - 2; i++) expect(createFile(sim, '_ZeUTxl', `f${i}`).status).toBe(200);
    expectKakaoError(createFile(sim, '_ZeUTxl', 'one-too-many'), 400, -818);
    const after = call(sim, 'GET', '/v1/talkchannel/target_user_file?channel_public_id=_ZeUTxl').json;
    expect(after).toMatchObject({ using_slot: MAX_FILES_PER_CHANNEL, empty_slot: 0 });
    expect(after.results).toHaveLength(MAX_FILES_PER_CHANNEL - 2);
  });

  it('a channel without hand-made files takes 30, and preexistingFiles is configurable', () => {
    for (let i = 0; i < MAX_FILES_PER_CHANNEL; i++) expect(createFile(sim, '_frxjem', `f${i}`).status).toBe(200);
    expectKakaoError(createFile(sim, '_frxjem', 'f30'), 400, -818);

    const full = makeSim({ preexistingFiles: { _frxjem: MAX_FILES_PER_CHANNEL } });
    expectKakaoError(createFile(full, '_frxjem', 'x'), 400, -818);
    expect(createFile(full, '_ZeUTxl', 'x').status).toBe(200);
  });

  it('a duplicate name → -817 (per channel)', () => {
    expect(createFile(sim, '_ZeUTxl', 'dup').status).toBe(200);
    expectKakaoError(createFile(sim, '_ZeUTxl', 'dup'), 400, -817);
    expect(createFile(sim, '_frxjem', 'dup').status).toBe(200);
    expect(sim.files('_ZeUTxl')).toHaveLength(1);
  });

  it('an unknown channel → -541, an unlinked channel → -819, a missing one → -2', () => {
    expectKakaoError(createFile(sim, '_nochan', 'x'), 400, -541);
    expectKakaoError(createFile(sim, '_unlnkd', 'x'), 400, -819);
    expectKakaoError(call(sim, 'GET', '/v1/talkchannel/target_user_file?channel_public_id=_nochan'), 400, -541);
    expectKakaoError(call(sim, 'GET', '/v1/talkchannel/target_user_file?channel_public_id=_unlnkd'), 400, -819);
    expectKakaoError(call(sim, 'GET', '/v1/talkchannel/target_user_file'), 400, -2);
  });

  it(`schema: ${MAX_SCHEMA_FIELDS} fields pass, ${MAX_SCHEMA_FIELDS + 1} → -2; bad types → -2`, () => {
    const schema = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`field${i}`, 'number']));
    expect(createFile(sim, '_ZeUTxl', 'thirty', schema(MAX_SCHEMA_FIELDS)).status).toBe(200);
    expectKakaoError(createFile(sim, '_ZeUTxl', 'thirty-one', schema(MAX_SCHEMA_FIELDS + 1)), 400, -2);
    expectKakaoError(createFile(sim, '_ZeUTxl', 'bad-type', { 성별: 'text' }), 400, -2);
    expect(sim.files('_ZeUTxl').map((f) => f.name)).toEqual(['thirty']);
  });

  it.each([
    [
      'a form body',
      'application/x-www-form-urlencoded;charset=utf-8',
      'channel_public_id=_ZeUTxl&file_name=x&schema=%7B%7D',
    ],
    [
      'JSON text sent as text/plain',
      'text/plain',
      JSON.stringify({ channel_public_id: '_ZeUTxl', file_name: 'x', schema: {} }),
    ],
    ['a JSON array', 'application/json', '[]'],
    ['broken JSON', 'application/json', '{"channel_public_id":'],
  ])('customer-file POSTs take JSON objects only: %s → -2', (_label, contentType, body) => {
    expectKakaoError(call(sim, 'POST', '/v1/talkchannel/create/target_user_file', { body, contentType }), 400, -2);
    expect(sim.files('_ZeUTxl')).toHaveLength(0);
  });

  it('a form body on add users → -2 and nothing stored', () => {
    const fileId = String(createFile(sim, '_ZeUTxl', 'f').json.file_id);
    const res = call(sim, 'POST', '/v1/talkchannel/update/target_users', {
      body: `file_id=${fileId}&channel_public_id=_ZeUTxl&user_type=app&users=%5B%7B%22id%22%3A%221%22%7D%5D`,
      contentType: 'application/x-www-form-urlencoded',
    });
    expectKakaoError(res, 400, -2);
    expect(sim.fileUsers(fileId)!.size).toBe(0);
  });
});

describe('file users', () => {
  let fileId: string;
  beforeEach(() => {
    fileId = String(createFile(sim, '_ZeUTxl', 'users').json.file_id);
  });

  it('stores users with their fields and counts successes', () => {
    const res = addUsers(sim, fileId, [
      { id: BIG_USER, field: { 성별: 'F', 구매금액: 52000 } },
      { id: '1234567891', field: { 성별: 'M' } },
      { id: '1234567892' },
    ]);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ request_count: 3, success_count: 3 });
    const stored = sim.fileUsers(fileId)!;
    expect(stored.get(BIG_USER)).toEqual({ 성별: 'F', 구매금액: 52000 });
    expect(stored.get('1234567891')).toEqual({ 성별: 'M' });
    expect(stored.get('1234567892')).toEqual({});
    expect(sim.files('_ZeUTxl')[0]!.userCount).toBe(3);
  });

  it('re-adding a user merges its fields', () => {
    addUsers(sim, fileId, [{ id: '7', field: { 성별: 'F' } }]);
    addUsers(sim, fileId, [{ id: '7', field: { 구매금액: 10 } }]);
    expect(sim.fileUsers(fileId)!.get('7')).toEqual({ 성별: 'F', 구매금액: 10 });
  });

  it('counts as failures: a wrong field key, an unknown field, a wrong value type, a bad ID', () => {
    const res = addUsers(sim, fileId, [
      { id: '1', field_data: { 성별: 'F' } },
      { id: '2', field: { 나이: 3 } },
      { id: '3', field: { 구매금액: '52000' } },
      { id: 'abc' },
      { id: '5', field: { 성별: 'F' } },
    ]);
    expect(res.json).toEqual({ request_count: 5, success_count: 1 });
    expect([...sim.fileUsers(fileId)!.keys()]).toEqual(['5']);
  });

  it(`${MAX_FILE_USERS} users pass, ${MAX_FILE_USERS + 1} → -2 and nothing stored`, () => {
    const users = Array.from({ length: MAX_FILE_USERS + 1 }, (_, i) => ({
      id: String(10_000 + i),
      field: { 구매금액: i },
    }));
    expectKakaoError(addUsers(sim, fileId, users), 400, -2);
    expect(sim.fileUsers(fileId)!.size).toBe(0);
    expect(addUsers(sim, fileId, users.slice(0, MAX_FILE_USERS)).json).toEqual({
      request_count: MAX_FILE_USERS,
      success_count: MAX_FILE_USERS,
    });
    expect(sim.fileUsers(fileId)!.size).toBe(MAX_FILE_USERS);
  });

  it('delete counts only users that were in the file', () => {
    addUsers(sim, fileId, [{ id: '1' }, { id: '2' }, { id: '3' }]);
    const res = deleteUsers(sim, fileId, ['1', '3', '99', 'bad']);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ request_count: 4, success_count: 2 });
    expect([...sim.fileUsers(fileId)!.keys()]).toEqual(['2']);
    expect(deleteUsers(sim, fileId, ['1']).json).toEqual({ request_count: 1, success_count: 0 });
  });

  it('an unknown file → -816 for add and delete; a file of another channel is unknown too', () => {
    expectKakaoError(addUsers(sim, '999999', [{ id: '1' }]), 400, -816);
    expectKakaoError(deleteUsers(sim, '999999', ['1']), 400, -816);
    expectKakaoError(addUsers(sim, fileId, [{ id: '1' }], '_frxjem'), 400, -816);
    expectKakaoError(addUsers(sim, fileId, [{ id: '1' }], '_nochan'), 400, -541);
    expectKakaoError(addUsers(sim, fileId, [{ id: '1' }], '_unlnkd'), 400, -819);
  });

  it('missing users/user_ids or a bad user_type → -2', () => {
    expectKakaoError(addUsers(sim, fileId, []), 400, -2);
    expectKakaoError(deleteUsers(sim, fileId, []), 400, -2);
    expectKakaoError(addUsers(sim, fileId, [{ id: '1' }], '_ZeUTxl', 'email'), 400, -2);
  });

  it('phone users are checked against the phone format', () => {
    const res = addUsers(
      sim,
      fileId,
      [{ id: '821012345678' }, { id: '01012345678' }, { id: '12345' }],
      '_ZeUTxl',
      'phone',
    );
    expect(res.json).toEqual({ request_count: 3, success_count: 2 });
  });
});

describe('request log', () => {
  it('records method, path, query, status, code and user count for every call', () => {
    sim.clearLog();
    call(sim, 'GET', multi({ target_id_type: 'user_id', target_ids: '1,2,3' }));
    call(sim, 'GET', single({ target_id_type: 'user_id', target_id: '1' }), { auth: 'KakaoAK wrong' });
    const fileId = String(createFile(sim, '_ZeUTxl', 'logged').json.file_id);
    addUsers(sim, fileId, [{ id: '1' }, { id: '2' }]);

    expect(sim.log).toHaveLength(4);
    expect(sim.log[0]).toMatchObject({
      method: 'GET',
      path: '/v2/api/talk/channels/multi',
      query: { target_id_type: 'user_id', target_ids: '1,2,3' },
      status: 200,
      count: 3,
      at: NOW,
    });
    expect(sim.log[0]).not.toHaveProperty('code');
    expect(sim.log[1]).toMatchObject({ path: '/v2/api/talk/channels', status: 401, code: -401 });
    expect(sim.log[2]).toMatchObject({ method: 'POST', path: '/v1/talkchannel/create/target_user_file', status: 200 });
    expect(sim.log[3]).toMatchObject({ path: '/v1/talkchannel/update/target_users', status: 200, count: 2 });

    sim.clearLog();
    expect(sim.log).toHaveLength(0);
  });

  it('logs the attempted count of an over-limit call', () => {
    const ids = Array.from({ length: MAX_MULTI_IDS + 5 }, (_, i) => String(i + 1));
    call(sim, 'GET', multi({ target_id_type: 'user_id', target_ids: ids.join(',') }));
    expect(sim.log.at(-1)).toMatchObject({ status: 400, code: -2, count: MAX_MULTI_IDS + 5 });
  });

  it('unknown paths → 404/-2', () => {
    expectKakaoError(call(sim, 'GET', '/v1/nothing/here'), 404, -2);
  });
});

describe('fault injection', () => {
  const relationUrl = single({ target_id_type: 'user_id', target_id: '1' });

  it.each<[FaultKind, number, number]>([
    ['5xx', 503, -9798],
    ['-1', 500, -1],
    ['-10', 400, -10],
    ['-603', 400, -603],
  ])('a scripted %s fault answers %i/%i once, then the real answer', (kind, status, code) => {
    sim.injectFaults(kind);
    expectKakaoError(call(sim, 'GET', relationUrl), status, code);
    expect(sim.log.at(-1)).toMatchObject({ fault: kind, status, code });
    expect(call(sim, 'GET', relationUrl).status).toBe(200);
    expect(sim.log.at(-1)).not.toHaveProperty('fault');
  });

  it.each<FaultKind>(['timeout', 'reset'])(
    'a scripted %s fault returns no response for the transport to act on',
    (kind) => {
      sim.injectFaults(kind);
      const result = sim.handle({ method: 'GET', url: relationUrl, headers: { authorization: ADMIN }, body: '' });
      expect(result.response).toBeUndefined();
      expect(result.fault).toBe(kind);
      expect(sim.log.at(-1)).toMatchObject({ fault: kind, status: 0 });
    },
  );

  it('scripted faults are counted and only hit their path prefix; faults come before auth', () => {
    sim.injectFaults('5xx', 2, '/v1/talkchannel/');
    expect(call(sim, 'GET', relationUrl).status).toBe(200);
    const list = '/v1/talkchannel/target_user_file?channel_public_id=_ZeUTxl';
    expect(call(sim, 'GET', list).status).toBe(503);
    expect(call(sim, 'GET', list, { auth: null }).status).toBe(503);
    expect(call(sim, 'GET', list).status).toBe(200);
  });

  it('a faulted create stores nothing', () => {
    sim.injectFaults('-1', 1, '/v1/talkchannel/create/');
    expect(createFile(sim, '_ZeUTxl', 'x').status).toBe(500);
    expect(sim.files('_ZeUTxl')).toHaveLength(0);
  });

  it('clearFaults drops scripted faults and the rate', () => {
    sim.injectFaults('5xx', 3);
    sim.setFaultRate(1);
    sim.clearFaults();
    expect(call(sim, 'GET', relationUrl).status).toBe(200);
  });

  function faultTrace(seed: number, n: number, kinds: FaultKind[] = ['5xx', '-1', '-10']) {
    const s = makeSim({ seed });
    s.setFaultRate(0.3, kinds);
    for (let i = 0; i < n; i++)
      s.handle({ method: 'GET', url: relationUrl, headers: { authorization: ADMIN }, body: '' });
    return s.log.map((e) => e.fault ?? 'ok');
  }

  it('rate-based faults are deterministic for a seed', () => {
    const a = faultTrace(7, 200);
    const b = faultTrace(7, 200);
    expect(a).toEqual(b);
    const faults = a.filter((f) => f !== 'ok');
    expect(faults.length).toBeGreaterThan(200 * 0.3 * 0.5);
    expect(faults.length).toBeLessThan(200 * 0.3 * 1.5);
    expect(new Set(faults)).toEqual(new Set(['5xx', '-1', '-10']));
    expect(faultTrace(8, 200)).not.toEqual(a);
  });

  it('the fault rate respects its path prefix, and 0 turns it off', () => {
    sim.setFaultRate(1, ['5xx'], '/v1/');
    expect(call(sim, 'GET', relationUrl).status).toBe(200);
    expect(call(sim, 'GET', '/v1/talkchannel/target_user_file?channel_public_id=_ZeUTxl').status).toBe(503);
    sim.setFaultRate(0);
    expect(call(sim, 'GET', '/v1/talkchannel/target_user_file?channel_public_id=_ZeUTxl').status).toBe(200);
  });
});

describe('dialect (answer shapes)', () => {
  const ids = Array.from({ length: 200 }, (_, i) => String(1000 + i));
  const lacking = ids.filter(simLacksChannels);
  const dropped = ids.filter(simDropsUser);
  const doubled = ids.filter(simDuplicatesUser);
  const ask = (s: KakaoSimulator) => call(s, 'GET', multi({ target_id_type: 'user_id', target_ids: ids.join(',') }));

  it('the helpers pick disjoint, non-empty user sets (about 1 in 7 lack channels)', () => {
    expect(lacking.length).toBeGreaterThan(15);
    expect(lacking.length).toBeLessThan(45);
    expect(dropped.length).toBeGreaterThan(0);
    expect(doubled.length).toBeGreaterThan(0);
    expect(dropped.some(simLacksChannels) || doubled.some(simLacksChannels) || doubled.some(simDropsUser)).toBe(false);
  });

  it('strict is the default and answers the spec shape', () => {
    expect(sim.dialect().multiMissingChannels).toBe(false);
    const res = ask(sim);
    expect(res.json.map((u: any) => String(u.user_id))).toEqual(ids);
    for (const u of res.json) expect(Array.isArray(u.channels)).toBe(true);
  });

  it('multiMissingChannels: exactly the predicted users come without channels or with channels null', () => {
    sim.setDialect({ multiMissingChannels: true });
    const res = ask(sim);
    const without = res.json.filter((u: any) => !Array.isArray(u.channels)).map((u: any) => String(u.user_id));
    expect(without).toEqual(lacking);
    const forms = new Set(
      res.json.filter((u: any) => !Array.isArray(u.channels)).map((u: any) => ('channels' in u ? 'null' : 'absent')),
    );
    expect([...forms].sort()).toEqual(['absent', 'null']);
  });

  it('multiDropsUsers / multiDuplicates / multiShuffled: users left out, answered twice, out of order', () => {
    sim.setDialect({ multiDropsUsers: true, multiDuplicates: true, multiShuffled: true });
    const answered = ask(sim).json.map((u: any) => String(u.user_id));
    expect(answered).toHaveLength(ids.length - dropped.length + doubled.length);
    for (const id of dropped) expect(answered).not.toContain(id);
    for (const id of doubled) expect(answered.filter((x: string) => x === id)).toHaveLength(2);
    expect(answered).not.toEqual([...answered].sort());
  });

  it('extraFields and timeFormat on the single check; singleEmptyChannels for the predicted users', () => {
    const friend = ids.find((id) => !simLacksChannels(id) && sim.relationOf(id, '_ZeUTxl').relation !== 'NONE')!;
    const url = single({ target_id_type: 'user_id', target_id: friend, channel_ids: '_ZeUTxl' });
    const truth = sim.relationOf(friend, '_ZeUTxl').updatedAt!;
    sim.setDialect({ extraFields: true, timeFormat: 'offset' });
    const offset = call(sim, 'GET', url).json;
    expect(offset.app_user).toBe(true);
    expect(offset.channels[0].channel_type).toBe('talk');
    expect(offset.channels[0].updated_at).toMatch(/\+09:00$/);
    expect(Date.parse(offset.channels[0].updated_at)).toBe(Date.parse(truth));
    sim.setDialect({ timeFormat: 'epoch-ms' });
    expect(call(sim, 'GET', url).json.channels[0].updated_at).toBe(Date.parse(truth));
    sim.setDialect({ timeFormat: 'no-seconds' });
    expect(call(sim, 'GET', url).json.channels[0].updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    sim.setDialect({ singleEmptyChannels: true });
    const none = call(
      sim,
      'GET',
      single({ target_id_type: 'user_id', target_id: lacking[0]!, channel_ids: '_ZeUTxl' }),
    ).json;
    expect(none.channels).toEqual([]);
  });

  it('file list: mixed schema forms, no dates, odd statuses, slots as strings or absent', () => {
    for (const name of ['a', 'b', 'c', 'd']) createFile(sim, '_frxjem', name);
    sim.setDialect('variant');
    const list = call(sim, 'GET', '/v1/talkchannel/target_user_file?channel_public_id=_frxjem').json;
    expect(list.using_slot).toBe('4');
    expect(list.empty_slot).toBe(String(MAX_FILES_PER_CHANNEL - 4));
    const [a, b, c, d] = list.results;
    expect(a.schema).toEqual({ 성별: 'string', 구매금액: 'number' });
    expect(JSON.parse(b.schema)).toEqual({ 성별: 'string', 구매금액: 'number' });
    expect(c.schema).toBeNull();
    expect('schema' in d).toBe(false);
    for (const f of list.results) {
      expect(f.update_at).toBeUndefined();
      expect(f.status).not.toBe('active');
    }
    sim.setDialect({ base: 'variant', fileSlots: 'absent' });
    const bare = call(sim, 'GET', '/v1/talkchannel/target_user_file?channel_public_id=_frxjem').json;
    expect('using_slot' in bare || 'empty_slot' in bare).toBe(false);
  });

  it('accepts add-users bodies with or without a charset', () => {
    const fileId = String(createFile(sim, '_ZeUTxl', 'ct').json.file_id);
    for (const contentType of ['application/json', 'application/json;charset=utf-8']) {
      const res = call(sim, 'POST', '/v1/talkchannel/update/target_users', {
        body: `{"file_id":${fileId},"channel_public_id":"_ZeUTxl","user_type":"app","users":[{"id":"12"}]}`,
        contentType,
      });
      expect(res.json).toEqual({ request_count: 1, success_count: 1 });
    }
  });
});
