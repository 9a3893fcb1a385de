import { z } from 'zod';
import type { Status } from '../messages/commands/core';
import { defineParsedItem } from './item';
import { SandboxMode } from './sandbox-mode';
import { Settings } from './settings';

/*
 * The background's last status (masked key only, never key material), in
 * storage.session: written whenever the background computes it and whenever a
 * value it depends on changes, so the popup can paint from it at once and then
 * ask the background (which it does right after painting). Gone when the browser
 * closes, like a session key: after a restart the popup asks first.
 */
const CachedStatus = z.object({
  key: z.object({
    saved: z.boolean(),
    masked: z.string().nullable(),
    remembered: z.boolean(),
    cleared: z.boolean().optional(),
  }),
  settings: Settings,
  apiOrigin: z.string(),
  sandbox: z.object({ active: z.boolean(), mode: SandboxMode }),
  ready: z.boolean(),
  channelIds: z.array(z.string()),
  channelNames: z.record(z.string(), z.string()).optional(),
}) satisfies z.ZodType<Status>;

export const statusCacheItem = defineParsedItem<Status | null>('session:statusCache', CachedStatus.nullable(), null);
