import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKakaoSimulator, type KakaoSimulator, type SimulatorOptions } from '../../lib/simulator/model';
import { buildWebhookRequest, type WebhookPayload } from '../../lib/webhook/payload';

export interface SimulatorServerOptions extends SimulatorOptions {
  port?: number;
  /** Added to every answer, like Kakao's network round trip. */
  latencyMs?: number;
  /** How long a `timeout` fault holds the connection before dropping it. */
  hangMs?: number;
}

export interface SimulatorServer {
  origin: string;
  port: number;
  sim: KakaoSimulator;
  setLatency(ms: number): void;
  setHang(ms: number): void;
  /**
   * Benchmarks: the time (ms) the simulator spent handling requests and writing answers, and how late, in total,
   * its answers left after their latency (a busy Node event loop), since it started.
   */
  stats(): { busyMs: number; lateMs: number; answers: number };
  /** Every header of the last request, as it arrived (names in lower case); undefined before the first request. */
  lastRequestHeaders(): Record<string, string | undefined> | undefined;
  /** Sends a webhook event like Kakao would: one attempt, 3 s timeout, 2XX passes. */
  sendWebhook(
    url: string,
    payload: Omit<WebhookPayload, 'updated_at'>,
    primaryAdminKey: string,
  ): Promise<{ ok: boolean; status: number | null; ms: number }>;
  close(): Promise<void>;
}

/** The request headers that name a browser caller, only those that were sent. */
function pickBrowserHeaders(headers: Record<string, string | undefined>): { origin?: string; referer?: string } {
  return {
    ...(headers.origin !== undefined && { origin: headers.origin }),
    ...(headers.referer !== undefined && { referer: headers.referer }),
  };
}

/** Serves the simulator over HTTP on 127.0.0.1 (a random free port unless one is given). */
export async function startSimulatorServer(options: SimulatorServerOptions = {}): Promise<SimulatorServer> {
  const sim = createKakaoSimulator(options);
  let latencyMs = options.latencyMs ?? 0;
  let hangMs = options.hangMs ?? 25_000;
  const sockets = new Set<import('node:net').Socket>();
  let lastHeaders: Record<string, string | undefined> | undefined;
  const stats = { busyMs: 0, lateMs: 0, answers: 0 };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const began = performance.now();
      try {
        answer();
      } finally {
        stats.busyMs += performance.now() - began;
      }
    });
    const answer = () => {
      // CORS for extension pages that fetch directly are not needed (host permissions), but the
      // preflight must not look like an API call.
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' });
        return res.end();
      }
      // Control endpoint (tests and benchmarks only; never a Kakao path): flip N relations among given users.
      if (req.method === 'POST' && req.url === '/__sim/flip-relations') {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            userIds: string[];
            count: number;
            channelIds?: string[];
            round?: number;
          };
          const flipped = sim.flipRelations(body.userIds, body.count, body);
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify(flipped));
        } catch (err) {
          res.writeHead(400, { 'content-type': 'text/plain' });
          return res.end(String(err));
        }
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
      );
      lastHeaders = headers;
      const result = sim.handle({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      // What a browser revealed about the caller: tests assert the extension sends no Origin/Referer.
      const entry = sim.log.at(-1);
      if (entry) entry.headers = pickBrowserHeaders(headers);
      const due = performance.now() + latencyMs;
      const send = () => {
        const began = performance.now();
        stats.lateMs += Math.max(0, began - due);
        stats.answers++;
        if (result.response) {
          res.writeHead(result.response.status, { ...result.response.headers, 'access-control-allow-origin': '*' });
          res.end(result.response.body);
        } else if (result.fault === 'timeout' || result.fault === 'timeout-after') {
          setTimeout(() => req.socket.destroy(), hangMs);
        } else {
          req.socket.destroy();
        }
        stats.busyMs += performance.now() - began;
      };
      if (latencyMs > 0) setTimeout(send, latencyMs);
      else send();
    };
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    sim,
    setLatency: (ms) => void (latencyMs = ms),
    setHang: (ms) => void (hangMs = ms),
    stats: () => ({ ...stats }),
    lastRequestHeaders: () => lastHeaders && { ...lastHeaders },
    async sendWebhook(url, payload, primaryAdminKey) {
      const request = buildWebhookRequest(payload, primaryAdminKey);
      const started = performance.now();
      try {
        const res = await fetch(url, { ...request, redirect: 'manual', signal: AbortSignal.timeout(3_000) });
        const ms = performance.now() - started;
        return { ok: res.status >= 200 && res.status < 300 && ms <= 3_000, status: res.status, ms };
      } catch {
        return { ok: false, status: null, ms: performance.now() - started };
      }
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
