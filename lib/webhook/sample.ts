import type { WebhookPayload } from '../simulator/webhook';

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
}

export function isHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
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
