import { useLayoutEffect, useReducer, useState } from 'preact/hooks';
import { elementScroll, observeElementOffset, observeElementRect, Virtualizer } from '@tanstack/virtual-core';

/** How tall a row is before it is measured (one line of table.data at 13 px). */
const ROW_ESTIMATE = 33;

/**
 * A virtualised list of `count` rows in the scroll element `scroller` (what
 * @tanstack/react-virtual does, for Preact): only the rows in view, and a few
 * around them, are rendered; each rendered row is measured (`measure` as its ref).
 */
export function useVirtualRows(count: number, scroller: () => HTMLElement | null) {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const options = {
    count,
    getScrollElement: scroller,
    estimateSize: () => ROW_ESTIMATE,
    // A layout without boxes (a test DOM) measures 0: the estimate stands in.
    measureElement: (el: Element) => el.getBoundingClientRect().height || ROW_ESTIMATE,
    observeElementRect,
    observeElementOffset,
    scrollToFn: elementScroll,
    overscan: 10,
    onChange: () => rerender(0),
  };
  const [virtualizer] = useState(() => new Virtualizer<HTMLElement, HTMLTableRowElement>(options));
  virtualizer.setOptions(options);
  useLayoutEffect(() => virtualizer._didMount(), []);
  useLayoutEffect(() => virtualizer._willUpdate());
  return virtualizer;
}
