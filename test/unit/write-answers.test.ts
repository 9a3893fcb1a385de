import { describe, expect, it } from 'vitest';
import {
  AddUsersAnswer,
  DeleteUsersAnswer,
  addAnswerTolerances,
  deleteAnswerTolerances,
} from '@/lib/kakao/write-tolerance';
import { createKakaoSimulator, SIM_ADMIN_KEY } from '@/lib/simulator/model';

describe('add users answer', () => {
  it('reads counts as numbers or numeric strings, with or without file_id', () => {
    expect(AddUsersAnswer.parse({ request_count: 2000, success_count: 1999 })).toEqual({
      request_count: 2000,
      success_count: 1999,
    });
    expect(AddUsersAnswer.parse({ request_count: '2000', success_count: '7', file_id: 123 })).toEqual({
      request_count: 2000,
      success_count: 7,
    });
    expect(addAnswerTolerances({ request_count: 1, success_count: 1 })).toEqual([]);
    expect(addAnswerTolerances({ request_count: '1', success_count: '1', file_id: 5 })).toEqual([
      'add.counts-as-strings',
      'add.file-id-echoed',
    ]);
  });
  it('refuses counts that are not counts', () => {
    expect(AddUsersAnswer.safeParse({ request_count: '12a', success_count: 1 }).success).toBe(false);
    expect(AddUsersAnswer.safeParse({ request_count: -1, success_count: 0 }).success).toBe(false);
    expect(AddUsersAnswer.safeParse({}).success).toBe(false);
  });
});

describe('delete users answer', () => {
  it('any 2XX body is a result; missing counts are absent, never an error', () => {
    expect(DeleteUsersAnswer.parse({ request_count: 3, success_count: 2 })).toEqual({
      request_count: 3,
      success_count: 2,
    });
    expect(DeleteUsersAnswer.parse({ request_count: '3', success_count: '2' })).toEqual({
      request_count: 3,
      success_count: 2,
    });
    expect(DeleteUsersAnswer.parse({})).toEqual({});
    expect(DeleteUsersAnswer.parse(null)).toEqual({});
    expect(DeleteUsersAnswer.parse({ request_count: 3 })).toEqual({ request_count: 3 });
    expect(DeleteUsersAnswer.parse({ success_count: 'many' })).toEqual({});
    expect(deleteAnswerTolerances({})).toEqual(['delete.no-counts']);
    expect(deleteAnswerTolerances(null)).toEqual(['delete.no-counts']);
    expect(deleteAnswerTolerances({ request_count: 3 })).toEqual(['delete.no-success-count']);
    expect(deleteAnswerTolerances({ request_count: '3', success_count: '3' })).toEqual(['delete.counts-as-strings']);
    expect(deleteAnswerTolerances({ request_count: 3, success_count: 3 })).toEqual([]);
  });
});

describe('simulator write dialect', () => {
  const post = (sim: ReturnType<typeof createKakaoSimulator>, path: string, body: string) =>
    sim.handle({
      method: 'POST',
      url: path,
      headers: { authorization: `KakaoAK ${SIM_ADMIN_KEY}`, 'content-type': 'application/json' },
      body,
    });
  it('answers add with string counts and the file_id, and delete with {} or request_count only', () => {
    const sim = createKakaoSimulator({ dialect: 'variant' });
    const created = JSON.parse(
      post(
        sim,
        '/v1/talkchannel/create/target_user_file',
        JSON.stringify({ channel_public_id: '_ZeUTxl', file_name: 'f', schema: {} }),
      ).response!.body,
    );
    const add = post(
      sim,
      '/v1/talkchannel/update/target_users',
      `{"file_id":${created.file_id},"channel_public_id":"_ZeUTxl","user_type":"app","users":[{"id":"1"},{"id":"2"}]}`,
    );
    expect(add.response!.body).toBe(`{"file_id":${created.file_id},"request_count":"2","success_count":"2"}`);
    const del = (ids: string[]) =>
      post(
        sim,
        '/v1/talkchannel/delete/target_users',
        `{"file_id":${created.file_id},"channel_public_id":"_ZeUTxl","user_type":"app",` +
          `"user_ids":${JSON.stringify(ids)}}`,
      );
    expect(JSON.parse(del(['1']).response!.body)).toEqual({});
    sim.setDialect({ base: 'variant', deleteAnswer: 'request-only' });
    expect(JSON.parse(del(['2']).response!.body)).toEqual({ request_count: 1 });
    expect(sim.fileUsers(created.file_id)!.size).toBe(0);
  });
  it('a reset-after fault applies the write and drops the answer', () => {
    const sim = createKakaoSimulator();
    const created = JSON.parse(
      post(
        sim,
        '/v1/talkchannel/create/target_user_file',
        JSON.stringify({ channel_public_id: '_ZeUTxl', file_name: 'f', schema: {} }),
      ).response!.body,
    );
    sim.injectFaults('reset-after', 1, '/v1/talkchannel/update');
    const r = post(
      sim,
      '/v1/talkchannel/update/target_users',
      `{"file_id":${created.file_id},"channel_public_id":"_ZeUTxl","user_type":"app","users":[{"id":"1"}]}`,
    );
    expect(r).toEqual({ fault: 'reset-after' });
    expect(sim.fileUsers(created.file_id)!.size).toBe(1);
    expect(sim.log.at(-1)).toMatchObject({ fault: 'reset-after', status: 200, count: 1 });
  });
});
