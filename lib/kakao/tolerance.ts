/*
 * Every answer shape Channel Desk tolerates beyond Kakao's documented
 * shapes (docs/kakao-api.md §3, §4), one named entry per choice. The parsers in
 * ./schemas.ts apply them; the client reports the names an answer needed in its
 * API-log record (`ApiCallRecord.tolerances`), so a real answer in another shape
 * shows up in the log instead of silently costing rows.
 *
 * The rule behind all of them: an odd shape costs one row (one user, one file),
 * never a batch of 200 or a whole screen.
 */

export const TOLERANCES = {
  // ---- /v2/api/talk/channels/multi (and the single check) ----
  /**
   * UNCONFIRMED. A user element without `channels`, or with `channels: null`: third-party
   * clients report it for users who did not consent or are not the app's user. That user
   * is UNKNOWN with reason `no_channels`; the batch's other users keep their relations.
   */
  multiMissingChannels: 'multi.missing-channels',
  /**
   * An element that is not an object, or whose `user_id` is not an ID: dropped and counted; its user is then "not
   * answered".
   */
  multiUnreadableElement: 'multi.unreadable-element',
  /** An element whose `channels` is there but unreadable (not a list): the user is UNKNOWN with reason `unreadable`. */
  multiUnreadableChannels: 'multi.unreadable-channels',
  /** A channel entry without a readable `channel_public_id`: that entry is left out (its channel shows UNKNOWN). */
  unreadableChannelEntry: 'channel.unreadable-entry',
  /** The same user twice: merged (first answer per channel wins). UNCONFIRMED whether Kakao repeats users. */
  multiDuplicates: 'multi.duplicates',
  /**
   * Asked users missing from the answer: UNKNOWN with reason `not_answered`. Order is never relied on (matched by
   * user_id).
   */
  multiMissingUsers: 'multi.missing-users',
  /** Unknown extra fields on a user, channel or file: ignored. The SDKs ignore unknown fields too. */
  extraFields: 'extra-fields',
  /**
   * A `relation` value other than ADDED / BLOCKED / NONE: UNKNOWN with reason `unknown_value` (the SDKs keep an UNKNOWN
   * fallback).
   */
  unknownRelation: 'relation.unknown-value',
  /** `updated_at` with an offset such as +09:00 instead of Z: normalised to UTC. UNCONFIRMED which Kakao sends. */
  timeOffset: 'time.offset',
  /** `updated_at` without seconds (`2024-03-01T10:20Z`): normalised. */
  timeNoSeconds: 'time.no-seconds',
  /** `updated_at` as epoch milliseconds (a number): normalised to an ISO string. */
  timeEpochMs: 'time.epoch-ms',
  /** `updated_at` that is no time at all: left out (the relation still counts). */
  timeUnreadable: 'time.unreadable',
  /**
   * Single check: `channels: []`. Reported for users without consent: every asked channel is UNKNOWN with reason
   * `no_channels`.
   */
  singleEmptyChannels: 'single.empty-channels',

  // ---- GET /v1/talkchannel/target_user_file ----
  /** `schema` as a JSON string instead of an object: parsed. UNCONFIRMED. */
  fileSchemaString: 'file.schema-string',
  /** `schema` null, absent or unreadable: `{}` and `schemaKnown: false`; the UI says the mapping cannot be checked. */
  fileSchemaUnknown: 'file.schema-unknown',
  /** Neither `update_at` nor `updated_at`: the date shows "—". The spelling itself is UNCONFIRMED (both accepted). */
  fileNoUpdatedAt: 'file.no-updated-at',
  /** `status` missing or not a string: shown as "—". Any status string is accepted (values UNCONFIRMED). */
  fileOddStatus: 'file.odd-status',
  /** `empty_slot` / `using_slot` as numeric strings: read as numbers. */
  fileSlotsString: 'file.slots-string',
  /** `empty_slot` / `using_slot` absent or unreadable: the slot meter says "unknown" and counts the listed files. */
  fileSlotsAbsent: 'file.slots-absent',
  /**
   * A file element without a readable `file_id`: shown as one row explaining it cannot be used; the other files stay
   * usable.
   */
  fileUnreadable: 'file.unreadable',
  /** `results` absent or not a list: an empty list. UNCONFIRMED whether Kakao leaves it out when there are no files. */
  fileNoResults: 'file.no-results',
} as const;

export type ToleranceName = (typeof TOLERANCES)[keyof typeof TOLERANCES];

/** Why a user's relation is UNKNOWN, when Channel Desk knows (shown in ko/en next to the UNKNOWN mark). */
export type UnknownReason = 'no_channels' | 'not_answered' | 'channel_missing' | 'unreadable' | 'unknown_value';
export const UNKNOWN_REASONS: readonly UnknownReason[] = [
  'no_channels',
  'not_answered',
  'channel_missing',
  'unreadable',
  'unknown_value',
];
export const isUnknownReason = (v: unknown): v is UnknownReason =>
  typeof v === 'string' && (UNKNOWN_REASONS as readonly string[]).includes(v);

/** Collects the tolerances one answer needed, each name once. */
export class ToleranceLog {
  private readonly names = new Set<ToleranceName>();
  note(name: ToleranceName): void {
    this.names.add(name);
  }
  list(): ToleranceName[] {
    return [...this.names];
  }
}
