// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { badgeState, pageCounts } from '../../../lib/badges/badge-state';
import { createBadge } from '../../../lib/badges/render';

/*
 * Issue 11 §2: an ID a lookup budget refused is drawn in the "limit reached"
 * state — data-relation="UNKNOWN", data-reason="limit" on the host (public
 * names) — and turns into a normal badge when it is looked up later.
 */

beforeEach(() => {
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((name: string) => name);
});
afterEach(() => {
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

describe('"limit reached" badges', () => {
  it('carry data-relation="UNKNOWN" and data-reason="limit", and lose the reason once looked up', () => {
    const cell = document.createElement('span');
    cell.setAttribute('data-kakao-user-id', '5100000000');
    document.body.append(cell);
    const badge = createBadge(cell, '5100000000');
    const limited = badgeState({ limit: { scope: 'tab', budget: 5_000 } }, '_ZeUTxl');
    expect(limited).toEqual({ kind: 'limit', relation: 'UNKNOWN', limit: { scope: 'tab', budget: 5_000 } });
    badge.render(limited);
    expect(badge.host.getAttribute('data-relation')).toBe('UNKNOWN');
    expect(badge.host.getAttribute('data-reason')).toBe('limit');

    badge.render(badgeState({ channels: [{ channelId: '_ZeUTxl', relation: 'ADDED' }] }, '_ZeUTxl'));
    expect(badge.host.getAttribute('data-relation')).toBe('ADDED');
    expect(badge.host.hasAttribute('data-reason')).toBe(false);
  });

  it('count as found, never as friends', () => {
    expect(pageCounts([badgeState({ limit: { scope: 'day', budget: 10 } }, null)])).toEqual({ found: 1, friends: 0 });
  });
});
