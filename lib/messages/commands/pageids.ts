import { z } from 'zod';
import { AudienceName, type AudienceMeta } from '../../audiences/model';
import type { CommandTable } from '../define';
import { defineCommand } from '../define';

const TabId = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** What the background recorded for a tab: how many IDs its badges found (kept: at most MAX_PAGE_IDS). */
export interface PageIdCount {
  count: number;
  /** The page found more distinct IDs than are kept. */
  capped: boolean;
}

/*
 * "Save this page's IDs as an audience" (issue 12), for the popup. Extension pages only: a content script can never
 * create anything. The IDs are the background's own record of what that tab's content script looked up
 * (lib/background/badges/page-ids.ts); nothing is asked of the page at click time.
 */
export const pageIdCommands = {
  getPageIdCount: defineCommand<PageIdCount>()({
    allow: ['extension'],
    input: z.strictObject({ tabId: TabId }),
  }),
  createAudienceFromPage: defineCommand<AudienceMeta>()({
    allow: ['extension'],
    input: z.strictObject({ tabId: TabId, name: AudienceName }),
  }),
} satisfies CommandTable;
