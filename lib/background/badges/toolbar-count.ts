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
  show(tabId: number, counts: { found: number; friends: number }): Promise<void>;
}

export function createToolbarCount(deps: ToolbarCountDeps): ToolbarCount {
  return {
    async show(tabId, counts) {
      const action = deps.action();
      await action.setBadgeText({ tabId, text: toolbarText(counts) });
      await action.setBadgeBackgroundColor({ tabId, color: '#17803d' });
      const title = i18n.t('page.toolbarTitle', [String(counts.found), String(counts.friends)]);
      const state = deps.stateLine?.() ?? null;
      await action.setTitle({ tabId, title: state === null ? title : `${title}\n${state}` });
    },
  };
}
