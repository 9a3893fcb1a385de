import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBadgesFeature } from '../../../lib/background/badges';
import { createKakaoClient } from '../../../lib/kakao/client';
import { dispatch, type Handlers } from '../../../lib/messages/router';
import type { SenderFacts } from '../../../lib/messages/sender';
import { createKakaoSimulator, SIM_ADMIN_KEY } from '../../../lib/simulator/model';
import { badgeSitesItem } from '../../../lib/storage/badge-sites';
import { pageLookupUseItem } from '../../../lib/storage/lookup-budget';
import { settingsItem, DEFAULT_SETTINGS } from '../../../lib/storage/settings';

/*
 * Issue 11 §2: a page script can add made-up IDs and read `data-relation` back. The background
 * bounds it: new (uncached) IDs per tab per minute, page lookups per key per day. These go through
 * the real command router, the real client and the simulator; on the code before budgets every
 * ID was looked up.
 */

const EXT_ID = 'channeldeskextid';
const identity = { id: EXT_ID, origin: `chrome-extension://${EXT_ID}` };
const CHANNEL = '_ZeUTxl';
const SITE = 'https://admin.example.com/*';
const MULTI = '/v2/api/talk/channels/multi';

type Sender = SenderFacts & { tab?: { id?: number; url?: string } };
const onTab = (id: number): Sender =>
  ({
    id: EXT_ID,
    origin: 'https://admin.example.com',
    tab: { id, url: 'https://admin.example.com/orders' },
    frameId: 0,
  }) as Sender;
const extensionPage = { id: EXT_ID, origin: `chrome-extension://${EXT_ID}` } as Sender;

/** `count` distinct made-up IDs starting at `from`. */
const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => String(from + i));

let clock = Date.parse('2026-11-30T10:00:00');

/** One background worker (a restart is a new one over the same storage). */
function worker(sim = createKakaoSimulator(), onLimitChange?: (limited: boolean) => void) {
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const out = sim.handle({
      method: init?.method ?? 'GET',
      url: url.pathname + url.search,
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: String(init?.body ?? ''),
    });
    return new Response(out.response!.body, { status: out.response!.status, headers: out.response!.headers });
  }) as typeof globalThis.fetch;
  const client = createKakaoClient({ origin: 'https://kapi.example.test', getKey: async () => SIM_ADMIN_KEY, fetch });
  const feature = createBadgesFeature(
    { apiOrigin: 'https://kapi.example.test', client },
    { windowMs: 5, backendIdentity: async () => 'key-test', now: () => clock, onLimitChange },
  );
  const handlers = feature.handlers as unknown as Handlers;
  const send = (name: string, data: unknown, sender: Sender) =>
    dispatch(name as keyof Handlers, data, sender, handlers, identity) as Promise<any>;
  /** What the content script does: every ID in messages of at most 500. */
  async function lookUp(all: string[], tab = 7) {
    const users: Record<string, any> = {};
    const replies = [];
    for (let i = 0; i < all.length; i += 500)
      replies.push(send('lookupRelations', { userIds: all.slice(i, i + 500) }, onTab(tab)));
    for (const r of await Promise.all(replies)) {
      expect(r.ok).toBe(true);
      Object.assign(users, r.value.users);
    }
    return users;
  }
  const asked = () => sim.log.filter((e) => e.path === MULTI).flatMap((e) => (e.query.target_ids as string).split(','));
  return { sim, send, lookUp, asked, calls: () => sim.log.filter((e) => e.path === MULTI).length };
}

const limited = (users: Record<string, any>) => Object.entries(users).filter(([, o]) => 'limit' in o);

beforeEach(async () => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
  clock = Date.parse('2026-11-30T10:00:00');
  await settingsItem.setValue({ ...DEFAULT_SETTINGS, channelIds: [CHANNEL] });
  await badgeSitesItem.setValue([{ pattern: SITE, rules: [] }]);
});

describe('lookup budgets, enforced in the background', () => {
  it('one tab: at most 5,000 new IDs a minute (25 calls for 15,000 made-up IDs); the rest are "limit reached"', async () => {
    const w = worker();
    const users = await w.lookUp(ids(5_100_000_000, 15_000));
    expect(w.asked()).toHaveLength(5_000);
    expect(w.calls()).toBeLessThanOrEqual(25);
    const refused = limited(users);
    expect(refused).toHaveLength(10_000);
    expect(refused[0]![1]).toEqual({ limit: { scope: 'tab', budget: 5_000 } });
    const answered = Object.entries(users).filter(([, o]) => 'channels' in o);
    expect(answered).toHaveLength(5_000);
    for (const [id, o] of answered.slice(0, 50))
      expect(o.channels[0].relation).toBe(w.sim.relationOf(id, CHANNEL).relation);
  });

  it('cached IDs cost nothing: the same IDs again are answered from the cache, at the limit too', async () => {
    const w = worker();
    // Not the IDs of the test before: its worker may still be writing its cache into the shared fake storage.
    const first = ids(5_300_000_000, 5_000);
    await w.lookUp(first);
    const before = w.calls();
    const again = await w.lookUp([...first.slice(0, 300), ...ids(6_000_000_000, 10)]);
    expect(w.calls()).toBe(before);
    for (const id of first.slice(0, 300)) expect(again[id]).toHaveProperty('channels');
    expect(limited(again).map(([id]) => id)).toEqual(ids(6_000_000_000, 10));
  });

  it('the minute is a sliding window (injected clock); another tab has its own', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, channelIds: [CHANNEL], tabNewIdsPerMinute: 100 });
    const w = worker();
    expect(limited(await w.lookUp(ids(1_000_000, 150)))).toHaveLength(50);
    expect(limited(await w.lookUp(ids(2_000_000, 80), 8))).toHaveLength(0); // tab 8: its own 100
    clock += 59_000;
    expect(limited(await w.lookUp(ids(3_000_000, 1)))).toHaveLength(1);
    clock += 1_001;
    expect(limited(await w.lookUp(ids(3_000_000, 120)))).toHaveLength(20);
    expect(w.asked()).toHaveLength(100 + 80 + 100);
  });

  it('per key per day: counted across tabs, kept across a worker restart, new the next day', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, channelIds: [CHANNEL], pageLookupsPerDay: 300 });
    const w = worker();
    expect(limited(await w.lookUp(ids(1_000_000, 200), 1))).toHaveLength(0);
    const second = await w.lookUp(ids(2_000_000, 200), 2);
    expect(limited(second)).toHaveLength(100);
    expect(limited(second)[0]![1]).toEqual({ limit: { scope: 'day', budget: 300 } });
    await vi.waitFor(async () => expect((await pageLookupUseItem.getValue())?.used['key-test']).toBe(300));

    // The worker restarts (a new one over the same storage): today's use is still spent.
    const restarted = worker();
    expect(limited(await restarted.lookUp(ids(3_000_000, 10), 3))).toHaveLength(10);
    expect(restarted.asked()).toHaveLength(0);
    const listed = await restarted.send('listSites', {}, extensionPage);
    expect(listed.value.budgets).toEqual({ tabNewIdsPerMinute: 5_000, pageLookupsPerDay: 300, usedToday: 300 });

    clock += 24 * 3_600_000;
    expect(limited(await restarted.lookUp(ids(3_000_000, 10), 3))).toHaveLength(0);
  });

  it('the toolbar says "limit reached" for that tab, from the background’s own record', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, channelIds: [CHANNEL], tabNewIdsPerMinute: 10 });
    const setBadgeText = vi.fn(async () => undefined);
    const setTitle = vi.fn(async () => undefined);
    (fakeBrowser as any).action = { setBadgeText, setTitle, setBadgeBackgroundColor: vi.fn(async () => undefined) };
    // The catalog's message names stand for the words (the fake browser has no catalog).
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((name: string) => name);
    const w = worker();
    await w.lookUp(ids(1_000_000, 20));
    // The page reports only found / friends: it cannot clear the limit state.
    await w.send('reportPageCounts', { found: 20, friends: 3 }, onTab(7));
    expect(setBadgeText).toHaveBeenLastCalledWith({ tabId: 7, text: 'MAX' });
    expect(setTitle).toHaveBeenLastCalledWith({ tabId: 7, title: expect.stringContaining('budgets_toolbarLimit') });
    // Another tab within its budget shows its counts as before.
    await w.lookUp(ids(2_000_000, 5), 8);
    await w.send('reportPageCounts', { found: 5, friends: 1 }, onTab(8));
    expect(setBadgeText).toHaveBeenLastCalledWith({ tabId: 8, text: '5/1' });
  });

  it('the extension-wide attention state follows whether any tab is over a budget', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, channelIds: [CHANNEL], tabNewIdsPerMinute: 10 });
    const changes: boolean[] = [];
    const w = worker(createKakaoSimulator(), (limited) => changes.push(limited));
    await w.lookUp(ids(1_000_000, 5));
    expect(changes).toEqual([]);
    await w.lookUp(ids(1_100_000, 20));
    expect(changes).toEqual([true]);
    // The page reloads: its limit state starts over, and no other tab is over a budget.
    await w.send('getPageConfig', {}, onTab(7));
    expect(changes).toEqual([true, false]);
  });

  it('the budgets are settings only extension pages change', async () => {
    const w = worker();
    const refused = await w.send(
      'saveLookupBudgets',
      { tabNewIdsPerMinute: 100_000, pageLookupsPerDay: 10_000_000 },
      onTab(7),
    );
    expect(refused).toMatchObject({ ok: false, refusal: 'refused_sender' });
    const saved = await w.send('saveLookupBudgets', { tabNewIdsPerMinute: 50, pageLookupsPerDay: 900 }, extensionPage);
    expect(saved.value.budgets).toEqual({ tabNewIdsPerMinute: 50, pageLookupsPerDay: 900, usedToday: 0 });
    expect(await settingsItem.getValue()).toMatchObject({ tabNewIdsPerMinute: 50, pageLookupsPerDay: 900 });
    expect(limited(await w.lookUp(ids(1_000_000, 60)))).toHaveLength(10);
  });
});
