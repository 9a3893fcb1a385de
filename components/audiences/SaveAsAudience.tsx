import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { JobMeta } from '@/lib/jobs/model';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import { CHECK_RELATIONS } from '@/lib/kakao/terms';
import { call } from '../api';
import { channelLabel } from '../channel-label';
import { ErrorNotice } from '../ErrorNotice';
import { fmt } from '../workspace/format';
import './audiences.css';

/** A finished bulk check saved as an audience: all its IDs, or those with one relation (any channel, or one). */
export function SaveAsAudience({ job, names }: { job: JobMeta; names?: Record<string, string> }) {
  const [name, setName] = useState('');
  const [which, setWhich] = useState('all');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const [saved, setSaved] = useState<{ id: string; name: string; count: number } | null>(null);
  if (job.kind !== 'check' || job.status !== 'done' || job.audienceId) return null;

  async function save(e: Event) {
    e.preventDefault();
    const [relation, channelId] = which.split('|') as [(typeof CHECK_RELATIONS)[number] | 'all', string | undefined];
    setBusy(true);
    setError(null);
    const r = await call('createAudienceFromJob', {
      name: name.trim() || i18n.t('audiences.defaultName', [new Date(job.createdAt).toLocaleDateString()]),
      jobId: job.id,
      relation,
      ...(channelId ? { channelId } : {}),
    });
    setBusy(false);
    if (r.ok) setSaved({ id: r.value.id, name: r.value.name, count: r.value.count });
    else setError(r.error);
  }

  return (
    <form class="card mt10 aud-form" onSubmit={(e) => void save(e)} aria-labelledby="save-audience-title">
      <h2 id="save-audience-title" class="w100">
        {i18n.t('audiences.saveTitle')}
      </h2>
      <label>
        {i18n.t('audiences.name')}
        <input
          type="text"
          name="audienceName"
          value={name}
          maxLength={60}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </label>
      <label>
        {i18n.t('audiences.saveWhich')}
        <select name="audienceRelation" value={which} onChange={(e) => setWhich(e.currentTarget.value)}>
          <option value="all">{i18n.t('audiences.saveAll')}</option>
          {CHECK_RELATIONS.map((r) => (
            <option key={r} value={r}>
              {i18n.t('audiences.saveRelation', [i18n.t(`relation.${r}`)])}
            </option>
          ))}
          {job.channelIds.length > 1
            ? job.channelIds.flatMap((c) =>
                CHECK_RELATIONS.map((r) => (
                  <option key={`${r}|${c}`} value={`${r}|${c}`}>
                    {i18n.t('audiences.saveRelationIn', [i18n.t(`relation.${r}`), channelLabel(c, names)])}
                  </option>
                )),
              )
            : null}
        </select>
      </label>
      <button type="submit" disabled={busy} data-action="save-audience">
        {i18n.t('audiences.save')}
      </button>
      {error ? <ErrorNotice error={error} /> : null}
      {saved ? (
        <p role="status" class="w100" data-testid="audience-saved" data-audience-id={saved.id} data-count={saved.count}>
          {i18n.t('audiences.saved', [saved.name, fmt(saved.count)])}{' '}
          <a href={`#/audiences?id=${saved.id}`} data-action="open-audience">
            {i18n.t('audiences.openSaved')}
          </a>
        </p>
      ) : null}
    </form>
  );
}
