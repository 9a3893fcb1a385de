import { SIM_ADMIN_KEY } from '../lib/simulator/model';
import { startSimulatorServer } from '../test/simulator/server';

/*
 * `npm run relay`: the relay from source (relay/src/server.ts, through tsx) in front of the local Kakao simulator.
 * With KAKAO_API_ORIGIN set (e.g. to a simulator from `npm run sim`) it uses that and starts none of its own.
 * Everything else comes from the environment as in production; the defaults here are for trying it out only.
 */

const env = process.env;
if (!env.KAKAO_API_ORIGIN) {
  const sim = await startSimulatorServer({ port: Number(env.SIM_PORT ?? 8123), latencyMs: 50 });
  env.KAKAO_API_ORIGIN = sim.origin;
  env.KAKAO_ADMIN_KEY ??= SIM_ADMIN_KEY;
  console.error(`Kakao API simulator on ${sim.origin} (Admin key ${SIM_ADMIN_KEY})`);
}
env.PORT ??= '8787';
env.HOST ??= '127.0.0.1';
if (!env.RELAY_TOKENS && !env.RELAY_TOKENS_FILE) {
  env.RELAY_TOKENS = 'dev:dev-token-0123456789';
  console.error(
    `Manager token "dev": dev-token-0123456789. Try:\n  curl -H 'Authorization: Bearer dev-token-0123456789' ` +
      `'http://127.0.0.1:${env.PORT}/v2/api/talk/channels?target_id_type=user_id&target_id=42'`,
  );
}
await import('../relay/src/server');
