import { i18n } from '#i18n';
import { csvBlob } from '@/lib/csv/export';
import { describeRowError, type RowError } from '@/lib/csv/validate';
import type { FileUser } from '@/lib/kakao/client';
import type { CheckRow, JobMeta } from '@/lib/jobs/model';
import { createJobStore } from '@/lib/jobs/store';
import { uiLang } from '@/lib/ui-lang';

/*
 * A job's downloadable report, built in the page from the job's IndexedDB data.
 * Uploads and deletions: every row not accepted and why — rejected by the dry
 * run (with row, column and value), in a batch where Kakao accepted fewer users
 * than sent (Kakao does not say which ones), or never sent (cancelled).
 * Bulk checks: every checked ID with each channel's relation and change time.
 */

const store = createJobStore();

export async function checkRowsPage(job: JobMeta, from: number, count: number): Promise<CheckRow[]> {
  const first = Math.floor(from / job.batchSize);
  const last = Math.floor((from + count - 1) / job.batchSize);
  const results = await store.resultRange(job.id, first, last + 1);
  const rows: CheckRow[] = [];
  for (let b = first; b <= last; b++) rows.push(...(results.get(b)?.rows ?? []));
  const offset = from - first * job.batchSize;
  return rows.slice(offset, offset + count);
}

/** A sandbox job's files end in `-demo.csv`: demo data is never mistaken for Kakao's. */
export function reportFileName(job: JobMeta, base: string, stamped: string): string {
  return `${base}-${stamped}${job.backend === 'sandbox' ? '-demo' : ''}.csv`;
}

export async function checkExport(job: JobMeta): Promise<Blob> {
  const results = await store.results(job.id);
  const demo = job.backend === 'sandbox';
  const header = [i18n.t('workspace.report.userId'), ...job.channelIds.flatMap((c) => [c, i18n.t('workspace.report.changedAt', [c])])];
  // Demo data says so on every row, in a last column, so a copied row or a sorted sheet still shows it.
  if (demo) header.push(i18n.t('firsthour.demoColumn'));
  const demoCell = i18n.t('firsthour.demoCell');
  const rows = (function* () {
    for (let b = 0; b < job.batches; b++) for (const row of results.get(b)?.rows ?? []) yield demo ? [...row, demoCell] : row;
  })();
  return csvBlob(header, rows);
}

export async function fileJobReport(job: JobMeta): Promise<{ blob: Blob; rows: number }> {
  const lang = uiLang();
  const rows: string[][] = [];
  for (const e of await store.rejected(job.id)) rows.push([String(e.row), e.column, e.value, describeRowError(e as RowError, lang)]);
  const results = await store.results(job.id);
  for (let b = 0; b < job.batches; b++) {
    const result = results.get(b);
    if (result && result.successCount >= result.requestCount) continue;
    const items = await store.getItems<FileUser | string>(job.id, b);
    const reason = result
      ? i18n.t('workspace.report.partialBatch', [String(b + 1), String(result.successCount), String(result.requestCount)])
      : i18n.t('workspace.report.notSent');
    for (const item of items) rows.push(['', 'ID', typeof item === 'string' ? item : item.id, reason]);
  }
  const header = [i18n.t('workspace.report.row'), i18n.t('workspace.report.column'), i18n.t('workspace.report.value'), i18n.t('workspace.report.reason')];
  if (job.backend === 'sandbox') {
    header.push(i18n.t('firsthour.demoColumn'));
    for (const row of rows) row.push(i18n.t('firsthour.demoCell'));
  }
  return { blob: csvBlob(header, rows), rows: rows.length };
}
