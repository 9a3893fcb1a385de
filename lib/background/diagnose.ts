import type { ApiRoute, KakaoClient } from '../kakao/client';
import { malformedKeyReport, isMalformedKey, runConnectionCheck } from '../kakao/diagnose';
import { KakaoApiError } from '../kakao/errors';
import { maskKey } from '../kakao/ids';
import type { diagnoseCommands } from '../messages/commands/diagnose';
import { DEMO_CHANNELS } from '../sandbox/demo';
import { sandboxStatus } from '../sandbox/state';
import { readKey } from '../storage/key-vault';
import { activeProfileId, profileRoute, profileSettings } from '../profiles/store';
import type { BackgroundFeature, FeatureDeps } from './feature';

export interface DiagnoseDeps extends FeatureDeps {
  /**
   * A client for a given key, not sandbox-aware: a typed or saved key is checked against Kakao itself (a relay
   * profile's token against its relay, with `getRoute`).
   */
  makeClient: (getKey: () => Promise<string | null>, getRoute?: () => Promise<ApiRoute>) => KakaoClient;
}

/** The connection check's background side: runs the checks with the saved key, a typed key, or the sandbox. */
export function createDiagnoseFeature(deps: DiagnoseDeps): BackgroundFeature<typeof diagnoseCommands> {
  return {
    handlers: {
      async runConnectionCheck(input) {
        const profileId = await activeProfileId();
        const [settings, sandbox] = await Promise.all([profileSettings(profileId), sandboxStatus(profileId)]);
        const saved =
          settings.channelIds.length > 0 || !sandbox.active
            ? settings.channelIds
            : DEMO_CHANNELS.map((c) => c.publicId);
        const channelIds = input.channelIds ?? saved;
        const common = { channelIds, apiOrigin: deps.apiOrigin, concurrency: Math.min(settings.concurrency, 4) };
        const route = await profileRoute(profileId);

        if (route.mode === 'relay') {
          // A relay profile: the check runs through its relay, with the typed or saved relay token.
          const getRoute = async () => route;
          const relayed = { ...common, ...(route.url ? { relayUrl: route.url } : {}) };
          const token = input.relayToken ?? (await readKey(profileId));
          if (!token) throw new KakaoApiError('no_relay_token', null);
          const keySource = input.relayToken !== undefined ? ('typed' as const) : ('saved' as const);
          return runConnectionCheck(
            deps.makeClient(async () => token, getRoute),
            { ...relayed, keyMasked: maskKey(token), keySource },
          );
        }
        if (input.adminKey !== undefined) {
          const typed = input.adminKey;
          const keyMasked = maskKey(typed);
          if (isMalformedKey(typed)) return malformedKeyReport({ ...common, keyMasked, keySource: 'typed' });
          return runConnectionCheck(
            deps.makeClient(async () => typed),
            { ...common, keyMasked, keySource: 'typed' },
          );
        }
        if (sandbox.active)
          return runConnectionCheck(deps.client, { ...common, keyMasked: null, keySource: 'sandbox' });
        const key = await readKey(profileId);
        if (!key) throw new KakaoApiError('no_key', null);
        return runConnectionCheck(
          deps.makeClient(async () => key),
          { ...common, keyMasked: maskKey(key), keySource: 'saved' },
        );
      },
    },
    start() {},
  };
}
