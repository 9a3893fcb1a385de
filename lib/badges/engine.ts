import { badgeState, pageCounts, type BadgeState } from './badge-state';
import { findUserIds, type CompiledRule, type FoundId } from './detect';
import type { LookupRelationsResult } from './relations';
import { runSliced, viewportFirst } from './slices';

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
 * milliseconds). Beyond it, the badges in or near the viewport are built first and put
 * up together with their answers (or "checking" after VISIBLE_WAIT_MS); the others are built
 * off the page in slices of SLICE_MS and put on the page together once their answers
 * are in (or ATTACH_DEADLINE_MS after the scan): each change to a big table costs the
 * browser about one layout of the whole table, so 5,000 badges go up in one layout,
 * not one per slice or per round of answers.
 */
const SYNC_LIMIT = 500;
/** Most script time per task while building or drawing badges off the page. */
const SLICE_MS = 8;
/**
 * The badges out of view go up by this time even if answers are still missing (they show "checking"). The
 * ones in view are up long before, so this only bounds how long the table's layout waits for its last answers.
 */
const ATTACH_DEADLINE_MS = 4000;
/**
 * The badges in view wait this long for their answers (usually the first call's), then show "checking". On a table
 * page every change costs a layout of the whole table: "checking" first and the answer a moment later is two (0.5–1 s
 * each on a busy 2-core machine), so the wait covers a first round of answers on a loaded machine (500 ms did not).
 */
const VISIBLE_WAIT_MS = 1000;

/** A drawn badge (render.ts draws the real one). */
interface BadgeView {
  render(state: BadgeState): void;
  /** Puts a badge built with `detached` on the page. */
  attach?(): void;
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
  /** Which of these elements are in or near the viewport (slices.ts `elementsInView`); without it, none are. */
  inView?(elements: Element[]): Promise<boolean[]>;
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
  let stopped = false;

  function reportCounts() {
    clearTimeout(countTimer);
    countTimer = setTimeout(() => deps.reportCounts(pageCounts(states.values())), COUNT_DELAY_MS);
  }

  async function lookUp(ids: string[]) {
    const reply = await deps.lookup(ids);
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
    for (const listener of [...answerListeners]) listener();
  }

  /** Called after each round of answers (drawMany waits for the answers of the badges in view). */
  const answerListeners = new Set<() => void>();
  function answeredFor(ids: readonly string[]): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!ids.every((id) => states.get(id)?.kind !== 'checking')) return;
        answerListeners.delete(check);
        resolve();
      };
      answerListeners.add(check);
      check();
    });
  }

  // Answers arrive batch by batch; drawing them in one pass per 50 ms means one style and
  // layout pass of the page per round of API calls, not one per answer (a 5,000-ID page
  // spent over a second in repeated recalcs before this).
  const toRender = new Set<string>();
  let renderTimer: ReturnType<typeof setTimeout> | undefined;
  /** Badges built off the page and not put up yet: drawing them costs no layout, so it goes in slices. */
  const offPage = new Set<BadgeView>();
  // Badges on the page are drawn in one task per pass on purpose: slicing would cost a page layout per slice.
  function scheduleRender() {
    renderTimer ??= setTimeout(() => {
      renderTimer = undefined;
      const later: [BadgeView, string][] = [];
      for (const id of toRender) {
        const state = states.get(id)!;
        for (const badge of badges.get(id) ?? []) {
          if (offPage.has(badge)) later.push([badge, id]);
          else badge.render(state);
        }
      }
      toRender.clear();
      // The state at drawing time: a newer answer may have come in meanwhile.
      void runSliced(later, ([badge, id]) => badge.render(states.get(id)!), {
        budgetMs: SLICE_MS,
        cancelled: () => stopped,
      });
    }, RENDER_DELAY_MS);
  }

  /** Sends the queued IDs; resolves when every answer is in. */
  function flush(): Promise<unknown> {
    const ids = [...queue];
    queue = new Set();
    const calls: Promise<void>[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) calls.push(lookUp(ids.slice(i, i + CHUNK)));
    return Promise.all(calls);
  }

  function scan() {
    const found = findUserIds(deps.document, deps.rules, seen);
    const scannedAt = Date.now();
    // Ask first: the calls run while the badges are built.
    for (const { userId } of found) {
      if (!states.has(userId)) {
        states.set(userId, { kind: 'checking' });
        queue.add(userId);
      }
    }
    const answered = queue.size > 0 ? flush() : Promise.resolve();
    reportCounts();
    if (found.length <= SYNC_LIMIT) return void found.forEach((item) => build(item, false));
    void drawMany(found, answered, scannedAt);
  }

  function build(item: FoundId, detached: boolean): BadgeView {
    const badge = deps.createBadge(item.element, item.userId, detached ? { detached } : undefined);
    // Drawn now with what is known; an answer drawn later reaches it through `badges`.
    badge.render(states.get(item.userId)!);
    badges.set(item.userId, [...(badges.get(item.userId) ?? []), badge]);
    if (detached) offPage.add(badge);
    return badge;
  }

  /** Puts badges built off the page up, all in this task (one layout of the page). */
  function attach(built: readonly BadgeView[]) {
    if (stopped) return;
    for (const badge of built) {
      badge.attach?.();
      offPage.delete(badge);
    }
  }

  /**
   * Many badges: those in or near the viewport first (built off the page in slices, then put up together with
   * their answers, or after VISIBLE_WAIT_MS as "checking"), then the others, built off the page in slices and put
   * up together once answered (answers drawn meanwhile go to the badges off the page: no layout) or at the
   * deadline, and once render.ts knows their size.
   */
  async function drawMany(found: FoundId[], answered: Promise<unknown>, scannedAt: number) {
    const deadline = new Promise<void>((resolve) =>
      setTimeout(resolve, Math.max(0, scannedAt + ATTACH_DEADLINE_MS - Date.now())),
    );
    const inView = deps.inView ? await deps.inView(found.map((f) => f.element)) : [];
    const { first, rest } = viewportFirst(found, inView);
    const sliced = async (items: FoundId[]) => {
      const built: BadgeView[] = [];
      await runSliced(items, (item) => void built.push(build(item, true)), {
        budgetMs: SLICE_MS,
        cancelled: () => stopped,
      });
      return built;
    };
    if (first.length > 0) {
      const visible = await sliced(first);
      const shortWait = new Promise<void>((resolve) =>
        setTimeout(resolve, Math.max(0, scannedAt + VISIBLE_WAIT_MS - Date.now())),
      );
      await Promise.race([answeredFor(first.map((f) => f.userId)), shortWait]);
      // Their answers drawn before they go up (not in a slice still to come), and the labels those answers brought
      // (a channel's name) measured before: one layout for them, not one more when the slots widen.
      visible.forEach((badge, i) => badge.render(states.get(first[i]!.userId)!));
      await deps.sizeSettled?.();
      attach(visible);
    }
    const others = await sliced(rest);
    await Promise.race([answered, deadline]);
    await deps.sizeSettled?.();
    attach(others);
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
      stopped = true;
      observer?.disconnect();
      clearTimeout(scanTimer);
    },

    recheck() {
      for (const id of badges.keys()) {
        states.set(id, { kind: 'checking' });
        for (const b of badges.get(id)!) b.render({ kind: 'checking' });
        queue.add(id);
      }
      void flush();
    },
  };
}
