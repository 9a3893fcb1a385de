import { kakaoError } from './respond';
import type { SimResponse } from './types';

/* Who is calling: an Admin key the simulator knows, or a user's Bearer token. */

export type Auth = { kind: 'admin' } | { kind: 'user'; userId: string; consent: boolean } | SimResponse;

export function createAuth(options: {
  adminKeys: string[];
  userTokens?: Record<string, { userId: string; plusfriendsConsent: boolean }>;
}) {
  const adminKeys = new Set(options.adminKeys);
  const userTokens = new Map(Object.entries(options.userTokens ?? {}));
  return {
    authenticate(header: string | undefined): Auth {
      if (!header) return kakaoError(401, -401, 'no authentication key!');
      const admin = /^KakaoAK (\S+)$/.exec(header);
      if (admin) {
        return adminKeys.has(admin[1]!)
          ? { kind: 'admin' }
          : kakaoError(401, -401, 'wrong appKey format or unregistered appKey');
      }
      const bearer = /^Bearer (\S+)$/.exec(header);
      const user = bearer ? userTokens.get(bearer[1]!) : undefined;
      if (user) return { kind: 'user', userId: user.userId, consent: user.plusfriendsConsent };
      return kakaoError(401, -401, 'this access token does not exist');
    },
    addAdminKey(key: string) {
      adminKeys.add(key);
    },
  };
}
