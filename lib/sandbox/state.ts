import { sandboxLocked, type ManagedPolicy } from '../policy';
import { currentPolicy } from '../policy/current';
import { hasKey, keyWasCleared } from '../storage/key-vault';
import { activeProfileId } from '../profiles/store';
import { SandboxMode, sandboxModeItem } from '../storage/sandbox-mode';

/*
 * Sandbox mode: the background answers every Kakao API call from the built-in
 * simulator instead of Kakao. `auto` (the default) means "on while no key is
 * saved", so a fresh install shows the whole product on demo data; saving a key
 * puts the setting back to `auto`, which turns the sandbox off. `on`/`off` are
 * the manager's explicit choice from the options page.
 *
 * `auto` does not turn the sandbox on when a key saved for one browser session
 * ("remember" off) went with the browser closing: the manager has real channels
 * saved and must be asked for the key again, never shown demo answers for them.
 *
 * Background only (it reads the vault to decide `auto`). Pages get SandboxStatus.
 */
// The stored item is declared with every other one in lib/storage.
export { SandboxMode, sandboxModeItem };

export interface SandboxStatus {
  /** Every API call is answered by the simulator right now. */
  active: boolean;
  mode: SandboxMode;
  /** The organisation turned the sandbox off (policy `sandboxAllowed: false`): off, and the switch is locked. */
  managed?: true;
}

export function isSandboxActive(mode: SandboxMode, keySaved: boolean, keyCleared = false): boolean {
  return mode === 'on' || (mode === 'auto' && !keySaved && !keyCleared);
}

/**
 * `sandboxStatus` from what a status has already read: the policy, the mode and the profile's key status (`saved`
 * is what `hasKey` says, `cleared` what `keyWasCleared` says of a key not saved).
 */
export function sandboxStatusOf(
  policy: ManagedPolicy | null,
  mode: SandboxMode,
  key: { saved: boolean; cleared?: boolean },
): SandboxStatus {
  if (sandboxLocked(policy)) return { active: false, mode: 'off', managed: true };
  if (mode !== 'auto') return { active: mode === 'on', mode };
  return { active: isSandboxActive(mode, key.saved, !key.saved && key.cleared === true), mode };
}

/** The sandbox for a profile (the active one when none is named): `auto` looks at that profile's key. */
export async function sandboxStatus(profileId?: string): Promise<SandboxStatus> {
  if (sandboxLocked((await currentPolicy()).policy)) return { active: false, mode: 'off', managed: true };
  const mode = await sandboxModeItem.getValue();
  if (mode !== 'auto') return { active: mode === 'on', mode };
  const id = profileId ?? (await activeProfileId());
  const keySaved = await hasKey(id); // a PIN-locked key counts: never demo answers while it is locked
  return { active: isSandboxActive(mode, keySaved, !keySaved && (await keyWasCleared(id))), mode };
}
