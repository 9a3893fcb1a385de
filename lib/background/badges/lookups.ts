import { errorInfo } from '../../kakao/errors';
import type { KakaoClient } from '../../kakao/client';
import { withRetry } from '../../kakao/retry';
import type { UserRelationship } from '../../kakao/schemas';
import { ANY_CHANNEL } from '../../badges/badge-state';
import { createLookupCoalescer } from '../../badges/coalescer';
import { createRelationCache } from '../../badges/relation-cache';
import { createLookupBudget, type LookupLimit } from '../../badges/lookup-budget';
import type { ChannelRelationView, PageOutcome, UserOutcome } from '../../badges/relations';
import { badgeRelationCacheItem, type Site } from '../../storage/badge-sites';
import { pageLookupUseItem } from '../../storage/lookup-budget';
import { settingsItem } from '../../storage/settings';
import { withPolicyBudgets } from '../../policy';
import { currentPolicy } from '../../policy/current';

/*
 * Badge lookups: relations for validated IDs, batched across tabs and cached per
 * backend (lib/badges/coalescer.ts, relation-cache.ts). Cached relations live in
 * storage.session, which content scripts cannot read.
 */

export interface BadgeLookupsDeps {
  client: Pick<KakaoClient, 'checkRelationships'>;
  /** The cache namespace of the backend answering now (the sandbox or the key's fingerprint). */
  backendIdentity: () => Promise<string>;
  /** How long a partial batch waits for more IDs. */
  windowMs?: number;
  /** For tests: the clock of the lookup budgets. */
  now?: () => number;
}

interface BadgeLookupResult<O = UserOutcome> {
  selectedChannelId: string | null;
  users: Map<string, O>;
}

export interface BadgeLookups {
  /** Relations of these IDs for every configured channel, and the channel `site`'s badges follow. */
  lookup(userIds: string[], site?: Site | null): Promise<BadgeLookupResult>;
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
    async fetchBatch(userIds, channelIds) {
      const users = await withRetry(() => deps.client.checkRelationships({ userIds, channelIds }));
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

  return {
    async lookup(userIds, site = null) {
      const [settings, backend] = await Promise.all([settingsItem.getValue(), deps.backendIdentity()]);
      const users = await coalescer.lookup(userIds, settings.channelIds, backend);
      return { selectedChannelId: selectedFor(site, settings, users), users };
    },
    async lookupForPage(userIds, site, tabId, onLimit) {
      const [settings, backend] = await Promise.all([
        settingsItem.getValue(),
        deps.backendIdentity(),
        budget.prepare(),
      ]);
      const users = await coalescer.lookup(userIds, settings.channelIds, backend, (count) => {
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
