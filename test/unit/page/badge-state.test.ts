import { describe, expect, it } from 'vitest';
import { badgeState, pageCounts, toolbarText } from '../../../lib/page/badge-state';

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
    expect(badgeState({ error: { code: -401, message: { ko: 'k', en: 'e' } } }, '_ZeUTxl')).toMatchObject({ kind: 'error', relation: 'ERROR' });
  });

  it('counts found IDs and friends for the toolbar', () => {
    const states = [badgeState(outcome, '_ZeUTxl'), badgeState(outcome, '_frxjem'), badgeState(undefined, null)];
    expect(pageCounts(states)).toEqual({ found: 3, friends: 1 });
    expect(toolbarText({ found: 0, friends: 0 })).toBe('');
    expect(toolbarText({ found: 12, friends: 7 })).toBe('12/7');
    expect(toolbarText({ found: 450, friends: 270 })).toBe('450');
    expect(toolbarText({ found: 5000, friends: 3000 })).toBe('5k');
  });
});
