import type { ErrorCode } from './errors';

/*
 * What the client reports about every Kakao call it makes, for the API log
 * (API 기록). Never the key, never user IDs or phone numbers: only where the call
 * went, how it ended, and the *shape* of the answer (field names and JSON types).
 */

export interface ApiCallRecord {
  /** When the call started (epoch ms). */
  at: number;
  method: 'GET' | 'POST';
  /** The API path, e.g. `/v2/api/talk/channels/multi` (no query string: it holds user IDs). */
  endpoint: string;
  /** The channel(s) the call was about, comma-separated public IDs, when known. */
  channel?: string;
  /** Users in the call (IDs asked, users sent), when it is a batch call. */
  batchSize?: number;
  /** HTTP status, or null when no answer came (network, timeout, cancelled). */
  status: number | null;
  /** Kakao's error code, or the local code for failures that never reached Kakao; absent on success. */
  code?: ErrorCode;
  durationMs: number;
  /** The job the call belongs to, when a job made it. */
  jobId?: string;
  /** The answer's shape: field names and JSON types, no values (see `describeShape`). */
  shape?: string;
  /** The tolerances the answer needed (names from lib/kakao/tolerance.ts), e.g. `multi.missing-channels`. */
  tolerances: string[];
}

/**
 * The shape of a JSON value without its values: `{a:number,b:[{c:string}]}`.
 * Arrays show the union of their elements' shapes (at most the first 50 looked at),
 * so a 200-element answer stays one short line.
 */
export function describeShape(value: unknown, depth = 0): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (depth > 5) return '[…]';
    const shapes = [...new Set(value.slice(0, 50).map((v) => describeShape(v, depth + 1)))];
    return `[${shapes.join('|')}]`;
  }
  if (typeof value === 'object') {
    if (depth > 5) return '{…}';
    const fields = Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${/^[\w.-]+$/.test(k) ? k : JSON.stringify(k)}:${describeShape(v, depth + 1)}`);
    return `{${fields.join(',')}}`;
  }
  return typeof value;
}
