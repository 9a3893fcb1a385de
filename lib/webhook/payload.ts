import { z } from 'zod';

/** RFC 3339 UTC with `Z` and no fraction, as Kakao writes `updated_at`. */
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The add/block callback Kakao POSTs to a service's webhook (docs/kakao-api.md §8). */
export const WebhookPayload = z.object({
  event: z.enum(['added', 'blocked']),
  id: z.string().min(1),
  id_type: z.enum(['app_user_id', 'open_id']),
  channel_public_id: z.string().min(1),
  channel_uuid: z.string().min(1),
  updated_at: z.string(),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 24 random alphanumerics, like Kakao's X-Kakao-Resource-ID. */
export function newResourceId(random: () => number = Math.random): string {
  let id = '';
  for (let i = 0; i < 24; i++) id += ALNUM[Math.floor(random() * ALNUM.length)];
  return id;
}

/** Headers and body exactly as Kakao sends them. */
export function buildWebhookRequest(
  payload: Omit<WebhookPayload, 'updated_at'> & { updated_at?: string },
  primaryAdminKey: string,
  resourceId = newResourceId(),
) {
  const body: WebhookPayload = { ...payload, updated_at: payload.updated_at ?? rfc3339(Date.now()) };
  return {
    method: 'POST' as const,
    headers: {
      Authorization: `KakaoAK ${primaryAdminKey}`,
      'X-Kakao-Resource-ID': resourceId,
      'User-Agent': 'KakaoOpenAPI/1.0',
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  };
}
