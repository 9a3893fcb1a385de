import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { QUICK_COMMANDS } from '../../quick-commands';
import type { QuickLookups } from '../badges';
import { createOmnibox, omniboxView, type OmniboxDisposition } from './omnibox';
import { readSelection } from './selection';

/*
 * Quick lookups from the keyboard and the address bar (issue 13):
 * - `commands`: "check-selection" runs the context menu's check on the active tab's
 *   selected text (read with `activeTab`, which the shortcut grants); "open-workspace".
 *   The browser's shortcut page shows and changes the keys; options lists them.
 * - `omnibox` keyword `kc`: suggestions with the relation per channel, Enter opens the
 *   popup's result view (`popup.html?userId=…`) in a tab.
 * Lookups come from the badges feature (its cache, its per-day budget, the background's client).
 */

type Tabs = Pick<typeof browser.tabs, 'create' | 'update' | 'query'>;

export interface QuickFeatureDeps {
  quick: QuickLookups;
  tabs?: Tabs;
  scripting?: Pick<typeof browser.scripting, 'executeScript'>;
  /** Chrome reads suggestion descriptions as XML; Firefox as plain text. */
  markup?: boolean;
  debounceMs?: number;
}

export function createQuickFeature(deps: QuickFeatureDeps) {
  const tabs = deps.tabs ?? browser.tabs;
  const scripting = deps.scripting ?? browser.scripting;
  const pageUrl = (path: string) => browser.runtime.getURL(path as '/popup.html');

  const markup = deps.markup ?? import.meta.env.BROWSER !== 'firefox';
  const setDefaultSuggestion = (s: { description: string }) =>
    void Promise.resolve(browser.omnibox?.setDefaultSuggestion(s)).catch(() => undefined);
  const omnibox = createOmnibox({
    cached: (userId) => deps.quick.cached(userId),
    lookup: (userIds) => deps.quick.lookup(userIds),
    markup,
    debounceMs: deps.debounceMs,
    setDefaultSuggestion,
    pageUrl,
    open: (url, disposition) => openPage(tabs, url, disposition),
  });

  /** The shortcut's check: the active tab's selection, through the context menu's path. */
  async function checkSelection(tab: { id?: number } | undefined) {
    const tabId = tab?.id ?? (await tabs.query({ active: true, currentWindow: true }))[0]?.id;
    const selection = tabId === undefined || tabId < 0 ? null : await readSelection(scripting, tabId);
    if (selection === null) return deps.quick.selection.explain(undefined, i18n.t('quick.cannotRead'));
    if (selection.trim() === '') return deps.quick.selection.explain(tabId, i18n.t('quick.noSelection'));
    return deps.quick.selection.check(selection, tabId);
  }

  async function onCommand(command: string, tab?: { id?: number }) {
    if (command === QUICK_COMMANDS.openWorkspace) await tabs.create({ url: pageUrl('/workspace.html') });
    else if (command === QUICK_COMMANDS.checkSelection) await checkSelection(tab);
  }

  return {
    /** For tests: the listeners' bodies, resolving when done. */
    onCommand,
    omnibox,
    start() {
      browser.commands?.onCommand.addListener((command, tab) => {
        void onCommand(command, tab).catch((err: unknown) =>
          console.warn('Channel Desk: shortcut failed', err instanceof Error ? err.message : err),
        );
      });
      browser.omnibox?.onInputChanged.addListener((text, suggest) => void omnibox.inputChanged(text, suggest));
      browser.omnibox?.onInputEntered.addListener((text, disposition) => {
        void omnibox
          .inputEntered(text, disposition as OmniboxDisposition)
          .catch((err: unknown) =>
            console.warn('Channel Desk: address-bar open failed', err instanceof Error ? err.message : err),
          );
      });
      setDefaultSuggestion({ description: omniboxView({ kind: 'empty' }, markup).defaultDescription });
    },
  };
}

/** Opens an extension page where the address bar's Enter asked: this tab, or a new one in front or behind. */
async function openPage(tabs: Tabs, url: string, disposition: OmniboxDisposition): Promise<unknown> {
  if (disposition === 'currentTab') {
    const [active] = await tabs.query({ active: true, currentWindow: true });
    if (active?.id !== undefined) return tabs.update(active.id, { url });
  }
  return tabs.create({ url, active: disposition !== 'newBackgroundTab' });
}
