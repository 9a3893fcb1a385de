import type { Hono } from 'hono';
import { createRelayApp } from './app.js';
import { configFromEnv, RelayConfigError, type RelayEnv } from './config.js';

/*
 * Cloudflare Workers entry (wrangler.toml). The key and tokens are Worker secrets (`wrangler secret put
 * KAKAO_ADMIN_KEY`, `RELAY_TOKENS`); RELAY_TOKENS_FILE does not exist here. Audit lines go to the Worker's log.
 * The app is built once per isolate, so the rate limit counts per isolate (README).
 */

let app: Promise<Hono> | undefined;

function appFor(env: RelayEnv): Promise<Hono> {
  app ??= configFromEnv(env).then((config) =>
    createRelayApp(config, { audit: (line) => console.log(JSON.stringify(line)) }),
  );
  return app;
}

export default {
  async fetch(request: Request, env: RelayEnv): Promise<Response> {
    try {
      return await (await appFor(env)).fetch(request);
    } catch (err) {
      app = undefined; // a fixed configuration is read on the next call
      const msg = err instanceof RelayConfigError ? `Relay configuration: ${err.message}` : 'The relay failed.';
      return Response.json({ code: 'relay_config', msg }, { status: 500 });
    }
  },
};
