import type { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { toolbarText } from '../../badges/badge-state';

/** The toolbar's per-tab count of IDs found and friends among them. */

type Action = Pick<typeof browser.action, 'setBadgeText' | 'setBadgeBackgroundColor' | 'setTitle'>;

export interface ToolbarCountDeps {
  /** `browser.action` (MV3), or Firefox MV2's `browserAction`. */
  action: () => Action;
  /** The extension's state (sandbox, attention) in one line, added to the count's title (lib/background/toolbar.ts). */
  stateLine?: () => string | null;
}

export interface ToolbarCount {
  /** `limited`: a lookup budget refused some of the page's IDs (the background's own record, never the page's). */
  show(tabId: number, counts: { found: number; friends: number }, limited?: boolean): Promise<void>;
}

/** The toolbar text while a page is over a lookup budget (the tooltip says which IDs were not checked). */
const LIMIT_TOOLBAR_TEXT = 'MAX';

export function createToolbarCount(deps: ToolbarCountDeps): ToolbarCount {
  return {
    async show(tabId, counts, limited = false) {
      const action = deps.action();
      await action.setBadgeText({ tabId, text: limited ? LIMIT_TOOLBAR_TEXT : toolbarText(counts) });
      await action.setBadgeBackgroundColor({ tabId, color: limited ? '#b3261e' : '#17803d' });
      const count = i18n.t('page.toolbarTitle', [String(counts.found), String(counts.friends)]);
      const title = limited ? `${i18n.t('budgets.toolbarLimit')}\n${count}` : count;
      const state = deps.stateLine?.() ?? null;
      await action.setTitle({ tabId, title: state === null ? title : `${title}\n${state}` });
    },
  };
}
