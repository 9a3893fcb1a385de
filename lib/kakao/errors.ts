import { z } from 'zod';
import { APP_ERROR_CODES, AppError } from '../app-error';
import { explain, RELAY_ERROR_CODES, type Explanation as ExplanationText } from './explain';

export { explain };

/**
 * One typed error for every way a Kakao call can fail. It carries the Kakao code
 * (or a local code for failures that never reached Kakao), the HTTP status, a
 * Korean and English sentence that says what happened and what to do, and whether
 * retrying can help. It never carries the key, the request headers or a raw body.
 */

export const LocalErrorCode = z.enum([
  'network',
  'timeout',
  'invalid_response',
  'no_key',
  'cancelled',
  'internal',
  'no_host_access',
  'malformed_key',
  'sandbox_real_channels',
  'no_relay_url',
  'no_relay_token',
  'relay_no_host_access',
]);
export type LocalErrorCode = z.infer<typeof LocalErrorCode>;
/** The relay's own refusals (relay/src/app.ts): Kakao's error shape with a string code Kakao never uses. */
export const RelayErrorCode = z.enum(RELAY_ERROR_CODES);
export type RelayErrorCode = z.infer<typeof RelayErrorCode>;
/** Channel Desk's own failures (lib/app-error.ts): never a Kakao code. */
const AppErrorCode = z.enum(APP_ERROR_CODES);
export const ErrorCode = z.union([z.number().int(), LocalErrorCode, RelayErrorCode, AppErrorCode]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const Explanation = z.object({ ko: z.string(), en: z.string() }) satisfies z.ZodType<ExplanationText>;
export type Explanation = z.infer<typeof Explanation>;

/** The plain form that crosses messages and lands in job state and reports. */
export const KakaoErrorInfo = z.object({
  code: ErrorCode,
  status: z.number().int().nullable(),
  retryable: z.boolean(),
  explanation: Explanation,
  /** Kakao's own `msg`, with anything that looks like a key removed. */
  detail: z.string().optional(),
  /** A 429's `Retry-After`, in milliseconds (a relay's rate limit says when to come back). */
  retryAfterMs: z.number().int().min(0).optional(),
});
export type KakaoErrorInfo = z.infer<typeof KakaoErrorInfo>;

/**
 * Only temporary failures are retried: -1, -603, -9798, any 5xx, network and timeouts, and a relay's rate limit
 * (429, after its `Retry-After`).
 */
const RETRYABLE_CODES = new Set<ErrorCode>([-1, -603, -9798, 'network', 'timeout', 'relay_rate']);

export function isRetryable(code: ErrorCode, status: number | null): boolean {
  return RETRYABLE_CODES.has(code) || (status !== null && (status >= 500 || status === 429));
}

/** A `Retry-After` header (seconds, or an HTTP date) in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text), 3600) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - now), 3600_000);
}

/** Removes anything key-shaped (32 hex characters) or an Authorization value from a text. */
export function redact(text: string): string {
  return text
    .replace(/KakaoAK\s*\S+/gi, 'KakaoAK [redacted]')
    .replace(/Bearer\s+\S+/gi, 'Bearer [redacted]')
    .replace(/(?<![0-9a-fA-F])[0-9a-fA-F]{32}(?![0-9a-fA-F])/g, '[redacted]');
}

export class KakaoApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number | null;
  readonly retryable: boolean;
  readonly explanation: Explanation;
  readonly detail: string | undefined;
  /** A 429's `Retry-After` in milliseconds: the retry waits at least this long. */
  retryAfterMs: number | undefined;

  constructor(code: ErrorCode, status: number | null, detail?: string) {
    const explanation = explain(code, status);
    super(explanation.en);
    this.name = 'KakaoApiError';
    this.code = code;
    this.status = status;
    this.retryable = isRetryable(code, status);
    this.explanation = explanation;
    this.detail = detail === undefined ? undefined : redact(detail).slice(0, 300);
  }

  toInfo(): KakaoErrorInfo {
    return {
      code: this.code,
      status: this.status,
      retryable: this.retryable,
      explanation: this.explanation,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
    };
  }
}

/** Turns anything thrown into the typed error; an unexpected throw is `internal`, with its message redacted. */
export function toKakaoError(err: unknown): KakaoApiError {
  if (err instanceof KakaoApiError) return err;
  if (err instanceof AppError) return new KakaoApiError(err.code, null, err.detail);
  if (err instanceof DOMException && err.name === 'AbortError') return new KakaoApiError('cancelled', null);
  if (err instanceof DOMException && err.name === 'TimeoutError') return new KakaoApiError('timeout', null);
  return new KakaoApiError('internal', null, err instanceof Error ? err.message : undefined);
}

export function errorInfo(err: unknown): KakaoErrorInfo {
  return toKakaoError(err).toInfo();
}
