import { describe, expect, it } from 'vitest';
import { originPermission, parseSitePattern, patternCoversOrigin, scriptIdFor } from '../../../lib/badges/sites';

describe('site patterns', () => {
  it.each([
    ['https://admin.example.com/*', 'https://admin.example.com/*', 'https://admin.example.com/*'],
    ['https://admin.example.com', 'https://admin.example.com/*', 'https://admin.example.com/*'],
    ['  admin.example.com/orders/*  ', 'https://admin.example.com/orders/*', 'https://admin.example.com/*'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1/*', 'http://127.0.0.1/*'],
    ['https://*.corp.example.com/*', 'https://*.corp.example.com/*', 'https://*.corp.example.com/*'],
    ['https://*.shop.co.kr/*', 'https://*.shop.co.kr/*', 'https://*.shop.co.kr/*'],
    ['https://*.myteam.github.io/*', 'https://*.myteam.github.io/*', 'https://*.myteam.github.io/*'],
    ['HTTPS://Admin.Example.COM/cs/*', 'https://admin.example.com/cs/*', 'https://admin.example.com/*'],
  ])('normalises %j', (raw, pattern, origin) => {
    expect(parseSitePattern(raw)).toEqual({ ok: true, pattern, origin });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['ftp://files.example.com/*', 'scheme'],
    ['file:///etc/*', 'scheme'],
    ['<all_urls>', 'host'],
    ['https://*/*', 'host'],
    ['*://*/*', 'scheme'],
    ['*://*.corp.example.com/*', 'scheme'],
    ['*://admin.example.com/*', 'scheme'],
    ['https://*.co.kr/*', 'suffix'],
    ['https://*.or.kr/*', 'suffix'],
    ['https://*.go.kr/*', 'suffix'],
    ['https://*.ne.kr/*', 'suffix'],
    ['https://*.re.kr/*', 'suffix'],
    ['https://*.co.uk/*', 'suffix'],
    ['https://*.com.au/*', 'suffix'],
    ['*.github.io', 'suffix'],
    ['https://*.pages.dev/*', 'suffix'],
    ['https://*.vercel.app/*', 'suffix'],
    ['https://*.netlify.app/*', 'suffix'],
    ['https://*.web.app/*', 'suffix'],
    ['https://*.firebaseapp.com/*', 'suffix'],
    ['https://*.herokuapp.com/*', 'suffix'],
    ['https://*.azurewebsites.net/*', 'suffix'],
    ['https://*.cloudfront.net/*', 'suffix'],
    ['https://*.appspot.com/*', 'suffix'],
    ['https://*.blogspot.com/*', 'suffix'],
    ['https://*.com/*', 'host'],
    ['https://exa mple.com/*', 'host'],
    ['https://example.com/a b', 'path'],
    ['https://example.com/?q=1', 'path'],
  ])('refuses %j (%s)', (raw, error) => {
    const parsed = parseSitePattern(raw);
    expect(parsed).toMatchObject({ ok: false, error });
    // A refused wildcard names the shared domain it would cover.
    if (error === 'suffix')
      expect(parsed).toEqual({ ok: false, error, domain: raw.replace(/^.*\*\.([^/]+).*$/, '$1') });
  });

  it('matches a sender origin against the pattern scheme and host, any port', () => {
    expect(patternCoversOrigin('http://127.0.0.1/*', 'http://127.0.0.1:43123')).toBe(true);
    expect(patternCoversOrigin('https://admin.example.com/orders/*', 'https://admin.example.com')).toBe(true);
    expect(patternCoversOrigin('https://admin.example.com/*', 'http://admin.example.com')).toBe(false);
    expect(patternCoversOrigin('https://admin.example.com/*', 'https://evil.example.com')).toBe(false);
    expect(patternCoversOrigin('https://admin.example.com/*', 'https://admin.example.com.evil.test')).toBe(false);
    expect(patternCoversOrigin('https://*.example.com/*', 'https://a.b.example.com')).toBe(true);
    expect(patternCoversOrigin('https://*.example.com/*', 'https://example.com')).toBe(true);
    expect(patternCoversOrigin('https://*.example.com/*', 'https://notexample.com')).toBe(false);
    expect(patternCoversOrigin('https://*.example.com/*', 'http://a.example.com')).toBe(false);
    expect(patternCoversOrigin('https://*.example.com/*', 'chrome-extension://abc')).toBe(false);
    // A pattern saved before `*://` and shared suffixes were refused covers nothing.
    expect(patternCoversOrigin('*://*.example.com/*', 'https://a.example.com')).toBe(false);
    expect(patternCoversOrigin('https://*.co.kr/*', 'https://shop.co.kr')).toBe(false);
    expect(patternCoversOrigin('https://admin.example.com/*', 'null')).toBe(false);
  });

  it('gives each pattern a stable registration id and its host permission', () => {
    expect(scriptIdFor('https://a.example.com/*')).toBe(scriptIdFor('https://a.example.com/*'));
    expect(scriptIdFor('https://a.example.com/*')).not.toBe(scriptIdFor('https://b.example.com/*'));
    expect(scriptIdFor('https://a.example.com/*')).toMatch(/^cd-badges-[0-9a-z]+$/);
    expect(originPermission('https://a.example.com/orders/*')).toBe('https://a.example.com/*');
    expect(() => originPermission('ftp://x')).toThrow();
  });
});
