import { i18n } from '#i18n';
import { sendMessage } from '@/lib/messages/messenger';
import { badgeState, pageCounts, type BadgeState } from '@/lib/page/badge-state';
import { compileRules, findUserIds } from '@/lib/page/detect';
import { isToContentMessage } from '@/lib/messages/to-content-guard';
import { createBadge, showToast, type BadgeHandle } from './render';

/*
 * Friend-status badges on the manager's own sites. Registered at runtime, per
 * site, only after the manager granted that site (lib/background/page.ts).
 * It sends the background nothing but validated IDs and counts, and it listens
 * to no window messages or DOM events: a page script cannot make it look
 * anything up, and badge internals sit in closed shadow roots.
 */

const CHUNK = 200;

export default defineContentScript({
  registration: 'runtime',
  async main(ctx) {
    // executeScript (popup "Enable on this site") and the registration may both run it once.
    const scope = globalThis as { __channelDeskBadges?: boolean };
    if (scope.__channelDeskBadges) return;
    scope.__channelDeskBadges = true;

    const config = await sendMessage('getPageConfig', {});
    if (!config.ok || !config.value.enabled) return;
    const rules = compileRules(config.value.rules);
    const seen = new WeakSet<Element>();
    const badges = new Map<string, BadgeHandle[]>();
    const states = new Map<string, BadgeState>();
    let selectedChannelId: string | null = null;
    let queue = new Set<string>();
    let scanTimer: ReturnType<typeof setTimeout> | undefined;
    let countTimer: ReturnType<typeof setTimeout> | undefined;

    function reportCounts() {
      clearTimeout(countTimer);
      countTimer = setTimeout(() => void sendMessage('reportPageCounts', pageCounts(states.values())).catch(() => undefined), 150);
    }

    async function lookUp(ids: string[]) {
      const reply = await sendMessage('lookupRelations', { userIds: ids }).catch(() => null);
      for (const id of ids) {
        let state: BadgeState;
        if (reply?.ok) {
          selectedChannelId = reply.value.selectedChannelId;
          state = badgeState(reply.value.users[id], selectedChannelId);
          if (state.kind === 'checking') state = badgeState({ channels: [] }, selectedChannelId);
        } else {
          const error = reply && 'error' in reply ? reply.error : null;
          // No answer at all (e.g. the background restarting): the catalog's words, in the page's UI language.
          const fallback = i18n.t('page.checkFailed');
          state = badgeState({ error: { code: error?.code ?? 'internal', message: error?.explanation ?? { ko: fallback, en: fallback } } }, null);
        }
        states.set(id, state);
        toRender.add(id);
      }
      scheduleRender();
      reportCounts();
    }

    // Answers arrive batch by batch; drawing them in one pass per 50 ms means one style and
    // layout pass of the page per round of API calls, not one per answer (a 5,000-ID page
    // spent over a second in repeated recalcs before this).
    const toRender = new Set<string>();
    let renderTimer: ReturnType<typeof setTimeout> | undefined;
    function scheduleRender() {
      renderTimer ??= setTimeout(() => {
        renderTimer = undefined;
        for (const id of toRender) {
          const state = states.get(id)!;
          for (const badge of badges.get(id) ?? []) badge.render(state);
        }
        toRender.clear();
      }, 50);
    }

    function flush() {
      const ids = [...queue];
      queue = new Set();
      for (let i = 0; i < ids.length; i += CHUNK) void lookUp(ids.slice(i, i + CHUNK));
    }

    function scan() {
      for (const { element, userId } of findUserIds(document, rules, seen)) {
        const badge = createBadge(element, userId);
        const known = states.get(userId);
        badge.render(known ?? { kind: 'checking' });
        badges.set(userId, [...(badges.get(userId) ?? []), badge]);
        if (!known) {
          states.set(userId, { kind: 'checking' });
          queue.add(userId);
        }
      }
      if (queue.size > 0) flush();
      reportCounts();
    }

    scan();
    // Rows added later (SPA views, infinite scroll): one debounced scan per burst of mutations.
    const observer = new MutationObserver(() => {
      clearTimeout(scanTimer);
      scanTimer = setTimeout(scan, 30);
    });
    observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    ctx.onInvalidated(() => observer.disconnect());

    browser.runtime.onMessage.addListener((message: unknown) => {
      if (!isToContentMessage(message)) return undefined;
      if (message.kind === 'recheck') {
        for (const id of badges.keys()) {
          states.set(id, { kind: 'checking' });
          for (const b of badges.get(id)!) b.render({ kind: 'checking' });
          queue.add(id);
        }
        flush();
      } else if (message.kind === 'invalid' || message.kind === 'failed') showToast(message);
      else showToast({ kind: 'result', userId: message.userId, state: badgeState(message.outcome, message.selectedChannelId) });
      return Promise.resolve({ shown: true });
    });
  },
});
