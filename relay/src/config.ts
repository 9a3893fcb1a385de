import { fromHex, sha256, type TokenEntry } from './tokens.js';

/*
 * The relay's configuration, read from its environment (Node's process.env, or a Worker's env bindings). Every
 * problem is reported by variable name and never by value: the messages may end up in a deployment log.
 */

export interface RelayConfig {
  adminKey: string;
  /** Origin of Kakao's REST API (or the simulator), without a trailing slash. */
  upstream: string;
  tokens: TokenEntry[];
  /** Channel public IDs the relay serves; null = any channel linked to the app. */
  channels: ReadonlySet<string> | null;
  /** Requests per minute per token. */
  ratePerMinute: number;
  /** How long the relay waits for Kakao (customer-file calls can take tens of seconds). */
  upstreamTimeoutMs: number;
}

export type RelayEnv = Record<string, string | undefined>;

export class RelayConfigError extends Error {
  override name = 'RelayConfigError';
}

/** A manager's name: it is written to the audit log. */
export const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const HASHED = /^sha256:([0-9a-f]{64})$/i;
/** Shorter tokens are refused: a token is a password that is sent with every call. */
const MIN_TOKEN_LENGTH = 16;
const CHANNEL_ID = /^_[A-Za-z0-9]{1,30}$/;

/** `name:token` or `name:sha256:<hex of the token's SHA-256>` pairs, one a line or comma-separated. */
async function parseTokens(text: string, source: string): Promise<TokenEntry[]> {
  const entries: TokenEntry[] = [];
  const names = new Set<string>();
  const pairs = text
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  for (const [i, pair] of pairs.entries()) {
    const at = `${source}, entry ${i + 1}`;
    const colon = pair.indexOf(':');
    if (colon < 0) throw new RelayConfigError(`${at}: expected name:token`);
    const name = pair.slice(0, colon);
    const secret = pair.slice(colon + 1);
    if (!TOKEN_NAME.test(name)) {
      throw new RelayConfigError(`${at}: the name must be 1-64 letters, digits, or . _ @ - (it is written to the log)`);
    }
    if (names.has(name)) throw new RelayConfigError(`${at}: the name "${name}" is used twice`);
    names.add(name);
    const hashed = HASHED.exec(secret);
    if (hashed) {
      entries.push({ name, hash: fromHex(hashed[1]!.toLowerCase()) });
      continue;
    }
    if (secret.length < MIN_TOKEN_LENGTH || /\s/.test(secret)) {
      throw new RelayConfigError(
        `${at} ("${name}"): a token must be at least ${MIN_TOKEN_LENGTH} characters without spaces`,
      );
    }
    entries.push({ name, hash: await sha256(secret) });
  }
  return entries;
}

/**
 * Reads the configuration. `readFile` reads RELAY_TOKENS_FILE (Node); where there is no file system (Workers) a
 * RELAY_TOKENS_FILE setting is refused rather than ignored.
 */
export async function configFromEnv(env: RelayEnv, readFile?: (path: string) => string): Promise<RelayConfig> {
  const adminKey = env.KAKAO_ADMIN_KEY?.trim() ?? '';
  if (adminKey === '') throw new RelayConfigError('KAKAO_ADMIN_KEY is not set');
  if (/\s/.test(adminKey)) throw new RelayConfigError('KAKAO_ADMIN_KEY contains a space or line break');

  const origin = env.KAKAO_API_ORIGIN?.trim() || 'https://kapi.kakao.com';
  let upstream: URL;
  try {
    upstream = new URL(origin);
  } catch {
    throw new RelayConfigError('KAKAO_API_ORIGIN is not a URL');
  }
  if (!/^https?:$/.test(upstream.protocol) || upstream.pathname !== '/' || upstream.search || upstream.hash) {
    throw new RelayConfigError(
      'KAKAO_API_ORIGIN must be an http(s) origin without a path, like https://kapi.kakao.com',
    );
  }

  let tokens: TokenEntry[] = [];
  if (env.RELAY_TOKENS?.trim()) tokens = await parseTokens(env.RELAY_TOKENS, 'RELAY_TOKENS');
  if (env.RELAY_TOKENS_FILE?.trim()) {
    if (!readFile) throw new RelayConfigError('RELAY_TOKENS_FILE cannot be read here: set RELAY_TOKENS instead');
    let text: string;
    try {
      text = readFile(env.RELAY_TOKENS_FILE.trim());
    } catch {
      throw new RelayConfigError('RELAY_TOKENS_FILE cannot be read');
    }
    const fromFile = await parseTokens(text, 'RELAY_TOKENS_FILE');
    const clash = fromFile.find((f) => tokens.some((t) => t.name === f.name));
    if (clash) throw new RelayConfigError(`the name "${clash.name}" is in both RELAY_TOKENS and RELAY_TOKENS_FILE`);
    tokens = [...tokens, ...fromFile];
  }
  if (tokens.length === 0) {
    throw new RelayConfigError('no manager token: set RELAY_TOKENS (name:token,…) or RELAY_TOKENS_FILE');
  }

  let channels: Set<string> | null = null;
  if (env.RELAY_CHANNELS?.trim()) {
    const ids = env.RELAY_CHANNELS.split(',')
      .map((c) => c.trim())
      .filter((c) => c !== '');
    const bad = ids.find((c) => !CHANNEL_ID.test(c));
    if (bad !== undefined) {
      throw new RelayConfigError(`RELAY_CHANNELS: "${bad}" is not a channel public ID (like _ZeUTxl)`);
    }
    channels = new Set(ids);
  }

  return {
    adminKey,
    upstream: upstream.origin,
    tokens,
    channels,
    ratePerMinute: positiveInt(env.RELAY_RATE, 'RELAY_RATE', 600),
    upstreamTimeoutMs: positiveInt(env.RELAY_UPSTREAM_TIMEOUT_MS, 'RELAY_UPSTREAM_TIMEOUT_MS', 65_000),
  };
}

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new RelayConfigError(`${name} must be a whole number above 0`);
  }
  return Number(value);
}
