/*
 * ID formats without zod, so UI bundles (popup, content script) can validate
 * input without carrying the schema library. `ids.ts` builds the zod schemas on these.
 */

/**
 * Kakao 회원번호 (app user ID). A Long that can exceed 2^53, so it stays a decimal
 * string end to end and is never turned into a JS number.
 */
export const USER_ID_PATTERN = /^[1-9][0-9]{0,19}$/;

/**
 * Channel public ID (the path of pf.kakao.com/_ZeUTxl). The length range is
 * UNCONFIRMED by Kakao; observed IDs have 3–7 characters after the underscore.
 */
export const CHANNEL_ID_PATTERN = /^_[A-Za-z0-9]{2,12}$/;

/** Admin keys are 32 lowercase hex characters in every public sample (UNCONFIRMED officially). */
export const ADMIN_KEY_PATTERN = /^[0-9a-f]{32}$/;

export function normaliseUserId(raw: string): string {
  return raw.trim();
}

export function isUserId(raw: string): boolean {
  return USER_ID_PATTERN.test(raw);
}

/** The most 회원번호 digits Kakao's Long can hold (USER_ID_PATTERN). */
export const USER_ID_MAX_DIGITS = 20;

/** Why a text is not a user ID, in the terms of USER_ID_PATTERN; null when it is one. */
export type UserIdProblem = 'empty' | 'not_digits' | 'too_long' | 'leading_zero';
export function userIdProblem(raw: string): UserIdProblem | null {
  if (raw === '') return 'empty';
  if (!/^[0-9]+$/.test(raw)) return 'not_digits';
  if (raw.length > USER_ID_MAX_DIGITS) return 'too_long';
  if (raw.startsWith('0')) return 'leading_zero';
  return isUserId(raw) ? null : 'not_digits';
}

/**
 * The channel public ID in a pasted channel address: `https://pf.kakao.com/_ZeUTxl`,
 * `pf.kakao.com/_ZeUTxl/friend`, `http://pf.kakao.com/_ZeUTxl?…`. The options hint tells
 * managers to look at that address, so they paste it whole. Anything else is returned trimmed.
 */
export function channelIdFromText(raw: string): string {
  const text = raw.trim();
  const url = /^(?:https?:\/\/)?(?:www\.)?pf\.kakao\.com\/(_[A-Za-z0-9]+)(?:[/?#].*)?$/i.exec(text);
  return url ? url[1]! : text;
}

/**
 * Splits a comma/newline/space separated list of channel IDs (or pasted
 * pf.kakao.com addresses), keeping order, dropping repeats.
 */
export function splitChannelIds(raw: string): string[] {
  const seen = new Set<string>();
  for (const part of raw.split(/[\s,]+/)) {
    const id = channelIdFromText(part);
    if (id) seen.add(id);
  }
  return [...seen];
}

/** "••••a1b2": the only form of the key that pages ever see after it is saved. */
export function maskKey(key: string): string {
  return `••••${key.slice(-4)}`;
}
