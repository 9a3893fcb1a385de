import { AppError } from '../../app-error';
import { KakaoApiError, type KakaoErrorInfo } from '../../kakao/errors';
import { isManagedSite, managedBudgets, managedSites, withPolicyBudgets } from '../../policy';
import { currentPolicy } from '../../policy/current';
import { ANY_CHANNEL } from '../../badges/badge-state';
import { publicSuffixOf } from '../../badges/public-suffix';
import { parseSitePattern, patternCoversOrigin, type ParsedSitePattern } from '../../badges/sites';
import { SITE_EXPLANATIONS, sharedDomainExplanation, type SiteErrorKind } from '../../badges/site-errors';
import type { badgeCommands, BadgeSitesState } from '../../messages/commands/badges';
import type { HandlersFor } from '../../messages/router';
import { badgeSitesItem, type Site } from '../../storage/badge-sites';
import { settingsItem } from '../../storage/settings';
import { DEFAULT_PROFILE_ID } from '../../profiles/model';
import { activeProfileId, listProfiles, profileSettings, resolveProfileId } from '../../profiles/store';
import { defaultBadgeChannel } from './lookups';

/*
 * The manager's badge sites: added (after the host permission was granted from
 * their click), removed (the permission given back), their rules and badge
 * channel, and the relation cache's lifetime. Extension pages only.
 */

type SiteCommands =
  | 'listSites'
  | 'addSite'
  | 'removeSite'
  | 'saveSiteRules'
  | 'saveSiteBadgeChannel'
  | 'saveSiteProfile'
  | 'savePageCacheTtl'
  | 'saveLookupBudgets';

export interface SiteManagerDeps {
  /** Whether the extension may reach this origin pattern (granted at runtime from the user's click). */
  hasOrigin: (pattern: string) => Promise<boolean>;
  /** Gives a host permission back (best effort; the browser refuses for permissions the manifest requires). */
  removeOrigin: (pattern: string) => Promise<unknown>;
  /** The host permissions the manifest requires. */
  requiredOrigins: () => string[];
  /** Re-aligns the content script registrations with the stored sites (scripts.ts). */
  syncScripts: () => Promise<void>;
  /** Today's page lookups of the backend answering now (lookups.ts). */
  usageToday: () => Promise<{ used: number }>;
}

export interface SiteManager {
  handlers: Pick<HandlersFor<typeof badgeCommands>, SiteCommands>;
  /** The stored site covering this origin (browser-vouched sender origin), or null. */
  siteFor(origin: string | undefined): Promise<Site | null>;
}

/** Carries its own explanation: Kakao's -2 text (user IDs, channel IDs, batch size) would mislead here. */
class SiteError extends KakaoApiError {
  constructor(
    readonly kind: SiteErrorKind,
    readonly domain?: string,
  ) {
    super(-2, null, `site: ${kind}`);
  }
  override toInfo(): KakaoErrorInfo {
    const explanation =
      this.kind === 'pattern_suffix' && this.domain
        ? sharedDomainExplanation(this.domain)
        : SITE_EXPLANATIONS[this.kind];
    return { ...super.toInfo(), explanation };
  }
}

/** A refused site request: Kakao's "invalid request" code, with the manager-facing reason in ko and en. */
export function siteError(kind: SiteErrorKind): KakaoApiError {
  return new SiteError(kind);
}

/** A refused site pattern, with the shared domain named when that is the reason. */
function patternError(parsed: ParsedSitePattern & { ok: false }): KakaoApiError {
  return new SiteError(`pattern_${parsed.error}`, parsed.error === 'suffix' ? parsed.domain : undefined);
}

/** Site patterns as the background reads them: always against the full Public Suffix List. */
const parsePattern = (pattern: string) => parseSitePattern(pattern, publicSuffixOf);

/** Does a stored pattern need this origin permission? A pattern saved before the rules tightened needs none. */
function sameOrigin(pattern: string, origin: string): boolean {
  const parsed = parsePattern(pattern);
  return parsed.ok && parsed.origin === origin;
}

export function createSiteManager(deps: SiteManagerDeps): SiteManager {
  async function state(): Promise<BadgeSitesState> {
    const [profile, profiles, stored, { policy }] = await Promise.all([
      profileSettings(),
      listProfiles(),
      badgeSitesItem.getValue(),
      currentPolicy(),
    ]);
    const settings = withPolicyBudgets(profile, policy);
    const locked = managedBudgets(policy);
    const managed = await Promise.all(
      managedSites(policy).map(async (site) => {
        const parsed = parsePattern(site.pattern);
        return { ...site, granted: parsed.ok && (await deps.hasOrigin(parsed.origin)) };
      }),
    );
    const known = new Set(profiles.profiles.map((p) => p.id));
    return {
      // Each site names its profile (sites from before profiles belong to `default`; a deleted one's to the active).
      sites: stored.map((s) => {
        const id = s.profileId ?? DEFAULT_PROFILE_ID;
        return { ...s, profileId: known.has(id) ? id : profiles.activeId };
      }),
      profiles: profiles.profiles.map((p) => ({
        id: p.id,
        name: p.name,
        colour: p.colour,
        channelIds: p.channelIds,
        defaultBadgeChannel: defaultBadgeChannel(p),
      })),
      activeProfileId: profiles.activeId,
      managedSites: managed,
      cacheTtlMinutes: settings.cacheTtlMinutes,
      channelIds: settings.channelIds,
      defaultBadgeChannel: defaultBadgeChannel(settings),
      budgets: {
        tabNewIdsPerMinute: settings.tabNewIdsPerMinute,
        pageLookupsPerDay: settings.pageLookupsPerDay,
        usedToday: (await deps.usageToday()).used,
        ...(locked.tabNewIdsPerMinute || locked.pageLookupsPerDay ? { managed: locked } : {}),
      },
    };
  }

  /** The organisation's sites are not the manager's to change or remove (the background refuses, not only the page). */
  async function refuseManaged(pattern: string): Promise<void> {
    const parsed = parsePattern(pattern);
    const normalised = parsed.ok ? parsed.pattern : pattern;
    if (isManagedSite((await currentPolicy()).policy, normalised)) throw new AppError('policy_managed', 'site');
  }

  return {
    async siteFor(origin) {
      if (origin === undefined) return null;
      // The organisation's sites first: their rules are the ones that apply.
      const sites: Site[] = [...managedSites((await currentPolicy()).policy), ...(await badgeSitesItem.getValue())];
      return sites.find((s) => patternCoversOrigin(s.pattern, origin, publicSuffixOf)) ?? null;
    },

    handlers: {
      listSites: () => state(),

      async addSite(input) {
        const parsed = parsePattern(input.pattern);
        if (!parsed.ok) throw patternError(parsed);
        if (!(await deps.hasOrigin(parsed.origin))) throw siteError('no_permission');
        // An organisation's site whose access was just granted: its badges start; it is not stored as the manager's.
        if (isManagedSite((await currentPolicy()).policy, parsed.pattern)) {
          await deps.syncScripts();
          return state();
        }
        const sites = await badgeSitesItem.getValue();
        if (!sites.some((s) => s.pattern === parsed.pattern))
          await badgeSitesItem.setValue([
            ...sites,
            // Bound to the profile active when it is added; each row can choose another.
            { pattern: parsed.pattern, rules: [], profileId: await activeProfileId() },
          ]);
        await deps.syncScripts();
        return state();
      },

      async removeSite(input) {
        await refuseManaged(input.pattern);
        const sites = await badgeSitesItem.getValue();
        const rest = sites.filter((s) => s.pattern !== input.pattern);
        await badgeSitesItem.setValue(rest);
        await deps.syncScripts();
        const parsed = parseSitePattern(input.pattern);
        if (
          parsed.ok &&
          !deps.requiredOrigins().includes(parsed.origin) &&
          !rest.some((s) => sameOrigin(s.pattern, parsed.origin))
        ) {
          // Give the host permission back; the browser refuses for permissions the manifest requires.
          await deps.removeOrigin(parsed.origin).catch(() => false);
        }
        return state();
      },

      async saveSiteRules(input) {
        await refuseManaged(input.pattern);
        const sites = await badgeSitesItem.getValue();
        if (!sites.some((s) => s.pattern === input.pattern)) throw siteError('unknown_site');
        await badgeSitesItem.setValue(
          sites.map((s) => (s.pattern === input.pattern ? { ...s, rules: input.rules } : s)),
        );
        return state();
      },

      async saveSiteBadgeChannel(input) {
        await refuseManaged(input.pattern);
        const sites = await badgeSitesItem.getValue();
        const site = sites.find((s) => s.pattern === input.pattern);
        if (!site) throw siteError('unknown_site');
        const profileId = await resolveProfileId(site.profileId ?? DEFAULT_PROFILE_ID);
        if (
          input.badgeChannel !== ANY_CHANNEL &&
          !(await profileSettings(profileId)).channelIds.includes(input.badgeChannel)
        ) {
          throw siteError('unknown_channel');
        }
        await badgeSitesItem.setValue(
          sites.map((s) => (s.pattern === input.pattern ? { ...s, badgeChannel: input.badgeChannel } : s)),
        );
        return state();
      },

      async saveSiteProfile(input) {
        const sites = await badgeSitesItem.getValue();
        if (!sites.some((s) => s.pattern === input.pattern)) throw siteError('unknown_site');
        if ((await resolveProfileId(input.profileId)) !== input.profileId)
          throw new AppError('unknown_profile', input.profileId);
        await badgeSitesItem.setValue(
          sites.map((s) => (s.pattern === input.pattern ? { ...s, profileId: input.profileId } : s)),
        );
        return state();
      },

      async savePageCacheTtl(input) {
        const settings = await settingsItem.getValue();
        await settingsItem.setValue({ ...settings, cacheTtlMinutes: input.cacheTtlMinutes });
        return state();
      },

      async saveLookupBudgets(input) {
        // A budget the organisation sets cannot be changed: sending its own value again is fine (the form sends both).
        const { policy } = await currentPolicy();
        const fixed = withPolicyBudgets(input, policy);
        if (
          fixed.tabNewIdsPerMinute !== input.tabNewIdsPerMinute ||
          fixed.pageLookupsPerDay !== input.pageLookupsPerDay
        ) {
          throw new AppError('policy_managed', 'lookupBudgets');
        }
        // Only the user's own budgets are stored: theirs come back unchanged if the policy goes.
        const locked = managedBudgets(policy);
        const settings = await settingsItem.getValue();
        await settingsItem.setValue({
          ...settings,
          ...(locked.tabNewIdsPerMinute ? {} : { tabNewIdsPerMinute: input.tabNewIdsPerMinute }),
          ...(locked.pageLookupsPerDay ? {} : { pageLookupsPerDay: input.pageLookupsPerDay }),
        });
        return state();
      },
    },
  };
}
