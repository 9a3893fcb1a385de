import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import { reportMarkdown, verdictText, type CheckRow, type ConnectionReport } from '@/lib/kakao/diagnose';
import type { CommandInput } from '@/lib/messages/protocol';
import { call } from '../api';
import { ErrorNotice } from '../ErrorNotice';
import { explanationText, uiLang } from '../lang';
import { ChannelMatchNotice, Mark } from './ChannelMatchNotice';
import './diagnose.css';

type State =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'done'; report: ConnectionReport }
  | { kind: 'error'; error: KakaoErrorInfo };

/** Channel IDs in monospace: _ZeUTxI (capital i) and _ZeUTxl look the same in most UI fonts. */
function checkLabel(row: CheckRow) {
  if (row.area === 'relationship') return i18n.t('diagnose.checkRelationship');
  return (
    <>
      {i18n.t('diagnose.checkFiles')} <code>{row.channelId}</code>
    </>
  );
}

/**
 * The connection check (연결 진단): runs it in the background and shows a row per
 * check with ✓/✗, Kakao's code and the fix. Public contract: each row has
 * `data-check` (`relationship`, `files:<channel id>`), `data-status` (`ok` | `fail`)
 * and, when failing, `data-error-code`. "Copy report" copies Markdown without the key.
 */
export function ConnectionCheck({
  input,
  onReport,
  intro,
  channelActions,
}: {
  /** What to check (options: the typed key and the listed channels); null stops the run (the page shows why). */
  input?: () => CommandInput<'runConnectionCheck'> | null;
  onReport?: (report: ConnectionReport) => void;
  intro?: string;
  /** When given, the channel notes are left to the page (it offers to edit its list). */
  channelActions?: boolean;
}) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function run() {
    const args = input ? input() : {};
    if (args === null) return;
    setState({ kind: 'running' });
    setCopy('idle');
    const r = await call('runConnectionCheck', args);
    if (!r.ok) return setState({ kind: 'error', error: r.error });
    setState({ kind: 'done', report: r.value });
    onReport?.(r.value);
  }

  async function copyReport(report: ConnectionReport) {
    try {
      await navigator.clipboard.writeText(reportMarkdown(report, uiLang()));
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  }

  const report = state.kind === 'done' ? state.report : null;
  return (
    <section class="card dx" aria-labelledby="dx-title" data-testid="connection-check">
      <h2 id="dx-title">{i18n.t('diagnose.title')}</h2>
      <p class="muted">{intro ?? i18n.t('diagnose.intro')}</p>
      <div class="row dx-actions">
        <button
          type="button"
          class="primary"
          data-action="run-check"
          onClick={() => void run()}
          disabled={state.kind === 'running'}
        >
          {state.kind === 'running' ? i18n.t('diagnose.running') : i18n.t('diagnose.run')}
        </button>
        {report ? (
          <button type="button" data-action="copy-report" onClick={() => void copyReport(report)}>
            {i18n.t('diagnose.copyReport')}
          </button>
        ) : null}
      </div>
      <div aria-live="polite">
        {copy === 'copied' ? <p class="success">{i18n.t('diagnose.copied')}</p> : null}
        {copy === 'failed' ? <p class="field-error">{i18n.t('diagnose.copyFailed')}</p> : null}
        {state.kind === 'error' ? <ErrorNotice error={state.error} /> : null}
        {report ? (
          <div data-testid="check-report" data-verdict={report.keyVerdict}>
            <p class={report.keyVerdict === 'accepted' ? 'dx-verdict success' : 'dx-verdict'}>
              <Mark ok={report.keyVerdict === 'accepted'} />{' '}
              <strong>{explanationText(verdictText(report.keyVerdict))}</strong>
            </p>
            <p class="muted">
              {report.keySource === 'sandbox'
                ? i18n.t('diagnose.keySandbox')
                : i18n.t(report.keySource === 'typed' ? 'diagnose.keyTyped' : 'diagnose.keySaved', [
                    report.keyMasked ?? '',
                  ])}
            </p>
            <div class="dx-scroll">
              <table class="dx-table" aria-label={i18n.t('diagnose.tableLabel')}>
                <thead>
                  <tr>
                    <th scope="col">{i18n.t('diagnose.colCheck')}</th>
                    <th scope="col">{i18n.t('diagnose.colResult')}</th>
                    <th scope="col">{i18n.t('diagnose.colCode')}</th>
                    <th scope="col">{i18n.t('diagnose.colFix')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rows.map((row) => (
                    <tr
                      key={row.check}
                      data-check={row.check}
                      data-status={row.status}
                      data-error-code={row.status === 'fail' && row.code !== undefined ? String(row.code) : undefined}
                      data-category={row.category}
                    >
                      <th scope="row">{checkLabel(row)}</th>
                      <td class={row.status === 'ok' ? 'dx-result dx-ok' : 'dx-result dx-fail'}>
                        <Mark ok={row.status === 'ok'} />{' '}
                        {row.status === 'ok' ? i18n.t('diagnose.ok') : i18n.t('diagnose.fail')}
                      </td>
                      <td class="dx-code">{row.code === undefined ? '' : String(row.code)}</td>
                      <td class="dx-fix">
                        {explanationText(row.message)}
                        {row.detail ? <span class="muted dx-detail"> ({row.detail})</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {channelActions ? null : <ChannelMatchNotice match={report.channels} />}
          </div>
        ) : null}
      </div>
    </section>
  );
}
