/*
 * Who sent a message. Decided only from facts the browser vouches for — the
 * sender's extension id, its origin (Chrome), its environment type (Firefox) and
 * whether it has a tab — never from `sender.url`, which a compromised renderer
 * can influence and which says nothing about the sending context's privileges.
 *
 * - `extension`: our own pages (popup, options, workspace) and the background.
 * - `content`: our content script, running inside a web page's tab.
 * - `foreign`: anything else (another extension, a web page via
 *   externally_connectable — which we never declare). Always refused.
 *
 * When the facts disagree or are missing, the answer is the less privileged one.
 */

export type SenderClass = 'extension' | 'content' | 'foreign';

export interface SenderFacts {
  id?: string;
  origin?: string;
  tab?: unknown;
  frameId?: number;
  /** Firefox only: 'addon_child' for extension pages, 'content_child' for content scripts. */
  envType?: string;
}

export function classifySender(sender: SenderFacts | undefined, ownId: string, ownOrigin: string): SenderClass {
  if (!sender || sender.id !== ownId) return 'foreign';
  // Firefox gives both facts; a content context, even one with our origin, is a disagreement: less privilege.
  if (sender.envType === 'content_child') return 'content';
  if (typeof sender.origin === 'string') return sender.origin === ownOrigin ? 'extension' : 'content';
  if (sender.envType === 'addon_child') return 'extension';
  // No origin and no envType: only a context without a tab (popup, background) counts as ours.
  return sender.tab === undefined ? 'extension' : 'content';
}
