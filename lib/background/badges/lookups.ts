import { errorInfo } from '../../kakao/errors';
import type { KakaoClient } from '../../kakao/client';
import { withRetry } from '../../kakao/retry';
import type { UserRelationship } from '../../kakao/schemas';
import { ANY_CHANNEL } from '../../badges/badge-state';
import { createLookupCoalescer } from '../../badges/coalescer';
import { channelSetKey, createRelationCache } from '../../badges/relation-cache';
import { createLookupBudget, type LookupLimit } from '../../badges/lookup-budget';
import type { ChannelRelationView, PageOutcome, UserOutcome } from '../../badges/relations';
import { badgeRelationCacheItem, type Site } from '../../storage/badge-sites';
import { pageLookupUseItem } from '../../storage/lookup-budget';
import { settingsItem } from '../../storage/settings';
import { DEFAULT_PROFILE_ID } from '../../profiles/model';
import { activeProfileId, profileSettings, resolveProfileId } from '../../profiles/store';
import { withPolicyBudgets } from '../../policy';
import { currentPolicy } from '../../policy/current';

/*
 * Badge lookups: relations for validated IDs, batched across tabs and cached per
 * backend (lib/badges/coalescer.ts, relation-cache.ts). Cached relations live in
 * storage.session, which content scripts cannot read.
 */

export interface BadgeLookupsDeps {
  client: Pick<KakaoClient, 'checkRelationships'>;
  /** The client of a profile (a site's bound one); `client` when not given. */
  clientFor?: (profileId: string) => Pick<KakaoClient, 'checkRelationships'>;
  /** The cache namespace of the backend answering now for a profile (the sandbox or the key's fingerprint). */
  backendIdentity: (profileId?: string) => Promise<string>;
  /** How long a partial batch waits for more IDs. */
  windowMs?: number;
  /** For tests: the clock of the lookup budgets. */
  now?: () => number;
}

interface BadgeLookupResult<O = UserOutcome> {
  selectedChannelId: string | null;
  users: Map<string, O>;
}

/**
 * Which channels a quick lookup (right-click, keyboard shortcut, address bar) asks about, which one it shows
 * first, and which backend answers (the cache namespace: the sandbox or the key's fingerprint). Built by
 * `quickLookupTarget` (lib/background/quick/target.ts), the one place that answers "which channels, which key".
 */
export interface QuickTarget {
  /** The profile whose channels and key answer (the active one). */
  profileId: string;
  channelIds: string[];
  selectedChannelId: string | null;
  backend: string;
}

export interface BadgeLookups {
  /**
   * A quick lookup's relations (every channel of `target`), from the cache or the API, within the per-day lookup
   * budget (no per-tab budget): IDs beyond it are answered `{ limit }` and not sent.
   */
  lookupQuick(userIds: string[], target: QuickTarget): Promise<BadgeLookupResult<PageOutcome>>;
  /** A cached, fresh answer for one ID on `target`, or undefined; never calls the API. */
  cachedQuick(userId: string, target: QuickTarget): Promise<ChannelRelationView[] | undefined>;
  /**
   * The same for a tab's page, within the lookup budgets (per tab per minute, per key per day): IDs
   * beyond them are answered `{ limit }` and not sent. `onLimit` hears when a budget refused IDs.
   */
  lookupForPage(
    userIds: string[],
    site: Site,
    tabId: number,
    onLimit?: (limit: LookupLimit) => void,
  ): Promise<BadgeLookupResult<PageOutcome>>;
  /** Today's page lookups for the backend answering now, and the day's budget. */
  usageToday(): Promise<{ day: string; used: number; budget: number }>;
  /** Forgets every cached relation. */
  clearCache(): Promise<void>;
}

type ChannelSettings = { channelIds: string[]; selectedChannelId?: string | null };

export function createBadgeLookups(deps: BadgeLookupsDeps): BadgeLookups {
  const cache = createRelationCache({
    ttlMs: async () => (await settingsItem.getValue()).cacheTtlMinutes * 60_000,
    load: () => badgeRelationCacheItem.getValue(),
    save: (record) => badgeRelationCacheItem.setValue(record),
  });
  const coalescer = createLookupCoalescer({
    cache,
    windowMs: deps.windowMs,
    // The manager's concurrency setting (the same number bulk jobs use), read before every lookup.
    concurrency: async () => (await settingsItem.getValue()).concurrency,
    async fetchBatch(userIds, channelIds, backend) {
      // The cache namespace starts with the profile whose client answers (`<profile>/<backend>`).
      const profileId = backend.split('/')[0]!;
      const client = deps.clientFor ? deps.clientFor(profileId) : deps.client;
      const users = await withRetry(() => client.checkRelationships({ userIds, channelIds }));
      return new Map(users.map((u) => [u.user_id, toViews(u, channelIds)]));
    },
    toError(err) {
      const info = errorInfo(err);
      return { code: info.code, message: info.explanation };
    },
  });

  const budget = createLookupBudget({
    limits: async () => {
      // The organisation's budgets, where its policy sets them, else the manager's.
      const s = withPolicyBudgets(await settingsItem.getValue(), (await currentPolicy()).policy);
      return { perTabPerMinute: s.tabNewIdsPerMinute, perDay: s.pageLookupsPerDay };
    },
    load: () => pageLookupUseItem.getValue(),
    save: (use) => pageLookupUseItem.setValue(use),
    now: deps.now,
  });

  function selectedFor(site: Site | null, settings: ChannelSettings, users: Map<string, PageOutcome>) {
    let selected = badgeChannelFor(site, settings);
    if (selected === null) {
      for (const o of users.values()) if ('channels' in o && o.channels[0]) selected = o.channels[0].channelId;
    }
    return selected;
  }

  /** A site's bound profile (sites from before profiles: `default`), or the active one for no site. */
  const profileOf = async (site: Site | null) =>
    site === null ? activeProfileId() : resolveProfileId(site.profileId ?? DEFAULT_PROFILE_ID);

  return {
    async lookupQuick(userIds, target) {
      await budget.prepare();
      const namespace = `${target.profileId}/${target.backend}`;
      const users = await coalescer.lookup(userIds, target.channelIds, namespace, (count) => {
        const { allowed, limit } = budget.admit(null, target.backend, count);
        return { allowed, refused: { limit: limit ?? { scope: 'day' as const, budget: 0 } } };
      });
      return { selectedChannelId: selectedFor(null, target, users), users };
    },
    async cachedQuick(userId, target) {
      await cache.prepare();
      return cache.get(channelSetKey(target.channelIds, `${target.profileId}/${target.backend}`), userId);
    },
    async lookupForPage(userIds, site, tabId, onLimit) {
      const profileId = await profileOf(site);
      const [settings, backend] = await Promise.all([
        profileSettings(profileId),
        deps.backendIdentity(profileId),
        budget.prepare(),
      ]);
      // The daily budget is per key (`backend`); the cache is per profile and key.
      const users = await coalescer.lookup(userIds, settings.channelIds, `${profileId}/${backend}`, (count) => {
        const { allowed, limit } = budget.admit(tabId, backend, count);
        if (limit) onLimit?.(limit);
        return { allowed, refused: { limit: limit ?? { scope: 'tab' as const, budget: 0 } } };
      });
      return { selectedChannelId: selectedFor(site, settings, users), users };
    },
    async usageToday() {
      const [backend] = await Promise.all([deps.backendIdentity(), budget.prepare()]);
      return budget.usage(backend);
    },
    clearCache: () => cache.clear(),
  };
}

/** What badges follow when a site has no choice of its own: the popup's selected channel, else the first one. */
export function defaultBadgeChannel(settings: ChannelSettings): string | null {
  return settings.selectedChannelId ?? settings.channelIds[0] ?? null;
}

/** The channel a site's badges follow: its own choice while that channel is configured, else the default. */
function badgeChannelFor(site: Site | null, settings: ChannelSettings): string | null {
  const chosen = site?.badgeChannel;
  if (chosen === ANY_CHANNEL || (chosen !== undefined && settings.channelIds.includes(chosen))) return chosen;
  return defaultBadgeChannel(settings);
}

function toViews(user: UserRelationship, requested: string[]): ChannelRelationView[] {
  const views: ChannelRelationView[] = user.channels.map((c) => ({
    channelId: c.channel_public_id,
    ...(c.channel_uuid ? { name: c.channel_uuid } : {}),
    relation: c.relation,
    ...(c.updated_at ? { updatedAt: c.updated_at } : {}),
    ...(c.reason ? { reason: c.reason } : {}),
  }));
  // A requested channel Kakao left out (UNCONFIRMED behaviour for unlinked channels), or every channel of a
  // user answered without channels (no consent / not the app's user), is shown as unknown with the reason.
  for (const id of requested) {
    if (!views.some((v) => v.channelId === id))
      views.push({ channelId: id, relation: 'UNKNOWN', reason: user.reason ?? 'channel_missing' });
  }
  return views;
}
