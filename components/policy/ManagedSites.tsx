import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { BadgeSitesState } from '@/lib/messages/commands/badges';
import { call } from '../api';
import { ErrorNotice } from '../ErrorNotice';
import { ManagedMark } from './ManagedMark';
import './policy.css';

type ManagedSite = NonNullable<BadgeSitesState['managedSites']>[number];

/** The host permission a normalised site pattern needs: its scheme and host, any path. */
const originOf = (pattern: string) => pattern.replace(/^([a-z]+:\/\/[^/]+)\/.*$/, '$1/*');

/**
 * Options: the badge sites the organisation set. Read-only; each needs the browser's host access,
 * which only the manager's click can grant ("Grant access"), then the background starts its badges.
 */
export function ManagedSites({ state, onSaved }: { state: BadgeSitesState; onSaved: (s: BadgeSitesState) => void }) {
  const sites = state.managedSites ?? [];
  if (sites.length === 0) return null;
  return (
    <div data-testid="managed-sites">
      <h3 class="subhead spaced">{i18n.t('policy.sitesTitle')}</h3>
      {sites.map((site) => (
        <ManagedSiteCard key={site.pattern} site={site} onSaved={onSaved} />
      ))}
    </div>
  );
}

function ManagedSiteCard({ site, onSaved }: { site: ManagedSite; onSaved: (s: BadgeSitesState) => void }) {
  const [denied, setDenied] = useState(false);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const markId = `managed-${site.profileId}-${site.pattern.replace(/[^A-Za-z0-9]/g, '-')}`;

  async function grant() {
    setDenied(false);
    setError(null);
    // First thing in the click handler, so the browser sees the user's gesture.
    const granted = await browser.permissions.request({ origins: [originOf(site.pattern)] }).catch(() => false);
    if (!granted) return setDenied(true);
    const r = await call('addSite', { pattern: site.pattern });
    if (r.ok) onSaved(r.value);
    else setError(r.error);
  }

  return (
    <article class="card" data-site={site.pattern} data-managed="true" data-granted={String(site.granted)}>
      <div class="row between">
        <input
          type="text"
          class="grow"
          name="sitePattern"
          value={site.pattern}
          disabled
          data-managed="true"
          aria-label={site.pattern}
          aria-describedby={markId}
        />
        <ManagedMark id={markId} />
      </div>
      <p class="muted">{i18n.t('policy.siteProfile', [site.profileName])}</p>
      <p class="muted">
        {i18n.t('policy.siteRules')}:{' '}
        {site.rules.length === 0
          ? i18n.t('policy.siteDefaultRule')
          : site.rules.map((r) => (r.regex ? `${r.selector} /${r.regex}/` : r.selector)).join(', ')}
      </p>
      {site.granted ? (
        <p class="success" data-testid="managed-site-granted">
          ✓ {i18n.t('policy.siteGranted')}
        </p>
      ) : (
        <div class="row">
          <p class="muted grow">{i18n.t('policy.siteNotGranted')}</p>
          <button
            type="button"
            class="primary"
            onClick={() => void grant()}
            data-action="grant-site-access"
            aria-label={i18n.t('policy.grantAccessLabel', [site.pattern])}
          >
            {i18n.t('policy.grantAccess')}
          </button>
        </div>
      )}
      {denied ? (
        <p class="field-error" role="alert">
          {i18n.t('policy.grantDenied', [site.pattern])}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
    </article>
  );
}
