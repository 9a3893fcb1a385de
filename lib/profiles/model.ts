import { z } from 'zod';
import { ChannelId } from '../kakao/ids';
import { DEFAULT_PROFILE_ID } from '../storage/key-vault';
import { PROFILE_COLOURS } from './colours';

/*
 * A profile: one Kakao app's set-up (a name, its channels, its colour). Its Admin key is kept by the key vault
 * under the profile's id (lib/storage/key-vault.ts), never here, never exported.
 */

export { DEFAULT_PROFILE_ID, PROFILE_COLOURS };

/** Short tokens, safe inside a storage key (the vault checks the same form). */
export const ProfileId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const ProfileColour = z.enum(PROFILE_COLOURS);
export type ProfileColour = z.infer<typeof ProfileColour>;

export const PROFILE_NAME_MAX = 40;
export const MAX_PROFILES = 20;
/** A name as typed: trimmed, 1–40 characters. */
export const ProfileName = z.string().trim().min(1).max(PROFILE_NAME_MAX);

/** How a profile reaches Kakao: straight with its Admin key, or through the organisation's relay with a token. */
export const ConnectionMode = z.enum(['direct', 'relay']);
export type ConnectionMode = z.infer<typeof ConnectionMode>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/**
 * A relay's base URL: https (http only on this computer, for a relay run locally), no credentials, query or
 * fragment; a path prefix is kept (`https://relay.example.com/kakao`), without its trailing slash.
 */
export const RelayUrl = z
  .string()
  .trim()
  .max(300)
  .transform((raw, ctx) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a URL' });
      return z.NEVER;
    }
    const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
    if (!secure || url.username || url.password || url.search || url.hash) {
      ctx.addIssue({ code: 'custom', message: 'an https URL without credentials, query or fragment' });
      return z.NEVER;
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  });

/** The host permission a relay URL needs (match patterns carry no port). */
export function relayHostPermission(relayUrl: string): string {
  const url = new URL(relayUrl);
  return `${url.protocol}//${url.hostname}/*`;
}

export const Profile = z.object({
  id: ProfileId,
  /** Empty only for the profile a fresh install starts with (shown as "Default profile"). */
  name: z.string().trim().max(PROFILE_NAME_MAX),
  colour: ProfileColour,
  channelIds: z.array(ChannelId).max(50).default([]),
  /** The channel the popup and badges show first. */
  selectedChannelId: ChannelId.optional(),
  /** Keep this profile's Admin key (or relay token) on this device after the browser closes. */
  rememberKey: z.boolean().default(false),
  /**
   * Direct (the Admin key, as before schema 4) or relay: calls go to `relayUrl` with the relay token, which the key
   * vault keeps in the profile's key slot (session by default, "remember" opt-in, never sync, never exported).
   */
  mode: ConnectionMode.default('direct'),
  relayUrl: RelayUrl.optional(),
});
export type Profile = z.infer<typeof Profile>;

export const ProfilesState = z
  .object({
    activeId: ProfileId,
    profiles: z.array(Profile).min(1).max(MAX_PROFILES),
  })
  .refine((s) => s.profiles.some((p) => p.id === s.activeId), { message: 'the active profile is not in the list' })
  .refine((s) => new Set(s.profiles.map((p) => p.id)).size === s.profiles.length, { message: 'duplicate profile ids' });
export type ProfilesState = z.infer<typeof ProfilesState>;

/** The one profile of a fresh install (and of an install from before profiles, see lib/storage/migrate.ts). */
export function defaultProfile(from: Partial<Omit<Profile, 'id' | 'colour'>> = {}): Profile {
  const channelIds = from.channelIds ?? [];
  return Profile.parse({
    id: DEFAULT_PROFILE_ID,
    name: from.name ?? channelIds[0] ?? '',
    colour: 'blue',
    channelIds,
    ...(from.selectedChannelId ? { selectedChannelId: from.selectedChannelId } : {}),
    rememberKey: from.rememberKey ?? false,
    mode: 'direct',
  });
}

export const DEFAULT_PROFILES: ProfilesState = { activeId: DEFAULT_PROFILE_ID, profiles: [defaultProfile()] };

/** What pages are told about a profile: never the key, only whether one is saved. */
interface ProfileView extends Profile {
  keySaved: boolean;
  /** Set by the organisation's policy: name, channels and colour are locked (the key stays the manager's). */
  managed?: boolean;
  /** The policy names this profile's relay: its mode and relay URL are locked too (the token stays the manager's). */
  relayManaged?: boolean;
}
export interface ProfilesView {
  activeId: string;
  profiles: ProfileView[];
}
