import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { Status } from '@/lib/messages/protocol';
import { call } from './api';
import { ErrorNotice } from './ErrorNotice';

/** The active profile reaches Kakao through a relay: its secret is a relay token, not an Admin key. */
export function isRelayProfile(status: Status): boolean {
  const profiles = status.profiles;
  return profiles?.profiles.find((p) => p.id === profiles.activeId)?.mode === 'relay';
}

/**
 * The Admin key was saved for one browser session ("remember" off) and went when
 * the browser closed. Says so, and takes the key again right here, with the
 * "remember on this device" choice next to it. The saved channels are kept; no
 * demo data is shown for them meanwhile.
 */
export function KeyClearedNotice(props: { status: Status; onSaved: (status: Status) => void }) {
  // A relay profile's secret is its relay token (kept the same way): asked for as what it is.
  const relay = isRelayProfile(props.status);
  const [adminKey, setAdminKey] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);

  async function save(e: Event) {
    e.preventDefault();
    const key = adminKey.trim();
    if (!key) return;
    setBusy(true);
    const r = await call('saveSettings', {
      ...(relay ? { relayToken: key } : { adminKey: key }),
      channelIds: props.status.settings.channelIds,
      rememberKey: remember,
    });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setAdminKey('');
    props.onSaved(r.value);
  }

  return (
    <section class="card" data-testid="key-cleared" aria-labelledby="keyClearedTitle">
      {/* A refused remembered key (its stored copy was replaced) is asked for again here too, with its reason. */}
      <h2 id="keyClearedTitle">
        {props.status.key.wiped
          ? i18n.t('pin.wipedTitle')
          : props.status.key.refused
            ? i18n.t('budgets.keyRefusedTitle')
            : relay
              ? i18n.t('relay.tokenClearedTitle')
              : i18n.t('firsthour.keyClearedTitle')}
      </h2>
      <p
        data-key-refused={props.status.key.refused ? 'true' : undefined}
        data-key-wiped={props.status.key.wiped ? 'true' : undefined}
      >
        {props.status.key.wiped
          ? i18n.t('pin.wipedBody')
          : props.status.key.refused
            ? i18n.t('budgets.keyRefusedBody')
            : relay
              ? i18n.t('relay.tokenClearedBody')
              : i18n.t('firsthour.keyClearedBody')}
      </p>
      <form onSubmit={(e) => void save(e)}>
        <label for="keyClearedInput">{i18n.t(relay ? 'relay.tokenLabel' : 'firsthour.keyClearedLabel')}</label>
        <input
          id="keyClearedInput"
          name={relay ? 'relayToken' : 'adminKey'}
          type="password"
          autoComplete="off"
          spellcheck={false}
          required
          value={adminKey}
          onInput={(e) => setAdminKey(e.currentTarget.value)}
        />
        <label class="inline">
          <input
            type="checkbox"
            name="rememberKey"
            checked={remember}
            onChange={(e) => setRemember(e.currentTarget.checked)}
          />
          {i18n.t(relay ? 'relay.rememberLabel' : 'options.rememberLabel')}
        </label>
        <p class="muted">{i18n.t(relay ? 'relay.rememberHelp' : 'options.rememberHelp')}</p>
        <p class="muted">{i18n.t('budgets.rememberWarning')}</p>
        {error ? <ErrorNotice error={error} /> : null}
        <button type="submit" class="primary" disabled={busy || adminKey.trim() === ''} data-action="save-key">
          {i18n.t(relay ? 'relay.tokenSave' : 'firsthour.keyClearedSave')}
        </button>
      </form>
    </section>
  );
}
