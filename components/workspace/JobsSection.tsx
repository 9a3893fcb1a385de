import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { JobMeta } from '@/lib/jobs/model';
import { call } from '../api';
import { formatTime } from '../lang';
import { CheckResults } from './CheckResults';
import { fmt, JobProgress, jobStatus } from './JobProgress';
import { useStatus } from '../useStatus';
import { useJobs } from './useJobs';

function target(job: JobMeta): string {
  return job.kind === 'check'
    ? job.channelIds.join(', ')
    : `${job.fileName ?? job.fileId ?? ''} (${job.channelId ?? ''})`;
}

/** Job history: what ran, when, on which file, with counts; reopen any job's progress and report. */
export default function JobsSection() {
  const jobs = useJobs();
  const { status } = useStatus();
  // `#/jobs?job=<id>` opens that job (links from the API log).
  const [openId, setOpenId] = useState<string | null>(() =>
    new URLSearchParams(location.hash.split('?')[1] ?? '').get('job'),
  );
  const [concurrency, setConcurrency] = useState<number | null>(null);
  const [fileTimeout, setFileTimeout] = useState<number | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (status) {
      setConcurrency(status.settings.concurrency);
      setFileTimeout(status.settings.fileTimeoutSeconds);
    }
  }, [status]);
  const open = jobs?.find((j) => j.id === openId);

  return (
    <div data-testid="jobs-section">
      <h1>{i18n.t('workspace.jobs.title')}</h1>
      <form
        class="row center wrap"
        onSubmit={async (e) => {
          e.preventDefault();
          if (concurrency === null) return;
          const r = await call('setJobConcurrency', { concurrency });
          const t = fileTimeout === null ? r : await call('setFileTimeout', { fileTimeoutSeconds: fileTimeout });
          setSaved(r.ok && t.ok);
        }}
      >
        <label for="concurrency" class="m0">
          {i18n.t('workspace.jobs.concurrency')}
        </label>
        <input
          id="concurrency"
          name="concurrency"
          type="number"
          min={1}
          max={8}
          value={concurrency ?? ''}
          class="w80"
          onInput={(e) => (setConcurrency(Number(e.currentTarget.value)), setSaved(false))}
        />
        <label for="fileTimeoutSeconds" class="m0">
          {i18n.t('writes.fileTimeout')}
        </label>
        <input
          id="fileTimeoutSeconds"
          name="fileTimeoutSeconds"
          type="number"
          min={10}
          max={600}
          value={fileTimeout ?? ''}
          class="w80"
          onInput={(e) => (setFileTimeout(Number(e.currentTarget.value)), setSaved(false))}
        />
        <button type="submit">{i18n.t('options.save')}</button>
        {saved ? <span class="success">✓</span> : null}
      </form>
      <p class="muted">{i18n.t('workspace.jobs.concurrencyHelp')}</p>
      <p class="muted">{i18n.t('writes.fileTimeoutHelp')}</p>

      {open ? (
        <section aria-label={i18n.t('workspace.jobs.detail')}>
          <button type="button" onClick={() => setOpenId(null)} data-action="close-job">
            ← {i18n.t('workspace.jobs.back')}
          </button>
          <JobProgress job={open} />
          {open.kind === 'check' ? <CheckResults job={open} names={status?.channelNames} /> : null}
        </section>
      ) : null}

      {jobs === null ? <p class="muted">{i18n.t('common.loading')}</p> : null}
      {jobs?.length === 0 ? <p class="empty">{i18n.t('workspace.jobs.empty')}</p> : null}
      {jobs && jobs.length > 0 ? (
        <div class="table-scroll">
          <table class="data" aria-label={i18n.t('workspace.jobs.title')}>
            <thead>
              <tr>
                <th>{i18n.t('workspace.jobs.when')}</th>
                <th>{i18n.t('workspace.jobs.kind')}</th>
                <th>{i18n.t('workspace.jobs.target')}</th>
                <th>{i18n.t('workspace.jobs.status')}</th>
                <th>{i18n.t('workspace.jobs.counts')}</th>
                <th>
                  <span class="sr-only">{i18n.t('workspace.files.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr
                  key={j.id}
                  data-job-id={j.id}
                  data-status={j.status}
                  data-demo={j.backend === 'sandbox' ? 'true' : undefined}
                >
                  <td>{formatTime(new Date(j.createdAt).toISOString())}</td>
                  <td>
                    {i18n.t(`workspace.kind.${j.kind}`)}
                    {j.backend === 'sandbox' ? (
                      <>
                        {' '}
                        <span class="sandbox-tag" data-testid="demo-tag" title={i18n.t('common.sandbox')}>
                          {i18n.t('firsthour.demoTag')}
                        </span>
                      </>
                    ) : null}
                  </td>
                  <td>{target(j)}</td>
                  <td data-outcome={jobStatus(j).tone}>{jobStatus(j).label}</td>
                  <td>{i18n.t('workspace.jobs.countsValue', [fmt(j.doneItems), fmt(j.total), fmt(j.failedItems)])}</td>
                  <td class="actions">
                    <button
                      type="button"
                      onClick={() => setOpenId(j.id)}
                      data-action="open-job"
                      aria-label={
                        `${i18n.t('workspace.jobs.open')}: ` +
                        `${i18n.t(`workspace.kind.${j.kind}`)} · ${target(j)} · ` +
                        `${formatTime(new Date(j.createdAt).toISOString())}`
                      }
                    >
                      {i18n.t('workspace.jobs.open')}
                    </button>
                    {j.status !== 'running' ? (
                      <button
                        type="button"
                        onClick={() => {
                          if (confirm(i18n.t('workspace.jobs.deleteConfirm')))
                            void call('deleteJob', { jobId: j.id }).then(() => openId === j.id && setOpenId(null));
                        }}
                        data-action="delete-job"
                        aria-label={i18n.t('workspace.jobs.delete')}
                        title={i18n.t('workspace.jobs.delete')}
                      >
                        ✕
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
