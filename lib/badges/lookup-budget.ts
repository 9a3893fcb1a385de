/*
 * Lookup budgets for page badges, enforced in the background (the content
 * script's own counts are never trusted). A page script on an enabled site can
 * add `data-kakao-user-id` elements with made-up IDs and read `data-relation`
 * back; these budgets bound how much it can look up that way:
 * - per tab: at most `perTabPerMinute` NEW IDs (not cached, not already being
 *   looked up) in any 60-second window; reloading the page does not reset it;
 * - per key (the backend identity: the sandbox or the key's fingerprint): at most
 *   `perDay` new IDs per calendar day (the browser's time zone), counted across
 *   tabs and kept in storage so a worker restart does not reset it.
 * Cached IDs cost nothing. IDs beyond a budget are answered "limit reached".
 * Quick lookups (right-click, keyboard shortcut, address bar) count against the
 * per-day budget only: they are the manager's own one-ID checks, not a page's.
 * Zod-free and synchronous once prepared, so admitting IDs cannot race.
 */

type LimitScope = 'tab' | 'day';

/** Why a page's ID was not looked up: which budget, and its size. */
export interface LookupLimit {
  scope: LimitScope;
  budget: number;
}

interface BudgetLimits {
  perTabPerMinute: number;
  perDay: number;
}

/** Today's page lookups per backend: `{ day: '2026-11-30', used: { 'key-0a1b…': 5000 } }`. */
export interface DayUse {
  day: string;
  used: Record<string, number>;
}

export interface LookupBudgetDeps {
  limits: () => Promise<BudgetLimits>;
  load: () => Promise<DayUse | null>;
  save: (use: DayUse) => Promise<void>;
  now?: () => number;
}

const MINUTE_MS = 60_000;

/** The calendar day of a time, in the browser's time zone: `2026-11-30`. */
function dayOf(time: number): string {
  const d = new Date(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function createLookupBudget(deps: LookupBudgetDeps) {
  const now = deps.now ?? Date.now;
  /** Per tab: [time, count] of admitted new IDs, oldest first. */
  const windows = new Map<number, [number, number][]>();
  let limits: BudgetLimits = { perTabPerMinute: 0, perDay: 0 };
  let use: DayUse | null = null;
  let loading: Promise<void> | null = null;
  let saving: Promise<void> = Promise.resolve();
  /** A write is queued behind the one in flight: later admits ride on it (it stores the counts as they are then). */
  let saveQueued = false;

  /** One write after the one in flight, of every count admitted until it starts (not one write per admit). */
  function persist() {
    if (saveQueued) return;
    saveQueued = true;
    saving = saving
      .then(() => {
        saveQueued = false;
        const day = today();
        return deps.save({ day: day.day, used: { ...day.used } });
      })
      .catch(() => undefined);
  }

  function today(): DayUse {
    const day = dayOf(now());
    if (use === null || use.day !== day) use = { day, used: {} };
    return use;
  }

  function tabUsed(tabId: number): number {
    const entries = windows.get(tabId);
    if (!entries) return 0;
    const since = now() - MINUTE_MS;
    while (entries.length > 0 && entries[0]![0] <= since) entries.shift();
    if (entries.length === 0) windows.delete(tabId);
    return entries.reduce((sum, [, n]) => sum + n, 0);
  }

  return {
    /** Reads the budgets and (once) today's stored use; call before `admit`. */
    async prepare(): Promise<void> {
      loading ??= deps.load().then(
        (stored) => {
          // Lookups admitted while loading (none: admit needs prepare) would be lost; keep the larger count.
          if (stored && (use === null || use.day === stored.day)) use = stored;
        },
        () => undefined,
      );
      const [next] = await Promise.all([deps.limits(), loading]);
      limits = next;
    },

    /**
     * Admits up to `count` new IDs for a tab's page on a backend (`tabId` null: a quick lookup, which
     * has no per-tab budget). Returns how many may be looked up (the first ones) and, when fewer than
     * asked, the budget that refused the rest.
     */
    admit(tabId: number | null, backend: string, count: number): { allowed: number; limit?: LookupLimit } {
      if (count <= 0) return { allowed: 0 };
      const day = today();
      const dayLeft = Math.max(0, limits.perDay - (day.used[backend] ?? 0));
      const tabLeft = tabId === null ? Infinity : Math.max(0, limits.perTabPerMinute - tabUsed(tabId));
      const allowed = Math.min(count, dayLeft, tabLeft);
      if (allowed > 0) {
        day.used[backend] = (day.used[backend] ?? 0) + allowed;
        if (tabId !== null) {
          const entries = windows.get(tabId) ?? [];
          entries.push([now(), allowed]);
          windows.set(tabId, entries);
        }
        persist();
      }
      if (allowed === count) return { allowed };
      const limit: LookupLimit =
        dayLeft <= tabLeft ? { scope: 'day', budget: limits.perDay } : { scope: 'tab', budget: limits.perTabPerMinute };
      return { allowed, limit };
    },

    /** Today's page lookups on a backend and the day's budget (for the options page). */
    usage(backend: string): { day: string; used: number; budget: number } {
      const day = today();
      return { day: day.day, used: day.used[backend] ?? 0, budget: limits.perDay };
    },
  };
}
