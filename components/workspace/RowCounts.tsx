import { i18n } from '#i18n';
import type { JobMeta } from '@/lib/jobs/model';
import { summaryCounts, type RowCounts } from '@/lib/csv/validate';
import { fmt } from './format';

/**
 * The one set of numbers a dry run and its job show: found · valid · with errors · duplicates removed · will be sent.
 */
export function RowCountsLine({ counts }: { counts: RowCounts }) {
  return (
    <p
      data-testid="row-counts"
      data-found={counts.found}
      data-valid={counts.valid}
      data-error-rows={counts.errorRows}
      data-duplicates={counts.duplicates}
      data-send={counts.send}
    >
      <strong>
        {i18n.t('csvio.counts', [
          fmt(counts.found),
          fmt(counts.valid),
          fmt(counts.errorRows),
          fmt(counts.duplicates),
          fmt(counts.send),
        ])}
      </strong>
    </p>
  );
}

/** A job's counts from what its dry run handed over (total sent, rows with errors, duplicates removed). */
export function jobCounts(job: Pick<JobMeta, 'total' | 'errorRows' | 'duplicates'>): RowCounts {
  return summaryCounts({
    rows: job.total + job.errorRows + job.duplicates,
    valid: job.total,
    errorRows: job.errorRows,
    duplicates: job.duplicates,
  });
}
