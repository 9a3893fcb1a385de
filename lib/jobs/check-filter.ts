import type { CheckRow } from './model';
import { CHECK_RELATIONS } from '../kakao/terms';

/*
 * Filters on the bulk-check results: all rows, or only the rows with one relation
 * (friends, blocked, not added, unknown), in one channel or in any of them.
 */

export const CHECK_FILTERS = ['all', ...CHECK_RELATIONS] as const;
export type CheckFilter = (typeof CHECK_FILTERS)[number];

/** Which channel a filter looks at: an index into the job's channelIds, or -1 for any channel. */
export type FilterChannel = number;

export function rowMatches(row: CheckRow, filter: CheckFilter, channel: FilterChannel, channels: number): boolean {
  if (filter === 'all') return true;
  if (channel >= 0) return row[1 + channel * 2] === filter;
  for (let i = 0; i < channels; i++) if (row[1 + i * 2] === filter) return true;
  return false;
}

/** The export's file name says which filter made it: channel-desk-check-BLOCKED-_ZeUTxl-….csv. */
export function filterFileTag(filter: CheckFilter, channelId: string | null): string {
  if (filter === 'all') return '';
  return `-${filter}${channelId ? `-${channelId}` : ''}`;
}
