import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { checkRowReason, type CheckRow, type JobMeta } from '@/lib/jobs/model';
import { unknownReasonText } from '@/lib/unknown-reason';
import { CHECK_RELATIONS } from '@/lib/kakao/terms';
import { RelationMark, type RelationState } from '../RelationMark';
import { channelLabel } from '../channel-label';
import { formatTime } from '../lang';
import { saveBlob, stamp } from '../download';
import { CHECK_FILTERS, filterFileTag, type CheckFilter } from '@/lib/jobs/check-filter';
import { fmt } from './JobProgress';
import { Pager } from './Pager';
import { checkExport, checkRowsPage, filteredCheckRows, reportFileName } from './report';

const PAGE = 100;

const FILTER_LABEL: Record<
  CheckFilter,
  'csvio.filterAll' | 'csvio.filterADDED' | 'csvio.filterBLOCKED' | 'csvio.filterNONE' | 'csvio.filterUNKNOWN'
> = {
  all: 'csvio.filterAll',
  ADDED: 'csvio.filterADDED',
  BLOCKED: 'csvio.filterBLOCKED',
  NONE: 'csvio.filterNONE',
  UNKNOWN: 'csvio.filterUNKNOWN',
};

/**
 * Summary counts per channel, a filter (all / friends / blocked / not added /
 * unknown, in one channel or any), then the results one page of 100 rows at a
 * time (fast at 100,000 rows: only one page is ever in the DOM). "Export" saves
 * the rows the filter shows.
 */
export function CheckResults({ job, names }: { job: JobMeta; names?: Record<string, string> }) {
  const [page, setPage] = useState(0);
  const [rows, setRows] = useState<CheckRow[]>([]);
  const [filter, setFilter] = useState<CheckFilter>('all');
  const [channel, setChannel] = useState(-1);
  const [matched, setMatched] = useState<number | null>(null);
  const [exporting, setExporting] = useState(false);
  /** Rows the filter lets through; null while they are being read. */
  const shown = filter === 'all' ? job.doneItems : matched;
  const pages = Math.max(1, Math.ceil((shown ?? 0) / PAGE));
  const donePages = filter === 'all' && job.status === 'done' ? Math.max(1, Math.ceil(job.total / PAGE)) : pages;

  useEffect(() => {
    let live = true;
    if (filter === 'all') {
      setMatched(null);
      void checkRowsPage(job, page * PAGE, PAGE).then((r) => live && setRows(r));
    } else {
      void filteredCheckRows(job, filter, channel).then((all) => {
        if (!live) return;
        setMatched(all.length);
        setRows(all.slice(page * PAGE, page * PAGE + PAGE));
      });
    }
    return () => void (live = false);
  }, [job.id, page, job.doneBatches, filter, channel]);

  function choose(next: CheckFilter, nextChannel = channel) {
    if (next === filter && nextChannel === channel) return;
    setRows([]);
    setMatched(null);
    setFilter(next);
    setChannel(nextChannel);
    setPage(0);
  }

  async function exportShown() {
    setExporting(true);
    try {
      const channelId = channel >= 0 ? (job.channelIds[channel] ?? null) : null;
      saveBlob(
        await checkExport(job, filter, channel),
        reportFileName(job, `channel-desk-check${filterFileTag(filter, channelId)}`, stamp(job.createdAt)),
      );
    } finally {
      setExporting(false);
    }
  }

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
                {CHECK_RELATIONS.map((r) => (
                  <li key={r} data-count-relation={r} data-count={counts[r]}>
                    <RelationMark relation={r} /> <span>{fmt(counts[r])}</span>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </div>
      <div class="row check-filter center my8" role="group" aria-label={i18n.t('csvio.filterLabel')}>
        {CHECK_FILTERS.map((f) => (
          <button
            type="button"
            key={f}
            data-action="filter-results"
            data-filter={f}
            aria-pressed={filter === f}
            class={filter === f ? 'primary' : undefined}
            onClick={() => choose(f)}
          >
            {i18n.t(FILTER_LABEL[f])}
          </button>
        ))}
        {job.channelIds.length > 1 ? (
          <label class="inline m0">
            {i18n.t('csvio.filterChannel')}{' '}
            <select
              name="filterChannel"
              value={channel}
              onChange={(e) => choose(filter, Number(e.currentTarget.value))}
              class="w-auto"
            >
              <option value={-1}>{i18n.t('csvio.anyChannel')}</option>
              {job.channelIds.map((c, i) => (
                <option key={c} value={i}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <span
          class="muted"
          data-testid="filter-count"
          data-count={shown ?? undefined}
          aria-live="polite"
          aria-busy={shown === null}
        >
          {shown === null ? i18n.t('csvio.filtering') : i18n.t('csvio.filterCount', [fmt(shown), fmt(job.doneItems)])}
        </span>
        <button
          type="button"
          onClick={() => void exportShown()}
          disabled={exporting || !shown}
          data-action="export-results"
          data-export-filter={filter}
        >
          ⬇ {i18n.t('csvio.exportShown')}
        </button>
      </div>
      {rows.length === 0 ? (
        shown === null ? null : (
          <p class="empty">{filter === 'all' ? i18n.t('workspace.check.noRows') : i18n.t('csvio.noMatch')}</p>
        )
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
                  {job.channelIds.map((c, i) => {
                    const reason =
                      row[1 + i * 2] === 'UNKNOWN' ? checkRowReason(row, job.channelIds.length, i) : undefined;
                    return (
                      <td key={c} data-channel-id={c} data-relation={row[1 + i * 2]} data-unknown-reason={reason}>
                        <RelationMark relation={row[1 + i * 2] as RelationState} />
                        {row[2 + i * 2] ? <span class="muted"> {formatTime(row[2 + i * 2])}</span> : null}
                        {reason ? <div class="muted">{unknownReasonText(reason)}</div> : null}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pages={donePages} setPage={setPage} ends class="mt8" />
    </div>
  );
}
