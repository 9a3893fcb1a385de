import { z } from 'zod';
import { AppError } from '../app-error';
import { ChannelId } from '../kakao/ids';
import { BadgeChannelSchema, SiteRuleSchema, type Site } from '../storage/badge-sites';
import type { Settings } from '../storage/settings';
import {
  ConnectionMode,
  MAX_PROFILES,
  PROFILE_NAME_MAX,
  ProfileColour,
  ProfileId,
  RelayUrl,
  type Profile,
  type ProfilesState,
} from './model';

/*
 * Settings transfer: one JSON file (`channel-desk-settings.json`) with the profiles (never a key or relay token;
 * a relay profile's mode and relay URL, which are not secret), the badge
 * sites with their rules, and the global settings (parallel calls, timeouts, cache, budgets). An import is
 * checked for anything key-shaped first (refused as a whole), then parsed strictly with zod, then previewed
 * (what it adds, changes, removes) before it is applied. Pure: the background's profile commands do the I/O.
 */

export const SETTINGS_FILE_NAME = 'channel-desk-settings.json';
const SETTINGS_FORMAT = 'channel-desk-settings';
const SETTINGS_FORMAT_VERSION = 1;

const FileProfile = z.strictObject({
  id: ProfileId,
  name: z.string().trim().min(1).max(PROFILE_NAME_MAX),
  colour: ProfileColour,
  channelIds: z.array(ChannelId).max(50),
  selectedChannelId: ChannelId.optional(),
  /** Absent in files from before relay mode: direct. */
  mode: ConnectionMode.optional(),
  relayUrl: RelayUrl.optional(),
});
const FileSite = z.strictObject({
  pattern: z.string().min(1).max(300),
  rules: z.array(SiteRuleSchema).max(20),
  badgeChannel: BadgeChannelSchema.optional(),
  profileId: ProfileId,
});
const FileSettings = z.strictObject({
  concurrency: z.number().int().min(1).max(8),
  fileTimeoutSeconds: z.number().int().min(10).max(600),
  cacheTtlMinutes: z.number().int().min(0).max(1440),
  tabNewIdsPerMinute: z.number().int().min(1).max(100_000),
  pageLookupsPerDay: z.number().int().min(1).max(10_000_000),
});
export const SettingsFile = z
  .strictObject({
    format: z.literal(SETTINGS_FORMAT),
    version: z.literal(SETTINGS_FORMAT_VERSION),
    exportedAt: z.string().max(40).optional(),
    activeProfileId: ProfileId,
    profiles: z.array(FileProfile).min(1).max(MAX_PROFILES),
    sites: z.array(FileSite).max(100),
    settings: FileSettings,
  })
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    file.profiles.forEach((p, i) => {
      if (ids.has(p.id)) ctx.addIssue({ code: 'custom', path: ['profiles', i, 'id'], message: 'duplicate profile id' });
      ids.add(p.id);
    });
    if (!ids.has(file.activeProfileId))
      ctx.addIssue({ code: 'custom', path: ['activeProfileId'], message: 'not one of the profiles' });
    file.sites.forEach((s, i) => {
      if (!ids.has(s.profileId))
        ctx.addIssue({ code: 'custom', path: ['sites', i, 'profileId'], message: 'not one of the profiles' });
    });
  });
export type SettingsFile = z.infer<typeof SettingsFile>;

/** What the file is made from. */
export interface TransferSource {
  profiles: ProfilesState;
  sites: (Site & { profileId: string })[];
  settings: Settings;
}

export function exportSettings(source: TransferSource, now = new Date()): SettingsFile {
  return SettingsFile.parse({
    format: SETTINGS_FORMAT,
    version: SETTINGS_FORMAT_VERSION,
    exportedAt: now.toISOString(),
    activeProfileId: source.profiles.activeId,
    // Named only: a fresh install's unnamed profile is exported with its first channel as its name.
    profiles: source.profiles.profiles.map((p) => ({
      id: p.id,
      name: p.name || p.channelIds[0] || p.id,
      colour: p.colour,
      channelIds: p.channelIds,
      ...(p.selectedChannelId ? { selectedChannelId: p.selectedChannelId } : {}),
      mode: p.mode,
      ...(p.relayUrl ? { relayUrl: p.relayUrl } : {}),
    })),
    sites: source.sites.map((s) => ({
      pattern: s.pattern,
      rules: s.rules,
      ...(s.badgeChannel ? { badgeChannel: s.badgeChannel } : {}),
      profileId: s.profileId,
    })),
    settings: {
      concurrency: source.settings.concurrency,
      fileTimeoutSeconds: source.settings.fileTimeoutSeconds,
      cacheTtlMinutes: source.settings.cacheTtlMinutes,
      tabNewIdsPerMinute: source.settings.tabNewIdsPerMinute,
      pageLookupsPerDay: source.settings.pageLookupsPerDay,
    },
  });
}

/** Field names that hold a key (`adminKey`, `apiKey`, `key`, `secret`, `token`…), in any case. */
const KEY_NAME = /(^key$|admin.?key|api.?key|rest.?key|secret|token|password)/i;
/** An Admin key's shape: 32 hexadecimal characters. */
const KEY_VALUE = /(?<![0-9a-fA-F])[0-9a-fA-F]{32}(?![0-9a-fA-F])/;

/** The path of the first key-shaped field or value, or null. Walks the whole parsed JSON. */
export function findKey(value: unknown, path: (string | number)[] = []): string | null {
  if (typeof value === 'string') return KEY_VALUE.test(value) ? path.join('.') || '(root)' : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = findKey(v, [...path, i]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (KEY_NAME.test(k) || KEY_VALUE.test(k)) return [...path, k].join('.');
      const found = findKey(v, [...path, k]);
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * Reads a settings file's text: refuses any key in it (`settings_file_has_key`, naming where, never the value),
 * then anything that is not exactly this format (`settings_file_invalid`, naming the first wrong field).
 */
export function parseSettingsFile(text: string): SettingsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('settings_file_invalid', 'not JSON');
  }
  const keyAt = findKey(json);
  if (keyAt !== null) throw new AppError('settings_file_has_key', `at ${keyAt}`);
  const parsed = SettingsFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('settings_file_invalid', `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

export interface ImportPreview {
  profiles: { added: string[]; changed: string[]; removed: string[]; unchanged: string[] };
  sites: { added: string[]; changed: string[]; removed: string[]; unchanged: string[] };
  /** Global settings whose value changes: name, from, to. */
  settings: { name: string; from: number; to: number }[];
  /** Profiles the file keeps whose key stays on this device (same id); the others need their key typed. */
  keysKept: string[];
}

const profileShape = (
  p: Pick<Profile, 'name' | 'colour' | 'channelIds' | 'selectedChannelId' | 'relayUrl'> & { mode?: Profile['mode'] },
) =>
  JSON.stringify([p.name, p.colour, p.channelIds, p.selectedChannelId ?? null, p.mode ?? 'direct', p.relayUrl ?? null]);
const siteShape = (s: Pick<Site, 'rules' | 'badgeChannel'> & { profileId?: string }) =>
  JSON.stringify([s.rules, s.badgeChannel ?? null, s.profileId ?? null]);

/** What applying `file` to `current` adds, changes and removes (profiles by id, sites by pattern). */
export function previewImport(current: TransferSource, file: SettingsFile): ImportPreview {
  const now = new Map(current.profiles.profiles.map((p) => [p.id, p]));
  const next = new Map(file.profiles.map((p) => [p.id, p]));
  const name = (p: { name: string; id: string }) => p.name || p.id;
  const profiles: ImportPreview['profiles'] = { added: [], changed: [], removed: [], unchanged: [] };
  for (const p of file.profiles) {
    const before = now.get(p.id);
    if (!before) profiles.added.push(name(p));
    else (profileShape(before) === profileShape(p) ? profiles.unchanged : profiles.changed).push(name(p));
  }
  for (const p of current.profiles.profiles) if (!next.has(p.id)) profiles.removed.push(name(p));

  const sitesNow = new Map(current.sites.map((s) => [s.pattern, s]));
  const sitesNext = new Set(file.sites.map((s) => s.pattern));
  const sites: ImportPreview['sites'] = { added: [], changed: [], removed: [], unchanged: [] };
  for (const s of file.sites) {
    const before = sitesNow.get(s.pattern);
    if (!before) sites.added.push(s.pattern);
    else (siteShape(before) === siteShape(s) ? sites.unchanged : sites.changed).push(s.pattern);
  }
  for (const s of current.sites) if (!sitesNext.has(s.pattern)) sites.removed.push(s.pattern);

  const settings = (Object.keys(file.settings) as (keyof SettingsFile['settings'])[])
    .filter((k) => current.settings[k] !== file.settings[k])
    .map((k) => ({ name: k, from: current.settings[k], to: file.settings[k] }));
  // A key (or relay token) stays only where the profile keeps its connection mode: a switched one is cleared.
  const keysKept = file.profiles.filter((p) => now.has(p.id) && now.get(p.id)!.mode === (p.mode ?? 'direct')).map(name);
  return { profiles, sites, settings, keysKept };
}

/** The stored state after applying `file`: profiles (keeping this device's "remember" choice), sites, settings. */
export function applyImport(
  current: TransferSource,
  file: SettingsFile,
): { profiles: ProfilesState; sites: (Site & { profileId: string })[]; settings: Settings } {
  const remember = new Map(current.profiles.profiles.map((p) => [p.id, p.rememberKey]));
  const profiles: ProfilesState = {
    activeId: file.activeProfileId,
    profiles: file.profiles.map((p) => ({
      id: p.id,
      name: p.name,
      colour: p.colour,
      channelIds: p.channelIds,
      ...(p.selectedChannelId && p.channelIds.includes(p.selectedChannelId)
        ? { selectedChannelId: p.selectedChannelId }
        : p.channelIds[0]
          ? { selectedChannelId: p.channelIds[0] }
          : {}),
      rememberKey: remember.get(p.id) ?? false,
      mode: p.mode ?? 'direct',
      ...(p.relayUrl ? { relayUrl: p.relayUrl } : {}),
    })),
  };
  const sites = file.sites.map((s) => ({
    pattern: s.pattern,
    rules: s.rules,
    ...(s.badgeChannel ? { badgeChannel: s.badgeChannel } : {}),
    profileId: s.profileId,
  }));
  return { profiles, sites, settings: { ...current.settings, ...file.settings } };
}
