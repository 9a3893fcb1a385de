import { z } from 'zod';
import type { WebhookTestResult } from '../webhook/tester';
import { defineParsedItem } from './item';

/** The webhook tester's recent results, newest first. Never contains the key (only its masked form). */
export const MAX_WEBHOOK_HISTORY = 20;

const Entry = z.object({
  at: z.string(),
  url: z.string(),
  event: z.enum(['added', 'blocked']),
  resourceId: z.string(),
  status: z.number().int().nullable(),
  ms: z.number(),
  pass: z.boolean(),
  reason: z.enum(['redirect', 'client_error', 'server_error', 'unexpected_status', 'slow', 'no_answer', 'network']).optional(),
  keySource: z.enum(['saved', 'sandbox']),
  keyMasked: z.string(),
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
