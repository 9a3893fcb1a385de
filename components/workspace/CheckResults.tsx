import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { CheckRow, JobMeta } from '@/lib/jobs/model';
import { RelationMark, type RelationState } from '../RelationMark';
import { channelLabel } from '../channel-label';
import { formatTime } from '../lang';
import { fmt } from './JobProgress';
import { checkRowsPage } from './report';

const PAGE = 100;

/** Summary counts per channel, then the results one page of 100 rows at a time (fast at 100,000 rows). */
export function CheckResults({ job, names }: { job: JobMeta; names?: Record<string, string> }) {
  const [page, setPage] = useState(0);
  const [rows, setRows] = useState<CheckRow[]>([]);
  const pages = Math.max(1, Math.ceil(job.doneItems / PAGE));
  const donePages = job.status === 'done' ? Math.ceil(job.total / PAGE) : pages;

  useEffect(() => {
    let live = true;
    void checkRowsPage(job, page * PAGE, PAGE).then((r) => live && setRows(r));
    return () => void (live = false);
  }, [job.id, page, job.doneBatches]);

  return (
    <div data-testid="check-results" data-demo={job.backend === 'sandbox' ? 'true' : undefined}>
      {job.backend === 'sandbox' ? (
        <p class="demo-note" data-testid="demo-results" role="note">
          <span class="sandbox-tag">{i18n.t('firsthour.demoTag')}</span> {i18n.t('firsthour.demoResults')}
        </p>
      ) : null}
      <div class="summary-grid">
        {job.channelIds.map((c) => {
          const counts = job.relations[c] ?? { ADDED: 0, BLOCKED: 0, NONE: 0, UNKNOWN: 0 };
          return (
            <div class="card summary-card" key={c} data-summary-channel={c}>
              <strong class="summary-channel">{channelLabel(c, names)}</strong>
              <ul class="counts">
                {(['ADDED', 'BLOCKED', 'NONE', 'UNKNOWN'] as const).map((r) => (
                  <li key={r} data-count-relation={r} data-count={counts[r]}>
                    <RelationMark relation={r} /> <span>{fmt(counts[r])}</span>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </div>
      {rows.length === 0 ? (
        <p class="empty">{i18n.t('workspace.check.noRows')}</p>
      ) : (
        <div class="table-scroll">
          <table class="data" aria-label={i18n.t('workspace.check.results')}>
            <thead>
              <tr>
                <th>{i18n.t('workspace.report.userId')}</th>
                {job.channelIds.map((c) => (
                  <th key={c}>{channelLabel(c, names)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row[0]} data-kakao-user-id={row[0]}>
                  <td>{row[0]}</td>
                  {job.channelIds.map((c, i) => (
                    <td key={c} data-channel-id={c} data-relation={row[1 + i * 2]}>
                      <RelationMark relation={row[1 + i * 2] as RelationState} />
                      {row[2 + i * 2] ? <span class="muted"> {formatTime(row[2 + i * 2])}</span> : null}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="row pager" aria-label={i18n.t('workspace.check.pages')} style={{ alignItems: 'center', marginTop: '8px' }}>
        <button type="button" onClick={() => setPage(0)} disabled={page === 0} aria-label={i18n.t('workspace.check.first')}>
          «
        </button>
        <button type="button" onClick={() => setPage(page - 1)} disabled={page === 0} data-action="prev-page" aria-label={i18n.t('workspace.check.prev')}>
          ‹
        </button>
        <span data-testid="page-label">{i18n.t('workspace.check.page', [fmt(page + 1), fmt(donePages)])}</span>
        <button type="button" onClick={() => setPage(page + 1)} disabled={page + 1 >= donePages} data-action="next-page" aria-label={i18n.t('workspace.check.next')}>
          ›
        </button>
        <button type="button" onClick={() => setPage(donePages - 1)} disabled={page + 1 >= donePages} aria-label={i18n.t('workspace.check.last')}>
          »
        </button>
      </nav>
    </div>
  );
}
