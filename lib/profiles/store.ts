import { AppError } from '../app-error';
import type { ApiRoute } from '../kakao/client';
import { managedProfiles, type ManagedPolicy, type ManagedProfile } from '../policy';
import { currentPolicy } from '../policy/current';
import { nearestProfileColour } from './colours';
import { defineParsedItem } from '../storage/item';
import { badgeSitesItem } from '../storage/badge-sites';
import * as vault from '../storage/key-vault';
import { settingsItem, type Settings } from '../storage/settings';
import {
  DEFAULT_PROFILES,
  defaultProfile,
  MAX_PROFILES,
  PROFILE_COLOURS,
  Profile,
  ProfileName,
  ProfilesState,
  type ProfileColour,
  type ProfilesView,
} from './model';

/*
 * The profile store: the one place that knows which profiles exist, their order, which one is active, and each
 * one's channels. Background only (extension pages ask through the profile commands, lib/messages/commands/
 * profiles.ts). Keys stay in the key vault under the profile's id; deleting a profile clears its key there.
 *
 * Everything that needs "the channels" or "the key" asks here for a profile id first: the active profile (popup,
 * workspace, context menu), a job's recorded profile, or a badge site's bound profile.
 */

/** Stored in the extension's store; written at schema 3 by the migration (lib/storage/migrate.ts). */
const storedProfiles = defineParsedItem<ProfilesState | null>('local:profiles', ProfilesState.nullable(), null);

/**
 * The profiles. While none are stored (a store the migration has not reached yet), the single-key settings read
 * as the one `default` profile, so nothing is ever shown without its channels; the first change stores them.
 */
const profilesItem = {
  getValue: async (): Promise<ProfilesState> => (await profilesAndPolicy()).state,
  setValue: (value: ProfilesState): Promise<void> => storedProfiles.setValue(value),
  watch(cb: (value: ProfilesState) => void): () => void {
    return storedProfiles.watch(() => void profilesItem.getValue().then(cb, () => undefined));
  },
};

/**
 * The profiles and the policy they were merged with, from one read of each: a status that needs both (and the
 * settings, the sandbox, the list view) asks once instead of once per part (lib/background/handlers.ts).
 */
export async function profilesAndPolicy(): Promise<{ state: ProfilesState; policy: ManagedPolicy | null }> {
  const [stored, { policy }] = await Promise.all([storedProfiles.getValue(), currentPolicy()]);
  return { state: withManaged(stored ?? (await legacyProfiles()), managedProfiles(policy)), policy };
}

async function legacyProfiles(): Promise<ProfilesState> {
  const legacy = await settingsItem.getValue();
  const profile = defaultProfile({
    channelIds: legacy.channelIds,
    ...(legacy.selectedChannelId ? { selectedChannelId: legacy.selectedChannelId } : {}),
    rememberKey: legacy.rememberKey,
  });
  return { ...DEFAULT_PROFILES, profiles: [profile] };
}

/** Ids the organisation's policy gives its profiles (lib/policy: `org-…`); no other profile has one. */
const isOrgId = (id: string) => id.startsWith('org-');

/**
 * The organisation's profiles (team roll-out by policy) over the stored ones: their name, channels and colour are
 * the policy's, the rest (the key, "remember", the selected channel) the manager's own. A profile the policy no
 * longer names is gone; one it adds comes last.
 */
function withManaged(state: ProfilesState, managed: ManagedProfile[]): ProfilesState {
  const byId = new Map(managed.map((m) => [m.id, m]));
  const merge = (m: ManagedProfile, own?: Profile): Profile =>
    Profile.parse({
      id: m.id,
      name: m.name,
      colour: nearestProfileColour(m.colour) ?? own?.colour ?? 'slate',
      channelIds: m.channelIds,
      ...(own?.selectedChannelId && m.channelIds.includes(own.selectedChannelId)
        ? { selectedChannelId: own.selectedChannelId }
        : m.channelIds[0]
          ? { selectedChannelId: m.channelIds[0] }
          : {}),
      rememberKey: own?.rememberKey ?? false,
      // A policy's relay URL makes it a relay profile; otherwise how it connects is the manager's own.
      ...(m.relayUrl
        ? { mode: 'relay', relayUrl: m.relayUrl }
        : { mode: own?.mode ?? 'direct', ...(own?.relayUrl ? { relayUrl: own.relayUrl } : {}) }),
    });
  const profiles = state.profiles
    .filter((p) => !isOrgId(p.id) || byId.has(p.id))
    .map((p) => (byId.has(p.id) ? merge(byId.get(p.id)!, p) : p));
  for (const m of managed) if (!profiles.some((p) => p.id === m.id)) profiles.push(merge(m));
  // Only the organisation's profiles were left and the policy dropped them all: back to one empty profile.
  const kept = profiles.length ? profiles.slice(0, MAX_PROFILES) : [defaultProfile()];
  const activeId = kept.some((p) => p.id === state.activeId) ? state.activeId : kept[0]!.id;
  return { activeId, profiles: kept };
}

/** Whether the organisation sets this profile (its name, channels and colour are not the manager's to change). */
async function isManagedProfile(id: string): Promise<boolean> {
  return (await managedProfile(id)) !== undefined;
}

async function managedProfile(id: string): Promise<ManagedProfile | undefined> {
  return managedProfiles((await currentPolicy()).policy).find((m) => m.id === id);
}

async function refuseManaged(id: string, what: string): Promise<void> {
  if (await isManagedProfile(id)) throw new AppError('policy_managed', `profile ${what}`);
}

// Writes in one context are serialised: read-modify-write never loses a concurrent change.
let queue: Promise<unknown> = Promise.resolve();
function update<T>(change: (state: ProfilesState) => { state: ProfilesState; result: T }): Promise<T> {
  const run = queue.then(async () => {
    const { state, result } = change(structuredClone(await profilesItem.getValue()));
    await profilesItem.setValue(ProfilesState.parse(state));
    return result;
  });
  queue = run.catch(() => undefined);
  return run;
}

function mustFind(state: ProfilesState, id: string): Profile {
  const found = state.profiles.find((p) => p.id === id);
  if (!found) throw new AppError('unknown_profile', `unknown profile ${id}`);
  return found;
}

/** Every profile in the manager's order, and the active one's id. */
export const listProfiles = (): Promise<ProfilesState> => profilesItem.getValue();

export async function activeProfile(): Promise<Profile> {
  const state = await profilesItem.getValue();
  return mustFind(state, state.activeId);
}

export const activeProfileId = async (): Promise<string> => (await profilesItem.getValue()).activeId;

/** A profile's id if it still exists, else the active one's (a job or site whose profile was deleted). */
export async function resolveProfileId(id: string | undefined): Promise<string> {
  const state = await profilesItem.getValue();
  return id !== undefined && state.profiles.some((p) => p.id === id) ? id : state.activeId;
}

function newId(state: ProfilesState): string {
  for (;;) {
    const id = `p-${crypto.randomUUID().slice(0, 8)}`;
    if (!state.profiles.some((p) => p.id === id)) return id;
  }
}

function nextColour(state: ProfilesState): ProfileColour {
  const used = new Set(state.profiles.map((p) => p.colour));
  return PROFILE_COLOURS.find((c) => !used.has(c)) ?? PROFILE_COLOURS[state.profiles.length % PROFILE_COLOURS.length]!;
}

export interface NewProfile {
  name: string;
  colour?: ProfileColour;
  channelIds?: string[];
  /** Give the new profile this id (an import keeps the file's ids); a fresh one otherwise. */
  id?: string;
}

/** Adds a profile at the end; it does not become active. */
export function addProfile(input: NewProfile): Promise<Profile> {
  return update((state) => {
    if (state.profiles.length >= MAX_PROFILES) throw new AppError('too_many_profiles', `at most ${MAX_PROFILES}`);
    if (input.id !== undefined && state.profiles.some((p) => p.id === input.id))
      throw new AppError('duplicate_profile', input.id);
    const profile = Profile.parse({
      id: input.id ?? newId(state),
      name: ProfileName.parse(input.name),
      colour: input.colour ?? nextColour(state),
      channelIds: input.channelIds ?? [],
      ...(input.channelIds?.[0] ? { selectedChannelId: input.channelIds[0] } : {}),
    });
    state.profiles.push(profile);
    return { state, result: profile };
  });
}

export async function renameProfile(id: string, name: string): Promise<Profile> {
  return updateProfile(id, { name: ProfileName.parse(name) });
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Changes a profile's name, colour, channels or "remember" choice (the key itself goes to the vault). */
export async function updateProfile(
  id: string,
  patch: Partial<
    Pick<Profile, 'name' | 'colour' | 'channelIds' | 'selectedChannelId' | 'rememberKey' | 'mode' | 'relayUrl'>
  >,
): Promise<Profile> {
  const org = await managedProfile(id);
  const managed = org !== undefined;
  return update((state) => {
    const current = mustFind(state, id);
    if (
      managed &&
      ((org.relayUrl !== undefined &&
        ((patch.mode !== undefined && patch.mode !== 'relay') ||
          (patch.relayUrl !== undefined && patch.relayUrl !== org.relayUrl))) ||
        (patch.name !== undefined && patch.name !== current.name) ||
        (patch.colour !== undefined && patch.colour !== current.colour) ||
        (patch.channelIds !== undefined && !sameList(patch.channelIds, current.channelIds)))
    )
      throw new AppError('policy_managed', 'profile');
    const next = Profile.parse({ ...current, ...patch });
    // The selected channel follows the list: kept while it is in it, else the first one.
    if (patch.channelIds && !(next.selectedChannelId && next.channelIds.includes(next.selectedChannelId))) {
      if (next.channelIds[0]) next.selectedChannelId = next.channelIds[0];
      else delete next.selectedChannelId;
    }
    state.profiles = state.profiles.map((p) => (p.id === id ? next : p));
    return { state, result: next };
  });
}

/**
 * Deletes a profile and its key. The last profile cannot be deleted. When it was the active one, the first left
 * becomes active; badge sites bound to it are bound to the (new) active profile.
 */
export async function deleteProfile(id: string): Promise<ProfilesState> {
  await refuseManaged(id, 'delete');
  const state = await update((s) => {
    mustFind(s, id);
    if (s.profiles.length === 1) throw new AppError('last_profile', 'the last profile cannot be deleted');
    s.profiles = s.profiles.filter((p) => p.id !== id);
    if (s.activeId === id) s.activeId = s.profiles[0]!.id;
    return { state: s, result: s };
  });
  await vault.clearKey(id);
  const sites = await badgeSitesItem.getValue();
  if (sites.some((site) => site.profileId === id))
    await badgeSitesItem.setValue(
      sites.map((site) => (site.profileId === id ? { ...site, profileId: state.activeId } : site)),
    );
  return state;
}

/** Puts the profiles in this order; `ids` must name every profile once. */
export function reorderProfiles(ids: string[]): Promise<ProfilesState> {
  return update((state) => {
    const known = new Set(state.profiles.map((p) => p.id));
    if (ids.length !== known.size || new Set(ids).size !== ids.length || !ids.every((id) => known.has(id)))
      throw new AppError('invalid_profile_order', 'the order must name every profile once');
    state.profiles = ids.map((id) => mustFind(state, id));
    return { state, result: state };
  });
}

/** Makes a profile the active one: the popup, workspace and context menu use it from now on (running jobs don't). */
export function setActiveProfile(id: string): Promise<ProfilesState> {
  return update((state) => {
    mustFind(state, id);
    state.activeId = id;
    return { state, result: state };
  });
}

/** Replaces the whole list (settings import); the ids that are gone (or switched mode) lose their keys. */
export async function replaceProfiles(next: ProfilesState): Promise<ProfilesState> {
  const before = await profilesItem.getValue();
  const state = await update(() => ({ state: next, result: ProfilesState.parse(next) }));
  // A profile that is gone, or now connects the other way (direct ↔ relay), loses its key or relay token.
  for (const p of before.profiles)
    if (!state.profiles.some((q) => q.id === p.id && q.mode === p.mode)) await vault.clearKey(p.id);
  return state;
}

/**
 * The settings a feature works with for a profile (the active one when none is named): the global settings
 * (concurrency, timeouts, cache, budgets) with the profile's channels, selected channel and "remember" choice.
 */
export async function profileSettings(
  id?: string,
): Promise<Settings & { profileId: string; mode: Profile['mode']; relayUrl?: string }> {
  const [state, global] = await Promise.all([profilesItem.getValue(), settingsItem.getValue()]);
  return settingsOfProfile(state, global, id);
}

/** `profileSettings` from profiles and global settings already read. */
export function settingsOfProfile(
  state: ProfilesState,
  global: Settings,
  id?: string,
): Settings & { profileId: string; mode: Profile['mode']; relayUrl?: string } {
  const profile = mustFind(state, id !== undefined && state.profiles.some((p) => p.id === id) ? id : state.activeId);
  return {
    ...global,
    channelIds: profile.channelIds,
    ...(profile.selectedChannelId
      ? { selectedChannelId: profile.selectedChannelId }
      : { selectedChannelId: undefined }),
    rememberKey: profile.rememberKey,
    profileId: profile.id,
    mode: profile.mode,
    ...(profile.relayUrl ? { relayUrl: profile.relayUrl } : {}),
  };
}

/** Where a profile's calls go (lib/kakao/client.ts): direct, or its relay. */
export async function profileRoute(id: string): Promise<ApiRoute> {
  const state = await profilesItem.getValue();
  const profile = state.profiles.find((p) => p.id === id);
  return profile?.mode === 'relay' ? { mode: 'relay', url: profile.relayUrl } : { mode: 'direct' };
}

/** The list as pages see it: each profile with whether a key is saved (never the key). */
export async function profilesView(): Promise<ProfilesView> {
  const { state, policy } = await profilesAndPolicy();
  const saved = await Promise.all(state.profiles.map(async (p) => (await vault.keyStatus(p.id)).saved));
  return viewOfProfiles(state, policy, saved);
}

/** `profilesView` from what was already read: `saved[i]` is whether profile i has a key. */
export function viewOfProfiles(state: ProfilesState, policy: ManagedPolicy | null, saved: boolean[]): ProfilesView {
  const orgs = managedProfiles(policy);
  const managed = new Set(orgs.map((m) => m.id));
  const relayManaged = new Set(orgs.filter((m) => m.relayUrl).map((m) => m.id));
  return {
    activeId: state.activeId,
    profiles: state.profiles.map((p, i) => ({
      ...p,
      keySaved: saved[i]!,
      ...(managed.has(p.id) ? { managed: true } : {}),
      ...(relayManaged.has(p.id) ? { relayManaged: true } : {}),
    })),
  };
}

export const watchProfiles = (cb: (state: ProfilesState) => void): (() => void) => profilesItem.watch(cb);
