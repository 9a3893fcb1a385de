import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { ADMIN_KEY_PATTERN, CHANNEL_ID_PATTERN, splitChannelIds } from '@/lib/kakao/id-format';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { Status, TestKeyResult } from '@/lib/messages/protocol';
import { call } from './api';
import { ErrorNotice } from './ErrorNotice';
import { HostAccessNotice } from './HostAccessNotice';
import { SitesSection } from './page/SitesSection';
import { SandboxSwitch } from './sandbox/SandboxSwitch';

type TestState = { kind: 'idle' } | { kind: 'testing' } | { kind: 'ok'; result: TestKeyResult } | { kind: 'error'; error: KakaoErrorInfo };

export function OptionsPage() {
  const [status, setStatus] = useState<Status | null>(null);
  const [adminKey, setAdminKey] = useState('');
  const [channelText, setChannelText] = useState('');
  const [remember, setRemember] = useState(false);
  const [channelError, setChannelError] = useState<string | null>(null);
  const [saveState, setSaveState] = useState<'idle' | 'saving' | 'saved' | 'cleared'>('idle');
  const [saveError, setSaveError] = useState<KakaoErrorInfo | null>(null);
  const [test, setTest] = useState<TestState>({ kind: 'idle' });

  useEffect(() => {
    void call('getStatus', {}).then((r) => {
      if (!r.ok) return setSaveError(r.error);
      setStatus(r.value);
      setChannelText(r.value.settings.channelIds.join('\n'));
      setRemember(r.value.settings.rememberKey);
    });
  }, []);

  function parseChannels(): string[] | null {
    const ids = splitChannelIds(channelText);
    const bad = ids.filter((id) => !CHANNEL_ID_PATTERN.test(id));
    setChannelError(bad.length > 0 ? i18n.t('options.invalidChannelIds', [bad.join(', ')]) : null);
    return bad.length > 0 ? null : ids;
  }

  async function onSubmit(event: Event) {
    event.preventDefault();
    const channelIds = parseChannels();
    if (!channelIds) return;
    setSaveState('saving');
    setSaveError(null);
    const key = adminKey.trim();
    const r = await call('saveSettings', { channelIds, rememberKey: remember, ...(key ? { adminKey: key } : {}) });
    if (!r.ok) {
      setSaveState('idle');
      return setSaveError(r.error);
    }
    setStatus(r.value);
    setAdminKey(''); // the plain key leaves the page as soon as it is saved
    setSaveState('saved');
  }

  async function onTest() {
    setTest({ kind: 'testing' });
    const key = adminKey.trim();
    const r = await call('testKey', key ? { adminKey: key } : {});
    setTest(r.ok ? { kind: 'ok', result: r.value } : { kind: 'error', error: r.error });
  }

  async function onClear() {
    setSaveError(null);
    const r = await call('clearKey', {});
    if (!r.ok) return setSaveError(r.error);
    setStatus(r.value);
    setSaveState('cleared');
    setTest({ kind: 'idle' });
  }

  const keyLooksOdd = adminKey.trim() !== '' && !ADMIN_KEY_PATTERN.test(adminKey.trim());
  const canTest = adminKey.trim() !== '' || status?.key.saved === true;

  return (
    <main style={{ maxWidth: '720px', margin: '0 auto', padding: '24px 20px' }}>
      <h1>{i18n.t('options.title')}</h1>
      <p class="muted">{i18n.t('options.intro')}</p>
      <HostAccessNotice />
      <SandboxSwitch status={status} onChange={setStatus} />
      <p>
        <a href={browser.runtime.getURL('/workspace.html')} target="_blank" rel="noreferrer" data-action="open-workspace">
          {i18n.t('common.workspace')} →
        </a>
      </p>

      <form onSubmit={onSubmit} aria-label={i18n.t('options.title')}>
        <section class="card">
          <h2>{i18n.t('options.step1')}</h2>
          <label for="adminKey">{i18n.t('options.keyLabel')}</label>
          <input
            id="adminKey"
            name="adminKey"
            type="password"
            autoComplete="off"
            spellcheck={false}
            placeholder={i18n.t('options.keyPlaceholder')}
            value={adminKey}
            onInput={(e) => setAdminKey(e.currentTarget.value)}
            aria-describedby="adminKeyHelp adminKeyStatus"
          />
          <p id="adminKeyHelp" class="muted">{i18n.t('options.keyHelp')}</p>
          {keyLooksOdd ? <p class="field-error">{i18n.t('options.keyFormatWarning')}</p> : null}
          <p id="adminKeyStatus" data-testid="key-status">
            {status?.key.saved ? i18n.t('options.keySaved', [status.key.masked ?? '']) : i18n.t('options.keyNone')}
          </p>
          <label class="inline">
            <input type="checkbox" name="rememberKey" checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} />
            {i18n.t('options.rememberLabel')}
          </label>
          <p class="muted">{i18n.t('options.rememberHelp')}</p>
        </section>

        <section class="card">
          <h2>{i18n.t('options.step2')}</h2>
          <label for="channelIds">{i18n.t('options.channelIdsLabel')}</label>
          <textarea
            id="channelIds"
            name="channelIds"
            spellcheck={false}
            value={channelText}
            onInput={(e) => setChannelText(e.currentTarget.value)}
            onBlur={() => parseChannels()}
            aria-invalid={channelError ? 'true' : 'false'}
            aria-describedby="channelIdsHelp channelIdsError"
          />
          <p id="channelIdsHelp" class="muted">{i18n.t('options.channelIdsHelp')}</p>
          {channelError ? (
            <p id="channelIdsError" class="field-error" role="alert">
              {channelError}
            </p>
          ) : null}
        </section>

        <section class="card">
          <h2>{i18n.t('options.step3')}</h2>
          <div class="row">
            <button type="submit" class="primary" disabled={saveState === 'saving'}>
              {i18n.t('options.save')}
            </button>
            <button type="button" onClick={onTest} disabled={!canTest || test.kind === 'testing'} data-action="test-key">
              {test.kind === 'testing' ? i18n.t('options.testing') : i18n.t('options.testKey')}
            </button>
            {status?.key.saved ? (
              <button type="button" onClick={onClear}>
                {i18n.t('options.clearKey')}
              </button>
            ) : null}
          </div>
          <div aria-live="polite">
            {saveState === 'saved' ? <p class="success" data-testid="saved">✓ {i18n.t('options.saved')}</p> : null}
            {saveState === 'cleared' ? <p data-testid="cleared">{i18n.t('options.cleared')}</p> : null}
            {saveError ? <ErrorNotice error={saveError} /> : null}
            {test.kind === 'ok' ? (
              <p class="success" data-testid="test-ok">
                ✓{' '}
                {test.result.linkedChannels.length > 0
                  ? i18n.t('options.testOk', [test.result.linkedChannels.map((c) => `${c.publicId}${c.uuid ? ` (${c.uuid})` : ''}`).join(', ')])
                  : i18n.t('options.testOkNone')}
              </p>
            ) : null}
            {test.kind === 'error' ? <ErrorNotice error={test.error} /> : null}
          </div>
        </section>
      </form>

      <SitesSection />

      <section class="notice" aria-labelledby="security-title">
        <h2 id="security-title">{i18n.t('options.securityTitle')}</h2>
        <p>{i18n.t('options.securityNote')}</p>
      </section>
    </main>
  );
}
