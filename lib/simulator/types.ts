import type { SimDialect } from './dialect';

/* The simulator's shared vocabulary: requests, answers, and the state the endpoint families share. */

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
  /** Who the call authenticated as: a known Admin key, a user token, or nobody (refused with -401). */
  auth?: 'admin' | 'user' | 'none';
  /** The `KakaoAK` key the call carried, as sent (tests check that a relay's key reached Kakao). */
  adminKey?: string;
}

export interface SimChannel {
  publicId: string;
  uuid: string;
  linked: boolean;
}
export interface SimFile {
  id: number;
  name: string;
  schema: Record<string, 'string' | 'number'>;
  status: string;
  updatedAt: number;
  users: Map<string, { type: 'app' | 'phone'; field: Record<string, string | number> }>;
}

/** What the endpoint families share: the channels, the clock and the current answer shapes. */
export interface SimContext {
  channels: Map<string, SimChannel>;
  now: () => number;
  dialect: () => SimDialect;
}
