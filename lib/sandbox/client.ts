import type { ApiCallRecord } from '../kakao/call-record';
import { createKakaoClient, type KakaoClient } from '../kakao/client';
import { SANDBOX_ADMIN_KEY, SANDBOX_ORIGIN } from './demo';
import { createSandboxFetch } from './fetch';

/** Where Kakao calls go: the built-in simulator, or Kakao with the saved key. */
type Backend = 'sandbox' | 'real';

/** The two clients behind a sandbox-aware one, for work that must stay on one backend (jobs). */
export interface Backends {
  /** The backend the sandbox setting picks right now: the active profile's, or `profileId`'s (a job's profile). */
  current(profileId?: string): Promise<Backend>;
  /** With `profileId`, the real client that uses that profile's key (a job's recorded profile). */
  clientFor(backend: Backend, profileId?: string): KakaoClient;
}

const BACKENDS = Symbol('channel-desk.backends');

/** The backends of a client made by `withSandbox`; undefined for any other client (it is then always "real"). */
export function backendsOf(client: KakaoClient): Backends | undefined {
  return (client as KakaoClient & { [BACKENDS]?: Backends })[BACKENDS];
}

/**
 * One client for every feature that asks, per call, whether the sandbox is on:
 * if so the call goes to the sandbox simulator (with the demo key), otherwise to
 * the real client (with the saved key). Features never need to know.
 *
 * A job must not change backend mid-way (a demo job's IDs sent to Kakao, a real
 * check answered by the simulator), so the two clients are also reachable with
 * `backendsOf(client)`: the job runner pins each job to the backend it was created on.
 */
export function withSandbox(
  real: KakaoClient,
  deps: {
    /** Whether the sandbox answers now: for the active profile, or for `profileId` when given. */
    isActive: (profileId?: string) => Promise<boolean>;
    sandboxFetch?: typeof fetch;
    /** The sandbox client's calls, for the API log. */
    onCall?: (record: ApiCallRecord) => void;
    /** The real client of a given profile; `real` (the active profile's) when not given. */
    realFor?: (profileId: string) => KakaoClient;
  },
): KakaoClient {
  let sandbox: KakaoClient | undefined;
  const sandboxClient = () =>
    (sandbox ??= createKakaoClient({
      origin: SANDBOX_ORIGIN,
      getKey: async () => SANDBOX_ADMIN_KEY,
      fetch: deps.sandboxFetch ?? createSandboxFetch(),
      onCall: deps.onCall,
    }));
  const backends: Backends = {
    current: async (profileId) => ((await deps.isActive(profileId)) ? 'sandbox' : 'real'),
    clientFor: (backend, profileId) =>
      backend === 'sandbox'
        ? sandboxClient()
        : profileId !== undefined && deps.realFor
          ? deps.realFor(profileId)
          : real,
  };
  const delegating: Record<string | symbol, unknown> = {};
  for (const [name, method] of Object.entries(real)) {
    if (typeof method !== 'function') continue;
    delegating[name] = async (...args: unknown[]) => {
      const target = backends.clientFor(await backends.current());
      return (target[name as keyof KakaoClient] as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  }
  // A symbol key: not one of the client's methods (Object.keys/entries do not list it).
  delegating[BACKENDS] = backends;
  return delegating as unknown as KakaoClient;
}
