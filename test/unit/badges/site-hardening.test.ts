import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBadgesFeature } from '../../../lib/background/badges';
import { createKakaoClient } from '../../../lib/kakao/client';
import { dispatch, type Handlers } from '../../../lib/messages/router';
import type { SenderFacts } from '../../../lib/messages/sender';
import { publicSuffixOf } from '../../../lib/badges/public-suffix';
import { SITE_EXPLANATIONS } from '../../../lib/badges/site-errors';
import { isPrivateHost, parseSitePattern, patternCoversOrigin } from '../../../lib/badges/sites';
import { badgeSitesItem } from '../../../lib/storage/badge-sites';
import { DEFAULT_SETTINGS, settingsItem } from '../../../lib/storage/settings';

/*
 * Issue 11 §2 (plain http only for private hosts) and §3 (wildcards over shared
 * domains, by the full Public Suffix List with its private section), in the
 * pattern parser both the options page and the background use, and in the
 * background's addSite and its check of which site a tab belongs to.
 */

describe('http:// only for private hosts', () => {
  it.each([
    'http://127.0.0.1/*',
    'http://127.8.9.10:8080/',
    'http://localhost:3000/admin/*',
    'http://10.1.2.3/*',
    'http://172.16.0.5/*',
    'http://172.31.255.1/*',
    'http://192.168.0.10/*',
    'http://crm.local/*',
    'http://*.corp.internal/*',
    'http://admin.internal/*',
  ])('accepts %s', (raw) => {
    expect(parseSitePattern(raw, publicSuffixOf)).toMatchObject({ ok: true });
  });

  it.each([
    'http://admin.example.com/*',
    'http://*.example.com/*',
    'http://172.32.0.1/*',
    'http://172.15.0.1/*',
    'http://11.0.0.1/*',
    'http://192.169.0.1/*',
    'http://8.8.8.8/*',
    'http://local.example.com/*',
    'http://example.internal.com/*',
  ])('refuses %s: https is required', (raw) => {
    expect(parseSitePattern(raw, publicSuffixOf)).toEqual({ ok: false, error: 'insecure' });
  });

  it('says which hosts may use http, in both languages', () => {
    expect(SITE_EXPLANATIONS.pattern_insecure.en).toMatch(/192\.168/);
    expect(SITE_EXPLANATIONS.pattern_insecure.ko).toMatch(/https:\/\//);
    expect(isPrivateHost('LOCALHOST')).toBe(true);
  });

  it('a public http site stored before the rule no longer gets badges', () => {
    expect(patternCoversOrigin('http://admin.example.com/*', 'http://admin.example.com')).toBe(false);
    expect(patternCoversOrigin('http://192.168.1.20/*', 'http://192.168.1.20:8080')).toBe(true);
  });
});

describe('wildcards over shared domains (Public Suffix List, private section included)', () => {
  it.each([
    ['https://*.cafe24.com/*', 'cafe24.com'],
    ['https://*.imweb.me/*', 'imweb.me'],
    ['https://*.myshopify.com/*', 'myshopify.com'],
    ['https://*.s3.amazonaws.com/*', 's3.amazonaws.com'],
    ['https://*.supabase.co/*', 'supabase.co'],
    ['https://*.r2.dev/*', 'r2.dev'],
    ['https://*.seoul.kr/*', 'seoul.kr'],
    ['https://*.busan.kr/*', 'busan.kr'],
    ['https://*.github.io/*', 'github.io'],
  ])('refuses %s, naming %s', (raw, domain) => {
    expect(parseSitePattern(raw, publicSuffixOf)).toEqual({ ok: false, error: 'suffix', domain });
  });

  it.each([
    'https://*.myshop.myshopify.com/*',
    'https://admin.myshopify.com/*',
    'https://*.admin.example.co.kr/*',
    'https://*.example.com/*',
    'https://mybucket.s3.amazonaws.com/*',
  ])('accepts a site of one owner: %s', (raw) => {
    expect(parseSitePattern(raw, publicSuffixOf)).toMatchObject({ ok: true });
  });

  it('a shared-domain wildcard stored before the rule covers no tab', () => {
    expect(patternCoversOrigin('https://*.myshopify.com/*', 'https://evil.myshopify.com', publicSuffixOf)).toBe(false);
  });
});

const EXT_ID = 'channeldeskextid';
const identity = { id: EXT_ID, origin: `chrome-extension://${EXT_ID}` };
type Sender = SenderFacts & { tab?: { id?: number; url?: string } };
const extensionPage = { id: EXT_ID, origin: `chrome-extension://${EXT_ID}` } as Sender;

function background() {
  const client = createKakaoClient({
    origin: 'https://kapi.example.test',
    getKey: async () => 'k',
    fetch: (async () => new Response('[]')) as typeof fetch,
  });
  const feature = createBadgesFeature(
    { apiOrigin: 'https://kapi.example.test', client },
    { hasOrigin: async () => true, backendIdentity: async () => 'key-test' },
  );
  return (name: string, data: unknown, sender: Sender) =>
    dispatch(name as keyof Handlers, data, sender, feature.handlers as unknown as Handlers, identity) as Promise<any>;
}

describe('the background checks too (a message can skip the options page)', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    vi.restoreAllMocks();
    vi.spyOn(fakeBrowser.scripting, 'getRegisteredContentScripts').mockResolvedValue([]);
    vi.spyOn(fakeBrowser.scripting, 'registerContentScripts').mockResolvedValue(undefined);
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, channelIds: ['_ZeUTxl'] });
  });

  it('addSite refuses a shared domain by name, and a public http site', async () => {
    const send = background();
    const shopify = await send('addSite', { pattern: 'https://*.myshopify.com/*' }, extensionPage);
    expect(shopify).toMatchObject({ ok: false, error: { code: -2 } });
    expect(shopify.error.explanation.en).toContain('myshopify.com');
    expect(shopify.error.explanation.ko).toContain('myshopify.com');
    const http = await send('addSite', { pattern: 'http://admin.example.com/*' }, extensionPage);
    expect(http).toMatchObject({ ok: false, error: { explanation: SITE_EXPLANATIONS.pattern_insecure } });
    expect(await badgeSitesItem.getValue()).toEqual([]);
    const ok = await send('addSite', { pattern: 'https://admin.myshop.com/*' }, extensionPage);
    expect(ok).toMatchObject({ ok: true });
  });

  it('a page on a shared-domain wildcard saved before the rule gets no lookups', async () => {
    await badgeSitesItem.setValue([{ pattern: 'https://*.supabase.co/*', rules: [] }]);
    const send = background();
    const reply = await send(
      'lookupRelations',
      { userIds: ['1234567890'] },
      { id: EXT_ID, origin: 'https://x.supabase.co', tab: { id: 3, url: 'https://x.supabase.co/' }, frameId: 0 },
    );
    expect(reply).toMatchObject({ ok: false, error: { explanation: SITE_EXPLANATIONS.not_enabled } });
  });
});
