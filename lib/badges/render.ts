import { i18n } from '#i18n';
import { uiLang } from '../ui-lang';
import { ANY_CHANNEL, MARKS, pillChannel, type BadgeState } from './badge-state';
import { BADGE_HOST_ATTRIBUTE } from './detect';
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

function relationWord(relation: ChannelRelationView['relation'] | 'ERROR' | 'CHECKING'): string {
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

/**
 * The "checking" dots blink only while a page has a few hundred badges: thousands of
 * running animations kept the page restyling (about 0.35 s more to draw 5,000 badges).
 */
const ANIMATE_UP_TO = 300;
let badgeCount = 0;

export interface BadgeHandle {
  host: HTMLElement;
  render(state: BadgeState): void;
}

/**
 * Creates the badge for one ID element; it goes inside the element (or after it, for elements that cannot hold
 * children).
 */
let sharedSheet: CSSStyleSheet | null | undefined;
/** One constructed stylesheet shared by every badge; a <style> per badge where adopting is not supported. */
function adoptBadgeStyles(root: ShadowRoot): void {
  if (sharedSheet === undefined) {
    try {
      sharedSheet = new CSSStyleSheet();
      sharedSheet.replaceSync(BADGE_CSS);
      root.adoptedStyleSheets = [sharedSheet];
      return;
    } catch {
      sharedSheet = null;
    }
  }
  if (sharedSheet) root.adoptedStyleSheets = [sharedSheet];
  else root.append(el('style', {}, BADGE_CSS));
}

function cardRows(userId: string, state: BadgeState): Node[] {
  const rows: Node[] = [el('h3', {}, i18n.t('page.cardTitle', [userId]))];
  if (state.kind === 'checking') rows.push(el('div', { class: 'muted' }, relationWord('CHECKING')));
  else if (state.kind === 'error') rows.push(el('div', { 'data-relation': 'ERROR' }, errorText(state.error)));
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
 * children).
 */
export function createBadge(target: Element, userId: string): BadgeHandle {
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
  if (/^(IMG|BR|HR|INPUT|AREA|EMBED|WBR|SVG)$/i.test(target.tagName)) target.after(host);
  else target.append(host);

  return {
    host,
    render(state) {
      current = state;
      const channel = state.kind === 'done' ? state.selected : null;
      const relation = state.kind === 'checking' ? 'CHECKING' : state.relation;
      if (state.kind === 'checking') host.removeAttribute('data-relation');
      else host.setAttribute('data-relation', state.relation);
      // Which channel the relation is for: a channel's public ID, or `any` (the site's badge channel setting).
      if (state.kind === 'done' && state.shown !== null) host.setAttribute('data-channel-id', state.shown);
      else if (state.kind !== 'checking') host.removeAttribute('data-channel-id');
      pill.setAttribute('data-relation', relation);
      pill.setAttribute('aria-busy', String(state.kind === 'checking'));
      const mark = el(
        'span',
        {
          'aria-hidden': 'true',
          class: state.kind !== 'checking' ? '' : badgeCount <= ANIMATE_UP_TO ? 'dots animated' : 'dots',
        },
        MARKS[relation],
      );
      // With several channels the pill names the one it shows: "✓ Friend · @myshop".
      const named = pillChannel(state);
      const label = named === ANY_CHANNEL ? i18n.t('badgeChannel.anyShort') : named;
      pill.replaceChildren(
        mark,
        relationWord(relation),
        ...(label !== null ? [el('span', { class: 'ch' }, label)] : []),
      );
      const spoken =
        state.kind === 'done' && state.shown === ANY_CHANNEL
          ? i18n.t('badgeChannel.anyShort')
          : channel
            ? (channel.name ?? channel.channelId)
            : '-';
      pill.setAttribute('aria-label', i18n.t('page.badgeLabel', [userId, spoken, relationWord(relation)]));
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
