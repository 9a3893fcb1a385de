import { i18n } from '#i18n';

/**
 * The language of the message catalog the browser picked, read from the catalog
 * itself: Chromium can load the Korean catalog while getUILanguage() still says
 * en-US, and texts built outside i18n (Kakao explanations, dates, reports) must
 * match the words around them.
 */
export function uiLang(): 'ko' | 'en' {
  return i18n.t('common.lang') === 'ko' ? 'ko' : 'en';
}
