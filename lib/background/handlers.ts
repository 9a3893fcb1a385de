import { createKakaoClient, type KakaoClient } from '../kakao/client';
import { isMalformedKey, probeRelationship } from '../kakao/diagnose';
import { KakaoApiError, type ErrorCode } from '../kakao/errors';
import type { HandlersFor } from '../messages/router';
import type { coreCommands } from '../messages/commands/core';
import type { Status } from '../messages/commands/core';
import * as vault from '../storage/key-vault';
import { rememberLookup, recentLookupsItem, settingsItem } from '../storage/settings';
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
export function createHandlers(deps: BackgroundDeps): HandlersFor<typeof coreCommands> & {
  client: KakaoClient;
  /** A client for a given key (not sandbox-aware), for checks of a typed or saved key. */
  makeClient: (getKey: () => Promise<string | null>) => KakaoClient;
} {
  const makeClient =
    deps.makeClient ?? ((getKey) => createKakaoClient({ origin: deps.apiOrigin, getKey, fetch: deps.fetch }));
  // Sandbox-aware: while the sandbox is on, every feature's calls go to the simulator.
  const client = withSandbox(makeClient(vault.readKey), { isActive: async () => (await sandboxStatus()).active });

  async function status(): Promise<Status> {
    const [key, settings, sandbox] = await Promise.all([vault.keyStatus(), settingsItem.getValue(), sandboxStatus()]);
    const channelIds = settings.channelIds.length > 0 || !sandbox.active ? settings.channelIds : DEMO_CHANNELS.map((c) => c.publicId);
    return { key, settings, apiOrigin: deps.apiOrigin, sandbox, ready: key.saved || sandbox.active, channelIds };
  }

  return {
    client,
    makeClient,
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
      if (isMalformedKey(key)) throw new KakaoApiError('malformed_key', null);
      // The cheapest real call: one relationship check of a made-up user, naming no channel, so
      // a good key gets every linked channel. Only -401 means a bad key: Kakao may answer
      // -101 / -2 / -402 about the made-up user, or -3 / -5 / -10, and each of those proves the key.
      const { row, linked } = await probeRelationship(makeClient(async () => key));
      const tested = input.adminKey !== undefined ? ('typed' as const) : ('saved' as const);
      const notAboutTheKey = row.category !== 'bad_key' && row.category !== 'ip_not_allowed' && row.category !== 'domain_mismatch';
      if (row.status === 'fail' && (!notAboutTheKey || row.category === 'kakao_or_network' || typeof row.code !== 'number')) {
        throw new KakaoApiError(row.code as ErrorCode, row.httpStatus ?? null, row.detail);
      }
      return {
        tested,
        linkedChannels: (linked ?? []).map((c) => ({ publicId: c.publicId, uuid: c.uuid })),
        linkedKnown: linked !== null,
        ...(row.code !== undefined ? { note: { code: row.code, message: row.message } } : {}),
      };
    },

    async checkUser(input) {
      const settings = await settingsItem.getValue();
      const channelIds = input.channelIds ?? settings.channelIds;
      const result = await client.checkRelationship({ userId: input.userId, channelIds });
      await rememberLookup(input.userId);
      return result;
    },

    getRecentLookups: () => recentLookupsItem.getValue(),
  };
}
