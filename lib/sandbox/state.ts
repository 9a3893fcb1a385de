import { z } from 'zod';
import { readKey } from '../storage/key-vault';
import { defineParsedItem } from '../storage/item';

/*
 * Sandbox mode: the background answers every Kakao API call from the built-in
 * simulator instead of Kakao. `auto` (the default) means "on while no key is
 * saved", so a fresh install shows the whole product on demo data; saving a key
 * puts the setting back to `auto`, which turns the sandbox off. `on`/`off` are
 * the manager's explicit choice from the options page.
 *
 * Background only (it reads the vault to decide `auto`). Pages get SandboxStatus.
 */
export const SandboxMode = z.enum(['auto', 'on', 'off']);
export type SandboxMode = z.infer<typeof SandboxMode>;

export const sandboxModeItem = defineParsedItem<SandboxMode>('local:sandboxMode', SandboxMode, 'auto');

export interface SandboxStatus {
  /** Every API call is answered by the simulator right now. */
  active: boolean;
  mode: SandboxMode;
}

export function isSandboxActive(mode: SandboxMode, keySaved: boolean): boolean {
  return mode === 'on' || (mode === 'auto' && !keySaved);
}

export async function sandboxStatus(): Promise<SandboxStatus> {
  const mode = await sandboxModeItem.getValue();
  if (mode !== 'auto') return { active: mode === 'on', mode };
  return { active: isSandboxActive(mode, (await readKey()) !== null), mode };
}
