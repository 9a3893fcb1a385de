import type { KakaoErrorInfo } from '../kakao/errors';
import type { CommandTable, InputOf, OutputOf } from './define';
import { apiLogCommands } from './commands/api-log';
import { coreCommands } from './commands/core';
import { diagnoseCommands } from './commands/diagnose';
import { growthCommands } from './commands/growth';
import { pinCommands } from './commands/pin';
import { badgeCommands } from './commands/badges';
import { workspaceCommands } from './commands/workspace';
import { profileCommands } from './commands/profiles';
import { policyCommands } from './commands/policy';
import { audienceCommands } from './commands/audiences';
import { pageIdCommands } from './commands/pageids';

/*
 * The protocol: every command the background answers, the zod schema of its
 * input, and which sender classes may send it (see sender.ts). Each feature keeps
 * its commands in commands/<feature>.ts. A command missing here has no listener,
 * so the browser reports that nobody answered (fail closed). Inputs are strict
 * objects: an unexpected key is a refusal, not something ignored.
 */
export const Commands = {
  ...coreCommands,
  ...workspaceCommands,
  ...badgeCommands,
  ...growthCommands,
  ...apiLogCommands,
  ...diagnoseCommands,
  ...pinCommands,
  ...profileCommands,
  ...policyCommands,
  ...audienceCommands,
  ...pageIdCommands,
} satisfies CommandTable;

export type { Status, TestKeyResult } from './commands/core';
export type { PinReply } from './commands/pin';

export type CommandName = keyof typeof Commands;
export type CommandInput<K extends CommandName> = InputOf<(typeof Commands)[K]>;
export type CommandOutputs = { [K in CommandName]: OutputOf<(typeof Commands)[K]> };

type RefusalCode = 'refused_sender' | 'invalid_message';
export type Reply<T> =
  { ok: true; value: T } | { ok: false; error: KakaoErrorInfo } | { ok: false; refusal: RefusalCode; detail: string };

/** The map @webext-core/messaging types its calls with. */
export type ProtocolMap = {
  [K in CommandName]: (data: CommandInput<K>) => Reply<CommandOutputs[K]>;
};
