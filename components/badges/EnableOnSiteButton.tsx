import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import { parseSitePattern, patternCoversOrigin } from '@/lib/badges/sites';
import { call } from '../api';
import { ErrorNotice } from '../ErrorNotice';

type View =
  | { kind: 'hidden' }
  | { kind: 'unavailable' }
  | { kind: 'ready'; tabId: number; origin: string }
  | { kind: 'on'; origin: string };

/**
 * Popup: "Enable on this site" for the active tab. Opening the popup grants
 * activeTab, which lets us read the tab's URL; the host permission itself is
 * requested from this click, then the script is registered and run in the tab.
 */
export function EnableOnSiteButton() {
  const [view, setView] = useState<View>({ kind: 'hidden' });
  const [denied, setDenied] = useState(false);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  /** Why this tab's site cannot get badges: a plain-http public site, or any other refusal. */
  const [cannotAdd, setCannotAdd] = useState<'insecure' | 'other' | null>(null);

  useEffect(() => {
    void (async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      if (!tab?.url || tab.id === undefined) return;
      const url = new URL(tab.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return setView({ kind: 'unavailable' });
      const sites = await call('listSites', {});
      if (!sites.ok) setError(sites.error);
      const on = sites.ok && sites.value.sites.some((s) => patternCoversOrigin(s.pattern, url.origin));
      setView(on ? { kind: 'on', origin: url.host } : { kind: 'ready', tabId: tab.id, origin: url.origin });
    })();
  }, []);

  async function enable() {
    if (view.kind !== 'ready') return;
    setError(null);
    setDenied(false);
    const parsed = parseSitePattern(`${view.origin}/*`);
    if (!parsed.ok) return setCannotAdd(parsed.error === 'insecure' ? 'insecure' : 'other');
    const granted = await browser.permissions.request({ origins: [parsed.origin] }).catch(() => false);
    if (!granted) return setDenied(true);
    const r = await call('addSite', { pattern: parsed.pattern });
    if (!r.ok) return setError(r.error);
    // Badges now, without a reload; the registration covers later visits.
    await browser.scripting
      .executeScript({ target: { tabId: view.tabId }, files: ['/content-scripts/badges.js'] })
      .catch(() => undefined);
    setView({ kind: 'on', origin: new URL(view.origin).host });
  }

  if (view.kind === 'hidden') return null;
  return (
    <section aria-live="polite" data-testid="enable-on-site">
      {view.kind === 'unavailable' ? <p class="muted">{i18n.t('page.enableUnavailable')}</p> : null}
      {view.kind === 'ready' ? (
        <button type="button" onClick={() => void enable()} data-action="enable-on-site">
          {i18n.t('page.enableOnSite')}
        </button>
      ) : null}
      {view.kind === 'on' ? <p class="success">✓ {i18n.t('page.enabledOnSite', [view.origin])}</p> : null}
      {denied ? (
        <p class="field-error">{i18n.t('page.permissionDenied', [view.kind === 'ready' ? view.origin : ''])}</p>
      ) : null}
      {cannotAdd ? (
        <p class="field-error" data-cannot-add={cannotAdd}>
          {cannotAdd === 'insecure' ? i18n.t('budgets.patternInsecure') : i18n.t('page.enableUnavailable')}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
    </section>
  );
}
