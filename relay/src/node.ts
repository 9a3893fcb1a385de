import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRelayApp } from './app.js';
import type { AuditSink } from './audit.js';
import type { RelayConfig } from './config.js';

/* The relay on Node's HTTP server (through Hono's Node adapter), for server.ts and the test helper. */

export interface NodeRelay {
  origin: string;
  port: number;
  /** Stops taking connections and waits for calls in flight (at most `graceMs`, then cuts them). */
  close(graceMs?: number): Promise<void>;
}

export async function listenRelay(
  config: RelayConfig,
  options: { port: number; hostname: string; audit: AuditSink },
): Promise<NodeRelay> {
  const app = createRelayApp(config, { audit: options.audit });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  // Calls to Kakao can take a minute (customer files); Node's default request timeout is five minutes.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.hostname, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.hostname.includes(':') ? `[${options.hostname}]` : options.hostname;
  let closing: Promise<void> | undefined;
  return {
    origin: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    close(graceMs = 30_000) {
      closing ??= new Promise<void>((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        // Idle keep-alive connections would hold close() open until they time out.
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
