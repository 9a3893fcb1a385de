import type { PermissionsApi } from '@/lib/platform/host-access';

/**
 * `browser.permissions` for origins, as Chrome and Firefox behave (WXT's fake
 * browser does not implement it): `request` grants when the user says yes and
 * fires onAdded; `remove` (the user revoking in the browser's settings) fires
 * onRemoved.
 */
export function createFakePermissions(granted: string[] = []) {
  const origins = new Set(granted);
  const added = new Set<() => void>();
  const removed = new Set<() => void>();
  const event = (set: Set<() => void>) => ({
    addListener: (cb: () => void) => void set.add(cb),
    removeListener: (cb: () => void) => void set.delete(cb),
  });
  let userAnswer = true;
  const requests: string[][] = [];
  const api: PermissionsApi & { remove(p: { origins: string[] }): Promise<boolean> } = {
    contains: async (p) => p.origins.every((o) => origins.has(o)),
    request(p) {
      requests.push(p.origins);
      if (!userAnswer) return Promise.resolve(false);
      p.origins.forEach((o) => origins.add(o));
      added.forEach((cb) => cb());
      return Promise.resolve(true);
    },
    async remove(p) {
      p.origins.forEach((o) => origins.delete(o));
      removed.forEach((cb) => cb());
      return true;
    },
    onAdded: event(added),
    onRemoved: event(removed),
  };
  return {
    api,
    requests,
    listenerCount: () => added.size + removed.size,
    /** What the user answers to the next permission prompts. */
    answer(yes: boolean) {
      userAnswer = yes;
    },
  };
}
