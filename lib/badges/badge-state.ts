import type { LookupLimit } from './lookup-budget';
import type { BadgeRelation, ChannelRelationView, PageOutcome, PageRelation } from './relations';

/*
 * What one badge shows, from the lookup outcome: the selected channel's relation
 * on the pill (mark + word, never colour alone), and every channel with its
 * change time for the hover/focus card.
 */

/** Plain text marks every common font has (an emoji such as ⛔ is an empty box without an emoji font). */
export const MARKS: Record<BadgeRelation | 'CHECKING', string> = {
  ADDED: '✓',
  BLOCKED: '⊘',
  NONE: '○',
  UNKNOWN: '?',
  ERROR: '!',
  CHECKING: '…',
};

/** A site's badge channel setting that means "friend if a friend of any channel" (channel IDs start with `_`). */
export const ANY_CHANNEL = 'any';

export type BadgeState =
  | { kind: 'checking' }
  | {
      kind: 'done';
      relation: BadgeRelation;
      /** The channel the pill shows; null for "any channel" or when none answered. */
      selected: ChannelRelationView | null;
      /** What the pill follows: a channel ID, ANY_CHANNEL, or null (no channel). The host's data-channel-id. */
      shown: string | null;
      channels: ChannelRelationView[];
    }
  | { kind: 'error'; relation: 'ERROR'; error: { code: string | number; message: { ko: string; en: string } } }
  /** Not looked up: a lookup budget was reached (data-relation="UNKNOWN", data-reason="limit"). */
  | { kind: 'limit'; relation: 'UNKNOWN'; limit: LookupLimit };

/**
 * "Any channel": a friend of any channel is a friend; else blocked by any is blocked; else not added; unknown only if
 * every channel is unknown.
 */
export function anyChannelRelation(channels: readonly ChannelRelationView[]): PageRelation {
  const has = (r: PageRelation) => channels.some((c) => c.relation === r);
  if (has('ADDED')) return 'ADDED';
  if (has('BLOCKED')) return 'BLOCKED';
  if (has('NONE')) return 'NONE';
  return 'UNKNOWN';
}

export function badgeState(outcome: PageOutcome | undefined, selectedChannelId: string | null): BadgeState {
  if (outcome === undefined) return { kind: 'checking' };
  if ('error' in outcome) return { kind: 'error', relation: 'ERROR', error: outcome.error };
  if ('limit' in outcome) return { kind: 'limit', relation: 'UNKNOWN', limit: outcome.limit };
  if (selectedChannelId === ANY_CHANNEL) {
    return {
      kind: 'done',
      relation: anyChannelRelation(outcome.channels),
      selected: null,
      shown: ANY_CHANNEL,
      channels: outcome.channels,
    };
  }
  const selected =
    outcome.channels.find((c) => c.channelId === selectedChannelId) ??
    (selectedChannelId === null ? outcome.channels[0] : undefined) ??
    null;
  return {
    kind: 'done',
    relation: selected?.relation ?? 'UNKNOWN',
    selected,
    shown: selected?.channelId ?? selectedChannelId,
    channels: outcome.channels,
  };
}

/**
 * The channel the pill names when more than one channel is configured (one channel needs no
 * name): its search ID like `@myshop` when Kakao sent one, else its public ID; ANY_CHANNEL for
 * the "any channel" rule (the page shows its translated words). Null: the pill names no channel.
 */
export function pillChannel(state: BadgeState): string | null {
  if (state.kind !== 'done' || state.channels.length < 2) return null;
  if (state.shown === ANY_CHANNEL) return ANY_CHANNEL;
  return state.selected ? (state.selected.name ?? state.selected.channelId) : state.shown;
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
