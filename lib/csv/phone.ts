/*
 * Korean mobile numbers. Kakao's accepted phone format is UNCONFIRMED: its tools
 * usually take the international form without "+", e.g. 821012345678, so that is
 * the one form Channel Desk sends. Change normalisePhone and PHONE_EXAMPLE here if Kakao says otherwise.
 *
 * Accepted input: 010-1234-5678, 01012345678, 010 1234 5678, +82 10-1234-5678,
 * 82-10-1234-5678, (010)1234-5678, and the older 011/016/017/018/019 numbers.
 */
/** What 010-1234-5678 becomes; the UI explains the form around it in Korean or English. */
export const PHONE_EXAMPLE = '821012345678';

export function normalisePhone(raw: string): string | null {
  let digits = raw.trim().replace(/[\s\-.()]/g, '');
  if (digits.startsWith('+')) digits = digits.slice(1);
  if (!/^\d+$/.test(digits)) return null;
  if (digits.startsWith('82')) digits = digits.slice(2);
  if (digits.startsWith('0')) digits = digits.slice(1);
  // Now 10XXXXXXXX (010 + 8 digits) or 1[1,6-9] + 7–8 digits.
  if (/^10\d{8}$/.test(digits) || /^1[16789]\d{7,8}$/.test(digits)) return `82${digits}`;
  return null;
}
