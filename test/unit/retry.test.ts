import { describe, expect, it } from 'vitest';
import { KakaoApiError, type ErrorCode } from '../../lib/kakao/errors';
import { abortableSleep, backoffDelay, withRetry, type RetryPolicy } from '../../lib/kakao/retry';

function policy(overrides: Partial<RetryPolicy> = {}) {
  const delays: number[] = [];
  const p: RetryPolicy = {
    retries: 3,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    random: () => 1,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...overrides,
  };
  return { policy: p, delays };
}

/** A function that fails with the given errors in turn, then returns `value`. */
function failingThen<T>(errors: unknown[], value: T) {
  const attempts: number[] = [];
  const fn = async (attempt: number) => {
    attempts.push(attempt);
    const err = errors[attempts.length - 1];
    if (err !== undefined) throw err;
    return value;
  };
  return { fn, attempts };
}

async function rejection(promise: Promise<unknown>): Promise<KakaoApiError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(KakaoApiError);
    return err as KakaoApiError;
  }
  throw new Error('expected a rejection');
}

describe('withRetry', () => {
  it('returns at once when the first attempt succeeds', async () => {
    const { policy: p, delays } = policy();
    const { fn, attempts } = failingThen([], 'ok');
    await expect(withRetry(fn, p)).resolves.toBe('ok');
    expect(attempts).toEqual([0]);
    expect(delays).toEqual([]);
  });

  it('retries retryable errors and returns the later success', async () => {
    const { policy: p, delays } = policy();
    const { fn, attempts } = failingThen([new KakaoApiError(-1, 500), new KakaoApiError('network', null)], 'done');
    await expect(withRetry(fn, p)).resolves.toBe('done');
    expect(attempts).toEqual([0, 1, 2]);
    expect(delays).toHaveLength(2);
  });

  it.each<[string, unknown]>([
    ['-1', new KakaoApiError(-1, 400)],
    ['-603', new KakaoApiError(-603, 400)],
    ['-9798', new KakaoApiError(-9798, 503)],
    ['an unknown code with HTTP 502', new KakaoApiError(-12345, 502)],
    ['network', new KakaoApiError('network', null)],
    ['timeout', new KakaoApiError('timeout', null)],
    ['a DOMException TimeoutError', new DOMException('timed out', 'TimeoutError')],
  ])('retries %s', async (_label, error) => {
    const { policy: p } = policy();
    const { fn, attempts } = failingThen([error], 1);
    await expect(withRetry(fn, p)).resolves.toBe(1);
    expect(attempts).toHaveLength(2);
  });

  it.each([0, 1, 3])('stops after `retries` (= %i) retries and throws the last error', async (retries) => {
    const { policy: p, delays } = policy({ retries });
    const errors = Array.from({ length: retries + 5 }, (_, i) => new KakaoApiError(-1, 400, `failure ${i}`));
    const { fn, attempts } = failingThen(errors, 'never');
    const err = await rejection(withRetry(fn, p));
    expect(attempts).toHaveLength(retries + 1);
    expect(delays).toHaveLength(retries);
    expect(err.code).toBe(-1);
    expect(err.detail).toBe(`failure ${retries}`);
  });

  it.each<[string, unknown, ErrorCode]>([
    ['-10 (quota)', new KakaoApiError(-10, 400), -10],
    ['-401 (bad key)', new KakaoApiError(-401, 401), -401],
    ['-2 (bad input)', new KakaoApiError(-2, 400), -2],
    ['-817 (duplicate name)', new KakaoApiError(-817, 400), -817],
    ['invalid_response', new KakaoApiError('invalid_response', 200), 'invalid_response'],
    ['no_key', new KakaoApiError('no_key', null), 'no_key'],
    ['cancelled', new KakaoApiError('cancelled', null), 'cancelled'],
    ['a plain Error', new Error('boom'), 'internal'],
  ])('throws %s after one attempt, without sleeping', async (_label, error, code) => {
    const { policy: p, delays } = policy({ retries: 5 });
    const { fn, attempts } = failingThen([error, error, error], 'never');
    const err = await rejection(withRetry(fn, p));
    expect(err.code).toBe(code);
    expect(attempts).toEqual([0]);
    expect(delays).toEqual([]);
  });

  it('stops retrying a non-retryable error that follows retryable ones', async () => {
    const { policy: p, delays } = policy({ retries: 5 });
    const { fn, attempts } = failingThen(
      [new KakaoApiError(-1, 500), new KakaoApiError(-10, 400), new KakaoApiError(-1, 500)],
      'never',
    );
    const err = await rejection(withRetry(fn, p));
    expect(err.code).toBe(-10);
    expect(attempts).toEqual([0, 1]);
    expect(delays).toHaveLength(1);
  });

  it('backs off exponentially and caps the delay at maxDelayMs', async () => {
    const { policy: p, delays } = policy({ retries: 6, baseDelayMs: 100, maxDelayMs: 1_000, random: () => 1 });
    const { fn } = failingThen(
      Array.from({ length: 10 }, () => new KakaoApiError('timeout', null)),
      'never',
    );
    await rejection(withRetry(fn, p));
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(p.maxDelayMs);
  });

  it('applies full jitter from the injected random source', async () => {
    const rolls = [0.5, 0, 0.25];
    const { policy: p, delays } = policy({ retries: 3, baseDelayMs: 100, random: () => rolls.shift()! });
    const { fn } = failingThen(
      Array.from({ length: 4 }, () => new KakaoApiError(-603, 400)),
      'never',
    );
    await rejection(withRetry(fn, p));
    // caps 100, 200, 400 scaled by 0.5, 0, 0.25
    expect(delays).toEqual([50, 0, 100]);
  });

  it('passes the abort signal to sleep and stops once it is aborted', async () => {
    const controller = new AbortController();
    const seen: (AbortSignal | undefined)[] = [];
    const { policy: p } = policy({
      retries: 5,
      sleep: async (_ms, signal) => {
        seen.push(signal);
        controller.abort();
      },
    });
    const { fn, attempts } = failingThen(
      Array.from({ length: 6 }, () => new KakaoApiError(-1, 500)),
      'never',
    );
    const err = await rejection(withRetry(fn, p, controller.signal));
    expect(seen).toEqual([controller.signal]);
    expect(attempts).toEqual([0, 1]);
    expect(err.code).toBe(-1);
  });

  it('with the default sleep, an abort during the backoff rejects with cancelled', async () => {
    const controller = new AbortController();
    const { fn, attempts } = failingThen(
      Array.from({ length: 6 }, () => new KakaoApiError(-1, 500)),
      'never',
    );
    const pending = rejection(
      withRetry(fn, { retries: 5, baseDelayMs: 10_000, maxDelayMs: 10_000, random: () => 1 }, controller.signal),
    );
    setTimeout(() => controller.abort(), 20);
    const err = await pending;
    expect(err.code).toBe('cancelled');
    expect(attempts).toEqual([0]);
  });
});

describe('backoffDelay', () => {
  it('never exceeds min(maxDelayMs, base·2^attempt) and is never negative', () => {
    const p: RetryPolicy = { retries: 0, baseDelayMs: 300, maxDelayMs: 8_000 };
    for (let attempt = 0; attempt < 20; attempt++) {
      for (const r of [0, 0.3, 0.999999]) {
        const d = backoffDelay(attempt, { ...p, random: () => r });
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** attempt));
      }
    }
    expect(backoffDelay(30, { ...p, random: () => 1 })).toBe(p.maxDelayMs);
  });
});

describe('abortableSleep', () => {
  it('rejects at once with cancelled when the signal is already aborted', async () => {
    const err = await rejection(abortableSleep(10_000, AbortSignal.abort()));
    expect(err.code).toBe('cancelled');
  });

  it('resolves after the delay', async () => {
    const started = Date.now();
    await abortableSleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});
