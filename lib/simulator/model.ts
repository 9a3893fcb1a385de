import { accessAnswer, type AccessRules } from './access';
import { resolveDialect, type DialectSetting, type SimDialect } from './dialect';
import { hash32, rfc3339, seededRandom } from './seed';

/*
 * An in-memory model of the Kakao Talk Channel REST API, faithful to
 * ../shared/kakao-api.md §8 (the mock-server checklist). It is pure: it takes a
 * request and returns a response, so the same code serves the Node test server,
 * the benchmark and (later) the extension's sandbox mode.
 */

export type Relation = 'ADDED' | 'BLOCKED' | 'NONE';
/**
 * `timeout` / `reset`: the request is dropped before Kakao handles it. `timeout-after` / `reset-after`: Kakao
 * handles it (a write lands) and then the answer is lost: the caller cannot know whether it was applied.
 */
export type FaultKind = '5xx' | '-1' | '-10' | '-603' | 'timeout' | 'reset' | 'timeout-after' | 'reset-after';

export interface SimRequest {
  method: string;
  /** Path with query string, e.g. /v2/api/talk/channels?target_id=1 */
  url: string;
  headers: Record<string, string | undefined>;
  body: string;
}
export interface SimResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}
export interface SimLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  code?: number;
  /** Users in the call: target IDs for relationship checks, users for file calls. */
  count: number;
  fault?: FaultKind;
  at: number;
  /** Browser-identifying request headers as they arrived (set by the HTTP server); absent key = header not sent. */
  headers?: { origin?: string; referer?: string };
}

export interface SimChannel {
  publicId: string;
  uuid: string;
  linked: boolean;
}
interface SimFile {
  id: number;
  name: string;
  schema: Record<string, 'string' | 'number'>;
  status: string;
  updatedAt: number;
  users: Map<string, { type: 'app' | 'phone'; field: Record<string, string | number> }>;
}

export interface SimulatorOptions {
  adminKeys?: string[];
  /** Bearer tokens → user IDs (user-auth form of /v2/api/talk/channels). */
  userTokens?: Record<string, { userId: string; plusfriendsConsent: boolean }>;
  channels?: SimChannel[];
  /** Files that exist before any call, e.g. uploaded by hand in the admin center. */
  preexistingFiles?: Record<string, number>;
  now?: () => number;
  seed?: number;
  /** Answer shapes: `strict` (the spec's guess, default), `variant` (every reported real-API shape) or single switches. */
  dialect?: DialectSetting;
}

/** A valid-looking key the simulator knows. Tests and the sandbox use it. */
export const SIM_ADMIN_KEY = '0123456789abcdef0123456789abcdef';
export const SIM_CHANNELS: SimChannel[] = [
  { publicId: '_ZeUTxl', uuid: '@채널데스크', linked: true },
  { publicId: '_frxjem', uuid: '@myshop', linked: true },
  { publicId: '_unlnkd', uuid: '@notlinked', linked: false },
];
export const MAX_FILES_PER_CHANNEL = 30;
export const MAX_SCHEMA_FIELDS = 30;
export const MAX_MULTI_IDS = 200;
export const MAX_FILE_USERS = 2000;
const USER_ID = /^[1-9][0-9]{0,19}$/;
const PHONE = /^(?:\+?82|0)1[0-9]{8,9}$/;

/** The seeded relation of a user with a channel: about 60% friends, 20% blocked, 20% not added. */
export function seededRelation(userId: string, channelId: string): Relation {
  const h = hash32(`${channelId}:${userId}`) % 10;
  return h < 6 ? 'ADDED' : h < 8 ? 'BLOCKED' : 'NONE';
}

/*
 * Which users the read switches of the `variant` dialect touch: deterministic
 * (a hash of the user ID), so tests can predict them. The three sets never overlap.
 */
/** About 1 in 7 users: /multi answers them without `channels` (or with `channels: null`), the single check with `channels: []`. */
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

/** A change time in the dialect's form (the truth, `relationOf`, stays RFC 3339 Z). */
function timeIn(format: SimDialect['timeFormat'], iso: string): string | number {
  const ms = Date.parse(iso);
  switch (format) {
    case 'offset':
      return new Date(ms + 9 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+09:00');
    case 'no-seconds':
      return new Date(ms).toISOString().slice(0, 16) + 'Z';
    case 'epoch-ms':
      return ms;
    default:
      return iso;
  }
}

function json(status: number, value: unknown): SimResponse {
  return { status, body: JSON.stringify(value), headers: { 'content-type': 'application/json;charset=UTF-8' } };
}
function kakaoError(status: number, code: number, msg: string): SimResponse {
  return json(status, { msg, code });
}

export function createKakaoSimulator(options: SimulatorOptions = {}) {
  const adminKeys = new Set(options.adminKeys ?? [SIM_ADMIN_KEY]);
  const userTokens = new Map(Object.entries(options.userTokens ?? {}));
  const channels = new Map((options.channels ?? SIM_CHANNELS).map((c) => [c.publicId, c]));
  const now = options.now ?? (() => Date.now());
  const overrides = new Map<string, { relation: Relation; updatedAt: number }>();
  const files = new Map<string, SimFile[]>();
  const manualFiles = new Map(Object.entries(options.preexistingFiles ?? { _ZeUTxl: 2 }));
  let nextFileId = 1001;
  const log: SimLogEntry[] = [];
  let dialect: SimDialect = resolveDialect(options.dialect);
  /** App user IDs that are not this app's users: Kakao takes the call and applies none of them. */
  let notAppUser: (userId: string) => boolean = () => false;
  let access: AccessRules = {};

  // Fault injection: a scripted queue first, then a random rate.
  const random = seededRandom(options.seed ?? 42);
  const scripted: { pathPrefix: string; kind: FaultKind }[] = [];
  let faultRate = 0;
  let faultKinds: FaultKind[] = ['5xx'];
  let faultPathPrefix = '/';

  for (const c of channels.values()) files.set(c.publicId, []);

  function relationOf(userId: string, channelId: string): { relation: Relation; updatedAt?: string } {
    const o = overrides.get(`${channelId}:${userId}`);
    const relation = o?.relation ?? seededRelation(userId, channelId);
    if (relation === 'NONE') return { relation };
    const at = o?.updatedAt ?? Date.UTC(2024, 0, 1) + (hash32(`t:${channelId}:${userId}`) % (700 * 86400)) * 1000;
    return { relation, updatedAt: rfc3339(at) };
  }

  function userBody(userId: string, channelIds: string[], call: 'single' | 'multi' = 'multi') {
    // A JSON number in Kakao's answer; written raw below so 19-digit IDs are exact.
    const user_id = `__RAW__${userId}`;
    const extraUser = dialect.extraFields ? { app_user: true, extra: { source: 'sim' } } : {};
    if (call === 'multi' && dialect.multiMissingChannels && simLacksChannels(userId)) {
      // Half leave `channels` out, half send it as null.
      return hash32(`null:${userId}`) % 2 === 0 ? { user_id, ...extraUser } : { user_id, channels: null, ...extraUser };
    }
    if (call === 'single' && dialect.singleEmptyChannels && simLacksChannels(userId)) return { user_id, channels: [], ...extraUser };
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
  /** JSON with the user IDs as bare numbers, like Kakao's Long. */
  function rawJson(status: number, value: unknown): SimResponse {
    const res = json(status, value);
    return { ...res, body: res.body.replace(/"__RAW__(\d+)"/g, '$1') };
  }

  /** Channel IDs asked for, restricted to linked ones. Unlinked or unknown IDs are dropped (UNCONFIRMED behaviour). */
  function resolveChannels(raw: string | undefined): string[] | SimResponse {
    const linked = [...channels.values()].filter((c) => c.linked).map((c) => c.publicId);
    if (raw === undefined || raw === '') return linked;
    const asked = raw.split(',').map((s) => s.trim()).filter(Boolean);
    return asked.filter((id) => channels.get(id)?.linked);
  }

  type Auth = { kind: 'admin' } | { kind: 'user'; userId: string; consent: boolean } | SimResponse;
  function authenticate(header: string | undefined): Auth {
    if (!header) return kakaoError(401, -401, 'no authentication key!');
    const admin = /^KakaoAK (\S+)$/.exec(header);
    if (admin) {
      return adminKeys.has(admin[1]!) ? { kind: 'admin' } : kakaoError(401, -401, 'wrong appKey format or unregistered appKey');
    }
    const bearer = /^Bearer (\S+)$/.exec(header);
    const user = bearer ? userTokens.get(bearer[1]!) : undefined;
    if (user) return { kind: 'user', userId: user.userId, consent: user.plusfriendsConsent };
    return kakaoError(401, -401, 'this access token does not exist');
  }

  function parseJsonBody(req: SimRequest): Record<string, unknown> | SimResponse {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (!type.startsWith('application/json')) return kakaoError(400, -2, 'invalid parameter: content-type must be application/json');
    try {
      // Long file IDs are kept exact by reading them as strings.
      const value: unknown = JSON.parse(req.body.replace(/("file_id"\s*:\s*)(\d+)/, '$1"$2"'));
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      /* fall through */
    }
    return kakaoError(400, -2, 'invalid parameter: body is not a JSON object');
  }

  function channelFor(id: unknown): SimChannel | SimResponse {
    if (typeof id !== 'string' || id === '') return kakaoError(400, -2, 'channel_public_id is required');
    const channel = channels.get(id);
    if (!channel) return kakaoError(400, -541, 'channel not found');
    if (!channel.linked) return kakaoError(400, -819, 'channel is not connected to app');
    return channel;
  }
  function fileFor(channelId: string, id: unknown): SimFile | SimResponse {
    if (typeof id !== 'string' || !/^\d+$/.test(id)) return kakaoError(400, -2, 'file_id is required');
    const file = files.get(channelId)!.find((f) => String(f.id) === id);
    return file ?? kakaoError(400, -816, 'target user file not found');
  }
  const isResponse = (v: unknown): v is SimResponse => typeof v === 'object' && v !== null && 'status' in v && 'body' in v;

  function route(req: SimRequest, url: URL, entry: SimLogEntry): SimResponse {
    const q = (name: string) => url.searchParams.get(name) ?? undefined;
    const auth = authenticate(req.headers['authorization']);
    if (isResponse(auth)) return auth;
    const forced = accessAnswer(access, { path: url.pathname, query: url.searchParams, body: req.body });
    if (forced) return kakaoError(forced.status, forced.code, forced.msg);
    const path = url.pathname;

    if (path === '/v2/api/talk/channels' && req.method === 'GET') {
      let userId: string;
      if (auth.kind === 'user') {
        if (!auth.consent) {
          return json(403, { msg: 'insufficient scopes.', code: -402, api_type: 'TALK_CHANNELS', required_scopes: ['plusfriends'], allowed_scopes: ['profile_nickname'] });
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

    if (path === '/v2/api/talk/channels/multi' && req.method === 'GET') {
      if (auth.kind !== 'admin') return kakaoError(401, -401, 'admin key required');
      if (q('target_id_type') !== 'user_id') return kakaoError(400, -2, 'target_id_type must be user_id');
      const raw = q('target_ids');
      if (!raw) return kakaoError(400, -2, 'target_ids is required');
      // Comma-separated; a JSON-array string is UNCONFIRMED but accepted here.
      const targets = raw.replace(/^\[|\]$/g, '').split(',').map((s) => s.trim());
      entry.count = targets.length;
      if (targets.length > MAX_MULTI_IDS) return kakaoError(400, -2, `target_ids exceeds ${MAX_MULTI_IDS}`);
      if (targets.some((t) => !USER_ID.test(t))) return kakaoError(400, -2, 'target_ids must be numbers');
      const ids = resolveChannels(q('channel_ids'));
      if (isResponse(ids)) return ids;
      let answered = targets;
      if (dialect.multiDropsUsers) answered = answered.filter((t) => !simDropsUser(t));
      if (dialect.multiDuplicates) answered = answered.flatMap((t) => (simDuplicatesUser(t) ? [t, t] : [t]));
      if (dialect.multiShuffled) answered = [...answered].sort((a, b) => hash32(`order:${a}`) - hash32(`order:${b}`));
      return rawJson(200, answered.map((t) => userBody(t, ids)));
    }

    if (auth.kind !== 'admin') return kakaoError(401, -401, 'admin key required');

    if (path === '/v1/talkchannel/target_user_file' && req.method === 'GET') {
      const channel = channelFor(q('channel_public_id'));
      if (isResponse(channel)) return channel;
      const list = files.get(channel.publicId)!;
      const used = list.length + (manualFiles.get(channel.publicId) ?? 0);
      const slot = (n: number) => (dialect.fileSlots === 'string' ? String(n) : n);
      const schemaForms = ['object', 'string', 'null', 'absent'] as const;
      return rawJson(200, {
        ...(dialect.fileSlots === 'absent' ? {} : { empty_slot: slot(MAX_FILES_PER_CHANNEL - used), using_slot: slot(used) }),
        results: list.map((f, i) => {
          // `mixed`: the files take turns: object, JSON string, null, absent.
          const form = dialect.fileSchema === 'mixed' ? schemaForms[i % 4]! : dialect.fileSchema;
          return {
            file_id: f.id,
            file_name: f.name,
            status: dialect.fileOddStatus ? (i % 2 === 0 ? 'READY' : 'processing') : f.status,
            ...(dialect.fileNoUpdatedAt ? {} : { update_at: timeIn(dialect.timeFormat, rfc3339(f.updatedAt)) }),
            ...(form === 'object' ? { schema: f.schema } : form === 'string' ? { schema: JSON.stringify(f.schema) } : form === 'null' ? { schema: null } : {}),
            ...(dialect.extraFields ? { file_type: 'app_user' } : {}),
          };
        }),
      });
    }

    if (path === '/v1/talkchannel/create/target_user_file' && req.method === 'POST') {
      const body = parseJsonBody(req);
      if (isResponse(body)) return body;
      const channel = channelFor(body.channel_public_id);
      if (isResponse(channel)) return channel;
      const name = body.file_name;
      if (typeof name !== 'string' || name.trim() === '' || name.length > 50) return kakaoError(400, -2, 'file_name is required (at most 50 characters)');
      const schema = body.schema;
      if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return kakaoError(400, -2, 'schema is required');
      const entries = Object.entries(schema as Record<string, unknown>);
      if (entries.length > MAX_SCHEMA_FIELDS) return kakaoError(400, -2, `schema exceeds ${MAX_SCHEMA_FIELDS} fields`);
      if (entries.some(([k, v]) => k.trim() === '' || (v !== 'string' && v !== 'number'))) return kakaoError(400, -2, 'schema types must be "string" or "number"');
      const list = files.get(channel.publicId)!;
      if (list.some((f) => f.name === name)) return kakaoError(400, -817, 'file name already exists');
      if (list.length + (manualFiles.get(channel.publicId) ?? 0) >= MAX_FILES_PER_CHANNEL) return kakaoError(400, -818, 'max file count exceeded');
      const file: SimFile = {
        id: nextFileId++,
        name,
        schema: Object.fromEntries(entries) as SimFile['schema'],
        status: 'active',
        updatedAt: now(),
        users: new Map(),
      };
      list.push(file);
      return json(200, { file_id: file.id });
    }

    if ((path === '/v1/talkchannel/update/target_users' || path === '/v1/talkchannel/delete/target_users') && req.method === 'POST') {
      const body = parseJsonBody(req);
      if (isResponse(body)) return body;
      const channel = channelFor(body.channel_public_id);
      if (isResponse(channel)) return channel;
      const file = fileFor(channel.publicId, body.file_id);
      if (isResponse(file)) return file;
      const userType = body.user_type;
      if (userType !== 'app' && userType !== 'phone') return kakaoError(400, -2, 'user_type must be app or phone');
      const idOk = (id: unknown): id is string => typeof id === 'string' && (userType === 'app' ? USER_ID : PHONE).test(id);

      if (path.includes('/update/')) {
        const users = body.users;
        if (!Array.isArray(users) || users.length === 0) return kakaoError(400, -2, 'users is required');
        entry.count = users.length;
        if (users.length > MAX_FILE_USERS) return kakaoError(400, -2, `users exceeds ${MAX_FILE_USERS}`);
        let success = 0;
        for (const user of users as unknown[]) {
          if (!user || typeof user !== 'object') continue;
          const { id, field } = user as { id?: unknown; field?: unknown };
          if (!idOk(id)) continue;
          if (userType === 'app' && notAppUser(id)) continue;
          // A field map under any other key name is silently ignored by Kakao and counts as a failure.
          const extraKeys = Object.keys(user).filter((k) => k !== 'id' && k !== 'field');
          if (extraKeys.length > 0) continue;
          const values = (field ?? {}) as Record<string, unknown>;
          if (typeof values !== 'object' || Array.isArray(values)) continue;
          const valid = Object.entries(values).every(
            ([k, v]) => file.schema[k] !== undefined && typeof v === file.schema[k],
          );
          if (!valid) continue;
          const previous = file.users.get(id);
          file.users.set(id, { type: userType, field: { ...(previous?.field ?? {}), ...(values as Record<string, string | number>) } });
          success++;
        }
        file.updatedAt = now();
        const count = (n: number) => (dialect.addCountsAsStrings ? String(n) : n);
        return rawJson(200, {
          ...(dialect.addEchoesFileId ? { file_id: `__RAW__${file.id}` } : {}),
          request_count: count(users.length),
          success_count: count(success),
        });
      }

      const ids = body.user_ids;
      if (!Array.isArray(ids) || ids.length === 0) return kakaoError(400, -2, 'user_ids is required');
      entry.count = ids.length;
      if (ids.length > MAX_FILE_USERS) return kakaoError(400, -2, `user_ids exceeds ${MAX_FILE_USERS}`);
      let success = 0;
      for (const id of ids as unknown[]) if (idOk(id) && file.users.delete(id)) success++;
      file.updatedAt = now();
      if (dialect.deleteAnswer === 'empty') return json(200, {});
      if (dialect.deleteAnswer === 'request-only') return json(200, { request_count: ids.length });
      return json(200, { request_count: ids.length, success_count: success });
    }

    return kakaoError(404, -2, `unknown API: ${req.method} ${path}`);
  }

  /** The fault to inject for this request, if any. */
  function nextFault(path: string): FaultKind | undefined {
    const i = scripted.findIndex((f) => path.startsWith(f.pathPrefix));
    if (i >= 0) return scripted.splice(i, 1)[0]!.kind;
    if (faultRate > 0 && path.startsWith(faultPathPrefix) && random() < faultRate) {
      return faultKinds[Math.floor(random() * faultKinds.length)];
    }
    return undefined;
  }

  function faultResponse(kind: FaultKind): SimResponse | undefined {
    switch (kind) {
      case '5xx':
        return kakaoError(503, -9798, 'service under maintenance');
      case '-1':
        return kakaoError(500, -1, 'internal server error');
      case '-10':
        return kakaoError(400, -10, 'API limit has been exceeded.');
      case '-603':
        return kakaoError(400, -603, 'internal timeout');
      default:
        return undefined; // timeout / reset: the transport decides
    }
  }

  return {
    /**
     * Handles one request. Returns `{ fault }` without a response when the
     * transport must time out or drop the connection.
     */
    handle(req: SimRequest): { response: SimResponse; fault?: FaultKind } | { response?: undefined; fault: FaultKind } {
      const url = new URL(req.url, 'http://sim.invalid');
      const entry: SimLogEntry = {
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status: 0,
        count: 0,
        at: now(),
      };
      log.push(entry);
      const fault = nextFault(url.pathname);
      if (fault === 'timeout-after' || fault === 'reset-after') {
        // Kakao handles the request; only its answer is lost on the way back.
        const handled = route(req, url, entry);
        entry.fault = fault;
        entry.status = handled.status;
        if (handled.status >= 400) entry.code = (JSON.parse(handled.body) as { code: number }).code;
        return { fault };
      }
      if (fault) {
        entry.fault = fault;
        const response = faultResponse(fault);
        entry.status = response?.status ?? 0;
        if (response) {
          entry.code = (JSON.parse(response.body) as { code: number }).code;
          return { response, fault };
        }
        return { fault };
      }
      const response = route(req, url, entry);
      entry.status = response.status;
      if (response.status >= 400) entry.code = (JSON.parse(response.body) as { code: number }).code;
      return { response };
    },

    // ---- knobs and truth, for tests, benchmarks and the sandbox ----
    log,
    clearLog() {
      log.length = 0;
    },
    relationOf,
    setRelation(userId: string, channelId: string, relation: Relation) {
      overrides.set(`${channelId}:${userId}`, { relation, updatedAt: now() });
    },
    linkedChannels: () => [...channels.values()].filter((c) => c.linked),
    /** Users in a file, by file ID: id → field values. */
    fileUsers(fileId: string | number) {
      for (const list of files.values()) {
        const file = list.find((f) => String(f.id) === String(fileId));
        if (file) return new Map([...file.users].map(([id, u]) => [id, u.field]));
      }
      return undefined;
    },
    files: (channelId: string) => (files.get(channelId) ?? []).map((f) => ({ id: String(f.id), name: f.name, schema: f.schema, userCount: f.users.size })),
    injectFaults(kind: FaultKind, count = 1, pathPrefix = '/') {
      for (let i = 0; i < count; i++) scripted.push({ pathPrefix, kind });
    },
    setFaultRate(rate: number, kinds: FaultKind[] = ['5xx'], pathPrefix = '/') {
      faultRate = rate;
      faultKinds = kinds;
      faultPathPrefix = pathPrefix;
    },
    clearFaults() {
      scripted.length = 0;
      faultRate = 0;
    },
    /** Which app user IDs Kakao does not know as this app's users (added: not applied). */
    setNotAppUsers(predicate: (userId: string) => boolean) {
      notAppUser = predicate;
    },
    /** The answer shapes from now on (see ./dialect.ts). */
    setDialect(setting: DialectSetting) {
      dialect = resolveDialect(setting);
    },
    dialect: () => ({ ...dialect }),
    /** The app's key restrictions and channel errors from now on (see ./access.ts); `{}` lifts them. */
    setAccess(rules: AccessRules) {
      access = rules;
    },
    addAdminKey(key: string) {
      adminKeys.add(key);
    },
  };
}

export type KakaoSimulator = ReturnType<typeof createKakaoSimulator>;
