import type { ApiLog } from '../api-log/store';
import type { ApiCallRecord } from '../kakao/call-record';
import { createKakaoClient, type ApiRoute, type KakaoClient } from '../kakao/client';
import { isMalformedKey, probeRelationship } from '../kakao/diagnose';
import { KakaoApiError, type ErrorCode } from '../kakao/errors';
import type { HandlersFor } from '../messages/router';
import type { coreCommands } from '../messages/commands/core';
import type { Status } from '../messages/commands/core';
import * as vault from '../storage/key-vault';
import { rememberLookup, recentLookupsItem, settingsItem } from '../storage/settings';
import { AppError } from '../app-error';
import { RelayUrl } from '../profiles/model';
import {
  activeProfileId,
  profileRoute,
  profileSettings,
  profilesAndPolicy,
  resolveProfileId,
  settingsOfProfile,
  updateProfile,
  viewOfProfiles,
  watchProfiles,
} from '../profiles/store';
import { createSandboxFetch } from '../sandbox/fetch';
import { channelNamesItem, learnChannelNames } from '../storage/channel-names';
import { withSandbox } from '../sandbox/client';
import { DEMO_CHANNELS } from '../sandbox/demo';
import { sandboxModeItem, sandboxStatus, sandboxStatusOf } from '../sandbox/state';
import { storageStatus } from '../storage/migrate';
import { memoizeKey } from './key-memo';
import { createStatusCache } from './status-cache';

export interface BackgroundDeps {
  apiOrigin: string;
  fetch?: typeof fetch;
  /**
   * Builds a client for a given key source; tests inject one that talks to the simulator. Pass `onCall` on to the
   * client.
   */
  makeClient?: (
    getKey: () => Promise<string | null>,
    onCall?: (record: ApiCallRecord) => void,
    /** Where the calls go: direct, or a relay profile's relay (lib/kakao/client.ts). */
    getRoute?: () => Promise<ApiRoute>,
  ) => KakaoClient;
  /** The API log (API 기록): every client made here reports its calls to it, with its backend. */
  apiLog?: ApiLog;
  /** The worker: each status is cached for the popup's first paint (lib/storage/status-cache.ts). */
  cacheStatus?: boolean;
}

/**
 * The background's answers to extension pages. The background is the only
 * context that reads the key; it hands pages the masked form only.
 */
export function createHandlers(deps: BackgroundDeps): HandlersFor<typeof coreCommands> & {
  /** Sandbox-aware, with the active profile's key (read at each call); `backendsOf` gives jobs a profile's. */
  client: KakaoClient;
  /** Sandbox-aware, with one profile's key: a badge site's bound profile. */
  clientForProfile: (profileId: string) => KakaoClient;
  /** A client for a given key (or relay token and route; not sandbox-aware), for checks of a typed or saved key. */
  makeClient: (getKey: () => Promise<string | null>, getRoute?: () => Promise<ApiRoute>) => KakaoClient;
} {
  const makeClient =
    deps.makeClient ??
    ((getKey, onCall, getRoute) =>
      createKakaoClient({ origin: deps.apiOrigin, getKey, fetch: deps.fetch, onCall, getRoute }));
  const logReal = deps.apiLog?.reporter('real');
  const logSandbox = deps.apiLog?.reporter('sandbox');
  // Each profile's real client reads that profile's key, and its calls are logged with the profile.
  const reals = new Map<string, KakaoClient>();
  // Each profile's key is read once, not before every call of a job; forgotten whenever that key changes.
  const keys = new Map<string, ReturnType<typeof memoizeKey<string | null>>>();
  const keyOf = (profileId: string) => {
    let found = keys.get(profileId);
    if (!found) {
      found = memoizeKey(
        () => vault.readKey(profileId),
        (cb) => vault.watchKeyChanges(cb, profileId),
      );
      keys.set(profileId, found);
    }
    return found;
  };
  // Each profile's route (direct or its relay), read once and forgotten whenever the profiles change.
  const routes = new Map<string, ReturnType<typeof memoizeKey<ApiRoute>>>();
  const routeOf = (profileId: string) => {
    let found = routes.get(profileId);
    if (!found) {
      found = memoizeKey(() => profileRoute(profileId), watchProfiles);
      routes.set(profileId, found);
    }
    return found;
  };
  const realFor = (profileId: string): KakaoClient => {
    let found = reals.get(profileId);
    if (!found) {
      found = makeClient(
        keyOf(profileId).get,
        logReal && ((record) => logReal({ ...record, profileId })),
        routeOf(profileId).get,
      );
      reals.set(profileId, found);
    }
    return found;
  };
  // The active profile's: each call goes to the client of the profile active when it is made.
  const activeReal = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(realFor(vault.DEFAULT_PROFILE_ID))) {
    if (typeof method !== 'function') continue;
    activeReal[name] = async (...args: unknown[]) => {
      const target = realFor(await activeProfileId());
      return (target[name as keyof KakaoClient] as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  }
  // One simulator behind every profile's sandbox.
  const sandboxFetch = createSandboxFetch();
  // Sandbox-aware: while the sandbox is on, every feature's calls go to the simulator.
  const client = withSandbox(activeReal as unknown as KakaoClient, {
    isActive: async (profileId) => (await sandboxStatus(profileId)).active,
    onCall: logSandbox,
    sandboxFetch,
    realFor,
  });
  const profileClients = new Map<string, KakaoClient>();
  const clientForProfile = (profileId: string): KakaoClient => {
    let found = profileClients.get(profileId);
    if (!found) {
      found = withSandbox(realFor(profileId), {
        isActive: async () => (await sandboxStatus(profileId)).active,
        onCall: logSandbox,
        sandboxFetch,
      });
      profileClients.set(profileId, found);
    }
    return found;
  };

  const cache = deps.cacheStatus ? createStatusCache(status) : undefined;
  async function status(): Promise<Status> {
    const write = cache?.begin();
    // Each input read once (issue 14 §4: the profiles and the policy were read five times per status, and the
    // active key's record three times, one after the other in the vault's queue).
    const [{ state, policy }, global, mode, names] = await Promise.all([
      profilesAndPolicy(),
      settingsItem.getValue(),
      sandboxModeItem.getValue(),
      channelNamesItem.getValue(),
    ]);
    const profileId = state.activeId;
    const keys = await Promise.all(state.profiles.map((p) => vault.keyStatus(p.id)));
    const key = keys[state.profiles.findIndex((p) => p.id === profileId)] ?? (await vault.keyStatus(profileId));
    const settings = settingsOfProfile(state, global, profileId);
    const sandbox = sandboxStatusOf(policy, mode, key);
    const profiles = viewOfProfiles(
      state,
      policy,
      keys.map((k) => k.saved),
    );
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
      profiles,
    };
    void write?.(current);
    return current;
  }

  return {
    client,
    clientForProfile,
    makeClient: (getKey, getRoute) => makeClient(getKey, logReal, getRoute),
    getStatus: status,

    /** Saves a profile's channels and key (the active profile's when none is named). */
    async saveSettings(input) {
      const profileId = input.profileId ?? (await activeProfileId());
      const before = await profileSettings(profileId);
      const mode = input.connectionMode ?? before.mode;
      // A relay profile holds a relay token in its key slot, never an Admin key (and a direct one never a token).
      if (mode === 'relay' && input.adminKey) throw new AppError('relay_has_no_key');
      if (mode === 'direct' && input.relayToken) throw new AppError('relay_has_no_key');
      let relayUrl = before.relayUrl;
      if (input.relayUrl !== undefined) {
        const parsed = RelayUrl.safeParse(input.relayUrl);
        if (!parsed.success) throw new AppError('relay_url_invalid');
        relayUrl = parsed.data;
      }
      if (mode === 'relay' && !relayUrl) throw new AppError('relay_url_invalid');
      await updateProfile(profileId, {
        channelIds: input.channelIds,
        rememberKey: input.rememberKey,
        mode,
        ...(relayUrl !== undefined ? { relayUrl } : {}),
      });
      routeOf(profileId).forget();
      const secret = mode === 'relay' ? input.relayToken : input.adminKey;
      if (secret) {
        await vault.saveKey(secret, input.rememberKey, profileId);
        await sandboxModeItem.setValue('auto'); // a real key (or relay token) ends the sandbox
      } else if (mode !== before.mode) {
        // The other mode's secret is of no use here: a key switched to a relay is gone from the browser.
        await vault.clearKey(profileId);
      } else await vault.setRemember(input.rememberKey, profileId);
      keyOf(profileId).forget();
      return status();
    },

    async clearKey(input) {
      const profileId = input.profileId ?? (await activeProfileId());
      await vault.clearKey(profileId);
      keyOf(profileId).forget();
      return status();
    },

    async testKey(input) {
      const profileId = await resolveProfileId(input.profileId);
      const saved = await profileRoute(profileId);
      // A typed relay URL or token tests the relay; otherwise the profile's own route.
      const relay = input.relayUrl !== undefined || input.relayToken !== undefined || saved.mode === 'relay';
      let route: ApiRoute = { mode: 'direct' };
      if (relay) {
        const url = input.relayUrl !== undefined ? RelayUrl.safeParse(input.relayUrl) : undefined;
        if (url && !url.success) throw new AppError('relay_url_invalid');
        route = { mode: 'relay', url: url?.data ?? (saved.mode === 'relay' ? saved.url : undefined) };
      }
      const typed = relay ? input.relayToken : input.adminKey;
      const key = typed ?? (await vault.readKey(profileId));
      if (!key) throw new KakaoApiError(relay ? 'no_relay_token' : 'no_key', null);
      if (!relay && isMalformedKey(key)) throw new KakaoApiError('malformed_key', null);
      // The cheapest real call: one relationship check of a made-up user, naming no channel, so
      // a good key gets every linked channel. Only -401 means a bad key: Kakao may answer
      // -101 / -2 / -402 about the made-up user, or -3 / -5 / -10, and each of those proves the key.
      const { row, linked } = await probeRelationship(
        makeClient(
          async () => key,
          logReal,
          async () => route,
        ),
      );
      const tested = typed !== undefined ? ('typed' as const) : ('saved' as const);
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
      const profileId = await activeProfileId();
      const [settings, sandbox] = await Promise.all([profileSettings(profileId), sandboxStatus(profileId)]);
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
