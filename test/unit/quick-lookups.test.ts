import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createFakePermissions } from './fake-permissions';
import { createBadgesFeature, CHECK_MENU_ID } from '../../lib/background/badges';
import { createQuickFeature } from '../../lib/background/quick';
import {
  createOmnibox,
  enteredUserId,
  escapeXml,
  omniboxView,
  parseOmniboxText,
  type OmniboxSuggestion,
} from '../../lib/background/quick/omnibox';
import { createKakaoClient } from '../../lib/kakao/client';
import { menusApi } from '../../lib/platform/menus';
import { TO_CONTENT_TYPE as TOAST_MESSAGE } from '../../lib/messages/to-content-guard';
import { createKakaoSimulator, SIM_ADMIN_KEY } from '../../lib/simulator/model';
import { pageLookupUseItem } from '../../lib/storage/lookup-budget';
import { DEFAULT_SETTINGS, recentLookupsItem, settingsItem } from '../../lib/storage/settings';

/*
 * Issue 13: quick lookups from the keyboard (commands) and the address bar (omnibox `kc`), and the budget gap:
 * right-click, shortcut and address-bar lookups count against the per-day lookup budget. Lookups go through the
 * real badges feature, the real client and the simulator.
 */

const CHANNELS = ['_ZeUTxl', '_frxjem'];
const MULTI = '/v2/api/talk/channels/multi';

/** i18n messages read as their key and substitutions (`name|sub1|sub2`), so tests assert which text is shown. */
function messagesAsKeys() {
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((name: string, subs?: string | string[]) =>
    [name, ...(subs === undefined ? [] : ([] as string[]).concat(subs))].join('|'),
  );
}

/** A backend per worker, so a previous test's late budget write never counts here. */
let backends = 0;

function setup() {
  const backend = `key-test-${++backends}`;
  const sim = createKakaoSimulator();
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
    { windowMs: 5, backendIdentity: async () => backend },
  );
  const multiCalls = () => sim.log.filter((e) => e.path === MULTI);
  return { sim, feature, multiCalls, backend };
}

beforeEach(async () => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
  messagesAsKeys();
  Object.assign(fakeBrowser.permissions, createFakePermissions().api);
  await settingsItem.setValue({ ...DEFAULT_SETTINGS, channelIds: CHANNELS, selectedChannelId: '_frxjem' });
});

describe('omnibox suggestions (the builder)', () => {
  it.each([
    ['', 'quick_omniboxEmpty'],
    ['   ', 'quick_omniboxEmpty'],
    ['12ab', 'firsthour_userIdNotDigits|20'],
    ['0123', 'firsthour_userIdLeadingZero|20'],
    ['123456789012345678901', 'firsthour_userIdTooLong|21|20'],
  ])('%j: one line saying why, no channel lines', (text, expected) => {
    const view = omniboxView(parseOmniboxText(text), true);
    expect(view).toEqual({ defaultDescription: expected, suggestions: [] });
  });

  it('a valid ID: a line per channel (the selected channel first), Enter opens the result', () => {
    const view = omniboxView(
      {
        kind: 'done',
        userId: '4018203344',
        selectedChannelId: '_frxjem',
        outcome: {
          channels: [
            { channelId: '_ZeUTxl', relation: 'BLOCKED', updatedAt: '2024-05-02T01:02:03Z' },
            { channelId: '_frxjem', name: '@myshop', relation: 'ADDED' },
          ],
        },
      },
      false,
    );
    expect(view.defaultDescription).toBe('quick_omniboxOpen|4018203344');
    expect(view.suggestions.map((s) => s.content)).toEqual(['4018203344 _frxjem', '4018203344 _ZeUTxl']);
    expect(view.suggestions[0]!.description).toBe('@myshop · _frxjem: relation_ADDED');
    expect(view.suggestions[1]!.description).toMatch(/^_ZeUTxl: relation_BLOCKED · common_changedAt\|.*2024/);
  });

  it('escapes XML for Chrome’s markup, and leaves Firefox’s plain text alone', () => {
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    const state = {
      kind: 'done' as const,
      userId: '42',
      selectedChannelId: null,
      outcome: { channels: [{ channelId: '_abc', name: '@a<b>&co', relation: 'NONE' as const }] },
    };
    const chrome = omniboxView(state, true).suggestions[0]!.description;
    expect(chrome).toBe('<match>@a&lt;b&gt;&amp;co · _abc</match>: relation_NONE');
    expect(omniboxView(state, false).suggestions[0]!.description).toBe('@a<b>&co · _abc: relation_NONE');
    // An invalid text's own characters are escaped too.
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((name: string) => `${name} <&>`);
    expect(omniboxView(parseOmniboxText('x'), true).defaultDescription).toBe('firsthour_userIdNotDigits &lt;&amp;&gt;');
  });

  it('over the day’s budget and on errors: one line saying so', () => {
    const limited = omniboxView(
      { kind: 'done', userId: '42', selectedChannelId: null, outcome: { limit: { scope: 'day', budget: 100 } } },
      false,
    );
    expect(limited).toEqual({ defaultDescription: 'budgets_limitDay|100', suggestions: [] });
    const failed = omniboxView(
      {
        kind: 'done',
        userId: '42',
        selectedChannelId: null,
        outcome: { error: { code: -401, message: { ko: '키', en: 'bad key' } } },
      },
      false,
    );
    expect(failed.defaultDescription).toMatch(/^page_resultError\|42\|/);
  });

  it('an entered channel line opens the result of its user ID', () => {
    expect(enteredUserId('4018203344 _ZeUTxl')).toBe('4018203344');
    expect(enteredUserId(' 4018203344 ')).toBe('4018203344');
    expect(enteredUserId('12ab')).toBe('12ab');
  });
});

describe('omnibox typing: debounced, cached, per channel, counted', () => {
  const DEBOUNCE = 60;
  function omnibox(debounceMs = DEBOUNCE) {
    const ctx = setup();
    const defaults: string[] = [];
    const omni = createOmnibox({
      cached: (id) => ctx.feature.quick.cached(id),
      lookup: (ids) => ctx.feature.quick.lookup(ids),
      markup: false,
      debounceMs,
      setDefaultSuggestion: (s) => void defaults.push(s.description),
      open: async () => undefined,
      pageUrl: (p) => `chrome-extension://x${p}`,
    });
    /** Types `text` one character at a time, `gapMs` apart, like a person; resolves when the last is answered. */
    async function type(text: string, gapMs = 10): Promise<OmniboxSuggestion[][]> {
      const shown: OmniboxSuggestion[][] = [];
      const pending: Promise<void>[] = [];
      for (let i = 1; i <= text.length; i++) {
        pending.push(omni.inputChanged(text.slice(0, i), (s) => void shown.push(s)));
        await new Promise((r) => setTimeout(r, gapMs));
      }
      await Promise.all(pending);
      return shown;
    }
    return { ...ctx, omni, defaults, type };
  }

  it('typing an ID key by key makes one call, for the whole ID, once the typing stopped', async () => {
    const { sim, multiCalls, type, defaults } = omnibox();
    const shown = await type('4018203344');
    expect(multiCalls()).toHaveLength(1);
    expect(multiCalls()[0]!.query.target_ids).toBe('4018203344');
    expect(defaults.filter((d) => d.startsWith('quick_omniboxChecking'))).toContain('quick_omniboxChecking|4018203344');
    expect(defaults.at(-1)).toBe('quick_omniboxOpen|4018203344');
    const last = shown.at(-1)!;
    expect(last.map((s) => s.content)).toEqual(['4018203344 _frxjem', '4018203344 _ZeUTxl']);
    for (const s of last) {
      const channel = s.content.split(' ')[1]!;
      expect(s.description).toContain(`relation_${sim.relationOf('4018203344', channel).relation}`);
    }
  });

  it('no call for a text that is no ID, or one typed and erased', async () => {
    const { multiCalls, type, omni } = omnibox();
    await type('4018a');
    // "40", then erased before the typing stopped.
    const typed = [omni.inputChanged('4', () => undefined), omni.inputChanged('40', () => undefined)];
    await new Promise((r) => setTimeout(r, 5));
    typed.push(omni.inputChanged('', () => undefined));
    await Promise.all(typed);
    await new Promise((r) => setTimeout(r, DEBOUNCE * 2));
    expect(multiCalls()).toHaveLength(0);
  });

  it('an ID in the cache is shown at once, without a call', async () => {
    // A long debounce: the cached answer must not wait for it.
    const { multiCalls, omni, defaults } = omnibox(2_000);
    await omni.inputChanged('4242', () => undefined);
    expect(multiCalls()).toHaveLength(1);
    defaults.length = 0;
    let lines: OmniboxSuggestion[] = [];
    const started = Date.now();
    await omni.inputChanged('4242', (s) => (lines = s));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(defaults).toEqual(['quick_omniboxOpen|4242']); // never "checking"
    expect(lines).toHaveLength(2);
    expect(multiCalls()).toHaveLength(1);
  });

  it('counts against the per-day budget; over it, says so and sends nothing', async () => {
    const { multiCalls, omni, defaults, backend } = omnibox();
    await settingsItem.setValue({ ...(await settingsItem.getValue()), pageLookupsPerDay: 1 });
    await omni.inputChanged('1111', () => undefined);
    expect(multiCalls()).toHaveLength(1);
    await vi.waitFor(async () => expect((await pageLookupUseItem.getValue())!.used[backend]).toBe(1));
    let lines: OmniboxSuggestion[] = [{ content: 'x', description: 'x' }];
    await omni.inputChanged('2222', (s) => (lines = s));
    expect(defaults.at(-1)).toBe('budgets_limitDay|1');
    expect(lines).toEqual([]);
    expect(multiCalls()).toHaveLength(1);
    // A cached ID still costs nothing.
    await omni.inputChanged('1111', () => undefined);
    expect(defaults.at(-1)).toBe('quick_omniboxOpen|1111');
  });

  it('Enter opens the popup’s result view where the disposition says', async () => {
    const tabs = {
      create: vi.fn(async () => ({}) as never),
      update: vi.fn(async () => ({}) as never),
      query: vi.fn(async () => [{ id: 5 }] as never),
    };
    const quick = createQuickFeature({ quick: setup().feature.quick, tabs, markup: false });
    const url = (id: string) => fakeBrowser.runtime.getURL(`/popup.html?userId=${id}` as '/popup.html');
    await quick.omnibox.inputEntered('4018203344 _ZeUTxl', 'currentTab');
    expect(tabs.update).toHaveBeenCalledWith(5, { url: url('4018203344') });
    await quick.omnibox.inputEntered('4018203344', 'newForegroundTab');
    expect(tabs.create).toHaveBeenLastCalledWith({ url: url('4018203344'), active: true });
    await quick.omnibox.inputEntered('4018203344', 'newBackgroundTab');
    expect(tabs.create).toHaveBeenLastCalledWith({ url: url('4018203344'), active: false });
  });
});

describe('the selection check: one path for the context menu and the shortcut', () => {
  function start(selection: string | Error = ' 4242 ') {
    const ctx = setup();
    const onClicked = vi.spyOn(menusApi().onClicked, 'addListener').mockImplementation(() => undefined);
    ctx.feature.start();
    const menuClick = onClicked.mock.calls[0]![0] as (info: unknown, tab?: unknown) => void;
    const executeScript = vi.fn(async () => {
      if (selection instanceof Error) throw selection;
      return [{ frameId: 0, result: selection }] as never;
    });
    const tabs = {
      create: vi.fn(async () => ({}) as never),
      update: vi.fn(async () => ({}) as never),
      query: vi.fn(async () => [{ id: 3 }] as never),
    };
    const quick = createQuickFeature({ quick: ctx.feature.quick, tabs, scripting: { executeScript } });
    const sent = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue({ shown: true });
    return { ...ctx, menuClick, quick, executeScript, tabs, sent };
  }

  it('the shortcut reads the active tab’s selection and shows the same toast the context menu shows', async () => {
    const { quick, menuClick, sent, executeScript, sim } = start();
    await quick.onCommand('check-selection', { id: 3 });
    expect(executeScript).toHaveBeenCalledWith(expect.objectContaining({ target: { tabId: 3, allFrames: true } }));
    menuClick({ menuItemId: CHECK_MENU_ID, selectionText: ' 4242 ' }, { id: 3 });
    await vi.waitFor(() => expect(sent).toHaveBeenCalledTimes(2));
    const [fromShortcut, fromMenu] = sent.mock.calls.map((c) => c[1]);
    expect(fromShortcut).toEqual(fromMenu);
    expect(fromShortcut).toMatchObject({ type: TOAST_MESSAGE, kind: 'result', userId: '4242' });
    const outcome = (fromShortcut as { outcome: { channels: { channelId: string; relation: string }[] } }).outcome;
    for (const c of outcome.channels) expect(c.relation).toBe(sim.relationOf('4242', c.channelId).relation);
    expect(await recentLookupsItem.getValue()).toEqual(['4242']);
  });

  it('the shortcut explains an invalid selection the way the menu does, with no call', async () => {
    const { quick, sent, multiCalls } = start('order #12-34');
    await quick.onCommand('check-selection', { id: 3 });
    expect(sent.mock.calls[0]![1]).toEqual({ type: TOAST_MESSAGE, kind: 'invalid', text: 'order #12-34' });
    expect(multiCalls()).toHaveLength(0);
  });

  it('nothing selected, or a page it cannot read: says so, with no call', async () => {
    const empty = start('');
    await empty.quick.onCommand('check-selection', { id: 3 });
    expect(empty.sent.mock.calls[0]![1]).toEqual({ type: TOAST_MESSAGE, kind: 'failed', text: 'quick_noSelection' });

    const locked = start(new Error('Cannot access a chrome:// URL'));
    const notify = vi.spyOn(fakeBrowser.notifications, 'create').mockResolvedValue('n');
    await locked.quick.onCommand('check-selection', { id: 3 });
    expect(((notify.mock.calls[0] as unknown[])[1] as { message: string }).message).toBe('quick_cannotRead');
    expect(empty.multiCalls().length + locked.multiCalls().length).toBe(0);
  });

  it('right-click lookups count against the per-day budget (not before issue 13); over it, refused and explained', async () => {
    const { menuClick, sent, multiCalls, backend } = start();
    await settingsItem.setValue({ ...(await settingsItem.getValue()), pageLookupsPerDay: 2, tabNewIdsPerMinute: 1 });
    const click = async (id: string) => {
      const before = sent.mock.calls.length;
      menuClick({ menuItemId: CHECK_MENU_ID, selectionText: id }, { id: 3 });
      await vi.waitFor(() => expect(sent.mock.calls.length).toBe(before + 1));
      return sent.mock.calls.at(-1)![1] as { kind: string; text?: string };
    };
    // Two new IDs in the same minute from the same tab: the per-tab budget (1) does not apply to quick lookups.
    expect(await click('1111')).toMatchObject({ kind: 'result' });
    expect(await click('2222')).toMatchObject({ kind: 'result' });
    await vi.waitFor(async () => expect(await pageLookupUseItem.getValue()).toMatchObject({ used: { [backend]: 2 } }));
    expect(await click('1111')).toMatchObject({ kind: 'result' }); // cached: free
    expect(await click('3333')).toEqual({ type: TOAST_MESSAGE, kind: 'failed', text: 'budgets_limitDay|2' });
    expect(multiCalls()).toHaveLength(2);
    expect(await recentLookupsItem.getValue()).not.toContain('3333');
  });

  it('the workspace shortcut opens the workspace', async () => {
    const { quick, tabs } = start();
    await quick.onCommand('open-workspace', { id: 3 });
    expect(tabs.create).toHaveBeenCalledWith({ url: fakeBrowser.runtime.getURL('/workspace.html') });
  });
});
