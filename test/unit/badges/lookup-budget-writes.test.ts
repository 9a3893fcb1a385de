import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBadgesFeature } from '../../../lib/background/badges';
import { createLookupBudget, type DayUse } from '../../../lib/badges/lookup-budget';
import { createKakaoClient } from '../../../lib/kakao/client';
import { dispatch, type Handlers } from '../../../lib/messages/router';
import type { SenderFacts } from '../../../lib/messages/sender';
import { createKakaoSimulator, SIM_ADMIN_KEY } from '../../../lib/simulator/model';
import { createSandboxFetch } from '../../../lib/sandbox/fetch';
import { badgeSitesItem } from '../../../lib/storage/badge-sites';
import { pageLookupUseItem } from '../../../lib/storage/lookup-budget';
import { settingsItem, DEFAULT_SETTINGS } from '../../../lib/storage/settings';

/*
 * Issue 14: a 5,000-ID page sends 20 lookup messages at once; each used to store the day's count on its
 * own (20 writes in a row). Concurrent counts now go into one write behind the one in flight, while the
 * budget check itself stays exact (counted in memory first).
 */

const EXT_ID = 'channeldeskextid';
const CHANNEL = '_ZeUTxl';
const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => String(from + i));
const clock = Date.parse('2026-11-30T10:00:00');

function worker() {
  const sim = createKakaoSimulator();
  // The sandbox's fetch: requests go to this simulator, never the network.
  const fetch = createSandboxFetch(async () => sim);
  const client = createKakaoClient({ origin: 'https://kapi.example.test', getKey: async () => SIM_ADMIN_KEY, fetch });
  const feature = createBadgesFeature(
    { apiOrigin: 'https://kapi.example.test', client },
    { windowMs: 5, backendIdentity: async () => 'key-test', now: () => clock },
  );
  const sender = {
    id: EXT_ID,
    origin: 'https://admin.example.com',
    tab: { id: 7, url: 'https://admin.example.com/orders' },
    frameId: 0,
  } as SenderFacts & { tab?: { id?: number; url?: string } };
  const send = (userIds: string[]) =>
    dispatch('lookupRelations' as keyof Handlers, { userIds }, sender, feature.handlers as unknown as Handlers, {
      id: EXT_ID,
      origin: `chrome-extension://${EXT_ID}`,
    }) as Promise<any>;
  const asked = () =>
    sim.log
      .filter((e) => e.path === '/v2/api/talk/channels/multi')
      .flatMap((e) => (e.query.target_ids as string).split(','));
  return { send, asked };
}

beforeEach(async () => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
  await settingsItem.setValue({ ...DEFAULT_SETTINGS, channelIds: [CHANNEL], pageLookupsPerDay: 3_500 });
  await badgeSitesItem.setValue([{ pattern: 'https://admin.example.com/*', rules: [] }]);
  await pageLookupUseItem.removeValue();
});

describe('page lookups: the day’s count is stored in merged writes', () => {
  it('20 concurrent messages of 200 IDs: 3,500 looked up, 500 refused, 3,500 stored, in fewer writes than messages', async () => {
    const saves = vi.spyOn(pageLookupUseItem, 'setValue');
    const w = worker();
    const all = ids(7_100_000_000, 4_000);
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => w.send(all.slice(i * 200, i * 200 + 200))));
    const users: Record<string, any> = {};
    for (const r of replies) {
      expect(r.ok).toBe(true);
      Object.assign(users, r.value.users);
    }
    const refused = Object.keys(users).filter((id) => 'limit' in users[id]);
    const answered = Object.keys(users).filter((id) => 'channels' in users[id]);
    expect(refused).toHaveLength(500);
    expect(users[refused[0]!]).toEqual({ limit: { scope: 'day', budget: 3_500 } });
    // Exactly the answered IDs were sent, each once.
    expect(w.asked().sort()).toEqual(answered.sort());
    await vi.waitFor(async () => expect((await pageLookupUseItem.getValue())?.used['key-test']).toBe(3_500));
    expect(saves.mock.calls.length).toBeGreaterThan(0);
    // 18 messages were admitted IDs (3,500 / 200): one write each before.
    expect(saves.mock.calls.length).toBeLessThan(18);

    // A worker started afterwards (the stored count) refuses every new ID.
    const restarted = worker();
    const again = await restarted.send(ids(7_200_000_000, 5));
    expect(Object.values(again.value.users)).toEqual(Array(5).fill({ limit: { scope: 'day', budget: 3_500 } }));
    expect(restarted.asked()).toHaveLength(0);
  });
});

describe('createLookupBudget', () => {
  it('admits exactly to the limit and stores every count, one write behind the one in flight', async () => {
    let stored: DayUse | null = null;
    const writes: DayUse[] = [];
    const budget = createLookupBudget({
      limits: async () => ({ perTabPerMinute: 10_000, perDay: 1_000 }),
      load: async () => stored,
      save: async (use) => {
        await new Promise((r) => setTimeout(r, 5));
        writes.push(use);
        stored = use;
      },
      now: () => clock,
    });
    const admitted = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        await budget.prepare();
        await new Promise((r) => setTimeout(r, i % 3));
        return budget.admit(i % 2, 'key-a', 70).allowed;
      }),
    );
    expect(admitted.reduce((a, b) => a + b, 0)).toBe(1_000);
    expect(admitted.filter((n) => n === 0)).toHaveLength(20 - 15);
    await vi.waitFor(() => expect(stored).toEqual({ day: '2026-11-30', used: { 'key-a': 1_000 } }));
    expect(writes.length).toBeLessThan(15);
    // Each write stores at least what the one before did: a count is never lost.
    for (let i = 1; i < writes.length; i++)
      expect(writes[i]!.used['key-a']).toBeGreaterThanOrEqual(writes[i - 1]!.used['key-a']!);
  });
});
