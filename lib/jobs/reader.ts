import type { RowError } from '../csv/validate';
import type { BatchResult, JobMeta } from './model';
import { jobsItem } from '../storage/jobs';
import { createJobStore, type JobStore } from './store';

/*
 * How extension pages read jobs: read-only, and only here. The background alone
 * writes jobs (through commands), except a new draft's input, which the page that
 * made it writes straight into the store (components/workspace/submit.ts); pages
 * watch the job list (the extension's own store) and
 * read a job's results and rejected rows from IndexedDB for its report, without
 * a round trip per batch through the background. Pages do not call `listJobs`.
 */

export interface JobReader {
  /** The stored job list now. */
  list(): Promise<JobMeta[]>;
  /** Calls `onChange` with the list after every write; returns the unwatch function. */
  watch(onChange: (jobs: JobMeta[]) => void): () => void;
  getItems<T>(jobId: string, index: number): Promise<T[]>;
  results(jobId: string): Promise<Map<number, BatchResult>>;
  resultRange(jobId: string, from: number, to: number): Promise<Map<number, BatchResult>>;
  rejected(jobId: string): Promise<RowError[]>;
}

function createJobReader(
  store: Pick<JobStore, 'getItems' | 'results' | 'resultRange' | 'rejected'> = createJobStore(),
): JobReader {
  return {
    list: () => jobsItem.getValue(),
    watch: (onChange) => jobsItem.watch(onChange),
    getItems: (jobId, index) => store.getItems(jobId, index),
    results: (jobId) => store.results(jobId),
    resultRange: (jobId, from, to) => store.resultRange(jobId, from, to),
    rejected: (jobId) => store.rejected(jobId),
  };
}

/** The pages' one reader. */
export const jobReader = createJobReader();
