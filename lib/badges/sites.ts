/*
 * Sites where the manager turned badges on, as match patterns. Only http(s)
 * hosts are accepted, never a bare `*` host or <all_urls>: the extension asks for
 * one site's permission at a time, from the user's click. Ports are dropped
 * because match patterns cannot carry them (the pattern covers every port).
 */

export type SitePatternError = 'empty' | 'scheme' | 'host' | 'path' | 'suffix' | 'insecure';

export type ParsedSitePattern =
  | { ok: true; pattern: string; origin: string }
  | { ok: false; error: Exclude<SitePatternError, 'suffix'> }
  /** `domain`: the shared domain the wildcard would cover, e.g. `myshopify.com`. */
  | { ok: false; error: 'suffix'; domain: string };

/**
 * The public suffix of a host by the full Public Suffix List, private section included
 * (`myshopify.com` for `shop.myshopify.com`), or null. lib/badges/public-suffix.ts gives it
 * (tldts); without it only the built-in list below is checked.
 */
export type PublicSuffixOf = (host: string) => string | null;

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
  // Korean shop builders that hand out subdomains to every shop; not (yet) in the Public Suffix List.
  'cafe24.com',
  'imweb.me',
  'sixshop.com',
  'godomall.com',
  'makeshop.co.kr',
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

/** The shared domain `base` (what `*.` would cover) is, when it is a public or multi-tenant suffix; else null. */
function sharedDomain(base: string, publicSuffixOf?: PublicSuffixOf): string | null {
  if (SHARED_SUFFIXES.has(base)) return base;
  const labels = base.split('.');
  if (labels.length === 2 && /^[a-z]{2}$/.test(labels[1]!) && CC_SECOND_LEVELS.has(labels[0]!)) return base;
  const suffix = publicSuffixOf?.(base);
  return suffix === base ? base : null;
}

/**
 * Hosts where plain http is accepted: they never cross the public internet (loopback, the
 * private ranges 10/8, 172.16/12, 192.168/16, and `localhost`, `*.local`, `*.internal`).
 * Anything else must be https, so no network in between can rewrite the page the badges run on.
 */
export function isPrivateHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\*\./, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal')) return true;
  if (!IPV4.test(h)) return false;
  const [a, b] = h.split('.').map(Number) as [number, number];
  return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/**
 * Accepts `https://admin.example.com/*`, `https://admin.example.com`, `admin.example.com/orders/*`, `*.example.com`;
 * refuses the `*` scheme, `http://` outside private hosts, and wildcards over shared suffixes (`*.co.kr`,
 * `*.github.io`, and with `publicSuffixOf` every public suffix of the PSL: `*.myshopify.com`, `*.seoul.kr`).
 */
export function parseSitePattern(raw: string, publicSuffixOf?: PublicSuffixOf): ParsedSitePattern {
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
  if (scheme === 'http' && !isPrivateHost(host)) return { ok: false, error: 'insecure' };
  if (host.startsWith('*.')) {
    const domain = sharedDomain(host.slice(2), publicSuffixOf);
    if (domain !== null) return { ok: false, error: 'suffix', domain };
  }
  let path = match[3] ?? '/*';
  if (path === '/') path = '/*';
  if (/[\s#?]/.test(path)) return { ok: false, error: 'path' };
  return { ok: true, pattern: `${scheme}://${host}${path}`, origin: `${scheme}://${host}/*` };
}

/** The host permission a site pattern needs: the same scheme and host, any path. */
export function originPermission(pattern: string, publicSuffixOf?: PublicSuffixOf): string {
  const parsed = parseSitePattern(pattern, publicSuffixOf);
  if (!parsed.ok) throw new Error(`not a site pattern: ${pattern}`);
  return parsed.origin;
}

/** Does a page origin (e.g. https://admin.example.com:8443) fall under a site pattern's scheme and host? */
export function patternCoversOrigin(pattern: string, origin: string, publicSuffixOf?: PublicSuffixOf): boolean {
  const parsed = parseSitePattern(pattern, publicSuffixOf);
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
