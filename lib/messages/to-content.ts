import { z } from 'zod';
import { CheckRelation } from '../kakao/schemas';
import { UNKNOWN_REASONS, type UnknownReason } from '../kakao/tolerance';
import { TO_CONTENT_TYPE } from './to-content-guard';

/*
 * Messages in the other direction: background → our content script in a tab
 * (page → background commands are in ./protocol.ts). Runtime messages to a tab
 * only our extension can send; the content script answers `{shown: true}` when
 * it showed the message, and the background falls back to a notification
 * otherwise. The content script checks them with ./to-content-guard.ts (no zod
 * there); the background parses every message with the schema below before
 * sending it.
 */

/** @public Declares the direction (read by people, not code). */
export const TO_CONTENT_DIRECTION = 'background → content script' as const;

const ChannelRelationView = z.object({
  channelId: z.string(),
  name: z.string().optional(),
  relation: CheckRelation,
  updatedAt: z.string().optional(),
  reason: z.enum(UNKNOWN_REASONS as [UnknownReason, ...UnknownReason[]]).optional(),
});
const UserOutcome = z.union([
  z.object({ channels: z.array(ChannelRelationView) }),
  z.object({
    error: z.object({ code: z.union([z.string(), z.number()]), message: z.object({ ko: z.string(), en: z.string() }) }),
  }),
]);

const type = z.literal(TO_CONTENT_TYPE);
export const ToContentMessage = z.discriminatedUnion('kind', [
  /** Context menu: the selected text is no user ID (`text`: the selection, shortened). */
  z.object({ type, kind: z.literal('invalid'), text: z.string() }),
  /** Context menu: the looked-up user's relations. */
  z.object({
    type,
    kind: z.literal('result'),
    userId: z.string(),
    selectedChannelId: z.string().nullable(),
    outcome: UserOutcome,
  }),
  /** The relation cache was cleared: look every badge up again. */
  z.object({ type, kind: z.literal('recheck') }),
  /** The context-menu check failed; `text` is already in the manager's language. */
  z.object({ type, kind: z.literal('failed'), text: z.string() }),
]);
export type ToContentMessage = z.infer<typeof ToContentMessage>;
export type ToContentReply = { shown: boolean };

/** Sends a message to a tab's top frame; the content script's reply, or null when none answered. */
export async function sendToContent(
  tabId: number,
  message: ToContentMessage,
  tabs: Pick<typeof browser.tabs, 'sendMessage'> = browser.tabs,
): Promise<ToContentReply | null> {
  ToContentMessage.parse(message);
  const reply = (await tabs.sendMessage(tabId, message, { frameId: 0 })) as unknown;
  return typeof reply === 'object' && reply !== null && typeof (reply as ToContentReply).shown === 'boolean'
    ? (reply as ToContentReply)
    : null;
}
