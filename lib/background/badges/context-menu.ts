import type { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { errorInfo, KakaoApiError } from '../../kakao/errors';
import { isUserId, normaliseUserId } from '../../kakao/ids';
import { badgeState } from '../../badges/badge-state';
import { sendToContent, type ToContentMessage } from '../../messages/to-content';
import { TO_CONTENT_TYPE as TOAST_MESSAGE } from '../../messages/to-content-guard';
import type { menusApi } from '../../platform/menus';
import { rememberLookup } from '../../storage/settings';
import { uiLang } from '../../ui-lang';
import type { LookupLimit } from '../../badges/lookup-budget';
import type { PageOutcome } from '../../badges/relations';

/*
 * "Check this ID" on a selection (the context menu, and the keyboard shortcut through
 * `selection`): the result shows as a toast in the page when our content script runs
 * there, else as a browser notification.
 */

export const CHECK_MENU_ID = 'channel-desk-check-selection';

type MenusNamespace = ReturnType<typeof menusApi>;

export interface ContextMenuDeps {
  /** A quick lookup within the per-day budget (lookups.ts `lookupQuick`, on `quickLookupTarget()`). */
  lookup: (userIds: string[]) => Promise<{ selectedChannelId: string | null; users: Map<string, PageOutcome> }>;
  /** Chrome's contextMenus or Firefox's menus, whichever this build has (lib/platform/menus.ts); asked at start. */
  menus: () => MenusNamespace;
  onInstalled: Pick<typeof browser.runtime.onInstalled, 'addListener'>;
  tabs: Pick<typeof browser.tabs, 'sendMessage'>;
  notifications: Pick<typeof browser.notifications, 'create'>;
  /** The notification's icon (an extension URL). */
  iconUrl: () => string;
}

/**
 * The one path of a selected-text check, from the context menu or the keyboard shortcut: the same validation,
 * the same lookup (counted against the per-day budget), the same result display.
 */
export interface SelectionCheck {
  /** Checks a selected text and shows the result (or why it is no user ID); never rejects. */
  check(selection: string, tabId: number | undefined): Promise<void>;
  /** Shows a message already in the manager's language, the way a failed check is shown. */
  explain(tabId: number | undefined, text: string): Promise<void>;
}

export interface ContextMenu {
  start(): void;
  selection: SelectionCheck;
}

type MenuClick = { menuItemId: string | number; selectionText?: string };

/** "Not checked: today's N lookups are used", in the words the badges use (budgets.limitDay / limitTab). */
export function limitExplanation(limit: LookupLimit): string {
  const budget = limit.budget.toLocaleString(uiLang() === 'ko' ? 'ko-KR' : 'en-US');
  return limit.scope === 'tab' ? i18n.t('budgets.limitTab', [budget]) : i18n.t('budgets.limitDay', [budget]);
}

export function createContextMenu(deps: ContextMenuDeps): ContextMenu {
  /** Shows a message as a toast in the tab when our content script answers there, else as a notification. */
  async function showInTabOrNotify(tabId: number | undefined, message: ToContentMessage): Promise<void> {
    if (tabId !== undefined && tabId >= 0) {
      const reply = await sendToContent(tabId, message, deps.tabs).catch(() => null);
      if (reply?.shown === true) return;
    }
    await deps.notifications.create(`channel-desk-${Date.now()}`, {
      type: 'basic',
      iconUrl: deps.iconUrl(),
      title: i18n.t('extName'),
      message: notificationText(message),
    });
  }

  async function check(selection: string, tabId: number | undefined) {
    const raw = selection.replace(/\s+/g, ' ').trim();
    const userId = normaliseUserId(raw);
    if (!isUserId(userId)) {
      await showInTabOrNotify(tabId, { type: TOAST_MESSAGE, kind: 'invalid', text: raw.slice(0, 60) });
      return;
    }
    const result = await deps.lookup([userId]);
    const outcome = result.users.get(userId);
    if (outcome && 'limit' in outcome) {
      // Over the day's lookup budget: not sent, said the way a badge says it.
      await showInTabOrNotify(tabId, { type: TOAST_MESSAGE, kind: 'failed', text: limitExplanation(outcome.limit) });
      return;
    }
    await rememberLookup(userId);
    await showInTabOrNotify(tabId, {
      type: TOAST_MESSAGE,
      kind: 'result',
      userId,
      selectedChannelId: result.selectedChannelId,
      outcome: outcome ?? {
        error: { code: 'internal', message: errorInfo(new KakaoApiError('internal', null)).explanation },
      },
    });
  }

  const explain = (tabId: number | undefined, text: string) =>
    showInTabOrNotify(tabId, { type: TOAST_MESSAGE, kind: 'failed', text });

  /** A failed lookup or a failed toast is shown (toast, else notification), never left as an unhandled rejection. */
  async function checkSafely(selection: string, tabId: number | undefined) {
    try {
      await check(selection, tabId);
    } catch (err) {
      const text = i18n.t('page.menuFailed', [errorInfo(err).explanation[uiLang()]]);
      await explain(tabId, text).catch((e: unknown) =>
        console.warn('Channel Desk: could not show a selection-check failure', e instanceof Error ? e.message : e),
      );
    }
  }

  return {
    selection: { check: checkSafely, explain },
    start() {
      const menus = deps.menus();
      deps.onInstalled.addListener(() => {
        void menus
          .remove(CHECK_MENU_ID)
          .catch(() => undefined)
          .then(() => menus.create({ id: CHECK_MENU_ID, title: i18n.t('page.menuTitle'), contexts: ['selection'] }));
      });
      menus.onClicked.addListener((info: MenuClick, tab) => {
        if (info.menuItemId !== CHECK_MENU_ID) return;
        void checkSafely(info.selectionText ?? '', tab?.id);
      });
    },
  };
}

/** The notification's text (no content script in the tab). */
function notificationText(message: ToContentMessage): string {
  if (message.kind === 'invalid') return i18n.t('page.invalidSelection', [message.text]);
  if (message.kind === 'failed') return message.text;
  if (message.kind !== 'result') return '';
  const view = badgeState(message.outcome, message.selectedChannelId);
  if (view.kind === 'error') return i18n.t('page.resultError', [message.userId, view.error.message[uiLang()]]);
  if (view.kind !== 'done') return '';
  const lines = view.channels.map((c) => `${c.name ?? c.channelId}: ${i18n.t(`relation.${c.relation}`)}`);
  return [i18n.t('page.resultFor', [message.userId]), ...lines].join('\n');
}
