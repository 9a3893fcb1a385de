/*
 * Sites where the manager turned badges on, as match patterns. Only http(s)
 * hosts are accepted, never a bare `*` host or <all_urls>: the extension asks for
 * one site's permission at a time, from the user's click. Ports are dropped
 * because match patterns cannot carry them (the pattern covers every port).
 */

export type SitePatternError = 'empty' | 'scheme' | 'host' | 'path' | 'suffix';

export type ParsedSitePattern = { ok: true; pattern: string; origin: string } | { ok: false; error: SitePatternError };

const HOST = /^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+$/i;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Suffixes under which anyone can get a host (shared hosting and registry
 * second levels): a wildcard over one of them would cover strangers' sites.
 */
const SHARED_SUFFIXES = new Set([
  'github.io',
  'gitlab.io',
  'pages.dev',
  'workers.dev',
  'vercel.app',
  'netlify.app',
  'web.app',
  'firebaseapp.com',
  'herokuapp.com',
  'azurewebsites.net',
  'cloudfront.net',
  'appspot.com',
  'blogspot.com',
  'glitch.me',
  'onrender.com',
  'fly.dev',
  'repl.co',
  'ngrok.io',
  'ngrok-free.app',
  'amazonaws.com',
  'wordpress.com',
  'tistory.com',
]);
/** Second levels that ccTLD registries hand out to the public (co.kr, or.kr, com.au, co.uk, ac.jp, …). */
const CC_SECOND_LEVELS = new Set([
  'co',
  'com',
  'or',
  'org',
  'ne',
  'net',
  'go',
  'gov',
  'gob',
  're',
  'ac',
  'edu',
  'pe',
  'mil',
  'ltd',
  'plc',
  'nom',
  'gen',
  'biz',
  'info',
  'sch',
  'kg',
  'es',
  'ms',
  'hs',
  'sc',
  'nic',
  'int',
  'gouv',
  'gv',
  'lg',
  'ed',
  'ad',
]);

/** Is `base` (what `*.` would cover) a public or multi-tenant suffix? */
function isSharedSuffix(base: string): boolean {
  if (SHARED_SUFFIXES.has(base)) return true;
  const labels = base.split('.');
  return labels.length === 2 && /^[a-z]{2}$/.test(labels[1]!) && CC_SECOND_LEVELS.has(labels[0]!);
}

/**
 * Accepts `https://admin.example.com/*`, `https://admin.example.com`, `admin.example.com/orders/*`, `*.example.com`;
 * refuses the `*` scheme and wildcards over shared suffixes (`*.co.kr`, `*.github.io`).
 */
export function parseSitePattern(raw: string): ParsedSitePattern {
  let text = raw.trim();
  if (text === '') return { ok: false, error: 'empty' };
  if (!text.includes('://')) text = `https://${text}`;
  const match = /^([a-z*]+):\/\/([^/]*)(\/.*)?$/i.exec(text);
  if (!match) return { ok: false, error: 'host' };
  const scheme = match[1]!.toLowerCase();
  // Not `*://`: a site is http or https, so the permission asked for is never wider than needed.
  if (scheme !== 'http' && scheme !== 'https') return { ok: false, error: 'scheme' };
  const host = match[2]!.toLowerCase().replace(/:\d+$/, '');
  if (
    !(HOST.test(host) || IPV4.test(host)) ||
    host === '*' ||
    (host.startsWith('*.') && !host.slice(2).includes('.'))
  ) {
    return { ok: false, error: 'host' };
  }
  if (host.startsWith('*.') && isSharedSuffix(host.slice(2))) return { ok: false, error: 'suffix' };
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
  if (scheme !== pageScheme) return false;
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
