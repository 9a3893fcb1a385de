import { uiLang } from '@/lib/ui-lang';

/** A count in the UI language's digit grouping (1,234). */
export const fmt = (n: number) => new Intl.NumberFormat(uiLang() === 'ko' ? 'ko-KR' : 'en-US').format(n);
