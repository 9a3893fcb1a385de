import { describe, expect, it } from 'vitest';
import { originPermission, parseSitePattern, patternCoversOrigin, scriptIdFor } from '../../../lib/page/sites';

describe('site patterns', () => {
  it.each([
    ['https://admin.example.com/*', 'https://admin.example.com/*', 'https://admin.example.com/*'],
    ['https://admin.example.com', 'https://admin.example.com/*', 'https://admin.example.com/*'],
    ['  admin.example.com/orders/*  ', 'https://admin.example.com/orders/*', 'https://admin.example.com/*'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1/*', 'http://127.0.0.1/*'],
    ['*://*.corp.example.com/*', '*://*.corp.example.com/*', '*://*.corp.example.com/*'],
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
    ['*://*/*', 'host'],
    ['https://*.com/*', 'host'],
    ['https://exa mple.com/*', 'host'],
    ['https://example.com/a b', 'path'],
    ['https://example.com/?q=1', 'path'],
  ])('refuses %j (%s)', (raw, error) => {
    expect(parseSitePattern(raw)).toEqual({ ok: false, error });
  });

  it('matches a sender origin against the pattern scheme and host, any port', () => {
    expect(patternCoversOrigin('http://127.0.0.1/*', 'http://127.0.0.1:43123')).toBe(true);
    expect(patternCoversOrigin('https://admin.example.com/orders/*', 'https://admin.example.com')).toBe(true);
    expect(patternCoversOrigin('https://admin.example.com/*', 'http://admin.example.com')).toBe(false);
    expect(patternCoversOrigin('https://admin.example.com/*', 'https://evil.example.com')).toBe(false);
    expect(patternCoversOrigin('https://admin.example.com/*', 'https://admin.example.com.evil.test')).toBe(false);
    expect(patternCoversOrigin('*://*.example.com/*', 'https://a.b.example.com')).toBe(true);
    expect(patternCoversOrigin('*://*.example.com/*', 'https://example.com')).toBe(true);
    expect(patternCoversOrigin('*://*.example.com/*', 'https://notexample.com')).toBe(false);
    expect(patternCoversOrigin('*://*.example.com/*', 'chrome-extension://abc')).toBe(false);
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
