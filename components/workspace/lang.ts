import { i18n } from '#i18n';

/**
 * The language the workspace's words are in, read from the message catalog
 * itself, so texts built outside i18n (row errors, reports) always match the UI.
 * (Chromium can pick a Korean catalog while getUILanguage() still says en-US.)
 */
export function wordsLang(): 'ko' | 'en' {
  return i18n.t('workspace.lang') === 'ko' ? 'ko' : 'en';
}
