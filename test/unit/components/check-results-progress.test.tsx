// @vitest-environment happy-dom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobMeta, type CheckRow } from '@/lib/jobs/model';
import { createJobStore } from '@/lib/jobs/store';
import { messagesAsKeys } from './dom';

/*
 * Issue 14 (workspace CPU while a long job runs): a progress write re-renders the
 * progress and the counts, not the rows already on screen, and the results list
 * does not size its rows again (every row's estimate, every row's box) for it.
 */

/** How often a row is drawn: every drawn row formats its check time once per channel. */
let rowDraws = 0;
vi.mock('@/components/lang', async (importOriginal) => {
  const real = await importOriginal<typeof import('@/components/lang')>();
  return {
    ...real,
    formatTime: (iso: string | null | undefined) => {
      rowDraws++;
      return real.formatTime(iso);
    },
  };
});
/** How often the list sizes a row: by its estimate (rows not measured yet), or by its box. */
let estimates = 0;
vi.mock('@tanstack/virtual-core', async (importOriginal) => {
  const real = await importOriginal<typeof import('@tanstack/virtual-core')>();
  class CountingVirtualizer<S extends Element, I extends Element> extends real.Virtualizer<S, I> {
    constructor(options: ConstructorParameters<typeof real.Virtualizer<S, I>>[0]) {
      super(options);
      const setOptions = this.setOptions;
      this.setOptions = (opts) => {
        const estimate = opts.estimateSize;
        setOptions({
          ...opts,
          estimateSize: (i) => {
            estimates++;
            return estimate(i);
          },
        });
      };
      this.setOptions(options);
    }
  }
  return { ...real, Virtualizer: CountingVirtualizer };
});
const { CheckResults } = await import('@/components/workspace/CheckResults');

const VIEW_HEIGHT = 30 * 33;
let boxReads = 0;
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(function (this: HTMLElement) {
    return this.dataset.testid === 'results-scroll' ? VIEW_HEIGHT : 0;
  });
  const box = HTMLElement.prototype.getBoundingClientRect;
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    if (this.tagName === 'TR') boxReads++;
    return box.call(this);
  });
  messagesAsKeys();
  rowDraws = 0;
  estimates = 0;
  boxReads = 0;
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const TOTAL = 100_000;
const BATCH = 200;
/** A running 100,000-ID check with `done` batches of 200 stored. */
async function runningJob(done: number) {
  const store = createJobStore();
  const id = `job-${Math.random().toString(36).slice(2)}`;
  for (let b = 0; b < done; b++) {
    const rows: CheckRow[] = Array.from({ length: BATCH }, (_, i) => [
      String(1_000_000_000_000_000_000n + BigInt(b * BATCH + i)),
      'ADDED',
      '2024-05-02T01:02:03Z',
    ]);
    await store.completeBatch(id, b, { requestCount: BATCH, successCount: BATCH, rows });
  }
  const meta = (doneBatches: number, at: number) =>
    JobMeta.parse({
      id,
      kind: 'check',
      status: 'running',
      createdAt: 1,
      updatedAt: at,
      channelIds: ['_ZeUTxl'],
      total: TOTAL,
      received: TOTAL,
      batchSize: BATCH,
      batches: TOTAL / BATCH,
      doneBatches,
      doneItems: doneBatches * BATCH,
      relations: { _ZeUTxl: { ADDED: doneBatches * BATCH, BLOCKED: 0, NONE: 0, UNKNOWN: 0 } },
    });
  return { meta, store };
}

/** The list's height: its spacers and its rows (33 px each, the estimate: happy-dom lays nothing out). */
const listHeight = () =>
  [...document.querySelectorAll<HTMLElement>('tr.spacer td')].reduce(
    (sum, td) => sum + parseFloat(td.style.height),
    0,
  ) +
  document.querySelectorAll('tbody tr:not(.spacer)').length * 33;
const shownIds = () => document.querySelectorAll('tr[data-kakao-user-id]').length;

describe('results list while a check runs', () => {
  it('a progress write redraws the counts, not the rows on screen, and sizes no row again', async () => {
    const { meta } = await runningJob(10);
    const { rerender } = render(<CheckResults job={meta(3, 1)} />);
    await waitFor(() => expect(shownIds()).toBeGreaterThan(30));
    const rowsOnScreen = shownIds();
    const [draws, sized, boxes] = [rowDraws, estimates, boxReads];
    expect(boxes).toBeGreaterThan(0);

    // Seven progress writes: more IDs checked (further down the list), the view at the top unchanged.
    for (let w = 1; w <= 7; w++) {
      rerender(<CheckResults job={meta(3 + w, 1 + w)} />);
      await new Promise((r) => setTimeout(r, 0));
    }
    await waitFor(() =>
      expect(document.querySelector('[data-testid="filter-count"]')!.getAttribute('data-count')).toBe(
        String(10 * BATCH),
      ),
    );
    expect(document.querySelector('[data-count-relation="ADDED"]')!.getAttribute('data-count')).toBe(
      String(10 * BATCH),
    );
    expect(shownIds()).toBe(rowsOnScreen);
    expect(document.querySelector('table')!.getAttribute('aria-rowcount')).toBe(String(10 * BATCH + 1));
    expect(rowDraws - draws).toBe(0);
    expect(boxReads - boxes).toBe(0);
    // The rows checked meanwhile are not on screen: none of them is sized on a progress write either.
    expect(estimates - sized).toBe(0);
    // The scroll height is that of the 2,000 rows checked so far (not of all 100,000 IDs).
    expect(listHeight()).toBe(10 * BATCH * 33);
  });

  it('shows the newly checked rows at the end of the list', async () => {
    const { meta } = await runningJob(10);
    const { rerender } = render(<CheckResults job={meta(3, 1)} />);
    await waitFor(() => expect(shownIds()).toBeGreaterThan(30));
    rerender(<CheckResults job={meta(10, 2)} />);
    await waitFor(() => expect(listHeight()).toBe(10 * BATCH * 33));
    const scroller = document.querySelector<HTMLElement>('[data-testid="results-scroll"]')!;
    scroller.scrollTop = 10 * BATCH * 33 - VIEW_HEIGHT;
    fireEvent.scroll(scroller);
    const last = String(1_000_000_000_000_000_000n + BigInt(10 * BATCH - 1));
    await waitFor(() => expect(document.querySelector(`tr[data-kakao-user-id="${last}"]`)).not.toBeNull());
    const rows = [...document.querySelectorAll('tr[aria-rowindex]')].map((tr) =>
      Number(tr.getAttribute('aria-rowindex')),
    );
    expect(Math.max(...rows)).toBe(10 * BATCH + 1);
    expect(listHeight()).toBe(10 * BATCH * 33);
  });
});
