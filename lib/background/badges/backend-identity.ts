import { isSandboxActive } from '../../sandbox/state';
import { sandboxModeItem } from '../../storage/sandbox-mode';
import { hasKey, keyWasCleared, readKey } from '../../storage/key-vault';
import { activeProfileId } from '../../profiles/store';

/*
 * Which backend answers badge lookups right now, as a cache namespace: the
 * sandbox, or a short SHA-256 fingerprint of the saved key (never the key), so
 * cached relations from the sandbox or from another key are never shown as the
 * current key's. Background only.
 */

/** The first 16 hex digits of SHA-256(key): enough to tell keys apart, useless for recovering one. */
export async function keyFingerprint(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)));
  return Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** For a profile's key (the active profile's when none is named). */
export async function backendIdentity(profileId?: string): Promise<string> {
  const id = profileId ?? (await activeProfileId());
  const [mode, saved] = await Promise.all([sandboxModeItem.getValue(), hasKey(id)]);
  if (isSandboxActive(mode, saved, !saved && (await keyWasCleared(id)))) return 'sandbox';
  // A PIN-locked key throws `key_locked` here: lookups ask for the PIN, never fall back to the sandbox.
  const key = saved ? await readKey(id) : null;
  return key === null ? 'no-key' : `key-${await keyFingerprint(key)}`;
}
