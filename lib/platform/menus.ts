import { browser } from 'wxt/browser';

/*
 * Context menus in both builds. Chrome has `chrome.contextMenus`. Firefox names
 * the API `menus` (with extras such as `onShown`) but only with the `menus`
 * permission; with the `contextMenus` permission we declare, Firefox exposes
 * `browser.contextMenus` (checked in Firefox ESR), the same calls Chrome has.
 * Features take the namespace from here instead of naming either.
 */
type MenusNamespace = typeof browser.contextMenus;

export function menusApi(
  ns: { menus?: MenusNamespace; contextMenus?: MenusNamespace } = browser as never,
): MenusNamespace {
  const api = ns.menus ?? ns.contextMenus;
  if (!api)
    throw new Error('No context menu API: the manifest must declare the "contextMenus" (or "menus") permission.');
  return api;
}
