import { i18n } from '#i18n';
import { uiLang } from '../ui-lang';
import { ANY_CHANNEL, MARKS, pillChannel, type BadgeState } from './badge-state';
import { BADGE_HOST_ATTRIBUTE } from './detect';
import type { LookupLimit } from './lookup-budget';
import type { ChannelRelationView, PageLookupError } from './relations';
import { unknownReasonText } from '../unknown-reason';
import { BADGE_CSS, TOAST_CSS } from './styles';

/*
 * Plain DOM (no framework: the content script stays small). Each badge is a host
 * element in the page carrying only the public attributes — data-kakao-badge-for
 * and data-relation — and a CLOSED shadow root: page scripts see the host and
 * what is drawn, never the internals. Styling hooks: the host's attributes and
 * the `pill` / `card` parts.
 */

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function relationWord(relation: BadgeRelationOrChecking): string {
  return i18n.t(`relation.${relation}`);
}

function changedAt(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(uiLang() === 'ko' ? 'ko-KR' : 'en-US');
}

function errorText(error: PageLookupError): string {
  return error.message[uiLang()];
}

/** Why a badge was not looked up: which budget, in the UI language. */
function limitText(limit: LookupLimit): string {
  const budget = limit.budget.toLocaleString(uiLang() === 'ko' ? 'ko-KR' : 'en-US');
  return limit.scope === 'tab' ? i18n.t('budgets.limitTab', [budget]) : i18n.t('budgets.limitDay', [budget]);
}

/**
 * The "checking" dots blink only while a page has a few hundred badges: thousands of
 * running animations kept the page restyling (about 0.35 s more to draw 5,000 badges).
 */
const ANIMATE_UP_TO = 300;
let badgeCount = 0;

export interface BadgeHandle {
  host: HTMLElement;
  render(state: BadgeState): void;
  /** Puts a badge created `detached` on the page. */
  attach(): void;
}

let sharedSheet: CSSStyleSheet | null | undefined;
/** The slot rule (below), in its own constructed sheet so it can change without touching BADGE_CSS. */
let slotSheet: CSSStyleSheet | null = null;
/** One constructed stylesheet shared by every badge; a <style> per badge where adopting is not supported. */
function adoptBadgeStyles(root: ShadowRoot): void {
  if (sharedSheet === undefined) {
    try {
      sharedSheet = new CSSStyleSheet();
      sharedSheet.replaceSync(BADGE_CSS);
      slotSheet = new CSSStyleSheet();
      root.adoptedStyleSheets = [sharedSheet, slotSheet];
      return;
    } catch {
      sharedSheet = null;
      slotSheet = null;
    }
  }
  if (sharedSheet && slotSheet) root.adoptedStyleSheets = [sharedSheet, slotSheet];
  else root.append(el('style', {}, BADGE_CSS));
}

/*
 * Fixed-width badges. Every host is a slot as wide as the widest pill it may show (each
 * relation's words, and the channel name the pill names), in em of the page's font: an
 * answer changes the pill, never the row's width (a round of answers on a 5,000-row table
 * took about a third less layout this way). The widths are measured once per label on
 * one hidden probe, with a ResizeObserver (after the browser's own layout, so measuring
 * never forces one); a wider label seen later widens every slot in one step. Not
 * `contain: size layout`: in Chromium 156, 5,000 contained slots made each round's
 * layout 4–8× slower (each is laid out as its own root), not faster. Tried again for issue 14 and not kept (5,000
 * badges put into the bench's table, one forced layout, alternating rounds at load ~10 on 2 cores: medians within
 * the noise or worse): `contain: layout style` on the host (2.2 s vs 1.6 s), an inline-block pill instead of
 * inline-flex (1.6–1.65 s vs 1.5–1.6 s), no card element until hover. Static boxes take 0.4–0.65 s there and
 * empty shadow hosts about 1 s: most of the gap to the baseline is the shadow roots themselves.
 */
const PROBE_FONT_PX = 100;
let slotEm = 0;
const measuredLabels = new Set<string>();
let probe: { root: ShadowRoot; observer: ResizeObserver; pending: number } | null = null;
let settledWaiters: (() => void)[] = [];

function pillContent(
  relation: BadgeRelationOrChecking,
  label: string | null,
  animate: boolean,
  word: string = relationWord(relation),
): (Node | string)[] {
  const mark = el(
    'span',
    { 'aria-hidden': 'true', class: relation !== 'CHECKING' ? '' : animate ? 'dots animated' : 'dots' },
    MARKS[relation],
  );
  return [mark, word, ...(label !== null ? [el('span', { class: 'ch' }, label)] : [])];
}

function setSlot(em: number) {
  slotEm = em;
  slotSheet?.replaceSync(`:host(:not([data-probe])) { width: ${em.toFixed(3)}em; }`);
}

/** Measures the pill for this label (a relation word set, or with a channel name) unless it was measured already. */
function measureLabel(label: string | null) {
  const key = label ?? '';
  if (!slotSheet || typeof ResizeObserver === 'undefined' || measuredLabels.has(key)) return;
  measuredLabels.add(key);
  if (!probe) {
    const host = document.createElement('channel-desk-probe');
    host.setAttribute('data-probe', '');
    host.setAttribute('aria-hidden', 'true');
    host.style.cssText =
      'position: fixed; top: 0; left: 0; visibility: hidden; pointer-events: none; ' +
      `font-size: ${PROBE_FONT_PX}px; contain: layout style;`;
    const root = host.attachShadow({ mode: 'closed' });
    adoptBadgeStyles(root);
    const observer = new ResizeObserver((entries) => {
      let widest = slotEm;
      for (const entry of entries) {
        const width = entry.borderBoxSize[0]?.inlineSize ?? entry.target.getBoundingClientRect().width;
        widest = Math.max(widest, width / PROBE_FONT_PX + 0.05);
        observer.unobserve(entry.target);
        probe!.pending--;
      }
      if (widest > slotEm) setSlot(widest);
      if (probe!.pending <= 0) {
        const waiters = settledWaiters;
        settledWaiters = [];
        waiters.forEach((w) => w());
      }
    });
    probe = { root, observer, pending: 0 };
    document.documentElement.append(host);
  }
  const relations: BadgeRelationOrChecking[] = ['CHECKING', 'ADDED', 'BLOCKED', 'NONE', 'UNKNOWN', 'ERROR'];
  for (const relation of relations) {
    const pill = el('span', { class: 'pill' });
    pill.style.display = 'inline-flex';
    pill.append(...pillContent(relation, label, false));
    probe.root.append(pill);
    probe.pending++;
    probe.observer.observe(pill);
  }
  // The "limit reached" pill (UNKNOWN's mark with its own word) fits the same slot.
  const limitPill = el('span', { class: 'pill' });
  limitPill.style.display = 'inline-flex';
  limitPill.append(...pillContent('UNKNOWN', label, false, i18n.t('budgets.limitPill')));
  probe.root.append(limitPill);
  probe.pending++;
  probe.observer.observe(limitPill);
}

/** Resolves when every label seen so far is measured (at once where the slots are not used). */
export function badgeSizeSettled(): Promise<void> {
  if (!probe || probe.pending <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    settledWaiters.push(resolve);
    setTimeout(resolve, 200); // never holds the badges back for long
  });
}

type BadgeRelationOrChecking = ChannelRelationView['relation'] | 'ERROR' | 'CHECKING';

function cardRows(userId: string, state: BadgeState): Node[] {
  const rows: Node[] = [el('h3', {}, i18n.t('page.cardTitle', [userId]))];
  if (state.kind === 'checking') rows.push(el('div', { class: 'muted' }, relationWord('CHECKING')));
  else if (state.kind === 'error') rows.push(el('div', { 'data-relation': 'ERROR' }, errorText(state.error)));
  else if (state.kind === 'limit') rows.push(el('div', { 'data-reason': 'limit' }, limitText(state.limit)));
  else if (state.channels.length === 0) rows.push(el('div', { class: 'muted' }, i18n.t('page.noChannels')));
  else {
    for (const c of state.channels) {
      const row = el('div', { class: 'row' });
      const right = el('span');
      right.append(
        el('span', { class: 'rel', 'data-relation': c.relation }, `${MARKS[c.relation]} ${relationWord(c.relation)}`),
      );
      if (c.updatedAt)
        right.append(el('div', { class: 'muted' }, i18n.t('common.changedAt', [changedAt(c.updatedAt)])));
      if (c.relation === 'UNKNOWN' && c.reason)
        right.append(el('div', { class: 'muted', 'data-unknown-reason': c.reason }, unknownReasonText(c.reason)));
      row.append(el('span', {}, c.name ?? c.channelId), right);
      rows.push(row);
    }
  }
  return rows;
}

/**
 * Creates the badge for one ID element; it goes inside the element (or after it, for elements that cannot hold
 * children). With `detached` it is built off the page and goes there on `attach()`.
 */
export function createBadge(target: Element, userId: string, options: { detached?: boolean } = {}): BadgeHandle {
  // A custom tag: page rules aimed at span/div do not land on the host.
  badgeCount++;
  const host = document.createElement('channel-desk-badge');
  host.setAttribute(BADGE_HOST_ATTRIBUTE, userId);
  const root = host.attachShadow({ mode: 'closed' });
  adoptBadgeStyles(root);
  const pill = el('span', { class: 'pill', part: 'pill', tabindex: '0', role: 'button', 'aria-describedby': 'card' });
  const card = el('div', { class: 'card', part: 'card', id: 'card', role: 'tooltip' });
  let current: BadgeState = { kind: 'checking' };
  let cardFor: BadgeState | null = null;
  // The card is built when first needed (hover or focus): a 5,000-ID page builds 5,000 pills, not 5,000 cards.
  const fillCard = () => {
    if (cardFor === current) return;
    cardFor = current;
    card.replaceChildren(...cardRows(userId, current));
  };
  host.addEventListener('mouseenter', fillCard);
  pill.addEventListener('focus', fillCard);
  pill.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') pill.blur();
  });
  root.append(pill, card);
  const attach = () => {
    if (host.isConnected) return;
    if (/^(IMG|BR|HR|INPUT|AREA|EMBED|WBR|SVG)$/i.test(target.tagName)) target.after(host);
    else target.append(host);
  };
  if (!options.detached) attach();
  measureLabel(null);

  return {
    host,
    attach,
    render(state) {
      // The same answer again (a pass that reached a badge drawn already): nothing to change, no layout.
      if (state === current) return;
      current = state;
      const channel = state.kind === 'done' ? state.selected : null;
      const relation = state.kind === 'checking' ? 'CHECKING' : state.relation;
      if (state.kind === 'checking') host.removeAttribute('data-relation');
      else host.setAttribute('data-relation', state.relation);
      // "Limit reached": not looked up because a lookup budget was reached (lib/badges/lookup-budget.ts).
      if (state.kind === 'limit') host.setAttribute('data-reason', 'limit');
      else host.removeAttribute('data-reason');
      // Which channel the relation is for: a channel's public ID, or `any` (the site's badge channel setting).
      if (state.kind === 'done' && state.shown !== null) host.setAttribute('data-channel-id', state.shown);
      else if (state.kind !== 'checking') host.removeAttribute('data-channel-id');
      pill.setAttribute('data-relation', relation);
      pill.setAttribute('aria-busy', String(state.kind === 'checking'));
      // With several channels the pill names the one it shows: "✓ Friend · @myshop".
      const named = pillChannel(state);
      const label = named === ANY_CHANNEL ? i18n.t('badgeChannel.anyShort') : named;
      if (label !== null) measureLabel(label);
      pill.replaceChildren(
        ...pillContent(
          relation,
          label,
          badgeCount <= ANIMATE_UP_TO,
          state.kind === 'limit' ? i18n.t('budgets.limitPill') : relationWord(relation),
        ),
      );
      const spoken =
        state.kind === 'done' && state.shown === ANY_CHANNEL
          ? i18n.t('badgeChannel.anyShort')
          : channel
            ? (channel.name ?? channel.channelId)
            : '-';
      pill.setAttribute(
        'aria-label',
        state.kind === 'limit'
          ? `${i18n.t('budgets.limitPill')}: ${limitText(state.limit)}`
          : i18n.t('page.badgeLabel', [userId, spoken, relationWord(relation)]),
      );
      // The explanation also as the native tooltip, visible on hover before the card is built.
      if (state.kind === 'limit') pill.setAttribute('title', limitText(state.limit));
      else pill.removeAttribute('title');
      // Only a card already shown once is rebuilt (no style queries here: they would force a recalc per badge).
      if (cardFor !== null) fillCard();
    },
  };
}

export type ToastContent =
  | { kind: 'invalid'; text: string }
  | { kind: 'failed'; text: string }
  | { kind: 'result'; userId: string; state: BadgeState };

let currentToast: HTMLElement | null = null;

/** The context-menu answer, bottom right, announced politely; it leaves by itself or with Close/Escape. */
export function showToast(content: ToastContent): void {
  currentToast?.remove();
  const host = document.createElement('channel-desk-toast');
  host.setAttribute('data-kakao-toast', content.kind);
  if (content.kind === 'result') {
    host.setAttribute('data-kakao-toast-for', content.userId);
    host.setAttribute('data-relation', content.state.kind === 'checking' ? 'UNKNOWN' : content.state.relation);
  }
  const root = host.attachShadow({ mode: 'closed' });
  const box = el('div', { class: 'toast', role: 'status', 'aria-live': 'polite' });
  const body = el('div');
  if (content.kind === 'invalid') {
    body.append(
      el('strong', {}, i18n.t('page.invalidTitle')),
      el('div', {}, i18n.t('page.invalidSelection', [content.text])),
    );
  } else if (content.kind === 'failed') {
    body.append(el('div', { 'data-relation': 'ERROR' }, content.text));
  } else {
    body.append(el('strong', {}, i18n.t('page.resultFor', [content.userId])));
    const state = content.state;
    if (state.kind === 'error') body.append(el('div', { 'data-relation': 'ERROR' }, errorText(state.error)));
    else if (state.kind === 'done') {
      const list = el('ul', { class: 'rows' });
      for (const c of state.channels) {
        const li = el('li');
        li.append(
          el('span', {}, c.name ?? c.channelId),
          el('span', { class: 'rel', 'data-relation': c.relation }, `${MARKS[c.relation]} ${relationWord(c.relation)}`),
        );
        list.append(li);
      }
      body.append(list);
    }
  }
  const close = el('button', { type: 'button', 'aria-label': i18n.t('page.close') }, '×');
  const dismiss = () => {
    host.remove();
    if (currentToast === host) currentToast = null;
  };
  close.addEventListener('click', dismiss);
  box.addEventListener('keydown', (e) => e.key === 'Escape' && dismiss());
  box.append(body, close);
  root.append(el('style', {}, TOAST_CSS), box);
  document.documentElement.append(host);
  currentToast = host;
  setTimeout(dismiss, 12_000);
}
