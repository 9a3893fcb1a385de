import type { BatchResult } from './model';
import type { JobStore } from './store';

/*
 * A run's IndexedDB traffic, kept off the path of the next Kakao call (runner.ts):
 * - Read ahead: a batch's items are read in ranges of `window` batches, the next
 *   range while the current one is being sent, so a free concurrency slot finds its
 *   batch's input already in memory.
 * - Write behind: results confirmed while a write is in flight are stored together in
 *   the next transaction. Each batch's promise resolves only once a transaction holding
 *   its result has committed: that is still the batch's checkpoint, and the runner counts
 *   the batch (and writes progress) only after it.
 */

/**
 * Reads the items of the batches `order` lists, in that order, `window` batches at a time. `checked`: batches
 * already in memory (a draft's first ones, as its start checked them): a range they cover is not read.
 */
export function createReadAhead(
  store: JobStore,
  jobId: string,
  order: readonly number[],
  window: number,
  checked?: Map<number, unknown[]>,
) {
  const position = new Map(order.map((index, p) => [index, p]));
  const chunks = new Map<number, Promise<Map<number, unknown[]>>>();
  const load = (chunk: number) => {
    const first = chunk * window;
    if (first >= order.length || chunks.has(chunk)) return;
    const indexes = order.slice(first, first + window);
    if (checked && indexes.every((i) => checked.has(i))) {
      chunks.set(chunk, Promise.resolve(new Map(indexes.map((i) => [i, checked.get(i)!]))));
      for (const i of indexes) checked.delete(i);
      return;
    }
    const last = order[Math.min(order.length, first + window) - 1]!;
    const read = store.itemRange(jobId, order[first]!, last + 1);
    read.catch(() => undefined); // awaited (and reported) by the batch that needs it
    chunks.set(chunk, read);
  };
  return {
    /** Starts reading the first range (before the first batch asks for it). */
    prefetch() {
      load(0);
    },
    /** Batch `index`'s items; throws the store's "missing" error when they are not stored. */
    async get<T>(index: number): Promise<T[]> {
      const p = position.get(index);
      if (p === undefined) return store.getItems<T>(jobId, index);
      const chunk = Math.floor(p / window);
      load(chunk);
      load(chunk + 1); // the next range is on its way while this one is sent
      chunks.delete(chunk - 2); // long sent (a batch still retrying there reads it again)
      const items = (await chunks.get(chunk)!).get(index);
      if (!items) throw new Error(`the items of batch ${index + 1} are missing`);
      return items as T[];
    },
  };
}

/** Stores batch results, several to a transaction; `put` resolves once that batch's result is stored. */
export function createWriteBehind(store: JobStore, jobId: string, skip: () => boolean) {
  let queued = new Map<number, BatchResult>();
  let waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  let flushing = false;

  async function flush() {
    flushing = true;
    try {
      while (queued.size > 0) {
        const results = queued;
        const settle = waiters;
        queued = new Map();
        waiters = [];
        try {
          // A stopped worker writes nothing more: those batches stay unconfirmed, as after a crash.
          if (!skip()) await store.completeBatches(jobId, results);
          for (const w of settle) w.resolve();
        } catch (err) {
          for (const w of settle) w.reject(err);
        }
      }
    } finally {
      flushing = false;
    }
  }

  return {
    put(index: number, result: BatchResult): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        queued.set(index, result);
        waiters.push({ resolve, reject });
        if (!flushing) void flush();
      });
    },
  };
}
