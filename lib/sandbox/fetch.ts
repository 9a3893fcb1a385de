import type { KakaoSimulator } from '../simulator/model';

/**
 * A `fetch` that never touches the network: it turns the request into the
 * simulator's SimRequest and its answer into a Response. The simulator module
 * is loaded on first use with a dynamic import, so only the background (the one
 * context that calls the API) ever contains it.
 */
export function createSandboxFetch(loadSimulator: () => Promise<KakaoSimulator> = defaultLoader()): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (request.signal.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    const sim = await loadSimulator();
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
    const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const { response } = sim.handle({ method: request.method, url: url.pathname + url.search, headers, body });
    // The sandbox injects no faults, but a timeout/reset fault would look like a network failure.
    if (!response) throw new TypeError('Failed to fetch (sandbox)');
    return new Response(response.body, { status: response.status, headers: response.headers });
  };
}

function defaultLoader(): () => Promise<KakaoSimulator> {
  let sim: Promise<KakaoSimulator> | undefined;
  return () => (sim ??= import('./simulator').then((m) => m.createSandboxSimulator()));
}
