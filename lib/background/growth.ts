import { AppError } from '../app-error';
import { sandboxLocked, webhookTesterOff } from '../policy';
import { currentPolicy } from '../policy/current';
import { KakaoApiError } from '../kakao/errors';
import { maskKey } from '../kakao/ids';
import { apiHostPermission } from '../kakao/origin';
import { growthCommands, type GrowthChannel } from '../messages/commands/growth';
import { DEMO_CHANNELS, SANDBOX_ADMIN_KEY } from '../sandbox/demo';
import { sandboxModeItem, sandboxStatus } from '../sandbox/state';
import { readKey } from '../storage/key-vault';
import { activeProfileId, profileSettings } from '../profiles/store';
import {
  rememberWebhookTest,
  rememberWebhookUrl,
  webhookHistoryItem,
  webhookUrlsItem,
} from '../storage/webhook-history';
import { webhookUrlProblem, webhookUrlToStore } from '../webhook/sample';
import { sendTestWebhook } from '../webhook/tester';
import type { BackgroundFeature, FeatureDeps } from './feature';

export interface GrowthDeps extends FeatureDeps {
  /** For tests: the fetch the webhook tester uses. */
  fetch?: typeof fetch;
  /** For tests: the clock the webhook tester measures response times with (ms). */
  now?: () => number;
  /** Whether the extension may reach this origin pattern (granted at runtime from the user's click). */
  hasOrigin?: (pattern: string) => Promise<boolean>;
}

const CHANNEL_INFO_TTL_MS = 10 * 60 * 1000;

/**
 * The growth feature's background side: channel list for the growth tools, the
 * sandbox switch, and the webhook tester (the one place the key goes to a
 * non-Kakao endpoint, and only because Kakao itself sends it there).
 */
export function createGrowthFeature(deps: GrowthDeps): BackgroundFeature<typeof growthCommands> {
  const hasOrigin = deps.hasOrigin ?? ((pattern: string) => browser.permissions.contains({ origins: [pattern] }));
  let uuidCache: { key: string; at: number; uuids: Map<string, string> } | undefined;

  /** channel_uuid (@searchid) per channel, from one cheap relationship call; best effort. */
  async function channelUuids(channelIds: string[], sandbox: boolean): Promise<Map<string, string>> {
    const cacheKey = `${sandbox}:${channelIds.join(',')}`;
    if (uuidCache && uuidCache.key === cacheKey && Date.now() - uuidCache.at < CHANNEL_INFO_TTL_MS)
      return uuidCache.uuids;
    try {
      const res = await deps.client.checkRelationship({ userId: '1', channelIds });
      const uuids = new Map(
        res.channels.flatMap((c) => (c.channel_uuid ? [[c.channel_public_id, c.channel_uuid] as const] : [])),
      );
      uuidCache = { key: cacheKey, at: Date.now(), uuids };
      return uuids;
    } catch {
      return new Map(); // links and snippets need only the public ID
    }
  }

  return {
    handlers: {
      async getGrowthChannels() {
        const [settings, sandbox] = await Promise.all([profileSettings(), sandboxStatus()]);
        const demo = settings.channelIds.length === 0 && sandbox.active;
        const ids = demo ? DEMO_CHANNELS.map((c) => c.publicId) : settings.channelIds;
        if (ids.length === 0) return { channels: [], demo };
        const uuids = await channelUuids(ids, sandbox.active);
        const channels: GrowthChannel[] = ids.map((publicId) => {
          const uuid = uuids.get(publicId);
          return uuid ? { publicId, uuid } : { publicId };
        });
        return { channels, demo };
      },

      async setSandboxMode({ mode }) {
        // The background enforces the policy too, not only the locked switch.
        if (sandboxLocked((await currentPolicy()).policy)) throw new AppError('policy_managed', 'sandboxAllowed');
        await sandboxModeItem.setValue(mode);
        uuidCache = undefined;
        return sandboxStatus();
      },

      async sendTestWebhook(input) {
        if (webhookTesterOff((await currentPolicy()).policy)) throw new AppError('policy_managed', 'webhookTester');
        // The request carries the real Admin key: never over plain http to another machine.
        // (A URL with a user name or password never gets here: the command's input schema refuses it.)
        if (webhookUrlProblem(input.url) !== null) {
          throw new KakaoApiError('internal', null, 'webhook URL must be https (http only to a loopback address)');
        }
        const pattern = apiHostPermission(new URL(input.url).origin);
        if (!(await hasOrigin(pattern))) {
          throw new AppError(
            'webhook_permission_missing',
            `no permission for ${pattern}: grant it from the tester first`,
          );
        }
        // Kakao sends the primary admin key. In the sandbox the demo key goes instead, never the real one.
        const sandbox = (await sandboxStatus()).active;
        const key = sandbox ? SANDBOX_ADMIN_KEY : await readKey(await activeProfileId());
        if (!key) throw new KakaoApiError('no_key', null);
        await rememberWebhookUrl(input.channelId, input.url);
        const result = await sendTestWebhook(input, key, { fetch: deps.fetch, now: deps.now });
        const entry = {
          ...result,
          keySource: sandbox ? ('sandbox' as const) : ('saved' as const),
          keyMasked: maskKey(key),
        };
        // Remembered (and shown) without query and fragment: they often carry the receiver's secret.
        const stored = { ...entry, url: webhookUrlToStore(entry.url) };
        await rememberWebhookTest(stored);
        return stored;
      },

      getWebhookHistory: () => webhookHistoryItem.getValue(),

      getWebhookUrls: () => webhookUrlsItem.getValue(),

      async clearWebhookHistory() {
        await webhookHistoryItem.setValue([]);
        return [];
      },
    },
    start() {},
  };
}
