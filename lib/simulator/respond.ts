import type { SimDialect } from './dialect';
import type { SimResponse } from './types';

/* How the simulator writes an answer: JSON, Kakao's error shape, raw Long IDs, times in the dialect's form. */

export function json(status: number, value: unknown): SimResponse {
  return { status, body: JSON.stringify(value), headers: { 'content-type': 'application/json;charset=UTF-8' } };
}
export function kakaoError(status: number, code: number, msg: string): SimResponse {
  return json(status, { msg, code });
}
/** JSON with the user IDs as bare numbers, like Kakao's Long. */
export function rawJson(status: number, value: unknown): SimResponse {
  const res = json(status, value);
  return { ...res, body: res.body.replace(/"__RAW__(\d+)"/g, '$1') };
}
export const isResponse = (v: unknown): v is SimResponse =>
  typeof v === 'object' && v !== null && 'status' in v && 'body' in v;

/** A change time in the dialect's form (the truth, `relationOf`, stays RFC 3339 Z). */
export function timeIn(format: SimDialect['timeFormat'], iso: string): string | number {
  const ms = Date.parse(iso);
  switch (format) {
    case 'offset':
      return new Date(ms + 9 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+09:00');
    case 'no-seconds':
      return new Date(ms).toISOString().slice(0, 16) + 'Z';
    case 'epoch-ms':
      return ms;
    default:
      return iso;
  }
}

/** The code of an error answer, for the request log. */
export const errorCodeOf = (response: SimResponse): number | undefined =>
  response.status >= 400 ? (JSON.parse(response.body) as { code: number }).code : undefined;
