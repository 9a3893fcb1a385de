import { describe, expect, it } from 'vitest';
import { runSliced, viewportFirst } from '../../../lib/badges/slices';

/* Issue 14 §1: the content script works in short tasks, and what the user sees comes first. */

/** A fake clock: each work item costs `costMs`; every yield to the page starts a new task. */
function fakeTasks(costMs: (item: number) => number) {
  let clock = 0;
  const tasks: number[][] = [[]];
  const durations: number[] = [0];
  return {
    tasks,
    durations,
    options: {
      now: () => clock,
      yieldToPage: async () => {
        tasks.push([]);
        durations.push(0);
      },
    },
    work: (item: number) => {
      clock += costMs(item);
      tasks[tasks.length - 1]!.push(item);
      durations[durations.length - 1]! += costMs(item);
    },
  };
}

describe('runSliced', () => {
  it('keeps every task within its time budget and does the items in order', async () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const t = fakeTasks(() => 3);
    await runSliced(items, t.work, { budgetMs: 10, ...t.options });
    expect(t.tasks.flat()).toEqual(items);
    // 3 ms an item, 10 ms a task: 4 items (12 ms, the item that crossed the budget ends the slice).
    expect(t.tasks.slice(0, -1).every((task) => task.length === 4)).toBe(true);
    expect(Math.max(...t.durations)).toBeLessThanOrEqual(10 + 3);
    expect(t.tasks).toHaveLength(25);
  });

  it('runs a cheap list in one task, and an expensive item alone in its own', async () => {
    const cheap = fakeTasks(() => 0.01);
    await runSliced([1, 2, 3, 4, 5], cheap.work, { budgetMs: 8, ...cheap.options });
    expect(cheap.tasks).toEqual([[1, 2, 3, 4, 5]]);

    const mixed = fakeTasks((item) => (item === 2 ? 30 : 1));
    await runSliced([1, 2, 3, 4], mixed.work, { budgetMs: 8, ...mixed.options });
    expect(mixed.tasks).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('yields to the page between slices with real timers (a task of its own each)', async () => {
    const seen: string[] = [];
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const done = runSliced([1, 2, 3, 4, 5, 6], (i) => (busy(4), seen.push(`item ${i}`)), { budgetMs: 6 });
    setTimeout(() => seen.push('page'), 0);
    await done;
    // The page's own task ran before the last items: the list did not hold the thread.
    expect(seen.indexOf('page')).toBeGreaterThan(0);
    expect(seen.indexOf('page')).toBeLessThan(seen.length - 1);
  });

  it('stops before the next item once cancelled', async () => {
    let stop = false;
    const t = fakeTasks(() => 5);
    await runSliced([1, 2, 3, 4, 5, 6], (i) => (t.work(i), (stop = i === 3)), {
      budgetMs: 8,
      cancelled: () => stop,
      ...t.options,
    });
    expect(t.tasks.flat()).toEqual([1, 2, 3]);
  });
});

describe('viewportFirst', () => {
  it('puts the items in view first, each group in page order', () => {
    expect(viewportFirst(['a', 'b', 'c', 'd', 'e'], [false, true, false, true, false])).toEqual({
      first: ['b', 'd'],
      rest: ['a', 'c', 'e'],
    });
    // No answer about the viewport: everything is "rest", in order.
    expect(viewportFirst(['a', 'b'], [])).toEqual({ first: [], rest: ['a', 'b'] });
  });
});
