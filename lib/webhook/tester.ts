import { z } from 'zod';
import { buildWebhookRequest, newResourceId, type WebhookPayload } from './payload';
import { isWebhookUrl, SAMPLE_IDS, samplePayload, type WebhookTestFields } from './sample';
import {
  FAKE_ADMIN_KEY,
  probeVerdict,
  WEBHOOK_PROBE_OPTIONS,
  webhookVerdict,
  type ProbeReason,
  type ProbeVerdict,
  type WebhookFailure,
  type WebhookOutcome,
  type WebhookProbeName,
} from './verdict';

export { samplePayload };

/*
 * Sends one sample add/block event to a service's webhook the way Kakao does,
 * and reports what Kakao would conclude. Runs in the background (it holds the
 * key). Browsers differ on one header: Chromium silently replaces a fetch's
 * `User-Agent` with its own (checked with Chromium 156), Firefox sends ours.
 * Receivers should therefore not depend on User-Agent when testing from Chrome.
 */

/** How long the tester waits before giving up. Longer than Kakao's 3 s so a slow endpoint's real time is shown. */
const TESTER_GIVE_UP_MS = 10_000;

export const WebhookTestInput = z.strictObject({
  url: z
    .string()
    .trim()
    .max(2000)
    .refine(isWebhookUrl, 'an https URL without user name or password (http only to 127.0.0.1, localhost or [::1])'),
  event: z.enum(['added', 'blocked']),
  idType: z.enum(['app_user_id', 'open_id']),
  id: z.string().trim().min(1).max(100),
  channelId: z.string().trim().min(1).max(40),
  channelUuid: z.string().trim().min(1).max(100),
  probes: z.array(z.enum(WEBHOOK_PROBE_OPTIONS)).max(WEBHOOK_PROBE_OPTIONS.length).optional(),
}) satisfies z.ZodType<WebhookTestFields>;
export type WebhookTestInput = z.infer<typeof WebhookTestInput>;

export interface WebhookProbeResult {
  probe: WebhookProbeName;
  resourceId: string;
  status: number | null;
  ms: number;
  verdict: ProbeVerdict;
  reason?: ProbeReason;
}

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
  /** The probes' verdicts, in the order sent; only when probes were asked for. */
  probes?: WebhookProbeResult[];
}

type TesterDeps = {
  fetch?: typeof fetch;
  /** The clock response times are measured with (ms). */
  now?: () => number;
  /** The sample event's resource ID (probes get fresh ones, except the duplicate). */
  resourceId?: string;
  giveUpMs?: number;
};

/**
 * Sends the sample event (then any probes asked for, one after another) and
 * measures each. The key is used for the sample event's header only (and the
 * duplicate's and the ID-type probes', which are Kakao deliveries too); the
 * wrong-key probe sends FAKE_ADMIN_KEY. The result never contains the key.
 */
export async function sendTestWebhook(
  input: WebhookTestInput,
  key: string,
  deps: TesterDeps = {},
): Promise<Omit<WebhookTestResult, 'keySource' | 'keyMasked'>> {
  const doFetch = deps.fetch ?? globalThis.fetch.bind(globalThis);
  const now = deps.now ?? (() => performance.now());
  const started = Date.now();

  async function deliver(request: ReturnType<typeof buildWebhookRequest>): Promise<WebhookOutcome> {
    const giveUp = AbortSignal.timeout(deps.giveUpMs ?? TESTER_GIVE_UP_MS);
    const t0 = now();
    try {
      const response = await doFetch(input.url, {
        ...request,
        redirect: 'manual',
        signal: giveUp,
        credentials: 'omit',
        cache: 'no-store',
      });
      const ms = Math.round(now() - t0);
      void response.body?.cancel().catch(() => {}); // Kakao ignores the body
      return response.type === 'opaqueredirect'
        ? { status: null, redirected: true, ms }
        : { status: response.status, ms };
    } catch {
      const ms = Math.round(now() - t0);
      return { status: null, ms, transportError: giveUp.aborted ? 'no_answer' : 'network' };
    }
  }

  const resourceId = deps.resourceId ?? newResourceId(randomUnit);
  const payload = samplePayload(input, started);
  const request = buildWebhookRequest(payload, key, resourceId);
  const outcome = await deliver(request);
  const verdict = webhookVerdict(outcome);

  const asked = new Set(input.probes ?? []);
  let probes: WebhookProbeResult[] | undefined;
  if (asked.size > 0) {
    probes = [];
    const plan: { probe: WebhookProbeName; request: ReturnType<typeof buildWebhookRequest>; skip?: boolean }[] = [];
    if (asked.has('duplicate')) plan.push({ probe: 'duplicate', request }); // the very same delivery again
    if (asked.has('wrong-auth')) {
      // A "wrong" key that happened to be the real one would prove nothing (and send the key): not sent.
      const skip = key === FAKE_ADMIN_KEY;
      plan.push({
        probe: 'wrong-auth',
        request: buildWebhookRequest(payload, FAKE_ADMIN_KEY, newResourceId(randomUnit)),
        skip,
      });
    }
    if (asked.has('id-types')) {
      for (const idType of ['app_user_id', 'open_id'] as const) {
        const id = idType === input.idType ? input.id : SAMPLE_IDS[idType];
        plan.push({
          probe: `id-type:${idType}`,
          request: buildWebhookRequest({ ...payload, id_type: idType, id }, key, newResourceId(randomUnit)),
        });
      }
    }
    for (const step of plan) {
      const resourceIdSent = step.request.headers['X-Kakao-Resource-ID'];
      // After no answer at all, probes would only wait again: they are reported as not sent.
      if (outcome.transportError || step.skip) {
        probes.push({
          probe: step.probe,
          resourceId: resourceIdSent,
          status: null,
          ms: 0,
          verdict: 'warn',
          reason: 'skipped',
        });
        continue;
      }
      const probeOutcome = await deliver(step.request);
      const judged = probeVerdict(step.probe, probeOutcome);
      probes.push({
        probe: step.probe,
        resourceId: resourceIdSent,
        status: probeOutcome.status,
        ms: probeOutcome.ms,
        ...judged,
      });
    }
  }

  return {
    at: new Date(started).toISOString(),
    url: input.url,
    event: input.event,
    resourceId,
    status: outcome.status,
    ms: outcome.ms,
    pass: verdict.pass,
    ...(verdict.reason ? { reason: verdict.reason } : {}),
    ...(probes ? { probes } : {}),
  };
}

/** crypto-strength randomness for resource IDs. */
function randomUnit(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}
