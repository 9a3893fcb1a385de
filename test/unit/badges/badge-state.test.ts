import { describe, expect, it } from 'vitest';
import {
  anyChannelRelation,
  badgeState,
  MARKS,
  pageCounts,
  pillChannel,
  toolbarText,
} from '../../../lib/badges/badge-state';
import type { PageRelation } from '../../../lib/badges/relations';

const outcome = {
  channels: [
    { channelId: '_ZeUTxl', name: '@채널데스크', relation: 'ADDED' as const, updatedAt: '2024-05-02T01:02:03Z' },
    { channelId: '_frxjem', relation: 'BLOCKED' as const, updatedAt: '2024-01-01T00:00:00Z' },
  ],
};

describe('badge state', () => {
  it('shows the selected channel and keeps every channel for the card', () => {
    const s = badgeState(outcome, '_frxjem');
    expect(s).toMatchObject({ kind: 'done', relation: 'BLOCKED', selected: { channelId: '_frxjem' } });
    expect(s.kind === 'done' && s.channels).toHaveLength(2);
    expect(badgeState(outcome, null)).toMatchObject({ relation: 'ADDED' });
    expect(badgeState(outcome, '_other')).toMatchObject({ relation: 'UNKNOWN', selected: null });
    expect(badgeState({ channels: [] }, '_ZeUTxl')).toMatchObject({ relation: 'UNKNOWN' });
  });

  it('is checking before an answer and ERROR after a failure', () => {
    expect(badgeState(undefined, '_ZeUTxl')).toEqual({ kind: 'checking' });
    expect(badgeState({ error: { code: -401, message: { ko: 'k', en: 'e' } } }, '_ZeUTxl')).toMatchObject({
      kind: 'error',
      relation: 'ERROR',
    });
  });

  it('counts found IDs and friends for the toolbar', () => {
    const states = [badgeState(outcome, '_ZeUTxl'), badgeState(outcome, '_frxjem'), badgeState(undefined, null)];
    expect(pageCounts(states)).toEqual({ found: 3, friends: 1 });
    expect(toolbarText({ found: 0, friends: 0 })).toBe('');
    expect(toolbarText({ found: 12, friends: 7 })).toBe('12/7');
    expect(toolbarText({ found: 450, friends: 270 })).toBe('450');
    expect(toolbarText({ found: 5000, friends: 3000 })).toBe('5k');
  });

  it('"any channel": friend if a friend of any, else blocked if blocked by any, else not added; unknown only when all are', () => {
    const of = (...relations: PageRelation[]) => relations.map((relation, i) => ({ channelId: `_c${i}`, relation }));
    expect(anyChannelRelation(of('BLOCKED', 'ADDED'))).toBe('ADDED');
    expect(anyChannelRelation(of('NONE', 'BLOCKED', 'UNKNOWN'))).toBe('BLOCKED');
    expect(anyChannelRelation(of('UNKNOWN', 'NONE'))).toBe('NONE');
    expect(anyChannelRelation(of('UNKNOWN', 'UNKNOWN'))).toBe('UNKNOWN');
    expect(anyChannelRelation([])).toBe('UNKNOWN');
    const s = badgeState(outcome, 'any');
    expect(s).toMatchObject({ kind: 'done', relation: 'ADDED', selected: null, shown: 'any' });
    expect(s.kind === 'done' && s.channels).toHaveLength(2); // the card still lists every channel
    expect(pageCounts([s])).toEqual({ found: 1, friends: 1 });
  });

  it('the host follows the channel it shows (data-channel-id)', () => {
    expect(badgeState(outcome, '_frxjem')).toMatchObject({ shown: '_frxjem' });
    expect(badgeState(outcome, null)).toMatchObject({ shown: '_ZeUTxl' }); // none chosen: the first that answered
    expect(badgeState({ channels: [] }, null)).toMatchObject({ shown: null });
  });

  it('names the channel in the pill only when more than one is configured: its @name when known, else its public ID', () => {
    expect(pillChannel(badgeState(outcome, '_ZeUTxl'))).toBe('@채널데스크');
    expect(pillChannel(badgeState(outcome, '_frxjem'))).toBe('_frxjem');
    expect(pillChannel(badgeState(outcome, 'any'))).toBe('any');
    expect(pillChannel(badgeState({ channels: [outcome.channels[1]!] }, '_frxjem'))).toBeNull();
    expect(pillChannel(badgeState(undefined, '_frxjem'))).toBeNull();
    expect(pillChannel(badgeState({ error: { code: -401, message: { ko: 'k', en: 'e' } } }, '_frxjem'))).toBeNull();
  });
});

describe('badge marks', () => {
  it('are text every common font draws, never an emoji (⛔ is an empty box without an emoji font)', () => {
    for (const [relation, mark] of Object.entries(MARKS)) expect(mark, relation).not.toMatch(/\p{Emoji_Presentation}/u);
    expect(new Set(Object.values(MARKS)).size).toBe(Object.keys(MARKS).length); // each state its own mark
  });
});
