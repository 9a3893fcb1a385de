import type { CheckRow, JobMeta } from '@/lib/jobs/model';
import { filteredCheckRows } from './report';

/**
 * Where CheckToFile's rows come from: a finished bulk check's results, or an audience's snapshot. Each row is a
 * `CheckRow` (the ID, then per channel its relation and when it changed), followed by one cell per extra column.
 */
export interface RowSource {
  /** Changes when the rows may have changed (they are loaded again). */
  key: string;
  channelIds: readonly string[];
  /** Whether the rows say when each relation changed (a snapshot does not). */
  changedAt: boolean;
  /** Names of the extra cells after the channels' cells, offered for mapping like the carried columns. */
  extraColumns: readonly string[];
  load: () => Promise<CheckRow[]>;
}

/** A finished bulk check's results as a row source. */
export const checkJobSource = (job: JobMeta): RowSource => ({
  key: `${job.id}|${job.doneBatches}`,
  channelIds: job.channelIds,
  changedAt: true,
  extraColumns: [],
  load: () => filteredCheckRows(job, 'all', -1),
});
