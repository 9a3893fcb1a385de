import { i18n } from '#i18n';
import type { PolicyState } from '@/lib/policy/types';
import { managedProfiles } from '@/lib/policy';
import { explanationText } from '../lang';
import { ManagedMark } from './ManagedMark';
import './policy.css';

/**
 * Options: what the organisation's policy set. The profiles it defines (read-only), a warning when
 * the policy held a key (ignored, never stored or shown), and each part that was not applied, with why.
 * Nothing when there is no policy.
 */
export function PolicySection({ state }: { state: PolicyState | null }) {
  if (!state?.policy) return null;
  const keyNotes = state.notes.filter((n) => n.kind === 'key');
  const otherNotes = state.notes.filter((n) => n.kind !== 'key');
  const profiles = managedProfiles(state.policy);
  return (
    <section class="card policy-card" aria-labelledby="policy-title" data-section="policy">
      <h2 id="policy-title">{i18n.t('policy.title')}</h2>
      <p class="muted">{i18n.t('policy.intro')}</p>
      {keyNotes.length > 0 ? (
        <div class="notice warn" role="alert" data-testid="policy-key-ignored">
          <p>{i18n.t('policy.keyIgnored')}</p>
          <ul>
            {keyNotes.map((n) => (
              <li key={n.path}>
                <code>{n.path}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {otherNotes.length > 0 ? (
        <div class="notice" data-testid="policy-notes">
          <h3 class="subhead">{i18n.t('policy.notesTitle')}</h3>
          <ul>
            {otherNotes.map((n) => (
              <li key={n.path} data-policy-path={n.path} data-policy-note={n.kind}>
                {explanationText(n.explanation)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {profiles.length > 0 ? (
        <>
          <h3 class="subhead spaced" id="managed-profiles-title">
            {i18n.t('policy.profilesTitle')}
          </h3>
          <ul class="managed-profiles" aria-labelledby="managed-profiles-title" data-testid="managed-profiles">
            {profiles.map((p) => (
              <li key={p.id} class="managed-profile" data-managed="true" data-profile-id={p.id}>
                <div class="row">
                  <span
                    class="colour-swatch"
                    style={p.colour ? { background: p.colour } : undefined}
                    role="img"
                    aria-label={i18n.t('policy.profileColour', [p.colour ?? '—'])}
                    data-colour={p.colour ?? ''}
                  />
                  <strong data-testid="managed-profile-name">{p.name}</strong>
                  <ManagedMark />
                </div>
                <p class="muted">
                  {i18n.t('policy.profileChannels')}:{' '}
                  {p.channelIds.map((id) => (
                    <code key={id} data-channel-id={id} class="channel-chip">
                      {id}
                    </code>
                  ))}
                </p>
                {p.sites.length > 0 ? (
                  <p class="muted">
                    {i18n.t('policy.profileSites')}: {p.sites.map((s) => s.pattern).join(', ')}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
