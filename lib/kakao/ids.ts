import { z } from 'zod';

/**
 * Kakao 회원번호 (app user ID). A Long that can exceed 2^53, so it stays a decimal
 * string end to end and is never turned into a JS number.
 */
export const USER_ID_PATTERN = /^[1-9][0-9]{0,19}$/;
export const UserId = z.string().regex(USER_ID_PATTERN, 'invalid_user_id');
export type UserId = z.infer<typeof UserId>;

/**
 * Channel public ID (the path of pf.kakao.com/_ZeUTxl). The length range is
 * UNCONFIRMED by Kakao; observed IDs have 3–7 characters after the underscore.
 */
export const CHANNEL_ID_PATTERN = /^_[A-Za-z0-9]{2,12}$/;
export const ChannelId = z.string().regex(CHANNEL_ID_PATTERN, 'invalid_channel_id');
export type ChannelId = z.infer<typeof ChannelId>;

/** Admin keys are 32 lowercase hex characters in every public sample (UNCONFIRMED officially). */
export const ADMIN_KEY_PATTERN = /^[0-9a-f]{32}$/;

/** Trims and strips thousands separators a spreadsheet may add ("1,234" is not an ID). */
export function normaliseUserId(raw: string): string {
  return raw.trim();
}

export function isUserId(raw: string): boolean {
  return USER_ID_PATTERN.test(raw);
}

/** Splits a comma/newline/space separated list of channel IDs, keeping order, dropping repeats. */
export function splitChannelIds(raw: string): string[] {
  const seen = new Set<string>();
  for (const part of raw.split(/[\s,]+/)) {
    const id = part.trim();
    if (id) seen.add(id);
  }
  return [...seen];
}

/** "••••a1b2": the only form of the key that pages ever see after it is saved. */
export function maskKey(key: string): string {
  return `••••${key.slice(-4)}`;
}
