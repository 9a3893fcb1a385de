// Its own minified build: bundling the source build let the minifier copy the 68 KB label string into two places.
import { getPublicSuffix } from 'tldts/dist/index.esm.min.js';
import type { PublicSuffixOf } from './sites';

/*
 * The Public Suffix List check for site patterns (tldts, the full list with its
 * private section: myshopify.com, s3.amazonaws.com, supabase.co, r2.dev, …).
 * The background imports it directly; the options page loads it lazily (about
 * 50 KB gzipped, kept out of the page's first paint).
 */
export const publicSuffixOf: PublicSuffixOf = (host) => getPublicSuffix(host, { allowPrivateDomains: true });
