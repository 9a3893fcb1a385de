import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBadgesFeature } from '../../../lib/background/badges';
import { createGrowthFeature } from '../../../lib/background/growth';
import { createHandlers } from '../../../lib/background/handlers';
import { createPolicyFeature } from '../../../lib/background/policy';
import { createKakaoClient } from '../../../lib/kakao/client';
import { dispatch, type Handlers } from '../../../lib/messages/router';
import type { SenderFacts } from '../../../lib/messages/sender';
import { forgetPolicy } from '../../../lib/policy/current';
import { sandboxModeItem } from '../../../lib/storage/sandbox-mode';
import { badgeSitesItem } from '../../../lib/storage/badge-sites';
import { DEFAULT_SETTINGS, settingsItem } from '../../../lib/storage/settings';

/*
 * The background enforces the organisation's policy itself: a message that skips the locked
 * fields of the options page (or a page that was open before the policy arrived) is refused
 * with `policy_managed`, and the managed values are the ones that apply.
 */

const EXT_ID = 'channeldeskextid';
const identity = { id: EXT_ID, origin: `chrome-extension://${EXT_ID}` };
type Sender = SenderFacts & { tab?: { id?: number; url?: string } };
const page = { id: EXT_ID, origin: `chrome-extension://${EXT_ID}` } as Sender;
const KEY = 'fedcba9876543210fedcba9876543210';

const POLICY = {
  profiles: [
    {
      name: 'Seoul store',
      channelIds: ['_ZeUTxl'],
      colour: '#1e88e5',
      sites: [{ pattern: 'https://admin.example.com/*', rules: [{ selector: '.uid' }] }],
    },
  ],
  lookupBudgets: { pageLookupsPerDay: 2000 },
  sandboxAllowed: false,
  webhookTester: false,
  adminKey: KEY,
};

function setPolicy(raw: Record<string, unknown> | null) {
  const managed = fakeBrowser.storage.managed as unknown as { get: () => Promise<unknown> };
  vi.spyOn(managed, 'get').mockImplementation(() =>
    raw === null ? Promise.reject(new Error('Managed storage manifest not found')) : Promise.resolve(raw),
  );
  forgetPolicy();
}

function background(granted: (origin: string) => boolean = () => true) {
  const core = createHandlers({
    apiOrigin: 'https://kapi.example.test',
    fetch: (async () => new Response('[]')) as typeof fetch,
  });
  const client = createKakaoClient({
    origin: 'https://kapi.example.test',
    getKey: async () => 'k',
    fetch: (async () => new Response('[]')) as typeof fetch,
  });
  const deps = { apiOrigin: 'https://kapi.example.test', client };
  const badges = createBadgesFeature(deps, {
    hasOrigin: async (o) => granted(o),
    backendIdentity: async () => 'key-test',
  });
  const growth = createGrowthFeature({ ...deps, hasOrigin: async () => true, fetch: async () => new Response('ok') });
  const policy = createPolicyFeature();
  const handlers = { ...core, ...badges.handlers, ...growth.handlers, ...policy.handlers } as unknown as Handlers;
  return (name: string, data: unknown, sender: Sender = page) =>
    dispatch(name as keyof Handlers, data, sender, handlers, identity) as Promise<any>;
}

beforeEach(async () => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
  vi.spyOn(fakeBrowser.scripting, 'getRegisteredContentScripts').mockResolvedValue([]);
  vi.spyOn(fakeBrowser.scripting, 'registerContentScripts').mockResolvedValue(undefined);
  await settingsItem.setValue({ ...DEFAULT_SETTINGS, channelIds: ['_ZeUTxl'] });
});

// Other files share this module graph: no policy (and no parsed copy of one) outlives a test here.
afterEach(() => {
  vi.restoreAllMocks();
  forgetPolicy();
});

describe('the policy, background side', () => {
  it('hands extension pages the parsed policy without the key, and refuses content scripts', async () => {
    setPolicy(POLICY);
    const send = background();
    const r = await send('getPolicy', {});
    expect(r.ok).toBe(true);
    expect(r.value.policy.profiles[0].name).toBe('Seoul store');
    expect(r.value.notes).toMatchObject([{ kind: 'key', path: 'adminKey' }]);
    expect(JSON.stringify(r)).not.toContain(KEY);
    const content = { ...page, origin: 'https://admin.example.com', tab: { id: 3 } } as Sender;
    expect(await send('getPolicy', {}, content)).toMatchObject({ ok: false, refusal: 'refused_sender' });
  });

  it('without managed storage nothing is managed and everything works as before', async () => {
    setPolicy(null);
    const send = background();
    expect((await send('getPolicy', {})).value).toEqual({ policy: null, notes: [] });
    expect(await send('setSandboxMode', { mode: 'on' })).toMatchObject({ ok: true, value: { active: true } });
    const saved = await send('saveLookupBudgets', { tabNewIdsPerMinute: 10, pageLookupsPerDay: 20 });
    expect(saved).toMatchObject({ ok: true, value: { budgets: { tabNewIdsPerMinute: 10, pageLookupsPerDay: 20 } } });
    expect(saved.value.managedSites).toEqual([]);
  });

  it('sandbox off by policy: off whatever the stored choice, and turning it on is refused', async () => {
    await sandboxModeItem.setValue('on');
    setPolicy(POLICY);
    const send = background();
    const status = await send('getStatus', {});
    expect(status.value.sandbox).toEqual({ active: false, mode: 'off', managed: true });
    const refused = await send('setSandboxMode', { mode: 'on' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'policy_managed' } });
    expect(refused.error.explanation.ko).toContain('조직에서 설정한');
    expect(await sandboxModeItem.getValue()).toBe('on'); // the user's own choice is kept for when the policy goes
  });

  it('a managed budget applies and cannot be changed; the other stays the user’s', async () => {
    setPolicy(POLICY);
    const send = background();
    const listed = await send('listSites', {});
    expect(listed.value.budgets).toMatchObject({
      tabNewIdsPerMinute: DEFAULT_SETTINGS.tabNewIdsPerMinute,
      pageLookupsPerDay: 2000,
      managed: { tabNewIdsPerMinute: false, pageLookupsPerDay: true },
    });
    const changed = await send('saveLookupBudgets', { tabNewIdsPerMinute: 50, pageLookupsPerDay: 9999 });
    expect(changed).toMatchObject({ ok: false, error: { code: 'policy_managed' } });
    expect((await settingsItem.getValue()).pageLookupsPerDay).toBe(DEFAULT_SETTINGS.pageLookupsPerDay);
    // The form sends both: the managed one at its policy value, the user's one changed.
    const ok = await send('saveLookupBudgets', { tabNewIdsPerMinute: 50, pageLookupsPerDay: 2000 });
    expect(ok).toMatchObject({ ok: true, value: { budgets: { tabNewIdsPerMinute: 50, pageLookupsPerDay: 2000 } } });
    // The user's own day budget is kept under the policy's, for when the policy goes.
    expect(await settingsItem.getValue()).toMatchObject({
      tabNewIdsPerMinute: 50,
      pageLookupsPerDay: DEFAULT_SETTINGS.pageLookupsPerDay,
    });
  });

  it('the webhook tester off by policy refuses to send', async () => {
    setPolicy(POLICY);
    const send = background();
    const r = await send('sendTestWebhook', {
      channelId: '_ZeUTxl',
      channelUuid: '@shop',
      url: 'https://hooks.example.com/kakao',
      event: 'added',
      idType: 'app_user_id',
      id: '1234',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'policy_managed' } });
  });

  it('managed sites: listed with their grant, badges run there, and the manager cannot change or remove them', async () => {
    setPolicy(POLICY);
    let granted = false;
    const send = background(() => granted);
    const before = await send('listSites', {});
    expect(before.value.managedSites).toMatchObject([
      { pattern: 'https://admin.example.com/*', profileName: 'Seoul store', granted: false },
    ]);
    const tab = { id: 7, url: 'https://admin.example.com/orders' };
    const content = { id: EXT_ID, origin: 'https://admin.example.com', tab } as Sender;
    expect(await send('getPageConfig', {}, content)).toMatchObject({
      ok: true,
      value: { enabled: true, rules: [{ selector: '.uid' }] },
    });
    for (const [name, data] of [
      ['removeSite', { pattern: 'https://admin.example.com/*' }],
      ['saveSiteRules', { pattern: 'https://admin.example.com/*', rules: [] }],
      ['saveSiteBadgeChannel', { pattern: 'admin.example.com', badgeChannel: 'any' }],
    ] as const) {
      expect(await send(name, data)).toMatchObject({ ok: false, error: { code: 'policy_managed' } });
    }
    // "Grant access": the page asks the browser, then tells the background; the site is not copied into the user's.
    granted = true;
    const after = await send('addSite', { pattern: 'https://admin.example.com/*' });
    expect(after.value.managedSites[0].granted).toBe(true);
    expect(await badgeSitesItem.getValue()).toEqual([]);
    expect(fakeBrowser.scripting.registerContentScripts).toHaveBeenCalledWith([
      expect.objectContaining({ matches: ['https://admin.example.com/*'] }),
    ]);
  });
});
