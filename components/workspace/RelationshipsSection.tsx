import { lazy, Suspense } from 'preact/compat';
import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { errorInfo } from '@/lib/kakao/errors';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import { collectIds, type PlacedValue, type ValidationSummary } from '@/lib/csv/validate';
import { ErrorNotice } from '../ErrorNotice';
import { readRows, type CsvInput } from './CsvSource';
import { idTable, IdSource, type IdPick } from './IdSource';
import { CheckResults } from './CheckResults';
import { checkJobSource } from './row-source';
import { channelLabel } from '../channel-label';
import { JobProgress } from './JobProgress';
import { NoSetup } from './NoSetup';
import { submitJob } from './submit';
import { DryRunReport } from './UsersImport';
import { useStatus } from '../useStatus';
import { useJob } from './useJobs';
import { SaveAsAudience } from '../audiences/SaveAsAudience';

/** The check → customer file flow (issue 12), loaded when opened. */
const CheckToFile = lazy(() => import('./CheckToFile'));

const sheetOf = (input: CsvInput | null) => (input?.kind === 'xlsx' ? input.sheet : undefined);

/** Bulk relationship check: IDs from a paste or a CSV column, deduplicated, checked 200 at a time in the background. */
export default function RelationshipsSection() {
  const { status, error: statusError } = useStatus();
  const [channels, setChannels] = useState<string[]>([]);
  const [pick, setPick] = useState<IdPick | null>(null);
  const [summary, setSummary] = useState<ValidationSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const [jobId, setJobId] = useState<string | null>(() =>
    new URLSearchParams(location.hash.split('?')[1] ?? '').get('job'),
  );
  const job = useJob(jobId);
  /** The check → customer file flow is open (for this job). */
  const [toFile, setToFile] = useState(false);

  useEffect(() => {
    if (status) setChannels(status.channelIds);
  }, [status]);

  if (statusError) return <ErrorNotice error={statusError} />;
  if (!status) return <p class="muted">{i18n.t('common.loading')}</p>;
  if (!status.ready || status.channelIds.length === 0) return <NoSetup />;

  const input = pick?.input ?? null;
  const { header, hasHeader, column } = idTable(pick);

  async function start() {
    if (!input) return;
    setBusy(true);
    setError(null);
    const values: PlacedValue[] = [];
    let first = hasHeader;
    const parseStarted = performance.now();
    try {
      await readRows(input, (rows, places) => {
        rows.forEach((row, i) => {
          if (first && i === 0) return; // the header row
          const place = places[i]!;
          values.push({ value: row[column] ?? '', place, ...(place.unsafe?.includes(column) ? { unsafe: true } : {}) });
        });
        first = false;
      });
    } catch (err) {
      setBusy(false);
      return setError(errorInfo(err));
    }
    const { ids, summary: s } = collectIds(values, 'app', header[column] ?? 'ID');
    // The page's own CSV read (parse, validate, dedupe), apart from the hand-over that follows (the bench reads it).
    performance.measure('cd:csv-parse', { start: parseStarted });
    setSummary(s);
    if (ids.length === 0) return setBusy(false);
    const r = await submitJob({ kind: 'check', total: ids.length, channelIds: channels }, ids, s.errors);
    setBusy(false);
    if (r.ok) {
      setJobId(r.value.id);
      history.replaceState(null, '', `#/relationships?job=${r.value.id}`);
    } else setError(r.error);
  }

  return (
    <div data-testid="relationships-section">
      <h1>{i18n.t('workspace.check.title')}</h1>
      {job ? (
        <>
          <button
            type="button"
            onClick={() => (
              setJobId(null),
              setSummary(null),
              setToFile(false),
              history.replaceState(null, '', '#/relationships')
            )}
            data-action="new-check"
          >
            + {i18n.t('workspace.check.newCheck')}
          </button>
          {summary ? <DryRunReport summary={summary} sheet={sheetOf(input)} /> : null}
          <JobProgress job={job} />
          {toFile ? (
            <Suspense fallback={<p class="muted">{i18n.t('common.loading')}</p>}>
              <CheckToFile
                key={job.id}
                source={checkJobSource(job)}
                channelIds={status.channelIds}
                names={status.channelNames}
                onClose={() => setToFile(false)}
              />
            </Suspense>
          ) : (
            <div class="row my8">
              <button
                type="button"
                onClick={() => setToFile(true)}
                disabled={job.status !== 'done'}
                aria-describedby={job.status !== 'done' ? 'to-file-not-done' : undefined}
                data-action="to-customer-file"
              >
                ▤ {i18n.t('reach.toFile')}
              </button>
              {job.status !== 'done' ? (
                <span class="muted" id="to-file-not-done">
                  {i18n.t('reach.notDone')}
                </span>
              ) : null}
            </div>
          )}
          <CheckResults job={job} names={status.channelNames} />
          <SaveAsAudience job={job} names={status.channelNames} />
        </>
      ) : (
        <section class="card">
          <p class="muted">{i18n.t('workspace.check.help')}</p>
          <fieldset>
            <legend>{i18n.t('workspace.check.channels')}</legend>
            <div class="chips">
              {status.channelIds.map((c) => (
                <label class="inline chip" key={c}>
                  <input
                    type="checkbox"
                    name="checkChannel"
                    value={c}
                    checked={channels.includes(c)}
                    onChange={(e) =>
                      setChannels(e.currentTarget.checked ? [...channels, c] : channels.filter((x) => x !== c))
                    }
                  />
                  {channelLabel(c, status.channelNames)}
                </label>
              ))}
            </div>
          </fieldset>
          <IdSource
            pick={pick}
            onChange={(next, changed) => (setPick(next), changed === 'source' && setSummary(null))}
          />
          {summary && summary.valid === 0 ? <DryRunReport summary={summary} sheet={sheetOf(input)} /> : null}
          {error ? <ErrorNotice error={error} /> : null}
          <button
            type="button"
            class="primary mt10"
            onClick={() => void start()}
            disabled={!input || busy || channels.length === 0}
            data-action="start-check"
          >
            {busy ? i18n.t('workspace.check.preparing') : i18n.t('workspace.check.start')}
          </button>
        </section>
      )}
    </div>
  );
}
