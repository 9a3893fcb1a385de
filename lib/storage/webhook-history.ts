import { z } from 'zod';
import type { WebhookProbeResult, WebhookTestResult } from '../webhook/tester';
import { webhookUrlToStore } from '../webhook/sample';
import { PROBE_REASONS, WEBHOOK_PROBE_NAMES } from '../webhook/verdict';
import { defineParsedItem } from './item';

/** The webhook tester's recent results, newest first. Never contains the key (only its masked form). */
const MAX_WEBHOOK_HISTORY = 20;

const Probe = z.object({
  probe: z.enum(WEBHOOK_PROBE_NAMES),
  resourceId: z.string(),
  status: z.number().int().nullable(),
  ms: z.number(),
  verdict: z.enum(['pass', 'fail', 'warn']),
  reason: z.enum(PROBE_REASONS).optional(),
}) satisfies z.ZodType<WebhookProbeResult>;

/** Stored (and read) without query, fragment or credentials, even when an older version kept them. */
const StoredUrl = z.string().transform(webhookUrlToStore);

const Entry = z.object({
  at: z.string(),
  url: StoredUrl,
  event: z.enum(['added', 'blocked']),
  resourceId: z.string(),
  status: z.number().int().nullable(),
  ms: z.number(),
  pass: z.boolean(),
  reason: z
    .enum(['redirect', 'client_error', 'server_error', 'unexpected_status', 'slow', 'no_answer', 'network'])
    .optional(),
  keySource: z.enum(['saved', 'sandbox']),
  keyMasked: z.string(),
  probes: z.array(Probe).max(WEBHOOK_PROBE_NAMES.length).optional(),
}) satisfies z.ZodType<WebhookTestResult>;

export const webhookHistoryItem = defineParsedItem<WebhookTestResult[]>(
  'local:webhookHistory',
  z.array(Entry).max(MAX_WEBHOOK_HISTORY),
  [],
);

export async function rememberWebhookTest(entry: WebhookTestResult): Promise<WebhookTestResult[]> {
  const next = [entry, ...(await webhookHistoryItem.getValue())].slice(0, MAX_WEBHOOK_HISTORY);
  await webhookHistoryItem.setValue(next);
  return next;
}

/**
 * The last webhook URL tested for each channel (public ID → URL), so the tester
 * offers it again when that channel is picked.
 */
const MAX_REMEMBERED_WEBHOOK_URLS = 100;
const WebhookUrls = z
  .record(z.string().min(1).max(40), z.string().max(2000).transform(webhookUrlToStore))
  .refine(
    (r) => Object.keys(r).length <= MAX_REMEMBERED_WEBHOOK_URLS,
    `at most ${MAX_REMEMBERED_WEBHOOK_URLS} channels`,
  );
type WebhookUrls = z.infer<typeof WebhookUrls>;

export const webhookUrlsItem = defineParsedItem<WebhookUrls>('local:webhookUrls', WebhookUrls, {});

export async function rememberWebhookUrl(channelId: string, url: string): Promise<WebhookUrls> {
  const current = await webhookUrlsItem.getValue();
  const { [channelId]: _old, ...others } = current;
  // Newest last; the oldest channels are forgotten first.
  const kept = Object.entries(others).slice(-(MAX_REMEMBERED_WEBHOOK_URLS - 1));
  const next = { ...Object.fromEntries(kept), [channelId]: url };
  await webhookUrlsItem.setValue(next);
  return next;
}
