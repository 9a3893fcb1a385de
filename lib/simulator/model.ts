import { accessAnswer, type AccessRules } from './access';
import { createAuth } from './auth';
import { resolveDialect, type DialectSetting, type SimDialect } from './dialect';
import { createFaults, faultResponse } from './faults';
import { createFiles } from './files';
import { createRequestLog } from './log';
import { createRelationships } from './relationships';
import { isResponse, kakaoError } from './respond';
import type { FaultKind, SimChannel, SimContext, SimRequest, SimResponse } from './types';

/*
 * An in-memory model of the Kakao Talk Channel REST API, faithful to
 * ../shared/kakao-api.md §8 (the mock-server checklist). It is pure: it takes a
 * request and returns a response, so the same code serves the Node test server,
 * the benchmark and the extension's sandbox mode.
 *
 * This file composes the parts and routes a request: auth.ts (who calls),
 * relationships.ts and files.ts (one per endpoint family), access.ts (the app's
 * key restrictions), faults.ts (fault injection), log.ts (the request log),
 * dialect.ts (answer shapes), respond.ts (how answers are written).
 */

export type { FaultKind, SimChannel, SimRequest, SimResponse } from './types';
export { MAX_MULTI_IDS, seededRelation, simDropsUser, simDuplicatesUser, simLacksChannels } from './relationships';
export { MAX_FILE_USERS, MAX_FILES_PER_CHANNEL, MAX_SCHEMA_FIELDS } from './files';

export interface SimulatorOptions {
  adminKeys?: string[];
  /** Bearer tokens → user IDs (user-auth form of /v2/api/talk/channels). */
  userTokens?: Record<string, { userId: string; plusfriendsConsent: boolean }>;
  channels?: SimChannel[];
  /** Files that exist before any call, e.g. uploaded by hand in the admin center. */
  preexistingFiles?: Record<string, number>;
  now?: () => number;
  seed?: number;
  /**
   * Answer shapes: `strict` (the spec's guess, default), `variant` (every reported real-API shape) or single switches.
   */
  dialect?: DialectSetting;
}

/** A valid-looking key the simulator knows. Tests and the sandbox use it. */
export const SIM_ADMIN_KEY = '0123456789abcdef0123456789abcdef';
export const SIM_CHANNELS: SimChannel[] = [
  { publicId: '_ZeUTxl', uuid: '@채널데스크', linked: true },
  { publicId: '_frxjem', uuid: '@myshop', linked: true },
  { publicId: '_unlnkd', uuid: '@notlinked', linked: false },
];

export function createKakaoSimulator(options: SimulatorOptions = {}) {
  const now = options.now ?? (() => Date.now());
  let dialect: SimDialect = resolveDialect(options.dialect);
  const ctx: SimContext = {
    channels: new Map((options.channels ?? SIM_CHANNELS).map((c) => [c.publicId, c])),
    now,
    dialect: () => dialect,
  };
  const auth = createAuth({ adminKeys: options.adminKeys ?? [SIM_ADMIN_KEY], userTokens: options.userTokens });
  const relationships = createRelationships(ctx);
  const files = createFiles(ctx, options);
  const faults = createFaults(options.seed ?? 42);
  const requestLog = createRequestLog(now);
  let access: AccessRules = {};

  function route(req: SimRequest, url: URL, entry: ReturnType<typeof requestLog.open>): SimResponse {
    const q = (name: string) => url.searchParams.get(name) ?? undefined;
    const header = req.headers['authorization'];
    const sentKey = header ? /^KakaoAK (\S+)$/.exec(header)?.[1] : undefined;
    if (sentKey !== undefined) entry.adminKey = sentKey;
    const who = auth.authenticate(header);
    entry.auth = isResponse(who) ? 'none' : who.kind;
    if (isResponse(who)) return who;
    const forced = accessAnswer(access, { path: url.pathname, query: url.searchParams, body: req.body });
    if (forced) return kakaoError(forced.status, forced.code, forced.msg);
    const path = url.pathname;
    const relationAnswer = relationships.route(req.method, path, q, who, entry);
    if (relationAnswer) return relationAnswer;
    if (who.kind !== 'admin') return kakaoError(401, -401, 'admin key required');
    return files.route(req, path, q, entry) ?? kakaoError(404, -2, `unknown API: ${req.method} ${path}`);
  }

  return {
    /**
     * Handles one request. Returns `{ fault }` without a response when the
     * transport must time out or drop the connection.
     */
    handle(req: SimRequest): { response: SimResponse; fault?: FaultKind } | { response?: undefined; fault: FaultKind } {
      const url = new URL(req.url, 'http://sim.invalid');
      const entry = requestLog.open(req.method, url);
      const fault = faults.next(url.pathname);
      if (fault === 'timeout-after' || fault === 'reset-after') {
        // Kakao handles the request; only its answer is lost on the way back.
        requestLog.settle(entry, route(req, url, entry), fault);
        return { fault };
      }
      if (fault) {
        const response = faultResponse(fault);
        requestLog.settle(entry, response, fault);
        return response ? { response, fault } : { fault };
      }
      const response = route(req, url, entry);
      requestLog.settle(entry, response);
      return { response };
    },

    // ---- knobs and truth, for tests, benchmarks and the sandbox ----
    log: requestLog.entries,
    clearLog: requestLog.clear,
    relationOf: relationships.relationOf,
    setRelation: relationships.setRelation,
    /** Changes N relations among given users (issue 12: what a second audience re-check must find). */
    flipRelations: relationships.flipRelations,
    linkedChannels: () => [...ctx.channels.values()].filter((c) => c.linked),
    /** Users in a file, by file ID: id → field values. */
    fileUsers: files.fileUsers,
    files: files.files,
    injectFaults: faults.inject,
    setFaultRate: faults.setRate,
    clearFaults: faults.clear,
    /** Which app user IDs Kakao does not know as this app's users (added: not applied). */
    setNotAppUsers: files.setNotAppUsers,
    /** The answer shapes from now on (see ./dialect.ts). */
    setDialect(setting: DialectSetting) {
      dialect = resolveDialect(setting);
    },
    dialect: () => ({ ...dialect }),
    /** The app's key restrictions and channel errors from now on (see ./access.ts); `{}` lifts them. */
    setAccess(rules: AccessRules) {
      access = rules;
    },
    addAdminKey: auth.addAdminKey,
  };
}

export type KakaoSimulator = ReturnType<typeof createKakaoSimulator>;
