/*
 * Host access: may Channel Desk talk to an origin (the Kakao API, a user-added site)?
 *
 * Chrome grants `host_permissions` at install, but a user can withhold them later
 * (site access "on click" / "on specific sites"). Firefox MV3 treats
 * `host_permissions` as optional: the user can decline them at install or revoke
 * them in the add-ons manager at any time. Without access a request either fails
 * as a bare network error or, worse, goes out as a CORS request the user never
 * allowed. So the background checks before every Kakao call and answers
 * `no_host_access` (nothing is sent), and the options page shows a
 * "grant access" action.
 *
 * `request()` must run inside a user gesture in an extension page (Firefox drops
 * the gesture at the first `await`), so it calls the browser synchronously.
 */

type PermissionsEvent = {
  addListener(cb: () => void): void;
  removeListener(cb: () => void): void;
};

/** The part of `browser.permissions` this module uses (Chrome and Firefox have the same shape). */
export interface PermissionsApi {
  contains(permissions: { origins: string[] }): Promise<boolean>;
  request(permissions: { origins: string[] }): Promise<boolean>;
  onAdded: PermissionsEvent;
  onRemoved: PermissionsEvent;
}

export interface HostAccess {
  readonly origins: readonly string[];
  /** Whether every origin is granted right now. */
  has(): Promise<boolean>;
  /** Asks the user for the origins. Call it straight from a click handler. */
  request(): Promise<boolean>;
  /**
   * Calls `cb` whenever grants change (granted here or in the browser's settings); returns the unsubscribe function.
   */
  watch(cb: () => void): () => void;
}

export function createHostAccess(permissions: PermissionsApi, origins: readonly string[]): HostAccess {
  return {
    origins,
    // Not cached: one cheap call per Kakao request, and always the browser's current answer.
    // If the API itself fails we let the request go: the browser still enforces the grant,
    // this check only exists to explain a refusal before it happens.
    has: () => permissions.contains({ origins: [...origins] }).catch(() => true),
    request: () => permissions.request({ origins: [...origins] }),
    watch(cb) {
      permissions.onAdded.addListener(cb);
      permissions.onRemoved.addListener(cb);
      return () => {
        permissions.onAdded.removeListener(cb);
        permissions.onRemoved.removeListener(cb);
      };
    },
  };
}
