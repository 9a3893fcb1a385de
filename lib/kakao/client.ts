import type { UserType } from './terms';
import { z } from 'zod';
import { describeAnswerShape, type ApiCallRecord } from './call-record';
import { KakaoApiError, parseRetryAfter, RelayErrorCode } from './errors';
import { addAnswerTolerances, deleteAnswerTolerances } from './write-tolerance';
import {
  CreateFileResponse,
  KakaoErrorBody,
  AddUsersAnswer,
  DeleteUsersAnswer,
  parseCustomerFileList,
  quoteLongIds,
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

/**
 * Where a profile's calls go: straight to Kakao with its Admin key (`direct`), or to the organisation's relay
 * (`relay`, relay/) with the relay token, which the relay swaps for the Admin key the browser never holds.
 */
export type ApiRoute = { mode: 'direct' } | { mode: 'relay'; url: string | undefined };
const DIRECT: ApiRoute = { mode: 'direct' };

/** The relay's own refusals, in Kakao's error shape (`code`, `msg`) with a string code. */
const RelayErrorBody = z.object({ code: RelayErrorCode, msg: z.string().optional().default('') });

/**
 * A Kakao path under a relay's base URL, which may carry a path prefix (`https://relay.example.com/kakao` →
 * `https://relay.example.com/kakao/v2/api/talk/channels`).
 */
function relayCallUrl(base: string, path: string): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = '';
  url.hash = '';
  return url;
}

export interface KakaoClientDeps {
  /** Origin of the REST API, e.g. https://kapi.kakao.com or the simulator. */
  origin: string;
  /**
   * Returns the Admin key (or, in relay mode, the relay token), or null when none is saved. Only the background
   * passes this.
   */
  getKey: () => Promise<string | null>;
  /** Where calls go, asked before each call (a profile's mode can change); direct to `origin` when not given. */
  getRoute?: () => Promise<ApiRoute>;
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
    let answer: { status: number; json: unknown; text: string; exact?: boolean } | undefined;
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
          ...(answer && answer.json !== undefined
            ? { shape: describeAnswerShape(answer.text, answer.exact ? answer : undefined) }
            : {}),
          tolerances: outcome.tolerances ?? [],
        });
      } catch {
        /* the log never breaks a call */
      }
    };

    const route = (await deps.getRoute?.()) ?? DIRECT;
    const relay = route.mode === 'relay';
    // Nothing was sent in these three cases: not a call to log.
    if (relay && !route.url) throw new KakaoApiError('no_relay_url', null);
    const key = await deps.getKey();
    if (!key) throw new KakaoApiError(relay ? 'no_relay_token' : 'no_key', null);
    const url = route.mode === 'relay' ? relayCallUrl(route.url!, path) : new URL(path, deps.origin);
    for (const [name, value] of Object.entries(params.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    const timeout = AbortSignal.timeout(options.timeoutMs ?? (kind.file ? fileTimeoutMs : timeoutMs));
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    // The relay reads only its token; it sends Kakao the Admin key itself (relay/src/app.ts).
    const headers: Record<string, string> = { Authorization: relay ? `Bearer ${key}` : `KakaoAK ${key}` };
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
      /** No long ID was quoted: `json` is the body as plain JSON.parse reads it (the API log's shape reuses it). */
      let exact = false;
      try {
        const quoted = text === '' ? 'null' : quoteLongIds(text);
        exact = quoted === text;
        json = JSON.parse(quoted);
      } catch {
        json = undefined;
      }
      answer = { status: response.status, json, text, exact };
      if (!response.ok) {
        const failure = answerError(response, json, relay);
        // Kakao's msg may echo the key (e.g. "wrong appKey=…"): scrub the actual key, not just key-shaped text.
        const error = new KakaoApiError(failure.code, response.status, failure.msg?.split(key).join('[redacted]'));
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
        throw error;
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
      if (err instanceof KakaoApiError && err.code !== 'no_host_access' && err.code !== 'relay_no_host_access')
        record({ code: err.code });
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

/** What a failed answer's body says: Kakao's code, the relay's own (relay mode only), or the status alone. */
function answerError(
  response: Response,
  json: unknown,
  relay: boolean,
): { code: number | RelayErrorCode | 'invalid_response'; msg?: string } {
  const body = KakaoErrorBody.safeParse(json);
  if (body.success) return { code: body.data.code, msg: body.data.msg };
  if (relay) {
    const own = RelayErrorBody.safeParse(json);
    if (own.success) return { code: own.data.code, msg: own.data.msg };
    // A relay (or a proxy in front of it) that answered without a body Channel Desk knows.
    if (response.status === 401) return { code: 'relay_auth' };
    if (response.status === 429) return { code: 'relay_rate' };
  }
  return { code: response.status >= 500 ? -1 : 'invalid_response' };
}
