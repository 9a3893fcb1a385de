import { UserId } from '../../kakao/ids';
import { MAX_PAGE_ID_TABS, MAX_PAGE_IDS, pageIdsItem } from '../../storage/page-ids';

/*
 * The background's own record of the IDs each tab's content script looked up (the IDs its badges found), for the
 * popup's "save this page's IDs as an audience". The IDs come from a page and are data only: each is checked as an
 * app user ID again here, duplicates are kept once, and a tab keeps at most MAX_PAGE_IDS (the first ones found).
 * Nothing is created from here; only the popup's click (an extension page) turns a tab's record into an audience.
 * The record is mirrored to storage.session (lib/storage/page-ids.ts): a worker started again reads it back, so the
 * popup still finds the IDs of a page loaded before the worker slept.
 */
export function createPageIdRecord(max = MAX_PAGE_IDS, item = pageIdsItem) {
  const tabs = new Map<number, { origin: string; ids: Set<string>; capped: boolean }>();
  /** Tabs changed before the stored record was read back: theirs is newer than what is stored. */
  const touched = new Set<number>();
  const ready = item.getValue().then(
    (stored) => {
      for (const r of stored)
        if (!touched.has(r.tabId)) tabs.set(r.tabId, { origin: r.origin, ids: new Set(r.ids), capped: r.capped });
    },
    (err: unknown) => console.error(err),
  );
  let saving: Promise<void> | undefined;
  let dirty = false;
  /** Writes the record once the stored one is read; changes made during a write are written after it. */
  const save = (): Promise<void> => {
    dirty = true;
    return (saving ??= (async () => {
      await ready;
      while (dirty) {
        dirty = false;
        const all = [...tabs].map(([tabId, r]) => ({ tabId, origin: r.origin, ids: [...r.ids], capped: r.capped }));
        try {
          await item.setValue(all);
        } catch (err) {
          console.error(err);
        }
      }
      saving = undefined;
    })());
  };
  const drop = (tabId: number): Promise<void> => {
    touched.add(tabId);
    return tabs.delete(tabId) ? save() : Promise.resolve();
  };
  const start = (tabId: number, origin: string) => {
    tabs.delete(tabId);
    if (tabs.size >= MAX_PAGE_ID_TABS) tabs.delete(tabs.keys().next().value!);
    const rec = { origin, ids: new Set<string>(), capped: false };
    tabs.set(tabId, rec);
    return rec;
  };
  return {
    /** Resolves once a record stored by an earlier worker is read back. */
    ready,
    /** A page (re)loaded in the tab: its record starts over, for that page's origin (none: no record). */
    reset(tabId: number, origin: string | undefined): Promise<void> {
      touched.add(tabId);
      if (!tabs.delete(tabId) && !origin) return Promise.resolve();
      if (origin) start(tabId, origin);
      return save();
    },
    add(tabId: number, origin: string, userIds: readonly unknown[]): Promise<void> {
      touched.add(tabId);
      let rec = tabs.get(tabId);
      let changed = !rec || rec.origin !== origin;
      if (changed) rec = start(tabId, origin);
      for (const raw of userIds) {
        const id = UserId.safeParse(raw);
        if (!id.success || rec!.ids.has(id.data)) continue;
        if (rec!.ids.size >= max) {
          changed ||= !rec!.capped;
          rec!.capped = true;
          break;
        }
        rec!.ids.add(id.data);
        changed = true;
      }
      return changed ? save() : Promise.resolve();
    },
    /** The tab's IDs in the order found, its page origin, and whether more were found than kept. */
    of(tabId: number): { ids: string[]; origin: string | null; capped: boolean } {
      const rec = tabs.get(tabId);
      return rec
        ? { ids: [...rec.ids], origin: rec.origin, capped: rec.capped }
        : { ids: [], origin: null, capped: false };
    },
    /** The tab closed: its record goes. */
    delete: drop,
    /**
     * The tab started loading `url` (none: a reload, or a page whose address the extension may not see): unless it
     * is on the record's origin (an in-page navigation), the page is left and its record goes. A reloaded allowed
     * page starts a new one (`reset`).
     */
    async navigated(tabId: number, url: string | undefined): Promise<void> {
      await ready;
      const rec = tabs.get(tabId);
      if (rec && !url?.startsWith(`${rec.origin}/`)) await drop(tabId);
    },
  };
}
