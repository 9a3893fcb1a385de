import { i18n } from '#i18n';
import type { PageOutcome, ChannelRelationView } from '../../badges/relations';
import { errorInfo } from '../../kakao/errors';
import { normaliseUserId, USER_ID_MAX_DIGITS, userIdProblem, type UserIdProblem } from '../../kakao/id-format';
import { uiLang } from '../../ui-lang';
import { limitExplanation } from '../badges/context-menu';

/*
 * The address-bar keyword `kc`: `kc 4018203344` shows the user's relation with each
 * channel as suggestions, Enter opens the popup's result view in a tab. Typing is
 * debounced: a text is looked up only when it is a complete, valid user ID that stayed
 * the same for `debounceMs`, so a partial ID never costs a call. A cached answer is
 * shown at once (it costs nothing). Chrome reads suggestion descriptions as XML
 * (`<match>`, `<dim>`), so text is escaped there; Firefox shows plain text.
 */

export interface OmniboxSuggestion {
  content: string;
  description: string;
}

/** What the address bar shows: the first line (Enter) and one line per channel. */
export interface OmniboxView {
  defaultDescription: string;
  suggestions: OmniboxSuggestion[];
}

/** What is known about the typed text. */
export type OmniboxState =
  | { kind: 'empty' }
  | { kind: 'invalid'; text: string; problem: UserIdProblem }
  | { kind: 'checking'; userId: string }
  | { kind: 'done'; userId: string; outcome: PageOutcome; selectedChannelId: string | null };

/** Chrome's suggestion markup is XML: the five characters XML gives meaning to, as entities. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** The typed text's state before any lookup: empty, invalid (and why), or the user ID to check. */
export function parseOmniboxText(text: string): OmniboxState {
  const id = normaliseUserId(text.replace(/\s+/g, ' '));
  if (id === '') return { kind: 'empty' };
  const problem = userIdProblem(id);
  return problem ? { kind: 'invalid', text: id, problem } : { kind: 'checking', userId: id };
}

/** The user ID an entered text names: the typed ID, or a channel line's `<id> <channel>`. */
export function enteredUserId(text: string): string {
  const trimmed = text.trim();
  return /^(\d+)\s+_[A-Za-z0-9]+$/.exec(trimmed)?.[1] ?? trimmed;
}

function problemText(problem: UserIdProblem, digits: number): string {
  const max = String(USER_ID_MAX_DIGITS);
  if (problem === 'too_long') return i18n.t('firsthour.userIdTooLong', [String(digits), max]);
  if (problem === 'leading_zero') return i18n.t('firsthour.userIdLeadingZero', [max]);
  if (problem === 'empty') return i18n.t('firsthour.userIdEmpty', [max]);
  return i18n.t('firsthour.userIdNotDigits', [max]);
}

function channelLine(c: ChannelRelationView, markup: boolean): string {
  const esc = markup ? escapeXml : (t: string) => t;
  const label = c.name ? `${c.name} · ${c.channelId}` : c.channelId;
  const relation = i18n.t(`relation.${c.relation}`);
  const changed = c.updatedAt ? i18n.t('common.changedAt', [formatDay(c.updatedAt)]) : '';
  if (!markup) return [`${label}: ${relation}`, changed].filter(Boolean).join(' · ');
  return `<match>${esc(label)}</match>: ${esc(relation)}${changed ? ` <dim>${esc(changed)}</dim>` : ''}`;
}

function formatDay(rfc3339: string): string {
  const d = new Date(rfc3339);
  return Number.isNaN(d.getTime()) ? rfc3339 : d.toLocaleDateString(uiLang() === 'ko' ? 'ko-KR' : 'en-US');
}

/** The address bar's lines for a state; `markup`: Chrome's XML descriptions (escaped), else plain text (Firefox). */
export function omniboxView(state: OmniboxState, markup: boolean): OmniboxView {
  const esc = markup ? escapeXml : (t: string) => t;
  const only = (text: string): OmniboxView => ({ defaultDescription: esc(text), suggestions: [] });
  if (state.kind === 'empty') return only(i18n.t('quick.omniboxEmpty'));
  if (state.kind === 'invalid') return only(problemText(state.problem, state.text.length));
  if (state.kind === 'checking') return only(i18n.t('quick.omniboxChecking', [state.userId]));
  const { outcome, userId } = state;
  if ('limit' in outcome) return only(limitExplanation(outcome.limit));
  if ('error' in outcome) return only(i18n.t('page.resultError', [userId, outcome.error.message[uiLang()]]));
  // The channel badges follow first, then the others in the order Kakao answered.
  const channels = [...outcome.channels].sort(
    (a, b) => Number(b.channelId === state.selectedChannelId) - Number(a.channelId === state.selectedChannelId),
  );
  return {
    defaultDescription: esc(i18n.t('quick.omniboxOpen', [userId])),
    suggestions: channels.map((c) => ({ content: `${userId} ${c.channelId}`, description: channelLine(c, markup) })),
  };
}

export interface OmniboxDeps {
  /** A cached answer for one ID (no call), or undefined. */
  cached: (userId: string) => Promise<ChannelRelationView[] | undefined>;
  /** One quick lookup (cache, else one call; per-day budget). */
  lookup: (userIds: string[]) => Promise<{ selectedChannelId: string | null; users: Map<string, PageOutcome> }>;
  /** Chrome: true (XML descriptions); Firefox: false. */
  markup: boolean;
  setDefaultSuggestion: (suggestion: { description: string }) => void;
  /** Opens a page of the extension, as the address bar's Enter asked. */
  open: (url: string, disposition: OmniboxDisposition) => Promise<unknown>;
  /** The extension page URL for a path (runtime.getURL). */
  pageUrl: (path: string) => string;
  debounceMs?: number;
}

export type OmniboxDisposition = 'currentTab' | 'newForegroundTab' | 'newBackgroundTab';

export function createOmnibox(deps: OmniboxDeps) {
  const debounceMs = deps.debounceMs ?? 300;
  /** Ends the wait of the text typed before (it then sees it is no longer current). */
  let cancelWait: (() => void) | null = null;
  /** The text typed last: an answer for an older text is dropped. */
  let current = '';

  function show(view: OmniboxView, suggest: (s: OmniboxSuggestion[]) => void) {
    deps.setDefaultSuggestion({ description: view.defaultDescription });
    suggest(view.suggestions);
  }

  /** Resolves true after `ms`, or false as soon as newer text arrives. */
  function settle(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        cancelWait = null;
        resolve(true);
      }, ms);
      cancelWait = () => {
        clearTimeout(timer);
        cancelWait = null;
        resolve(false);
      };
    });
  }

  return {
    /** `omnibox.onInputChanged`: resolves once this text's lines are shown (or a newer text replaced it). */
    async inputChanged(text: string, suggest: (s: OmniboxSuggestion[]) => void): Promise<void> {
      current = text;
      cancelWait?.();
      const state = parseOmniboxText(text);
      if (state.kind !== 'checking') return show(omniboxView(state, deps.markup), suggest);
      // A cached answer costs nothing: shown at once. Anything else waits until the typing stops.
      const cached = await deps.cached(state.userId).catch(() => undefined);
      if (current !== text) return;
      if (!cached) {
        show(omniboxView(state, deps.markup), suggest);
        if (!(await settle(debounceMs)) || current !== text) return;
      }
      let done: OmniboxState;
      try {
        const result = await deps.lookup([state.userId]);
        const outcome = result.users.get(state.userId);
        if (!outcome) return;
        done = { kind: 'done', userId: state.userId, outcome, selectedChannelId: result.selectedChannelId };
      } catch (err) {
        const info = errorInfo(err);
        const outcome = { error: { code: info.code, message: info.explanation } };
        done = { kind: 'done', userId: state.userId, outcome, selectedChannelId: null };
      }
      if (current === text) show(omniboxView(done, deps.markup), suggest);
    },

    /** `omnibox.onInputEntered`: the popup's result view for the ID, where the disposition says. */
    async inputEntered(text: string, disposition: OmniboxDisposition): Promise<void> {
      const userId = enteredUserId(text);
      const url = deps.pageUrl(userId ? `/popup.html?userId=${encodeURIComponent(userId)}` : '/popup.html');
      await deps.open(url, disposition);
    },
  };
}
