import { z } from 'zod';
import { defineParsedItem } from './item';

/** The manager's sandbox choice: `auto` (on while no key is saved), `on` or `off` (lib/sandbox/state.ts). */
export const SandboxMode = z.enum(['auto', 'on', 'off']);
export type SandboxMode = z.infer<typeof SandboxMode>;

export const sandboxModeItem = defineParsedItem<SandboxMode>('local:sandboxMode', SandboxMode, 'auto');
