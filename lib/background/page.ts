import { browser } from 'wxt/browser';
import { uiLang } from '../ui-lang';
import { i18n } from '#i18n';
import { errorInfo, KakaoApiError, type KakaoErrorInfo } from '../kakao/errors';
import { isUserId, normaliseUserId } from '../kakao/ids';
import { withRetry } from '../kakao/retry';
import type { UserRelationship } from '../kakao/schemas';
import { pageCommands } from '../messages/commands/page';
import type { HandlerContext } from '../messages/router';
import { ANY_CHANNEL, badgeState, toolbarText } from '../page/badge-state';
import { backendIdentity } from '../page/backend-identity';
import { createLookupCoalescer } from '../page/coalescer';
import { createRelationCache } from '../page/relation-cache';
import type { ChannelRelationView } from '../page/relations';
import { menusApi } from '../platform/menus';
import { parseSitePattern, patternCoversOrigin, scriptIdFor } from '../page/sites';
import { SITE_EXPLANATIONS, type SiteErrorKind } from '../page/site-errors';
import { sendToContent, type ToContentMessage } from '../messages/to-content';
import { TO_CONTENT_TYPE as TOAST_MESSAGE } from '../messages/to-content-guard';
import { pageRelationCacheItem, pageSitesItem, type Site } from '../storage/page-sites';
import { rememberLookup, settingsItem } from '../storage/settings';
import type { BackgroundFeature, FeatureDeps } from './feature';

/*
 * Page badges, background side. Security decisions:
 * - The content script is registered only for sites the manager added, after the
 *   host permission was granted from their click; the default build asks for no
 *   host beyond the Kakao API.
 * - Content scripts may only ask for relations of validated IDs; the answer holds
 *   relations and change times, never the key, a raw body or headers. As defence
 *   in depth, the sending tab's origin (browser-vouched) must be one of the sites.
 * - Cached relations live in storage.session, which content scripts cannot read.
 */

export const BADGES_SCRIPT_FILE = 'content-scripts/badges.js';
export const CHECK_MENU_ID = 'channel-desk-check-selection';
const SCRIPT_ID_PREFIX = 'cd-badges-';

export interface PageFeatureOptions {
  /** How long a partial batch waits for more IDs. */
  windowMs?: number;
  /** For tests: the cache namespace of the backend answering now (default: sandbox or the key's fingerprint). */
  backendIdentity?: () => Promise<string>;
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
    if (!views.some((v) => v.channelId === id)) views.push({ channelId: id, relation: 'UNKNOWN', reason: user.reason ?? 'channel_missing' });
  }
  return views;
}

/** Does a stored pattern need this origin permission? A pattern saved before the rules tightened needs none. */
function sameOrigin(pattern: string, origin: string): boolean {
  const parsed = parseSitePattern(pattern);
  return parsed.ok && parsed.origin === origin;
}

/** Carries its own explanation: Kakao's -2 text (user IDs, channel IDs, batch size) would mislead here. */
class SiteError extends KakaoApiError {
  constructor(readonly kind: SiteErrorKind) {
    super(-2, null, `site: ${kind}`);
  }
  override toInfo(): KakaoErrorInfo {
    return { ...super.toInfo(), explanation: SITE_EXPLANATIONS[this.kind] };
  }
}

export function createPageFeature(deps: FeatureDeps, options: PageFeatureOptions = {}): BackgroundFeature<typeof pageCommands> {
  const cache = createRelationCache({
    ttlMs: async () => (await settingsItem.getValue()).cacheTtlMinutes * 60_000,
    load: () => pageRelationCacheItem.getValue(),
    save: (record) => pageRelationCacheItem.setValue(record),
  });
  const coalescer = createLookupCoalescer({
    cache,
    windowMs: options.windowMs,
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
  /** Tabs that reported badges (for "check again" after clearing the cache). */
  const badgeTabs = new Set<number>();

  /** The channel a site's badges follow: its own choice while that channel is configured, else the default. */
  function badgeChannelFor(site: Site | null, settings: { channelIds: string[]; selectedChannelId?: string | null }): string | null {
    const chosen = site?.badgeChannel;
    if (chosen === ANY_CHANNEL || (chosen !== undefined && settings.channelIds.includes(chosen))) return chosen;
    return defaultBadgeChannel(settings);
  }

  async function lookup(userIds: string[], site: Site | null = null) {
    const [settings, backend] = await Promise.all([settingsItem.getValue(), (options.backendIdentity ?? backendIdentity)()]);
    const users = await coalescer.lookup(userIds, settings.channelIds, backend);
    let selected = badgeChannelFor(site, settings);
    if (selected === null) {
      for (const o of users.values()) if ('channels' in o && o.channels[0]) selected = o.channels[0].channelId;
    }
    return { selectedChannelId: selected, users };
  }

  async function siteForSender(ctx: HandlerContext): Promise<Site | null> {
    if (ctx.origin === undefined) return null;
    const sites = await pageSitesItem.getValue();
    return sites.find((s) => patternCoversOrigin(s.pattern, ctx.origin!)) ?? null;
  }

  // Registration changes run one after another, so two quick edits never race.
  let syncing: Promise<void> = Promise.resolve();
  function syncRegistrations(): Promise<void> {
    syncing = syncing.catch(() => undefined).then(async () => {
      const sites = await pageSitesItem.getValue();
      const registered = (await browser.scripting.getRegisteredContentScripts()).filter((s) => s.id.startsWith(SCRIPT_ID_PREFIX));
      const wanted = new Map<string, Site>();
      for (const site of sites) {
        // A permission the user took back in the browser's settings means no script there.
        // A pattern saved before the rules tightened (e.g. `*://` or `*.co.kr`) gets no script.
        const parsed = parseSitePattern(site.pattern);
        if (!parsed.ok) continue;
        if (await browser.permissions.contains({ origins: [parsed.origin] })) wanted.set(scriptIdFor(site.pattern), site);
      }
      const stale = registered.filter((s) => !wanted.has(s.id) || s.matches?.[0] !== wanted.get(s.id)!.pattern).map((s) => s.id);
      if (stale.length > 0) await browser.scripting.unregisterContentScripts({ ids: stale });
      const current = new Set(registered.map((s) => s.id).filter((id) => !stale.includes(id)));
      const missing = [...wanted].filter(([id]) => !current.has(id));
      if (missing.length > 0) {
        await browser.scripting.registerContentScripts(
          missing.map(([id, site]) => ({
            id,
            matches: [site.pattern],
            js: [BADGES_SCRIPT_FILE],
            runAt: 'document_idle' as const,
            allFrames: false,
            persistAcrossSessions: true,
          })),
        );
      }
    });
    return syncing;
  }

  async function state() {
    const settings = await settingsItem.getValue();
    return {
      sites: await pageSitesItem.getValue(),
      cacheTtlMinutes: settings.cacheTtlMinutes,
      channelIds: settings.channelIds,
      defaultBadgeChannel: defaultBadgeChannel(settings),
    };
  }

  /** A refused site request: Kakao's "invalid request" code, with the manager-facing reason in ko and en. */
  function siteError(kind: SiteErrorKind): KakaoApiError {
    return new SiteError(kind);
  }

  const action = () => (browser.action ?? (browser as unknown as { browserAction?: typeof browser.action }).browserAction)!;

  /** Shows a context-menu result in the page when our content script runs there, else as a notification. */
  async function showResult(tabId: number | undefined, message: ToContentMessage) {
    if (tabId !== undefined && tabId >= 0) {
      const reply = await sendToContent(tabId, message).catch(() => null);
      if (reply?.shown === true) return;
    }
    await browser.notifications.create(`channel-desk-${Date.now()}`, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/notify-icon.png'),
      title: i18n.t('extName'),
      message: notificationText(message),
    });
  }

  /** A failed lookup or a failed toast is shown (toast, else notification), never left as an unhandled rejection. */
  async function onMenuClickedSafely(info: { menuItemId: string | number; selectionText?: string }, tab?: { id?: number }) {
    try {
      await onMenuClicked(info, tab);
    } catch (err) {
      const explanation = errorInfo(err).explanation;
      const message = i18n.t('page.menuFailed', [explanation[uiLang()]]);
      const shown = tab?.id !== undefined && tab.id >= 0
        ? await sendToContent(tab.id, { type: TOAST_MESSAGE, kind: 'failed', text: message }).catch(() => null)
        : null;
      if (shown?.shown === true) return;
      await browser.notifications
        .create(`channel-desk-${Date.now()}`, { type: 'basic', iconUrl: browser.runtime.getURL('/notify-icon.png'), title: i18n.t('extName'), message })
        .catch((e: unknown) => console.warn('Channel Desk: could not show a context-menu failure', e instanceof Error ? e.message : e));
    }
  }

  async function onMenuClicked(info: { menuItemId: string | number; selectionText?: string }, tab?: { id?: number }) {
    if (info.menuItemId !== CHECK_MENU_ID) return;
    const raw = (info.selectionText ?? '').replace(/\s+/g, ' ').trim();
    const userId = normaliseUserId(raw);
    if (!isUserId(userId)) {
      await showResult(tab?.id, { type: TOAST_MESSAGE, kind: 'invalid', text: raw.slice(0, 60) });
      return;
    }
    const result = await lookup([userId]);
    await rememberLookup(userId);
    const outcome = result.users.get(userId);
    await showResult(tab?.id, {
      type: TOAST_MESSAGE,
      kind: 'result',
      userId,
      selectedChannelId: result.selectedChannelId,
      outcome: outcome ?? { error: { code: 'internal', message: errorInfo(new KakaoApiError('internal', null)).explanation } },
    });
  }

  return {
    handlers: {
      async getPageConfig(_input, ctx) {
        const site = await siteForSender(ctx);
        return site ? { enabled: true, rules: site.rules } : { enabled: false, rules: [] };
      },

      async lookupRelations(input, ctx) {
        const site = await siteForSender(ctx);
        if (site === null) {
          throw siteError('not_enabled');
        }
        if (ctx.tabId !== undefined) badgeTabs.add(ctx.tabId);
        const result = await lookup(input.userIds, site);
        return { selectedChannelId: result.selectedChannelId, users: Object.fromEntries(result.users) };
      },

      async reportPageCounts(input, ctx) {
        if (ctx.tabId === undefined || (await siteForSender(ctx)) === null) return null;
        badgeTabs.add(ctx.tabId);
        const text = toolbarText(input);
        await action().setBadgeText({ tabId: ctx.tabId, text });
        await action().setBadgeBackgroundColor({ tabId: ctx.tabId, color: '#17803d' });
        await action().setTitle({ tabId: ctx.tabId, title: i18n.t('page.toolbarTitle', [String(input.found), String(input.friends)]) });
        return null;
      },

      listSites: () => state(),

      async addSite(input) {
        const parsed = parseSitePattern(input.pattern);
        if (!parsed.ok) throw siteError(`pattern_${parsed.error}`);
        if (!(await browser.permissions.contains({ origins: [parsed.origin] }))) throw siteError('no_permission');
        const sites = await pageSitesItem.getValue();
        if (!sites.some((s) => s.pattern === parsed.pattern)) await pageSitesItem.setValue([...sites, { pattern: parsed.pattern, rules: [] }]);
        await syncRegistrations();
        return state();
      },

      async removeSite(input) {
        const sites = await pageSitesItem.getValue();
        const rest = sites.filter((s) => s.pattern !== input.pattern);
        await pageSitesItem.setValue(rest);
        await syncRegistrations();
        const parsed = parseSitePattern(input.pattern);
        const required = browser.runtime.getManifest().host_permissions ?? [];
        if (parsed.ok && !required.includes(parsed.origin) && !rest.some((s) => sameOrigin(s.pattern, parsed.origin))) {
          // Give the host permission back; the browser refuses for permissions the manifest requires.
          await browser.permissions.remove({ origins: [parsed.origin] }).catch(() => false);
        }
        return state();
      },

      async saveSiteRules(input) {
        const sites = await pageSitesItem.getValue();
        if (!sites.some((s) => s.pattern === input.pattern)) throw siteError('unknown_site');
        await pageSitesItem.setValue(sites.map((s) => (s.pattern === input.pattern ? { ...s, rules: input.rules } : s)));
        return state();
      },

      async saveSiteBadgeChannel(input) {
        const sites = await pageSitesItem.getValue();
        if (!sites.some((s) => s.pattern === input.pattern)) throw siteError('unknown_site');
        if (input.badgeChannel !== ANY_CHANNEL && !(await settingsItem.getValue()).channelIds.includes(input.badgeChannel)) {
          throw siteError('unknown_channel');
        }
        await pageSitesItem.setValue(sites.map((s) => (s.pattern === input.pattern ? { ...s, badgeChannel: input.badgeChannel } : s)));
        return state();
      },

      async savePageCacheTtl(input) {
        const settings = await settingsItem.getValue();
        await settingsItem.setValue({ ...settings, cacheTtlMinutes: input.cacheTtlMinutes });
        return state();
      },

      async clearPageCache(input) {
        await cache.clear();
        if (input.recheck) {
          for (const tabId of badgeTabs) {
            void sendToContent(tabId, { type: TOAST_MESSAGE, kind: 'recheck' }).catch(() => badgeTabs.delete(tabId));
          }
        }
        return null;
      },
    },

    start() {
      // Chrome's contextMenus or Firefox's menus, whichever this build has (lib/platform/menus.ts).
      const menus = menusApi();
      browser.runtime.onInstalled.addListener(() => {
        void menus
          .remove(CHECK_MENU_ID)
          .catch(() => undefined)
          .then(() => menus.create({ id: CHECK_MENU_ID, title: i18n.t('page.menuTitle'), contexts: ['selection'] }));
      });
      menus.onClicked.addListener((info, tab) => {
        void onMenuClickedSafely(info, tab);
      });
      browser.tabs.onRemoved.addListener((tabId) => void badgeTabs.delete(tabId));
      // Persisted registrations survive restarts; this re-aligns them with the stored sites and granted permissions.
      void syncRegistrations().catch(() => undefined);
    },
  };
}

/** What badges follow when a site has no choice of its own: the popup's selected channel, else the first one. */
function defaultBadgeChannel(settings: { channelIds: string[]; selectedChannelId?: string | null }): string | null {
  return settings.selectedChannelId ?? settings.channelIds[0] ?? null;
}

/** The notification fallback's text (no content script in the tab). */
function notificationText(message: ToContentMessage): string {
  if (message.kind === 'invalid') return i18n.t('page.invalidSelection', [message.text]);
  if (message.kind !== 'result') return '';
  const view = badgeState(message.outcome, message.selectedChannelId);
  if (view.kind === 'error') return i18n.t('page.resultError', [message.userId, view.error.message[uiLang()]]);
  if (view.kind !== 'done') return '';
  const lines = view.channels.map((c) => `${c.name ?? c.channelId}: ${i18n.t(`relation.${c.relation}`)}`);
  return [i18n.t('page.resultFor', [message.userId]), ...lines].join('\n');
}


