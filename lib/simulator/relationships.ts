import type { Auth } from './auth';
import { isResponse, json, kakaoError, rawJson, timeIn } from './respond';
import { hash32, rfc3339 } from './seed';
import type { Relation, SimContext, SimLogEntry, SimResponse } from './types';

/* The relationship endpoints: /v2/api/talk/channels (one user) and /v2/api/talk/channels/multi. */

export const MAX_MULTI_IDS = 200;
export const USER_ID = /^[1-9][0-9]{0,19}$/;

/** The seeded relation of a user with a channel: about 60% friends, 20% blocked, 20% not added. */
export function seededRelation(userId: string, channelId: string): Relation {
  const h = hash32(`${channelId}:${userId}`) % 10;
  return h < 6 ? 'ADDED' : h < 8 ? 'BLOCKED' : 'NONE';
}

/*
 * Which users the read switches of the `variant` dialect touch: deterministic
 * (a hash of the user ID), so tests can predict them. The three sets never overlap.
 */
/**
 * About 1 in 7 users: /multi answers them without `channels` (or with `channels: null`), the single check with
 * `channels: []`.
 */
export function simLacksChannels(userId: string): boolean {
  return hash32(`nochan:${userId}`) % 7 === 0;
}
/** About 1 in 17 of the other users: /multi leaves them out (`multiDropsUsers`). */
export function simDropsUser(userId: string): boolean {
  return !simLacksChannels(userId) && hash32(`drop:${userId}`) % 17 === 0;
}
/** About 1 in 11 of the remaining users: /multi answers them twice (`multiDuplicates`). */
export function simDuplicatesUser(userId: string): boolean {
  return !simLacksChannels(userId) && !simDropsUser(userId) && hash32(`dup:${userId}`) % 11 === 0;
}

export function createRelationships(ctx: SimContext) {
  const { channels, now } = ctx;
  const overrides = new Map<string, { relation: Relation; updatedAt: number }>();

  function relationOf(userId: string, channelId: string): { relation: Relation; updatedAt?: string } {
    const o = overrides.get(`${channelId}:${userId}`);
    const relation = o?.relation ?? seededRelation(userId, channelId);
    if (relation === 'NONE') return { relation };
    const at = o?.updatedAt ?? Date.UTC(2024, 0, 1) + (hash32(`t:${channelId}:${userId}`) % (700 * 86400)) * 1000;
    return { relation, updatedAt: rfc3339(at) };
  }

  function userBody(userId: string, channelIds: string[], call: 'single' | 'multi' = 'multi') {
    const dialect = ctx.dialect();
    // A JSON number in Kakao's answer; written raw below so 19-digit IDs are exact.
    const user_id = `__RAW__${userId}`;
    const extraUser = dialect.extraFields ? { app_user: true, extra: { source: 'sim' } } : {};
    if (call === 'multi' && dialect.multiMissingChannels && simLacksChannels(userId)) {
      // Half leave `channels` out, half send it as null.
      return hash32(`null:${userId}`) % 2 === 0 ? { user_id, ...extraUser } : { user_id, channels: null, ...extraUser };
    }
    if (call === 'single' && dialect.singleEmptyChannels && simLacksChannels(userId))
      return { user_id, channels: [], ...extraUser };
    return {
      user_id,
      ...extraUser,
      channels: channelIds.map((id) => {
        const c = channels.get(id)!;
        const r = relationOf(userId, id);
        return {
          channel_uuid: c.uuid,
          channel_public_id: c.publicId,
          relation: r.relation,
          ...(r.updatedAt ? { updated_at: timeIn(dialect.timeFormat, r.updatedAt) } : {}),
          ...(dialect.extraFields ? { channel_type: 'talk', searchable: true } : {}),
        };
      }),
    };
  }

  /** Channel IDs asked for, restricted to linked ones. Unlinked or unknown IDs are dropped (UNCONFIRMED behaviour). */
  function resolveChannels(raw: string | undefined): string[] | SimResponse {
    const linked = [...channels.values()].filter((c) => c.linked).map((c) => c.publicId);
    if (raw === undefined || raw === '') return linked;
    const asked = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return asked.filter((id) => channels.get(id)?.linked);
  }

  /** The answer when the request is one of these endpoints; undefined otherwise. */
  function route(
    method: string,
    path: string,
    q: (name: string) => string | undefined,
    auth: Exclude<Auth, SimResponse>,
    entry: SimLogEntry,
  ): SimResponse | undefined {
    if (path === '/v2/api/talk/channels' && method === 'GET') {
      let userId: string;
      if (auth.kind === 'user') {
        if (!auth.consent) {
          return json(403, {
            msg: 'insufficient scopes.',
            code: -402,
            api_type: 'TALK_CHANNELS',
            required_scopes: ['plusfriends'],
            allowed_scopes: ['profile_nickname'],
          });
        }
        userId = auth.userId;
      } else {
        if (q('target_id_type') !== 'user_id') return kakaoError(400, -2, 'target_id_type must be user_id');
        const target = q('target_id');
        if (!target || !USER_ID.test(target)) return kakaoError(400, -2, 'target_id is required and must be a number');
        userId = target;
      }
      const ids = resolveChannels(q('channel_ids'));
      if (isResponse(ids)) return ids;
      entry.count = 1;
      return rawJson(200, userBody(userId, ids, 'single'));
    }

    if (path === '/v2/api/talk/channels/multi' && method === 'GET') {
      if (auth.kind !== 'admin') return kakaoError(401, -401, 'admin key required');
      if (q('target_id_type') !== 'user_id') return kakaoError(400, -2, 'target_id_type must be user_id');
      const raw = q('target_ids');
      if (!raw) return kakaoError(400, -2, 'target_ids is required');
      // Comma-separated; a JSON-array string is UNCONFIRMED but accepted here.
      const targets = raw
        .replace(/^\[|\]$/g, '')
        .split(',')
        .map((s) => s.trim());
      entry.count = targets.length;
      if (targets.length > MAX_MULTI_IDS) return kakaoError(400, -2, `target_ids exceeds ${MAX_MULTI_IDS}`);
      if (targets.some((t) => !USER_ID.test(t))) return kakaoError(400, -2, 'target_ids must be numbers');
      const ids = resolveChannels(q('channel_ids'));
      if (isResponse(ids)) return ids;
      const dialect = ctx.dialect();
      let answered = targets;
      if (dialect.multiDropsUsers) answered = answered.filter((t) => !simDropsUser(t));
      if (dialect.multiDuplicates) answered = answered.flatMap((t) => (simDuplicatesUser(t) ? [t, t] : [t]));
      if (dialect.multiShuffled) answered = [...answered].sort((a, b) => hash32(`order:${a}`) - hash32(`order:${b}`));
      return rawJson(
        200,
        answered.map((t) => userBody(t, ids)),
      );
    }
    return undefined;
  }

  return {
    route,
    relationOf,
    setRelation(userId: string, channelId: string, relation: Relation) {
      overrides.set(`${channelId}:${userId}`, { relation, updatedAt: now() });
    },
    /**
     * Changes `count` relations among `userIds` (one channel each, picked by a hash of `round` and the ID, from
     * `channelIds` or every linked channel), each to one of the two other relations: users add, block, unblock
     * or leave between two checks. Returns what changed.
     */
    flipRelations(userIds: readonly string[], count: number, options: { channelIds?: string[]; round?: number } = {}) {
      const round = options.round ?? 1;
      const pool = options.channelIds ?? [...channels.values()].filter((c) => c.linked).map((c) => c.publicId);
      const picked = [...new Set(userIds)]
        .map((id) => ({ id, h: hash32(`flip:${round}:${id}`) }))
        .sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : 1))
        .slice(0, count);
      const others: Record<Relation, [Relation, Relation]> = {
        ADDED: ['NONE', 'BLOCKED'],
        NONE: ['ADDED', 'BLOCKED'],
        BLOCKED: ['ADDED', 'NONE'],
      };
      return picked.map(({ id, h }) => {
        const channelId = pool[h % pool.length]!;
        const from = relationOf(id, channelId).relation;
        const to = others[from][(h >>> 8) % 2]!;
        overrides.set(`${channelId}:${id}`, { relation: to, updatedAt: now() });
        return { userId: id, channelId, from, to };
      });
    },
  };
}
