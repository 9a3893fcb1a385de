import { UserId } from '../../kakao/ids';

/** Most distinct IDs kept per tab for "save this page's IDs as an audience". */
const MAX_PAGE_IDS = 5_000;

/*
 * The background's own record of the IDs each tab's content script looked up (the IDs its badges found), for the
 * popup's "save this page's IDs as an audience". The IDs come from a page and are data only: each is checked as an
 * app user ID again here, duplicates are kept once, and a tab keeps at most MAX_PAGE_IDS (the first ones found).
 * Nothing is created from here; only the popup's click (an extension page) turns a tab's record into an audience.
 */
export function createPageIdRecord(max = MAX_PAGE_IDS) {
  const tabs = new Map<number, { origin: string; ids: Set<string>; capped: boolean }>();
  return {
    /** A page (re)loaded in the tab: its record starts over, for that page's origin. */
    reset(tabId: number, origin: string | undefined) {
      tabs.delete(tabId);
      if (origin) tabs.set(tabId, { origin, ids: new Set(), capped: false });
    },
    add(tabId: number, origin: string, userIds: readonly unknown[]) {
      let rec = tabs.get(tabId);
      if (!rec || rec.origin !== origin) {
        rec = { origin, ids: new Set(), capped: false };
        tabs.set(tabId, rec);
      }
      for (const raw of userIds) {
        const id = UserId.safeParse(raw);
        if (!id.success || rec.ids.has(id.data)) continue;
        if (rec.ids.size >= max) {
          rec.capped = true;
          break;
        }
        rec.ids.add(id.data);
      }
    },
    /** The tab's IDs in the order found, its page origin, and whether more were found than kept. */
    of(tabId: number): { ids: string[]; origin: string | null; capped: boolean } {
      const rec = tabs.get(tabId);
      return rec
        ? { ids: [...rec.ids], origin: rec.origin, capped: rec.capped }
        : { ids: [], origin: null, capped: false };
    },
    delete(tabId: number) {
      tabs.delete(tabId);
    },
  };
}
