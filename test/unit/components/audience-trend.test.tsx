// @vitest-environment happy-dom
import { cleanup, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TrendView } from '@/components/audiences/TrendView';
import { AudienceMeta, type SnapshotMeta } from '@/lib/audiences/model';
import { find, messagesAsKeys } from './dom';

/* Issue 12, the audience trend: per channel, ADDED / BLOCKED / NONE over the snapshots as a uPlot chart (replaced
 * here: happy-dom has no canvas; we assert what it is given) and the same numbers as a table. */

const plots = vi.hoisted(() => [] as { opts: any; data: number[][]; target: HTMLElement; destroyed: boolean }[]);
vi.mock('uplot', () => ({
  default: class {
    root = document.createElement('div');
    width: number;
    constructor(opts: any, data: number[][], target: HTMLElement) {
      this.width = opts.width;
      target.append(this.root);
      plots.push({ opts, data, target, destroyed: false });
      this.entry = plots[plots.length - 1]!;
    }
    entry: { destroyed: boolean };
    setSize() {}
    destroy() {
      this.entry.destroyed = true;
      this.root.remove();
    }
  },
}));

function snap(id: string, takenAt: number, totals: SnapshotMeta['totals'], channelIds = Object.keys(totals)) {
  return {
    id,
    takenAt,
    channelIds,
    count: 10,
    listKey: 'l',
    relationBytes: 1,
    listBytes: 1,
    totals,
    trigger: 'manual' as const,
  };
}

function audience(snapshots: ReturnType<typeof snap>[]) {
  return AudienceMeta.parse({
    id: 'aud-abcd-1234',
    name: 'VIP',
    createdAt: 1,
    updatedAt: 1,
    count: 10,
    listKey: 'l',
    snapshots, // newest first, as stored
  });
}

const T0 = Date.UTC(2026, 10, 1, 9);
const three = audience([
  snap('job-3', T0 + 2 * 86_400_000, { _ZeUTxl: { ADDED: 7, BLOCKED: 2, NONE: 1 }, _frxjem: { ADDED: 1, NONE: 9 } }),
  snap('job-2', T0 + 86_400_000, { _ZeUTxl: { ADDED: 5, BLOCKED: 1, NONE: 3, UNKNOWN: 1 }, _frxjem: { NONE: 10 } }),
  snap('job-1', T0, { _ZeUTxl: { ADDED: 4, NONE: 6 } }),
]);

let scheme: { listeners: (() => void)[] };
beforeEach(() => {
  messagesAsKeys();
  plots.length = 0;
  scheme = { listeners: [] };
  vi.spyOn(window, 'matchMedia').mockImplementation(
    () =>
      ({
        matches: false,
        addEventListener: (_: string, f: () => void) => scheme.listeners.push(f),
        removeEventListener: (_: string, f: () => void) => (scheme.listeners = scheme.listeners.filter((g) => g !== f)),
      }) as unknown as MediaQueryList,
  );
  document.documentElement.style.setProperty('--ok', '#00aa00');
  document.documentElement.style.setProperty('--bad', '#aa0000');
  document.documentElement.style.setProperty('--none', '#777777');
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const rows = (channel: string) =>
  [...document.querySelectorAll(`[data-trend][data-channel-id="${channel}"] tbody tr`)].map((tr) => [
    tr.getAttribute('data-snapshot-id'),
    ...[...tr.querySelectorAll('td')].map((td) => td.textContent),
  ]);

describe('audience trend', () => {
  it('draws, per channel, ADDED / BLOCKED / NONE oldest to newest, and shows the same numbers in a table', async () => {
    render(<TrendView audience={three} names={{ _ZeUTxl: '@shop' }} />);
    await waitFor(() => expect(plots).toHaveLength(2));
    const [first, second] = plots;
    expect(first!.target.closest('[data-trend]')!.getAttribute('data-channel-id')).toBe('_ZeUTxl');
    expect(first!.data).toEqual([
      [T0, T0 + 86_400_000, T0 + 2 * 86_400_000],
      [4, 5, 7],
      [0, 1, 2],
      [6, 3, 1],
    ]);
    // The second channel was checked from the second snapshot on: its chart starts there.
    expect(second!.target.closest('[data-trend]')!.getAttribute('data-channel-id')).toBe('_frxjem');
    expect(second!.data).toEqual([
      [T0 + 86_400_000, T0 + 2 * 86_400_000],
      [0, 1],
      [0, 0],
      [10, 9],
    ]);
    expect(first!.opts.series.slice(1).map((s: { label: string }) => s.label)).toEqual([
      'relation_ADDED',
      'relation_BLOCKED',
      'relation_NONE',
    ]);
    // The theme's relation colours.
    expect(first!.opts.series.slice(1).map((s: { stroke: string }) => s.stroke)).toEqual([
      '#00aa00',
      '#aa0000',
      '#777777',
    ]);

    expect(rows('_ZeUTxl')).toEqual([
      ['job-1', '4', '0', '6'],
      ['job-2', '5', '1', '3'],
      ['job-3', '7', '2', '1'],
    ]);
    expect(rows('_frxjem')).toEqual([
      ['job-2', '0', '0', '10'],
      ['job-3', '1', '0', '9'],
    ]);
    const table = document.querySelector('[data-channel-id="_ZeUTxl"] table')!;
    expect(table.querySelector('caption')!.textContent).toBe('trend_caption|@shop · _ZeUTxl');
    expect([...table.querySelectorAll('thead th')].every((th) => th.getAttribute('scope') === 'col')).toBe(true);
    expect([...table.querySelectorAll('tbody th')].every((th) => th.getAttribute('scope') === 'row')).toBe(true);
    // x ticks at the snapshots' times, thinned on a narrow chart (the newest kept).
    const splits = first!.opts.axes[0].splits;
    expect(splits({ width: 1000 })).toEqual(first!.data[0]);
    expect(splits({ width: 300 })).toEqual([T0, T0 + 2 * 86_400_000]);
    // The chart is hidden from screen readers and points to the table.
    const img = first!.target.closest('[role="img"]')!;
    expect(img.getAttribute('aria-describedby')).toBe(table.id);
    expect(first!.target.querySelector('[aria-hidden="true"]')).not.toBeNull();
  });

  it('the table is in the DOM while collapsed, and its button shows it', async () => {
    render(<TrendView audience={three} names={{}} />);
    const button = await find<HTMLButtonElement>('[data-channel-id="_ZeUTxl"] [data-action="toggle-trend-table"]');
    const table = document.querySelector('[data-channel-id="_ZeUTxl"] table')!;
    expect(table.parentElement!.className).toBe('sr-only');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    button.click();
    await waitFor(() => expect(button.getAttribute('aria-expanded')).toBe('true'));
    expect(table.parentElement!.className).not.toContain('sr-only');
  });

  it('redraws with the dark colours when the colour scheme changes', async () => {
    render(<TrendView audience={three} names={{}} />);
    await waitFor(() => expect(plots).toHaveLength(2));
    document.documentElement.style.setProperty('--ok', '#4ccf7c');
    for (const f of scheme.listeners) f();
    expect(plots).toHaveLength(4);
    expect(plots[0]!.destroyed).toBe(true);
    expect(plots[2]!.opts.series[1].stroke).toBe('#4ccf7c');
  });

  it('with fewer than two snapshots: a short empty state and no chart', async () => {
    render(<TrendView audience={audience([snap('job-1', T0, { _ZeUTxl: { ADDED: 4, NONE: 6 } })])} names={{}} />);
    expect((await find('[data-testid="trend-empty"]')).textContent).toBe('trend_needTwo');
    await new Promise((r) => setTimeout(r, 50));
    expect(plots).toHaveLength(0);
    expect(document.querySelector('[data-trend]')).toBeNull();
  });
});
