import { z } from 'zod';
import { ChannelId, UserId } from '../kakao/ids';
import type { KakaoErrorInfo } from '../kakao/errors';
import type { UserRelationship } from '../kakao/schemas';
import type { KeyStatus } from '../storage/key-vault';
import type { Settings } from '../storage/settings';
import type { SenderClass } from './sender';

/*
 * The protocol: every command the background answers, the zod schema of its
 * input, and which sender classes may send it. A command missing here has no
 * listener, so the browser reports that nobody answered (fail closed). Inputs are
 * strict objects: an unexpected key is a refusal, not something ignored.
 */

export const Commands = {
  getStatus: { allow: ['extension'], input: z.strictObject({}) },
  saveSettings: {
    allow: ['extension'],
    input: z.strictObject({
      /** Omitted: keep the saved key. */
      adminKey: z.string().trim().min(1).max(200).optional(),
      channelIds: z.array(ChannelId).max(50),
      rememberKey: z.boolean(),
    }),
  },
  clearKey: { allow: ['extension'], input: z.strictObject({}) },
  /** One cheap real call. With `adminKey` it tests that (unsaved) key; otherwise the saved one. */
  testKey: { allow: ['extension'], input: z.strictObject({ adminKey: z.string().trim().min(1).max(200).optional() }) },
  checkUser: {
    allow: ['extension'],
    input: z.strictObject({ userId: UserId, channelIds: z.array(ChannelId).max(50).optional() }),
  },
  getRecentLookups: { allow: ['extension'], input: z.strictObject({}) },
} satisfies Record<string, { allow: readonly SenderClass[]; input: z.ZodType }>;

export type CommandName = keyof typeof Commands;
export type CommandInput<K extends CommandName> = z.input<(typeof Commands)[K]['input']>;

export type RefusalCode = 'refused_sender' | 'invalid_message';
export type Reply<T> =
  | { ok: true; value: T }
  | { ok: false; error: KakaoErrorInfo }
  | { ok: false; refusal: RefusalCode; detail: string };

export interface Status {
  key: KeyStatus;
  settings: Settings;
  apiOrigin: string;
}
export interface TestKeyResult {
  /** Channels linked to the app, as Kakao lists them for this key. */
  linkedChannels: { publicId: string; uuid: string | undefined }[];
}

export interface CommandOutputs {
  getStatus: Status;
  saveSettings: Status;
  clearKey: Status;
  testKey: TestKeyResult;
  checkUser: UserRelationship;
  getRecentLookups: string[];
}

/** The map @webext-core/messaging types its calls with. */
export type ProtocolMap = {
  [K in CommandName]: (data: CommandInput<K>) => Reply<CommandOutputs[K]>;
};
