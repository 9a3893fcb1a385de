import { i18n } from '#i18n';
import { sendMessage } from '@/lib/messages/messenger';
import { badgeState } from '@/lib/badges/badge-state';
import { compileRules } from '@/lib/badges/detect';
import { createBadgeEngine } from '@/lib/badges/engine';
import { isToContentMessage } from '@/lib/messages/to-content-guard';
import { badgeSizeSettled, createBadge, showToast } from '@/lib/badges/render';
import { elementsInView } from '@/lib/badges/slices';

/*
 * Friend-status badges on the manager's own sites. Registered at runtime, per
 * site, only after the manager granted that site (lib/background/badges/).
 * It sends the background nothing but validated IDs and counts, and it listens
 * to no window messages or DOM events: a page script cannot make it look
 * anything up, and badge internals sit in closed shadow roots.
 * Wiring only: the scan, queue and render loop are lib/badges/engine.ts.
 */

export default defineContentScript({
  registration: 'runtime',
  async main(ctx) {
    // executeScript (popup "Enable on this site") and the registration may both run it once.
    const scope = globalThis as { __channelDeskBadges?: boolean };
    if (scope.__channelDeskBadges) return;
    scope.__channelDeskBadges = true;

    const config = await sendMessage('getPageConfig', {});
    if (!config.ok || !config.value.enabled) return;
    const engine = createBadgeEngine({
      document,
      rules: compileRules(config.value.rules),
      createBadge,
      sizeSettled: badgeSizeSettled,
      inView: (elements) => elementsInView(elements),
      lookup: (userIds) => sendMessage('lookupRelations', { userIds }).catch(() => null),
      reportCounts: (counts) => void sendMessage('reportPageCounts', counts).catch(() => undefined),
      checkFailedText: () => i18n.t('page.checkFailed'),
    });
    engine.start();
    ctx.onInvalidated(() => engine.stop());

    browser.runtime.onMessage.addListener((message: unknown) => {
      if (!isToContentMessage(message)) return undefined;
      if (message.kind === 'recheck') engine.recheck();
      else if (message.kind === 'invalid' || message.kind === 'failed') showToast(message);
      else
        showToast({
          kind: 'result',
          userId: message.userId,
          state: badgeState(message.outcome, message.selectedChannelId),
        });
      return Promise.resolve({ shown: true });
    });
  },
});
