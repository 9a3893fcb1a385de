/*
 * The audit log: one JSON line per call. It names the manager (token name), never the token; the endpoint path, never
 * its query string (which holds user IDs); how many users a call was about, never which; and never the Admin key.
 */

export interface AuditLine {
  /** When the call arrived, ISO 8601 UTC. */
  time: string;
  /** The token's name; null when the caller presented no known token (or the path was refused first). */
  token: string | null;
  method: string;
  /** One of the six endpoint paths; null for any other path (it is not written: a path can hold anything). */
  endpoint: string | null;
  /** The channel public ID(s) the call named, comma-separated; null when it named none. */
  channel: string | null;
  /** How many users the call was about (IDs checked, users added or deleted); null for calls about no user. */
  batch: number | null;
  /** The HTTP status the caller got. */
  status: number;
  /** Kakao's HTTP status; null when the call never reached Kakao. */
  upstreamStatus: number | null;
  /** Kakao's error code (e.g. -401) when Kakao answered with one. */
  code: number | null;
  /** The relay's own refusal (relay_auth, relay_channel, relay_rate, …); null when Kakao answered. */
  relayError: string | null;
  /** From arrival to answer. */
  durationMs: number;
}

export type AuditSink = (line: AuditLine) => void;
