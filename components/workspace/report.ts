import { i18n } from '#i18n';
import { csvBlob } from '@/lib/csv/export';
import { describeRowError, type RowError } from '@/lib/csv/validate';
import type { FileUser } from '@/lib/kakao/client';
import { checkRowReason, outcomeOf, type CheckRow, type JobMeta } from '@/lib/jobs/model';
import { unknownReasonText } from '@/lib/unknown-reason';
import { createJobStore } from '@/lib/jobs/store';
import { uiLang } from '@/lib/ui-lang';

/*
 * A job's downloadable report, built in the page from the job's IndexedDB data.
 * Uploads and deletions: every row not accepted and why — rejected by the dry
 * run (with row, column and value), in a batch where Kakao accepted fewer users
 * than sent (Kakao does not say which ones), in a batch whose answer was lost
 * (uncertain) or carried no counts, or never sent (cancelled).
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

export async function checkExport(job: JobMeta): Promise<Blob> {
  const results = await store.results(job.id);
  const n = job.channelIds.length;
  // A "Note" column only when some relation is UNKNOWN for a known reason (older and spec-shaped reports are unchanged).
  const withNotes = [...results.values()].some((r) => r.rows?.some((row) => row.length > 1 + n * 2));
  const header = [i18n.t('workspace.report.userId'), ...job.channelIds.flatMap((c) => [c, i18n.t('workspace.report.changedAt', [c])]), ...(withNotes ? [i18n.t('tolerant.reasonColumn')] : [])];
  const rows = (function* () {
    for (let b = 0; b < job.batches; b++) {
      for (const row of results.get(b)?.rows ?? []) {
        // Why a relation is UNKNOWN, in words: "channel: reason", one per channel that has one.
        const notes = job.channelIds.flatMap((c, i) => {
          const reason = checkRowReason(row, n, i);
          return reason ? [`${c}: ${unknownReasonText(reason)}`] : [];
        });
        yield withNotes ? [...row.slice(0, 1 + n * 2), notes.join(' / ')] : row;
      }
    }
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
    const outcome = result ? outcomeOf(result) : undefined;
    if (result && outcome === 'applied' && result.successCount >= result.requestCount) continue;
    const items = await store.getItems<FileUser | string>(job.id, b);
    const reason = !result
      ? i18n.t('workspace.report.notSent')
      : outcome === 'uncertain'
        ? i18n.t('writes.reportUncertain', [String(b + 1)])
        : outcome === 'no-counts'
          ? i18n.t('writes.reportNoCounts', [String(b + 1)])
          : i18n.t('workspace.report.partialBatch', [String(b + 1), String(result.successCount), String(result.requestCount)]);
    for (const item of items) rows.push(['', 'ID', typeof item === 'string' ? item : item.id, reason]);
  }
  const header = [i18n.t('workspace.report.row'), i18n.t('workspace.report.column'), i18n.t('workspace.report.value'), i18n.t('workspace.report.reason')];
  return { blob: csvBlob(header, rows), rows: rows.length };
}
