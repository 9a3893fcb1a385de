import type { RowError } from '../csv/validate';
import { done, openDatabase, request } from '../platform/idb';
import { fixJobIdentity, forgetJobIdentity, jobIdentity, jobsItem, type JobIdentity } from '../storage/jobs';
import { JobMeta, type BatchResult } from './model';

/*
 * Where jobs are kept. Small state (JobMeta) in the `jobs` item (lib/storage/jobs.ts,
 * the extension's own store), so pages can watch progress, with each job's identity
 * recorded once when it is first saved; the big parts in their own IndexedDB database:
 *   items    [jobId, batch] → the users/IDs of one batch
 *   results  [jobId, batch] → Kakao's answer for it (its presence = confirmed); a file
 *                             batch is stored `uncertain` while its call is in flight
 *   rejected [jobId, chunk] → rows the dry run rejected, for the report
 */

export const JOB_HISTORY_LIMIT = 50;

const DB_NAME = 'channel-desk-jobs';
/** Rejected rows are kept in chunks of this many (one record each). */
const REJECTED_CHUNK = 4000;
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
  /** What the job was created as (kind, backend, channel, file, user type); undefined when none is recorded. */
  identity(id: string): Promise<JobIdentity | undefined>;
  /**
   * Writes one job's state, adding it if new (serialised with other writes so none is lost); a new job's identity is
   * recorded.
   */
  saveJob(job: JobMeta): Promise<void>;
  /** Writes the state of a job that is stored; false (and nothing written) when it is not, e.g. deleted meanwhile. */
  updateJob(job: JobMeta): Promise<boolean>;
  deleteJob(id: string): Promise<void>;
  putItems(jobId: string, index: number, items: unknown[]): Promise<void>;
  /**
   * A draft's whole input in one transaction, written by the extension page that made it (it shares
   * this IndexedDB with the background): items cut into batches of `batchSize`, rejected rows in
   * chunks. The background checks it once, when the draft starts (drafts.ts `seal`).
   */
  putInput(jobId: string, batchSize: number, items: readonly unknown[], rejected: readonly RowError[]): Promise<void>;
  /** A batch's items; throws when the batch was never stored (or is gone), so it is never sent or confirmed empty. */
  getItems<T>(jobId: string, index: number): Promise<T[]>;
  /** The stored items of batches [from, to), by batch index (absent batches are simply not in the map). */
  itemRange(jobId: string, from: number, to: number): Promise<Map<number, unknown[]>>;
  /** The indexes of the batches whose items are stored. */
  itemBatches(jobId: string): Promise<Set<number>>;
  /** Stores a batch's result: the checkpoint. */
  completeBatch(jobId: string, index: number, result: BatchResult): Promise<void>;
  /** Stores several batches' results in one transaction (each is that batch's checkpoint once this resolves). */
  completeBatches(jobId: string, results: ReadonlyMap<number, BatchResult>): Promise<void>;
  /**
   * Forgets a batch's result (an in-flight marker of a call Kakao answered with an error): the batch is unsent again.
   */
  dropResult(jobId: string, index: number): Promise<void>;
  /** Results by batch index (confirmed batches only). */
  results(jobId: string): Promise<Map<number, BatchResult>>;
  /** Results of batches [from, to). */
  resultRange(jobId: string, from: number, to: number): Promise<Map<number, BatchResult>>;
  /** Batches Kakao answered (results other than `uncertain`). */
  confirmedBatches(jobId: string): Promise<Set<number>>;
  addRejected(jobId: string, index: number, errors: RowError[]): Promise<void>;
  rejected(jobId: string): Promise<RowError[]>;
}

function idOf(record: unknown): string | undefined {
  return record && typeof record === 'object' && typeof (record as { id?: unknown }).id === 'string'
    ? (record as { id: string }).id
    : undefined;
}

export function createJobStore(dbName = DB_NAME): JobStore {
  let dbPromise: Promise<IDBDatabase> | null = null;
  const db = () =>
    (dbPromise ??= openDatabase(dbName, 1, (d) => {
      for (const name of STORES)
        if (!d.objectStoreNames.contains(name)) d.createObjectStore(name, { keyPath: ['jobId', 'index'] });
    }));
  const range = (jobId: string, from = 0, to = Number.MAX_SAFE_INTEGER) =>
    IDBKeyRange.bound([jobId, from], [jobId, to], false, true);

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
    identity: (id) => jobIdentity(id),
    saveJob: (job) => write(job, true).then(() => undefined),
    updateJob: (job) => write(job, false),
    deleteJob(id) {
      return serial(async () => {
        await jobsItem.setRaw((await jobsItem.getRaw()).filter((r) => idOf(r) !== id).map((raw) => ({ raw })));
        await clearData(id);
      });
    },
    putItems: (jobId, index, items) => put('items', jobId, index, items),
    async putInput(jobId, batchSize, items, rejected) {
      const tx = (await db()).transaction(['items', 'rejected'], 'readwrite');
      const itemStore = tx.objectStore('items');
      for (let i = 0; i < items.length; i += batchSize)
        itemStore.put({ jobId, index: i / batchSize, value: items.slice(i, i + batchSize) } satisfies Keyed<unknown[]>);
      const rejectedStore = tx.objectStore('rejected');
      for (let i = 0; i < rejected.length; i += REJECTED_CHUNK)
        rejectedStore.put({
          jobId,
          index: i / REJECTED_CHUNK,
          value: rejected.slice(i, i + REJECTED_CHUNK),
        } satisfies Keyed<readonly RowError[]>);
      await done(tx);
    },
    async itemRange(jobId, from, to) {
      return new Map((await getAll<unknown[]>('items', jobId, from, to)).map((r) => [r.index, r.value]));
    },
    async getItems<T>(jobId: string, index: number) {
      const tx = (await db()).transaction('items', 'readonly');
      const row = (await request(tx.objectStore('items').get([jobId, index]))) as Keyed<T[]> | undefined;
      if (!row) throw new Error(`the items of batch ${index + 1} are missing`);
      return row.value;
    },
    async itemBatches(jobId) {
      const tx = (await db()).transaction('items', 'readonly');
      const keys = (await request(tx.objectStore('items').getAllKeys(range(jobId)))) as [string, number][];
      return new Set(keys.map((k) => k[1]));
    },
    completeBatch: (jobId, index, result) => put('results', jobId, index, result),
    async completeBatches(jobId, results) {
      const tx = (await db()).transaction('results', 'readwrite');
      const store = tx.objectStore('results');
      for (const [index, value] of results) store.put({ jobId, index, value } satisfies Keyed<BatchResult>);
      await done(tx);
    },
    async dropResult(jobId, index) {
      const tx = (await db()).transaction('results', 'readwrite');
      tx.objectStore('results').delete([jobId, index]);
      await done(tx);
    },
    async results(jobId) {
      return new Map((await getAll<BatchResult>('results', jobId)).map((r) => [r.index, r.value]));
    },
    async resultRange(jobId, from, to) {
      return new Map((await getAll<BatchResult>('results', jobId, from, to)).map((r) => [r.index, r.value]));
    },
    async confirmedBatches(jobId) {
      // Confirmed = Kakao answered; an uncertain batch (in flight, or its answer lost) is not.
      const rows = await getAll<BatchResult>('results', jobId);
      return new Set(rows.filter((r) => r.value.outcome !== 'uncertain').map((r) => r.index));
    },
    addRejected: (jobId, index, errors) => put('rejected', jobId, index, errors),
    async rejected(jobId) {
      return (await getAll<RowError[]>('rejected', jobId)).flatMap((r) => r.value);
    },
  };

  /**
   * Read-modify-write of one job on the raw list: records that do not parse stay
   * as they are (they are only hidden from readers), so no valid job is ever lost to one bad record.
   */
  function write(job: JobMeta, create: boolean): Promise<boolean> {
    return serial(async () => {
      const raw = await jobsItem.getRaw();
      const entries = raw.map((r) => {
        const parsed = JobMeta.safeParse(r);
        return { raw: r, job: parsed.success ? parsed.data : undefined };
      });
      const i = entries.findIndex((e) => idOf(e.raw) === job.id);
      if (i < 0 && !create) return false;
      if (i < 0) await fixJobIdentity(job); // write-once: an identity already recorded for this ID stays
      const mine = { raw: undefined as unknown, job };
      const next = i >= 0 ? entries.map((e, n) => (n === i ? mine : e)) : [mine, ...entries];
      // Oldest finished jobs make room; running, paused and draft jobs (and records that do not parse) are never
      // dropped.
      let valid = 0;
      const dropped: string[] = [];
      const keep = next.filter((e) => {
        if (!e.job) return true;
        const n = valid++;
        if (
          n < JOB_HISTORY_LIMIT ||
          e.job.status === 'running' ||
          e.job.status === 'paused' ||
          e.job.status === 'draft'
        )
          return true;
        dropped.push(e.job.id);
        return false;
      });
      // Untouched records are written back exactly as stored.
      await jobsItem.setRaw(keep.map((e) => (e === mine ? { value: job } : { raw: e.raw })));
      for (const id of dropped) await clearData(id);
      return true;
    });
  }

  async function clearData(jobId: string) {
    await forgetJobIdentity(jobId);
    const tx = (await db()).transaction([...STORES], 'readwrite');
    for (const name of STORES) tx.objectStore(name).delete(range(jobId));
    await done(tx);
  }
}
