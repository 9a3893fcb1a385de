import { isResponse, json, kakaoError, rawJson, timeIn } from './respond';
import { USER_ID } from './relationships';
import { rfc3339 } from './seed';
import type { SimChannel, SimContext, SimFile, SimLogEntry, SimRequest, SimResponse } from './types';

/* The customer-file endpoints: list, create, add users (update) and delete users. */

export const MAX_FILES_PER_CHANNEL = 30;
export const MAX_SCHEMA_FIELDS = 30;
export const MAX_FILE_USERS = 2000;
const PHONE = /^(?:\+?82|0)1[0-9]{8,9}$/;

function parseJsonBody(req: SimRequest): Record<string, unknown> | SimResponse {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('application/json'))
    return kakaoError(400, -2, 'invalid parameter: content-type must be application/json');
  try {
    // Long file IDs are kept exact by reading them as strings.
    const value: unknown = JSON.parse(req.body.replace(/("file_id"\s*:\s*)(\d+)/, '$1"$2"'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  return kakaoError(400, -2, 'invalid parameter: body is not a JSON object');
}

/** Whether `value` (parsed JSON) has no own keys but `a` and `b`. */
function onlyKeys(value: object, a: string, b: string): boolean {
  for (const k in value) if (k !== a && k !== b) return false;
  return true;
}

/** Whether every field is in the schema, with its type. */
function fitsSchema(values: Record<string, unknown>, schema: SimFile['schema']): boolean {
  for (const k in values) {
    const type = Object.hasOwn(schema, k) ? schema[k] : undefined;
    if (type === undefined || typeof values[k] !== type) return false;
  }
  return true;
}

export function createFiles(ctx: SimContext, options: { preexistingFiles?: Record<string, number> }) {
  const { channels, now } = ctx;
  const files = new Map<string, SimFile[]>();
  const manualFiles = new Map(Object.entries(options.preexistingFiles ?? { _ZeUTxl: 2 }));
  let nextFileId = 1001;
  /** App user IDs that are not this app's users: Kakao takes the call and applies none of them. */
  let notAppUser: (userId: string) => boolean = () => false;

  for (const c of channels.values()) files.set(c.publicId, []);

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

  /** The answer when the request is one of these endpoints; undefined otherwise. */
  function route(
    req: SimRequest,
    path: string,
    q: (name: string) => string | undefined,
    entry: SimLogEntry,
  ): SimResponse | undefined {
    const dialect = ctx.dialect();
    if (path === '/v1/talkchannel/target_user_file' && req.method === 'GET') {
      const channel = channelFor(q('channel_public_id'));
      if (isResponse(channel)) return channel;
      const list = files.get(channel.publicId)!;
      const used = list.length + (manualFiles.get(channel.publicId) ?? 0);
      const slot = (n: number) => (dialect.fileSlots === 'string' ? String(n) : n);
      const schemaForms = ['object', 'string', 'null', 'absent'] as const;
      return rawJson(200, {
        ...(dialect.fileSlots === 'absent'
          ? {}
          : { empty_slot: slot(MAX_FILES_PER_CHANNEL - used), using_slot: slot(used) }),
        results: list.map((f, i) => {
          // `mixed`: the files take turns: object, JSON string, null, absent.
          const form = dialect.fileSchema === 'mixed' ? schemaForms[i % 4]! : dialect.fileSchema;
          return {
            file_id: f.id,
            file_name: f.name,
            status: dialect.fileOddStatus ? (i % 2 === 0 ? 'READY' : 'processing') : f.status,
            ...(dialect.fileNoUpdatedAt ? {} : { update_at: timeIn(dialect.timeFormat, rfc3339(f.updatedAt)) }),
            ...(form === 'object'
              ? { schema: f.schema }
              : form === 'string'
                ? { schema: JSON.stringify(f.schema) }
                : form === 'null'
                  ? { schema: null }
                  : {}),
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
      if (typeof name !== 'string' || name.trim() === '' || name.length > 50)
        return kakaoError(400, -2, 'file_name is required (at most 50 characters)');
      const schema = body.schema;
      if (!schema || typeof schema !== 'object' || Array.isArray(schema))
        return kakaoError(400, -2, 'schema is required');
      const entries = Object.entries(schema as Record<string, unknown>);
      if (entries.length > MAX_SCHEMA_FIELDS) return kakaoError(400, -2, `schema exceeds ${MAX_SCHEMA_FIELDS} fields`);
      if (entries.some(([k, v]) => k.trim() === '' || (v !== 'string' && v !== 'number')))
        return kakaoError(400, -2, 'schema types must be "string" or "number"');
      const list = files.get(channel.publicId)!;
      if (list.some((f) => f.name === name)) return kakaoError(400, -817, 'file name already exists');
      if (list.length + (manualFiles.get(channel.publicId) ?? 0) >= MAX_FILES_PER_CHANNEL)
        return kakaoError(400, -818, 'max file count exceeded');
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

    if (
      (path === '/v1/talkchannel/update/target_users' || path === '/v1/talkchannel/delete/target_users') &&
      req.method === 'POST'
    ) {
      const body = parseJsonBody(req);
      if (isResponse(body)) return body;
      const channel = channelFor(body.channel_public_id);
      if (isResponse(channel)) return channel;
      const file = fileFor(channel.publicId, body.file_id);
      if (isResponse(file)) return file;
      const userType = body.user_type;
      if (userType !== 'app' && userType !== 'phone') return kakaoError(400, -2, 'user_type must be app or phone');
      const idOk = (id: unknown): id is string =>
        typeof id === 'string' && (userType === 'app' ? USER_ID : PHONE).test(id);

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
          // (Loops rather than Object.keys/entries: 2,000 users a call, and the benchmark's Node thread is shared.)
          if (!onlyKeys(user, 'id', 'field')) continue;
          const values = (field ?? {}) as Record<string, unknown>;
          if (typeof values !== 'object' || Array.isArray(values)) continue;
          if (!fitsSchema(values, file.schema)) continue;
          const previous = file.users.get(id);
          file.users.set(id, {
            type: userType,
            field: previous
              ? { ...previous.field, ...(values as Record<string, string | number>) }
              : { ...(values as Record<string, string | number>) },
          });
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
    return undefined;
  }

  return {
    route,
    /** Users in a file, by file ID: id → field values. */
    fileUsers(fileId: string | number) {
      for (const list of files.values()) {
        const file = list.find((f) => String(f.id) === String(fileId));
        if (file) return new Map([...file.users].map(([id, u]) => [id, u.field]));
      }
      return undefined;
    },
    files: (channelId: string) =>
      (files.get(channelId) ?? []).map((f) => ({
        id: String(f.id),
        name: f.name,
        schema: f.schema,
        userCount: f.users.size,
      })),
    /** Which app user IDs Kakao does not know as this app's users (added: not applied). */
    setNotAppUsers(predicate: (userId: string) => boolean) {
      notAppUser = predicate;
    },
  };
}
