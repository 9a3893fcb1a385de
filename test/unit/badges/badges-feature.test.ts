import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBadgesFeature, CHECK_MENU_ID } from '../../../lib/background/badges';
import { createKakaoClient } from '../../../lib/kakao/client';
import { dispatch, type Handlers } from '../../../lib/messages/router';
import type { SenderFacts } from '../../../lib/messages/sender';
import { createKakaoSimulator, SIM_ADMIN_KEY, simDropsUser, simLacksChannels } from '../../../lib/simulator/model';
import { SITE_EXPLANATIONS, sharedDomainExplanation } from '../../../lib/badges/site-errors';
import { TO_CONTENT_TYPE as TOAST_MESSAGE } from '../../../lib/messages/to-content-guard';
import { badgeSitesItem } from '../../../lib/storage/badge-sites';
import { recentLookupsItem, settingsItem, DEFAULT_SETTINGS } from '../../../lib/storage/settings';
import { kv } from '@/lib/storage/kv';
import { createFakePermissions } from '../fake-permissions';

const EXT_ID = 'channeldeskextid';
const EXT_ORIGIN = `chrome-extension://${EXT_ID}`;
const identity = { id: EXT_ID, origin: EXT_ORIGIN };
const CHANNELS = ['_ZeUTxl', '_frxjem'];
const SITE = 'https://admin.example.com/*';

type Sender = SenderFacts & { tab?: { id?: number; url?: string } };
const senders = {
  extensionPage: { id: EXT_ID, origin: EXT_ORIGIN } as Sender,
  contentOnSite: {
    id: EXT_ID,
    origin: 'https://admin.example.com',
    tab: { id: 7, url: 'https://admin.example.com/orders' },
    frameId: 0,
  } as Sender,
  contentOnSiteFirefox: {
    id: EXT_ID,
    envType: 'content_child',
    tab: { id: 8, url: 'https://admin.example.com:8443/x' },
    frameId: 0,
  } as Sender,
  contentInFrameFirefox: {
    id: EXT_ID,
    envType: 'content_child',
    tab: { id: 8, url: 'https://admin.example.com/x' },
    frameId: 3,
  } as Sender,
  contentElsewhere: {
    id: EXT_ID,
    origin: 'https://evil.example.net',
    tab: { id: 9, url: 'https://evil.example.net/' },
    frameId: 0,
  } as Sender,
  otherExtension: { id: 'someoneelse', origin: 'chrome-extension://someoneelse' } as Sender,
  webPage: { origin: 'https://admin.example.com', tab: { id: 7 } } as Sender,
};

function setup() {
  const sim = createKakaoSimulator();
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const out = sim.handle({
      method: init?.method ?? 'GET',
      url: url.pathname + url.search,
      headers,
      body: String(init?.body ?? ''),
    });
    if (!out.response) throw new TypeError('network');
    return new Response(out.response.body, { status: out.response.status, headers: out.response.headers });
  }) as typeof globalThis.fetch;
  const client = createKakaoClient({ origin: 'https://kapi.example.test', getKey: async () => SIM_ADMIN_KEY, fetch });
  const feature = createBadgesFeature({ apiOrigin: 'https://kapi.example.test', client }, { windowMs: 5 });
  const handlers = feature.handlers as unknown as Handlers;
  const send = <K extends keyof Handlers>(name: K, data: unknown, sender: Sender) =>
    dispatch(name, data, sender, handlers, identity);
  const multiCalls = () => sim.log.filter((e) => e.path === '/v2/api/talk/channels/multi');
  return { sim, feature, send, multiCalls };
}

let permissions = createFakePermissions();
beforeEach(async () => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
  permissions = createFakePermissions();
  Object.assign(fakeBrowser.permissions, permissions.api);
  await settingsItem.setValue({ ...DEFAULT_SETTINGS, channelIds: CHANNELS, selectedChannelId: '_frxjem' });
  await badgeSitesItem.setValue([{ pattern: SITE, rules: [{ selector: 'td.member' }] }]);
});

describe('lookupRelations: the content script’s read-only command', () => {
  it('answers relations and change times only, matching the API, for a registered site', async () => {
    const { sim, send, multiCalls } = setup();
    const reply = await send('lookupRelations', { userIds: ['111', '222', '111'] }, senders.contentOnSite);
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    expect(reply.value.selectedChannelId).toBe('_frxjem');
    expect(Object.keys(reply.value.users).sort()).toEqual(['111', '222']);
    for (const id of ['111', '222']) {
      const outcome = reply.value.users[id]!;
      expect('channels' in outcome).toBe(true);
      if (!('channels' in outcome)) continue;
      for (const c of outcome.channels) {
        const truth = sim.relationOf(id, c.channelId);
        expect(c.relation).toBe(truth.relation);
        expect(c.updatedAt).toBe(truth.updatedAt);
        expect(Object.keys(c).every((k) => ['channelId', 'name', 'relation', 'updatedAt'].includes(k))).toBe(true);
      }
    }
    const text = JSON.stringify(reply);
    expect(text).not.toContain(SIM_ADMIN_KEY);
    expect(text).not.toMatch(/KakaoAK|channel_public_id|user_id|authorization/i);
    expect(multiCalls()).toHaveLength(1);
  });

  it('variant answers: users without channels or left out are UNKNOWN with the reason, their batch-mates exact', async () => {
    const { sim, send, multiCalls } = setup();
    sim.setDialect('variant');
    const ids = Array.from({ length: 150 }, (_, i) => String(4_000_000 + i));
    const reply = await send('lookupRelations', { userIds: ids }, senders.contentOnSite);
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    expect(ids.some(simLacksChannels) && ids.some(simDropsUser)).toBe(true);
    for (const id of ids) {
      const outcome = reply.value.users[id]!;
      if (!('channels' in outcome)) throw new Error(`${id}: ${JSON.stringify(outcome)}`);
      expect(outcome.channels.map((c) => c.channelId).sort()).toEqual([...CHANNELS].sort());
      for (const c of outcome.channels) {
        if (simLacksChannels(id))
          expect(c).toEqual({ channelId: c.channelId, relation: 'UNKNOWN', reason: 'no_channels' });
        else if (simDropsUser(id))
          expect(c).toEqual({ channelId: c.channelId, relation: 'UNKNOWN', reason: 'not_answered' });
        else {
          expect(c.relation).toBe(sim.relationOf(id, c.channelId).relation);
          expect(c.updatedAt).toBe(sim.relationOf(id, c.channelId).updatedAt);
          expect(c.reason).toBeUndefined();
        }
      }
    }
    expect(multiCalls()).toHaveLength(1);
  });

  it('takes the origin from the tab when the browser gives no sender origin (Firefox)', async () => {
    const { send } = setup();
    const reply = await send('lookupRelations', { userIds: ['111'] }, senders.contentOnSiteFirefox);
    expect(reply.ok).toBe(true);
  });

  it('does not take the tab’s origin for a subframe (it may be another site inside the manager’s page)', async () => {
    const { send, multiCalls } = setup();
    const reply = await send('lookupRelations', { userIds: ['111'] }, senders.contentInFrameFirefox);
    expect(reply).toMatchObject({ ok: false, error: { code: -2, explanation: SITE_EXPLANATIONS.not_enabled } });
    expect(multiCalls()).toHaveLength(0);
  });

  it('refuses a content script on a site the manager did not add, without any API call', async () => {
    const { send, multiCalls } = setup();
    const reply = await send('lookupRelations', { userIds: ['111'] }, senders.contentElsewhere);
    expect(reply).toMatchObject({ ok: false, error: { code: -2, explanation: SITE_EXPLANATIONS.not_enabled } });
    expect(multiCalls()).toHaveLength(0);
  });

  it.each([
    ['another extension', senders.otherExtension],
    ['a web page', senders.webPage],
    ['an extension page (only the content script looks relations up this way)', senders.extensionPage],
  ])('refuses %s', async (_name, sender) => {
    const { send, multiCalls } = setup();
    expect(await send('lookupRelations', { userIds: ['111'] }, sender)).toMatchObject({
      ok: false,
      refusal: 'refused_sender',
    });
    expect(multiCalls()).toHaveLength(0);
  });

  it.each([
    [{ userIds: [] }],
    [{ userIds: ['12ab'] }],
    [{ userIds: ['0123'] }],
    [{ userIds: [123] }],
    [{ userIds: Array.from({ length: 501 }, (_, i) => String(i + 1)) }],
    [{ userIds: ['111'], channelIds: ['_ZeUTxl'] }],
    [{ userIds: ['111'], key: 'x' }],
  ])('refuses malformed input %j', async (input) => {
    const { send, multiCalls } = setup();
    expect(await send('lookupRelations', input, senders.contentOnSite)).toMatchObject({
      ok: false,
      refusal: 'invalid_message',
    });
    expect(multiCalls()).toHaveLength(0);
  });
});

describe('the badge channel of a site (issue 16 item 11)', () => {
  it('a site saved before the setting existed stays readable and follows the default channel', async () => {
    const { send } = setup();
    await kv.set('pageSites', [{ pattern: SITE, rules: [] }]);
    const listed = await send('listSites', {}, senders.extensionPage);
    expect(listed).toMatchObject({
      ok: true,
      value: { sites: [{ pattern: SITE, rules: [] }], channelIds: CHANNELS, defaultBadgeChannel: '_frxjem' },
    });
    const reply = await send('lookupRelations', { userIds: ['111'] }, senders.contentOnSite);
    expect(reply).toMatchObject({ ok: true, value: { selectedChannelId: '_frxjem' } });
  });

  it.each(['_ZeUTxl', 'any'])('the manager picks %s for a site; its badges follow it', async (choice) => {
    const { send } = setup();
    const saved = await send('saveSiteBadgeChannel', { pattern: SITE, badgeChannel: choice }, senders.extensionPage);
    expect(saved).toMatchObject({ ok: true, value: { sites: [{ pattern: SITE, badgeChannel: choice }] } });
    expect((await badgeSitesItem.getValue())[0]!.badgeChannel).toBe(choice);
    const reply = await send('lookupRelations', { userIds: ['111'] }, senders.contentOnSite);
    expect(reply).toMatchObject({ ok: true, value: { selectedChannelId: choice } });
  });

  it('refuses a channel that is not configured, or an unknown site, with the reason', async () => {
    const { send } = setup();
    expect(
      await send('saveSiteBadgeChannel', { pattern: SITE, badgeChannel: '_nothere' }, senders.extensionPage),
    ).toMatchObject({
      ok: false,
      error: { code: -2, explanation: SITE_EXPLANATIONS.unknown_channel },
    });
    expect(
      await send(
        'saveSiteBadgeChannel',
        { pattern: 'https://other.example.com/*', badgeChannel: 'any' },
        senders.extensionPage,
      ),
    ).toMatchObject({
      ok: false,
      error: { explanation: SITE_EXPLANATIONS.unknown_site },
    });
    expect(
      await send('saveSiteBadgeChannel', { pattern: SITE, badgeChannel: 'all' }, senders.extensionPage),
    ).toMatchObject({ ok: false, refusal: 'invalid_message' });
    expect((await badgeSitesItem.getValue())[0]!.badgeChannel).toBeUndefined();
  });

  it('a chosen channel later removed from Settings falls back to the default', async () => {
    const { send } = setup();
    await send('saveSiteBadgeChannel', { pattern: SITE, badgeChannel: '_ZeUTxl' }, senders.extensionPage);
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, channelIds: ['_frxjem'] });
    const reply = await send('lookupRelations', { userIds: ['111'] }, senders.contentOnSite);
    expect(reply).toMatchObject({ ok: true, value: { selectedChannelId: '_frxjem' } });
  });
});

describe('sender classes for the page commands', () => {
  const matrix: [keyof Handlers, unknown, keyof typeof senders, boolean][] = [
    ['getPageConfig', {}, 'contentOnSite', true],
    ['getPageConfig', {}, 'extensionPage', false],
    ['reportPageCounts', { found: 1, friends: 0 }, 'extensionPage', false],
    ['listSites', {}, 'contentOnSite', false],
    ['addSite', { pattern: 'https://x.example.com/*' }, 'contentOnSite', false],
    ['removeSite', { pattern: SITE }, 'contentOnSite', false],
    ['saveSiteRules', { pattern: SITE, rules: [] }, 'contentOnSite', false],
    ['savePageCacheTtl', { cacheTtlMinutes: 1 }, 'contentOnSite', false],
    ['saveSiteBadgeChannel', { pattern: SITE, badgeChannel: 'any' }, 'contentOnSite', false],
    ['saveSiteBadgeChannel', { pattern: SITE, badgeChannel: 'any' }, 'extensionPage', true],
    ['clearPageCache', { recheck: false }, 'contentOnSite', false],
    ['listSites', {}, 'extensionPage', true],
    ['clearPageCache', { recheck: false }, 'extensionPage', true],
    ['getStatus', {}, 'contentOnSite', false],
    ['checkUser', { userId: '111' }, 'contentOnSite', false],
  ];
  it.each(matrix)('%s from %s: allowed=%s', async (name, input, sender, allowed) => {
    const { send } = setup();
    const reply = await send(name, input, senders[sender]);
    if (allowed) expect(reply).not.toMatchObject({ refusal: 'refused_sender' });
    else expect(reply).toMatchObject({ ok: false, refusal: 'refused_sender' });
  });

  it('explains a refused site in the manager’s words (not Kakao’s -2 text about user IDs)', async () => {
    const { send } = setup();
    const shared = await send('addSite', { pattern: 'https://*.co.kr/*' }, senders.extensionPage);
    expect(shared).toMatchObject({ ok: false, error: { code: -2, explanation: sharedDomainExplanation('co.kr') } });
    vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(false);
    const denied = await send('addSite', { pattern: 'https://shop.example.com/*' }, senders.extensionPage);
    expect(denied).toMatchObject({ ok: false, error: { explanation: SITE_EXPLANATIONS.no_permission } });
    const unknown = await send(
      'saveSiteRules',
      { pattern: 'https://nowhere.example.com/*', rules: [] },
      senders.extensionPage,
    );
    expect(unknown).toMatchObject({ ok: false, error: { explanation: SITE_EXPLANATIONS.unknown_site } });
    for (const reply of [shared, denied, unknown]) expect(JSON.stringify(reply)).not.toMatch(/user IDs|회원번호/);
  });

  it('a site saved before `*://` and shared-suffix wildcards were refused gets no script and does not break removing others', async () => {
    await badgeSitesItem.setValue([
      { pattern: '*://*.legacy.example.com/*', rules: [] },
      { pattern: SITE, rules: [] },
    ]);
    const { send } = setup();
    const contentOnLegacy = {
      ...senders.contentOnSite,
      origin: 'https://a.legacy.example.com',
      tab: { id: 11, url: 'https://a.legacy.example.com/' },
    };
    expect(await send('getPageConfig', {}, contentOnLegacy)).toEqual({
      ok: true,
      value: { enabled: false, rules: [] },
    });
    vi.spyOn(fakeBrowser.scripting, 'getRegisteredContentScripts').mockResolvedValue([]);
    const register = vi.spyOn(fakeBrowser.scripting, 'registerContentScripts').mockResolvedValue(undefined);
    vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(true);
    vi.spyOn(fakeBrowser.permissions, 'remove').mockResolvedValue(true);
    vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({
      manifest_version: 3,
      name: 'x',
      version: '1',
      host_permissions: [],
    });
    const removed = await send('removeSite', { pattern: SITE }, senders.extensionPage);
    expect(removed).toMatchObject({ ok: true, value: { sites: [{ pattern: '*://*.legacy.example.com/*' }] } });
    expect(register).not.toHaveBeenCalled(); // no script for the legacy pattern
    expect(await send('removeSite', { pattern: '*://*.legacy.example.com/*' }, senders.extensionPage)).toMatchObject({
      ok: true,
      value: { sites: [] },
    });
  });

  it('registers a stored site’s script once its host is granted later, and drops it when access is taken back', async () => {
    vi.spyOn(fakeBrowser.scripting, 'getRegisteredContentScripts').mockResolvedValue([]);
    const register = vi.spyOn(fakeBrowser.scripting, 'registerContentScripts').mockResolvedValue(undefined);
    vi.spyOn(fakeBrowser.menus.onClicked, 'addListener').mockImplementation(() => undefined);
    const { feature } = setup();
    feature.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(register).not.toHaveBeenCalled(); // stored (a refused import), but no access: no script

    await permissions.api.request({ origins: ['https://admin.example.com/*'] });
    await vi.waitFor(() => expect(register).toHaveBeenCalledTimes(1));
    expect(register.mock.calls[0]![0]).toMatchObject([{ matches: [SITE] }]);

    vi.spyOn(fakeBrowser.scripting, 'getRegisteredContentScripts').mockResolvedValue(
      register.mock.calls[0]![0] as never,
    );
    const unregister = vi.spyOn(fakeBrowser.scripting, 'unregisterContentScripts').mockResolvedValue(undefined);
    await permissions.api.remove({ origins: ['https://admin.example.com/*'] });
    await vi.waitFor(() => expect(unregister).toHaveBeenCalledTimes(1));
  });

  it('gives a registered site its rules and any other origin nothing', async () => {
    const { send } = setup();
    expect(await send('getPageConfig', {}, senders.contentOnSite)).toEqual({
      ok: true,
      value: { enabled: true, rules: [{ selector: 'td.member' }] },
    });
    expect(await send('getPageConfig', {}, senders.contentElsewhere)).toEqual({
      ok: true,
      value: { enabled: false, rules: [] },
    });
  });
});

// Chrome has only `contextMenus`; Firefox with a "menus" permission has `menus` (fakeBrowser has both).
// Firefox has no `onClicked.dispatch`, so both builds' handlers are driven from here.
const firefoxMenus = (fakeBrowser as unknown as { menus: typeof fakeBrowser.contextMenus }).menus;
const BUILDS = [
  { build: 'Chrome: contextMenus', ns: 'contextMenus', other: 'menus' },
  { build: 'Firefox: menus', ns: 'menus', other: 'contextMenus' },
] as const;

describe.each(BUILDS)('context menu on a selection ($build)', ({ ns, other }) => {
  const namespaces = () =>
    fakeBrowser as unknown as Record<'menus' | 'contextMenus', typeof fakeBrowser.contextMenus | undefined>;
  beforeEach(() => {
    namespaces().menus = ns === 'menus' ? firefoxMenus : undefined;
  });
  afterEach(() => {
    namespaces().menus = firefoxMenus;
  });

  function start() {
    const ctx = setup();
    const api = namespaces()[ns]!;
    const onClicked = vi.spyOn(api.onClicked, 'addListener').mockImplementation(() => undefined);
    const create = vi.spyOn(api, 'create').mockImplementation(() => 1);
    vi.spyOn(api, 'remove').mockRejectedValue(new Error('Cannot find menu item'));
    ctx.feature.start();
    const listener = onClicked.mock.calls[0]![0] as (info: unknown, tab?: unknown) => void;
    return { ...ctx, listener, create };
  }

  it('creates the selection item on install, in this build’s namespace only', async () => {
    const otherApi = namespaces()[other];
    const otherCreate = otherApi ? vi.spyOn(otherApi, 'create').mockImplementation(() => 1) : null;
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((key: string) => key);
    const { create } = start();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install', temporary: false });
    await vi.waitFor(() =>
      expect(create).toHaveBeenCalledWith(
        expect.objectContaining({ id: CHECK_MENU_ID, title: 'page_menuTitle', contexts: ['selection'] }),
      ),
    );
    if (otherCreate) expect(otherCreate).not.toHaveBeenCalled();
  });

  it('shows a valid ID’s relations as an in-page toast and remembers the lookup', async () => {
    const { sim, listener } = start();
    const sent = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue({ shown: true });
    listener({ menuItemId: CHECK_MENU_ID, selectionText: ' 4242 ' }, { id: 3 });
    await vi.waitFor(() => expect(sent).toHaveBeenCalled());
    const message = sent.mock.calls[0]![1] as {
      kind: string;
      userId: string;
      outcome: { channels: { channelId: string; relation: string }[] };
    };
    expect(message).toMatchObject({
      type: TOAST_MESSAGE,
      kind: 'result',
      userId: '4242',
      selectedChannelId: '_frxjem',
    });
    for (const c of message.outcome.channels) expect(c.relation).toBe(sim.relationOf('4242', c.channelId).relation);
    await vi.waitFor(async () => expect(await recentLookupsItem.getValue()).toEqual(['4242']));
  });

  it('explains an invalid selection without calling the API', async () => {
    const { listener, multiCalls } = start();
    const sent = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue({ shown: true });
    listener({ menuItemId: CHECK_MENU_ID, selectionText: 'order #12-34' }, { id: 3 });
    await vi.waitFor(() => expect(sent).toHaveBeenCalled());
    expect(sent.mock.calls[0]![1]).toEqual({ type: TOAST_MESSAGE, kind: 'invalid', text: 'order #12-34' });
    expect(multiCalls()).toHaveLength(0);
  });

  it('shows a failed check as an in-page toast (no unhandled rejection)', async () => {
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(
      (key: string, subs?: string | string[]) => `${key}(${[subs ?? []].flat().join('|')})`,
    );
    const { listener } = start();
    vi.spyOn(settingsItem, 'getValue').mockRejectedValue(new Error('storage is gone'));
    const sent = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue({ shown: true });
    listener({ menuItemId: CHECK_MENU_ID, selectionText: '4242' }, { id: 3 });
    await vi.waitFor(() => expect(sent).toHaveBeenCalled());
    const message = sent.mock.calls[0]![1] as { type: string; kind: string; text: string };
    expect(message).toMatchObject({ type: TOAST_MESSAGE, kind: 'failed' });
    expect(message.text).toMatch(/^page_menuFailed\(.+\)$/);
  });

  it('shows a failed check as a notification where no content script answers', async () => {
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(
      (key: string, subs?: string | string[]) => `${key}(${[subs ?? []].flat().join('|')})`,
    );
    const { listener } = start();
    vi.spyOn(settingsItem, 'getValue').mockRejectedValue(new Error('storage is gone'));
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockRejectedValue(new Error('Could not establish connection'));
    const notify = vi.spyOn(fakeBrowser.notifications, 'create').mockResolvedValue('n');
    listener({ menuItemId: CHECK_MENU_ID, selectionText: '4242' }, { id: 3 });
    await vi.waitFor(() => expect(notify).toHaveBeenCalled());
    expect(((notify.mock.calls[0] as unknown[])[1] as { message: string }).message).toMatch(/^page_menuFailed\(.+\)$/);
  });

  it('falls back to a browser notification where no content script answers', async () => {
    const words: Record<string, string> = {
      relation_ADDED: 'Friend (added)',
      relation_BLOCKED: 'Blocked',
      relation_NONE: 'Not added',
    };
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(
      (key: string, subs?: string | string[]) => words[key] ?? `${key}(${[subs ?? []].flat().join('|')})`,
    );
    vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue('en-US');
    const { sim, listener } = start();
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockRejectedValue(new Error('Could not establish connection'));
    const notify = vi.spyOn(fakeBrowser.notifications, 'create').mockResolvedValue('n');
    listener({ menuItemId: CHECK_MENU_ID, selectionText: '4242' }, { id: 3 });
    await vi.waitFor(() => expect(notify).toHaveBeenCalled());
    const options = (notify.mock.calls[0] as unknown[])[1] as { message: string };
    expect(options.message).toContain('page_resultFor(4242)');
    expect(options.message).toContain(
      `@채널데스크: ${words[`relation_${sim.relationOf('4242', '_ZeUTxl').relation}`]}`,
    );
    expect(options.message).toContain(`@myshop: ${words[`relation_${sim.relationOf('4242', '_frxjem').relation}`]}`);
  });
});
