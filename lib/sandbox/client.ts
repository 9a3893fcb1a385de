import { createKakaoClient, type KakaoClient } from '../kakao/client';
import { SANDBOX_ADMIN_KEY, SANDBOX_ORIGIN } from './demo';
import { createSandboxFetch } from './fetch';

/**
 * One client for every feature that asks, per call, whether the sandbox is on:
 * if so the call goes to the sandbox simulator (with the demo key), otherwise to
 * the real client (with the saved key). Features never need to know.
 */
export function withSandbox(
  real: KakaoClient,
  deps: { isActive: () => Promise<boolean>; sandboxFetch?: typeof fetch },
): KakaoClient {
  let sandbox: KakaoClient | undefined;
  const sandboxClient = () =>
    (sandbox ??= createKakaoClient({
      origin: SANDBOX_ORIGIN,
      getKey: async () => SANDBOX_ADMIN_KEY,
      fetch: deps.sandboxFetch ?? createSandboxFetch(),
    }));
  const delegating: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(real)) {
    if (typeof method !== 'function') continue;
    delegating[name] = async (...args: unknown[]) => {
      const target = (await deps.isActive()) ? sandboxClient() : real;
      return (target[name as keyof KakaoClient] as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  }
  return delegating as KakaoClient;
}
