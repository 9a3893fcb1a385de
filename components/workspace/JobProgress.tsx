import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import { ratePerSecond, remaining, type JobMeta } from '@/lib/jobs/model';
import { call } from '../api';
import { ErrorNotice } from '../ErrorNotice';
import { uiLang } from '@/lib/ui-lang';
import { useTicker } from './useJobs';
import { saveBlob, stamp } from '../download';
import { checkExport, fileJobReport, reportFileName } from './report';

const nf = () => new Intl.NumberFormat(uiLang() === 'ko' ? 'ko-KR' : 'en-US');
export const fmt = (n: number) => nf().format(n);

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return i18n.t('workspace.time.seconds', [String(s)]);
  const m = Math.floor(s / 60);
  if (m < 60) return i18n.t('workspace.time.minutes', [String(m), String(s % 60)]);
  return i18n.t('workspace.time.hours', [String(Math.floor(m / 60)), String(m % 60)]);
}

export function statusLabel(status: JobMeta['status']): string {
  return i18n.t(`workspace.status.${status}`);
}

/** A job's live progress: bar, counts, rate, time left, and its controls. */
export function JobProgress({ job }: { job: JobMeta }) {
  const now = useTicker(job.status === 'running');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const [reportRows, setReportRows] = useState<number | null>(null);
  const percent = job.total > 0 ? Math.floor((job.doneItems / job.total) * 100) : 0;
  const rate = ratePerSecond(job, now);
  const left = remaining(job);

  async function act(name: 'pauseJob' | 'startJob' | 'cancelJob') {
    setBusy(true);
    const r = await call(name, { jobId: job.id });
    setBusy(false);
    setError(r.ok ? null : r.error);
  }

  async function download() {
    if (job.kind === 'check') return saveBlob(await checkExport(job), reportFileName(job, 'channel-desk-check', stamp(job.createdAt)));
    const { blob, rows } = await fileJobReport(job);
    setReportRows(rows);
    saveBlob(blob, reportFileName(job, `channel-desk-${job.kind}-report`, stamp(job.createdAt)));
  }

  return (
    <section class="card job" data-testid="job-progress" data-job-id={job.id} data-status={job.status} data-done={job.doneItems} data-total={job.total}>
      <div class="row" style={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <strong>
          {i18n.t(`workspace.kind.${job.kind}`)}
          {job.fileName ? ` · ${job.fileName}` : ''}
          {job.backend === 'sandbox' ? (
            <>
              {' '}
              <span class="sandbox-tag" data-testid="demo-tag">
                {i18n.t('firsthour.demoTag')}
              </span>
            </>
          ) : null}
        </strong>
        <span class={`status status-${job.status}`}>{statusLabel(job.status)}</span>
      </div>
      <div
        class="progress"
        role="progressbar"
        aria-label={i18n.t('workspace.progress.label')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        style={{ margin: '8px 0' }}
      >
        <span style={{ width: `${percent}%` }} />
      </div>
      <p aria-live="polite" data-testid="job-counts">
        {i18n.t('workspace.progress.counts', [fmt(job.doneItems), fmt(job.total), String(percent)])} ·{' '}
        {i18n.t('workspace.progress.failed', [fmt(job.failedItems)])} · {i18n.t('workspace.progress.remaining', [fmt(left)])}
      </p>
      {job.status === 'running' ? (
        <p class="muted">
          {rate ? i18n.t('workspace.progress.rate', [fmt(Math.round(rate))]) : i18n.t('workspace.progress.measuring')}
          {rate && left > 0 ? ` · ${i18n.t('workspace.progress.timeLeft', [formatDuration(left / rate)])}` : ''}
        </p>
      ) : null}
      {job.status === 'paused' && job.pause ? (
        <>
          <p>{i18n.t('workspace.progress.pausedBecause')}</p>
          <ErrorNotice error={job.pause} />
        </>
      ) : null}
      {job.status === 'done' && job.kind !== 'check' ? (
        <p class="success" data-testid="kakao-counts">
          ✓ {i18n.t('workspace.progress.kakaoCounts', [fmt(job.requestCount), fmt(job.successCount)])}
        </p>
      ) : null}
      {job.rejected > 0 ? <p class="muted">{i18n.t('workspace.progress.rejected', [fmt(job.rejected)])}</p> : null}
      <p class="muted">{i18n.t('workspace.progress.calls', [fmt(job.apiCalls), fmt(job.retries)])}</p>
      {error ? <ErrorNotice error={error} /> : null}
      <div class="row">
        {job.status === 'running' ? (
          <button type="button" onClick={() => act('pauseJob')} disabled={busy} data-action="pause-job">
            ⏸ {i18n.t('workspace.progress.pause')}
          </button>
        ) : null}
        {job.status === 'paused' ? (
          <button type="button" class="primary" onClick={() => act('startJob')} disabled={busy} data-action="resume-job">
            ▶ {i18n.t('workspace.progress.resume')}
          </button>
        ) : null}
        {job.status === 'running' || job.status === 'paused' ? (
          <button type="button" onClick={() => act('cancelJob')} disabled={busy} data-action="cancel-job">
            ✕ {i18n.t('workspace.progress.cancel')}
          </button>
        ) : null}
        {job.status !== 'draft' ? (
          <button type="button" onClick={() => void download()} data-action="download-report">
            ⬇ {job.kind === 'check' ? i18n.t('workspace.progress.exportCsv') : i18n.t('workspace.progress.report')}
          </button>
        ) : null}
      </div>
      {reportRows !== null ? <p class="muted">{i18n.t('workspace.progress.reportRows', [fmt(reportRows)])}</p> : null}
    </section>
  );
}
