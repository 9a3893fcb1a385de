import { useLayoutEffect, useReducer, useState } from 'preact/hooks';
import { elementScroll, observeElementOffset, observeElementRect, Virtualizer } from '@tanstack/virtual-core';

/** How tall a row is before it is measured (one line of table.data at 13 px). */
const ROW_ESTIMATE = 33;
const estimateSize = () => ROW_ESTIMATE;
// A layout without boxes (a test DOM) measures 0: the estimate stands in.
const measureElement = (el: Element) => el.getBoundingClientRect().height || ROW_ESTIMATE;

/**
 * A virtualised list of `count` rows in the scroll element `scroller` (what
 * @tanstack/react-virtual does, for Preact): only the rows in view, and a few
 * around them, are rendered; each rendered row is measured (`list.measureElement`
 * as its ref). `items` are the rows to render, `size` the height of all `count` rows.
 *
 * `room`: how many rows the list may grow to (a running job's IDs). The virtualizer
 * is sized for that many from the start, because a change of its count lays out
 * every row again (100,000 at every progress write of a bulk check); rows past
 * `count` are neither rendered nor counted in `size`.
 */
export function useVirtualRows(count: number, scroller: () => HTMLElement | null, room = count) {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const options = {
    count: Math.max(count, room),
    getScrollElement: scroller,
    estimateSize,
    measureElement,
    observeElementRect,
    observeElementOffset,
    scrollToFn: elementScroll,
    overscan: 10,
    onChange: () => rerender(0),
  };
  const [list] = useState(() => new Virtualizer<HTMLElement, HTMLTableRowElement>(options));
  list.setOptions(options);
  useLayoutEffect(() => list._didMount(), []);
  useLayoutEffect(() => list._willUpdate());
  const all = list.getVirtualItems();
  const items = options.count > count ? all.filter((item) => item.index < count) : all;
  let size = list.getTotalSize();
  if (options.count > count) {
    // Less the rows past `count` (the measurements' difference, so a held scroll correction cancels out).
    const rows = list.measurementsCache;
    size -= (rows[options.count - 1]?.end ?? 0) - (count > 0 ? (rows[count - 1]?.end ?? 0) : (rows[0]?.start ?? 0));
  }
  return { list, items, size };
}
