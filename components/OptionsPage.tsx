import { lazy, Suspense } from 'preact/compat';
import { useEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { matchChannels, type LinkedChannel } from '@/lib/kakao/channel-match';
import { ADMIN_KEY_PATTERN, CHANNEL_ID_PATTERN, splitChannelIds } from '@/lib/kakao/id-format';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { TestKeyResult } from '@/lib/messages/protocol';
import { call } from './api';
import { useCommand } from './useCommand';
import { ChannelMatchNotice } from './diagnose/ChannelMatchNotice';
import { ErrorNotice } from './ErrorNotice';
import { HostAccessNotice } from './HostAccessNotice';
import { explanationText } from './lang';
import { SitesSection } from './badges/SitesSection';
import { ShortcutsSection } from './quick/ShortcutsSection';
import { SandboxSwitch } from './sandbox/SandboxSwitch';
import { PinSettings } from './pin/PinSettings';
import { ProfilesSection } from './profiles/ProfilesSection';
import { SettingsTransfer } from './profiles/SettingsTransfer';
import { profileLabel } from './profiles/ProfileSwitcher';
import { PROFILE_COLOURS, type ProfileColour } from '@/lib/profiles/colours';
import { PolicySection } from './policy/PolicySection';
import { ManagedMark } from './policy/ManagedMark';
import {
  ConnectionModeField,
  RelayFields,
  relayOriginPattern,
  type ConnectionMode,
  type RelayAccess,
} from './relay/RelayFields';

// Loaded when the page has painted: the check's table and texts are not needed at first paint.
const ConnectionCheck = lazy(() => import('./diagnose/ConnectionCheck').then((m) => ({ default: m.ConnectionCheck })));

type TestState =
  | { kind: 'idle' }
  | { kind: 'testing' }
  | { kind: 'ok'; result: TestKeyResult }
  | { kind: 'error'; error: KakaoErrorInfo };

export function OptionsPage() {
  const loaded = useCommand('getStatus', {});
  const policy = useCommand('getPolicy', {});
  const { value: status, setValue: setStatus } = loaded;
  const [adminKey, setAdminKey] = useState('');
  /** Relay mode (issue 18): how the profile reaches Kakao, its relay's URL, a typed token, and the relay's access. */
  const [mode, setMode] = useState<ConnectionMode>('direct');
  const [relayUrl, setRelayUrl] = useState('');
  const [relayToken, setRelayToken] = useState('');
  const [relayUrlError, setRelayUrlError] = useState(false);
  const [relayAccess, setRelayAccess] = useState<RelayAccess>('unknown');
  const [channelText, setChannelText] = useState('');
  const [remember, setRemember] = useState(false);
  const [channelError, setChannelError] = useState<string | null>(null);
  const [saveState, setSaveState] = useState<'idle' | 'saving' | 'saved' | 'cleared'>('idle');
  const [saveError, setSaveError] = useState<KakaoErrorInfo | null>(null);
  const [test, setTest] = useState<TestState>({ kind: 'idle' });
  /** The app's linked channels from the last key test or connection check (null: not known yet). */
  const [linked, setLinked] = useState<LinkedChannel[] | null>(null);
  const [channelsEdited, setChannelsEdited] = useState(false);
  const [profileName, setProfileName] = useState('');
  const [profileColour, setProfileColour] = useState<ProfileColour>('blue');
  /** Bumped after a profile switch, add, delete or import: the badge sites reload too. */
  const [profilesEpoch, setProfilesEpoch] = useState(0);

  /** The manager has edited the channel IDs: the stored ones, loading late, must not replace them. */
  const typed = useRef(false);

  /** Any edit makes "Saved" untrue: the page no longer shows what is stored. */
  function edited() {
    setSaveState('idle');
  }
  function editChannels(text: string) {
    typed.current = true;
    setChannelText(text);
    edited();
  }

  // The form starts from the active profile's stored settings once they have loaded (and again for another
  // profile); channel IDs typed before the first load are kept.
  const filledFor = useRef<string | null>(null);
  useEffect(() => {
    if (loaded.error) setSaveError(loaded.error);
    const value = loaded.value;
    const activeId = value?.profiles?.activeId ?? '';
    if (!value || filledFor.current === activeId) return;
    const first = filledFor.current === null;
    filledFor.current = activeId;
    if (!first || !typed.current) setChannelText(value.settings.channelIds.join('\n'));
    setRemember(value.settings.rememberKey);
    const profile = value.profiles?.profiles.find((p) => p.id === activeId);
    setProfileName(profile ? profileLabel(profile) : '');
    setProfileColour((profile?.colour as ProfileColour | undefined) ?? 'blue');
    setMode(profile?.mode ?? 'direct');
    setRelayUrl(profile?.relayUrl ?? '');
    setRelayUrlError(false);
    setRelayAccess('unknown');
    if (!first) {
      setAdminKey('');
      setRelayToken('');
      setChannelError(null);
      setSaveState('idle');
      setSaveError(null);
      setTest({ kind: 'idle' });
      setLinked(null);
      setChannelsEdited(false);
    }
  }, [loaded.value, loaded.error]);

  /** The profiles changed (switched, added, deleted, imported): the form shows the active one. */
  async function reloadStatus() {
    const r = await call('getStatus', {});
    if (r.ok) setStatus(r.value);
    setProfilesEpoch((n) => n + 1);
  }

  function parseChannels(text = channelText): string[] | null {
    const ids = splitChannelIds(text);
    const bad = ids.filter((id) => !CHANNEL_ID_PATTERN.test(id));
    setChannelError(bad.length > 0 ? i18n.t('options.invalidChannelIds', [bad.join(', ')]) : null);
    return bad.length > 0 ? null : ids;
  }

  async function onSubmit(event: Event) {
    event.preventDefault();
    // Relay mode: the relay's host access is asked for from this click, before anything is awaited (Firefox
    // honours a permission request only inside the user's gesture), exactly like a badge site's.
    const relayPattern = mode === 'relay' ? relayOriginPattern(relayUrl) : null;
    if (mode === 'relay' && !relayPattern) return setRelayUrlError(true);
    const access = relayPattern
      ? browser.permissions.request({ origins: [relayPattern] }).catch(() => false)
      : Promise.resolve(true);
    setRelayUrlError(false);
    const channelIds = parseChannels();
    if (!channelIds) return setSaveState('idle');
    setSaveState('saving');
    setSaveError(null);
    const key = adminKey.trim();
    const profile = status?.profiles?.profiles.find((p) => p.id === status.profiles?.activeId);
    const profileId = profile?.id;
    const name = profileName.trim();
    if (profile && name && name !== profileLabel(profile)) {
      const renamed = await call('renameProfile', { profileId: profile.id, name });
      if (!renamed.ok) {
        setSaveState('idle');
        return setSaveError(renamed.error);
      }
    }
    if (profile && profileColour !== profile.colour) {
      const coloured = await call('setProfileColour', { profileId: profile.id, colour: profileColour });
      if (!coloured.ok) {
        setSaveState('idle');
        return setSaveError(coloured.error);
      }
    }
    const token = relayToken.trim();
    const r = await call('saveSettings', {
      channelIds,
      rememberKey: remember,
      connectionMode: mode,
      ...(mode === 'relay'
        ? { relayUrl: relayUrl.trim(), ...(token ? { relayToken: token } : {}) }
        : key
          ? { adminKey: key }
          : {}),
      ...(profileId ? { profileId } : {}),
    });
    if (relayPattern) setRelayAccess((await access) ? 'granted' : 'refused');
    if (!r.ok) {
      setSaveState('idle');
      return setSaveError(r.error);
    }
    setStatus(r.value);
    setAdminKey(''); // the plain key (or token) leaves the page as soon as it is saved
    setRelayToken('');
    // The relay URL as stored (a trailing slash dropped).
    const stored = r.value.profiles?.profiles.find((p) => p.id === r.value.profiles?.activeId);
    if (mode === 'relay' && stored?.relayUrl) setRelayUrl(stored.relayUrl);
    setChannelText(channelIds.join('\n'));
    setChannelsEdited(false);
    setSaveState('saved');
  }

  async function onTest() {
    setTest({ kind: 'testing' });
    const key = adminKey.trim();
    const token = relayToken.trim();
    const r = await call(
      'testKey',
      mode === 'relay'
        ? { relayUrl: relayUrl.trim(), ...(token ? { relayToken: token } : {}) }
        : key
          ? { adminKey: key }
          : {},
    );
    setTest(r.ok ? { kind: 'ok', result: r.value } : { kind: 'error', error: r.error });
    if (r.ok && r.value.linkedKnown)
      setLinked(
        r.value.linkedChannels.map((c) => (c.uuid ? { publicId: c.publicId, uuid: c.uuid } : { publicId: c.publicId })),
      );
  }

  /** Pasted pf.kakao.com addresses become their channel IDs in the field itself, so the manager sees what is saved. */
  function normaliseChannelField(text: string) {
    if (/pf\.kakao\.com/i.test(text)) setChannelText(splitChannelIds(text).join('\n'));
    parseChannels(text);
  }

  function replaceChannel(from: string, to: string) {
    const ids = splitChannelIds(channelText).map((id) => (id === from ? to : id));
    editChannels([...new Set(ids)].join('\n'));
    setChannelsEdited(true);
    setChannelError(null);
  }
  function addChannel(id: string) {
    editChannels([...splitChannelIds(channelText), id].join('\n'));
    setChannelsEdited(true);
  }

  /** The connection check's input: the typed key (or the saved one) and the channels in the field. */
  function checkInput() {
    const channelIds = parseChannels();
    if (!channelIds) return null;
    const key = adminKey.trim();
    const token = relayToken.trim();
    if (mode === 'relay') return { ...(token ? { relayToken: token } : {}), channelIds };
    return { ...(key ? { adminKey: key } : {}), channelIds };
  }

  const channelMatch = linked
    ? matchChannels(
        splitChannelIds(channelText).filter((id) => CHANNEL_ID_PATTERN.test(id)),
        linked,
      )
    : null;

  async function onClear() {
    setSaveError(null);
    const r = await call('clearKey', status?.profiles ? { profileId: status.profiles.activeId } : {});
    if (!r.ok) return setSaveError(r.error);
    setStatus(r.value);
    setSaveState('cleared');
    setTest({ kind: 'idle' });
  }

  const keyLooksOdd = adminKey.trim() !== '' && !ADMIN_KEY_PATTERN.test(adminKey.trim());
  /** The active profile is the organisation's (policy): its name, colour and channels are locked. */
  const activeView = status?.profiles?.profiles.find((p) => p.id === status.profiles?.activeId);
  const managedProfile = activeView?.managed === true;
  /** The saved key or token belongs to the mode the form shows (a switch not saved yet has none). */
  const savedMode = activeView?.mode ?? 'direct';
  const secretSaved = status?.key.saved === true && savedMode === mode;
  const canTest =
    mode === 'relay'
      ? relayUrl.trim() !== '' && (relayToken.trim() !== '' || secretSaved)
      : adminKey.trim() !== '' || secretSaved;
  const relayTokenStatus = !secretSaved ? undefined : status?.key.locked ? i18n.t('pin.lockedStatus') : undefined;
  return (
    <main class="page-options">
      <h1>{i18n.t('options.title')}</h1>
      <p class="muted">{i18n.t('options.intro')}</p>
      <HostAccessNotice />
      {status?.storage?.state === 'failed' ? (
        <p class="notice warn" role="alert" data-testid="storage-migration-failed">
          {i18n.t('storageVault.migrationFailed', [status.storage.detail ?? ''])}
        </p>
      ) : null}
      <PolicySection state={policy.value} />
      <SandboxSwitch status={status} onChange={setStatus} />
      <p>
        <a
          href={browser.runtime.getURL('/workspace.html')}
          target="_blank"
          rel="noreferrer"
          data-action="open-workspace"
        >
          {i18n.t('common.workspace')} →
        </a>
      </p>

      {status?.profiles ? <ProfilesSection profiles={status.profiles} onChanged={() => void reloadStatus()} /> : null}

      <form
        onSubmit={onSubmit}
        aria-label={i18n.t('options.title')}
        data-managed-profile={managedProfile ? 'true' : undefined}
        data-profile-form={status?.profiles?.activeId ?? ''}
      >
        <section class="card">
          <h2>{i18n.t('profiles.formTitle')}</h2>
          <label for="profileName">
            {i18n.t('profiles.nameLabel')} {managedProfile ? <ManagedMark id="profileManagedMark" /> : null}
          </label>
          <input
            id="profileName"
            name="profileName"
            type="text"
            maxLength={40}
            disabled={managedProfile}
            data-managed={managedProfile ? 'true' : undefined}
            aria-describedby={managedProfile ? 'profileManagedMark' : undefined}
            value={profileName}
            onInput={(e) => {
              setProfileName(e.currentTarget.value);
              edited();
            }}
          />
          <label for="profileColour">{i18n.t('profiles.colourLabel')}</label>
          <select
            id="profileColour"
            name="profileColour"
            value={profileColour}
            disabled={managedProfile}
            data-managed={managedProfile ? 'true' : undefined}
            onChange={(e) => {
              setProfileColour(e.currentTarget.value as ProfileColour);
              edited();
            }}
          >
            {PROFILE_COLOURS.map((c) => (
              <option key={c} value={c}>
                {i18n.t(`profiles.colour.${c}`)}
              </option>
            ))}
          </select>
        </section>
        <section class="card" data-connection-mode={mode}>
          <h2>{mode === 'relay' ? i18n.t('relay.stepTitle') : i18n.t('options.step1')}</h2>
          <ConnectionModeField
            locked={activeView?.relayManaged === true}
            mode={mode}
            onChange={(next) => {
              setMode(next);
              edited();
              setTest({ kind: 'idle' });
            }}
          />
          {mode === 'relay' ? (
            <>
              <RelayFields
                relayUrl={relayUrl}
                onUrl={(url) => {
                  setRelayUrl(url);
                  setRelayUrlError(false);
                  edited();
                  setTest({ kind: 'idle' });
                }}
                relayToken={relayToken}
                onToken={(token) => {
                  setRelayToken(token);
                  edited();
                  setTest({ kind: 'idle' });
                }}
                savedMasked={secretSaved ? (status?.key.masked ?? null) : null}
                {...(relayTokenStatus ? { statusText: relayTokenStatus } : {})}
                urlError={relayUrlError}
                urlLocked={activeView?.relayManaged === true}
                access={relayAccess}
                onAccess={setRelayAccess}
              />
              <p class="muted" data-testid="relay-no-admin-key">
                {i18n.t('relay.noAdminKey')}
              </p>
            </>
          ) : (
            <>
              <label for="adminKey">{i18n.t('options.keyLabel')}</label>
              <input
                id="adminKey"
                name="adminKey"
                type="password"
                autoComplete="off"
                spellcheck={false}
                placeholder={i18n.t('options.keyPlaceholder')}
                value={adminKey}
                onInput={(e) => {
                  setAdminKey(e.currentTarget.value);
                  edited();
                  setTest({ kind: 'idle' }); // a result about another key would mislead
                }}
                aria-describedby="adminKeyHelp adminKeyStatus"
              />
              <p id="adminKeyHelp" class="muted">
                {i18n.t('options.keyHelp')}
              </p>
              {keyLooksOdd ? <p class="field-error">{i18n.t('options.keyFormatWarning')}</p> : null}
              <p id="adminKeyStatus" data-testid="key-status">
                {status?.key.locked
                  ? i18n.t('pin.lockedStatus')
                  : status?.key.saved
                    ? i18n.t('options.keySaved', [status.key.masked ?? ''])
                    : status?.key.refused
                      ? i18n.t('budgets.keyRefusedOptions')
                      : status?.key.cleared
                        ? i18n.t('firsthour.keyClearedOptions')
                        : i18n.t('options.keyNone')}
              </p>
            </>
          )}
          <label class="inline">
            <input
              type="checkbox"
              name="rememberKey"
              checked={remember}
              onChange={(e) => {
                setRemember(e.currentTarget.checked);
                edited();
              }}
            />
            {mode === 'relay' ? i18n.t('relay.rememberLabel') : i18n.t('options.rememberLabel')}
          </label>
          <p class="muted">{mode === 'relay' ? i18n.t('relay.rememberHelp') : i18n.t('options.rememberHelp')}</p>
          <p class="muted" data-testid="remember-warning">
            {i18n.t('budgets.rememberWarning')}
          </p>
          {status ? (
            <PinSettings
              profileId={status.profiles?.activeId ?? 'default'}
              status={status.key}
              onKey={(key) => setStatus({ ...status, key })}
            />
          ) : null}
        </section>

        <section class="card">
          <h2>{i18n.t('options.step2')}</h2>
          <label for="channelIds">
            {i18n.t('options.channelIdsLabel')} {managedProfile ? <ManagedMark /> : null}
          </label>
          <textarea
            id="channelIds"
            name="channelIds"
            spellcheck={false}
            disabled={managedProfile}
            data-managed={managedProfile ? 'true' : undefined}
            value={channelText}
            onInput={(e) => editChannels(e.currentTarget.value)}
            onBlur={(e) => normaliseChannelField(e.currentTarget.value)}
            aria-invalid={channelError ? 'true' : 'false'}
            aria-describedby="channelIdsHelp channelIdsError"
          />
          <p id="channelIdsHelp" class="muted">
            {i18n.t('options.channelIdsHelp')}
          </p>
          {channelError ? (
            <p id="channelIdsError" class="field-error" role="alert">
              {channelError}
            </p>
          ) : null}
          {channelMatch ? (
            <ChannelMatchNotice match={channelMatch} onReplace={replaceChannel} onAdd={addChannel} />
          ) : null}
          {channelsEdited ? (
            <p class="muted" data-testid="channels-changed">
              {i18n.t('diagnose.channelsChanged')}
            </p>
          ) : null}
        </section>

        <section class="card">
          <h2>{i18n.t('options.step3')}</h2>
          <div class="row">
            <button type="submit" class="primary" disabled={saveState === 'saving'}>
              {i18n.t('options.save')}
            </button>
            <button
              type="button"
              onClick={onTest}
              disabled={!canTest || test.kind === 'testing'}
              data-action="test-key"
            >
              {test.kind === 'testing' ? i18n.t('options.testing') : i18n.t('options.testKey')}
            </button>
            {status?.key.saved ? (
              <button type="button" onClick={onClear} data-action="clear-key">
                {i18n.t('options.clearKey')}
              </button>
            ) : null}
          </div>
          <div aria-live="polite">
            {saveState === 'saved' ? (
              <p class="success" data-testid="saved">
                ✓ {i18n.t('options.saved')}
              </p>
            ) : null}
            {saveState === 'cleared' ? <p data-testid="cleared">{i18n.t('options.cleared')}</p> : null}
            {saveError ? <ErrorNotice error={saveError} /> : null}
            {test.kind === 'ok' ? <TestOk result={test.result} /> : null}
            {test.kind === 'error' ? <ErrorNotice error={test.error} /> : null}
          </div>
        </section>
      </form>

      <Suspense fallback={null}>
        <ConnectionCheck
          input={checkInput}
          intro={`${i18n.t('diagnose.intro')} ${i18n.t('diagnose.introOptions')}`}
          channelActions
          onReport={(report) => {
            if (report.channels.linked) setLinked(report.channels.linked);
          }}
        />
      </Suspense>

      <SitesSection key={profilesEpoch} />

      <SettingsTransfer onApplied={() => void reloadStatus()} />

      <ShortcutsSection />

      <section class="notice" aria-labelledby="security-title">
        <h2 id="security-title">{i18n.t('options.securityTitle')}</h2>
        <p>{i18n.t('options.securityNote')}</p>
        <p>
          <a href={browser.runtime.getURL('/privacy.html')} target="_blank" rel="noreferrer" data-action="open-privacy">
            {i18n.t('ship.privacyLink')}
          </a>
        </p>
      </section>
    </main>
  );
}

/** "The key works": for a typed key, "not saved yet"; with the linked channels when Kakao listed them. */
function TestOk({ result }: { result: TestKeyResult }) {
  const typed = result.tested === 'typed';
  const names = result.linkedChannels.map((c) => `${c.publicId}${c.uuid ? ` (${c.uuid})` : ''}`).join(', ');
  let text: string;
  if (!result.linkedKnown) text = typed ? i18n.t('diagnose.testAcceptedUnsaved') : i18n.t('diagnose.testAcceptedSaved');
  else if (names) text = typed ? i18n.t('diagnose.testOkUnsaved', [names]) : i18n.t('options.testOk', [names]);
  else text = typed ? i18n.t('diagnose.testOkUnsavedNone') : i18n.t('options.testOkNone');
  return (
    <div data-testid="test-ok" data-tested={result.tested}>
      <p class="success">✓ {text}</p>
      {result.note ? (
        <p class="muted" data-note-code={String(result.note.code)}>
          {i18n.t('diagnose.testNote', [String(result.note.code)])} {explanationText(result.note.message)}
        </p>
      ) : null}
    </div>
  );
}
