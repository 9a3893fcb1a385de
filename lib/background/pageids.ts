import { AppError } from '../app-error';
import type { AudienceMeta } from '../audiences/model';
import type { pageIdCommands } from '../messages/commands/pageids';
import type { BackgroundFeature } from './feature';

export interface PageIdsDeps {
  /** The background's record of the IDs a tab's content script looked up (lib/background/badges/page-ids.ts). */
  idsOf: (tabId: number) => Promise<{ ids: string[]; origin: string | null; capped: boolean }>;
  /** Makes the audience (lib/background/audiences.ts `createFromIds`). */
  createAudience: (name: string, ids: readonly string[], source: string) => Promise<AudienceMeta>;
}

/*
 * "Save this page's IDs as an audience" (issue 12). Both commands are for extension pages only (the router checks
 * the sender): the audience is made from the popup's click, never because a content script asked. The IDs are the
 * background's own bounded record for the tab, not anything sent with the command.
 */
export function createPageIdsFeature(deps: PageIdsDeps): BackgroundFeature<typeof pageIdCommands> {
  return {
    handlers: {
      async getPageIdCount({ tabId }) {
        const { ids, capped } = await deps.idsOf(tabId);
        return { count: ids.length, capped };
      },
      async createAudienceFromPage({ tabId, name }) {
        const { ids, origin } = await deps.idsOf(tabId);
        if (ids.length === 0 || origin === null) throw new AppError('audience_empty', `no IDs found in tab ${tabId}`);
        return deps.createAudience(name, ids, origin);
      },
    },
    start() {},
  };
}
