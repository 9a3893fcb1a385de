import { badgeState, pageCounts, type BadgeState } from './badge-state';
import { findUserIds, type CompiledRule, type FoundId } from './detect';
import type { LookupRelationsResult } from './relations';

/*
 * The badge engine of the content script: scans the page for IDs, queues them
 * for lookups (at most CHUNK per message), draws answers in one pass per round,
 * and reports the page's counts for the toolbar. It talks to the background and
 * draws badges only through what it is given (the entrypoint wires the messages
 * and lib/badges' DOM badges), so it stays zod-free and testable with a DOM.
 */

/** Most IDs per lookup message (the command allows up to MAX_IDS_PER_PAGE_MESSAGE). */
export const CHUNK = 200;
/** Mutations are scanned once per burst, this long after the last one. */
const SCAN_DELAY_MS = 30;
/** Answers are drawn in one pass per this window. */
const RENDER_DELAY_MS = 50;
/** Counts are reported once per burst of changes, this long after the last one. */
const COUNT_DELAY_MS = 150;
/**
 * Up to this many badges a scan builds and draws in the task that found them (a few
 * milliseconds). Beyond it, badges are built off the page in slices of SLICE_MS, then
 * put on the page in one go: one layout of the page, not one per slice (on a
 * 5,000-row table each layout costs about as much as the whole table).
 */
const SYNC_LIMIT = 500;
/** Most script time per task while building or drawing many badges: no long task (50 ms) from the badges. */
const SLICE_MS = 8;
/** A large scan waits at most this long after building for the first answer, so the badges go up with their size known. */
const FIRST_ANSWER_WAIT_MS = 300;

/** A drawn badge (render.ts draws the real one). */
interface BadgeView {
  render(state: BadgeState): void;
  /** Puts a badge built with `detached` on the page. */
  attach?(): void;
}

/** Runs `work` over `items` in tasks of at most SLICE_MS, yielding to the page in between. */
function sliced<T>(items: readonly T[], work: (item: T) => void): Promise<void> {
  return new Promise((resolve) => {
    let i = 0;
    const step = () => {
      const until = performance.now() + SLICE_MS;
      while (i < items.length) {
        work(items[i++]!);
        if ((i & 15) === 0 && performance.now() >= until) break;
      }
      if (i < items.length) setTimeout(step, 0);
      else resolve();
    };
    step();
  });
}

/** The background's answer to a lookup; null when there was no answer at all. */
export type LookupAnswer =
  | { ok: true; value: LookupRelationsResult }
  | { ok: false; error?: { code: string | number; explanation: { ko: string; en: string } } }
  | null;

export interface BadgeEngineDeps {
  /** The page to scan and watch. */
  document: Document;
  rules: readonly CompiledRule[];
  /** Draws a badge for an ID element; with `detached`, built off the page until its `attach()`. */
  createBadge(element: Element, userId: string, options?: { detached?: boolean }): BadgeView;
  /** Resolves once badges built now have their final size (render.ts measures the pill labels). */
  sizeSettled?(): Promise<void>;
  /** Asks the background for these IDs' relations; never rejects (no answer is null). */
  lookup(userIds: string[]): Promise<LookupAnswer>;
  /** Tells the background the page's counts (for the toolbar). */
  reportCounts(counts: { found: number; friends: number }): void;
  /** The words for "could not check" when no answer came at all, in the page's UI language. */
  checkFailedText(): string;
}

export interface BadgeEngine {
  /** Scans the page now and watches it for rows added later. */
  start(): void;
  /** Stops watching the page and drops pending timers. */
  stop(): void;
  /** Looks every ID on the page up again (after the manager cleared the cache). */
  recheck(): void;
}

export function createBadgeEngine(deps: BadgeEngineDeps): BadgeEngine {
  const seen = new WeakSet<Element>();
  const badges = new Map<string, BadgeView[]>();
  const states = new Map<string, BadgeState>();
  let selectedChannelId: string | null = null;
  let queue = new Set<string>();
  let scanTimer: ReturnType<typeof setTimeout> | undefined;
  let countTimer: ReturnType<typeof setTimeout> | undefined;
  let observer: MutationObserver | undefined;

  function reportCounts() {
    clearTimeout(countTimer);
    countTimer = setTimeout(() => deps.reportCounts(pageCounts(states.values())), COUNT_DELAY_MS);
  }

  let firstAnswer!: () => void;
  const firstAnswered = new Promise<void>((resolve) => (firstAnswer = resolve));

  async function lookUp(ids: string[]) {
    const reply = await deps.lookup(ids);
    firstAnswer();
    for (const id of ids) {
      let state: BadgeState;
      if (reply?.ok) {
        selectedChannelId = reply.value.selectedChannelId;
        state = badgeState(reply.value.users[id], selectedChannelId);
        if (state.kind === 'checking') state = badgeState({ channels: [] }, selectedChannelId);
      } else {
        const error = reply && 'error' in reply ? reply.error : undefined;
        // No answer at all (e.g. the background restarting): the catalog's words, in the page's UI language.
        const fallback = deps.checkFailedText();
        state = badgeState(
          { error: { code: error?.code ?? 'internal', message: error?.explanation ?? { ko: fallback, en: fallback } } },
          null,
        );
      }
      states.set(id, state);
      toRender.add(id);
    }
    scheduleRender();
    reportCounts();
  }

  // Answers arrive batch by batch; drawing them in one pass per 50 ms means one style and
  // layout pass of the page per round of API calls, not one per answer (a 5,000-ID page
  // spent over a second in repeated recalcs before this).
  const toRender = new Set<string>();
  let renderTimer: ReturnType<typeof setTimeout> | undefined;
  // A pass over many badges runs in slices (no long task); answers arriving meanwhile wait for the next pass.
  let rendering = false;
  function scheduleRender() {
    if (rendering) return;
    renderTimer ??= setTimeout(() => {
      renderTimer = undefined;
      const ids = [...toRender];
      toRender.clear();
      const draw = (id: string) => {
        const state = states.get(id)!;
        for (const badge of badges.get(id) ?? []) badge.render(state);
      };
      if (ids.length <= SYNC_LIMIT) return ids.forEach(draw);
      rendering = true;
      void sliced(ids, draw).then(() => {
        rendering = false;
        if (toRender.size > 0) scheduleRender();
      });
    }, RENDER_DELAY_MS);
  }

  function flush() {
    const ids = [...queue];
    queue = new Set();
    for (let i = 0; i < ids.length; i += CHUNK) void lookUp(ids.slice(i, i + CHUNK));
  }

  function scan() {
    const found = findUserIds(deps.document, deps.rules, seen);
    // Ask first: the calls run while the badges are built.
    for (const { userId } of found) {
      if (!states.has(userId)) {
        states.set(userId, { kind: 'checking' });
        queue.add(userId);
      }
    }
    if (queue.size > 0) flush();
    reportCounts();
    const built: BadgeView[] = [];
    const build = (detached: boolean) => (item: FoundId) => {
      const badge = deps.createBadge(item.element, item.userId, detached ? { detached } : undefined);
      // Drawn now with what is known; an answer drawn later reaches it through `badges`.
      badge.render(states.get(item.userId)!);
      badges.set(item.userId, [...(badges.get(item.userId) ?? []), badge]);
      built.push(badge);
    };
    if (found.length <= SYNC_LIMIT) return found.forEach(build(false));
    // Many badges: built off the page in slices, then put up together, once the first answer (and with it
    // the pill's words and channel name) is known or a moment has passed, and render.ts knows their size.
    // Answers drawn meanwhile go to the detached badges (no layout).
    const waitForAnswer = new Promise<void>((resolve) => {
      void firstAnswered.then(resolve);
      setTimeout(resolve, FIRST_ANSWER_WAIT_MS);
    });
    void sliced(found, build(true))
      .then(() => waitForAnswer)
      .then(() => deps.sizeSettled?.())
      .then(() => {
        for (const badge of built) badge.attach?.();
      });
  }

  return {
    start() {
      scan();
      // Rows added later (SPA views, infinite scroll): one debounced scan per burst of mutations.
      observer = new MutationObserver(() => {
        clearTimeout(scanTimer);
        scanTimer = setTimeout(scan, SCAN_DELAY_MS);
      });
      observer.observe(deps.document.documentElement, { childList: true, subtree: true, characterData: true });
    },

    stop() {
      observer?.disconnect();
      clearTimeout(scanTimer);
    },

    recheck() {
      for (const id of badges.keys()) {
        states.set(id, { kind: 'checking' });
        queue.add(id);
        toRender.add(id);
      }
      const ids = [...queue];
      flush();
      // A few badges show "checking" at once; many are redrawn in slices.
      if (ids.length <= SYNC_LIMIT) {
        for (const id of ids) for (const b of badges.get(id)!) b.render({ kind: 'checking' });
        for (const id of ids) toRender.delete(id);
      } else scheduleRender();
    },
  };
}
