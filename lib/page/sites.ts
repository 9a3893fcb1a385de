/*
 * Sites where the manager turned badges on, as match patterns. Only http(s)
 * hosts are accepted, never a bare `*` host or <all_urls>: the extension asks for
 * one site's permission at a time, from the user's click. Ports are dropped
 * because match patterns cannot carry them (the pattern covers every port).
 */

export type SitePatternError = 'empty' | 'scheme' | 'host' | 'path';

export type ParsedSitePattern = { ok: true; pattern: string; origin: string } | { ok: false; error: SitePatternError };

const HOST = /^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+$/i;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Accepts `https://admin.example.com/*`, `https://admin.example.com`, `admin.example.com/orders/*`, `*.example.com`. */
export function parseSitePattern(raw: string): ParsedSitePattern {
  let text = raw.trim();
  if (text === '') return { ok: false, error: 'empty' };
  if (!text.includes('://')) text = `https://${text}`;
  const match = /^([a-z*]+):\/\/([^/]*)(\/.*)?$/i.exec(text);
  if (!match) return { ok: false, error: 'host' };
  const scheme = match[1]!.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https' && scheme !== '*') return { ok: false, error: 'scheme' };
  const host = match[2]!.toLowerCase().replace(/:\d+$/, '');
  if (!(HOST.test(host) || IPV4.test(host)) || host === '*' || host.startsWith('*.') && !host.slice(2).includes('.')) {
    return { ok: false, error: 'host' };
  }
  let path = match[3] ?? '/*';
  if (path === '/') path = '/*';
  if (/[\s#?]/.test(path)) return { ok: false, error: 'path' };
  return { ok: true, pattern: `${scheme}://${host}${path}`, origin: `${scheme}://${host}/*` };
}

/** The host permission a site pattern needs: the same scheme and host, any path. */
export function originPermission(pattern: string): string {
  const parsed = parseSitePattern(pattern);
  if (!parsed.ok) throw new Error(`not a site pattern: ${pattern}`);
  return parsed.origin;
}

/** Does a page origin (e.g. https://admin.example.com:8443) fall under a site pattern's scheme and host? */
export function patternCoversOrigin(pattern: string, origin: string): boolean {
  const parsed = parseSitePattern(pattern);
  if (!parsed.ok) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const [scheme, rest] = parsed.pattern.split('://') as [string, string];
  const host = rest.slice(0, rest.indexOf('/'));
  const pageScheme = url.protocol.slice(0, -1);
  if (scheme === '*' ? pageScheme !== 'http' && pageScheme !== 'https' : scheme !== pageScheme) return false;
  const pageHost = url.hostname.toLowerCase();
  if (host.startsWith('*.')) {
    const base = host.slice(2);
    return pageHost === base || pageHost.endsWith(`.${base}`);
  }
  return pageHost === host;
}

/** A stable registration id for a site's content script (scripting ids may not start with `_`). */
export function scriptIdFor(pattern: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < pattern.length; i++) {
    h ^= pattern.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `cd-badges-${(h >>> 0).toString(36)}`;
}
