import { i18n } from '#i18n';
import type { UnknownReason } from './kakao/tolerance';

/** Why a relation is UNKNOWN, in the UI language (popup, bulk-check table and export, badge card). */
export function unknownReasonText(reason: UnknownReason): string {
  switch (reason) {
    case 'no_channels':
      return i18n.t('tolerant.reasonNoChannels');
    case 'not_answered':
      return i18n.t('tolerant.reasonNotAnswered');
    case 'channel_missing':
      return i18n.t('tolerant.reasonChannelMissing');
    case 'unreadable':
      return i18n.t('tolerant.reasonUnreadable');
    case 'unknown_value':
      return i18n.t('tolerant.reasonUnknownValue');
  }
}
