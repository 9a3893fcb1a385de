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
  /** The profile whose key made the call (absent in the sandbox). */
  profileId?: string;
  /** The answer's shape: field names and JSON types, no values (see `describeShape`). */
  shape?: string;
  /** The tolerances the answer needed (names from lib/kakao/tolerance.ts), e.g. `multi.missing-channels`. */
  tolerances: string[];
}

/** Longest field name kept in a shape; longer ones are cut (a long key is more likely data than a name). */
const MAX_KEY_LENGTH = 40;
/** Longest shape kept: a log line, not a copy of the answer. */
export const MAX_SHAPE_LENGTH = 2000;
/** Fields of one object looked at; more are summarised as `…`. */
const MAX_FIELDS = 100;

/**
 * A field name as the shape shows it. Answers keyed by user (`{"1234567": {...}}`)
 * would otherwise leak IDs and phone numbers through their keys: every run of five
 * or more digits (with an optional leading +) becomes `<id>`, and long keys are cut.
 */
function shapeKey(key: string): string {
  let k = key.replace(/\+?\d{5,}/g, '<id>');
  if (k.length > MAX_KEY_LENGTH) k = `${k.slice(0, MAX_KEY_LENGTH)}…`;
  return /^(?:[\w.-]|<id>)+$/.test(k) ? k : JSON.stringify(k);
}

/**
 * The shape of a JSON value without its values: `{a:number,b:[{c:string}]}`.
 * Arrays show the union of their elements' shapes (at most the first 50 looked at),
 * so a 200-element answer stays one short line. Field names that look like IDs
 * become `<id>` (identical fields collapse into one), and the whole is cut at
 * `MAX_SHAPE_LENGTH` characters.
 */
export function describeShape(value: unknown): string {
  const shape = shapeOf(value, 0);
  return shape.length > MAX_SHAPE_LENGTH ? `${shape.slice(0, MAX_SHAPE_LENGTH - 1)}…` : shape;
}

function shapeOf(value: unknown, depth: number): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (depth > 5) return '[…]';
    const shapes = [...new Set(value.slice(0, 50).map((v) => shapeOf(v, depth + 1)))];
    return `[${shapes.join('|')}]`;
  }
  if (typeof value === 'object') {
    if (depth > 5) return '{…}';
    const entries = Object.entries(value as Record<string, unknown>);
    const fields = [
      ...new Set(entries.slice(0, MAX_FIELDS).map(([k, v]) => `${shapeKey(k)}:${shapeOf(v, depth + 1)}`)),
    ].sort();
    if (entries.length > MAX_FIELDS) fields.push('…');
    return `{${fields.join(',')}}`;
  }
  return typeof value;
}

/**
 * The shape of an answer's body as Kakao sent it: parsed with plain `JSON.parse`,
 * so a long user_id that the client keeps as a string still shows as the `number`
 * it was on the wire. `null` for an empty body; undefined when it is not JSON.
 * `parsed`: the body already parsed exactly so (no ID was kept as a string), not parsed again.
 */
export function describeAnswerShape(text: string, parsed?: { json: unknown }): string | undefined {
  if (text === '') return 'null';
  try {
    return describeShape(parsed ? parsed.json : JSON.parse(text));
  } catch {
    return undefined;
  }
}
