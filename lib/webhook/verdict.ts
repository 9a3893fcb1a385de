/*
 * Kakao's rule for a webhook delivery (spec §4): any 2XX within 3 seconds
 * passes; a redirect (3XX, never followed), 4XX, 5XX or a slower answer fails.
 */

export const KAKAO_WEBHOOK_DEADLINE_MS = 3000;

export type WebhookFailure = 'redirect' | 'client_error' | 'server_error' | 'unexpected_status' | 'slow' | 'no_answer' | 'network';

export interface WebhookOutcome {
  /** HTTP status, or null when there was none (network error, no answer, or a redirect the browser hides). */
  status: number | null;
  /** The browser reported a redirect without its status (`redirect: 'manual'` gives an opaque response). */
  redirected?: boolean;
  /** Time to the response, in ms (to the give-up point when there was no answer). */
  ms: number;
  /** No response at all: 'network' (refused, DNS, TLS) or 'no_answer' (gave up waiting). */
  transportError?: 'network' | 'no_answer';
}

export interface WebhookVerdict {
  pass: boolean;
  reason?: WebhookFailure;
}

export function webhookVerdict(outcome: WebhookOutcome): WebhookVerdict {
  if (outcome.transportError) return { pass: false, reason: outcome.transportError };
  if (outcome.redirected) return { pass: false, reason: 'redirect' };
  const s = outcome.status ?? 0;
  if (s >= 300 && s < 400) return { pass: false, reason: 'redirect' };
  if (s >= 400 && s < 500) return { pass: false, reason: 'client_error' };
  if (s >= 500 && s < 600) return { pass: false, reason: 'server_error' };
  if (s < 200 || s >= 300) return { pass: false, reason: 'unexpected_status' };
  if (outcome.ms > KAKAO_WEBHOOK_DEADLINE_MS) return { pass: false, reason: 'slow' };
  return { pass: true };
}
