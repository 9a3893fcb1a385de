import type { UserOutcome } from './relations';

/** Background → content script messages (runtime messages only our extension can send). */
export const TOAST_MESSAGE = 'channel-desk/page';

export type ToastMessage =
  | { type: typeof TOAST_MESSAGE; kind: 'invalid'; text: string }
  | { type: typeof TOAST_MESSAGE; kind: 'result'; userId: string; selectedChannelId: string | null; outcome: UserOutcome }
  | { type: typeof TOAST_MESSAGE; kind: 'recheck' }
  /** The context-menu check failed; `text` is already in the manager's language. */
  | { type: typeof TOAST_MESSAGE; kind: 'failed'; text: string };

/** A light shape check in the content script (no zod there, to keep it small). */
export function isToastMessage(value: unknown): value is ToastMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.type !== TOAST_MESSAGE) return false;
  if (v.kind === 'invalid' || v.kind === 'failed') return typeof v.text === 'string';
  if (v.kind === 'result') return typeof v.userId === 'string' && typeof v.outcome === 'object' && v.outcome !== null;
  return v.kind === 'recheck';
}
