import { z } from 'zod';
import { defineParsedItem } from '../storage/item';
import type { RowError } from '../csv/validate';
import { done, openDatabase, request } from './idb';
import { JobMeta, type BatchResult } from './model';

/*
 * Where jobs are kept. Small state (JobMeta) in storage.local, so pages can
 * watch progress; the big parts in the extension's IndexedDB, which has no
 * storage.local quota problem:
 *   items    [jobId, batch] → the users/IDs of one batch
 *   results  [jobId, batch] → Kakao's answer for it (its presence = confirmed)
 *   rejected [jobId, chunk] → rows the dry run rejected, for the report
 */

export const JOB_HISTORY_LIMIT = 50;
export const jobsItem = defineParsedItem('local:jobs', z.array(JobMeta), []);

const DB_NAME = 'channel-desk-jobs';
const STORES = ['items', 'results', 'rejected'] as const;
type StoreName = (typeof STORES)[number];

interface Keyed<T> {
  jobId: string;
  index: number;
  value: T;
}

export interface JobStore {
  listJobs(): Promise<JobMeta[]>;
  getJob(id: string): Promise<JobMeta | undefined>;
  /** Writes one job's state (serialised with other writes so none is lost). */
  saveJob(job: JobMeta): Promise<void>;
  deleteJob(id: string): Promise<void>;
  putItems(jobId: string, index: number, items: unknown[]): Promise<void>;
  getItems<T>(jobId: string, index: number): Promise<T[]>;
  /** Stores a batch's result: the checkpoint. */
  completeBatch(jobId: string, index: number, result: BatchResult): Promise<void>;
  /** Results by batch index (confirmed batches only). */
  results(jobId: string): Promise<Map<number, BatchResult>>;
  /** Results of batches [from, to). */
  resultRange(jobId: string, from: number, to: number): Promise<Map<number, BatchResult>>;
  confirmedBatches(jobId: string): Promise<Set<number>>;
  addRejected(jobId: string, index: number, errors: RowError[]): Promise<void>;
  rejected(jobId: string): Promise<RowError[]>;
}

export function createJobStore(dbName = DB_NAME): JobStore {
  let dbPromise: Promise<IDBDatabase> | null = null;
  const db = () =>
    (dbPromise ??= openDatabase(dbName, 1, (d) => {
      for (const name of STORES) if (!d.objectStoreNames.contains(name)) d.createObjectStore(name, { keyPath: ['jobId', 'index'] });
    }));
  const range = (jobId: string, from = 0, to = Number.MAX_SAFE_INTEGER) => IDBKeyRange.bound([jobId, from], [jobId, to], false, true);

  async function put<T>(store: StoreName, jobId: string, index: number, value: T) {
    const tx = (await db()).transaction(store, 'readwrite');
    tx.objectStore(store).put({ jobId, index, value } satisfies Keyed<T>);
    await done(tx);
  }
  async function getAll<T>(store: StoreName, jobId: string, from?: number, to?: number): Promise<Keyed<T>[]> {
    const tx = (await db()).transaction(store, 'readonly');
    return request(tx.objectStore(store).getAll(range(jobId, from, to))) as Promise<Keyed<T>[]>;
  }

  // One writer chain for the job list: read-modify-write must not interleave.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };

  return {
    listJobs: () => jobsItem.getValue(),
    async getJob(id) {
      return (await jobsItem.getValue()).find((j) => j.id === id);
    },
    saveJob(job) {
      return serial(async () => {
        const jobs = await jobsItem.getValue();
        const i = jobs.findIndex((j) => j.id === job.id);
        const next = i >= 0 ? jobs.map((j) => (j.id === job.id ? job : j)) : [job, ...jobs];
        // Oldest finished jobs make room; running, paused and draft jobs are never dropped.
        const keep = next.filter((j, n) => n < JOB_HISTORY_LIMIT || j.status === 'running' || j.status === 'paused' || j.status === 'draft');
        const dropped = next.filter((j) => !keep.includes(j));
        await jobsItem.setValue(keep);
        for (const j of dropped) await clearData(j.id);
      });
    },
    deleteJob(id) {
      return serial(async () => {
        await jobsItem.setValue((await jobsItem.getValue()).filter((j) => j.id !== id));
        await clearData(id);
      });
    },
    putItems: (jobId, index, items) => put('items', jobId, index, items),
    async getItems<T>(jobId: string, index: number) {
      const tx = (await db()).transaction('items', 'readonly');
      const row = (await request(tx.objectStore('items').get([jobId, index]))) as Keyed<T[]> | undefined;
      return row?.value ?? [];
    },
    completeBatch: (jobId, index, result) => put('results', jobId, index, result),
    async results(jobId) {
      return new Map((await getAll<BatchResult>('results', jobId)).map((r) => [r.index, r.value]));
    },
    async resultRange(jobId, from, to) {
      return new Map((await getAll<BatchResult>('results', jobId, from, to)).map((r) => [r.index, r.value]));
    },
    async confirmedBatches(jobId) {
      const tx = (await db()).transaction('results', 'readonly');
      const keys = (await request(tx.objectStore('results').getAllKeys(range(jobId)))) as [string, number][];
      return new Set(keys.map((k) => k[1]));
    },
    addRejected: (jobId, index, errors) => put('rejected', jobId, index, errors),
    async rejected(jobId) {
      return (await getAll<RowError[]>('rejected', jobId)).flatMap((r) => r.value);
    },
  };

  async function clearData(jobId: string) {
    const tx = (await db()).transaction([...STORES], 'readwrite');
    for (const name of STORES) tx.objectStore(name).delete(range(jobId));
    await done(tx);
  }
}
