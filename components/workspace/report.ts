import { i18n } from '#i18n';
import { rowMatches, type CheckFilter, type FilterChannel } from '@/lib/jobs/check-filter';
import { asText, checkExportTable, type CsvValue } from '@/lib/csv/export';
import { tableBlob, type TableFormat } from './table-export';
import { describeRowError, errorsFirst, rowLabel, type RowError } from '@/lib/csv/validate';
import type { FileUser } from '@/lib/kakao/client';
import { checkRowReason, outcomeOf, type CheckRow, type JobMeta } from '@/lib/jobs/model';
import { unknownReasonText } from '@/lib/unknown-reason';
import { isCheckRelation } from '@/lib/kakao/terms';
import { jobReader as store } from '@/lib/jobs/reader';
import { uiLang } from '@/lib/ui-lang';

/*
 * A job's downloadable report, built in the page from the job's IndexedDB data.
 * Uploads and deletions: every row not accepted and why — rejected by the dry
 * run (with row, column and value), in a batch where Kakao accepted fewer users
 * than sent (Kakao does not say which ones), in a batch whose answer was lost
 * (uncertain) or carried no counts, or never sent (cancelled).
 * Bulk checks: every checked ID (or the filtered ones) with each channel's
 * relation word, relation_code and change time (see lib/csv/export.ts), and a
 * note column saying why a relation is UNKNOWN when some row has a reason.
 */

/** The result rows of a check job's batches [from, to) that are confirmed, by batch. */
export async function checkBatches(job: JobMeta, from: number, to: number): Promise<Map<number, CheckRow[]>> {
  const results = await store.resultRange(job.id, from, to);
  const rows = new Map<number, CheckRow[]>();
  for (const [b, r] of results) if (r.rows) rows.set(b, r.rows);
  return rows;
}

/** How many batches the filter reads from IndexedDB at a time. */
const SCAN_BATCHES = 50;

/** Rows of a check job that pass a filter, read range by range (never into the DOM). */
async function* checkRows(job: JobMeta, filter: CheckFilter, channel: FilterChannel): AsyncGenerator<CheckRow[]> {
  for (let from = 0; from < job.batches; from += SCAN_BATCHES) {
    const to = Math.min(job.batches, from + SCAN_BATCHES);
    const results = await store.resultRange(job.id, from, to);
    for (let b = from; b < to; b++) {
      const rows = results.get(b)?.rows ?? [];
      yield filter === 'all' ? rows : rows.filter((r) => rowMatches(r, filter, channel, job.channelIds.length));
    }
  }
}

let filterCache: { key: string; rows: CheckRow[] } | null = null;

/**
 * The rows of a check job that pass a filter. The matching rows (not DOM
 * nodes) are kept for the last filter, so scrolling through them is instant;
 * a new confirmed batch or another filter reads them again.
 */
export async function filteredCheckRows(
  job: JobMeta,
  filter: CheckFilter,
  channel: FilterChannel,
): Promise<CheckRow[]> {
  const key = `${job.id}|${job.doneBatches}|${filter}|${channel}`;
  if (filterCache?.key === key) return filterCache.rows;
  const rows: CheckRow[] = [];
  for await (const part of checkRows(job, filter, channel)) for (const r of part) rows.push(r);
  filterCache = { key, rows };
  return rows;
}

/** A sandbox job's files end in `-demo.csv` (`-demo.xlsx`): demo data is never mistaken for Kakao's. */
export function reportFileName(job: JobMeta, base: string, stamped: string, format: TableFormat = 'csv'): string {
  return `${base}-${stamped}${job.backend === 'sandbox' ? '-demo' : ''}.${format}`;
}

export async function checkExport(
  job: JobMeta,
  filter: CheckFilter = 'all',
  channel: FilterChannel = -1,
  format: TableFormat = 'csv',
): Promise<Blob> {
  const all: CheckRow[][] = [];
  for await (const part of checkRows(job, filter, channel)) all.push(part);
  const flat = function* () {
    for (const part of all) yield* part;
  };
  const table = checkExportTable(job.channelIds, flat(), {
    userId: i18n.t('workspace.report.userId'),
    relation: (code) => (isCheckRelation(code) ? i18n.t(`relation.${code}`) : code),
    relationHeader: (c) => c,
    codeHeader: (c) => `${c} relation_code`,
    changedAtHeader: (c) => i18n.t('workspace.report.changedAt', [c]),
  });
  const n = job.channelIds.length;
  // A "Note" column only when some relation is UNKNOWN for a known reason (spec-shaped reports are unchanged).
  const withNotes = all.some((part) => part.some((row) => row.length > 1 + n * 2));
  // Demo data says so on every row, in a last column, so a copied row or a sorted sheet still shows it.
  const demo = job.backend === 'sandbox';
  const header = [
    ...table.header,
    ...(withNotes ? [i18n.t('tolerant.reasonColumn')] : []),
    ...(demo ? [i18n.t('firsthour.demoColumn')] : []),
  ];
  const demoCell = i18n.t('firsthour.demoCell');
  const noteOf = (row: CheckRow) =>
    job.channelIds
      .flatMap((c, i) => {
        const reason = checkRowReason(row, n, i);
        return reason ? [`${c}: ${unknownReasonText(reason)}`] : [];
      })
      .join(' / ');
  const source = flat();
  const rows = (function* () {
    for (const cells of table.rows) {
      const row = source.next().value as CheckRow;
      yield [...cells, ...(withNotes ? [noteOf(row)] : []), ...(demo ? [demoCell] : [])];
    }
  })();
  return tableBlob(format, header, rows, i18n.t('xlsx.sheetResults'));
}

export async function fileJobReport(job: JobMeta, format: TableFormat = 'csv'): Promise<{ blob: Blob; rows: number }> {
  const lang = uiLang();
  const rows: CsvValue[][] = [];
  for (const e of errorsFirst(await store.rejected(job.id)))
    rows.push([rowLabel(e, lang), e.column, asText(e.value), describeRowError(e as RowError, lang)]);
  const results = await store.results(job.id);
  for (let b = 0; b < job.batches; b++) {
    const result = results.get(b);
    const outcome = result ? outcomeOf(result) : undefined;
    if (result && outcome === 'applied' && result.successCount >= result.requestCount) continue;
    const items = await store.getItems<FileUser | string>(job.id, b);
    const reason = !result
      ? i18n.t('workspace.report.notSent')
      : outcome === 'uncertain'
        ? i18n.t('writes.reportUncertain', [String(b + 1)])
        : outcome === 'no-counts'
          ? i18n.t('writes.reportNoCounts', [String(b + 1)])
          : i18n.t('workspace.report.partialBatch', [
              String(b + 1),
              String(result.successCount),
              String(result.requestCount),
            ]);
    for (const item of items) rows.push(['', 'ID', asText(typeof item === 'string' ? item : item.id), reason]);
  }
  const header = [
    i18n.t('workspace.report.row'),
    i18n.t('workspace.report.column'),
    i18n.t('workspace.report.value'),
    i18n.t('workspace.report.reason'),
  ];
  if (job.backend === 'sandbox') {
    header.push(i18n.t('firsthour.demoColumn'));
    for (const row of rows) row.push(i18n.t('firsthour.demoCell'));
  }
  return { blob: await tableBlob(format, header, rows, i18n.t('xlsx.sheetReport')), rows: rows.length };
}
