import type { BadgeRelation, ChannelRelationView, UserOutcome } from './relations';

/*
 * What one badge shows, from the lookup outcome: the selected channel's relation
 * on the pill (mark + word, never colour alone), and every channel with its
 * change time for the hover/focus card.
 */

export const MARKS: Record<BadgeRelation | 'CHECKING', string> = {
  ADDED: '✓',
  BLOCKED: '⛔',
  NONE: '○',
  UNKNOWN: '?',
  ERROR: '!',
  CHECKING: '…',
};

export type BadgeState =
  | { kind: 'checking' }
  | { kind: 'done'; relation: BadgeRelation; selected: ChannelRelationView | null; channels: ChannelRelationView[] }
  | { kind: 'error'; relation: 'ERROR'; error: { code: string | number; message: { ko: string; en: string } } };

export function badgeState(outcome: UserOutcome | undefined, selectedChannelId: string | null): BadgeState {
  if (outcome === undefined) return { kind: 'checking' };
  if ('error' in outcome) return { kind: 'error', relation: 'ERROR', error: outcome.error };
  const selected =
    outcome.channels.find((c) => c.channelId === selectedChannelId) ?? (selectedChannelId === null ? outcome.channels[0] : undefined) ?? null;
  return { kind: 'done', relation: selected?.relation ?? 'UNKNOWN', selected, channels: outcome.channels };
}

/** Counts for the toolbar badge: IDs found on the page, and how many are friends of the selected channel. */
export function pageCounts(states: Iterable<BadgeState>): { found: number; friends: number } {
  let found = 0;
  let friends = 0;
  for (const s of states) {
    found++;
    if (s.kind === 'done' && s.relation === 'ADDED') friends++;
  }
  return { found, friends };
}

/**
 * "12/7" on the toolbar icon (IDs found / friends) when it fits the icon's few
 * characters, else the found count alone ("450", "5k"); the tooltip has both.
 */
export function toolbarText(counts: { found: number; friends: number }): string {
  if (counts.found === 0) return '';
  const short = (n: number) => (n >= 1000 ? `${Math.floor(n / 1000)}k` : String(n));
  const both = `${counts.found}/${counts.friends}`;
  return both.length <= 5 ? both : short(counts.found);
}
