/*
 * How the simulator shapes its answers. `strict` answers exactly the way the
 * Kakao spec guesses (docs/kakao-api.md); `variant` turns on every shape that
 * third-party clients have reported from the real API, so tests, the bench and
 * the sandbox can prove one odd answer costs one row, never a batch or a screen.
 * Each switch can also be set on its own.
 */

export interface SimDialect {
  // ---- reads ----
  /**
   * File list `results[].schema`: an object (spec), a JSON string, null, absent, or each file a different one of those.
   */
  fileSchema: 'object' | 'string' | 'null' | 'absent' | 'mixed';
  /** File list: leave out `update_at` / `updated_at`. */
  fileNoUpdatedAt: boolean;
  /** File list: a status other than `active` (e.g. `READY`, `processing`). */
  fileOddStatus: boolean;
  /** File list `empty_slot` / `using_slot`: numbers (spec), numeric strings, or absent. */
  fileSlots: 'number' | 'string' | 'absent';
  /**
   * /multi: some users (about 1 in 7) come back without `channels` or with `channels: null` (no consent / not the app's
   * user).
   */
  multiMissingChannels: boolean;
  /** /multi and the single check: unknown extra fields on users and channels. */
  extraFields: boolean;
  /** /multi: elements in a different order from the asked IDs. */
  multiShuffled: boolean;
  /** /multi: some asked users left out of the answer. */
  multiDropsUsers: boolean;
  /** /multi: some users answered twice. */
  multiDuplicates: boolean;
  /**
   * `updated_at` form: RFC 3339 UTC with Z (spec), with a +09:00 offset, without seconds, or epoch milliseconds (a
   * number).
   */
  timeFormat: 'rfc3339' | 'offset' | 'no-seconds' | 'epoch-ms';
  /** Single check: `channels: []` for users without consent. */
  singleEmptyChannels: boolean;
  // ---- writes ----
  /** Add users: the counts as numeric strings. */
  addCountsAsStrings: boolean;
  /** Add users: `file_id` echoed in the answer. */
  addEchoesFileId: boolean;
  /** Delete users: the answer — counts like add (spec guess), `{}`, or only `request_count`. */
  deleteAnswer: 'counts' | 'empty' | 'request-only';
}

/** @public Shared skeleton: the named dialects other parts may pick (brief). */
export type DialectName = 'strict' | 'variant';

/** @public Shared skeleton (brief): the spec as written. */
export const STRICT_DIALECT: SimDialect = Object.freeze({
  fileSchema: 'object',
  fileNoUpdatedAt: false,
  fileOddStatus: false,
  fileSlots: 'number',
  multiMissingChannels: false,
  extraFields: false,
  multiShuffled: false,
  multiDropsUsers: false,
  multiDuplicates: false,
  timeFormat: 'rfc3339',
  singleEmptyChannels: false,
  addCountsAsStrings: false,
  addEchoesFileId: false,
  deleteAnswer: 'counts',
});

/** @public Shared skeleton (brief): the tolerant variant. */
export const VARIANT_DIALECT: SimDialect = Object.freeze({
  fileSchema: 'mixed',
  fileNoUpdatedAt: true,
  fileOddStatus: true,
  fileSlots: 'string',
  multiMissingChannels: true,
  extraFields: true,
  multiShuffled: true,
  multiDropsUsers: true,
  multiDuplicates: true,
  timeFormat: 'offset',
  singleEmptyChannels: true,
  addCountsAsStrings: true,
  addEchoesFileId: true,
  deleteAnswer: 'empty',
});

/** `strict`, `variant`, or `variant` / `strict` with some switches changed. */
export type DialectSetting = DialectName | (Partial<SimDialect> & { base?: DialectName });

export function resolveDialect(setting: DialectSetting = 'strict'): SimDialect {
  if (setting === 'strict') return { ...STRICT_DIALECT };
  if (setting === 'variant') return { ...VARIANT_DIALECT };
  const { base = 'strict', ...switches } = setting;
  return { ...(base === 'variant' ? VARIANT_DIALECT : STRICT_DIALECT), ...switches };
}
