import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { CommandInput, PinReply } from '@/lib/messages/protocol';
import type { KeyStatus } from '@/lib/storage/key-vault';
import { call } from '../api';
import { ErrorNotice } from '../ErrorNotice';
import { PinUnlock } from './PinUnlock';

type Done = { kind: 'set' | 'removed' | 'locked' | 'lockAfter' } | { kind: 'wrong'; triesLeft: number };

function doneText(kind: Exclude<Done['kind'], 'wrong'>): string {
  if (kind === 'set') return i18n.t('pin.doneSet');
  if (kind === 'removed') return i18n.t('pin.doneRemoved');
  if (kind === 'locked') return i18n.t('pin.doneLocked');
  return i18n.t('pin.doneLockAfter');
}

/**
 * The PIN lock of one profile's remembered key, for the options page: set, change or remove the PIN (the current
 * PIN needed to change or remove it), the idle minutes before it locks, and "lock now". Not inside a <form>: the
 * options page's key section is one; Enter in a field runs the field's own action.
 */
export function PinSettings(props: { profileId: string; status: KeyStatus; onKey: (key: KeyStatus) => void }) {
  const { status, profileId } = props;
  const [pin, setPin] = useState('');
  const [currentPin, setCurrentPin] = useState('');
  const [minutes, setMinutes] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Done | null>(null);
  const [problem, setProblem] = useState<'tooShort' | 'minutes' | null>(null);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);

  async function run<K extends 'setPin' | 'removePin' | 'lockKey' | 'setLockAfter'>(
    name: K,
    input: CommandInput<K>,
    kind: Exclude<Done['kind'], 'wrong'>,
  ) {
    setBusy(true);
    setError(null);
    setDone(null);
    const r = await (call as (n: K, i: CommandInput<K>) => ReturnType<typeof call<'setPin'>>)(name, input);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    const reply: PinReply = r.value;
    setDone(reply.ok ? { kind } : { kind: 'wrong', triesLeft: reply.triesLeft });
    if (reply.ok) {
      setPin('');
      setCurrentPin('');
    }
    props.onKey(reply.key);
  }

  function onSetPin() {
    const tooShort = pin.length < 4 || (status.pinSet === true && currentPin.length < 4);
    setProblem(tooShort ? 'tooShort' : null);
    if (tooShort) return;
    void run('setPin', { profileId, pin, ...(status.pinSet ? { currentPin } : {}) }, 'set');
  }
  function onRemovePin() {
    setProblem(currentPin.length < 4 ? 'tooShort' : null);
    if (currentPin.length < 4) return;
    void run('removePin', { profileId, currentPin }, 'removed');
  }
  function onLockAfter() {
    const n = Number(minutes ?? status.lockAfterMinutes);
    const bad = !Number.isInteger(n) || n < 1 || n > 1440;
    setProblem(bad ? 'minutes' : null);
    if (!bad) void run('setLockAfter', { profileId, minutes: n }, 'lockAfter');
  }
  const onEnter = (action: () => void) => (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault(); // not the options form's "save"
    action();
  };

  const heading = (
    <h3 id={`pinTitle-${profileId}`} class="m0">
      {i18n.t('pin.sectionTitle')}
    </h3>
  );
  const explain = (
    <p class="muted" data-testid="pin-protects">
      {i18n.t('pin.protects')}
    </p>
  );

  if (!status.saved || !status.remembered) {
    return (
      <div data-testid="pin-settings" data-pin="unavailable" aria-labelledby={`pinTitle-${profileId}`}>
        {heading}
        {status.wiped ? (
          <p class="field-error" data-testid="pin-wiped">
            {i18n.t('pin.wipedBody')}
          </p>
        ) : null}
        <p class="muted">{status.saved ? i18n.t('pin.needsRemember') : i18n.t('pin.needsKey')}</p>
      </div>
    );
  }

  if (status.locked) {
    return (
      <div data-testid="pin-settings" data-pin="locked">
        <PinUnlock profileId={profileId} status={status} onDone={(reply) => props.onKey(reply.key)} />
      </div>
    );
  }

  return (
    <div
      data-testid="pin-settings"
      data-pin={status.pinSet ? 'set' : 'none'}
      role="group"
      aria-labelledby={`pinTitle-${profileId}`}
    >
      {heading}
      <p>{status.pinSet ? i18n.t('pin.pinOn') : i18n.t('pin.pinOff')}</p>
      {status.pinSet ? (
        <>
          <label for={`pinCurrent-${profileId}`}>{i18n.t('pin.currentLabel')}</label>
          <input
            id={`pinCurrent-${profileId}`}
            name="currentPin"
            type="password"
            autoComplete="current-password"
            spellcheck={false}
            value={currentPin}
            disabled={busy}
            onInput={(e) => setCurrentPin(e.currentTarget.value)}
            onKeyDown={onEnter(pin ? onSetPin : onRemovePin)}
          />
        </>
      ) : null}
      <label for={`pinNew-${profileId}`}>{status.pinSet ? i18n.t('pin.newLabel') : i18n.t('pin.setLabel')}</label>
      <input
        id={`pinNew-${profileId}`}
        name="pin"
        type="password"
        autoComplete="new-password"
        spellcheck={false}
        value={pin}
        disabled={busy}
        aria-invalid={problem === 'tooShort' ? 'true' : 'false'}
        aria-describedby={`pinHelp-${profileId}`}
        onInput={(e) => setPin(e.currentTarget.value)}
        onKeyDown={onEnter(onSetPin)}
      />
      <p id={`pinHelp-${profileId}`} class="muted">
        {i18n.t('pin.pinHelp')}
      </p>
      <div class="row wrap">
        <button type="button" data-action="set-pin" disabled={busy} onClick={onSetPin}>
          {status.pinSet ? i18n.t('pin.changePin') : i18n.t('pin.setPin')}
        </button>
        {status.pinSet ? (
          <>
            <button type="button" data-action="remove-pin" disabled={busy} onClick={onRemovePin}>
              {i18n.t('pin.removePin')}
            </button>
            <button
              type="button"
              data-action="lock-now"
              disabled={busy}
              onClick={() => void run('lockKey', { profileId }, 'locked')}
            >
              {i18n.t('pin.lockNow')}
            </button>
          </>
        ) : null}
      </div>
      <label for={`lockAfter-${profileId}`}>{i18n.t('pin.lockAfterLabel')}</label>
      <div class="row">
        <input
          id={`lockAfter-${profileId}`}
          name="lockAfterMinutes"
          type="number"
          min={1}
          max={1440}
          step={1}
          value={minutes ?? String(status.lockAfterMinutes ?? 30)}
          disabled={busy}
          aria-invalid={problem === 'minutes' ? 'true' : 'false'}
          onInput={(e) => setMinutes(e.currentTarget.value)}
          onKeyDown={onEnter(onLockAfter)}
        />
        <button type="button" data-action="save-lock-after" disabled={busy} onClick={onLockAfter}>
          {i18n.t('pin.saveLockAfter')}
        </button>
      </div>
      <p class="muted">{i18n.t('pin.lockAfterHelp')}</p>
      <div aria-live="polite" data-testid="pin-result">
        {busy ? <p class="muted">{i18n.t('pin.working')}</p> : null}
        {problem === 'tooShort' ? <p class="field-error">{i18n.t('pin.tooShort')}</p> : null}
        {problem === 'minutes' ? <p class="field-error">{i18n.t('pin.minutesInvalid')}</p> : null}
        {done?.kind === 'wrong' ? (
          <p class="field-error" role="alert" data-testid="pin-wrong" data-tries-left={String(done.triesLeft)}>
            {i18n.t('pin.wrongPin', [String(done.triesLeft)])}
          </p>
        ) : null}
        {done && done.kind !== 'wrong' ? (
          <p class="success" data-testid="pin-done" data-done={done.kind}>
            ✓ {doneText(done.kind)}
          </p>
        ) : null}
        {error ? <ErrorNotice error={error} /> : null}
      </div>
      {explain}
    </div>
  );
}
