import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { ErrorNotice } from '../ErrorNotice';
import { useStatus } from '../useStatus';
import { fmt } from '../workspace/format';
import { AudienceDetail } from './AudienceDetail';
import { AudienceOrigin } from './AudienceOrigin';
import { NewAudience } from './NewAudience';
import { useAudiences, when } from './data';
import './audiences.css';

const audienceIdOf = () => new URLSearchParams(location.hash.split('?')[1] ?? '').get('id');

/** Audiences (대상 목록): the list and a new audience, or one audience (#/audiences?id=…). */
export default function AudiencesSection() {
  const { status, error } = useStatus();
  const audiences = useAudiences();
  const [openId, setOpenId] = useState<string | null>(audienceIdOf);
  useEffect(() => {
    const onHash = () => setOpenId(audienceIdOf());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  if (error) return <ErrorNotice error={error} />;
  if (!audiences || !status) return <p class="muted">{i18n.t('common.loading')}</p>;
  const open = openId ? audiences.find((a) => a.id === openId) : undefined;

  return (
    <div data-testid="audiences-section">
      <h1>{i18n.t('audiences.title')}</h1>
      {open ? (
        <AudienceDetail audience={open} status={status} />
      ) : (
        <>
          <p class="muted">{i18n.t('audiences.help')}</p>
          <section class="card" aria-label={i18n.t('audiences.listLabel')}>
            {audiences.length === 0 ? (
              <p class="muted" data-testid="audiences-empty">
                {i18n.t('audiences.empty')}
              </p>
            ) : (
              <ul class="aud-list" data-testid="audience-list">
                {audiences.map((a) => (
                  <li key={a.id} data-audience-id={a.id}>
                    <a href={`#/audiences?id=${a.id}`} data-action="open-audience">
                      <strong>{a.name}</strong>
                    </a>
                    <span class="muted"> · {i18n.t('audiences.ids', [fmt(a.count)])}</span>
                    <span class="muted">
                      {' · '}
                      {i18n.t('audiences.lastRun', [a.lastRunAt ? when(a.lastRunAt) : i18n.t('audiences.never')])}
                    </span>
                    <br />
                    <AudienceOrigin audience={a} status={status} />
                  </li>
                ))}
              </ul>
            )}
          </section>
          <NewAudience />
        </>
      )}
    </div>
  );
}
