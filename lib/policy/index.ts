import type { ManagedPolicy, ManagedProfile, PolicySite } from './types';

/*
 * What the organisation's policy manages, as small pure functions the background (and the
 * profile store, when it takes managed profiles) call. Zod-free: extension pages may use them too.
 */

export type { ManagedPolicy, ManagedProfile } from './types';

/** FNV-1a, 32 bits, as 8 hex digits: a short stable tag of a name. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const ch of text) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * A managed profile's id: `org-`, the name's ASCII letters and digits (up to 50), and a tag of the
 * whole name, so the same name always gives the same id and names that differ only in other
 * characters (e.g. Korean) still differ. Matches /^[A-Za-z0-9_-]{1,64}$/.
 */
export function managedProfileId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '')
    .toLowerCase();
  return `org-${slug ? `${slug}-` : ''}${fnv1a(name)}`;
}

/** The organisation's profiles, in the shape a profile store takes. */
export function managedProfiles(policy: ManagedPolicy | null): ManagedProfile[] {
  return (policy?.profiles ?? []).map((p) => ({
    id: managedProfileId(p.name),
    name: p.name,
    channelIds: [...p.channelIds],
    colour: p.colour,
    ...(p.relayUrl ? { relayUrl: p.relayUrl } : {}),
    sites: p.sites.map((s) => ({ ...s, rules: s.rules.map((r) => ({ ...r })) })),
  }));
}

/** A managed badge site with the profile it belongs to. */
export interface ManagedSite extends PolicySite {
  profileId: string;
  profileName: string;
}

/** Every badge site the policy sets, each with its profile. */
export function managedSites(policy: ManagedPolicy | null): ManagedSite[] {
  return managedProfiles(policy).flatMap((p) => p.sites.map((s) => ({ ...s, profileId: p.id, profileName: p.name })));
}

/** Is this site pattern (normalised) set by the organisation? */
export function isManagedSite(policy: ManagedPolicy | null, pattern: string): boolean {
  return managedSites(policy).some((s) => s.pattern === pattern);
}

/** Which of the two page lookup budgets the organisation sets. */
export function managedBudgets(policy: ManagedPolicy | null): {
  tabNewIdsPerMinute: boolean;
  pageLookupsPerDay: boolean;
} {
  return {
    tabNewIdsPerMinute: policy?.lookupBudgets.tabNewIdsPerMinute !== undefined,
    pageLookupsPerDay: policy?.lookupBudgets.pageLookupsPerDay !== undefined,
  };
}

/** Settings with the organisation's values in place of the user's where the policy sets them. */
export function withPolicyBudgets<T extends { tabNewIdsPerMinute: number; pageLookupsPerDay: number }>(
  settings: T,
  policy: ManagedPolicy | null,
): T {
  const budgets = policy?.lookupBudgets ?? {};
  return {
    ...settings,
    ...(budgets.tabNewIdsPerMinute !== undefined ? { tabNewIdsPerMinute: budgets.tabNewIdsPerMinute } : {}),
    ...(budgets.pageLookupsPerDay !== undefined ? { pageLookupsPerDay: budgets.pageLookupsPerDay } : {}),
  };
}

/** The organisation turned the sandbox off (and the user cannot turn it on). */
export const sandboxLocked = (policy: ManagedPolicy | null): boolean => policy?.sandboxAllowed === false;

/** The organisation turned the webhook tester off. */
export const webhookTesterOff = (policy: ManagedPolicy | null): boolean => policy?.webhookTester === false;
