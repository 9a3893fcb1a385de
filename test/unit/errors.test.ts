import { describe, expect, it } from 'vitest';
import {
  KakaoApiError,
  KakaoErrorInfo,
  LocalErrorCode,
  errorInfo,
  explain,
  isRetryable,
  redact,
  toKakaoError,
  type ErrorCode,
} from '../../lib/kakao/errors';

/** Kakao codes the extension can meet on the channel APIs (docs/kakao-api.md §6) and explains itself. */
const KAKAO_CODES = [
  -1, -2, -3, -4, -5, -7, -10, -12, -401, -402, -541, -544, -603, -815, -816, -817, -818, -819, -9798,
];
const EXPLAINED: ErrorCode[] = [...KAKAO_CODES, ...LocalErrorCode.options];

const HANGUL = /[\uAC00-\uD7A3]/;
const UNEXPLAINED_PROBE = -424242;

/** The fallback sentence `explain` gives a code it has no explanation for. */
function fallbackFor(code: ErrorCode) {
  const generic = explain(UNEXPLAINED_PROBE, null);
  const swap = (s: string) => s.replaceAll(String(UNEXPLAINED_PROBE), String(code));
  return { ko: swap(generic.ko), en: swap(generic.en) };
}

describe('explanations', () => {
  it.each(EXPLAINED)('%s has its own Korean and English sentence', (code) => {
    const e = explain(code, null);
    expect(e.ko.trim()).not.toBe('');
    expect(e.en.trim()).not.toBe('');
    expect(e.ko).toMatch(HANGUL);
    expect(e.en).not.toMatch(HANGUL);
    expect(e).not.toEqual(fallbackFor(code));
    expect(e.ko).not.toBe(e.en);
  });

  it.each(KAKAO_CODES)('%i names its code in both languages', (code) => {
    const e = explain(code, 400);
    expect(e.ko).toContain(`(${code})`);
    expect(e.en).toContain(`(${code})`);
  });

  it('sentences are distinct per code (no copy-paste)', () => {
    const ko = EXPLAINED.map((c) => explain(c, null).ko);
    expect(new Set(ko).size).toBe(ko.length);
  });

  it('-401 tells the manager, in Korean, to check the 어드민 키', () => {
    expect(explain(-401, 401).ko).toContain('어드민 키');
    expect(explain(-401, 401).en).toMatch(/admin key/i);
  });

  it('an unexplained code falls back to a sentence naming it, in both languages', () => {
    const e = explain(-777, 400);
    expect(e.ko).toContain('-777');
    expect(e.en).toContain('-777');
    expect(e.ko).toMatch(HANGUL);
  });

  it('an unexplained code on a 5xx names the HTTP status', () => {
    const e = explain(-777, 502);
    expect(e.ko).toContain('502');
    expect(e.en).toContain('502');
    expect(e).not.toEqual(explain(-777, 400));
  });
});

describe('isRetryable', () => {
  it.each<[ErrorCode, number | null, boolean]>([
    [-1, 400, true],
    [-1, 500, true],
    [-603, 400, true],
    [-9798, 503, true],
    ['network', null, true],
    ['timeout', null, true],
    [-7777, 500, true],
    [-7777, 503, true],
    ['invalid_response', 502, true],
    [-2, 400, false],
    [-3, 403, false],
    [-10, 400, false],
    [-401, 401, false],
    [-402, 403, false],
    [-541, 400, false],
    [-816, 400, false],
    [-817, 400, false],
    [-818, 400, false],
    [-819, 400, false],
    [-7777, 499, false],
    ['invalid_response', 200, false],
    ['no_key', null, false],
    ['cancelled', null, false],
    ['internal', null, false],
  ])('isRetryable(%s, %s) = %s', (code, status, expected) => {
    expect(isRetryable(code, status)).toBe(expected);
    expect(new KakaoApiError(code, status).retryable).toBe(expected);
  });
});

describe('KakaoApiError', () => {
  it('carries code, status, explanation and the English sentence as message', () => {
    const err = new KakaoApiError(-817, 400, 'file name already exists');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('KakaoApiError');
    expect(err.message).toBe(explain(-817, 400).en);
    expect(err.explanation).toEqual(explain(-817, 400));
    const info = err.toInfo();
    expect(KakaoErrorInfo.parse(info)).toEqual(info);
    expect(info).toEqual({
      code: -817,
      status: 400,
      retryable: false,
      explanation: explain(-817, 400),
      detail: 'file name already exists',
    });
  });

  it('leaves detail out of toInfo when there is none', () => {
    expect(new KakaoApiError('network', null).toInfo()).not.toHaveProperty('detail');
  });

  it('redacts and truncates detail', () => {
    const key = 'abcdefabcdefabcdefabcdefabcdef12';
    const err = new KakaoApiError(-401, 401, `ip mismatched! key=${key} ${'x'.repeat(1000)}`);
    expect(err.detail).not.toContain(key);
    expect(err.detail!.length).toBeLessThanOrEqual(300);
    expect(err.detail).toContain('ip mismatched!');
  });
});

describe('redact', () => {
  const key = '0123456789abcdef0123456789ABCDEF';
  it.each([[`KakaoAK ${key}`], [`authorization: kakaoak ${key}`], [`key ${key} is unknown`], [`"${key}"`]])(
    'removes the key from %j',
    (text) => {
      const out = redact(text);
      expect(out).not.toContain(key);
      expect(out).toContain('[redacted]');
    },
  );

  it('leaves ordinary text and IDs alone', () => {
    const text = 'user 1234567890123456789 in channel _ZeUTxl: API limit has been exceeded.';
    expect(redact(text)).toBe(text);
  });
});

describe('toKakaoError / errorInfo', () => {
  it('returns a KakaoApiError unchanged', () => {
    const err = new KakaoApiError(-10, 400);
    expect(toKakaoError(err)).toBe(err);
  });

  it.each<[string, unknown, ErrorCode]>([
    ['AbortError', new DOMException('aborted', 'AbortError'), 'cancelled'],
    ['TimeoutError', new DOMException('timed out', 'TimeoutError'), 'timeout'],
    ['a plain Error', new Error('boom'), 'internal'],
    ['a string', 'boom', 'internal'],
    ['undefined', undefined, 'internal'],
  ])('maps %s', (_label, thrown, code) => {
    expect(toKakaoError(thrown).code).toBe(code);
    expect(errorInfo(thrown).code).toBe(code);
  });

  it('keeps the (redacted) message of an unexpected Error as detail', () => {
    const info = errorInfo(new Error('exploded with KakaoAK 0123456789abcdef0123456789abcdef'));
    expect(info.code).toBe('internal');
    expect(info.detail).toContain('exploded');
    expect(info.detail).not.toContain('0123456789abcdef0123456789abcdef');
  });
});
