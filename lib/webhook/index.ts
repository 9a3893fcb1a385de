/**
 * Kakao Talk Channel add/block webhook, for service developers: the payload
 * schema, Kakao's request (headers and body), the receiver-side verifier and
 * Kakao's pass/fail rule. Depends on zod only.
 *
 * ```ts
 * import { createWebhookVerifier } from 'channel-desk/lib/webhook';
 * const verifier = createWebhookVerifier({ primaryAdminKey: process.env.KAKAO_PRIMARY_ADMIN_KEY! });
 * // in your POST handler:
 * const v = verifier.verify({ headers: req.headers, body: rawBody });
 * if (!v.ok) return res.status(v.status).end();
 * if (!v.duplicate) await onChannelEvent(v.payload); // v.payload.event: 'added' | 'blocked'
 * res.status(200).end(); // within 3 seconds
 * ```
 */
export { WebhookPayload, buildWebhookRequest, newResourceId } from './payload';
export {
  createWebhookVerifier,
  KAKAO_WEBHOOK_USER_AGENT,
  MAX_RESOURCE_ID_LENGTH,
  type HeaderSource,
  type WebhookRejection,
  type WebhookVerification,
  type WebhookVerifier,
  type WebhookVerifierOptions,
} from './verifier';
export {
  KAKAO_WEBHOOK_DEADLINE_MS,
  webhookVerdict,
  type WebhookFailure,
  type WebhookOutcome,
  type WebhookVerdict,
} from './verdict';
