import { useEffect } from 'preact/hooks';
import { i18n } from '#i18n';
import './relay.css';

/*
 * Relay mode in the profile form (issue 18): the connection switch (`connectionMode`: direct / relay), the relay's
 * URL and token, and the relay's host access, asked for from the click that saves (like a badge site's).
 * Zod-free: the options page's first paint does not need the profile model.
 */

export type ConnectionMode = 'direct' | 'relay';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The host permission a relay URL needs (`https://relay.example.com/*`), or null when it is not a usable URL. */
export function relayOriginPattern(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (!secure || url.username || url.password || url.search || url.hash) return null;
  return `${url.protocol}//${url.hostname}/*`;
}

/** Direct (the Admin key) or relay (the organisation's relay and a token): a labelled radio group. */
export function ConnectionModeField(props: {
  mode: ConnectionMode;
  onChange: (mode: ConnectionMode) => void;
  /** Set by the organisation's policy: shown, not changeable. */
  locked?: boolean;
}) {
  const option = (value: ConnectionMode) => (
    <label
      class="relay-mode-option"
      for={`connectionMode-${value}`}
      data-selected={props.mode === value ? 'true' : undefined}
    >
      <input
        id={`connectionMode-${value}`}
        type="radio"
        name="connectionMode"
        value={value}
        checked={props.mode === value}
        disabled={props.locked}
        data-managed={props.locked ? 'true' : undefined}
        onChange={() => props.onChange(value)}
      />
      <strong>{i18n.t(value === 'direct' ? 'relay.modeDirect' : 'relay.modeRelay')}</strong>
      <span class="muted">{i18n.t(value === 'direct' ? 'relay.modeDirectHelp' : 'relay.modeRelayHelp')}</span>
    </label>
  );
  return (
    <fieldset class="relay-mode" data-testid="connection-mode">
      <legend>{i18n.t('relay.modeLegend')}</legend>
      <div class="relay-mode-options">
        {option('direct')}
        {option('relay')}
      </div>
    </fieldset>
  );
}

/** What the browser said about the relay's host access. */
export type RelayAccess = 'unknown' | 'granted' | 'refused';

/** The relay URL and token fields, with the saved token's masked form and the host access state. */
export function RelayFields(props: {
  relayUrl: string;
  onUrl: (url: string) => void;
  relayToken: string;
  onToken: (token: string) => void;
  /** The saved token's masked form, or null when none is saved. */
  savedMasked: string | null;
  /** A status line about the saved token (locked, cleared…), when not the plain "saved" / "none". */
  statusText?: string;
  urlError: boolean;
  access: RelayAccess;
  onAccess: (access: RelayAccess) => void;
  /** The organisation's policy sets the relay URL. */
  urlLocked?: boolean;
}) {
  const pattern = relayOriginPattern(props.relayUrl);

  // A saved relay whose access was withdrawn (or never given) in the browser's settings shows as refused.
  useEffect(() => {
    if (!pattern) return;
    let live = true;
    void browser.permissions
      .contains({ origins: [pattern] })
      .then((has) => live && props.onAccess(has ? 'granted' : 'refused'))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [pattern]);

  function grant() {
    if (!pattern) return;
    // No await before this call: Firefox honours a permission request only inside the click.
    void browser.permissions
      .request({ origins: [pattern] })
      .catch(() => false)
      .then((granted) => props.onAccess(granted ? 'granted' : 'refused'));
  }

  const host = pattern ? new URL(props.relayUrl.trim()).host : '';
  return (
    <div class="relay-fields" data-testid="relay-fields">
      <label for="relayUrl">{i18n.t('relay.urlLabel')}</label>
      <input
        id="relayUrl"
        name="relayUrl"
        type="text"
        inputMode="url"
        autoComplete="off"
        spellcheck={false}
        placeholder="https://relay.example.com/kakao"
        value={props.relayUrl}
        disabled={props.urlLocked}
        data-managed={props.urlLocked ? 'true' : undefined}
        onInput={(e) => props.onUrl(e.currentTarget.value)}
        aria-invalid={props.urlError ? 'true' : 'false'}
        aria-describedby={props.urlError ? 'relayUrlHelp relayUrlError' : 'relayUrlHelp'}
      />
      <p id="relayUrlHelp" class="muted">
        {i18n.t('relay.urlHelp')}
      </p>
      {props.urlError ? (
        <p id="relayUrlError" class="field-error" role="alert">
          {i18n.t('relay.urlInvalid')}
        </p>
      ) : null}
      <label for="relayToken">{i18n.t('relay.tokenLabel')}</label>
      <input
        id="relayToken"
        name="relayToken"
        type="password"
        autoComplete="off"
        spellcheck={false}
        value={props.relayToken}
        onInput={(e) => props.onToken(e.currentTarget.value)}
        aria-describedby="relayTokenHelp relayTokenStatus"
      />
      <p id="relayTokenHelp" class="muted">
        {i18n.t('relay.tokenHelp')}
      </p>
      <p id="relayTokenStatus" data-testid="relay-token-status">
        {props.statusText ??
          (props.savedMasked ? i18n.t('relay.tokenSaved', [props.savedMasked]) : i18n.t('relay.tokenNone'))}
      </p>
      {pattern && props.access === 'refused' ? (
        <div class="notice warn" role="alert" data-testid="relay-access" data-relay-access="refused">
          <p>{i18n.t('relay.accessRefused', [host])}</p>
          <button type="button" class="primary" data-action="grant-relay-access" onClick={grant}>
            {i18n.t('relay.accessGrant')}
          </button>
        </div>
      ) : null}
      {pattern && props.access === 'granted' ? (
        <p class="muted" data-testid="relay-access" data-relay-access="granted">
          ✓ {i18n.t('relay.accessGranted', [host])}
        </p>
      ) : null}
    </div>
  );
}
