import { KakaoApiError } from '../kakao/errors';
import type { HostAccess } from './host-access';

// Kept apart from host-access.ts so extension pages that only show the grant action
// do not bundle the error table (and zod) with it.

/** A fetch that refuses, with `no_host_access` and without sending anything, while access is missing. */
export function guardedFetch(fetchImpl: typeof fetch, access: Pick<HostAccess, 'has'>): typeof fetch {
  return async (input, init) => {
    if (!(await access.has())) throw new KakaoApiError('no_host_access', null);
    return fetchImpl(input, init);
  };
}
