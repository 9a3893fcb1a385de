/*
 * Configured channels against the ones Kakao says are linked to the app. A
 * manager who typed _ZeUTxI (capital i) for _ZeUTxl gets that channel marked,
 * with the linked ID as a suggestion. Small and dependency-free: the options page
 * loads it at first paint.
 */

export interface LinkedChannel {
  publicId: string;
  uuid?: string;
}

interface ChannelMismatch {
  publicId: string;
  /** A linked ID that differs only by case or look-alike characters (I/l/1, O/0). */
  suggestion?: string;
}

export interface ChannelMatch {
  configured: string[];
  /** The app's linked channels as the relationship check listed them; null when it could not tell. */
  linked: LinkedChannel[] | null;
  /** Configured channels the app does not have. */
  missing: ChannelMismatch[];
  /** Linked channels not configured. */
  unconfigured: LinkedChannel[];
}

// Look-alike characters in channel IDs (a capital i typed for a small L, zero for O).
const LOOKALIKE: Record<string, string> = { i: 'l', '1': 'l', '|': 'l', '0': 'o' };
const lookalikeForm = (id: string) => [...id.toLowerCase()].map((c) => LOOKALIKE[c] ?? c).join('');

/** The linked ID a mistyped one was meant to be: same up to case and I/l/1, O/0. Only when exactly one fits. */
export function suggestChannelId(id: string, linked: readonly string[]): string | undefined {
  const form = lookalikeForm(id);
  const fits = linked.filter((l) => l !== id && lookalikeForm(l) === form);
  return fits.length === 1 ? fits[0] : undefined;
}

export function matchChannels(configured: readonly string[], linked: readonly LinkedChannel[] | null): ChannelMatch {
  if (!linked) return { configured: [...configured], linked: null, missing: [], unconfigured: [] };
  const linkedIds = linked.map((c) => c.publicId);
  const missing = configured
    .filter((id) => !linkedIds.includes(id))
    .map((publicId) => {
      const suggestion = suggestChannelId(publicId, linkedIds);
      return suggestion ? { publicId, suggestion } : { publicId };
    });
  return {
    configured: [...configured],
    linked: [...linked],
    missing,
    unconfigured: linked.filter((c) => !configured.includes(c.publicId)),
  };
}
