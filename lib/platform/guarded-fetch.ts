import { KakaoApiError } from '../kakao/errors';
import type { HostAccess } from './host-access';

// Kept apart from host-access.ts so extension pages that only show the grant action
// do not bundle the error table (and zod) with it.

/** How long a "granted" answer is reused (a revocation the browser announces ends it at once). */
const GRANTED_FOR_MS = 2000;

/**
 * A fetch that refuses, with `no_host_access` and without sending anything, while access is missing.
 *
 * A bulk job makes several calls a second: asking the browser before each one put an extension API round trip
 * in front of every call (issue 14 §3). A "granted" answer is reused for up to 2 s, and forgotten as soon as the
 * browser reports a grant or revocation; "missing" is never reused, so a grant is seen on the next call.
 */
export function guardedFetch(
  fetchImpl: typeof fetch,
  access: Pick<HostAccess, 'has' | 'watch'>,
  now: () => number = Date.now,
): typeof fetch {
  let grantedAt: number | undefined;
  let watching = false;
  /** Grants and revocations seen: an answer asked for before one is not kept. */
  let changes = 0;
  return async (input, init) => {
    if (!watching) {
      watching = true;
      access.watch(() => {
        changes++;
        grantedAt = undefined;
      });
    }
    if (grantedAt === undefined || now() - grantedAt >= GRANTED_FOR_MS) {
      grantedAt = undefined;
      const asked = now();
      const seen = changes;
      if (!(await access.has())) throw new KakaoApiError('no_host_access', null);
      if (seen === changes) grantedAt = asked;
    }
    return fetchImpl(input, init);
  };
}
