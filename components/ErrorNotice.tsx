import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import { explanationText } from './lang';

/**
 * An explained error: what happened and what to do, in the user's language, with
 * the Kakao code on `data-error-code`. "Copy details" copies code, status and
 * Kakao's message (already redacted by the background), never the key.
 */
export function ErrorNotice({ error }: { error: KakaoErrorInfo }) {
  const [copied, setCopied] = useState(false);
  const details = JSON.stringify({ code: error.code, status: error.status, detail: error.detail ?? null }, null, 2);
  return (
    <div class="error-box" role="alert" data-error-code={String(error.code)}>
      <p>{explanationText(error.explanation)}</p>
      <button
        type="button"
        onClick={() => {
          void navigator.clipboard?.writeText(details).then(() => setCopied(true));
        }}
      >
        {copied ? i18n.t('common.copied') : i18n.t('common.copyDetails')}
      </button>
    </div>
  );
}
