import { isUserId } from '../kakao/id-format';

/*
 * Where user IDs are on a page. The default rule is the opt-in attribute
 * `data-kakao-user-id` (its value is the ID). A site may add rules: a CSS
 * selector whose text is the ID, optionally with a regex that extracts it (the
 * first capture group, else the whole match). Editable fields are ignored, and
 * each element is processed once.
 */

const USER_ID_ATTRIBUTE = 'data-kakao-user-id';
export const BADGE_HOST_ATTRIBUTE = 'data-kakao-badge-for';

export interface SiteRule {
  selector: string;
  regex?: string;
}

export interface CompiledRule {
  selector: string;
  regex: RegExp | null;
}

export type RuleError = 'selector' | 'regex';

/** Checks a rule the user typed. `matches` is injected so this runs without a DOM (options page, tests). */
export function checkRule(rule: SiteRule, isValidSelector: (selector: string) => boolean): RuleError | null {
  if (rule.selector.trim() === '' || !isValidSelector(rule.selector)) return 'selector';
  if (rule.regex) {
    try {
      new RegExp(rule.regex);
    } catch {
      return 'regex';
    }
  }
  return null;
}

/** Compiles the rules that are valid; a broken rule is skipped, never fatal for the others. */
export function compileRules(rules: readonly SiteRule[]): CompiledRule[] {
  const out: CompiledRule[] = [{ selector: `[${USER_ID_ATTRIBUTE}]`, regex: null }];
  for (const rule of rules) {
    try {
      out.push({ selector: rule.selector, regex: rule.regex ? new RegExp(rule.regex) : null });
    } catch {
      // An invalid regex is reported in the options page; here it is only skipped.
    }
  }
  return out;
}

/** The user ID in a text: the regex's first group (or match), else the whole trimmed text. */
export function extractUserId(text: string, regex: RegExp | null): string | null {
  let candidate: string | undefined;
  if (regex) {
    const m = regex.exec(text);
    candidate = m ? (m[1] ?? m[0]) : undefined;
  } else {
    candidate = text;
  }
  if (candidate === undefined) return null;
  const id = candidate.trim();
  return isUserId(id) ? id : null;
}

const EDITABLE_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT', 'OPTION']);

/** Form fields and contenteditable regions: what the user types there is not a listed ID. */
export function isEditable(el: Element): boolean {
  if (EDITABLE_TAGS.has(el.tagName)) return true;
  const editable = el.closest('[contenteditable]');
  return editable !== null && editable.getAttribute('contenteditable') !== 'false';
}

export interface FoundId {
  element: Element;
  userId: string;
}

/** The ID an element carries under one rule (the attribute rule reads the attribute, others the text). */
function idOf(el: Element, rule: CompiledRule): string | null {
  if (rule.regex === null && rule.selector === `[${USER_ID_ATTRIBUTE}]`) {
    return extractUserId(el.getAttribute(USER_ID_ATTRIBUTE) ?? '', null);
  }
  return extractUserId(el.textContent ?? '', rule.regex);
}

/**
 * New ID-bearing elements under `root`. `seen` makes each element count once,
 * even when a later mutation scan finds it again or two rules match it.
 */
export function findUserIds(root: ParentNode, rules: readonly CompiledRule[], seen: WeakSet<Element>): FoundId[] {
  const found: FoundId[] = [];
  for (const rule of rules) {
    let elements: NodeListOf<Element>;
    try {
      elements = root.querySelectorAll(rule.selector);
    } catch {
      continue; // an invalid selector (checked in options, but storage may be older)
    }
    for (const el of elements) {
      if (seen.has(el) || el.hasAttribute(BADGE_HOST_ATTRIBUTE) || isEditable(el)) continue;
      const userId = idOf(el, rule);
      if (userId === null) continue;
      seen.add(el);
      found.push({ element: el, userId });
    }
  }
  return found;
}
