import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { ApiLogQuery, StoredApiCall } from '@/lib/api-log/model';
import { endpointNameKey, KNOWN_ENDPOINTS } from '@/lib/api-log/endpoints';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import { explain } from '@/lib/kakao/explain';
import { call } from '../api';
import { useCommand } from '../useCommand';
import { saveBlob, stamp } from '../download';
import { tableBlob, type TableFormat } from './table-export';
import { ErrorNotice } from '../ErrorNotice';
import { explanationText, formatTime } from '../lang';
import { fmt } from './JobProgress';
import { Pager } from './Pager';
import './api-log.css';

const PAGE_SIZE = 50;
/** Records a message carries when exporting (the log holds at most 5,000). */
const EXPORT_PAGE = 500;

/** Keys built from names (endpoints, CSV columns) are looked up as plain strings. */
const t = i18n.t as (key: string, subs?: string[]) => string;

interface Filters {
  endpoint: string;
  outcome: '' | 'ok' | 'failed';
  jobId: string;
  text: string;
}
const NO_FILTERS: Filters = { endpoint: '', outcome: '', jobId: '', text: '' };

function toQuery(f: Filters): ApiLogQuery {
  return {
    ...(f.endpoint ? { endpoint: f.endpoint } : {}),
    ...(f.outcome ? { outcome: f.outcome } : {}),
    ...(f.jobId ? { jobId: f.jobId } : {}),
    ...(f.text.trim() ? { text: f.text.trim() } : {}),
  };
}

function endpointName(path: string): string {
  const key = endpointNameKey(path);
  return key ? t(key) : path;
}

/**
 * The API log (API 기록): every Kakao call the extension made, newest first, with
 * filters, paging and a CSV export. Records hold no key, user IDs or values, only
 * where a call went, how it ended and the answer's shape.
 */
export default function ApiLogSection() {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [text, setText] = useState('');
  const [page, setPage] = useState(0);
  const log = useCommand('listApiLog', { ...toQuery(filters), offset: page * PAGE_SIZE, limit: PAGE_SIZE }, [
    filters,
    page,
  ]);
  const data = log.value;
  /** An export or clear that failed; shown until the next page of the log arrives. */
  const [actionError, setError] = useState<KakaoErrorInfo | null>(null);
  useEffect(() => setError(null), [data]);
  const error = actionError ?? log.error;
  const [exporting, setExporting] = useState(false);

  // Typing in the search box filters after a short pause, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => setFilter({ text }), 250);
    return () => clearTimeout(timer);
  }, [text]);

  function setFilter(change: Partial<Filters>) {
    setFilters((f) => {
      const next = { ...f, ...change };
      return Object.entries(change).every(([k, v]) => f[k as keyof Filters] === v) ? f : next;
    });
    setPage(0);
  }

  async function exportCsv(format: TableFormat = 'csv') {
    setExporting(true);
    try {
      const rows: StoredApiCall[] = [];
      for (let offset = 0; ; offset += EXPORT_PAGE) {
        const r = await call('listApiLog', { ...toQuery(filters), offset, limit: EXPORT_PAGE });
        if (!r.ok) return setError(r.error);
        rows.push(...r.value.records);
        if (r.value.records.length < EXPORT_PAGE || rows.length >= r.value.total) break;
      }
      const header = [
        'time',
        'backend',
        'method',
        'endpoint',
        'channel',
        'batch',
        'status',
        'code',
        'duration',
        'job',
        'shape',
        'tolerances',
      ].map((c) => t(`apiLog.csv.${c}`));
      const lines = rows.map((r) => [
        new Date(r.at).toISOString(),
        r.backend,
        r.method,
        r.endpoint,
        r.channel ?? '',
        r.batchSize ?? '',
        r.status ?? '',
        r.code ?? '',
        r.durationMs,
        r.jobId ?? '',
        r.shape ?? '',
        r.tolerances.join(' '),
      ]);
      saveBlob(await tableBlob(format, header, lines, 'API log'), `channel-desk-api-log-${stamp()}.${format}`);
    } finally {
      setExporting(false);
    }
  }

  async function clearLog() {
    if (!confirm(t('apiLog.clearConfirm'))) return;
    const r = await call('clearApiLog', {});
    if (!r.ok) return setError(r.error);
    setPage(0);
    log.reload();
  }

  const endpoints = [...new Set([...KNOWN_ENDPOINTS.map((e) => e.path), ...(data?.endpoints ?? [])])];
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;

  return (
    <div data-testid="api-log-section" class="api-log">
      <h1>{t('apiLog.title')}</h1>
      <p class="muted">{t('apiLog.intro')}</p>

      <form class="api-log-filters" aria-label={t('apiLog.filters')} onSubmit={(e) => e.preventDefault()}>
        <div>
          <label for="api-log-endpoint">{t('apiLog.endpointFilter')}</label>
          <select
            id="api-log-endpoint"
            name="endpoint"
            value={filters.endpoint}
            onChange={(e) => setFilter({ endpoint: e.currentTarget.value })}
          >
            <option value="">{t('apiLog.allEndpoints')}</option>
            {endpoints.map((path) => (
              <option key={path} value={path}>
                {endpointName(path)} — {path}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="api-log-outcome">{t('apiLog.outcomeFilter')}</label>
          <select
            id="api-log-outcome"
            name="outcome"
            value={filters.outcome}
            onChange={(e) => setFilter({ outcome: e.currentTarget.value as Filters['outcome'] })}
          >
            <option value="">{t('apiLog.allOutcomes')}</option>
            <option value="ok">{t('apiLog.outcomeOk')}</option>
            <option value="failed">{t('apiLog.outcomeFailed')}</option>
          </select>
        </div>
        <div>
          <label for="api-log-job">{t('apiLog.jobFilter')}</label>
          <select
            id="api-log-job"
            name="jobId"
            value={filters.jobId}
            onChange={(e) => setFilter({ jobId: e.currentTarget.value })}
          >
            <option value="">{t('apiLog.allJobs')}</option>
            {(data?.jobIds ?? []).map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </div>
        <div class="grow">
          <label for="api-log-text">{t('apiLog.textFilter')}</label>
          <input
            id="api-log-text"
            name="text"
            type="search"
            value={text}
            placeholder={t('apiLog.textPlaceholder')}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </div>
      </form>

      <div class="row api-log-actions">
        <button type="button" data-action="refresh-api-log" onClick={log.reload}>
          ↻ {t('apiLog.refresh')}
        </button>
        <button
          type="button"
          data-action="export-api-log"
          onClick={() => void exportCsv()}
          disabled={exporting || !data || data.total === 0}
        >
          {exporting ? t('apiLog.exporting') : t('apiLog.export')}
        </button>
        <button
          type="button"
          data-action="export-api-log-xlsx"
          onClick={() => void exportCsv('xlsx')}
          disabled={exporting || !data || data.total === 0}
        >
          {i18n.t('xlsx.apiLogXlsx')}
        </button>
        <button
          type="button"
          data-action="clear-api-log"
          onClick={() => void clearLog()}
          disabled={!data || data.stored === 0}
        >
          {t('apiLog.clear')}
        </button>
        {data && data.stored > 0 ? (
          <span class="muted" data-testid="api-log-count" role="status">
            {t('apiLog.count', [fmt(data.total), fmt(data.stored)])}
          </span>
        ) : null}
      </div>

      {error ? <ErrorNotice error={error} /> : null}
      {data === null && !error ? <p class="muted">{i18n.t('common.loading')}</p> : null}
      {data && data.unreadable > 0 ? <p class="notice">{t('apiLog.unreadable', [fmt(data.unreadable)])}</p> : null}
      {data && data.stored === 0 ? (
        <p class="empty" data-testid="api-log-empty">
          {t('apiLog.empty')}
        </p>
      ) : null}
      {data && data.stored > 0 && data.total === 0 ? <p class="empty">{t('apiLog.noMatch')}</p> : null}

      {data && data.records.length > 0 ? (
        <>
          <div class="table-scroll">
            <table class="data api-log-table" aria-label={t('apiLog.title')}>
              <thead>
                <tr>
                  <th scope="col">{t('apiLog.colTime')}</th>
                  <th scope="col">{t('apiLog.colEndpoint')}</th>
                  <th scope="col">{t('apiLog.colChannel')}</th>
                  <th scope="col">{t('apiLog.colBatch')}</th>
                  <th scope="col">{t('apiLog.colStatus')}</th>
                  <th scope="col">{t('apiLog.colCode')}</th>
                  <th scope="col">{t('apiLog.colDuration')}</th>
                  <th scope="col">{t('apiLog.colJob')}</th>
                  <th scope="col">{t('apiLog.colShape')}</th>
                  <th scope="col">{t('apiLog.colTolerances')}</th>
                </tr>
              </thead>
              <tbody>
                {data.records.map((r) => (
                  <CallRow key={r.seq} record={r} />
                ))}
              </tbody>
            </table>
          </div>
          {pages > 1 ? <Pager page={page} pages={pages} setPage={setPage} /> : null}
        </>
      ) : null}
    </div>
  );
}

function CallRow({ record: r }: { record: StoredApiCall }) {
  const [open, setOpen] = useState(false);
  const failed = r.code !== undefined;
  return (
    <tr
      data-endpoint={r.endpoint}
      data-status={r.status === null ? 'none' : String(r.status)}
      data-outcome={failed ? 'failed' : 'ok'}
      data-backend={r.backend}
      {...(r.jobId ? { 'data-job-id': r.jobId } : {})}
      {...(failed ? { 'data-kakao-code': String(r.code) } : {})}
    >
      <td>
        <time dateTime={new Date(r.at).toISOString()}>{formatTime(new Date(r.at).toISOString())}</time>
        {r.backend === 'sandbox' ? (
          <span class="api-log-sandbox" data-testid="sandbox-call" title={t('apiLog.sandboxTip')}>
            {t('apiLog.sandbox')}
          </span>
        ) : null}
      </td>
      <td>
        <span class="api-log-name">{endpointName(r.endpoint)}</span>
        <code class="api-log-path">
          {r.method} {r.endpoint}
        </code>
      </td>
      <td>{r.channel?.split(',').join(', ') ?? ''}</td>
      <td class="num">{r.batchSize !== undefined ? fmt(r.batchSize) : ''}</td>
      <td class={failed ? 'num api-log-failed' : 'num'}>
        {r.status ?? <span class="muted">{t('apiLog.noAnswer')}</span>}
      </td>
      <td
        class={failed ? 'api-log-failed' : undefined}
        title={failed ? explanationText(explain(r.code!, r.status)) : undefined}
      >
        {failed ? String(r.code) : ''}
      </td>
      <td class="num nowrap">{t('apiLog.ms', [fmt(r.durationMs)])}</td>
      <td class="api-log-job">
        {r.jobId ? (
          <a
            href={`#/jobs?job=${encodeURIComponent(r.jobId)}`}
            aria-label={t('apiLog.openJob', [r.jobId])}
            data-action="open-call-job"
          >
            <code>{r.jobId}</code>
          </a>
        ) : null}
      </td>
      <td>
        {r.shape ? (
          <button
            type="button"
            class={open ? 'api-log-shape open' : 'api-log-shape'}
            title={r.shape}
            aria-expanded={open}
            aria-label={`${t('apiLog.shapeToggle')}: ${r.shape}`}
            data-action="toggle-shape"
            onClick={() => setOpen(!open)}
          >
            <code>{r.shape}</code>
          </button>
        ) : null}
      </td>
      <td>
        <span class="api-log-tags">
          {r.tolerances.map((name) => (
            <span
              key={name}
              class="api-log-tag"
              data-tolerance={name}
              title={t('apiLog.toleranceTip', [name])}
              // Focusable so keyboard and screen-reader users reach the tag's explanation (its title).
              // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
              tabIndex={0}
            >
              {name}
            </span>
          ))}
        </span>
      </td>
    </tr>
  );
}
