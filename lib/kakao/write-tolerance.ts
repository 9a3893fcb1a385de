import { z } from 'zod';

/*
 * The answer shapes Channel Desk tolerates from the two customer-file WRITE calls
 * (add users, delete users), one named entry per choice. The names go to the API
 * log (`ApiCallRecord.tolerances`); read-answer tolerances live in ./tolerance.ts.
 *
 * The rule: a 2XX to a write means the request was taken. An answer whose counts
 * cannot be read never turns a sent batch into a failed one, and is never resent.
 */

export const WRITE_TOLERANCES = {
  /**
   * Add users: `request_count` / `success_count` as numeric strings ("2000"): read as numbers. Reported by third-party
   * clients.
   */
  addCountsAsStrings: 'add.counts-as-strings',
  /** Add users: `file_id` echoed in the answer: ignored (UNCONFIRMED whether Kakao sends it). */
  addFileIdEchoed: 'add.file-id-echoed',
  /** Delete users: counts as numeric strings: read as numbers. */
  deleteCountsAsStrings: 'delete.counts-as-strings',
  /**
   * Delete users: the answer's shape is UNCONFIRMED. `{}`, an empty body, or counts that cannot be read:
   * the batch is "sent, Kakao reported no counts" — not failed, never resent.
   */
  deleteNoCounts: 'delete.no-counts',
  /** Delete users: `request_count` without `success_count`: how many Kakao applied is unknown ("no counts"). */
  deleteNoSuccessCount: 'delete.no-success-count',
} as const;

export type WriteToleranceName = (typeof WRITE_TOLERANCES)[keyof typeof WRITE_TOLERANCES];

/** A count: a non-negative integer, or the same as a numeric string. */
const Count = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
]);
const isCountString = (v: unknown) => typeof v === 'string' && /^\d{1,15}$/.test(v);

/** Add users' answer: both counts required (numbers or numeric strings); `file_id` and other fields ignored. */
export const AddUsersAnswer = z.object({ request_count: Count, success_count: Count }).transform((a) => ({
  request_count: a.request_count,
  success_count: a.success_count,
}));
export type AddUsersAnswer = z.infer<typeof AddUsersAnswer>;

/**
 * Delete users' answer: anything a 2XX carries. Each count is kept when readable; a missing
 * or unreadable `success_count` means "Kakao reported no counts" for that batch.
 */
export const DeleteUsersAnswer = z.unknown().transform((value): { request_count?: number; success_count?: number } => {
  const o = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const read = (v: unknown) => {
    const r = Count.safeParse(v);
    return r.success ? r.data : undefined;
  };
  const request = read(o.request_count);
  const success = read(o.success_count);
  return {
    ...(request !== undefined ? { request_count: request } : {}),
    ...(success !== undefined ? { success_count: success } : {}),
  };
});
export type DeleteUsersAnswer = z.infer<typeof DeleteUsersAnswer>;

/** The tolerances an add answer needed. */
export function addAnswerTolerances(json: unknown): WriteToleranceName[] {
  const o = json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  const names: WriteToleranceName[] = [];
  if (isCountString(o.request_count) || isCountString(o.success_count)) names.push(WRITE_TOLERANCES.addCountsAsStrings);
  if ('file_id' in o) names.push(WRITE_TOLERANCES.addFileIdEchoed);
  return names;
}

/** The tolerances a delete answer needed. */
export function deleteAnswerTolerances(json: unknown): WriteToleranceName[] {
  const o = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const names: WriteToleranceName[] = [];
  if (isCountString(o.request_count) || isCountString(o.success_count))
    names.push(WRITE_TOLERANCES.deleteCountsAsStrings);
  const answer = DeleteUsersAnswer.parse(json);
  if (answer.success_count === undefined) {
    names.push(
      answer.request_count === undefined ? WRITE_TOLERANCES.deleteNoCounts : WRITE_TOLERANCES.deleteNoSuccessCount,
    );
  }
  return names;
}
