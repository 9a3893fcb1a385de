import { z } from 'zod';
import { ChannelId, UserId } from '../../kakao/ids';
import type { UserRelationship } from '../../kakao/schemas';
import type { KeyStatus } from '../../storage/key-vault';
import type { StorageStatus } from '../../storage/migrate';
import type { Settings } from '../../storage/settings';
import type { SandboxStatus } from '../../sandbox/state';
import type { ProfilesView } from '../../profiles/model';
import { defineCommand } from '../define';

export interface Status {
  key: KeyStatus;
  settings: Settings;
  apiOrigin: string;
  sandbox: SandboxStatus;
  /** Whether Kakao calls can be made: a key is saved, or the sandbox answers them. */
  ready: boolean;
  /** The channels features work on: the saved ones, or the demo channels while the sandbox is on. */
  channelIds: string[];
  /** Channel names (`@channeldesk`) by public ID, where Kakao told us (the demo names in the sandbox). */
  channelNames?: Record<string, string>;
  /** Stored data's schema and whether moving an older version's data in worked (lib/storage/migrate.ts). */
  storage?: StorageStatus;
  /** Every profile (never a key; whether one is saved) and the active one's id; `settings` are the active one's. */
  profiles?: ProfilesView;
}
export interface TestKeyResult {
  /** Which key was tested: the one typed in the field (not saved yet) or the saved one. */
  tested: 'typed' | 'saved';
  /** Channels linked to the app, as Kakao lists them for this key. */
  linkedChannels: { publicId: string; uuid: string | undefined }[];
  /** Whether Kakao's answer listed the linked channels (an answer about the made-up user does not). */
  linkedKnown: boolean;
  /**
   * Kakao accepted the key but answered with a code: what it means (e.g. -402 for the made-up user, -3 API not
   * allowed).
   */
  note?: { code: number | string; message: { ko: string; en: string } };
}

const AdminKeyInput = z.string().trim().min(1).max(200);
const ProfileIdInput = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** A relay token as typed (the relay asks for at least 16 characters, no spaces). */
const RelayTokenInput = z
  .string()
  .trim()
  .min(16)
  .max(512)
  .regex(/^[\x21-\x7e]+$/);
/** Relay mode's fields: a base URL (lib/profiles/model.ts checks it) and, when typed, the token. */
const RelayInput = {
  /** `direct` (the Admin key) or `relay`; omitted: the profile keeps its mode. */
  connectionMode: z.enum(['direct', 'relay']).optional(),
  relayUrl: z.string().trim().max(300).optional(),
  /** Omitted: keep the saved token. Goes to the key vault (as an Admin key would), never to the profile. */
  relayToken: RelayTokenInput.optional(),
};

/** Settings, the key, and the popup's single lookup. Extension pages only. */
export const coreCommands = {
  getStatus: defineCommand<Status>()({ allow: ['extension'], input: z.strictObject({}) }),
  saveSettings: defineCommand<Status>()({
    allow: ['extension'],
    input: z.strictObject({
      /** Omitted: keep the saved key. */
      adminKey: AdminKeyInput.optional(),
      channelIds: z.array(ChannelId).max(50),
      rememberKey: z.boolean(),
      /** The profile to save to; the active one when omitted. */
      profileId: ProfileIdInput.optional(),
      ...RelayInput,
    }),
  }),
  clearKey: defineCommand<Status>()({
    allow: ['extension'],
    input: z.strictObject({ profileId: ProfileIdInput.optional() }),
  }),
  /** One cheap real call. With `adminKey` it tests that (unsaved) key; otherwise the saved one. */
  testKey: defineCommand<TestKeyResult>()({
    allow: ['extension'],
    input: z.strictObject({
      adminKey: AdminKeyInput.optional(),
      profileId: ProfileIdInput.optional(),
      /** A relay profile's typed (unsaved) URL and token; the saved ones when omitted. */
      relayUrl: RelayInput.relayUrl,
      relayToken: RelayInput.relayToken,
    }),
  }),
  checkUser: defineCommand<UserRelationship>()({
    allow: ['extension'],
    input: z.strictObject({ userId: UserId, channelIds: z.array(ChannelId).max(50).optional() }),
  }),
  getRecentLookups: defineCommand<string[]>()({ allow: ['extension'], input: z.strictObject({}) }),
};
