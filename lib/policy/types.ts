import type { Explanation } from '../kakao/explain';

/*
 * The organisation's policy (storage.managed), as the background parsed it. Zod-free types only:
 * extension pages import them without pulling the parser in (lib/policy/parse.ts).
 */

/** A site rule as the badges read it: a CSS selector, with an optional extracting regex. */
interface PolicySiteRule {
  selector: string;
  regex?: string;
}

/** A badge site the organisation set for one profile. */
export interface PolicySite {
  /** Normalised like the manager's own sites (lib/badges/sites.ts), e.g. https://admin.example.com/* */
  pattern: string;
  rules: PolicySiteRule[];
  /** One of the profile's channels, or `any`; absent: the default channel. */
  badgeChannel?: string;
}

export interface PolicyProfile {
  name: string;
  channelIds: string[];
  /** #rrggbb */
  colour?: string;
  /** The organisation's relay: the profile is a relay profile (the manager enters only the relay token). */
  relayUrl?: string;
  sites: PolicySite[];
}

/** The parsed policy: only what was valid. A field left out is the user's to set. */
export interface ManagedPolicy {
  profiles: PolicyProfile[];
  lookupBudgets: { tabNewIdsPerMinute?: number; pageLookupsPerDay?: number };
  /** false: the sandbox is off and cannot be turned on. true or absent: the user's choice. */
  sandboxAllowed?: boolean;
  /** false: the webhook tester is off. true: on (the user cannot turn it off; there is no user switch today). */
  webhookTester?: boolean;
}

/** Something in the policy that was not applied, and why (never a key's value). */
export interface PolicyNote {
  /**
   * `key`: a key-like field, dropped. `invalid`: a value that does not fit. `unknown`: a field this version
   * does not know.
   */
  kind: 'key' | 'invalid' | 'unknown';
  /** Where in the policy, e.g. `profiles[1].channelIds`. */
  path: string;
  explanation: Explanation;
}

export interface PolicyState {
  /** null: no policy (no managed storage, or an empty one). */
  policy: ManagedPolicy | null;
  notes: PolicyNote[];
}

/** A profile the organisation set, in the shape the profile store takes (id stable, derived from the name). */
export interface ManagedProfile {
  /** `org-…`, matching /^[A-Za-z0-9_-]{1,64}$/ */
  id: string;
  name: string;
  channelIds: string[];
  colour: string | undefined;
  relayUrl?: string;
  sites: PolicySite[];
}
