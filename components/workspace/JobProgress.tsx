import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import { isPartial, ratePerSecond, remaining, type JobMeta } from '@/lib/jobs/model';
import { call } from '../api';
import { ErrorNotice } from '../ErrorNotice';
import { useTicker } from './useJobs';
import { saveBlob, stamp } from '../download';
import type { TableFormat } from './table-export';
import { checkExport, fileJobReport, reportFileName } from './report';
import { ConfirmDialog } from './ConfirmDialog';
import { jobCounts, RowCountsLine } from './RowCounts';
import { fmt } from './format';

// fmt lives in ./format so RowCounts can use it without importing this file (an import cycle).
export { fmt } from './format';

function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return i18n.t('workspace.time.seconds', [String(s)]);
  const m = Math.floor(s / 60);
  if (m < 60) return i18n.t('workspace.time.minutes', [String(m), String(s % 60)]);
  return i18n.t('workspace.time.hours', [String(Math.floor(m / 60)), String(m % 60)]);
}

function statusLabel(status: JobMeta['status']): string {
  return i18n.t(`workspace.status.${status}`);
}

/** A job's status as a manager reads it: a file job that finished with exceptions is not plain "Done". */
export function jobStatus(job: JobMeta): { label: string; tone: string } {
  if (job.status === 'done' && isPartial(job)) return { label: i18n.t('writes.partial'), tone: 'partial' };
  return { label: statusLabel(job.status), tone: job.status };
}

/** The usual reasons Kakao applies fewer users than sent. */
function UsualCauses() {
  return (
    <>
      <p>{i18n.t('writes.causesTitle')}</p>
      <ul>
        <li>{i18n.t('writes.causeUserType')}</li>
        <li>{i18n.t('writes.causePhone')}</li>
        <li>{i18n.t('writes.causeFields')}</li>
        <li>{i18n.t('writes.causeNotAppUsers')}</li>
      </ul>
    </>
  );
}

/** What Kakao did with a file job's users, said plainly: applied, not applied, no counts, uncertain. */
function FileOutcome({ job }: { job: JobMeta }) {
  const reconcile = job.status === 'paused' ? job.reconcile : undefined;
  const partial = isPartial(job);
  if (!reconcile && job.status !== 'done' && job.status !== 'paused' && job.status !== 'cancelled') return null;
  if (!reconcile && !partial && job.status !== 'done') return null;
  return (
    <div
      class={partial || reconcile ? 'job-outcome' : ''}
      data-testid="job-outcome"
      data-partial={partial ? 'true' : 'false'}
    >
      {reconcile ? (
        <div data-testid="reconcile">
          <p>
            <strong>
              {i18n.t('writes.reconcileTitle', [
                fmt(reconcile.batch + 1),
                fmt(reconcile.successCount),
                fmt(reconcile.requestCount),
              ])}
            </strong>
          </p>
          {/* The short batch was the last one: there is no "rest" to send. */}
          <p>{job.doneBatches >= job.batches ? i18n.t('review.reconcileHelpLast') : i18n.t('writes.reconcileHelp')}</p>
          {reconcile.sample.length > 0 ? (
            <p>
              {i18n.t('writes.sampleTitle')} <span class="sample-ids">{reconcile.sample.join(', ')}</span>
            </p>
          ) : null}
          <UsualCauses />
        </div>
      ) : null}
      {job.requestCount > 0 || (job.status === 'done' && job.noCountItems === 0 && job.uncertainItems === 0) ? (
        <p class={partial ? '' : 'success'} data-testid="kakao-counts">
          {partial ? '' : '✓ '}
          {i18n.t('workspace.progress.kakaoCounts', [fmt(job.requestCount), fmt(job.successCount)])}
        </p>
      ) : null}
      {job.failedItems > 0 && !reconcile ? (
        <>
          <p data-testid="not-applied">{i18n.t('writes.notApplied', [fmt(job.failedItems)])}</p>
          <UsualCauses />
        </>
      ) : null}
      {job.noCountItems > 0 ? (
        <p data-testid="no-counts">{i18n.t('writes.noCounts', [fmt(job.noCountItems), fmt(job.noCountBatches)])}</p>
      ) : null}
      {job.uncertainItems > 0 ? (
        <p data-testid="uncertain">
          {i18n.t('writes.uncertain', [fmt(job.uncertainItems), fmt(job.uncertainBatches)])}{' '}
          {job.status === 'paused'
            ? job.kind === 'upload'
              ? i18n.t('writes.uncertainUpload')
              : i18n.t('writes.uncertainDelete')
            : job.kind === 'delete'
              ? i18n.t('writes.uncertainKept')
              : ''}
        </p>
      ) : null}
    </div>
  );
}

/** A job's live progress: bar, counts, rate, time left, and its controls. */
export function JobProgress({ job }: { job: JobMeta }) {
  const now = useTicker(job.status === 'running');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const [reportRows, setReportRows] = useState<number | null>(null);
  const [asking, setAsking] = useState<'cancel' | 'resend' | null>(null);
  const percent = job.total > 0 ? Math.floor((job.doneItems / job.total) * 100) : 0;
  const rate = ratePerSecond(job, now);
  const left = remaining(job);

  async function act(name: 'pauseJob' | 'startJob' | 'cancelJob', resendUncertain?: boolean) {
    setAsking(null);
    setBusy(true);
    const r = await call(
      name,
      name === 'startJob' && resendUncertain !== undefined ? { jobId: job.id, resendUncertain } : { jobId: job.id },
    );
    setBusy(false);
    setError(r.ok ? null : r.error);
  }
  /** A delete with uncertain batches asks before anything is sent again. */
  const resume = () => (job.kind === 'delete' && job.uncertainBatches > 0 ? setAsking('resend') : void act('startJob'));
  const shown = jobStatus(job);
  const notSent = Math.max(0, job.total - job.doneItems);

  async function download(format: TableFormat = 'csv') {
    if (job.kind === 'check')
      return saveBlob(
        await checkExport(job, 'all', -1, format),
        reportFileName(job, 'channel-desk-check', stamp(job.createdAt), format),
      );
    const { blob, rows } = await fileJobReport(job, format);
    setReportRows(rows);
    saveBlob(blob, reportFileName(job, `channel-desk-${job.kind}-report`, stamp(job.createdAt), format));
  }

  return (
    <section
      class="card job"
      data-testid="job-progress"
      data-job-id={job.id}
      data-status={job.status}
      data-outcome={shown.tone}
      data-done={job.doneItems}
      data-total={job.total}
      data-uncertain={job.uncertainItems}
      data-no-counts={job.noCountItems}
    >
      <div class="row between">
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
        <span class={`status status-${shown.tone}`}>{shown.label}</span>
      </div>
      <div
        class="progress my8"
        role="progressbar"
        aria-label={i18n.t('workspace.progress.label')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        {/* The one dynamic value: the bar's width. */}
        <span style={{ width: `${percent}%` }} />
      </div>
      <p aria-live="polite" data-testid="job-counts">
        {i18n.t('workspace.progress.counts', [fmt(job.doneItems), fmt(job.total), String(percent)])} ·{' '}
        {i18n.t('workspace.progress.failed', [fmt(job.failedItems)])} ·{' '}
        {i18n.t('workspace.progress.remaining', [fmt(left)])}
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
      {job.kind !== 'check' ? <FileOutcome job={job} /> : null}
      {job.errorRows + job.duplicates > 0 ? (
        <RowCountsLine counts={jobCounts(job)} />
      ) : job.rejected > 0 ? (
        <p class="muted">{i18n.t('workspace.progress.rejected', [fmt(job.rejected)])}</p>
      ) : null}
      <p class="muted">{i18n.t('workspace.progress.calls', [fmt(job.apiCalls), fmt(job.retries)])}</p>
      {error ? <ErrorNotice error={error} /> : null}
      <div class="row job-controls">
        {job.status === 'running' ? (
          <button type="button" onClick={() => act('pauseJob')} disabled={busy} data-action="pause-job">
            ⏸ {i18n.t('workspace.progress.pause')}
          </button>
        ) : null}
        {job.status === 'paused' ? (
          <button type="button" class="primary" onClick={resume} disabled={busy} data-action="resume-job">
            ▶ {i18n.t('workspace.progress.resume')}
          </button>
        ) : null}
        {job.status !== 'draft' ? (
          <>
            <button type="button" onClick={() => void download()} data-action="download-report">
              ⬇ {job.kind === 'check' ? i18n.t('workspace.progress.exportCsv') : i18n.t('workspace.progress.report')}
            </button>
            <button type="button" onClick={() => void download('xlsx')} data-action="download-report-xlsx">
              ⬇ {job.kind === 'check' ? i18n.t('xlsx.exportXlsx') : i18n.t('xlsx.reportXlsx')}
            </button>
          </>
        ) : null}
        {job.status === 'running' || job.status === 'paused' ? (
          // At the other end from Resume/Pause, and it asks first: cancelling cannot be undone.
          <button
            type="button"
            class="danger end"
            onClick={() => setAsking('cancel')}
            disabled={busy}
            data-action="cancel-job"
          >
            ✕ {i18n.t('workspace.progress.cancel')}
          </button>
        ) : null}
      </div>
      {asking === 'cancel' ? (
        <ConfirmDialog
          title={i18n.t('writes.cancelTitle')}
          dismissLabel={i18n.t('writes.keepJob')}
          onDismiss={() => setAsking(null)}
          choices={[
            {
              label: i18n.t('writes.cancelConfirm'),
              action: 'confirm-cancel',
              tone: 'danger',
              onChoose: () => void act('cancelJob'),
            },
          ]}
        >
          <p>{i18n.t('writes.cancelBody', [fmt(notSent), fmt(job.total)])}</p>
          {job.fileName ? <p>{i18n.t('writes.cancelFile', [job.fileName])}</p> : null}
        </ConfirmDialog>
      ) : null}
      {asking === 'resend' ? (
        <ConfirmDialog
          title={i18n.t('writes.resendTitle')}
          dismissLabel={i18n.t('writes.back')}
          onDismiss={() => setAsking(null)}
          choices={[
            {
              label: i18n.t('writes.keepUncertain'),
              action: 'keep-uncertain',
              onChoose: () => void act('startJob', false),
            },
            {
              label: i18n.t('writes.resend'),
              action: 'resend-uncertain',
              tone: 'danger',
              onChoose: () => void act('startJob', true),
            },
          ]}
        >
          <p>{i18n.t('writes.resendBody', [fmt(job.uncertainItems), fmt(job.uncertainBatches)])}</p>
          {job.fileName ? <p>{i18n.t('writes.cancelFile', [job.fileName])}</p> : null}
        </ConfirmDialog>
      ) : null}
      {reportRows !== null ? <p class="muted">{i18n.t('workspace.progress.reportRows', [fmt(reportRows)])}</p> : null}
    </section>
  );
}
