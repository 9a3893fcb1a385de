import { useEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { normaliseUserId, USER_ID_MAX_DIGITS, userIdProblem, type UserIdProblem } from '@/lib/kakao/id-format';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { Status } from '@/lib/messages/protocol';
import type { UserRelationship } from '@/lib/kakao/schemas';
import { call } from './api';
import { ErrorNotice } from './ErrorNotice';
import { useCommand } from './useCommand';
import { isRelayProfile, KeyClearedNotice } from './KeyClearedNotice';
import { PinUnlock } from './pin/PinUnlock';
import { EnableOnSiteButton } from './badges/EnableOnSiteButton';
import { SavePageAudience } from './pageids/SavePageAudience';
import { RelationList } from './RelationList';
import { SandboxBanner } from './sandbox/SandboxBanner';
import { ProfileSwitcher } from './profiles/ProfileSwitcher';

type Lookup =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'done'; result: UserRelationship }
  | { kind: 'invalid'; problem: UserIdProblem; digits: number }
  | { kind: 'error'; error: KakaoErrorInfo };

/** `cached`: the status the background last computed (lib/storage/status-cache.ts), shown until it answers. */
export function Popup({ cached = null }: { cached?: Status | null }) {
  const statusCommand = useCommand('getStatus', {}, [], { initial: cached });
  const { value: status, error: statusError, setValue: setStatus } = statusCommand;
  const [userId, setUserId] = useState('');
  const [lookup, setLookup] = useState<Lookup>({ kind: 'idle' });
  const resultRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  // `popup.html?userId=…` (the address bar's `kc <ID>` + Enter): check that ID once the popup can.
  const requestedId = useRef(new URLSearchParams(location.search).get('userId'));

  useEffect(() => {
    // The benchmark reads this mark: the popup is useful once the status is known.
    if (status || statusError) performance.mark('cd:first-meaningful-render');
  }, [status, statusError]);

  const canCheck = status?.key.saved === true || status?.sandbox.active === true;
  // Asked for once the status says the form shows (the only place they appear), not at the same time as the
  // status: the worker's work for both competed with the popup's first render (issue 14 §4).
  const recentCommand = useCommand('getRecentLookups', {}, [], { skip: !canCheck });
  const recent = recentCommand.value ?? [];
  const setRecent = recentCommand.setValue;
  useEffect(() => {
    const requested = requestedId.current;
    if (requested === null || !canCheck) return;
    requestedId.current = null;
    setUserId(requested);
    void check(requested);
  }, [canCheck]);

  async function check(raw: string) {
    const id = normaliseUserId(raw);
    const problem = userIdProblem(id);
    if (problem) {
      setLookup({ kind: 'invalid', problem, digits: id.length });
      inputRef.current?.focus();
      return;
    }
    setLookup({ kind: 'checking' });
    const r = await call('checkUser', { userId: id });
    setLookup(r.ok ? { kind: 'done', result: r.value } : { kind: 'error', error: r.error });
    if (r.ok) setRecent((prev) => [id, ...(prev ?? []).filter((x) => x !== id)].slice(0, 20));
    // Keep keyboard focus where the answer is: typing in the field keeps it there; otherwise (the button, a
    // recent chip, a demo ID: the button was disabled while checking) it goes to the result, never the page body.
    if (document.activeElement !== inputRef.current) resultRef.current?.focus();
  }

  function invalidMessage(lookup: { problem: UserIdProblem; digits: number }): string {
    const max = String(USER_ID_MAX_DIGITS);
    if (lookup.problem === 'too_long') return i18n.t('firsthour.userIdTooLong', [String(lookup.digits), max]);
    if (lookup.problem === 'leading_zero') return i18n.t('firsthour.userIdLeadingZero', [max]);
    if (lookup.problem === 'empty') return i18n.t('firsthour.userIdEmpty', [max]);
    return i18n.t('firsthour.userIdNotDigits', [max]);
  }

  /** The profile whose key the popup uses: the active one. */
  const profileId = status?.profiles?.activeId ?? 'default';
  const locked = status?.key.locked === true && !status.sandbox.active;
  async function lockNow() {
    const r = await call('lockKey', { profileId });
    if (r.ok && status) setStatus({ ...status, key: r.value.key });
  }

  /** Another profile is active: its key, channels and sandbox state; the shown answer is asked again. */
  async function onProfileSwitched() {
    const r = await call('getStatus', {});
    if (r.ok) setStatus(r.value);
    if (lookup.kind === 'done' || lookup.kind === 'error') {
      if (r.ok && (r.value.key.saved || r.value.sandbox.active)) void check(userId);
      else setLookup({ kind: 'idle' });
    }
  }

  const openOptions = () => void browser.runtime.openOptionsPage();
  const openWorkspace = () => void browser.tabs.create({ url: browser.runtime.getURL('/workspace.html') });

  return (
    <main class="page-popup">
      <header class="row between">
        <h1 class="m0">{i18n.t('extName')}</h1>
        <button type="button" onClick={openWorkspace} data-action="open-workspace" class="ml-auto">
          {i18n.t('common.workspace')}
        </button>
        <button
          type="button"
          onClick={openOptions}
          aria-label={i18n.t('common.settings')}
          title={i18n.t('common.settings')}
        >
          ⚙
        </button>
      </header>
      {status?.profiles ? (
        <ProfileSwitcher profiles={status.profiles} onSwitched={() => void onProfileSwitched()} />
      ) : null}

      {statusError ? <ErrorNotice error={statusError} /> : null}
      {status === null && !statusError ? <p class="muted">{i18n.t('common.loading')}</p> : null}

      {status?.sandbox.active ? (
        <SandboxBanner
          status={status}
          onOpenOptions={openOptions}
          onTry={(id) => {
            setUserId(id);
            void check(id);
          }}
        />
      ) : null}

      {status?.key.cleared && !status.key.saved && !status.sandbox.active ? (
        <KeyClearedNotice status={status} onSaved={setStatus} />
      ) : null}

      {status && !status.key.saved && !status.key.cleared && !status.sandbox.active ? (
        <section class="card" data-testid="no-key">
          <h2>{i18n.t(isRelayProfile(status) ? 'relay.noTokenTitle' : 'popup.noKeyTitle')}</h2>
          <p>{i18n.t(isRelayProfile(status) ? 'relay.noTokenBody' : 'popup.noKeyBody')}</p>
          <button type="button" class="primary" onClick={openOptions}>
            {i18n.t('popup.openOptions')}
          </button>
        </section>
      ) : null}

      {locked ? (
        <PinUnlock
          profileId={profileId}
          status={status.key}
          onDone={(reply) => setStatus({ ...status, key: reply.key })}
        />
      ) : null}

      {(status?.key.saved && !locked) || status?.sandbox.active ? (
        <>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void check(userId);
            }}
          >
            <label for="userId">{i18n.t('popup.userIdLabel')}</label>
            <div class="row">
              <input
                id="userId"
                name="userId"
                class="grow"
                type="text"
                inputMode="numeric"
                autoComplete="off"
                // The popup is a transient dialog whose one task is typing this ID: focus belongs here on open.
                // eslint-disable-next-line jsx-a11y/no-autofocus
                autoFocus
                ref={inputRef}
                placeholder={i18n.t('popup.userIdPlaceholder')}
                value={userId}
                onInput={(e) => setUserId(e.currentTarget.value)}
                aria-invalid={lookup.kind === 'invalid' ? 'true' : 'false'}
              />
              <button type="submit" class="primary" disabled={lookup.kind === 'checking'}>
                {lookup.kind === 'checking' ? i18n.t('popup.checking') : i18n.t('popup.check')}
              </button>
            </div>
          </form>
          <div
            aria-live="polite"
            data-testid="lookup"
            tabIndex={-1}
            ref={resultRef}
            aria-label={i18n.t('firsthour.lookupResult')}
          >
            {lookup.kind === 'invalid' ? (
              <p class="field-error" role="alert" data-problem={lookup.problem}>
                {invalidMessage(lookup)}
              </p>
            ) : null}
            {lookup.kind === 'error' ? <ErrorNotice error={lookup.error} /> : null}
            {lookup.kind === 'done' ? <RelationList result={lookup.result} /> : null}
          </div>
          {recent.length > 0 ? (
            <section>
              <h2>{i18n.t('popup.recent')}</h2>
              <div class="chips">
                {recent.slice(0, 8).map((id) => (
                  <button
                    type="button"
                    class="chip"
                    key={id}
                    onClick={() => {
                      setUserId(id);
                      void check(id);
                    }}
                  >
                    {id}
                  </button>
                ))}
              </div>
            </section>
          ) : null}
          <EnableOnSiteButton />
          <SavePageAudience />
          {status.key.pinSet && !status.sandbox.active ? (
            <button type="button" data-action="lock-now" onClick={() => void lockNow()}>
              {i18n.t('pin.lockNow')}
            </button>
          ) : null}
        </>
      ) : null}
    </main>
  );
}
