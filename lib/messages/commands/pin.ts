import { z } from 'zod';
import { LockAfterMinutes, PinInput, type KeyStatus, type PinOutcome } from '../../storage/key-vault';
import { defineCommand, type CommandTable } from '../define';

/** What every PIN command answers: how the try went (always `ok` where nothing was tried) and the key's status now. */
export interface PinReply extends PinOutcome {
  key: KeyStatus;
}

/** Profile ids are short tokens (lib/storage/key-vault.ts checks the same). */
const ProfileIdInput = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/**
 * The PIN lock of a profile's remembered key (lib/storage/key-vault.ts). Extension pages only: a content script can
 * neither try PINs nor lock, unlock or unprotect the key.
 */
export const pinCommands = {
  unlockKey: defineCommand<PinReply>()({
    allow: ['extension'],
    input: z.strictObject({ profileId: ProfileIdInput, pin: PinInput }),
  }),
  lockKey: defineCommand<PinReply>()({ allow: ['extension'], input: z.strictObject({ profileId: ProfileIdInput }) }),
  /** Sets or changes the PIN; changing it needs `currentPin`. */
  setPin: defineCommand<PinReply>()({
    allow: ['extension'],
    input: z.strictObject({ profileId: ProfileIdInput, pin: PinInput, currentPin: PinInput.optional() }),
  }),
  removePin: defineCommand<PinReply>()({
    allow: ['extension'],
    input: z.strictObject({ profileId: ProfileIdInput, currentPin: PinInput }),
  }),
  setLockAfter: defineCommand<PinReply>()({
    allow: ['extension'],
    input: z.strictObject({ profileId: ProfileIdInput, minutes: LockAfterMinutes }),
  }),
} satisfies CommandTable;
