import { z } from 'zod';
import { ChannelId } from '../kakao/ids';
import { defineParsedItem } from './item';

/** Everything the manager sets that is not secret. The extension's store (lib/storage/kv.ts); never sync. */
export const Settings = z.object({
  channelIds: z.array(ChannelId).default([]),
  /** The channel badges and the popup show first. */
  selectedChannelId: ChannelId.optional(),
  /** Keep the Admin key on this device after the browser closes. */
  rememberKey: z.boolean().default(false),
  /** Parallel API calls for bulk work. */
  concurrency: z.number().int().min(1).max(8).default(4),
  /** Timeout of a customer-file call (create, add, delete users), separate from lookups: large batches take longer. */
  fileTimeoutSeconds: z.number().int().min(10).max(600).default(60),
  /** How long a looked-up relation is reused. */
  cacheTtlMinutes: z.number().int().min(0).max(1440).default(10),
  /** Page badges: most new (uncached) user IDs one tab may look up in a minute. */
  tabNewIdsPerMinute: z.number().int().min(1).max(100_000).default(5_000),
  /** Page badges: most page lookups per key (or the sandbox) in a day. */
  pageLookupsPerDay: z.number().int().min(1).max(10_000_000).default(100_000),
});
export type Settings = z.infer<typeof Settings>;
export const DEFAULT_SETTINGS: Settings = Settings.parse({});

export const settingsItem = defineParsedItem('local:settings', Settings, DEFAULT_SETTINGS);

/** Recent popup lookups (user IDs only; no results), newest first. */
const RecentLookups = z.array(z.string()).max(20);
export const recentLookupsItem = defineParsedItem('local:recentLookups', RecentLookups, []);

export async function rememberLookup(userId: string): Promise<string[]> {
  const current = await recentLookupsItem.getValue();
  const next = [userId, ...current.filter((id) => id !== userId)].slice(0, 20);
  await recentLookupsItem.setValue(next);
  return next;
}
