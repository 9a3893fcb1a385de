import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { UnofficialStatusCode } from 'hono/utils/http-status';
import type { AuditLine, AuditSink } from './audit.js';
import type { RelayConfig } from './config.js';
import { ENDPOINTS, type Endpoint } from './endpoints.js';
import { createRateLimiter } from './rate.js';
import { bearerToken, tokenName } from './tokens.js';

/*
 * The relay as a Hono app: the same object serves Node (server.ts) and Cloudflare Workers (worker.ts).
 *
 * A manager's call keeps its Kakao path under the relay's base URL. The relay checks the manager's token, rate and
 * channels, then sends the call to Kakao with `Authorization: KakaoAK <key>` and only the headers Kakao needs (no
 * Origin, Cookie, Referer, forwarding or hop-by-hop headers), and returns Kakao's status and body unchanged, so the
 * extension's parsing and error explanations work as they do without a relay. No CORS headers: the extension calls
 * from its background worker with host permission, and a web page has no business calling the relay.
 */

/** The relay's own refusals: Kakao's error shape (`code`, `msg`) with a string code Kakao never uses. */
type RelayErrorCode =
  | 'relay_auth'
  | 'relay_channel'
  | 'relay_rate'
  | 'relay_not_found'
  | 'relay_too_large'
  | 'relay_upstream'
  | 'relay_timeout'
  | 'relay_cancelled'
  | 'relay_error';

export interface RelayDeps {
  audit: AuditSink;
  /** The fetch that reaches Kakao (tests may pass another). */
  fetch?: typeof fetch;
  now?: () => number;
}

/** Request headers Kakao is sent from the caller's request; every other header stays behind. */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'accept-language'];
/** Kakao's answer headers the caller gets; the rest (cookies, encodings, hop-by-hop, CORS) stay behind. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'retry-after', 'www-authenticate'];
/** The largest call body: 2,000 users with 30 fields each fit many times over. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const REDACTED = '[redacted]';

export function createRelayApp(config: RelayConfig, deps: RelayDeps): Hono {
  const upstreamFetch = deps.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = deps.now ?? Date.now;
  const rate = createRateLimiter(config.ratePerMinute, now);
  const app = new Hono();

  function audit(started: number, line: Omit<AuditLine, 'time' | 'durationMs'>) {
    try {
      // Always the same field order, so that the lines read well side by side.
      deps.audit({
        time: new Date(started).toISOString(),
        token: line.token,
        method: line.method,
        endpoint: line.endpoint,
        channel: line.channel,
        batch: line.batch,
        status: line.status,
        upstreamStatus: line.upstreamStatus,
        code: line.code,
        relayError: line.relayError,
        durationMs: Math.max(0, now() - started),
      });
    } catch {
      // A failing log does not fail the call, but it is not silent either.
      console.error('Channel Desk relay: an audit line could not be written');
    }
  }

  function refuse(
    c: Context,
    status: 401 | 403 | 404 | 413 | 429 | 499 | 500 | 502 | 504,
    code: RelayErrorCode,
    msg: string,
  ) {
    // 499 (the caller closed the connection, as nginx names it) is not in Hono's list of statuses.
    return c.json({ code, msg }, status === 499 ? (499 as UnofficialStatusCode) : status);
  }

  /** Removes the Admin key from text Kakao sent back (an error message may echo the key it was given). */
  const scrub = (text: string) => (text.includes(config.adminKey) ? text.split(config.adminKey).join(REDACTED) : text);

  app.get('/health', (c) => c.json({ ok: true }));

  async function relay(c: Context, endpoint: Endpoint): Promise<Response> {
    const started = now();
    const base = { method: endpoint.method, endpoint: endpoint.path, channel: null, batch: null };

    const token = bearerToken(c.req.header('authorization'));
    const name = token === null ? null : await tokenName(config.tokens, token);
    if (name === null) {
      audit(started, { ...base, token: null, ...noCall(401, 'relay_auth') });
      return refuse(c, 401, 'relay_auth', 'A relay token is required: Authorization: Bearer <token>.');
    }

    const limit = rate.take(name);
    if (!limit.ok) {
      audit(started, { ...base, token: name, ...noCall(429, 'relay_rate') });
      c.header('Retry-After', String(limit.retryAfterSeconds));
      return refuse(c, 429, 'relay_rate', `Over ${config.ratePerMinute} calls a minute for this token.`);
    }

    const url = new URL(c.req.url);
    let body: ArrayBuffer | undefined;
    let json: unknown;
    if (endpoint.method === 'POST') {
      body = await c.req.arrayBuffer();
      try {
        json = JSON.parse(new TextDecoder().decode(body));
      } catch {
        json = undefined; // Kakao answers a body it cannot read with its own error
      }
    }
    const { channels, batch } = endpoint.locate(url.searchParams, json);
    const located = { ...base, token: name, channel: channels?.join(',') ?? null, batch };

    let search = url.search;
    if (config.channels) {
      const allowed = config.channels;
      if (channels === null && endpoint.channelsOptional) {
        // "Every linked channel" becomes every channel this relay serves.
        const query = new URLSearchParams(url.search);
        query.set('channel_ids', [...allowed].join(','));
        query.set('channel_id_type', 'channel_public_id');
        search = `?${query}`;
        located.channel = [...allowed].join(',');
      } else if (channels === null || channels.some((id) => !allowed.has(id))) {
        audit(started, { ...located, ...noCall(403, 'relay_channel') });
        const outside = channels?.filter((id) => !allowed.has(id)).join(', ');
        return refuse(
          c,
          403,
          'relay_channel',
          outside ? `This relay does not serve channel ${outside}.` : 'The call names no channel this relay can check.',
        );
      }
    }

    const headers = new Headers({ Authorization: `KakaoAK ${config.adminKey}` });
    for (const header of FORWARDED_REQUEST_HEADERS) {
      const value = c.req.header(header);
      if (value !== undefined) headers.set(header, value);
    }
    const timeout = AbortSignal.timeout(config.upstreamTimeoutMs);
    let answer: Response;
    let answerBody: ArrayBuffer;
    try {
      answer = await upstreamFetch(`${config.upstream}${endpoint.path}${search}`, {
        method: endpoint.method,
        headers,
        body,
        // A redirect is passed back, never followed with the key.
        redirect: 'manual',
        signal: AbortSignal.any([timeout, c.req.raw.signal]),
      });
      answerBody = await answer.arrayBuffer();
    } catch {
      const timedOut = timeout.aborted;
      if (!timedOut && c.req.raw.signal.aborted) {
        // The manager went away first: whether Kakao applied a write is unknown, and the log says so.
        audit(started, { ...located, ...noCall(499, 'relay_cancelled') });
        return refuse(c, 499, 'relay_cancelled', 'The caller closed the connection.');
      }
      audit(started, { ...located, ...noCall(timedOut ? 504 : 502, timedOut ? 'relay_timeout' : 'relay_upstream') });
      return timedOut
        ? refuse(c, 504, 'relay_timeout', `Kakao did not answer within ${config.upstreamTimeoutMs / 1000} s.`)
        : refuse(c, 502, 'relay_upstream', 'The relay could not reach Kakao.');
    }

    const text = new TextDecoder().decode(answerBody);
    const clean = scrub(text);
    const out = new Headers();
    for (const header of FORWARDED_RESPONSE_HEADERS) {
      const value = answer.headers.get(header);
      if (value !== null) out.set(header, scrub(value));
    }
    audit(started, {
      ...located,
      status: answer.status,
      upstreamStatus: answer.status,
      code: answer.status >= 400 ? kakaoCode(text) : null,
      relayError: null,
    });
    // A status that has no body (204, 205, 304) must be answered without one.
    const bodiless = [204, 205, 304].includes(answer.status);
    return new Response(bodiless ? null : clean === text ? answerBody : clean, { status: answer.status, headers: out });
  }

  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => refuse(c, 413, 'relay_too_large', `A call body may be at most ${MAX_BODY_BYTES} bytes.`),
  });
  for (const endpoint of ENDPOINTS) {
    app.on(endpoint.method, endpoint.path, limitBody, (c) =>
      // Hono answers HEAD with the GET route; the allow-list is method + path, so HEAD is not let through.
      c.req.method === endpoint.method ? relay(c, endpoint) : notFound(c),
    );
  }

  function notFound(c: Context) {
    audit(now(), {
      token: null,
      method: c.req.method,
      endpoint: null,
      channel: null,
      batch: null,
      ...noCall(404, 'relay_not_found'),
    });
    return refuse(c, 404, 'relay_not_found', 'The relay forwards only the six Kakao calls Channel Desk makes.');
  }
  app.notFound(notFound);
  app.onError((_err, c) => refuse(c, 500, 'relay_error', 'The relay failed on this call.'));
  return app;
}

/** Audit fields of a call the relay answered itself. */
function noCall(status: number, relayError: RelayErrorCode) {
  return { status, upstreamStatus: null, code: null, relayError };
}

/** Kakao's numeric error code in an error body, or null. */
function kakaoCode(text: string): number | null {
  try {
    const body: unknown = JSON.parse(text);
    const code = body !== null && typeof body === 'object' ? (body as { code?: unknown }).code : undefined;
    return typeof code === 'number' ? code : null;
  } catch {
    return null;
  }
}
