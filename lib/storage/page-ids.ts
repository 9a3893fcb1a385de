import { z } from 'zod';
import { UserId } from '../kakao/ids';
import { defineParsedItem } from './item';

/** Most distinct IDs kept per tab for "save this page's IDs as an audience". */
export const MAX_PAGE_IDS = 5_000;
/** Most tabs with a record (the least recently loaded page's record goes first): storage.session is small. */
export const MAX_PAGE_ID_TABS = 20;

/**
 * The IDs each tab's page asked about (lib/background/badges/page-ids.ts), kept in storage.session so that the
 * worker stopping after being idle does not lose them: trusted contexts only (content scripts cannot read it), gone
 * when the browser closes. Oldest page first.
 */
export const pageIdsItem = defineParsedItem(
  'session:pageIds',
  z
    .array(
      z.object({
        tabId: z.number().int(),
        origin: z.string().max(2_048),
        ids: z.array(UserId).max(MAX_PAGE_IDS),
        capped: z.boolean(),
      }),
    )
    .max(MAX_PAGE_ID_TABS),
  [],
);
