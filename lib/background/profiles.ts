import type { profileCommands } from '../messages/commands/profiles';
import type { HandlersFor } from '../messages/router';
import { badgeSitesItem } from '../storage/badge-sites';
import { settingsItem } from '../storage/settings';
import { DEFAULT_PROFILE_ID } from '../profiles/model';
import * as store from '../profiles/store';
import {
  applyImport,
  exportSettings,
  parseSettingsFile,
  previewImport,
  SETTINGS_FILE_NAME,
  type TransferSource,
} from '../profiles/transfer';
import type { BackgroundFeature } from './feature';

/** Profiles and settings transfer, background side: the profile store behind the profile commands. */
export function createProfilesFeature(): BackgroundFeature<typeof profileCommands> {
  async function source(): Promise<TransferSource> {
    const [profiles, sites, settings] = await Promise.all([
      store.listProfiles(),
      badgeSitesItem.getValue(),
      settingsItem.getValue(),
    ]);
    const known = new Set(profiles.profiles.map((p) => p.id));
    return {
      profiles,
      sites: sites.map((s) => {
        const id = s.profileId ?? DEFAULT_PROFILE_ID;
        return { ...s, profileId: known.has(id) ? id : profiles.activeId };
      }),
      settings,
    };
  }

  const handlers: HandlersFor<typeof profileCommands> = {
    listProfiles: () => store.profilesView(),
    async addProfile(input) {
      const added = await store.addProfile(input);
      return { ...(await store.profilesView()), added: added.id };
    },
    async renameProfile(input) {
      await store.renameProfile(input.profileId, input.name);
      return store.profilesView();
    },
    async setProfileColour(input) {
      await store.updateProfile(input.profileId, { colour: input.colour });
      return store.profilesView();
    },
    async deleteProfile(input) {
      await store.deleteProfile(input.profileId);
      return store.profilesView();
    },
    async reorderProfiles(input) {
      await store.reorderProfiles(input.profileIds);
      return store.profilesView();
    },
    async setActiveProfile(input) {
      await store.setActiveProfile(input.profileId);
      return store.profilesView();
    },
    async exportSettings() {
      return { fileName: SETTINGS_FILE_NAME, text: `${JSON.stringify(exportSettings(await source()), null, 2)}\n` };
    },
    async previewSettingsImport(input) {
      return previewImport(await source(), parseSettingsFile(input.text));
    },
    async applySettingsImport(input) {
      const file = parseSettingsFile(input.text);
      const next = applyImport(await source(), file);
      await store.replaceProfiles(next.profiles);
      await badgeSitesItem.setValue(next.sites);
      await settingsItem.setValue(next.settings);
      return store.profilesView();
    },
  };
  return { handlers, start() {} };
}
