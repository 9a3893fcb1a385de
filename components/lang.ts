import type { Explanation } from '@/lib/kakao/errors';
import { uiLang } from '@/lib/ui-lang';

export { uiLang };

export function explanationText(explanation: Explanation): string {
  return explanation[uiLang()];
}

/** A relation's change time in the user's locale, e.g. "2024. 5. 2. 오전 10:02". */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(uiLang() === 'ko' ? 'ko-KR' : 'en-US');
}
