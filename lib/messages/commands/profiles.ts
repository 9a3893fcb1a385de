import { z } from 'zod';
import type { ProfilesView } from '../../profiles/model';
import { ProfileColour, ProfileId, ProfileName } from '../../profiles/model';
import type { ImportPreview } from '../../profiles/transfer';
import { defineCommand } from '../define';

/** The settings file's text, as read from the chosen file (at most 1 MB). */
const SettingsFileText = z.string().min(1).max(1_000_000);

/*
 * Profiles and the settings file. Extension pages only: a content script can neither list, switch nor change
 * profiles. No command takes or returns a key (keys go through saveSettings, per profile).
 */
export const profileCommands = {
  listProfiles: defineCommand<ProfilesView>()({ allow: ['extension'], input: z.strictObject({}) }),
  /** A new profile at the end of the list (not active). */
  addProfile: defineCommand<ProfilesView & { added: string }>()({
    allow: ['extension'],
    input: z.strictObject({ name: ProfileName, colour: ProfileColour.optional() }),
  }),
  renameProfile: defineCommand<ProfilesView>()({
    allow: ['extension'],
    input: z.strictObject({ profileId: ProfileId, name: ProfileName }),
  }),
  setProfileColour: defineCommand<ProfilesView>()({
    allow: ['extension'],
    input: z.strictObject({ profileId: ProfileId, colour: ProfileColour }),
  }),
  /** Deletes a profile and its key (never the last one). */
  deleteProfile: defineCommand<ProfilesView>()({
    allow: ['extension'],
    input: z.strictObject({ profileId: ProfileId }),
  }),
  /** Every profile's id, in the new order. */
  reorderProfiles: defineCommand<ProfilesView>()({
    allow: ['extension'],
    input: z.strictObject({ profileIds: z.array(ProfileId).min(1).max(20) }),
  }),
  setActiveProfile: defineCommand<ProfilesView>()({
    allow: ['extension'],
    input: z.strictObject({ profileId: ProfileId }),
  }),
  /** The settings file (profiles without keys, sites and rules, budgets) as text, and its file name. */
  exportSettings: defineCommand<{ fileName: string; text: string }>()({
    allow: ['extension'],
    input: z.strictObject({}),
  }),
  /** Checks a settings file (a key in it is refused) and says what applying it would change. */
  previewSettingsImport: defineCommand<ImportPreview>()({
    allow: ['extension'],
    input: z.strictObject({ text: SettingsFileText }),
  }),
  /** Checks the file again and applies it. */
  applySettingsImport: defineCommand<ProfilesView>()({
    allow: ['extension'],
    input: z.strictObject({ text: SettingsFileText }),
  }),
};
