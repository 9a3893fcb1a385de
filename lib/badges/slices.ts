/*
 * Work in short tasks. A page's main thread runs the content script, the page's own scripts and the browser's
 * rendering; a task over 50 ms is a "long task" the user feels (input waits for it). `runSliced` does a list of
 * work items in tasks of at most `budgetMs` of script each, yielding to the page in between, and `viewportFirst`
 * orders items so those the user sees come first.
 */

interface SliceOptions {
  /** Most script time per task, in ms (an item is never split: a slice ends after the item that crossed it). */
  budgetMs: number;
  /** Stops before the next item when true (the engine was stopped). */
  cancelled?: () => boolean;
  /** The clock (performance.now by default). */
  now?: () => number;
  /** Gives the page a turn: a new task (setTimeout 0 by default). */
  yieldToPage?: () => Promise<void>;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Runs `work` over `items` in order, at most `budgetMs` per task; resolves after the last item (or when cancelled). */
export async function runSliced<T>(items: readonly T[], work: (item: T) => void, options: SliceOptions): Promise<void> {
  const now = options.now ?? (() => performance.now());
  const yieldToPage = options.yieldToPage ?? nextTask;
  let i = 0;
  while (i < items.length) {
    const until = now() + options.budgetMs;
    do {
      if (options.cancelled?.()) return;
      work(items[i++]!);
    } while (i < items.length && now() < until);
    if (i < items.length) await yieldToPage();
  }
}

/** The items whose flag is set first (in their order), then the others (in theirs). */
export function viewportFirst<T>(items: readonly T[], inView: readonly boolean[]): { first: T[]; rest: T[] } {
  const first: T[] = [];
  const rest: T[] = [];
  items.forEach((item, i) => (inView[i] ? first : rest).push(item));
  return { first, rest };
}

/**
 * Which elements are in the viewport or near it (`margin`, e.g. one screen above and below), from one
 * IntersectionObserver pass: computed by the browser with its next frame, so reading it never forces a layout.
 * Without IntersectionObserver, or if no answer comes within `timeoutMs`, an element counts as not in view.
 */
export function elementsInView(elements: readonly Element[], margin = '100% 0px', timeoutMs = 500): Promise<boolean[]> {
  if (elements.length === 0 || typeof IntersectionObserver === 'undefined')
    return Promise.resolve(elements.map(() => false));
  return new Promise((resolve) => {
    const index = new Map<Element, number>();
    elements.forEach((el, i) => index.set(el, i));
    const flags = elements.map(() => false);
    let pending = index.size;
    const done = () => {
      observer.disconnect();
      clearTimeout(timer);
      resolve(flags);
    };
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const i = index.get(entry.target);
          if (i === undefined) continue;
          flags[i] = entry.isIntersecting;
          index.delete(entry.target);
          pending--;
        }
        if (pending <= 0) done();
      },
      { rootMargin: margin },
    );
    const timer = setTimeout(done, timeoutMs);
    for (const el of index.keys()) observer.observe(el);
  });
}
