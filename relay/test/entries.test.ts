import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { startSimulatorServer, type SimulatorServer } from '../../test/simulator/server';
import worker from '../src/worker.js';

/* The two ways the relay runs: the Workers fetch handler, and the Node entry as a process. */

const TOKEN = 'worker-manager-token-01';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let sim: SimulatorServer;
beforeAll(async () => {
  sim = await startSimulatorServer();
});
afterAll(async () => {
  await sim?.close();
});

describe('the Workers entry', () => {
  it('answers a Request with its env: health, a relayed call to the simulator, a refusal', async () => {
    const env = { KAKAO_ADMIN_KEY: SIM_ADMIN_KEY, KAKAO_API_ORIGIN: sim.origin, RELAY_TOKENS: `w:${TOKEN}` };
    // A Worker's audit lines go to its log (console.log).
    const logged = vi.spyOn(console, 'log').mockImplementation(() => {});
    const health = await worker.fetch(new Request('https://relay.example.workers.dev/health'), env);
    expect(health.status).toBe(200);
    const res = await worker.fetch(
      new Request('https://relay.example.workers.dev/v1/talkchannel/target_user_file?channel_public_id=_ZeUTxl', {
        headers: { authorization: `Bearer ${TOKEN}` },
      }),
      env,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ results: [] });
    expect(sim.lastRequestHeaders()!.authorization).toBe(`KakaoAK ${SIM_ADMIN_KEY}`);
    const refused = await worker.fetch(new Request('https://relay.example.workers.dev/v1/user/me'), env);
    expect(refused.status).toBe(404);
    const lines = logged.mock.calls.map(([line]) => JSON.parse(String(line)));
    logged.mockRestore();
    expect(lines).toEqual([
      expect.objectContaining({ token: 'w', endpoint: '/v1/talkchannel/target_user_file', status: 200 }),
      expect.objectContaining({ token: null, endpoint: null, status: 404, relayError: 'relay_not_found' }),
    ]);
  });

  it('a configuration error is answered as one, without the values', async () => {
    vi.resetModules();
    const fresh = (await import('../src/worker.js')).default;
    const res = await fresh.fetch(new Request('https://relay.example.workers.dev/health'), {
      KAKAO_ADMIN_KEY: SIM_ADMIN_KEY,
      RELAY_TOKENS: 'w:short',
    });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { code: string; msg: string };
    expect(body.code).toBe('relay_config');
    expect(body.msg).toContain('RELAY_TOKENS');
    expect(JSON.stringify(body)).not.toContain(SIM_ADMIN_KEY);
  });
});

/** Runs the Node entry from source (as `npm run relay` does) with this environment. */
function runServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'relay/src/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, stdout: () => stdout, stderr: () => stderr };
}

describe('the Node entry (server.ts)', () => {
  it('serves on PORT, writes audit lines to stdout, and ends cleanly on SIGTERM', async () => {
    const server = runServer({
      KAKAO_ADMIN_KEY: SIM_ADMIN_KEY,
      KAKAO_API_ORIGIN: sim.origin,
      RELAY_TOKENS: `node-user:${TOKEN}`,
      PORT: '0',
      HOST: '127.0.0.1',
    });
    try {
      await expect.poll(() => server.stderr(), { timeout: 20_000, interval: 100 }).toMatch(/on port \d+/);
      const port = Number(/on port (\d+)/.exec(server.stderr())![1]);
      expect(port).toBeGreaterThan(0);
      const res = await fetch(
        `http://127.0.0.1:${port}/v2/api/talk/channels/multi?target_id_type=user_id&target_ids=7`,
        {
          headers: { authorization: `Bearer ${TOKEN}` },
        },
      );
      expect(res.status).toBe(200);
      await expect.poll(() => server.stdout(), { timeout: 5_000 }).toContain('\n');
      expect(JSON.parse(server.stdout().trim())).toMatchObject({
        token: 'node-user',
        endpoint: '/v2/api/talk/channels/multi',
        batch: 1,
        status: 200,
      });
      server.child.kill('SIGTERM');
      const [code] = await once(server.child, 'exit');
      expect(code).toBe(0);
      expect(server.stdout() + server.stderr()).not.toContain(SIM_ADMIN_KEY);
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('refuses to start with a bad configuration, naming the variable and not its value', async () => {
    const server = runServer({ KAKAO_ADMIN_KEY: SIM_ADMIN_KEY, RELAY_TOKENS: 'mina:short' });
    const [code] = await once(server.child, 'exit');
    expect(code).toBe(2);
    expect(server.stderr()).toContain('RELAY_TOKENS, entry 1 ("mina"): a token must be at least 16 characters');
    expect(server.stderr()).not.toContain('short');
    expect(server.stderr()).not.toContain(SIM_ADMIN_KEY);
  });
});
