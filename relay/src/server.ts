import { appendFileSync, readFileSync } from 'node:fs';
import type { AuditLine } from './audit.js';
import { configFromEnv, RelayConfigError } from './config.js';
import { listenRelay } from './node.js';

/*
 * Node entry: `node relay/dist/server.js` (or the Docker image). Configuration by environment (README, "Relay").
 * Audit lines go to stdout, or appended to RELAY_AUDIT_FILE; the relay's own messages go to stderr.
 */

/** PORT: 8787 when unset; 0 picks a free port (the startup message names it). */
function portFrom(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 8787;
  const port = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || port > 65_535) throw new RelayConfigError('PORT must be a port number (0-65535)');
  return port;
}

async function main() {
  const env = process.env;
  const config = await configFromEnv(env, (path) => readFileSync(path, 'utf8'));
  const auditFile = env.RELAY_AUDIT_FILE?.trim();
  const audit = auditFile
    ? (line: AuditLine) => appendFileSync(auditFile, `${JSON.stringify(line)}\n`)
    : (line: AuditLine) => process.stdout.write(`${JSON.stringify(line)}\n`);
  const relay = await listenRelay(config, {
    port: portFrom(env.PORT),
    hostname: env.HOST?.trim() || '0.0.0.0',
    audit,
  });
  console.error(`Channel Desk relay on port ${relay.port}, forwarding to ${config.upstream}`);

  // Graceful shutdown: stop taking calls, let those in flight finish (a customer-file call can take a minute).
  const stop = (signal: string) => {
    console.error(`${signal}: finishing calls in flight`);
    void relay.close(config.upstreamTimeoutMs + 5_000).then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof RelayConfigError ? `Configuration: ${err.message}` : 'The relay could not start.');
  if (!(err instanceof RelayConfigError)) console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});
