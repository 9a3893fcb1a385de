import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { Component } from 'preact';
import { i18n } from '#i18n';
import { checkRowReason, type CheckRow, type JobMeta } from '@/lib/jobs/model';
import { unknownReasonText } from '@/lib/unknown-reason';
import { CHECK_RELATIONS } from '@/lib/kakao/terms';
import { RelationMark, type RelationState } from '../RelationMark';
import { channelLabel } from '../channel-label';
import { formatTime } from '../lang';
import { saveBlob, stamp } from '../download';
import type { TableFormat } from './table-export';
import { CHECK_FILTERS, filterFileTag, type CheckFilter } from '@/lib/jobs/check-filter';
import { fmt } from './JobProgress';
import { checkBatches, checkExport, filteredCheckRows, reportFileName } from './report';
import { useVirtualRows } from './useVirtualRows';

/** Batches of rows kept in memory for the unfiltered list (those around the view are read again when needed). */
const KEEP_BATCHES = 60;

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
 * unknown, in one channel or any), then the results as one scrolling list
 * (virtualised: at 100,000 rows only the rows in view, and a few around them, are
 * in the DOM; unfiltered rows are read from IndexedDB batch by batch as they come
 * into view). "Export" saves the rows the filter shows.
 */
export function CheckResults({ job, names }: { job: JobMeta; names?: Record<string, string> }) {
  const [filter, setFilter] = useState<CheckFilter>('all');
  const [channel, setChannel] = useState(-1);
  /** The rows the filter lets through; null while they are being read (or when no filter is set). */
  const [matching, setMatching] = useState<CheckRow[] | null>(null);
  const [exporting, setExporting] = useState(false);
  /** Unfiltered rows by batch, read as they come into view. */
  const batches = useRef(new Map<number, CheckRow[]>());
  const [, loaded] = useReducer((n: number) => n + 1, 0);
  const scroller = useRef<HTMLDivElement>(null);
  /** Rows the filter lets through; null while they are being read. */
  const shown = filter === 'all' ? (job.status === 'done' ? job.total : job.doneItems) : (matching?.length ?? null);
  // Sized for every ID of the job from the start: its count grows at each progress write.
  const { list, items, size } = useVirtualRows(shown ?? 0, () => scroller.current, filter === 'all' ? job.total : 0);
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;

  useEffect(() => {
    batches.current = new Map();
  }, [job.id]);

  useEffect(() => {
    if (filter === 'all') return;
    let live = true;
    void filteredCheckRows(job, filter, channel).then((rows) => live && setMatching(rows));
    return () => void (live = false);
  }, [job.id, job.doneBatches, filter, channel]);

  useEffect(() => {
    if (filter !== 'all' || last < first) return;
    const from = Math.floor(first / job.batchSize);
    const to = Math.floor(last / job.batchSize) + 1;
    const cache = batches.current;
    let missingFrom = from;
    while (missingFrom < to && cache.has(missingFrom)) missingFrom++;
    let missingTo = to;
    while (missingTo > missingFrom && cache.has(missingTo - 1)) missingTo--;
    if (missingFrom >= missingTo) return;
    let live = true;
    void checkBatches(job, missingFrom, missingTo).then((read) => {
      if (!live || batches.current !== cache) return;
      for (const [b, rows] of read) cache.set(b, rows);
      // Batches far from the view make room.
      if (cache.size > KEEP_BATCHES)
        for (const b of [...cache.keys()].sort((x, y) => Math.abs(y - from) - Math.abs(x - from)))
          if (cache.size > KEEP_BATCHES && (b < from || b >= to)) cache.delete(b);
      if (read.size > 0) loaded(0);
    });
    return () => void (live = false);
  }, [job.id, job.doneBatches, filter, first, last]);

  const rowAt = (i: number): CheckRow | undefined =>
    filter === 'all' ? batches.current.get(Math.floor(i / job.batchSize))?.[i % job.batchSize] : matching?.[i];

  function choose(next: CheckFilter, nextChannel = channel) {
    if (next === filter && nextChannel === channel) return;
    setMatching(null);
    setFilter(next);
    setChannel(nextChannel);
    list.scrollToOffset(0);
  }

  async function exportShown(format: TableFormat = 'csv') {
    setExporting(true);
    try {
      const channelId = channel >= 0 ? (job.channelIds[channel] ?? null) : null;
      saveBlob(
        await checkExport(job, filter, channel, format),
        reportFileName(job, `channel-desk-check${filterFileTag(filter, channelId)}`, stamp(job.createdAt), format),
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
        <button
          type="button"
          onClick={() => void exportShown('xlsx')}
          disabled={exporting || !shown}
          data-action="export-results-xlsx"
          data-export-filter={filter}
        >
          ⬇ {i18n.t('xlsx.exportShown')}
        </button>
      </div>
      {!shown ? (
        shown === null ? null : (
          <p class="empty">{filter === 'all' ? i18n.t('workspace.check.noRows') : i18n.t('csvio.noMatch')}</p>
        )
      ) : (
        // Focusable, so the keyboard scrolls it (arrows, Page Up/Down, Home/End).
        <div
          class="table-scroll results-scroll"
          ref={scroller}
          tabIndex={0}
          role="region"
          aria-label={i18n.t('workspace.check.results')}
          data-testid="results-scroll"
        >
          <table class="data fixed" aria-label={i18n.t('workspace.check.results')} aria-rowcount={shown + 1}>
            <thead>
              <tr aria-rowindex={1}>
                <th>{i18n.t('workspace.report.userId')}</th>
                {job.channelIds.map((c) => (
                  <th key={c}>{channelLabel(c, names)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              <Spacer height={items[0]?.start ?? 0} columns={job.channelIds.length + 1} />
              {items.map((item) => (
                <ResultRow
                  key={rowAt(item.index)?.[0] ?? `wait-${item.index}`}
                  row={rowAt(item.index)}
                  index={item.index}
                  channelIds={job.channelIds}
                  measure={list.measureElement}
                />
              ))}
              <Spacer height={size - (items.at(-1)?.end ?? 0)} columns={job.channelIds.length + 1} />
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

type RowProps = {
  row: CheckRow | undefined;
  index: number;
  channelIds: readonly string[];
  measure: (el: HTMLTableRowElement | null) => void;
};
/**
 * One row of the results (`row` undefined: not read yet). Drawn again only when
 * its row, place or channels change, not at every progress write of a running job.
 */
class ResultRow extends Component<RowProps> {
  // A progress write brings a new job (and channel list) with the same channels.
  override shouldComponentUpdate(b: RowProps) {
    const a = this.props;
    return !(
      a.row === b.row &&
      a.index === b.index &&
      a.measure === b.measure &&
      a.channelIds.length === b.channelIds.length &&
      a.channelIds.every((c, i) => c === b.channelIds[i])
    );
  }

  override render({ row, index, channelIds, measure }: RowProps) {
    if (!row)
      return (
        <tr data-index={index} ref={measure} aria-rowindex={index + 2} aria-busy="true">
          <td colSpan={channelIds.length + 1} class="muted">
            …
          </td>
        </tr>
      );
    return (
      <tr data-index={index} ref={measure} aria-rowindex={index + 2} data-kakao-user-id={row[0]}>
        <td>{row[0]}</td>
        {channelIds.map((c, i) => {
          const reason = row[1 + i * 2] === 'UNKNOWN' ? checkRowReason(row, channelIds.length, i) : undefined;
          return (
            <td key={c} data-channel-id={c} data-relation={row[1 + i * 2]} data-unknown-reason={reason}>
              <RelationMark relation={row[1 + i * 2] as RelationState} />
              {row[2 + i * 2] ? <span class="muted"> {formatTime(row[2 + i * 2])}</span> : null}
              {reason ? <div class="muted">{unknownReasonText(reason)}</div> : null}
            </td>
          );
        })}
      </tr>
    );
  }
}

/** Stands in for the rows above or below the view, so the scroll bar measures the whole list. */
function Spacer({ height, columns }: { height: number; columns: number }) {
  if (height <= 0) return null;
  return (
    <tr aria-hidden="true" class="spacer">
      <td colSpan={columns} style={{ height: `${height}px` }} />
    </tr>
  );
}
