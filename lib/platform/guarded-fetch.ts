import { KakaoApiError, type LocalErrorCode } from '../kakao/errors';
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
  /** What a refusal says: the Kakao API's missing access, or a relay's. */
  refusal: Extract<LocalErrorCode, 'no_host_access' | 'relay_no_host_access'> = 'no_host_access',
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
      if (!(await access.has())) throw new KakaoApiError(refusal, null);
      if (seen === changes) grantedAt = asked;
    }
    return fetchImpl(input, init);
  };
}

/**
 * Each request guarded by its own origin's access: the Kakao API's (granted at install), or a relay profile's
 * (asked for at run time from the options page, like a badge site's), which refuses with `relay_no_host_access`.
 */
export function guardedFetchByOrigin(
  fetchImpl: typeof fetch,
  api: { origin: string; access: Pick<HostAccess, 'has' | 'watch'> },
  accessFor: (origin: string) => Pick<HostAccess, 'has' | 'watch'>,
): typeof fetch {
  const byOrigin = new Map<string, typeof fetch>([[new URL(api.origin).origin, guardedFetch(fetchImpl, api.access)]]);
  return (input, init) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const origin = new URL(href).origin;
    let guarded = byOrigin.get(origin);
    if (!guarded) {
      guarded = guardedFetch(fetchImpl, accessFor(origin), Date.now, 'relay_no_host_access');
      byOrigin.set(origin, guarded);
    }
    return guarded(input, init);
  };
}
