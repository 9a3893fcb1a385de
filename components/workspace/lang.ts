export { uiLang as wordsLang } from '@/lib/ui-lang';
