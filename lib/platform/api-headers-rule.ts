/*
 * Strips `Origin` and `Referer` from the extension's own requests to the Kakao API host, so an
 * Admin-key call never carries `chrome-extension://…` / `moz-extension://…` (Kakao checks the
 * origin of browser traffic; whether it refuses an Admin-key call with an extension origin is
 * unknown, and we do not bet on it).
 *
 * Why a *session* rule installed at background start-up (fixed ID, remove-then-add, so it is
 * idempotent), and not a static ruleset or a dynamic rule:
 * - the rule must name the extension as initiator (`initiatorDomains`), and Firefox gives every
 *   install a random moz-extension UUID: a static ruleset written at build time cannot know it;
 * - `tabIds` (only requests not made in a tab) is allowed in session rules only, in Chrome and
 *   Firefox;
 * - session rules live as long as the browser session and are rebuilt on every start from this
 *   build's API origin (`WXT_KAKAO_API_ORIGIN`), so no rule for an old origin outlives an update
 *   the way a dynamic rule would;
 * - `updateSessionRules` and `modifyHeaders` with `remove` exist in Chrome (MV3) and Firefox
 *   MV3 (113+, our minimum is 140), and `declarativeNetRequestWithHostAccess` adds no install
 *   warning: the rule acts only where we already hold host access (the API host).
 * Both browsers let DNR `remove` the `Origin` request header (it is not on Chrome's append-only
 * list, and Firefox modifies any header but `Host` without host access).
 */

/** The fixed ID of the rule; a start-up replaces it rather than adding a second one. */
export const API_HEADERS_RULE_ID = 1;

/** The slice of `declarativeNetRequest` this module needs (Chrome's and Firefox's agree here). */
export interface SessionRulesApi {
  updateSessionRules(options: { removeRuleIds?: number[]; addRules?: ApiHeadersRule[] }): Promise<void>;
}

export interface ApiHeadersRule {
  id: number;
  priority: number;
  action: { type: 'modifyHeaders'; requestHeaders: { header: string; operation: 'remove' }[] };
  condition: {
    urlFilter: string;
    requestDomains: string[];
    initiatorDomains: string[];
    tabIds: number[];
    resourceTypes: ('xmlhttprequest' | 'other')[];
  };
}

/**
 * The rule for one API origin (e.g. `https://kapi.kakao.com`, or the simulator's
 * `http://127.0.0.1:8123`) and the extension's own host (its ID in Chrome, its UUID in Firefox).
 * `requestDomains` carries no port, so the anchored `urlFilter` pins scheme, host and port.
 */
export function apiHeadersRule(apiOrigin: string, extensionHost: string): ApiHeadersRule {
  const url = new URL(apiOrigin);
  return {
    id: API_HEADERS_RULE_ID,
    priority: 1,
    action: {
      type: 'modifyHeaders',
      requestHeaders: [
        { header: 'origin', operation: 'remove' },
        { header: 'referer', operation: 'remove' },
      ],
    },
    condition: {
      urlFilter: `|${url.origin}/`,
      requestDomains: [url.hostname],
      // Only what the extension itself sends (its worker or event page), never a web page's requests.
      initiatorDomains: [extensionHost],
      tabIds: [-1],
      resourceTypes: ['xmlhttprequest', 'other'],
    },
  };
}

/** Installs (or replaces) the rule. Resolves once the browser has it. */
export async function installApiHeadersRule(
  dnr: SessionRulesApi,
  apiOrigin: string,
  extensionHost: string,
): Promise<void> {
  await dnr.updateSessionRules({
    removeRuleIds: [API_HEADERS_RULE_ID],
    addRules: [apiHeadersRule(apiOrigin, extensionHost)],
  });
}

/**
 * A fetch that waits for the rule before its first request, so no call at start-up slips out
 * with an Origin. If the browser refuses the rule, calls still go out (the rule is a precaution,
 * not a gate) and the failure is logged once.
 */
export function afterRule(fetchImpl: typeof fetch, ruleInstalled: Promise<void>): typeof fetch {
  const ready = ruleInstalled.catch((err: unknown) => {
    console.warn('Channel Desk: could not install the API header rule', err instanceof Error ? err.message : err);
  });
  return async (input, init) => {
    await ready;
    return fetchImpl(input, init);
  };
}
