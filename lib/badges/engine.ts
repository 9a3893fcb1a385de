import { badgeState, pageCounts, type BadgeState } from './badge-state';
import { findUserIds, type CompiledRule } from './detect';
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

/** A drawn badge (render.ts draws the real one). */
interface BadgeView {
  render(state: BadgeState): void;
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
  /** Draws a badge for an ID element. */
  createBadge(element: Element, userId: string): BadgeView;
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
  }

  // Answers arrive batch by batch; drawing them in one pass per 50 ms means one style and
  // layout pass of the page per round of API calls, not one per answer (a 5,000-ID page
  // spent over a second in repeated recalcs before this).
  const toRender = new Set<string>();
  let renderTimer: ReturnType<typeof setTimeout> | undefined;
  function scheduleRender() {
    renderTimer ??= setTimeout(() => {
      renderTimer = undefined;
      for (const id of toRender) {
        const state = states.get(id)!;
        for (const badge of badges.get(id) ?? []) badge.render(state);
      }
      toRender.clear();
    }, RENDER_DELAY_MS);
  }

  function flush() {
    const ids = [...queue];
    queue = new Set();
    for (let i = 0; i < ids.length; i += CHUNK) void lookUp(ids.slice(i, i + CHUNK));
  }

  function scan() {
    for (const { element, userId } of findUserIds(deps.document, deps.rules, seen)) {
      const badge = deps.createBadge(element, userId);
      const known = states.get(userId);
      badge.render(known ?? { kind: 'checking' });
      badges.set(userId, [...(badges.get(userId) ?? []), badge]);
      if (!known) {
        states.set(userId, { kind: 'checking' });
        queue.add(userId);
      }
    }
    if (queue.size > 0) flush();
    reportCounts();
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
        for (const b of badges.get(id)!) b.render({ kind: 'checking' });
        queue.add(id);
      }
      flush();
    },
  };
}
