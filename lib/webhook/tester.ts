import { z } from 'zod';
import { buildWebhookRequest, newResourceId, type WebhookPayload } from '../simulator/webhook';
import { isWebhookUrl, samplePayload, type WebhookTestFields } from './sample';
import { webhookVerdict, type WebhookFailure, type WebhookOutcome } from './verdict';

export { samplePayload };

/*
 * Sends one sample add/block event to a service's webhook the way Kakao does,
 * and reports what Kakao would conclude. Runs in the background (it holds the
 * key). Browsers differ on one header: Chromium silently replaces a fetch's
 * `User-Agent` with its own (checked with Chromium 156), Firefox sends ours.
 * Receivers should therefore not depend on User-Agent when testing from Chrome.
 */

/** How long the tester waits before giving up. Longer than Kakao's 3 s so a slow endpoint's real time is shown. */
export const TESTER_GIVE_UP_MS = 10_000;

export const WebhookTestInput = z.strictObject({
  url: z.string().trim().max(2000).refine(isWebhookUrl, 'an https URL (http only to 127.0.0.1, localhost or [::1])'),
  event: z.enum(['added', 'blocked']),
  idType: z.enum(['app_user_id', 'open_id']),
  id: z.string().trim().min(1).max(100),
  channelId: z.string().trim().min(1).max(40),
  channelUuid: z.string().trim().min(1).max(100),
}) satisfies z.ZodType<WebhookTestFields>;
export type WebhookTestInput = z.infer<typeof WebhookTestInput>;

export interface WebhookTestResult {
  at: string;
  url: string;
  event: WebhookPayload['event'];
  resourceId: string;
  status: number | null;
  ms: number;
  pass: boolean;
  reason?: WebhookFailure;
  /** Which key went into Authorization (never the key itself). */
  keySource: 'saved' | 'sandbox';
  /** The masked key, e.g. ••••cdef. */
  keyMasked: string;
}

/** Sends the request and measures it. The key is used for the header only; the result never contains it. */
export async function sendTestWebhook(
  input: WebhookTestInput,
  key: string,
  deps: { fetch?: typeof fetch; now?: () => number; resourceId?: string; giveUpMs?: number } = {},
): Promise<Omit<WebhookTestResult, 'keySource' | 'keyMasked'>> {
  const doFetch = deps.fetch ?? globalThis.fetch.bind(globalThis);
  const now = deps.now ?? (() => performance.now());
  const started = Date.now();
  const resourceId = deps.resourceId ?? newResourceId(randomUnit);
  const request = buildWebhookRequest(samplePayload(input, started), key, resourceId);
  const giveUp = AbortSignal.timeout(deps.giveUpMs ?? TESTER_GIVE_UP_MS);

  const t0 = now();
  let outcome: WebhookOutcome;
  try {
    const response = await doFetch(input.url, { ...request, redirect: 'manual', signal: giveUp, credentials: 'omit', cache: 'no-store' });
    const ms = Math.round(now() - t0);
    void response.body?.cancel().catch(() => {}); // Kakao ignores the body
    outcome =
      response.type === 'opaqueredirect'
        ? { status: null, redirected: true, ms }
        : { status: response.status, ms };
  } catch {
    const ms = Math.round(now() - t0);
    outcome = { status: null, ms, transportError: giveUp.aborted ? 'no_answer' : 'network' };
  }
  const verdict = webhookVerdict(outcome);
  return {
    at: new Date(started).toISOString(),
    url: input.url,
    event: input.event,
    resourceId,
    status: outcome.status,
    ms: outcome.ms,
    pass: verdict.pass,
    ...(verdict.reason ? { reason: verdict.reason } : {}),
  };
}

/** crypto-strength randomness for resource IDs. */
function randomUnit(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}
