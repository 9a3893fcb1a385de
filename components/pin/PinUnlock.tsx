import { useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { PinReply } from '@/lib/messages/protocol';
import type { KeyStatus } from '@/lib/storage/key-vault';
import { call } from '../api';
import { ErrorNotice } from '../ErrorNotice';

/**
 * The PIN-locked key's unlock form (popup, workspace): `input[name="pin"]` and `data-action="unlock"`. Deriving the
 * key from the PIN takes a moment on purpose (PBKDF2, 600,000 steps), so the form says it is working meanwhile.
 */
export function PinUnlock(props: { profileId: string; status: KeyStatus; onDone: (reply: PinReply) => void }) {
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [wrong, setWrong] = useState<number | null>(null);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const [tooShort, setTooShort] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  async function unlock() {
    setTooShort(pin.length < 4);
    if (pin.length < 4) return;
    setBusy(true);
    setError(null);
    const r = await call('unlockKey', { profileId: props.profileId, pin });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setPin('');
    setWrong(r.value.ok ? null : r.value.triesLeft);
    props.onDone(r.value);
    // The field was disabled while PBKDF2 ran: keyboard focus goes back to it for the next try.
    if (!r.value.ok) setTimeout(() => inputRef.current?.focus(), 0);
  }

  return (
    <section class="card" data-testid="key-locked" aria-labelledby="pinUnlockTitle">
      <h2 id="pinUnlockTitle">{i18n.t('pin.unlockTitle')}</h2>
      <p>{i18n.t('pin.unlockBody', [String(props.status.lockAfterMinutes ?? 30)])}</p>
      {/* Not a <form>: the options page shows this inside its own form. Enter in the field unlocks. */}
      <div role="group" aria-labelledby="pinUnlockTitle">
        <label for="pinUnlockInput">{i18n.t('pin.pinLabel')}</label>
        <div class="row">
          <input
            id="pinUnlockInput"
            name="pin"
            class="grow"
            type="password"
            autoComplete="current-password"
            spellcheck={false}
            // The popup's one task while locked is the PIN: focus belongs here on open.
            // eslint-disable-next-line jsx-a11y/no-autofocus
            autoFocus
            ref={inputRef}
            value={pin}
            disabled={busy}
            aria-invalid={wrong !== null || tooShort ? 'true' : 'false'}
            aria-describedby="pinUnlockStatus"
            onInput={(e) => setPin(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key !== 'Enter') return;
              e.preventDefault();
              void unlock();
            }}
          />
          <button
            type="button"
            class="primary"
            data-action="unlock"
            disabled={busy}
            aria-busy={busy}
            onClick={() => void unlock()}
          >
            {busy ? i18n.t('pin.unlocking') : i18n.t('pin.unlock')}
          </button>
        </div>
      </div>
      <div id="pinUnlockStatus" aria-live="polite">
        {busy ? <p class="muted">{i18n.t('pin.working')}</p> : null}
        {tooShort ? <p class="field-error">{i18n.t('pin.tooShort')}</p> : null}
        {wrong !== null ? (
          <p class="field-error" role="alert" data-testid="pin-wrong" data-tries-left={String(wrong)}>
            {i18n.t('pin.wrongPin', [String(wrong)])}
          </p>
        ) : null}
        {error ? <ErrorNotice error={error} /> : null}
      </div>
    </section>
  );
}
