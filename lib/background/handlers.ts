import type { ApiLog } from '../api-log/store';
import type { ApiCallRecord } from '../kakao/call-record';
import { createKakaoClient, type KakaoClient } from '../kakao/client';
import { isMalformedKey, probeRelationship } from '../kakao/diagnose';
import { KakaoApiError, type ErrorCode } from '../kakao/errors';
import type { HandlersFor } from '../messages/router';
import type { coreCommands } from '../messages/commands/core';
import type { Status } from '../messages/commands/core';
import * as vault from '../storage/key-vault';
import { rememberLookup, recentLookupsItem, settingsItem } from '../storage/settings';
import { channelNamesItem, learnChannelNames } from '../storage/channel-names';
import { withSandbox } from '../sandbox/client';
import { DEMO_CHANNELS } from '../sandbox/demo';
import { sandboxModeItem, sandboxStatus } from '../sandbox/state';
import { storageStatus } from '../storage/migrate';
import { statusCacheItem } from '../storage/status-cache';
import { memoizeKey } from './key-memo';

export interface BackgroundDeps {
  apiOrigin: string;
  fetch?: typeof fetch;
  /**
   * Builds a client for a given key source; tests inject one that talks to the simulator. Pass `onCall` on to the
   * client.
   */
  makeClient?: (getKey: () => Promise<string | null>, onCall?: (record: ApiCallRecord) => void) => KakaoClient;
  /** The API log (API 기록): every client made here reports its calls to it, with its backend. */
  apiLog?: ApiLog;
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
    deps.makeClient ??
    ((getKey, onCall) => createKakaoClient({ origin: deps.apiOrigin, getKey, fetch: deps.fetch, onCall }));
  const logReal = deps.apiLog?.reporter('real');
  // Sandbox-aware: while the sandbox is on, every feature's calls go to the simulator.
  // Read once, not before every call of a job; forgotten whenever the key changes.
  const savedKey = memoizeKey(
    () => vault.readKey(),
    (cb) => vault.watchKeyChanges(cb),
  );
  const client = withSandbox(makeClient(savedKey.get, logReal), {
    isActive: async () => (await sandboxStatus()).active,
    onCall: deps.apiLog?.reporter('sandbox'),
  });

  async function status(): Promise<Status> {
    const [key, settings, sandbox, names] = await Promise.all([
      vault.keyStatus(),
      settingsItem.getValue(),
      sandboxStatus(),
      channelNamesItem.getValue(),
    ]);
    // In the sandbox, features work on the demo channels only: demo answers are never shown for saved real channels.
    const channelIds = sandbox.active ? DEMO_CHANNELS.map((c) => c.publicId) : settings.channelIds;
    const channelNames: Record<string, string> = sandbox.active
      ? Object.fromEntries(DEMO_CHANNELS.map((c) => [c.publicId, c.uuid]))
      : names;
    const current: Status = {
      key,
      settings,
      apiOrigin: deps.apiOrigin,
      sandbox,
      ready: key.saved || sandbox.active,
      channelIds,
      channelNames,
      storage: storageStatus(),
    };
    // The popup paints from this copy, then asks again (lib/storage/status-cache.ts).
    void statusCacheItem.setValue(current).catch(() => undefined);
    return current;
  }

  // A value the status depends on changed (in any context): the popup's copy follows within a moment.
  let publishTimer: ReturnType<typeof setTimeout> | undefined;
  const publish = () => {
    clearTimeout(publishTimer);
    publishTimer = setTimeout(() => void status().catch(() => undefined), 20);
  };
  settingsItem.watch(publish);
  sandboxModeItem.watch(publish);
  channelNamesItem.watch(publish);
  vault.watchKeyChanges(publish);
  publish();

  return {
    client,
    makeClient: (getKey) => makeClient(getKey, logReal),
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
      savedKey.forget();
      return status();
    },

    async clearKey() {
      await vault.clearKey();
      savedKey.forget();
      return status();
    },

    async testKey(input) {
      const key = input.adminKey ?? (await vault.readKey());
      if (!key) throw new KakaoApiError('no_key', null);
      if (isMalformedKey(key)) throw new KakaoApiError('malformed_key', null);
      // The cheapest real call: one relationship check of a made-up user, naming no channel, so
      // a good key gets every linked channel. Only -401 means a bad key: Kakao may answer
      // -101 / -2 / -402 about the made-up user, or -3 / -5 / -10, and each of those proves the key.
      const { row, linked } = await probeRelationship(makeClient(async () => key, logReal));
      const tested = input.adminKey !== undefined ? ('typed' as const) : ('saved' as const);
      const notAboutTheKey =
        row.category !== 'bad_key' && row.category !== 'ip_not_allowed' && row.category !== 'domain_mismatch';
      if (
        row.status === 'fail' &&
        (!notAboutTheKey || row.category === 'kakao_or_network' || typeof row.code !== 'number')
      ) {
        throw new KakaoApiError(row.code as ErrorCode, row.httpStatus ?? null, row.detail);
      }
      const linkedChannels = (linked ?? []).map((c) => ({ publicId: c.publicId, uuid: c.uuid }));
      await learnChannelNames(linkedChannels);
      return {
        tested,
        linkedChannels,
        linkedKnown: linked !== null,
        ...(row.code !== undefined ? { note: { code: row.code, message: row.message } } : {}),
      };
    },

    async checkUser(input) {
      const [settings, sandbox] = await Promise.all([settingsItem.getValue(), sandboxStatus()]);
      // The sandbox answers for its demo channels only, never with demo relations for the saved real channels.
      const channelIds =
        input.channelIds ?? (sandbox.active ? DEMO_CHANNELS.map((c) => c.publicId) : settings.channelIds);
      const result = await client.checkRelationship({ userId: input.userId, channelIds });
      await rememberLookup(input.userId);
      // Each asked channel Kakao's answer left out is shown as UNKNOWN with the reason (e.g. no consent).
      const missing = channelIds.filter((id) => !result.channels.some((c) => c.channel_public_id === id));
      const reason = result.reason ?? 'channel_missing';
      if (!sandbox.active)
        await learnChannelNames(result.channels.map((c) => ({ publicId: c.channel_public_id, uuid: c.channel_uuid })));
      return {
        ...result,
        channels: [
          ...result.channels,
          ...missing.map((id) => ({ channel_public_id: id, relation: 'UNKNOWN' as const, reason })),
        ],
      };
    },

    getRecentLookups: () => recentLookupsItem.getValue(),
  };
}
