import type { browser } from 'wxt/browser';
import { publicSuffixOf } from '../../badges/public-suffix';
import { parseSitePattern, scriptIdFor } from '../../badges/sites';
import { managedSites } from '../../policy';
import { currentPolicy } from '../../policy/current';
import { badgeSitesItem, type Site } from '../../storage/badge-sites';

/*
 * The badges content script is registered only for sites the manager added,
 * after the host permission was granted from their click; the default build
 * asks for no host beyond the Kakao API.
 */

const BADGES_SCRIPT_FILE = 'content-scripts/badges.js';
const SCRIPT_ID_PREFIX = 'cd-badges-';

export interface ScriptRegistrationDeps {
  scripting: Pick<
    typeof browser.scripting,
    'getRegisteredContentScripts' | 'registerContentScripts' | 'unregisterContentScripts'
  >;
  /** Whether the extension may reach this origin pattern (granted at runtime from the user's click). */
  hasOrigin: (pattern: string) => Promise<boolean>;
}

export interface ScriptRegistration {
  /** Aligns the registered scripts with the stored sites and granted permissions. */
  sync(): Promise<void>;
}

export function createScriptRegistration(deps: ScriptRegistrationDeps): ScriptRegistration {
  // Registration changes run one after another, so two quick edits never race.
  let syncing: Promise<void> = Promise.resolve();
  function sync(): Promise<void> {
    syncing = syncing
      .catch(() => undefined)
      .then(async () => {
        // The organisation's sites too, once the manager granted their host (the grant needs their click).
        const sites: Site[] = [...managedSites((await currentPolicy()).policy), ...(await badgeSitesItem.getValue())];
        const registered = (await deps.scripting.getRegisteredContentScripts()).filter((s) =>
          s.id.startsWith(SCRIPT_ID_PREFIX),
        );
        const wanted = new Map<string, Site>();
        for (const site of sites) {
          // A permission the user took back in the browser's settings means no script there.
          // A pattern saved before the rules tightened (e.g. `*://`, `*.co.kr`, `*.myshopify.com`, a public
          // `http://` site) gets no script.
          const parsed = parseSitePattern(site.pattern, publicSuffixOf);
          if (!parsed.ok) continue;
          if (await deps.hasOrigin(parsed.origin)) wanted.set(scriptIdFor(site.pattern), site);
        }
        const stale = registered
          .filter((s) => !wanted.has(s.id) || s.matches?.[0] !== wanted.get(s.id)!.pattern)
          .map((s) => s.id);
        if (stale.length > 0) await deps.scripting.unregisterContentScripts({ ids: stale });
        const current = new Set(registered.map((s) => s.id).filter((id) => !stale.includes(id)));
        const missing = [...wanted].filter(([id]) => !current.has(id));
        if (missing.length > 0) {
          await deps.scripting.registerContentScripts(
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
  return { sync };
}
