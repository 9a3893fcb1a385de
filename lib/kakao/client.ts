import type { UserType } from './terms';
import { z } from 'zod';
import { describeAnswerShape, type ApiCallRecord } from './call-record';
import { KakaoApiError } from './errors';
import { addAnswerTolerances, deleteAnswerTolerances } from './write-tolerance';
import {
  CreateFileResponse,
  KakaoErrorBody,
  AddUsersAnswer,
  DeleteUsersAnswer,
  parseCustomerFileList,
  parseJsonKeepingIds,
  parseMultiRelationship,
  parseUserRelationship,
  type FileSchema,
  type ParseOutcome,
} from './schemas';

/** Kakao's structural limits (docs/kakao-api.md §7). */
export const MAX_IDS_PER_RELATIONSHIP_CALL = 200;
export const MAX_USERS_PER_FILE_CALL = 2000;

export type { UserType } from './terms';
export interface FileUser {
  id: string;
  field?: Record<string, string | number>;
}

export interface KakaoClientDeps {
  /** Origin of the REST API, e.g. https://kapi.kakao.com or the simulator. */
  origin: string;
  /** Returns the Admin key, or null when none is saved. Only the background passes this. */
  getKey: () => Promise<string | null>;
  fetch?: typeof fetch;
  /** Per-request timeout of lookups (and of every call when `fileTimeoutMs` is not given). */
  timeoutMs?: number;
  /**
   * Per-request timeout of customer-file calls (create, add, delete): 60 s unless `timeoutMs` or this says otherwise.
   */
  fileTimeoutMs?: number;
  /** Told about every call once it ended (the API log). Never given the key, user IDs or phone numbers. */
  onCall?: (record: ApiCallRecord) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** The job this call belongs to (recorded in the API log). */
  jobId?: string;
  /** This call's timeout, instead of the client's default for its kind. */
  timeoutMs?: number;
}

/** What a call records besides its outcome: the channel(s) and batch size it was about. */
interface CallContext {
  channel?: string;
  batchSize?: number;
}

/**
 * The one typed client for the six Kakao Talk Channel REST calls. It does not
 * retry: retry policy lives in `retry.ts` so that callers decide (file creation
 * is never retried). User and file IDs stay strings end to end.
 */
export function createKakaoClient(deps: KakaoClientDeps) {
  const doFetch = deps.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = deps.timeoutMs ?? 20_000;
  const fileTimeoutMs = deps.fileTimeoutMs ?? deps.timeoutMs ?? 60_000;

  /** A zod schema (strict answers), or a tolerant parser that names the tolerances it needed (read answers). */
  async function call<T>(
    schema: z.ZodType<T> | ((json: unknown) => ParseOutcome<T>),
    method: 'GET' | 'POST',
    path: string,
    params: { query?: Record<string, string | undefined>; jsonBody?: string },
    options: CallOptions = {},
    context: CallContext = {},
    /** File calls use the file timeout; `tolerancesOf` names what an accepted answer needed (API log). */
    kind: { file?: boolean; tolerancesOf?: (json: unknown) => string[] } = {},
  ): Promise<T> {
    const started = Date.now();
    /** The answer once read (its shape goes to the API log, never its values). */
    let answer: { status: number; json: unknown; text: string } | undefined;
    const record = (outcome: { code?: ApiCallRecord['code']; tolerances?: string[] }) => {
      if (!deps.onCall) return;
      try {
        deps.onCall({
          at: started,
          method,
          endpoint: path,
          ...context,
          status: answer?.status ?? null,
          ...(outcome.code !== undefined ? { code: outcome.code } : {}),
          durationMs: Date.now() - started,
          ...(options.jobId ? { jobId: options.jobId } : {}),
          ...(answer && answer.json !== undefined ? { shape: describeAnswerShape(answer.text) } : {}),
          tolerances: outcome.tolerances ?? [],
        });
      } catch {
        /* the log never breaks a call */
      }
    };

    const key = await deps.getKey();
    if (!key) throw new KakaoApiError('no_key', null); // nothing was sent: not a call to log
    const url = new URL(path, deps.origin);
    for (const [name, value] of Object.entries(params.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    const timeout = AbortSignal.timeout(options.timeoutMs ?? (kind.file ? fileTimeoutMs : timeoutMs));
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers: Record<string, string> = { Authorization: `KakaoAK ${key}` };
    // Without a charset, as known working clients send it (JSON is UTF-8 by definition).
    if (params.jsonBody !== undefined) headers['Content-Type'] = 'application/json';

    try {
      let response: Response;
      let text: string;
      try {
        response = await doFetch(url.toString(), { method, headers, body: params.jsonBody, signal });
        text = await response.text();
      } catch (err) {
        if (err instanceof KakaoApiError) throw err; // e.g. no_host_access from a guarded fetch: nothing was sent
        if (options.signal?.aborted) throw new KakaoApiError('cancelled', null);
        if (timeout.aborted) throw new KakaoApiError('timeout', null);
        throw new KakaoApiError('network', null);
      }

      let json: unknown;
      try {
        json = text === '' ? null : parseJsonKeepingIds(text);
      } catch {
        json = undefined;
      }
      answer = { status: response.status, json, text };
      if (!response.ok) {
        const body = KakaoErrorBody.safeParse(json);
        // Kakao's msg may echo the key (e.g. "wrong appKey=…"): scrub the actual key, not just key-shaped text.
        if (body.success)
          throw new KakaoApiError(body.data.code, response.status, body.data.msg.split(key).join('[redacted]'));
        throw new KakaoApiError(response.status >= 500 ? -1 : 'invalid_response', response.status);
      }
      if (typeof schema === 'function') {
        const parsed = schema(json);
        if (!parsed.ok) throw new KakaoApiError('invalid_response', response.status, parsed.message);
        record({ tolerances: parsed.tolerances });
        return parsed.value;
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        throw new KakaoApiError('invalid_response', response.status, parsed.error.issues[0]?.message);
      }
      let tolerances: string[] = [];
      try {
        tolerances = kind.tolerancesOf?.(json) ?? [];
      } catch {
        /* naming a tolerance never breaks a call */
      }
      record({ tolerances });
      return parsed.data;
    } catch (err) {
      if (err instanceof KakaoApiError && err.code !== 'no_host_access') record({ code: err.code });
      throw err;
    }
  }

  /** The JSON body with `file_id` written as a bare Long (it may exceed 2^53). */
  /** A POST that adds or deletes users of a customer file: at most 2,000 users a call, the file's timeout. */
  function writeUsers<T>(
    schema: z.ZodType<T>,
    path: string,
    input: { fileId: string; channelId: string; userType: UserType },
    list: { users: readonly FileUser[] } | { user_ids: readonly string[] },
    options: CallOptions | undefined,
    kind: { tolerancesOf: (json: unknown) => string[] },
  ): Promise<T> {
    const batchSize = 'users' in list ? list.users.length : list.user_ids.length;
    if (batchSize > MAX_USERS_PER_FILE_CALL) {
      throw new KakaoApiError(-2, null, `at most ${MAX_USERS_PER_FILE_CALL} users per call`);
    }
    const body = fileBody(input.fileId, { channel_public_id: input.channelId, user_type: input.userType, ...list });
    return call(
      schema,
      'POST',
      path,
      { jsonBody: body },
      options,
      { channel: input.channelId, batchSize },
      {
        file: true,
        ...kind,
      },
    );
  }

  function fileBody(fileId: string, rest: Record<string, unknown>): string {
    if (!/^\d{1,20}$/.test(fileId)) throw new KakaoApiError(-2, null, 'file_id must be digits');
    // A JSON number has no leading zeros: `{"file_id":007}` is invalid JSON.
    return `{"file_id":${fileId.replace(/^0+(?=\d)/, '')},${JSON.stringify(rest).slice(1)}`;
  }

  const channelQuery = (channelIds?: readonly string[]) =>
    channelIds && channelIds.length > 0
      ? { channel_ids: channelIds.join(','), channel_id_type: 'channel_public_id' }
      : {};

  return {
    /** GET /v2/api/talk/channels — one user, every linked channel unless `channelIds` narrows it. */
    checkRelationship(input: { userId: string; channelIds?: readonly string[] }, options?: CallOptions) {
      return call(
        parseUserRelationship,
        'GET',
        '/v2/api/talk/channels',
        { query: { target_id_type: 'user_id', target_id: input.userId, ...channelQuery(input.channelIds) } },
        options,
        { channel: input.channelIds?.join(','), batchSize: 1 },
      );
    },

    /** GET /v2/api/talk/channels/multi — at most 200 users a call. */
    checkRelationships(input: { userIds: readonly string[]; channelIds?: readonly string[] }, options?: CallOptions) {
      if (input.userIds.length === 0) return Promise.resolve([]);
      if (input.userIds.length > MAX_IDS_PER_RELATIONSHIP_CALL) {
        return Promise.reject(new KakaoApiError(-2, null, `at most ${MAX_IDS_PER_RELATIONSHIP_CALL} IDs per call`));
      }
      return call(
        (json) => parseMultiRelationship(json, input.userIds),
        'GET',
        '/v2/api/talk/channels/multi',
        {
          query: { target_id_type: 'user_id', target_ids: input.userIds.join(','), ...channelQuery(input.channelIds) },
        },
        options,
        { channel: input.channelIds?.join(','), batchSize: input.userIds.length },
      );
    },

    /** POST /v1/talkchannel/create/target_user_file. Never retried: a retry could create a duplicate. */
    async createCustomerFile(
      input: { channelId: string; fileName: string; schema: FileSchema },
      options?: CallOptions,
    ) {
      const body = JSON.stringify({
        channel_public_id: input.channelId,
        file_name: input.fileName,
        schema: input.schema,
      });
      const res = await call(
        CreateFileResponse,
        'POST',
        '/v1/talkchannel/create/target_user_file',
        { jsonBody: body },
        options,
        { channel: input.channelId },
        { file: true },
      );
      return { fileId: res.file_id };
    },

    /** GET /v1/talkchannel/target_user_file */
    listCustomerFiles(input: { channelId: string }, options?: CallOptions) {
      return call(
        parseCustomerFileList,
        'GET',
        '/v1/talkchannel/target_user_file',
        { query: { channel_public_id: input.channelId } },
        options,
        { channel: input.channelId },
      );
    },

    /** POST /v1/talkchannel/update/target_users — at most 2,000 users a call. */
    async addUsers(
      input: { fileId: string; channelId: string; userType: UserType; users: readonly FileUser[] },
      options?: CallOptions,
    ) {
      const { users } = input;
      return writeUsers(AddUsersAnswer, '/v1/talkchannel/update/target_users', input, { users }, options, {
        tolerancesOf: addAnswerTolerances,
      });
    },

    /**
     * POST /v1/talkchannel/delete/target_users — the per-call maximum is UNCONFIRMED; 2,000 assumed.
     * The answer's shape is UNCONFIRMED: counts are absent from the result when Kakao's answer has none.
     */
    async deleteUsers(
      input: { fileId: string; channelId: string; userType: UserType; userIds: readonly string[] },
      options?: CallOptions,
    ) {
      const user_ids = input.userIds;
      return writeUsers(DeleteUsersAnswer, '/v1/talkchannel/delete/target_users', input, { user_ids }, options, {
        tolerancesOf: deleteAnswerTolerances,
      });
    },
  };
}

export type KakaoClient = ReturnType<typeof createKakaoClient>;
