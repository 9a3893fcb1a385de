import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createReadAhead, createWriteBehind } from '@/lib/jobs/io';
import { createJobStore, type JobStore } from '@/lib/jobs/store';
import type { BatchResult } from '@/lib/jobs/model';

/* Issue 14 §3: reads and writes stay off the next call's path, without reading too far or losing a result. */

let store: JobStore;
let n = 0;
beforeEach(async () => {
  fakeBrowser.reset();
  store = createJobStore(`unit-jobs-io-${++n}`);
  for (let b = 0; b < 20; b++) await store.putItems('job', b, [`id-${b}`]);
});

function spied() {
  const ranges: [number, number][] = [];
  const spy: JobStore = {
    ...store,
    itemRange(jobId, from, to) {
      ranges.push([from, to]);
      return store.itemRange(jobId, from, to);
    },
  };
  return { spy, ranges };
}

describe('read-ahead', () => {
  it('never reads beyond the next window of the batch being sent', async () => {
    const { spy, ranges } = spied();
    const order = Array.from({ length: 20 }, (_, i) => i);
    const reader = createReadAhead(spy, 'job', order, 4);
    reader.prefetch();
    expect(ranges).toEqual([[0, 4]]);
    expect(await reader.get<string>(0)).toEqual(['id-0']);
    expect(ranges).toEqual([
      [0, 4],
      [4, 8],
    ]);
    for (let b = 1; b < 8; b++) await reader.get(b);
    // Sending batch 7 (second window): the third window is on its way, nothing further.
    expect(ranges.at(-1)).toEqual([8, 12]);
    expect(Math.max(...ranges.map((r) => r[1]))).toBe(12);
  });

  it('reads the batches a resumed run still has to send, in their order, each once', async () => {
    const { spy, ranges } = spied();
    const reader = createReadAhead(spy, 'job', [3, 5, 6, 11], 2);
    for (const b of [3, 5, 6, 11]) expect(await reader.get<string>(b)).toEqual([`id-${b}`]);
    expect(ranges).toEqual([
      [3, 6],
      [6, 12],
    ]);
  });
});

describe('write-behind', () => {
  const result = (requestCount: number): BatchResult => ({ requestCount, successCount: requestCount });

  it('stores every result; each put resolves only once its result is stored', async () => {
    const writer = createWriteBehind(store, 'job', () => false);
    const puts = Array.from({ length: 10 }, (_, i) =>
      writer.put(i, result(i + 1)).then(async () => (await store.results('job')).get(i)),
    );
    const seen = await Promise.all(puts);
    seen.forEach((r, i) => expect(r).toEqual(result(i + 1)));
    expect((await store.results('job')).size).toBe(10);
  });

  it('a worker stopped mid-write writes nothing more, and what was stored stays stored', async () => {
    let stopped = false;
    const writer = createWriteBehind(store, 'job', () => stopped);
    const first = writer.put(0, result(1)); // written at once
    const queued = [writer.put(1, result(2)), writer.put(2, result(3))]; // ride on the next write
    stopped = true;
    await Promise.all([first, ...queued]);
    const stored = await store.results('job');
    expect(stored.get(0)).toEqual(result(1));
    // The queued ones are unconfirmed, as after a crash: a new run sends them again, never counts them as done.
    expect(stored.has(1)).toBe(false);
    expect(stored.has(2)).toBe(false);
  });
});
