import { describe, expect, it } from 'vitest';
import { configFromEnv, RelayConfigError, type RelayEnv } from '../src/config.js';
import { sha256, tokenName, toHex } from '../src/tokens.js';

const KEY = '0123456789abcdef0123456789abcdef';
const base: RelayEnv = { KAKAO_ADMIN_KEY: KEY, RELAY_TOKENS: 'mina:mina-token-0123456789' };

async function refusal(env: RelayEnv, readFile?: (path: string) => string): Promise<string> {
  try {
    await configFromEnv(env, readFile);
  } catch (err) {
    expect(err).toBeInstanceOf(RelayConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration from the environment', () => {
  it('defaults: Kakao itself, 600 calls a minute, every channel', async () => {
    const config = await configFromEnv(base);
    expect(config).toMatchObject({ upstream: 'https://kapi.kakao.com', ratePerMinute: 600, channels: null });
    expect(config.tokens.map((t) => t.name)).toEqual(['mina']);
  });

  it('reads tokens from RELAY_TOKENS and RELAY_TOKENS_FILE (one a line, # comments, hashed or plain)', async () => {
    const hash = toHex(await sha256('file-token-abcdefghij'));
    const files: Record<string, string> = {
      '/etc/relay/tokens': `# managers\njun:sha256:${hash}\n\nsora:sora-token-0123456789\n`,
    };
    const config = await configFromEnv({ ...base, RELAY_TOKENS_FILE: '/etc/relay/tokens' }, (p) => files[p]!);
    expect(config.tokens.map((t) => t.name)).toEqual(['mina', 'jun', 'sora']);
    expect(await tokenName(config.tokens, 'file-token-abcdefghij')).toBe('jun');
    expect(await tokenName(config.tokens, 'sora-token-0123456789')).toBe('sora');
    expect(await tokenName(config.tokens, 'mina-token-0123456789')).toBe('mina');
    expect(await tokenName(config.tokens, 'mina-token-012345678')).toBeNull();
  });

  it.each([
    [{ KAKAO_ADMIN_KEY: undefined }, 'KAKAO_ADMIN_KEY is not set'],
    [{ KAKAO_ADMIN_KEY: `${KEY} x` }, 'KAKAO_ADMIN_KEY contains a space'],
    [{ KAKAO_API_ORIGIN: 'kapi.kakao.com' }, 'KAKAO_API_ORIGIN is not a URL'],
    [{ KAKAO_API_ORIGIN: 'https://kapi.kakao.com/v2' }, 'KAKAO_API_ORIGIN must be an http(s) origin'],
    [{ RELAY_TOKENS: undefined }, 'no manager token'],
    [{ RELAY_TOKENS: 'mina' }, 'RELAY_TOKENS, entry 1: expected name:token'],
    [{ RELAY_TOKENS: 'mina:mina-token-0123456789,mina:other-token-0123456789' }, 'the name "mina" is used twice'],
    [{ RELAY_TOKENS: 'a b:mina-token-0123456789' }, 'the name must be'],
    [{ RELAY_TOKENS: 'mina:0123' }, 'a token must be at least 16 characters'],
    [{ RELAY_CHANNELS: '_ZeUTxl,ZeUTxl' }, 'RELAY_CHANNELS: "ZeUTxl" is not a channel public ID'],
    [{ RELAY_RATE: '0' }, 'RELAY_RATE must be a whole number above 0'],
    [{ RELAY_RATE: '1.5' }, 'RELAY_RATE must be a whole number above 0'],
  ])('%o is refused: %s', async (env, message) => {
    const text = await refusal({ ...base, ...env });
    expect(text).toContain(message);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('0123');
  });

  it('RELAY_TOKENS_FILE where there is no file system (Workers), or a file that cannot be read', async () => {
    expect(await refusal({ ...base, RELAY_TOKENS_FILE: '/x' })).toContain('RELAY_TOKENS instead');
    const missing = await refusal({ ...base, RELAY_TOKENS_FILE: '/x' }, () => {
      throw new Error('ENOENT');
    });
    expect(missing).toBe('RELAY_TOKENS_FILE cannot be read');
  });
});
