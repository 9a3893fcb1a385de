import { describe, expect, it } from 'vitest';
import type { ApiCallRecord } from '../../lib/kakao/call-record';
import { createKakaoClient } from '../../lib/kakao/client';
import { KakaoApiError } from '../../lib/kakao/errors';
import { TOLERANCES } from '../../lib/kakao/tolerance';
import { createFakeFetch, jsonResponse, type Responder } from './fake-fetch';

/*
 * One test per tolerated answer shape (lib/kakao/tolerance.ts): the odd shape costs
 * one row at most, and the client's API-log record names the tolerance it needed.
 */

const KEY = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
function setup(responder: Responder) {
  const fake = createFakeFetch(responder);
  const records: ApiCallRecord[] = [];
  const client = createKakaoClient({
    origin: 'https://kapi.example.test',
    getKey: async () => KEY,
    fetch: fake.fetch,
    onCall: (r) => records.push(r),
  });
  return { fake, client, records };
}
const answer = (body: unknown) => setup(() => jsonResponse(200, body));
const ch = (id: string, relation: string, updated_at?: unknown, extra: Record<string, unknown> = {}) => ({
  channel_uuid: `@${id}`,
  channel_public_id: id,
  relation,
  ...(updated_at !== undefined ? { updated_at } : {}),
  ...extra,
});

describe('/multi: element by element', () => {
  it('a user without channels is UNKNOWN (no_channels); the batch-mates keep exact relations', async () => {
    const { client, records } = answer([
      { user_id: 11, channels: [ch('_a', 'ADDED', '2024-01-02T03:04:05Z')] },
      { user_id: 12 },
      { user_id: 13, channels: null },
      { user_id: 14, channels: [ch('_a', 'BLOCKED', '2024-01-02T03:04:05Z')] },
    ]);
    const users = await client.checkRelationships({ userIds: ['11', '12', '13', '14'], channelIds: ['_a'] });
    expect(users).toEqual([
      {
        user_id: '11',
        channels: [
          { channel_uuid: '@_a', channel_public_id: '_a', relation: 'ADDED', updated_at: '2024-01-02T03:04:05Z' },
        ],
      },
      { user_id: '12', channels: [], reason: 'no_channels' },
      { user_id: '13', channels: [], reason: 'no_channels' },
      {
        user_id: '14',
        channels: [
          { channel_uuid: '@_a', channel_public_id: '_a', relation: 'BLOCKED', updated_at: '2024-01-02T03:04:05Z' },
        ],
      },
    ]);
    expect(records[0]!.tolerances).toEqual([TOLERANCES.multiMissingChannels]);
    expect(records[0]!.code).toBeUndefined();
  });

  it('unknown extra fields on users and channels are ignored', async () => {
    const { client, records } = answer([
      { user_id: 11, nickname: 'x', channels: [ch('_a', 'NONE', undefined, { channel_type: 'talk' })] },
    ]);
    const [user] = await client.checkRelationships({ userIds: ['11'] });
    expect(user).toEqual({
      user_id: '11',
      channels: [{ channel_uuid: '@_a', channel_public_id: '_a', relation: 'NONE' }],
    });
    expect(records[0]!.tolerances).toEqual([TOLERANCES.extraFields]);
  });

  it('any order, missing users and duplicates: matched by user_id, merged, the missing ones named in the log', async () => {
    const { client, records } = answer([
      { user_id: 13, channels: [ch('_a', 'ADDED', '2024-01-01T00:00:00Z')] },
      { user_id: 11, channels: [ch('_a', 'NONE')] },
      {
        user_id: 13,
        channels: [ch('_a', 'ADDED', '2024-01-01T00:00:00Z'), ch('_b', 'BLOCKED', '2024-01-01T00:00:00Z')],
      },
    ]);
    const users = await client.checkRelationships({ userIds: ['11', '12', '13'], channelIds: ['_a', '_b'] });
    expect(users.map((u) => u.user_id)).toEqual(['13', '11']);
    expect(users[0]!.channels.map((c) => [c.channel_public_id, c.relation])).toEqual([
      ['_a', 'ADDED'],
      ['_b', 'BLOCKED'],
    ]);
    expect(records[0]!.tolerances.sort()).toEqual([TOLERANCES.multiDuplicates, TOLERANCES.multiMissingUsers].sort());
  });

  it('an element with an unreadable user_id is dropped and named; the rest of the batch stands', async () => {
    const { client, records } = answer([
      { user_id: 'abc', channels: [] },
      'junk',
      { user_id: 12, channels: [ch('_a', 'ADDED', '2024-01-01T00:00:00Z')] },
    ]);
    const users = await client.checkRelationships({ userIds: ['11', '12'] });
    expect(users).toEqual([{ user_id: '12', channels: [expect.objectContaining({ relation: 'ADDED' })] }]);
    expect(records[0]!.tolerances).toContain(TOLERANCES.multiUnreadableElement);
  });

  it('channels that is not a list → that user is UNKNOWN (unreadable); a channel entry without an ID is left out', async () => {
    const { client } = answer([
      { user_id: 11, channels: 'nope' },
      { user_id: 12, channels: [{ relation: 'ADDED' }, ch('_a', 'ADDED', '2024-01-01T00:00:00Z')] },
    ]);
    const users = await client.checkRelationships({ userIds: ['11', '12'] });
    expect(users[0]).toEqual({ user_id: '11', channels: [], reason: 'unreadable' });
    expect(users[1]!.channels).toHaveLength(1);
  });

  it('a relation value Kakao may add later is UNKNOWN with reason unknown_value', async () => {
    const { client, records } = answer([{ user_id: 11, channels: [ch('_a', 'DORMANT')] }]);
    const [user] = await client.checkRelationships({ userIds: ['11'] });
    expect(user!.channels[0]).toMatchObject({ relation: 'UNKNOWN', reason: 'unknown_value' });
    expect(records[0]!.tolerances).toEqual([TOLERANCES.unknownRelation]);
  });

  it('an answer that is not a list at all is still an invalid response (nothing usable came)', async () => {
    const { client } = answer({ users: [] });
    await expect(client.checkRelationships({ userIds: ['11'] })).rejects.toMatchObject({ code: 'invalid_response' });
  });
});

describe('single check', () => {
  it.each([
    ['offset', '2024-03-01T19:20:30+09:00', '2024-03-01T10:20:30Z', TOLERANCES.timeOffset],
    ['no seconds', '2024-03-01T10:20Z', '2024-03-01T10:20:00Z', TOLERANCES.timeNoSeconds],
    ['epoch ms', Date.UTC(2024, 2, 1, 10, 20, 30), '2024-03-01T10:20:30Z', TOLERANCES.timeEpochMs],
    ['offset without colon', '2024-03-01T19:20:30+0900', '2024-03-01T10:20:30Z', TOLERANCES.timeOffset],
  ])('updated_at %s → normalised to RFC 3339 UTC', async (_label, raw, iso, tolerance) => {
    const { client, records } = answer({ user_id: 11, channels: [ch('_a', 'ADDED', raw)] });
    const user = await client.checkRelationship({ userId: '11' });
    expect(user.channels[0]!.updated_at).toBe(iso);
    expect(records[0]!.tolerances).toEqual([tolerance]);
  });

  it('an unreadable updated_at is left out; the relation stands', async () => {
    const { client, records } = answer({ user_id: 11, channels: [ch('_a', 'BLOCKED', 'yesterday')] });
    const user = await client.checkRelationship({ userId: '11' });
    expect(user.channels[0]).toEqual({ channel_uuid: '@_a', channel_public_id: '_a', relation: 'BLOCKED' });
    expect(records[0]!.tolerances).toEqual([TOLERANCES.timeUnreadable]);
  });

  it('the spec form (Z, no fraction) passes untouched and needs no tolerance', async () => {
    const { client, records } = answer({ user_id: 11, channels: [ch('_a', 'ADDED', '2024-03-01T10:20:30Z')] });
    expect((await client.checkRelationship({ userId: '11' })).channels[0]!.updated_at).toBe('2024-03-01T10:20:30Z');
    expect(records[0]!.tolerances).toEqual([]);
  });

  it('channels: [] → no_channels; extra fields ignored', async () => {
    const { client, records } = answer({ user_id: 11, channels: [], consent: false });
    expect(await client.checkRelationship({ userId: '11' })).toEqual({
      user_id: '11',
      channels: [],
      reason: 'no_channels',
    });
    expect(records[0]!.tolerances.sort()).toEqual([TOLERANCES.extraFields, TOLERANCES.singleEmptyChannels].sort());
  });

  it('an answer naming no user is an invalid response', async () => {
    const { client } = answer({ channels: [] });
    await expect(client.checkRelationship({ userId: '11' })).rejects.toBeInstanceOf(KakaoApiError);
  });
});

describe('customer-file list: file by file', () => {
  const file = (extra: Record<string, unknown>) => ({
    file_id: 5,
    file_name: 'vip',
    status: 'active',
    update_at: '2024-05-02T01:02:03Z',
    ...extra,
  });
  const list = (results: unknown[], slots: Record<string, unknown> = { empty_slot: 29, using_slot: 1 }) => ({
    ...slots,
    results,
  });

  it('schema as an object is known', async () => {
    const { client, records } = answer(list([file({ schema: { 성별: 'string' } })]));
    const res = await client.listCustomerFiles({ channelId: '_a' });
    expect(res.results[0]).toMatchObject({
      schema: { 성별: 'string' },
      schemaKnown: true,
      updated_at: '2024-05-02T01:02:03Z',
    });
    expect(records[0]!.tolerances).toEqual([]);
  });

  it('schema as a JSON string is parsed', async () => {
    const { client, records } = answer(list([file({ schema: '{"성별":"string","구매금액":"number"}' })]));
    const res = await client.listCustomerFiles({ channelId: '_a' });
    expect(res.results[0]).toMatchObject({ schema: { 성별: 'string', 구매금액: 'number' }, schemaKnown: true });
    expect(records[0]!.tolerances).toEqual([TOLERANCES.fileSchemaString]);
  });

  it.each([
    ['null', { schema: null }],
    ['absent', {}],
    ['a string that is not JSON', { schema: 'gender:string' }],
    ['an object of non-strings', { schema: { a: 1 } }],
  ])('schema %s → {} and schemaKnown false', async (_label, extra) => {
    const { client, records } = answer(list([file(extra)]));
    const res = await client.listCustomerFiles({ channelId: '_a' });
    expect(res.results[0]).toMatchObject({ file_id: '5', schema: {}, schemaKnown: false });
    expect(records[0]!.tolerances).toContain(TOLERANCES.fileSchemaUnknown);
  });

  it('no update_at / updated_at, any status, and a missing status', async () => {
    const { client, records } = answer(
      list([
        { file_id: 5, file_name: 'a', status: 'READY', schema: {} },
        { file_id: 6, file_name: 'b', schema: {} },
      ]),
    );
    const res = await client.listCustomerFiles({ channelId: '_a' });
    expect(res.results[0]).toEqual({ file_id: '5', file_name: 'a', status: 'READY', schema: {}, schemaKnown: true });
    expect(res.results[1]!.status).toBeUndefined();
    expect(records[0]!.tolerances.sort()).toEqual([TOLERANCES.fileNoUpdatedAt, TOLERANCES.fileOddStatus].sort());
  });

  it('slot counts as numeric strings are numbers; absent ones are undefined', async () => {
    const strings = answer(list([], { empty_slot: '28', using_slot: '2' }));
    expect(await strings.client.listCustomerFiles({ channelId: '_a' })).toMatchObject({
      empty_slot: 28,
      using_slot: 2,
    });
    expect(strings.records[0]!.tolerances).toEqual([TOLERANCES.fileSlotsString]);
    const absent = answer({ results: [] });
    const res = await absent.client.listCustomerFiles({ channelId: '_a' });
    expect(res.empty_slot).toBeUndefined();
    expect(res.using_slot).toBeUndefined();
    expect(absent.records[0]!.tolerances).toEqual([TOLERANCES.fileSlotsAbsent]);
  });

  it('a file without file_id costs that row only: listed as unreadable, the others usable', async () => {
    const { client, records } = answer(list([file({ schema: {} }), { file_name: 'ghost', schema: {} }, 'junk']));
    const res = await client.listCustomerFiles({ channelId: '_a' });
    expect(res.results.map((f) => f.file_id)).toEqual(['5']);
    expect(res.unreadable).toEqual([{ position: 2, file_name: 'ghost' }, { position: 3 }]);
    expect(records[0]!.tolerances).toEqual([TOLERANCES.fileUnreadable]);
  });
});

describe('request details', () => {
  it('JSON bodies go with Content-Type application/json, no charset', async () => {
    const { fake, client } = setup(() => jsonResponse(200, { request_count: 1, success_count: 1 }));
    await client.addUsers({ fileId: '5', channelId: '_a', userType: 'app', users: [{ id: '11' }] });
    expect(fake.last().headers.get('content-type')).toBe('application/json');
  });

  it('file_id is written without leading zeros (a JSON number cannot have them)', async () => {
    const { fake, client } = setup(() => jsonResponse(200, { request_count: 1, success_count: 1 }));
    await client.deleteUsers({ fileId: '007', channelId: '_a', userType: 'app', userIds: ['11'] });
    const body = fake.last().body!;
    expect(body.startsWith('{"file_id":7,')).toBe(true);
    expect(() => JSON.parse(body)).not.toThrow();
    await client.deleteUsers({ fileId: '0', channelId: '_a', userType: 'app', userIds: ['11'] });
    expect(JSON.parse(fake.last().body!).file_id).toBe(0);
  });
});
