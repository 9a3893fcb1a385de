import { z } from 'zod';
import type { SandboxStatus } from '../../sandbox/state';
import { SandboxMode } from '../../sandbox/state';
import { WebhookTestInput, type WebhookTestResult } from '../../webhook/tester';
import { defineCommand, type CommandTable } from '../define';

export interface GrowthChannel {
  publicId: string;
  /** @searchid, when Kakao (or the sandbox) told us. */
  uuid?: string;
}
export interface GrowthChannels {
  channels: GrowthChannel[];
  /** The channels are the sandbox's demo channels. */
  demo: boolean;
}

/**
 * Growth tools, the webhook tester and the sandbox switch. Extension pages only:
 * the webhook tester sends the Admin key to an endpoint, so no content script or
 * web page may start it.
 */
export const growthCommands = {
  /** The configured channels (or, in the sandbox with none configured, the demo channels). */
  getGrowthChannels: defineCommand<GrowthChannels>()({ allow: ['extension'], input: z.strictObject({}) }),
  setSandboxMode: defineCommand<SandboxStatus>()({
    allow: ['extension'],
    input: z.strictObject({ mode: SandboxMode }),
  }),
  /** POSTs one sample event. The page must have obtained the endpoint's origin permission first. */
  sendTestWebhook: defineCommand<WebhookTestResult>()({ allow: ['extension'], input: WebhookTestInput }),
  getWebhookHistory: defineCommand<WebhookTestResult[]>()({ allow: ['extension'], input: z.strictObject({}) }),
  /** The last webhook URL tested per channel (public ID → URL). */
  getWebhookUrls: defineCommand<Record<string, string>>()({ allow: ['extension'], input: z.strictObject({}) }),
  clearWebhookHistory: defineCommand<WebhookTestResult[]>()({ allow: ['extension'], input: z.strictObject({}) }),
} satisfies CommandTable;
