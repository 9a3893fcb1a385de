/*
 * Kakao's rule for a webhook delivery (docs/kakao-api.md §8): any 2XX within 3 seconds
 * passes; a redirect (3XX, never followed), 4XX, 5XX or a slower answer fails.
 */

export const KAKAO_WEBHOOK_DEADLINE_MS = 3000;

export type WebhookFailure =
  'redirect' | 'client_error' | 'server_error' | 'unexpected_status' | 'slow' | 'no_answer' | 'network';

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

/*
 * Optional conformance probes the tester can send after the sample event, each
 * with its own verdict:
 * - `duplicate`: the same event again with the same X-Kakao-Resource-ID. The
 *   receiver must still answer 2XX in time (else Kakao counts a failure) and
 *   should skip the work for a resource ID it has already seen. Whether it
 *   double-counted cannot be seen from outside; the explanation says how to dedupe.
 * - `wrong-auth`: the event with a fixed, obviously fake key in Authorization.
 *   401/403 passes; a 2XX fails: the receiver does not check the key (a security
 *   hole: anyone can forge add/block events). Anything else is a warning.
 * - `id-types`: the event once with `app_user_id` and once with `open_id`, each
 *   judged by Kakao's rule.
 */

/** The probes a user can turn on (all off by default). */
export const WEBHOOK_PROBE_OPTIONS = ['duplicate', 'wrong-auth', 'id-types'] as const;
export type WebhookProbeOption = (typeof WEBHOOK_PROBE_OPTIONS)[number];
/** One verdict row; `id-types` gives two. */
export type WebhookProbeName = 'duplicate' | 'wrong-auth' | 'id-type:app_user_id' | 'id-type:open_id';
export const WEBHOOK_PROBE_NAMES = [
  'duplicate',
  'wrong-auth',
  'id-type:app_user_id',
  'id-type:open_id',
] as const satisfies readonly WebhookProbeName[];
export type ProbeVerdict = 'pass' | 'fail' | 'warn';
/**
 * Why a probe did not pass: Kakao's failure reasons, or
 * `accepts_wrong_key` (2XX to a fake key), `wrong_key_status` (refused the fake
 * key, but not with 401/403), `skipped` (not sent: the sample event got no answer).
 */
export type ProbeReason = WebhookFailure | 'accepts_wrong_key' | 'wrong_key_status' | 'skipped';
export const PROBE_REASONS = [
  'redirect',
  'client_error',
  'server_error',
  'unexpected_status',
  'slow',
  'no_answer',
  'network',
  'accepts_wrong_key',
  'wrong_key_status',
  'skipped',
] as const satisfies readonly ProbeReason[];

export interface ProbeJudgement {
  verdict: ProbeVerdict;
  reason?: ProbeReason;
}

/**
 * The Authorization value the wrong-key probe sends: fixed and obviously fake
 * (never derived from the real key), shaped like a key so the receiver's key
 * comparison, not a format check, is what gets tested.
 */
export const FAKE_ADMIN_KEY = '00000000000000000000000000000000';

export function probeVerdict(probe: WebhookProbeName, outcome: WebhookOutcome): ProbeJudgement {
  if (probe !== 'wrong-auth') {
    const kakao = webhookVerdict(outcome);
    return kakao.pass ? { verdict: 'pass' } : { verdict: 'fail', reason: kakao.reason! };
  }
  if (outcome.transportError) return { verdict: 'warn', reason: outcome.transportError };
  const s = outcome.status ?? 0;
  if (outcome.redirected || (s >= 300 && s < 400)) return { verdict: 'warn', reason: 'redirect' };
  if (s === 401 || s === 403) return { verdict: 'pass' };
  if (s >= 200 && s < 300) return { verdict: 'fail', reason: 'accepts_wrong_key' };
  return { verdict: 'warn', reason: 'wrong_key_status' };
}
