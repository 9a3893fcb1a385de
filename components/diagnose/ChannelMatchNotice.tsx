import { i18n } from '#i18n';
import type { ChannelMatch } from '@/lib/kakao/channel-match';

/**
 * Saved channels the app does not have (with the linked ID when it differs only by
 * case or look-alike characters), and linked channels not in the list. With the
 * callbacks (options page) each comes with a button that edits the list; without
 * them (workspace) it says where to change it.
 */
export function ChannelMatchNotice({
  match,
  onReplace,
  onAdd,
}: {
  match: Pick<ChannelMatch, 'missing' | 'unconfigured'>;
  onReplace?: (from: string, to: string) => void;
  onAdd?: (publicId: string) => void;
}) {
  if (match.missing.length === 0 && match.unconfigured.length === 0) return null;
  const editable = onReplace !== undefined && onAdd !== undefined;
  return (
    <div class="dx-channels" data-testid="channel-match">
      <ul>
        {match.missing.map((m) => (
          <li key={m.publicId} class="dx-missing" data-channel-missing={m.publicId} data-suggestion={m.suggestion}>
            <span>
              <Mark ok={false} /> {i18n.t('diagnose.channelMissing')} <code>{m.publicId}</code>
              {m.suggestion ? (
                <>
                  {'. '}
                  {i18n.t('diagnose.channelSuggestion')} <code>{m.suggestion}</code>
                </>
              ) : null}
            </span>
            {m.suggestion && onReplace ? (
              <button
                type="button"
                data-action="use-suggested-channel"
                onClick={() => onReplace(m.publicId, m.suggestion!)}
              >
                {i18n.t('diagnose.useSuggestion', [m.suggestion])}
              </button>
            ) : null}
          </li>
        ))}
        {match.unconfigured.map((c) => (
          <li key={c.publicId} data-channel-unlisted={c.publicId}>
            <span>
              {i18n.t('diagnose.channelUnlisted')} <code>{c.publicId}</code>
              {c.uuid ? ` (${c.uuid})` : ''}
            </span>
            {onAdd ? (
              <button type="button" data-action="add-linked-channel" onClick={() => onAdd(c.publicId)}>
                {i18n.t('diagnose.addLinked', [c.publicId])}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {editable ? null : <p class="muted">{i18n.t('diagnose.fixInSettings')}</p>}
    </div>
  );
}

/** ✓ / ✗ drawn inline (no emoji, no image), with the word for screen readers next to it. */
export function Mark({ ok }: { ok: boolean }) {
  return (
    <svg
      class={ok ? 'dx-mark dx-ok' : 'dx-mark dx-fail'}
      width="14"
      height="14"
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
    >
      {ok ? (
        <path
          d="M3 8.5l3.2 3.2L13 4.8"
          fill="none"
          stroke="currentColor"
          stroke-width="2.2"
          stroke-linecap="round"
          stroke-linejoin="round"
        />
      ) : (
        <path d="M4 4l8 8M12 4l-8 8" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" />
      )}
    </svg>
  );
}
