import type { ToContentMessage } from './to-content';

/*
 * The content script's side of the background → content-script messages
 * (declared in ./to-content.ts). No zod here: the content script stays small.
 * The check mirrors the zod schema; test/unit/to-content.test.ts holds them together.
 */

/** The `type` every background → content-script message carries. */
export const TO_CONTENT_TYPE = 'channel-desk/page';

/** A light shape check of an incoming runtime message. */
export function isToContentMessage(value: unknown): value is ToContentMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.type !== TO_CONTENT_TYPE) return false;
  if (v.kind === 'invalid' || v.kind === 'failed') return typeof v.text === 'string';
  if (v.kind === 'result') return typeof v.userId === 'string' && typeof v.outcome === 'object' && v.outcome !== null;
  return v.kind === 'recheck';
}
