import { KakaoApiError, toKakaoError } from './errors';

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected for tests; defaults to Math.random. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 5, baseDelayMs: 300, maxDelayMs: 8_000 };

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new KakaoApiError('cancelled', null));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new KakaoApiError('cancelled', null));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff with full jitter: delay = random(0, min(max, base·2^attempt)). */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round((policy.random ?? Math.random)() * cap);
}

/**
 * Runs `fn`, retrying only errors Kakao marks temporary (-1, -603, -9798, 5xx,
 * network, timeout) and a 429 (after its `Retry-After`). Anything else — a bad key, a quota, bad input — is thrown at
 * once so the caller can pause and explain.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  signal?: AbortSignal,
  /** Narrows which retryable errors are retried (e.g. a delete is not resent after its answer was lost). */
  shouldRetry: (error: KakaoApiError) => boolean = () => true,
): Promise<T> {
  const sleep = policy.sleep ?? abortableSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const error = toKakaoError(err);
      if (!error.retryable || !shouldRetry(error) || attempt >= policy.retries || signal?.aborted) throw error;
      // A 429 that says when to come back (a relay's rate limit) is waited out, never retried sooner.
      await sleep(Math.max(backoffDelay(attempt, policy), error.retryAfterMs ?? 0), signal);
    }
  }
}
