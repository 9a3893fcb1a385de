/*
 * Managers' tokens. The relay keeps only their SHA-256 hashes in memory, and compares a presented token with every
 * known one in constant time (hash, then compare all 32 bytes of every entry without stopping early), so neither the
 * timing nor the order of entries tells how close a guess was. Web Crypto only: the same code runs on Node and Workers.
 */

export interface TokenEntry {
  name: string;
  hash: Uint8Array;
}

const encoder = new TextEncoder();

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

export const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ (b[i] ?? 0);
  return diff === 0;
}

/** The name of the manager whose token this is, or null. */
export async function tokenName(entries: readonly TokenEntry[], presented: string): Promise<string | null> {
  const hash = await sha256(presented);
  let found: string | null = null;
  for (const entry of entries) {
    if (sameBytes(entry.hash, hash) && found === null) found = entry.name;
  }
  return found;
}

/** The token a request presents as `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match ? match[1]! : null;
}
