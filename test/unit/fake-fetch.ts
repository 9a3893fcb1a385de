/** A recording stand-in for `fetch`, shared by the unit tests. */

export interface RecordedRequest {
  url: URL;
  method: string;
  headers: Headers;
  body: string | undefined;
  signal: AbortSignal | undefined;
}

export type Responder = (req: RecordedRequest) => Response | Promise<Response>;

export function jsonResponse(status: number, body: unknown): Response {
  return textResponse(status, typeof body === 'string' ? body : JSON.stringify(body), 'application/json;charset=UTF-8');
}

export function textResponse(status: number, text: string, contentType = 'text/plain'): Response {
  return new Response(text, { status, headers: { 'content-type': contentType } });
}

export function createFakeFetch(responder: Responder = () => jsonResponse(200, {})) {
  const calls: RecordedRequest[] = [];
  let respond = responder;
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req: RecordedRequest = {
      url: new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : init?.body == null ? undefined : String(init.body),
      signal: init?.signal ?? undefined,
    };
    calls.push(req);
    return respond(req);
  }) as typeof globalThis.fetch;
  return {
    fetch,
    calls,
    /** The last request; fails the test when there was none. */
    last(): RecordedRequest {
      const req = calls.at(-1);
      if (!req) throw new Error('fetch was not called');
      return req;
    },
    respondWith(next: Responder) {
      respond = next;
    },
  };
}
