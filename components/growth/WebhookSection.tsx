import { useEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import { maskKey } from '@/lib/kakao/ids';
import { SANDBOX_ADMIN_KEY } from '@/lib/sandbox/demo';
import { apiHostPermission } from '@/lib/kakao/origin';
import {
  KAKAO_WEBHOOK_USER_AGENT,
  samplePayload,
  webhookUrlProblem,
  type WebhookTestFields,
} from '@/lib/webhook/sample';
import type { WebhookProbeResult, WebhookTestResult } from '@/lib/webhook/tester';
import { FAKE_ADMIN_KEY, WEBHOOK_PROBE_OPTIONS, type WebhookProbeOption } from '@/lib/webhook/verdict';
import { call } from '../api';
import { formatTime } from '../lang';
import { useStatus } from '../useStatus';
import { useCommand } from '../useCommand';
import { ErrorNotice } from '../ErrorNotice';
import { useGrowthChannels } from './useGrowthChannels';
import { ManagedMark } from '../policy/ManagedMark';
import './growth.css';

type SendState =
  | { kind: 'idle' }
  | { kind: 'sending' }
  | { kind: 'done'; result: WebhookTestResult }
  | { kind: 'denied'; pattern: string }
  /** The browser could not even ask (e.g. an address it cannot turn into a permission). */
  | { kind: 'askFailed'; pattern: string }
  | { kind: 'error'; error: KakaoErrorInfo };

const reasonText = (reason: NonNullable<WebhookTestResult['reason']>) =>
  i18n.t(`growth.reason_${reason}` as Parameters<typeof i18n.t>[0]);

const probeOptionLabel: Record<WebhookProbeOption, () => string> = {
  duplicate: () => i18n.t('webhookProbes.optDuplicate'),
  'wrong-auth': () => i18n.t('webhookProbes.optWrongAuth'),
  'id-types': () => i18n.t('webhookProbes.optIdTypes'),
};

function probeTitle(p: WebhookProbeResult): string {
  if (p.probe === 'duplicate') return i18n.t('webhookProbes.titleDuplicate');
  if (p.probe === 'wrong-auth') return i18n.t('webhookProbes.titleWrongAuth');
  return i18n.t('webhookProbes.titleIdType', [p.probe.slice('id-type:'.length)]);
}

/** What a probe's verdict means and what to do, in the UI language. */
function probeExplanation(p: WebhookProbeResult): string {
  if (p.reason === 'skipped') return i18n.t('webhookProbes.skipped');
  const kakaoReason =
    p.reason && p.reason !== 'accepts_wrong_key' && p.reason !== 'wrong_key_status' ? ` ${reasonText(p.reason)}` : '';
  if (p.probe === 'duplicate')
    return p.verdict === 'pass'
      ? i18n.t('webhookProbes.duplicatePass')
      : `${i18n.t('webhookProbes.duplicateFail')}${kakaoReason}`;
  if (p.probe === 'wrong-auth') {
    if (p.verdict === 'pass') return i18n.t('webhookProbes.wrongAuthPass');
    if (p.verdict === 'fail') return i18n.t('webhookProbes.wrongAuthFail');
    if (p.reason === 'wrong_key_status') return i18n.t('webhookProbes.wrongAuthOtherStatus');
    return `${i18n.t('webhookProbes.wrongAuthWarn')}${kakaoReason}`;
  }
  return p.verdict === 'pass'
    ? i18n.t('webhookProbes.idTypePass')
    : `${i18n.t('webhookProbes.idTypeFail')}${kakaoReason}`;
}

const PROBE_MARK = { pass: '✓', fail: '✗', warn: '!' } as const;
const probeVerdictText = (v: WebhookProbeResult['verdict']) =>
  i18n.t(
    v === 'pass'
      ? 'webhookProbes.verdictPass'
      : v === 'fail'
        ? 'webhookProbes.verdictFail'
        : 'webhookProbes.verdictWarn',
  );

function ProbeRows({ probes }: { probes: WebhookProbeResult[] }) {
  return (
    <section class="probes" aria-labelledby="webhook-probes-title" data-testid="webhook-probes">
      <h3 id="webhook-probes-title">{i18n.t('webhookProbes.resultsTitle')}</h3>
      <ul>
        {probes.map((p) => (
          <li
            key={p.probe}
            data-probe={p.probe}
            data-verdict={p.verdict}
            {...(p.reason ? { 'data-reason': p.reason } : {})}
          >
            <strong>
              <span aria-hidden="true">{PROBE_MARK[p.verdict]} </span>
              {probeVerdictText(p.verdict)}: {probeTitle(p)}
            </strong>
            {p.reason === 'skipped' ? null : (
              <span class="mono probe-measure">
                {' '}
                {p.status ?? (p.reason === 'redirect' ? '3XX' : '—')} · {(p.ms / 1000).toFixed(2)} s
              </span>
            )}
            <p>{probeExplanation(p)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Verdict({ result }: { result: WebhookTestResult }) {
  return (
    <div class="verdict" data-verdict={result.pass ? 'pass' : 'fail'} data-testid="webhook-verdict" role="status">
      <h3>{result.pass ? `✓ ${i18n.t('growth.webhookPass')}` : `✗ ${i18n.t('growth.webhookFail')}`}</h3>
      {result.reason ? <p data-reason={result.reason}>{reasonText(result.reason)}</p> : null}
      <dl>
        <dt>{i18n.t('growth.webhookStatus')}</dt>
        <dd data-testid="webhook-status">{result.status ?? (result.reason === 'redirect' ? '3XX' : '—')}</dd>
        <dt>{i18n.t('growth.webhookTime')}</dt>
        <dd data-testid="webhook-ms">{(result.ms / 1000).toFixed(2)} s</dd>
        <dt>{i18n.t('growth.webhookResourceId')}</dt>
        <dd>{result.resourceId}</dd>
      </dl>
    </div>
  );
}

/** Workspace section: send a sample add/block event to the service's webhook and show Kakao's verdict. */
export default function WebhookSection() {
  const { data: channelData, error: channelError } = useGrowthChannels();
  const [actionError, setLoadError] = useState<KakaoErrorInfo | null>(null);
  const { status, error: statusError } = useStatus();
  // The organisation can turn the tester off (policy `webhookTester: false`); the background refuses too.
  const testerOff = useCommand('getPolicy', {}).value?.policy?.webhookTester === false;
  const [url, setUrl] = useState('');
  const [urlError, setUrlError] = useState<'invalid' | 'insecure' | 'credentials' | null>(null);
  const [event, setEvent] = useState<'added' | 'blocked'>('added');
  const [idType, setIdType] = useState<'app_user_id' | 'open_id'>('app_user_id');
  const [userId, setUserId] = useState('1234567890');
  const [channelId, setChannelId] = useState('');
  const [probes, setProbes] = useState<WebhookProbeOption[]>([]);
  const [send, setSend] = useState<SendState>({ kind: 'idle' });
  const historyCommand = useCommand('getWebhookHistory', {});
  const history = historyCommand.value ?? [];
  const setHistory = historyCommand.setValue;
  const urlsCommand = useCommand('getWebhookUrls', {});
  /** The last URL tested per channel; null until loaded ({} when they could not be loaded). */
  const savedUrls = urlsCommand.value ?? (urlsCommand.error ? {} : null);
  const setSavedUrls = urlsCommand.setValue;
  const loadError = actionError ?? historyCommand.error ?? urlsCommand.error;
  /** Bumped by every change to the form: a verdict for an older form is not shown. */
  const formVersion = useRef(0);

  const channels = channelData?.channels ?? [];
  const channel = channels.find((c) => c.publicId === channelId) ?? channels[0];
  const input: WebhookTestFields = {
    url: url.trim(),
    event,
    idType,
    id: userId.trim() || '1234567890',
    channelId: channel?.publicId ?? '_ZeUTxl',
    channelUuid: channel?.uuid ?? `@${(channel?.publicId ?? '_ZeUTxl').slice(1)}`,
    ...(probes.length > 0 ? { probes } : {}),
  };

  /** The verdict on screen always belongs to the form as it is: any change clears it. */
  function formChanged() {
    formVersion.current++;
    // A send under way keeps the button busy; its verdict is dropped when it arrives (see onSubmit).
    setSend((s) => (s.kind === 'idle' || s.kind === 'sending' ? s : { kind: 'idle' }));
  }

  function changeUrl(next: string) {
    setUrl(next);
    setUrlError(null);
    formChanged();
  }

  // Offer the URL last tested for the selected channel: on each channel change, and on the first load
  // unless something was typed already.
  const selectedChannel = input.channelId;
  const urlOfferedFor = useRef<string | null>(null);
  useEffect(() => {
    if (savedUrls === null || urlOfferedFor.current === selectedChannel) return;
    const firstOffer = urlOfferedFor.current === null;
    urlOfferedFor.current = selectedChannel;
    const remembered = savedUrls[selectedChannel];
    if (remembered === undefined || remembered === url || (firstOffer && url.trim() !== '')) return;
    changeUrl(remembered);
  }, [selectedChannel, savedUrls]);
  const keyShown = status?.sandbox.active ? maskKey(SANDBOX_ADMIN_KEY) : (status?.key.masked ?? '—');

  function onSubmit(e: Event) {
    e.preventDefault();
    if (testerOff) return;
    const problem = webhookUrlProblem(input.url);
    if (problem) {
      formChanged(); // a refused URL leaves no verdict from an earlier one on screen
      return setUrlError(problem);
    }
    setUrlError(null);
    // The origin is granted from this click (a user gesture), before anything is awaited.
    const pattern = apiHostPermission(new URL(input.url).origin);
    const version = ++formVersion.current;
    const show = (next: SendState) => setSend(version === formVersion.current ? next : { kind: 'idle' });
    setSend({ kind: 'sending' });
    void browser.permissions.request({ origins: [pattern] }).then(
      async (granted) => {
        if (!granted) return show({ kind: 'denied', pattern });
        const r = await call('sendTestWebhook', input);
        if (!r.ok) return show({ kind: 'error', error: r.error });
        show({ kind: 'done', result: r.value });
        setHistory((h) => [r.value, ...(h ?? [])].slice(0, 20));
        setSavedUrls((saved) => ({ ...saved, [input.channelId]: input.url }));
      },
      () => show({ kind: 'askFailed', pattern }),
    );
  }

  async function clearHistory() {
    const r = await call('clearWebhookHistory', {});
    if (r.ok) setHistory(r.value);
    else setLoadError(r.error);
  }

  return (
    <div class="webhook">
      <h1>{i18n.t('growth.webhookTitle')}</h1>
      <p class="muted">{i18n.t('growth.webhookIntro')}</p>
      {(statusError ?? loadError ?? channelError) ? (
        <ErrorNotice error={(statusError ?? loadError ?? channelError)!} />
      ) : null}

      {testerOff ? (
        <p class="notice" data-testid="webhook-managed">
          {i18n.t('policy.webhookOff')} <ManagedMark id="webhookManaged" />
        </p>
      ) : null}
      <form class="card" onSubmit={onSubmit} aria-label={i18n.t('growth.webhookTitle')} noValidate>
        <label for="webhookUrl">{i18n.t('growth.webhookUrl')}</label>
        <input
          id="webhookUrl"
          name="webhookUrl"
          type="text"
          inputMode="url"
          autoComplete="url"
          spellcheck={false}
          placeholder="https://example.com/kakao/webhook"
          value={url}
          onInput={(e) => changeUrl(e.currentTarget.value)}
          disabled={testerOff}
          data-managed={testerOff ? 'true' : undefined}
          aria-invalid={urlError ? 'true' : 'false'}
          aria-describedby={testerOff ? 'webhookManaged webhookUrlHelp' : 'webhookUrlHelp'}
        />
        <p id="webhookUrlHelp" class="muted">
          {i18n.t('growth.webhookUrlHelp')}
        </p>
        {urlError ? (
          <p class="field-error" role="alert" data-url-error={urlError}>
            {urlError === 'insecure'
              ? i18n.t('growth.webhookUrlInsecure')
              : urlError === 'credentials'
                ? i18n.t('budgets.webhookUrlCredentials')
                : i18n.t('growth.webhookUrlInvalid')}
          </p>
        ) : null}
        <div class="form-grid">
          <div>
            <label for="webhookEvent">{i18n.t('growth.webhookEvent')}</label>
            <select
              id="webhookEvent"
              name="event"
              value={event}
              onChange={(e) => (setEvent(e.currentTarget.value as typeof event), formChanged())}
            >
              <option value="added">{i18n.t('growth.eventAdded')}</option>
              <option value="blocked">{i18n.t('growth.eventBlocked')}</option>
            </select>
          </div>
          <div>
            <label for="webhookIdType">{i18n.t('growth.webhookIdType')}</label>
            <select
              id="webhookIdType"
              name="idType"
              value={idType}
              onChange={(e) => (setIdType(e.currentTarget.value as typeof idType), formChanged())}
            >
              <option value="app_user_id">{i18n.t('growth.idTypeApp')}</option>
              <option value="open_id">{i18n.t('growth.idTypeOpen')}</option>
            </select>
          </div>
          <div>
            <label for="webhookUserId">{i18n.t('growth.webhookUserId')}</label>
            <input
              id="webhookUserId"
              name="userId"
              type="text"
              value={userId}
              onInput={(e) => (setUserId(e.currentTarget.value), formChanged())}
            />
          </div>
          <div>
            <label for="webhookChannel">{i18n.t('growth.webhookChannel')}</label>
            <select
              id="webhookChannel"
              name="channelId"
              value={channel?.publicId ?? ''}
              onChange={(e) => (setChannelId(e.currentTarget.value), formChanged())}
            >
              {channels.length === 0 ? <option value="_ZeUTxl">_ZeUTxl</option> : null}
              {channels.map((c) => (
                <option value={c.publicId} key={c.publicId}>
                  {c.publicId}
                  {c.uuid ? ` (${c.uuid})` : ''}
                </option>
              ))}
            </select>
          </div>
        </div>
        <fieldset class="radios probe-options" aria-describedby="webhookProbesHelp">
          <legend>{i18n.t('webhookProbes.legend')}</legend>
          <p id="webhookProbesHelp" class="muted">
            {i18n.t('webhookProbes.help')}
          </p>
          {WEBHOOK_PROBE_OPTIONS.map((option) => (
            <label class="inline" key={option}>
              <input
                type="checkbox"
                name="probes"
                value={option}
                checked={probes.includes(option)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setProbes((list) => WEBHOOK_PROBE_OPTIONS.filter((o) => (o === option ? on : list.includes(o))));
                  formChanged();
                }}
              />{' '}
              {probeOptionLabel[option]()}
            </label>
          ))}
        </fieldset>
        <div class="row mt12">
          <button
            type="submit"
            class="primary"
            disabled={testerOff || send.kind === 'sending'}
            data-managed={testerOff ? 'true' : undefined}
          >
            {send.kind === 'sending' ? i18n.t('growth.webhookSending') : i18n.t('growth.webhookSend')}
          </button>
        </div>
        <div aria-live="polite">
          {send.kind === 'done' ? <Verdict result={send.result} /> : null}
          {send.kind === 'done' && send.result.probes ? <ProbeRows probes={send.result.probes} /> : null}
          {send.kind === 'denied' ? (
            <p class="field-error">{i18n.t('growth.webhookPermission', [send.pattern])}</p>
          ) : null}
          {send.kind === 'askFailed' ? (
            <p class="field-error" role="alert">
              {i18n.t('growth.webhookPermissionFailed', [send.pattern])}
            </p>
          ) : null}
          {send.kind === 'error' ? <ErrorNotice error={send.error} /> : null}
        </div>
      </form>

      <details class="card sent">
        <summary>{i18n.t('growth.webhookSent')}</summary>
        <dl>
          <dt>POST</dt>
          <dd>{input.url || 'https://…'}</dd>
          <dt>Authorization</dt>
          <dd>KakaoAK {keyShown}</dd>
          <dt>X-Kakao-Resource-ID</dt>
          <dd>{i18n.t('growth.webhookResourceIdHint')}</dd>
          <dt>User-Agent</dt>
          <dd>{KAKAO_WEBHOOK_USER_AGENT}</dd>
          <dt>Content-Type</dt>
          <dd>application/json</dd>
        </dl>
        <pre class="code">{JSON.stringify(samplePayload(input, Date.now()), null, 2)}</pre>
        <p class="muted">
          {status?.sandbox.active
            ? i18n.t('growth.webhookSandboxKeyNote', [keyShown])
            : i18n.t('growth.webhookKeyNote')}
        </p>
        <p class="muted">{i18n.t('growth.webhookUaNote')}</p>
        <p class="muted">{i18n.t('webhookProbes.fakeKeyNote', [FAKE_ADMIN_KEY])}</p>
      </details>

      <section class="card" aria-labelledby="webhook-history-title">
        <div class="row between">
          <h2 id="webhook-history-title" class="m0">
            {i18n.t('growth.webhookHistory')}
          </h2>
          {history.length > 0 ? (
            <button type="button" onClick={() => void clearHistory()}>
              {i18n.t('growth.webhookClear')}
            </button>
          ) : null}
        </div>
        {history.length === 0 ? (
          <p class="muted" data-testid="webhook-history-empty">
            {i18n.t('growth.webhookHistoryEmpty')}
          </p>
        ) : (
          <table class="data" data-testid="webhook-history">
            <thead>
              <tr>
                <th scope="col">{i18n.t('growth.colAt')}</th>
                <th scope="col">{i18n.t('growth.colUrl')}</th>
                <th scope="col">{i18n.t('growth.colEvent')}</th>
                <th scope="col">{i18n.t('growth.webhookStatus')}</th>
                <th scope="col">{i18n.t('growth.webhookTime')}</th>
                <th scope="col">{i18n.t('growth.colVerdict')}</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.resourceId} data-verdict={h.pass ? 'pass' : 'fail'}>
                  <td data-testid="webhook-history-at">{formatTime(h.at)}</td>
                  <td class="mono">{h.url}</td>
                  <td>{h.event}</td>
                  <td>{h.status ?? '—'}</td>
                  <td>{(h.ms / 1000).toFixed(2)} s</td>
                  <td title={h.reason ? reasonText(h.reason) : undefined}>
                    {h.pass ? `✓ ${i18n.t('growth.verdictPass')}` : `✗ ${i18n.t('growth.verdictFail')}`}
                    {h.probes ? (
                      <div class="muted" data-testid="webhook-history-probes">
                        {i18n.t('webhookProbes.summary', [
                          String(h.probes.filter((p) => p.verdict === 'pass').length),
                          String(h.probes.length),
                        ])}
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
