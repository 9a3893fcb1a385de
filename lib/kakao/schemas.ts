import { z } from 'zod';
import { isUserId } from './id-format';
import { CHECK_RELATIONS, RELATIONS, USER_TYPES } from './terms';
import { TOLERANCES as T, ToleranceLog, type ToleranceName, type UnknownReason } from './tolerance';

/*
 * Response schemas for the Kakao Talk Channel REST API. Where the spec marks a
 * shape UNCONFIRMED the schema is tolerant, and each such choice is commented here,
 * in one place, so it is easy to correct.
 */

/** Kakao sends user_id as a JSON number that may exceed 2^53; see `parseJsonKeepingIds`. */
const IdString = z.union([z.string(), z.number().int()]).transform((v) => String(v));

const Relation = z.enum(RELATIONS);
type Relation = z.infer<typeof Relation>;
export const CheckRelation = z.enum(CHECK_RELATIONS);
export type CheckRelation = z.infer<typeof CheckRelation>;
export const UserType = z.enum(USER_TYPES);
export type UserType = z.infer<typeof UserType>;

export const FieldType = z.enum(['string', 'number']);
export type FieldType = z.infer<typeof FieldType>;
export const FileSchema = z.record(z.string(), FieldType);
export type FileSchema = z.infer<typeof FileSchema>;

export const CreateFileResponse = z.object({ file_id: IdString });

/*
 * The read answers (relationship checks, file list) are parsed element by element
 * by the tolerant parsers at the end of this file: one odd element costs one row.
 * Each tolerated shape is named, with its reason, in ./tolerance.ts.
 */

/**
 * Add/delete users. The tolerant answers (counts as numeric strings, an echoed `file_id`,
 * a delete answer without counts) and their API-log names are in ./write-tolerance.ts.
 */
export { AddUsersAnswer, DeleteUsersAnswer } from './write-tolerance';

/** Kakao's error body: `{code, msg}` plus optional -402 extras. */
export const KakaoErrorBody = z.object({
  code: z.number().int(),
  msg: z.string().optional().default(''),
});

/**
 * JSON.parse that keeps integer literals longer than 15 digits as strings, so a
 * 19-digit user_id survives. Only bare numbers in `"user_id":` / `"file_id":` /
 * `"id":` positions are quoted.
 */
export function parseJsonKeepingIds(text: string): unknown {
  return JSON.parse(quoteLongIds(text));
}

/** The text with long IDs quoted (the same string when it has none). */
export const quoteLongIds = (text: string) => text.replace(/("(?:user_id|file_id|id)"\s*:\s*)(-?\d{16,})/g, '$1"$2"');

// ---------------------------------------------------------------------------
// Tolerant parsers of the read answers. Each returns the value plus the names of
// the tolerances the answer needed, or a failure only when nothing usable came.

export type ParseOutcome<T> = { ok: true; value: T; tolerances: ToleranceName[] } | { ok: false; message: string };

interface ChannelRelation {
  channel_uuid?: string;
  channel_public_id: string;
  relation: CheckRelation;
  /** RFC 3339 UTC (normalised); left out when relation is NONE (Kakao fixture) or unreadable. */
  updated_at?: string;
  /** Why the relation is UNKNOWN, when known. */
  reason?: UnknownReason;
}
export interface UserRelationship {
  user_id: string;
  channels: ChannelRelation[];
  /** Set when Kakao gave no usable channel list for this user: every asked channel is UNKNOWN for this reason. */
  reason?: UnknownReason;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function idOf(v: unknown): string | null {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return String(v);
  if (typeof v === 'string' && isUserId(v)) return v;
  return null;
}

function noteExtra(value: Record<string, unknown>, known: readonly string[], log: ToleranceLog) {
  if (Object.keys(value).some((k) => !known.includes(k))) log.note(T.extraFields);
}

/** RFC 3339 UTC with `Z`, no fraction: the form Kakao's fixtures use. */
const isoOf = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
const SPEC_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;
const LOOSE_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d)(:\d\d(?:\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/;

/** A change time in any reported form, normalised to RFC 3339 UTC; undefined when absent or unreadable. */
function normaliseTime(v: unknown, log: ToleranceLog): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) {
    log.note(T.timeEpochMs);
    return isoOf(v);
  }
  if (typeof v === 'string') {
    if (SPEC_TIME.test(v)) return v;
    const m = LOOSE_TIME.exec(v);
    if (m) {
      if (!m[2]) log.note(T.timeNoSeconds);
      if (m[3] !== 'Z') log.note(T.timeOffset);
      const offset = m[3] === 'Z' ? 'Z' : m[3]!.replace(/^([+-]\d\d)(\d\d)$/, '$1:$2');
      const ms = Date.parse(`${m[1]}${m[2] ?? ':00'}${offset}`);
      if (!Number.isNaN(ms)) return isoOf(ms);
    }
  }
  log.note(T.timeUnreadable);
  return undefined;
}

const CHANNEL_FIELDS = ['channel_uuid', 'channel_public_id', 'relation', 'updated_at'] as const;
function parseChannel(raw: unknown, log: ToleranceLog): ChannelRelation | null {
  if (!isObject(raw) || typeof raw.channel_public_id !== 'string' || raw.channel_public_id === '') {
    log.note(T.unreadableChannelEntry);
    return null;
  }
  noteExtra(raw, CHANNEL_FIELDS, log);
  const known = Relation.safeParse(raw.relation);
  if (!known.success) log.note(T.unknownRelation);
  const updated = normaliseTime(raw.updated_at, log);
  return {
    ...(typeof raw.channel_uuid === 'string' ? { channel_uuid: raw.channel_uuid } : {}),
    channel_public_id: raw.channel_public_id,
    relation: known.success ? known.data : 'UNKNOWN',
    ...(updated ? { updated_at: updated } : {}),
    ...(known.success ? {} : { reason: 'unknown_value' as const }),
  };
}

const USER_FIELDS = ['user_id', 'channels'] as const;
/** One user element; null when it names no user (not an object, or no readable user_id). */
function parseUser(raw: unknown, log: ToleranceLog, single: boolean): UserRelationship | null {
  if (!isObject(raw)) return null;
  const userId = idOf(raw.user_id);
  if (userId === null) return null;
  noteExtra(raw, USER_FIELDS, log);
  if (raw.channels === undefined || raw.channels === null) {
    log.note(T.multiMissingChannels);
    return { user_id: userId, channels: [], reason: 'no_channels' };
  }
  if (!Array.isArray(raw.channels)) {
    log.note(T.multiUnreadableChannels);
    return { user_id: userId, channels: [], reason: 'unreadable' };
  }
  if (single && raw.channels.length === 0) {
    log.note(T.singleEmptyChannels);
    return { user_id: userId, channels: [], reason: 'no_channels' };
  }
  const channels = raw.channels.map((c) => parseChannel(c, log)).filter((c): c is ChannelRelation => c !== null);
  return { user_id: userId, channels };
}

/** GET /v2/api/talk/channels: one user. Fails only when the answer names no user. */
export function parseUserRelationship(json: unknown): ParseOutcome<UserRelationship> {
  const log = new ToleranceLog();
  const user = parseUser(json, log, true);
  if (!user) return { ok: false, message: 'the answer names no user (user_id missing or not a number)' };
  return { ok: true, value: user, tolerances: log.list() };
}

/**
 * GET /v2/api/talk/channels/multi, element by element: an element that names no
 * user is dropped (and counted in `dropped`); a user answered twice is merged; the
 * order is ignored (callers match by user_id). Fails only when the answer is not a list.
 */
export function parseMultiRelationship(
  json: unknown,
  askedIds?: readonly string[],
): ParseOutcome<UserRelationship[]> & { dropped?: number } {
  if (!Array.isArray(json)) return { ok: false, message: 'expected a list of users' };
  const log = new ToleranceLog();
  const byId = new Map<string, UserRelationship>();
  let dropped = 0;
  for (const raw of json) {
    const user = parseUser(raw, log, false);
    if (!user) {
      dropped++;
      log.note(T.multiUnreadableElement);
      continue;
    }
    const seen = byId.get(user.user_id);
    if (!seen) {
      byId.set(user.user_id, user);
      continue;
    }
    log.note(T.multiDuplicates);
    // Merge: channels the first answer lacks are taken from the second; a usable list beats a missing one.
    const channels = [...seen.channels];
    for (const c of user.channels)
      if (!channels.some((x) => x.channel_public_id === c.channel_public_id)) channels.push(c);
    const reason = channels.length > 0 ? undefined : (seen.reason ?? user.reason);
    byId.set(user.user_id, { user_id: user.user_id, channels, ...(reason ? { reason } : {}) });
  }
  if (askedIds && askedIds.some((id) => !byId.has(id))) log.note(T.multiMissingUsers);
  return { ok: true, value: [...byId.values()], tolerances: log.list(), dropped };
}

export interface CustomerFile {
  file_id: string;
  file_name: string;
  /** Any string Kakao sends (values UNCONFIRMED); undefined when missing. */
  status?: string;
  /** RFC 3339 UTC; undefined when Kakao leaves it out. */
  updated_at?: string;
  /** Field name → type; `{}` when unknown (see `schemaKnown`). */
  schema: Record<string, string>;
  /** False when Kakao's answer did not give a readable schema: mappings cannot be checked against it. */
  schemaKnown: boolean;
}
/** A file element that could not be read (no file_id): shown as a row that says so. */
export interface UnreadableFile {
  /** Its place in Kakao's list (1-based). */
  position: number;
  file_name?: string;
}
export interface CustomerFileList {
  empty_slot?: number;
  using_slot?: number;
  results: CustomerFile[];
  unreadable: UnreadableFile[];
}

function slotOf(v: unknown, log: ToleranceLog): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d{1,6}$/.test(v.trim())) {
    log.note(T.fileSlotsString);
    return Number(v.trim());
  }
  log.note(T.fileSlotsAbsent);
  return undefined;
}

function schemaOf(v: unknown, log: ToleranceLog): Record<string, string> | null {
  let value = v;
  if (typeof v === 'string') {
    log.note(T.fileSchemaString);
    try {
      value = JSON.parse(v);
    } catch {
      value = undefined;
    }
  }
  if (isObject(value) && Object.values(value).every((t) => typeof t === 'string'))
    return value as Record<string, string>;
  log.note(T.fileSchemaUnknown);
  return null;
}

const FILE_FIELDS = ['file_id', 'file_name', 'status', 'update_at', 'updated_at', 'schema'] as const;
function parseFile(raw: unknown, position: number, log: ToleranceLog): CustomerFile | UnreadableFile {
  const fileId = isObject(raw)
    ? typeof raw.file_id === 'number' && Number.isSafeInteger(raw.file_id) && raw.file_id >= 0
      ? String(raw.file_id)
      : typeof raw.file_id === 'string' && /^\d{1,20}$/.test(raw.file_id)
        ? raw.file_id
        : null
    : null;
  if (!isObject(raw) || fileId === null) {
    log.note(T.fileUnreadable);
    return { position, ...(isObject(raw) && typeof raw.file_name === 'string' ? { file_name: raw.file_name } : {}) };
  }
  noteExtra(raw, FILE_FIELDS, log);
  const rawTime = raw.updated_at ?? raw.update_at;
  if (rawTime === undefined || rawTime === null) log.note(T.fileNoUpdatedAt);
  const updated = normaliseTime(rawTime, log);
  if (typeof raw.status !== 'string') log.note(T.fileOddStatus);
  const schema = schemaOf(raw.schema, log);
  return {
    file_id: fileId,
    file_name: typeof raw.file_name === 'string' ? raw.file_name : '',
    ...(typeof raw.status === 'string' ? { status: raw.status } : {}),
    ...(updated ? { updated_at: updated } : {}),
    schema: schema ?? {},
    schemaKnown: schema !== null,
  };
}

/** GET /v1/talkchannel/target_user_file, file by file. Fails only when the answer is not an object. */
export function parseCustomerFileList(json: unknown): ParseOutcome<CustomerFileList> {
  if (!isObject(json)) return { ok: false, message: 'expected an object with results' };
  const log = new ToleranceLog();
  let rawResults: unknown[] = [];
  if (Array.isArray(json.results)) rawResults = json.results;
  else log.note(T.fileNoResults);
  const results: CustomerFile[] = [];
  const unreadable: UnreadableFile[] = [];
  rawResults.forEach((raw, i) => {
    const file = parseFile(raw, i + 1, log);
    if ('file_id' in file) results.push(file);
    else unreadable.push(file);
  });
  const empty = slotOf(json.empty_slot, log);
  const using = slotOf(json.using_slot, log);
  return {
    ok: true,
    value: {
      ...(empty !== undefined ? { empty_slot: empty } : {}),
      ...(using !== undefined ? { using_slot: using } : {}),
      results,
      unreadable,
    },
    tolerances: log.list(),
  };
}
