import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBadgesFeature } from '../../../lib/background/badges';
import { createAudiencesFeature } from '../../../lib/background/audiences';
import { createPageIdsFeature } from '../../../lib/background/pageids';
import { createPageIdRecord } from '../../../lib/background/badges/page-ids';
import { createAudienceStore } from '../../../lib/audiences/store';
import { createJobStore } from '../../../lib/jobs/store';
import type { JobRunner } from '../../../lib/jobs/runner';
import { createKakaoClient } from '../../../lib/kakao/client';
import { dispatch, type Handlers } from '../../../lib/messages/router';
import type { SenderFacts } from '../../../lib/messages/sender';
import { createKakaoSimulator, SIM_ADMIN_KEY } from '../../../lib/simulator/model';
import { audiencesItem } from '../../../lib/storage/audiences';
import { badgeSitesItem } from '../../../lib/storage/badge-sites';
import { pageIdsItem } from '../../../lib/storage/page-ids';
import { settingsItem, DEFAULT_SETTINGS } from '../../../lib/storage/settings';
import { createFakePermissions } from '../fake-permissions';

const EXT_ID = 'channeldeskextid';
const EXT_ORIGIN = `chrome-extension://${EXT_ID}`;
const identity = { id: EXT_ID, origin: EXT_ORIGIN };
const SITE = 'https://admin.example.com/*';

type Sender = SenderFacts & { tab?: { id?: number; url?: string } };
const extensionPage = { id: EXT_ID, origin: EXT_ORIGIN } as Sender;
const contentOnSite = {
  id: EXT_ID,
  origin: 'https://admin.example.com',
  tab: { id: 7, url: 'https://admin.example.com/orders' },
  frameId: 0,
} as Sender;
const contentElsewhere = {
  id: EXT_ID,
  origin: 'https://evil.example.net',
  tab: { id: 9, url: 'https://evil.example.net/' },
  frameId: 0,
} as Sender;

let n = 0;
function setup() {
  const sim = createKakaoSimulator();
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const out = sim.handle({
      method: init?.method ?? 'GET',
      url: url.pathname + url.search,
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: String(init?.body ?? ''),
    });
    if (!out.response) throw new TypeError('network');
    return new Response(out.response.body, { status: out.response.status, headers: out.response.headers });
  }) as typeof globalThis.fetch;
  const client = createKakaoClient({ origin: 'https://kapi.example.test', getKey: async () => SIM_ADMIN_KEY, fetch });
  const badges = createBadgesFeature({ apiOrigin: 'https://kapi.example.test', client }, { windowMs: 5 });
  const store = createAudienceStore(`unit-pageids-${++n}`);
  const audiences = createAudiencesFeature({
    runner: {} as JobRunner,
    jobStore: createJobStore(`unit-pageids-jobs-${n}`),
    store,
    channels: async () => ({ channelIds: ['_ZeUTxl'] }),
    alarms: { create: async () => undefined, clear: async () => true },
  });
  const pageIds = createPageIdsFeature({ idsOf: badges.pageIds, createAudience: audiences.createFromIds });
  const handlers = { ...badges.handlers, ...audiences.handlers, ...pageIds.handlers } as unknown as Handlers;
  const send = <K extends keyof Handlers>(name: K, data: unknown, sender: Sender) =>
    dispatch(name, data, sender, handlers, identity);
  return { send, store };
}

const ids = (count: number, from = 4_018_200_000) => Array.from({ length: count }, (_, i) => String(from + i));

beforeEach(async () => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
  Object.assign(fakeBrowser.permissions, createFakePermissions().api);
  await settingsItem.setValue({ ...DEFAULT_SETTINGS, channelIds: ['_ZeUTxl'], selectedChannelId: '_ZeUTxl' });
  await badgeSitesItem.setValue([{ pattern: SITE, rules: [] }]);
});

describe('the record of a tab’s IDs', () => {
  it('keeps each app user ID once, in the order found, and at most the cap', () => {
    const rec = createPageIdRecord(5);
    rec.add(1, 'https://a.example', ['111', '222', '111', 'abc', '0123', '', 42, '333']);
    expect(rec.of(1)).toEqual({ ids: ['111', '222', '333'], origin: 'https://a.example', capped: false });
    rec.add(1, 'https://a.example', ['222', '444', '555']);
    expect(rec.of(1).capped).toBe(false);
    rec.add(1, 'https://a.example', ['111', '666', '777']);
    expect(rec.of(1)).toEqual({ ids: ['111', '222', '333', '444', '555'], origin: 'https://a.example', capped: true });
    rec.reset(1, 'https://a.example');
    expect(rec.of(1).ids).toEqual([]);
    expect(rec.of(2)).toEqual({ ids: [], origin: null, capped: false });
  });
});

describe('the record of a tab’s IDs, after the worker slept', () => {
  it('is read back by a worker started again; a closed tab’s and a left page’s record go', async () => {
    const before = createPageIdRecord();
    await before.add(1, 'https://a.example', ['111', '222']);
    await before.add(2, 'https://a.example', ['333']);
    await before.add(3, 'https://b.example', ['444']);
    // The worker stops: its memory is gone. A new one reads the record back.
    const after = createPageIdRecord();
    await after.ready;
    expect(after.of(1)).toEqual({ ids: ['111', '222'], origin: 'https://a.example', capped: false });
    await after.delete(1); // the tab closed
    await after.navigated(2, 'https://a.example/orders?page=2'); // in-page navigation: kept
    await after.navigated(3, undefined); // off to a page the extension may not see
    const again = createPageIdRecord();
    await again.ready;
    expect([again.of(1).ids, again.of(2).ids, again.of(3).ids]).toEqual([[], ['333'], []]);
  });

  it('keeps the pages of the last 20 tabs loaded', async () => {
    const rec = createPageIdRecord();
    for (let tab = 1; tab <= 21; tab++) await rec.add(tab, 'https://a.example', [String(1000 + tab)]);
    const after = createPageIdRecord();
    await after.ready;
    expect(after.of(1).ids).toEqual([]);
    expect(after.of(2).ids).toEqual(['1002']);
    expect(after.of(21).ids).toEqual(['1021']);
  });
});

describe('save this page’s IDs as an audience', () => {
  it('counts the distinct IDs the tab’s content script looked up, at most 5,000', async () => {
    const { send } = setup();
    expect(await send('getPageConfig', {}, contentOnSite)).toMatchObject({ ok: true });
    const all = ids(5_200);
    for (let i = 0; i < all.length; i += 500)
      await send('lookupRelations', { userIds: all.slice(i, i + 500) }, contentOnSite);
    await send('lookupRelations', { userIds: all.slice(0, 10) }, contentOnSite);
    expect(await send('getPageIdCount', { tabId: 7 }, extensionPage)).toEqual({
      ok: true,
      value: { count: 5_000, capped: true },
    });
    // Another tab, and a site the manager did not add, have none.
    await send('lookupRelations', { userIds: ids(3, 900) }, contentElsewhere);
    expect(await send('getPageIdCount', { tabId: 9 }, extensionPage)).toEqual({
      ok: true,
      value: { count: 0, capped: false },
    });
  });

  it('the popup’s click makes the audience of the page’s IDs; a reload starts the record over', async () => {
    const { send, store } = setup();
    await send('getPageConfig', {}, contentOnSite);
    await send('lookupRelations', { userIds: ['111', '222', '333'] }, contentOnSite);
    await send('lookupRelations', { userIds: ['222', '444'] }, contentOnSite);
    const reply = await send('createAudienceFromPage', { tabId: 7, name: 'Orders 2026-11-30' }, extensionPage);
    expect(reply).toMatchObject({ ok: true, value: { name: 'Orders 2026-11-30', count: 4 } });
    const [saved] = await audiencesItem.getValue();
    expect(saved).toMatchObject({ name: 'Orders 2026-11-30', count: 4, source: 'https://admin.example.com' });
    expect(await store.getList(saved!.listKey)).toEqual(['111', '222', '333', '444']);

    await send('getPageConfig', {}, contentOnSite);
    expect(await send('getPageIdCount', { tabId: 7 }, extensionPage)).toMatchObject({ value: { count: 0 } });
    expect(await send('createAudienceFromPage', { tabId: 7, name: 'Empty' }, extensionPage)).toMatchObject({
      ok: false,
      error: { code: 'audience_empty' },
    });
    expect(await audiencesItem.getValue()).toHaveLength(1);
  });

  it('still counts and saves the page’s IDs after the worker slept', async () => {
    const first = setup();
    await first.send('getPageConfig', {}, contentOnSite);
    await first.send('lookupRelations', { userIds: ['111', '222', '333'] }, contentOnSite);
    await vi.waitFor(async () => expect((await pageIdsItem.getValue())[0]?.ids).toHaveLength(3));
    // A new worker: a new background, nothing in memory.
    const { send, store } = setup();
    expect(await send('getPageIdCount', { tabId: 7 }, extensionPage)).toEqual({
      ok: true,
      value: { count: 3, capped: false },
    });
    const reply = await send('createAudienceFromPage', { tabId: 7, name: 'After a sleep' }, extensionPage);
    expect(reply).toMatchObject({ ok: true, value: { count: 3 } });
    const [saved] = await audiencesItem.getValue();
    expect(await store.getList(saved!.listKey)).toEqual(['111', '222', '333']);
  });

  it('refuses a content script: it can neither create the audience nor read the count', async () => {
    const { send } = setup();
    await send('getPageConfig', {}, contentOnSite);
    await send('lookupRelations', { userIds: ['111', '222'] }, contentOnSite);
    expect(await send('createAudienceFromPage', { tabId: 7, name: 'From the page' }, contentOnSite)).toMatchObject({
      ok: false,
      refusal: 'refused_sender',
    });
    expect(await send('getPageIdCount', { tabId: 7 }, contentOnSite)).toMatchObject({
      ok: false,
      refusal: 'refused_sender',
    });
    expect(await audiencesItem.getValue()).toEqual([]);
  });

  it('takes no IDs with the command: only the tab and a name', async () => {
    const { send } = setup();
    await send('lookupRelations', { userIds: ['111'] }, contentOnSite);
    expect(
      await send('createAudienceFromPage', { tabId: 7, name: 'x', userIds: ['999'] }, extensionPage),
    ).toMatchObject({ ok: false, refusal: 'invalid_message' });
    expect(await audiencesItem.getValue()).toEqual([]);
  });
});
