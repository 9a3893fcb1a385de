import type { WebhookPayload } from './payload';
import type { WebhookProbeOption } from './verdict';

/*
 * The zod-free part of the webhook tester that the tester page also uses (kept
 * apart so the page bundle does not pull in more of zod).
 */

export const KAKAO_WEBHOOK_USER_AGENT = 'KakaoOpenAPI/1.0';

export interface WebhookTestFields {
  url: string;
  event: 'added' | 'blocked';
  idType: 'app_user_id' | 'open_id';
  id: string;
  channelId: string;
  channelUuid: string;
  /** Optional conformance probes sent after the sample event (none by default). */
  probes?: WebhookProbeOption[];
}

/** The `id` each ID type's probe sends when the form's ID is of the other type. */
export const SAMPLE_IDS = { app_user_id: '1234567890', open_id: 'opaqueSampleOpenId0001' } as const;

/** Hosts that never leave this machine: 127.0.0.0/8, localhost and [::1]. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Why a webhook URL cannot be tested, or null when it can. The request carries
 * the real Admin key in Authorization, so it must go over https; plain http is
 * allowed only to loopback receivers (local development and tests).
 */
export function webhookUrlProblem(text: string): 'invalid' | 'insecure' | 'credentials' | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'invalid';
  }
  // A user name or password in the URL would be sent along and kept in the history: refused.
  if (url.username !== '' || url.password !== '') return 'credentials';
  if (url.protocol === 'https:') return null;
  if (url.protocol !== 'http:') return 'invalid';
  return isLoopbackHost(url.hostname) ? null : 'insecure';
}

/**
 * A webhook URL as it is remembered (history, last URL per channel): without query and fragment,
 * which often carry a receiver's secret token, and without any user name or password.
 */
export function webhookUrlToStore(text: string): string {
  try {
    const url = new URL(text);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.href;
  } catch {
    return text.replace(/[?#].*$/s, '');
  }
}

/** True for an https URL, or an http URL to a loopback host. */
export function isWebhookUrl(text: string): boolean {
  return webhookUrlProblem(text) === null;
}

/** The sample event's body, with `updated_at` in Kakao's RFC 3339 form. */
export function samplePayload(input: WebhookTestFields, now: number): WebhookPayload {
  return {
    event: input.event,
    id: input.id,
    id_type: input.idType,
    channel_public_id: input.channelId,
    channel_uuid: input.channelUuid,
    updated_at: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}
