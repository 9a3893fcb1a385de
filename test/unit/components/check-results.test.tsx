// @vitest-environment happy-dom
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Papa from 'papaparse';
import { JobMeta, type CheckRow } from '@/lib/jobs/model';
import { createJobStore } from '@/lib/jobs/store';
import type { ValidationSummary } from '@/lib/csv/validate';
import { messagesAsKeys } from './dom';

/* Issue 16.14 (filters on the bulk-check table, filtered export) and 16.3 (errors first, duplicates collapsed). */

const saved: { blob: Blob; name: string }[] = [];
vi.mock('@/components/download', () => ({
  saveBlob: (blob: Blob, name: string) => saved.push({ blob, name }),
  stamp: () => 'STAMP',
}));
const { CheckResults } = await import('@/components/workspace/CheckResults');
const { DryRunReport } = await import('@/components/workspace/UsersImport');

/** The results list's viewport: 90 rows of 33 px (happy-dom lays nothing out, so the list is given its height). */
const VIEW_HEIGHT = 90 * 33;
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(function (this: HTMLElement) {
    return this.dataset.testid === 'results-scroll' ? VIEW_HEIGHT : 0;
  });
  messagesAsKeys();
});
afterEach(() => {
  cleanup();
  saved.length = 0;
});

const RELS = ['ADDED', 'BLOCKED', 'NONE', 'UNKNOWN'] as const;
/** 450 checked IDs in 3 batches of 200; relation in _ZeUTxl by i % 4, in _frxjem by i % 3. */
async function seedJob(): Promise<JobMeta> {
  const store = createJobStore();
  const id = `job-${Math.random().toString(36).slice(2)}`;
  const total = 450;
  const rows: CheckRow[] = Array.from({ length: total }, (_, i) => [
    String(1_000_000_000_000_000_000n + BigInt(i)),
    RELS[i % 4]!,
    '2024-05-02T01:02:03Z',
    RELS[i % 3]!,
    '',
  ]);
  for (let b = 0; b * 200 < total; b++) {
    const part = rows.slice(b * 200, b * 200 + 200);
    await store.completeBatch(id, b, { requestCount: part.length, successCount: part.length, rows: part });
  }
  return JobMeta.parse({
    id,
    kind: 'check',
    status: 'done',
    createdAt: 1,
    updatedAt: 1,
    channelIds: ['_ZeUTxl', '_frxjem'],
    total,
    received: total,
    batchSize: 200,
    batches: 3,
    doneBatches: 3,
    doneItems: total,
  });
}

/** Scrolls the results list as a user does (the wheel, the scroll bar or the keyboard all end in a scroll event). */
function scrollResults(top: number) {
  const scroller = document.querySelector<HTMLElement>('[data-testid="results-scroll"]')!;
  scroller.scrollTop = top;
  fireEvent.scroll(scroller);
}
const shownIds = () =>
  [...document.querySelectorAll('tr[data-kakao-user-id]')].map((tr) => tr.getAttribute('data-kakao-user-id')!);
/** The count the filter shows; NaN while it is still reading. */
const count = () => Number(document.querySelector('[data-testid="filter-count"]')!.getAttribute('data-count') ?? NaN);

describe('bulk-check result filters', () => {
  it('shows only blocked rows (in one channel or any), scrolls through them, and exports exactly the filtered set', async () => {
    const job = await seedJob();
    render(<CheckResults job={job} />);
    // One list of all 450 rows, of which those in view (and 10 more) are in the DOM.
    await waitFor(() => expect(shownIds()).toHaveLength(100));
    expect(count()).toBe(450);
    const table = document.querySelector('[data-testid="results-scroll"] table')!;
    expect(table.getAttribute('aria-rowcount')).toBe('451');
    expect(document.querySelector('[data-testid="results-scroll"]')!.getAttribute('tabindex')).toBe('0');
    expect(document.querySelector('tr[data-kakao-user-id]')!.getAttribute('aria-rowindex')).toBe('2');
    scrollResults(450 * 33);
    const lastId = String(1_000_000_000_000_000_000n + 449n);
    await waitFor(() => expect(shownIds()).toContain(lastId));
    expect(document.querySelector(`tr[data-kakao-user-id="${lastId}"]`)!.getAttribute('aria-rowindex')).toBe('451');
    expect(shownIds()).not.toContain(String(1_000_000_000_000_000_000n));
    scrollResults(0);

    fireEvent.click(document.querySelector('[data-filter="BLOCKED"]')!);
    // Blocked in any channel: i % 4 === 1 or i % 3 === 1.
    const anyBlocked = Array.from({ length: 450 }, (_, i) => i).filter((i) => i % 4 === 1 || i % 3 === 1);
    await waitFor(() => expect(count()).toBe(anyBlocked.length));
    expect(document.querySelector('[data-filter="BLOCKED"]')!.getAttribute('aria-pressed')).toBe('true');
    expect(shownIds()).toHaveLength(100);
    for (const tr of document.querySelectorAll('tr[data-kakao-user-id]')) {
      expect([...tr.querySelectorAll('td[data-relation]')].map((td) => td.getAttribute('data-relation'))).toContain(
        'BLOCKED',
      );
    }

    // One channel: _ZeUTxl blocked only.
    fireEvent.change(document.querySelector('select[name="filterChannel"]')!, { target: { value: '0' } });
    const zeBlocked = Array.from({ length: 450 }, (_, i) => i).filter((i) => i % 4 === 1);
    await waitFor(() => expect(count()).toBe(zeBlocked.length));
    expect(shownIds()).toHaveLength(100);
    expect(shownIds()[0]).toBe(String(1_000_000_000_000_000_000n + BigInt(zeBlocked[0]!)));
    scrollResults(zeBlocked.length * 33);
    await waitFor(() => expect(shownIds().at(-1)).toBe(String(1_000_000_000_000_000_000n + BigInt(zeBlocked.at(-1)!))));
    // The rows scrolled past left the DOM; the ones in view are the filter's, in order.
    expect(shownIds()).not.toContain(String(1_000_000_000_000_000_000n + BigInt(zeBlocked[0]!)));
    const from = zeBlocked.length - shownIds().length;
    expect(shownIds()).toEqual(zeBlocked.slice(from).map((i) => String(1_000_000_000_000_000_000n + BigInt(i))));
    expect(document.querySelector('[data-testid="results-scroll"] table')!.getAttribute('aria-rowcount')).toBe(
      String(zeBlocked.length + 1),
    );

    fireEvent.click(document.querySelector('[data-action="export-results"]')!);
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]!.name).toBe('channel-desk-check-BLOCKED-_ZeUTxl-STAMP.csv');
    const text = new TextDecoder().decode(await saved[0]!.blob.arrayBuffer()).replace(/^\uFEFF/, '');
    const parsed = Papa.parse<string[]>(text.trim(), { newline: '\r\n' }).data;
    expect(parsed).toHaveLength(zeBlocked.length + 1);
    expect(parsed[0]!.slice(1, 3)).toEqual(['_ZeUTxl', '_ZeUTxl relation_code']);
    expect(parsed.slice(1).map((r) => r[0])).toEqual(
      zeBlocked.map((i) => `="${1_000_000_000_000_000_000n + BigInt(i)}"`),
    );
    expect(new Set(parsed.slice(1).map((r) => r[2]))).toEqual(new Set(['BLOCKED']));

    fireEvent.click(document.querySelector('[data-filter="all"]')!);
    await waitFor(() => expect(count()).toBe(450));
  });

  it('says so when no row matches', async () => {
    const job = await seedJob();
    const store = createJobStore();
    // Rewrite every row as a friend in both channels: "unknown only" is then empty.
    for (let b = 0; b < 3; b++) {
      const r = (await store.resultRange(job.id, b, b + 1)).get(b)!;
      await store.completeBatch(job.id, b, {
        ...r,
        rows: r.rows!.map((row) => [row[0], 'ADDED', '', 'ADDED', ''] as CheckRow),
      });
    }
    render(<CheckResults job={job} />);
    await waitFor(() => expect(shownIds()).toHaveLength(100));
    fireEvent.click(document.querySelector('[data-filter="UNKNOWN"]')!);
    await waitFor(() => expect(count()).toBe(0));
    expect(shownIds()).toHaveLength(0);
    expect(document.querySelector('[data-action="export-results"]')!.hasAttribute('disabled')).toBe(true);
  });
});

describe('a 100,000-row result', () => {
  it('keeps only a window of rows in the DOM and shows later rows as the list scrolls', async () => {
    const total = 100_000;
    const store = createJobStore();
    const id = `job-${Math.random().toString(36).slice(2)}`;
    const userId = (i: number) => String(2_000_000_000 + i);
    const batches = new Map<number, { requestCount: number; successCount: number; rows: CheckRow[] }>();
    for (let b = 0; b * 200 < total; b++) {
      const rows = Array.from({ length: 200 }, (_, k): CheckRow => [userId(b * 200 + k), RELS[(b * 200 + k) % 4]!, '']);
      batches.set(b, { requestCount: 200, successCount: 200, rows });
    }
    await store.completeBatches(id, batches);
    const job = JobMeta.parse({
      id,
      kind: 'check',
      status: 'done',
      createdAt: 1,
      updatedAt: 1,
      channelIds: ['_ZeUTxl'],
      total,
      received: total,
      batchSize: 200,
      batches: total / 200,
      doneBatches: total / 200,
      doneItems: total,
    });
    render(<CheckResults job={job} />);

    // The view holds 90 rows; with the overscan, 100 of the 100,000 are in the DOM, the rest stand in as spacers.
    await waitFor(() => expect(shownIds()).toHaveLength(100));
    expect(shownIds()[0]).toBe(userId(0));
    expect(document.querySelectorAll('[data-testid="results-scroll"] tbody tr').length).toBeLessThan(110);
    expect(document.querySelector('[data-testid="results-scroll"] table')!.getAttribute('aria-rowcount')).toBe(
      String(total + 1),
    );
    expect(count()).toBe(total);

    // Halfway down: row 50,000 (and its neighbours) replace the first rows, numbered for assistive technology.
    scrollResults(50_000 * 33);
    await waitFor(() => expect(shownIds()).toContain(userId(50_000)));
    const middle = document.querySelector(`tr[data-kakao-user-id="${userId(50_000)}"]`)!;
    expect(middle.getAttribute('aria-rowindex')).toBe('50002');
    expect(middle.querySelector('td[data-channel-id="_ZeUTxl"]')!.getAttribute('data-relation')).toBe(RELS[0]);
    expect(shownIds()).not.toContain(userId(0));
    expect(shownIds().length).toBeLessThanOrEqual(110);

    // The end of the list: the last row is there, the middle has left.
    scrollResults(total * 33);
    await waitFor(() => expect(shownIds()).toContain(userId(total - 1)));
    expect(document.querySelector(`tr[data-kakao-user-id="${userId(total - 1)}"]`)!.getAttribute('aria-rowindex')).toBe(
      String(total + 1),
    );
    expect(shownIds()).not.toContain(userId(50_000));
    expect(shownIds().length).toBeLessThanOrEqual(110);
  }, 60_000);
});

describe('dry-run report', () => {
  it('lists the errors first and folds the duplicates into one count with their rows inside', () => {
    const summary: ValidationSummary = {
      rows: 10,
      valid: 5,
      duplicates: 3,
      errorRows: 2,
      errors: [
        { row: 1001, code: 'invalid_user_id', column: 'ID', value: 'abc' },
        { row: 1993, code: 'invalid_user_id', column: 'ID', value: '#N/A' },
        { row: 3, code: 'duplicate', column: 'ID', value: '111', firstRow: 2 },
        { row: 4, code: 'duplicate', column: 'ID', value: '111', firstRow: 2 },
        { row: 5, code: 'duplicate', column: 'ID', value: '111', firstRow: 2 },
      ],
    };
    render(<DryRunReport summary={summary} />);
    const counts = document.querySelector('[data-testid="row-counts"]')!;
    expect([
      ...['found', 'valid', 'error-rows', 'duplicates', 'send'].map((k) => counts.getAttribute(`data-${k}`)),
    ]).toEqual(['10', '8', '2', '3', '5']);
    const rows = [...document.querySelectorAll('tr[data-error-row]')];
    expect(rows.map((r) => r.getAttribute('data-error-code')).slice(0, 2)).toEqual([
      'invalid_user_id',
      'invalid_user_id',
    ]);
    const details = document.querySelector('details[data-testid="duplicates"]')!;
    expect(details.getAttribute('data-count')).toBe('3');
    expect(details.hasAttribute('open')).toBe(false);
    expect(details.querySelectorAll('tr[data-error-row]')).toHaveLength(3);
    // No duplicate row sits outside the fold, so the errors are not buried.
    expect(rows.filter((r) => r.getAttribute('data-error-code') === 'duplicate' && !details.contains(r))).toHaveLength(
      0,
    );
  });
});
