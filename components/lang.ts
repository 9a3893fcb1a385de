import type { Explanation } from '@/lib/kakao/errors';

/** The UI language the browser chose: Korean for ko*, English otherwise (matches the i18n fallback). */
export function uiLang(): 'ko' | 'en' {
  return browser.i18n.getUILanguage().toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

export function explanationText(explanation: Explanation): string {
  return explanation[uiLang()];
}

/** A relation's change time in the user's locale, e.g. "2024. 5. 2. 오전 10:02". */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(uiLang() === 'ko' ? 'ko-KR' : 'en-US');
}
