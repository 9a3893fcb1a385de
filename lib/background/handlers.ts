import { createKakaoClient, type KakaoClient } from '../kakao/client';
import { KakaoApiError } from '../kakao/errors';
import type { HandlersFor } from '../messages/router';
import type { coreCommands } from '../messages/commands/core';
import type { Status } from '../messages/commands/core';
import * as vault from '../storage/key-vault';
import { rememberLookup, recentLookupsItem, settingsItem } from '../storage/settings';
import { channelNamesItem, learnChannelNames } from '../storage/channel-names';
import { withSandbox } from '../sandbox/client';
import { DEMO_CHANNELS } from '../sandbox/demo';
import { sandboxModeItem, sandboxStatus } from '../sandbox/state';

export interface BackgroundDeps {
  apiOrigin: string;
  fetch?: typeof fetch;
  /** Builds a client for a given key source; tests inject one that talks to the simulator. */
  makeClient?: (getKey: () => Promise<string | null>) => KakaoClient;
}

/**
 * The background's answers to extension pages. The background is the only
 * context that reads the key; it hands pages the masked form only.
 */
export function createHandlers(deps: BackgroundDeps): HandlersFor<typeof coreCommands> & { client: KakaoClient } {
  const makeClient =
    deps.makeClient ?? ((getKey) => createKakaoClient({ origin: deps.apiOrigin, getKey, fetch: deps.fetch }));
  // Sandbox-aware: while the sandbox is on, every feature's calls go to the simulator.
  const client = withSandbox(makeClient(vault.readKey), { isActive: async () => (await sandboxStatus()).active });

  async function status(): Promise<Status> {
    const [key, settings, sandbox, names] = await Promise.all([vault.keyStatus(), settingsItem.getValue(), sandboxStatus(), channelNamesItem.getValue()]);
    // In the sandbox, features work on the demo channels only: demo answers are never shown for saved real channels.
    const channelIds = sandbox.active ? DEMO_CHANNELS.map((c) => c.publicId) : settings.channelIds;
    const channelNames: Record<string, string> = sandbox.active ? Object.fromEntries(DEMO_CHANNELS.map((c) => [c.publicId, c.uuid])) : names;
    return { key, settings, apiOrigin: deps.apiOrigin, sandbox, ready: key.saved || sandbox.active, channelIds, channelNames };
  }

  return {
    client,
    getStatus: status,

    async saveSettings(input) {
      const current = await settingsItem.getValue();
      const selected =
        current.selectedChannelId && input.channelIds.includes(current.selectedChannelId)
          ? current.selectedChannelId
          : input.channelIds[0];
      await settingsItem.setValue({
        ...current,
        channelIds: input.channelIds,
        rememberKey: input.rememberKey,
        selectedChannelId: selected,
      });
      if (input.adminKey) {
        await vault.saveKey(input.adminKey, input.rememberKey);
        await sandboxModeItem.setValue('auto'); // a real key ends the sandbox
      } else await vault.setRemember(input.rememberKey);
      return status();
    },

    async clearKey() {
      await vault.clearKey();
      return status();
    },

    async testKey(input) {
      const key = input.adminKey ?? (await vault.readKey());
      if (!key) throw new KakaoApiError('no_key', null);
      // The cheapest real call: one relationship check of a placeholder user. Kakao
      // answers -401 for a bad key and lists every linked channel for a good one.
      const probe = makeClient(async () => key);
      const res = await probe.checkRelationship({ userId: '1' });
      const linkedChannels = res.channels.map((c) => ({ publicId: c.channel_public_id, uuid: c.channel_uuid }));
      await learnChannelNames(linkedChannels);
      return { linkedChannels };
    },

    async checkUser(input) {
      const [settings, sandbox] = await Promise.all([settingsItem.getValue(), sandboxStatus()]);
      // The sandbox answers for its demo channels only, never with demo relations for the saved real channels.
      const channelIds = input.channelIds ?? (sandbox.active ? DEMO_CHANNELS.map((c) => c.publicId) : settings.channelIds);
      const result = await client.checkRelationship({ userId: input.userId, channelIds });
      await rememberLookup(input.userId);
      if (!sandbox.active) await learnChannelNames(result.channels.map((c) => ({ publicId: c.channel_public_id, uuid: c.channel_uuid })));
      return result;
    },

    getRecentLookups: () => recentLookupsItem.getValue(),
  };
}
