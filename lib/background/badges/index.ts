import { browser } from 'wxt/browser';
import type { badgeCommands } from '../../messages/commands/badges';
import { sendToContent } from '../../messages/to-content';
import { TO_CONTENT_TYPE as TOAST_MESSAGE } from '../../messages/to-content-guard';
import { menusApi } from '../../platform/menus';
import type { BackgroundFeature, FeatureDeps } from '../feature';
import { backendIdentity } from './backend-identity';
import { quickLookupTarget } from '../quick/target';
import { badgeSitesItem } from '../../storage/badge-sites';
import { CHECK_MENU_ID, createContextMenu, type SelectionCheck } from './context-menu';
import { createBadgeLookups, type BadgeLookups } from './lookups';
import { createScriptRegistration } from './scripts';
import { createSiteManager, siteError } from './sites';
import { createToolbarCount } from './toolbar-count';
import { createPageIdRecord } from './page-ids';

/*
 * Badges, background side: the pieces (one factory each, given what they need)
 * composed into the feature's handlers. Security decisions:
 * - The content script is registered only for sites the manager added, after the
 *   host permission was granted from their click (scripts.ts, sites.ts).
 * - Content scripts may only ask for relations of validated IDs; the answer holds
 *   relations and change times, never the key, a raw body or headers. As defence
 *   in depth, the sending tab's origin (browser-vouched) must be one of the sites.
 * - Cached relations live in storage.session, which content scripts cannot read (lookups.ts).
 */

export { CHECK_MENU_ID };

export interface BadgesFeatureOptions {
  /** How long a partial batch waits for more IDs. */
  windowMs?: number;
  /** For tests: the cache namespace of the backend answering now (default: sandbox or the key's fingerprint). */
  backendIdentity?: (profileId?: string) => Promise<string>;
  /** For tests: whether the extension may reach this origin pattern (default: the browser's granted permissions). */
  hasOrigin?: (pattern: string) => Promise<boolean>;
  /** For tests: the clock of the lookup budgets. */
  now?: () => number;
  /** The extension's toolbar state line, kept in the per-tab count's title (lib/background/toolbar.ts). */
  toolbarStateLine?: () => string | null;
  /** Whether any open tab is over a lookup budget now (the extension's toolbar attention state follows it). */
  onLimitChange?: (limited: boolean) => void;
}

/**
 * Quick lookups (right-click, keyboard shortcut, address bar): one ID at a time, on `quickLookupTarget()`,
 * from the badges' cache, else one call, counted against the per-day lookup budget.
 */
export interface QuickLookups {
  /** The selected-text check the context menu runs; the shortcut runs the same. */
  selection: SelectionCheck;
  lookup: (userIds: string[]) => ReturnType<BadgeLookups['lookupQuick']>;
  cached: (userId: string) => ReturnType<BadgeLookups['cachedQuick']>;
}

export function createBadgesFeature(
  deps: FeatureDeps,
  options: BadgesFeatureOptions = {},
): BackgroundFeature<typeof badgeCommands> & {
  quick: QuickLookups;
  /** The IDs this tab's content script looked up on its page (bounded, validated, deduped; page-ids.ts). */
  pageIds: (tabId: number) => Promise<ReturnType<ReturnType<typeof createPageIdRecord>['of']>>;
} {
  const hasOrigin = options.hasOrigin ?? ((pattern: string) => browser.permissions.contains({ origins: [pattern] }));
  const lookups = createBadgeLookups({
    client: deps.client,
    clientFor: deps.clientForProfile,
    windowMs: options.windowMs,
    backendIdentity: options.backendIdentity ?? backendIdentity,
    now: options.now,
  });
  const scripts = createScriptRegistration({ scripting: browser.scripting, hasOrigin });
  const sites = createSiteManager({
    hasOrigin,
    removeOrigin: (pattern) => browser.permissions.remove({ origins: [pattern] }),
    requiredOrigins: () => browser.runtime.getManifest().host_permissions ?? [],
    syncScripts: () => scripts.sync(),
    usageToday: () => lookups.usageToday(),
  });
  const toolbar = createToolbarCount({
    action: () => (browser.action ?? (browser as unknown as { browserAction?: typeof browser.action }).browserAction)!,
    stateLine: options.toolbarStateLine,
  });
  const quickTarget = () => quickLookupTarget(options.backendIdentity);
  const quickLookup = async (userIds: string[]) => lookups.lookupQuick(userIds, await quickTarget());
  const menu = createContextMenu({
    lookup: quickLookup,
    menus: () => menusApi(),
    onInstalled: browser.runtime.onInstalled,
    tabs: browser.tabs,
    notifications: browser.notifications,
    iconUrl: () => browser.runtime.getURL('/notify-icon.png'),
  });
  /** Tabs that reported badges (for "check again" after clearing the cache). */
  const badgeTabs = new Set<number>();
  /** Tabs whose page hit a lookup budget since it loaded: the toolbar says so (the background's own record). */
  const limitedTabs = new Set<number>();
  const lastCounts = new Map<number, { found: number; friends: number }>();
  /** The IDs each tab's page asked about: data for the popup's "save as an audience", never a command. */
  const pageIds = createPageIdRecord();
  let anyLimited = false;
  const limitChanged = () => {
    if (anyLimited === limitedTabs.size > 0) return;
    anyLimited = limitedTabs.size > 0;
    options.onLimitChange?.(anyLimited);
  };

  return {
    quick: {
      selection: menu.selection,
      lookup: quickLookup,
      cached: async (userId) => lookups.cachedQuick(userId, await quickTarget()),
    },
    pageIds: async (tabId) => (await pageIds.ready, pageIds.of(tabId)),
    handlers: {
      async getPageConfig(_input, ctx) {
        // A page (re)loaded: its toolbar state starts over. The per-tab budget does not (it counts a minute).
        if (ctx.tabId !== undefined) limitedTabs.delete(ctx.tabId);
        limitChanged();
        const site = await sites.siteFor(ctx.origin);
        if (ctx.tabId !== undefined) void pageIds.reset(ctx.tabId, site ? ctx.origin : undefined);
        return site ? { enabled: true, rules: site.rules } : { enabled: false, rules: [] };
      },

      async lookupRelations(input, ctx) {
        const site = await sites.siteFor(ctx.origin);
        if (site === null) throw siteError('not_enabled');
        // Budgets are per tab; a sender without a tab (none today) shares one bucket.
        const tabId = ctx.tabId ?? -1;
        if (ctx.tabId !== undefined) badgeTabs.add(ctx.tabId);
        if (ctx.tabId !== undefined && ctx.origin) void pageIds.add(ctx.tabId, ctx.origin, input.userIds);
        const result = await lookups.lookupForPage(input.userIds, site, tabId, () => {
          if (ctx.tabId === undefined || limitedTabs.has(ctx.tabId)) return;
          limitedTabs.add(ctx.tabId);
          limitChanged();
          void toolbar
            .show(ctx.tabId, lastCounts.get(ctx.tabId) ?? { found: 0, friends: 0 }, true)
            .catch(() => undefined);
        });
        return { selectedChannelId: result.selectedChannelId, users: Object.fromEntries(result.users) };
      },

      async reportPageCounts(input, ctx) {
        if (ctx.tabId === undefined || (await sites.siteFor(ctx.origin)) === null) return null;
        badgeTabs.add(ctx.tabId);
        lastCounts.set(ctx.tabId, input);
        await toolbar.show(ctx.tabId, input, limitedTabs.has(ctx.tabId));
        return null;
      },

      ...sites.handlers,

      async clearPageCache(input) {
        await lookups.clearCache();
        if (input.recheck) {
          for (const tabId of badgeTabs) {
            void sendToContent(tabId, { type: TOAST_MESSAGE, kind: 'recheck' }).catch(() => badgeTabs.delete(tabId));
          }
        }
        return null;
      },
    },

    start() {
      menu.start();
      browser.tabs.onRemoved.addListener((tabId) => {
        badgeTabs.delete(tabId);
        limitedTabs.delete(tabId);
        limitChanged();
        lastCounts.delete(tabId);
        void pageIds.delete(tabId);
      });
      browser.tabs.onUpdated.addListener((tabId, change) => {
        if (change.status === 'loading') void pageIds.navigated(tabId, change.url);
      });
      // Persisted registrations survive restarts; this re-aligns them with the stored sites and granted permissions.
      void scripts.sync().catch(() => undefined);
      // Sites written elsewhere (a settings import) get their scripts too.
      badgeSitesItem.watch(() => void scripts.sync().catch(() => undefined));
      // A host granted later (from a site card, after a refused import) or taken back in the browser's settings.
      browser.permissions.onAdded.addListener(() => void scripts.sync().catch(() => undefined));
      browser.permissions.onRemoved.addListener(() => void scripts.sync().catch(() => undefined));
    },
  };
}
