import { WebhookPayload } from './payload';
import { KAKAO_WEBHOOK_USER_AGENT } from './sample';

/*
 * A receiver-side check of Kakao's add/block webhook, for service developers
 * (docs/kakao-api.md §8): the Authorization header must be `KakaoAK <your primary admin
 * key>`, each delivery carries a unique X-Kakao-Resource-ID (used to drop
 * repeats), and the body is the JSON payload. Answer any 2XX within 3 s.
 *
 * Tolerant where Kakao is silent, strict where it matters. Kakao's documented
 * headers are Authorization, X-Kakao-Resource-ID and User-Agent only, and the
 * resource ID's format is not specified: so any non-empty resource ID of at
 * most 256 characters is accepted (Kakao's example is 24 alphanumerics), and a
 * missing Content-Type is fine when the body parses as JSON (a charset suffix
 * is fine too; a declared non-JSON type is not). Extra or deprecated body
 * fields are ignored. User-Agent (`KakaoOpenAPI/1.0`) is reported, not
 * required, so tests from a browser pass. Authorization is always checked
 * exactly: `KakaoAK <primary admin key>`, nothing else.
 */

export { KAKAO_WEBHOOK_USER_AGENT };
/** The longest X-Kakao-Resource-ID accepted (and remembered for dedupe). */
export const MAX_RESOURCE_ID_LENGTH = 256;

/** A JSON media type: application/json or any `+json` type, with or without parameters. */
function isJsonType(contentType: string): boolean {
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  return essence === 'application/json' || /^application\/[\w.+-]+\+json$/.test(essence);
}

export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

export type WebhookRejection = 'bad_authorization' | 'bad_resource_id' | 'bad_content_type' | 'bad_body';
export type WebhookVerification =
  | { ok: true; payload: WebhookPayload; resourceId: string; duplicate: boolean; userAgentOk: boolean }
  | { ok: false; status: 400 | 401; reason: WebhookRejection; detail?: string };

export interface WebhookVerifierOptions {
  /** The app's primary (대표) admin key: Kakao puts it in Authorization. */
  primaryAdminKey: string;
  /** How many resource IDs to remember for deduplication (oldest forgotten first). */
  maxRemembered?: number;
  /** How long a resource ID is remembered. */
  rememberMs?: number;
  now?: () => number;
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

/** Compares without stopping at the first difference, so timing tells nothing about the key. */
function sameSecret(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

export function createWebhookVerifier(options: WebhookVerifierOptions) {
  const expected = `KakaoAK ${options.primaryAdminKey}`;
  const maxRemembered = options.maxRemembered ?? 10_000;
  const rememberMs = options.rememberMs ?? 24 * 60 * 60 * 1000;
  const now = options.now ?? (() => Date.now());
  const seen = new Map<string, number>(); // resource ID → first seen (insertion order = age)

  function forgetOld(at: number) {
    for (const [id, t] of seen) {
      if (seen.size <= maxRemembered && at - t <= rememberMs) break;
      seen.delete(id);
    }
  }

  return {
    /** Checks one delivery. Only a fully valid delivery is remembered, so forged requests cannot poison dedupe. */
    verify(request: { headers: HeaderSource; body: string }): WebhookVerification {
      if (!sameSecret(header(request.headers, 'authorization') ?? '', expected)) {
        return { ok: false, status: 401, reason: 'bad_authorization' };
      }
      const resourceId = (header(request.headers, 'x-kakao-resource-id') ?? '').trim();
      if (resourceId.length === 0 || resourceId.length > MAX_RESOURCE_ID_LENGTH) {
        return {
          ok: false,
          status: 400,
          reason: 'bad_resource_id',
          detail: resourceId ? `longer than ${MAX_RESOURCE_ID_LENGTH} characters` : 'missing',
        };
      }
      // Kakao does not document Content-Type: absent is fine (the body must still be JSON); a declared non-JSON type is
      // not.
      const type = (header(request.headers, 'content-type') ?? '').trim();
      if (type !== '' && !isJsonType(type)) return { ok: false, status: 400, reason: 'bad_content_type' };
      let json: unknown;
      try {
        json = JSON.parse(request.body);
      } catch {
        return { ok: false, status: 400, reason: 'bad_body', detail: 'not JSON' };
      }
      const parsed = WebhookPayload.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return {
          ok: false,
          status: 400,
          reason: 'bad_body',
          detail: `${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
        };
      }
      const at = now();
      forgetOld(at);
      const duplicate = seen.has(resourceId);
      if (!duplicate) seen.set(resourceId, at);
      return {
        ok: true,
        payload: parsed.data,
        resourceId,
        duplicate,
        userAgentOk: header(request.headers, 'user-agent') === KAKAO_WEBHOOK_USER_AGENT,
      };
    },
  };
}
export type WebhookVerifier = ReturnType<typeof createWebhookVerifier>;
