import type { AuditLine } from './audit.js';
import { configFromEnv } from './config.js';
import { listenRelay } from './node.js';

/*
 * For tests (the relay's own, and the extension's relay-mode end-to-end tests): a relay on 127.0.0.1 on a free port,
 * configured through the same environment parsing as the real one, its audit lines kept in memory.
 */

export interface StartRelayOptions {
  /** Where Kakao is: the simulator's origin. */
  kakaoOrigin: string;
  adminKey: string;
  /** Manager name → token (at least 16 characters). */
  tokens: Record<string, string>;
  /** RELAY_CHANNELS: the channel public IDs the relay serves. */
  channels?: string[];
  /** RELAY_RATE: calls a minute per token. */
  rate?: number;
  /** RELAY_UPSTREAM_TIMEOUT_MS. */
  upstreamTimeoutMs?: number;
}

export interface StartedRelay {
  origin: string;
  /** The audit lines written so far, parsed. */
  auditLines: () => AuditLine[];
  /** Exactly what was written to the audit log (to check what it never contains). */
  auditText: () => string;
  close(): Promise<void>;
}

export async function startRelay(options: StartRelayOptions): Promise<StartedRelay> {
  const config = await configFromEnv({
    KAKAO_ADMIN_KEY: options.adminKey,
    KAKAO_API_ORIGIN: options.kakaoOrigin,
    RELAY_TOKENS: Object.entries(options.tokens)
      .map(([name, token]) => `${name}:${token}`)
      .join(','),
    RELAY_CHANNELS: options.channels?.join(','),
    RELAY_RATE: options.rate === undefined ? undefined : String(options.rate),
    RELAY_UPSTREAM_TIMEOUT_MS: options.upstreamTimeoutMs === undefined ? undefined : String(options.upstreamTimeoutMs),
  });
  let written = '';
  const relay = await listenRelay(config, {
    port: 0,
    hostname: '127.0.0.1',
    audit: (line) => void (written += `${JSON.stringify(line)}\n`),
  });
  return {
    origin: relay.origin,
    auditLines: () =>
      written
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as AuditLine),
    auditText: () => written,
    close: () => relay.close(1_000),
  };
}
