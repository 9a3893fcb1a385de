// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { compileRules } from '../../../lib/badges/detect';
import { CHUNK, createBadgeEngine, type BadgeEngine, type LookupAnswer } from '../../../lib/badges/engine';
import { createBadge } from '../../../lib/badges/render';
import type { PageRelation, UserOutcome } from '../../../lib/badges/relations';

const CHANNEL = '_ZeUTxl';

/** The relation the fake background knows for an ID: ending in 1 added, 2 blocked, else not added. */
function relationOf(id: string): PageRelation {
  return id.endsWith('1') ? 'ADDED' : id.endsWith('2') ? 'BLOCKED' : 'NONE';
}

function answer(ids: string[]): LookupAnswer {
  const users: Record<string, UserOutcome> = {};
  for (const id of ids) users[id] = { channels: [{ channelId: CHANNEL, relation: relationOf(id) }] };
  return { ok: true, value: { selectedChannelId: CHANNEL, users } };
}

function rows(ids: string[]): string {
  return ids.map((id) => `<div class="row"><span data-kakao-user-id="${id}">${id}</span></div>`).join('');
}

const badgeFor = (id: string) => [...document.querySelectorAll(`channel-desk-badge[data-kakao-badge-for="${id}"]`)];

let engine: BadgeEngine | undefined;
beforeEach(() => {
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((key: string) => key);
});
afterEach(() => {
  engine?.stop();
  engine = undefined;
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

function start(
  options: { lookup?: (ids: string[]) => Promise<LookupAnswer>; rules?: { selector: string; regex?: string }[] } = {},
) {
  const lookups: string[][] = [];
  const counts: { found: number; friends: number }[] = [];
  const lookup = options.lookup ?? (async (ids: string[]) => answer(ids));
  engine = createBadgeEngine({
    document,
    rules: compileRules(options.rules ?? []),
    createBadge,
    lookup: (ids) => {
      lookups.push(ids);
      return lookup(ids);
    },
    reportCounts: (c) => counts.push(c),
    checkFailedText: () => 'could not check',
  });
  engine.start();
  return { lookups, counts };
}

describe('badge engine: scan, queue, draw', () => {
  it('badges every ID on the page, checking first, then the background’s relation for the selected channel', async () => {
    document.body.innerHTML = rows(['1001', '1002', '1003']) + '<p>order 1004 is not an ID element</p>';
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { lookups } = start({ lookup: async (ids) => (await gate, answer(ids)) });
    for (const id of ['1001', '1002', '1003']) {
      expect(badgeFor(id)).toHaveLength(1);
      expect(badgeFor(id)[0]!.hasAttribute('data-relation')).toBe(false); // still checking
    }
    expect(badgeFor('1004')).toHaveLength(0);
    expect(lookups).toEqual([['1001', '1002', '1003']]);
    release();
    await vi.waitFor(() => {
      for (const id of ['1001', '1002', '1003']) {
        const badge = badgeFor(id)[0]!;
        expect(badge.getAttribute('data-relation')).toBe(relationOf(id));
        expect(badge.getAttribute('data-channel-id')).toBe(CHANNEL);
      }
    });
  });

  it('uses the site’s own rules (selector and regex) besides the attribute', async () => {
    document.body.innerHTML = '<table><tr><td class="member">회원 5551</td></tr></table>' + rows(['6662']);
    const { lookups } = start({ rules: [{ selector: 'td.member', regex: '(\\d+)' }] });
    expect(lookups.flat().sort()).toEqual(['5551', '6662']);
    await vi.waitFor(() => expect(badgeFor('5551')[0]!.getAttribute('data-relation')).toBe('ADDED'));
    expect(badgeFor('6662')[0]!.getAttribute('data-relation')).toBe('BLOCKED');
  });

  it(`asks for at most ${CHUNK} IDs per message, each ID once even when it appears twice`, async () => {
    const ids = Array.from({ length: 450 }, (_, i) => String(100_000 + i));
    document.body.innerHTML = rows(ids) + rows(['100000']);
    const { lookups } = start();
    expect(lookups.map((l) => l.length)).toEqual([200, 200, 50]);
    expect(new Set(lookups.flat()).size).toBe(450);
    expect(badgeFor('100000')).toHaveLength(2);
    await vi.waitFor(() =>
      expect(badgeFor('100000').map((b) => b.getAttribute('data-relation'))).toEqual(['NONE', 'NONE']),
    );
  });

  it('badges rows added later (one scan per burst) and does not look up an ID it already knows', async () => {
    document.body.innerHTML = rows(['2001']);
    const { lookups } = start();
    await vi.waitFor(() => expect(badgeFor('2001')[0]!.getAttribute('data-relation')).toBe('ADDED'));
    const list = document.createElement('div');
    list.innerHTML = rows(['2002', '2001']);
    document.body.append(list);
    const more = document.createElement('div');
    more.innerHTML = rows(['2003']);
    document.body.append(more);
    await vi.waitFor(() => expect(badgeFor('2003')[0]?.getAttribute('data-relation')).toBe('NONE'));
    expect(lookups).toEqual([['2001'], ['2002', '2003']]);
    // The second 2001 shows the known relation at once.
    expect(badgeFor('2001').map((b) => b.getAttribute('data-relation'))).toEqual(['ADDED', 'ADDED']);
    expect(badgeFor('2002')[0]!.getAttribute('data-relation')).toBe('BLOCKED');
  });

  it('stops watching the page when stopped', async () => {
    document.body.innerHTML = rows(['3001']);
    const { lookups } = start();
    engine!.stop();
    const later = document.createElement('div');
    later.innerHTML = rows(['3002']);
    document.body.append(later);
    await new Promise((r) => setTimeout(r, 120));
    expect(badgeFor('3002')).toHaveLength(0);
    expect(lookups).toEqual([['3001']]);
  });

  it('shows the background’s error on each badge, and its own words when no answer came', async () => {
    document.body.innerHTML = rows(['4001', '4002']);
    const explanation = { ko: '키가 없습니다', en: 'No key' };
    let reply: LookupAnswer = { ok: false, error: { code: 'no_key', explanation } };
    start({ lookup: async () => reply });
    await vi.waitFor(() => expect(badgeFor('4001')[0]!.getAttribute('data-relation')).toBe('ERROR'));
    expect(badgeFor('4002')[0]!.getAttribute('data-relation')).toBe('ERROR');
    expect(badgeFor('4001')[0]!.hasAttribute('data-channel-id')).toBe(false);

    reply = null;
    document.body.insertAdjacentHTML('beforeend', rows(['4003']));
    await vi.waitFor(() => expect(badgeFor('4003')[0]?.getAttribute('data-relation')).toBe('ERROR'));
  });

  it('reports the page’s counts once per burst: IDs found and friends of the selected channel', async () => {
    document.body.innerHTML = rows(['5001', '5011', '5002', '5003']);
    const { counts } = start();
    await vi.waitFor(() => expect(counts.at(-1)).toEqual({ found: 4, friends: 2 }));
    // The scan and the answer came within one window: one report, not one per change.
    expect(counts).toHaveLength(1);
  });

  it('checks every badge again on recheck (after the manager cleared the cache)', async () => {
    document.body.innerHTML = rows(['6001', '6002']);
    const known = new Map<string, PageRelation>([
      ['6001', 'NONE'],
      ['6002', 'NONE'],
    ]);
    const { lookups } = start({
      lookup: async (ids) => ({
        ok: true,
        value: {
          selectedChannelId: CHANNEL,
          users: Object.fromEntries(
            ids.map((id) => [id, { channels: [{ channelId: CHANNEL, relation: known.get(id)! }] }]),
          ),
        },
      }),
    });
    await vi.waitFor(() => expect(badgeFor('6001')[0]!.getAttribute('data-relation')).toBe('NONE'));
    known.set('6001', 'ADDED');
    engine!.recheck();
    expect(badgeFor('6001')[0]!.hasAttribute('data-relation')).toBe(false); // checking again
    await vi.waitFor(() => expect(badgeFor('6001')[0]!.getAttribute('data-relation')).toBe('ADDED'));
    expect(lookups).toEqual([
      ['6001', '6002'],
      ['6001', '6002'],
    ]);
  });

  it('draws answers that arrive together in one pass (one render per badge per round)', async () => {
    document.body.innerHTML = rows(Array.from({ length: 400 }, (_, i) => String(700_000 + i)));
    const renders = new Map<string, number>();
    engine = createBadgeEngine({
      document,
      rules: compileRules([]),
      createBadge: (element, userId) => ({ render: () => void renders.set(userId, (renders.get(userId) ?? 0) + 1) }),
      lookup: async (ids) => answer(ids),
      reportCounts: () => undefined,
      checkFailedText: () => '',
    });
    engine.start();
    await vi.waitFor(() => expect([...renders.values()].every((n) => n === 2)).toBe(true));
    await new Promise((r) => setTimeout(r, 120));
    expect(new Set(renders.values())).toEqual(new Set([2])); // checking, then the answer: no extra passes
  });
});
