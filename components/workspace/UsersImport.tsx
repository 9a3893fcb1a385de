import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { errorInfo } from '@/lib/kakao/errors';
import type { FileUser, UserType } from '@/lib/kakao/client';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { CustomerFile, FileSchema } from '@/lib/kakao/schemas';
import { asText } from '@/lib/csv/export';
import { guessMapping, looksHeaderless, type ColumnMapping } from '@/lib/csv/mapping';
import { PHONE_EXAMPLE } from '@/lib/csv/phone';
import {
  createRowValidator,
  describeRowError,
  errorsFirst,
  rowLabel,
  summaryCounts,
  type RowError,
  type ValidationSummary,
} from '@/lib/csv/validate';
import { ErrorNotice } from '../ErrorNotice';
import { uiLang } from '@/lib/ui-lang';
import { CsvSource, isIdList, readRows, type CsvInput } from './CsvSource';
import { FieldMapping } from './FieldMapping';
import { RowCountsLine } from './RowCounts';
import { saveBlob, stamp } from '../download';
import { tableBlob, type TableFormat } from './table-export';
import { fmt, JobProgress } from './JobProgress';
import { submitJob } from './submit';
import { useJob } from './useJobs';
import { ConfirmDialog } from './ConfirmDialog';
import { ReachPreview, type Narrowed } from './ReachPreview';

interface DryRun {
  users: FileUser[];
  summary: ValidationSummary;
}

/** Builds the header and column mapping for the input; a headerless file gets "Column 1…". */
function headerOf(preview: string[][]): { header: string[]; hasHeader: boolean } {
  const first = preview[0] ?? [];
  const hasHeader = !looksHeaderless(first);
  return {
    header: hasHeader ? first : first.map((_, i) => i18n.t('workspace.mapping.columnN', [String(i + 1)])),
    hasHeader,
  };
}

function errorReportBlob(errors: readonly RowError[], format: TableFormat = 'csv'): Promise<Blob> {
  const lang = uiLang();
  return tableBlob(
    format,
    [
      i18n.t('workspace.report.row'),
      i18n.t('workspace.report.column'),
      i18n.t('workspace.report.value'),
      i18n.t('workspace.report.reason'),
    ],
    errorsFirst(errors).map((e) => [rowLabel(e, lang), e.column, asText(e.value), describeRowError(e, lang)]),
    i18n.t('xlsx.sheetDryRun'),
  );
}

async function downloadDryRun(errors: readonly RowError[], format: TableFormat) {
  saveBlob(await errorReportBlob(errors, format), `channel-desk-dry-run-${stamp()}.${format}`);
}

const SHOWN = 100;

function ErrorTable({ errors, label }: { errors: readonly RowError[]; label: string }) {
  const lang = uiLang();
  return (
    <div class="table-scroll short">
      <table class="data" aria-label={label}>
        <thead>
          <tr>
            <th>{i18n.t('workspace.report.row')}</th>
            <th>{i18n.t('workspace.report.column')}</th>
            <th>{i18n.t('workspace.report.value')}</th>
            <th>{i18n.t('workspace.report.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {errors.slice(0, SHOWN).map((e) => (
            <tr
              key={`${e.row}-${e.position ?? 0}-${e.column}-${e.code}`}
              data-error-row={e.row}
              data-error-position={e.position}
              data-error-code={e.code}
            >
              <td>{rowLabel(e, lang)}</td>
              <td>{e.column}</td>
              <td>{e.value}</td>
              <td>{describeRowError(e, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Dry-run summary: the counts, the rows with errors first, the duplicates as one
 * collapsible count with their rows inside, and everything as a download.
 */
export function DryRunReport({ summary, sheet }: { summary: ValidationSummary; sheet?: string }) {
  const errors = summary.errors.filter((e) => e.code !== 'duplicate');
  const duplicates = summary.errors.filter((e) => e.code === 'duplicate');
  return (
    <div
      class="card"
      data-testid="dry-run"
      data-valid={summary.valid}
      data-errors={summary.errorRows}
      data-duplicates={summary.duplicates}
    >
      <RowCountsLine counts={summaryCounts(summary)} />
      {sheet !== undefined && summary.errors.length > 0 ? (
        <p class="muted" data-testid="dry-run-sheet" data-sheet={sheet}>
          {i18n.t('xlsx.rowsNote', [sheet])}
        </p>
      ) : null}
      {errors.length > 0 ? (
        <>
          <ErrorTable errors={errors} label={i18n.t('csvio.errorRows')} />
          {errors.length > SHOWN ? (
            <p class="muted">{i18n.t('workspace.dryRun.more', [fmt(errors.length - SHOWN)])}</p>
          ) : null}
        </>
      ) : null}
      {duplicates.length > 0 ? (
        <details data-testid="duplicates" data-count={duplicates.length}>
          <summary>{i18n.t('csvio.duplicatesSummary', [fmt(duplicates.length)])}</summary>
          <ErrorTable errors={duplicates} label={i18n.t('csvio.duplicateRows')} />
          {duplicates.length > SHOWN ? (
            <p class="muted">{i18n.t('workspace.dryRun.more', [fmt(duplicates.length - SHOWN)])}</p>
          ) : null}
        </details>
      ) : null}
      {summary.errors.length > 0 ? (
        <div class="row wrap">
          <button
            type="button"
            onClick={() => void downloadDryRun(summary.errors, 'csv')}
            data-action="download-dry-run"
          >
            ⬇ {i18n.t('workspace.dryRun.download')}
          </button>
          <button
            type="button"
            onClick={() => void downloadDryRun(summary.errors, 'xlsx')}
            data-action="download-dry-run-xlsx"
          >
            ⬇ {i18n.t('xlsx.dryRunXlsx')}
          </button>
        </div>
      ) : null}
      {errors.length === 0 ? <p class="success">✓ {i18n.t('workspace.dryRun.allGood')}</p> : null}
    </div>
  );
}

/** Add users to (or delete users from) a customer file: source → mapping → dry run → background job. */
export function UsersImport({
  file,
  channelId,
  mode,
  onClose,
}: {
  file: CustomerFile;
  channelId: string;
  mode: 'upload' | 'delete';
  onClose: () => void;
}) {
  const schema: FileSchema = mode === 'upload' ? (file.schema as FileSchema) : {};
  const [input, setInput] = useState<CsvInput | null>(null);
  const [preview, setPreview] = useState<string[][]>([]);
  const [mapping, setMapping] = useState<ColumnMapping | null>(null);
  const [dryRun, setDryRun] = useState<DryRun | null>(null);
  const [checking, setChecking] = useState(false);
  const [sending, setSending] = useState<number | null>(null);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  /** A deletion asks first, with the count and the file's name. */
  const [confirming, setConfirming] = useState(false);
  /** The upload narrowed by the reach preview ("only the friends of …"); reset by every new dry run. */
  const [narrowed, setNarrowed] = useState<Narrowed | null>(null);
  /** Each dry run is counted: a new one starts a new reach preview (which may reuse the last one's check). */
  const [dryRuns, setDryRuns] = useState(0);
  useEffect(() => setNarrowed(null), [dryRun]);
  const job = useJob(jobId);
  const list = isIdList(input);
  /** The users the upload sends: the dry run's, or the reach preview's narrowing of them. */
  const sendUsers = narrowed?.users ?? dryRun?.users ?? [];
  const { header, hasHeader } = list
    ? { header: [i18n.t('workspace.report.userId')], hasHeader: false }
    : headerOf(preview);

  function onSource(next: CsvInput | null, rows: string[][]) {
    setInput(next);
    setPreview(rows);
    setDryRun(null);
    const h = headerOf(rows);
    setMapping(rows.length > 0 ? guessMapping(!isIdList(next) && h.hasHeader ? h.header : [], schema) : null);
  }

  async function runDryRun() {
    if (!input || !mapping) return;
    setChecking(true);
    setError(null);
    const validator = createRowValidator(header, schema, mapping, hasHeader ? 2 : 1);
    let first = hasHeader;
    const parseStarted = performance.now();
    try {
      await readRows(
        input,
        (rows, places) => {
          validator.add(first ? rows.slice(1) : rows, first ? places.slice(1) : places);
          first = false;
        },
        mapping.userType,
      );
      const result = validator.finish();
      // The page's own CSV read (decode, parse, validate): the bench sets start → done against it.
      performance.measure('cd:csv-parse', { start: parseStarted });
      setDryRun(result);
      setDryRuns((n) => n + 1);
    } catch (err) {
      setError(errorInfo(err));
    } finally {
      setChecking(false);
    }
  }

  async function start() {
    setConfirming(false);
    if (!dryRun || !mapping) return;
    setError(null);
    setSending(0);
    const items = mode === 'upload' ? sendUsers : dryRun.users.map((u) => u.id);
    const r = await submitJob(
      {
        kind: mode,
        total: items.length,
        channelId,
        fileId: file.file_id,
        fileName: file.file_name,
        userType: mapping.userType,
      },
      items,
      dryRun.summary.errors,
      setSending,
    );
    setSending(null);
    if (r.ok) setJobId(r.value.id);
    else setError(r.error);
  }

  const title =
    mode === 'upload'
      ? i18n.t('workspace.files.addUsersTo', [file.file_name])
      : i18n.t('workspace.files.deleteUsersFrom', [file.file_name]);

  return (
    <section class="card" aria-label={title} data-testid={`import-${mode}`}>
      <div class="row between">
        <h2 class="m0">{title}</h2>
        <button type="button" onClick={onClose} aria-label={i18n.t('workspace.close')}>
          ✕
        </button>
      </div>
      {job ? (
        <JobProgress job={job} />
      ) : (
        <>
          <p class="muted">
            {mode === 'upload' ? i18n.t('workspace.files.uploadHelp') : i18n.t('workspace.files.deleteHelp')}
          </p>
          {mode === 'upload' && file.schemaKnown === false ? (
            <p class="notice" role="note" data-testid="schema-unknown">
              {i18n.t('tolerant.schemaUnknownUpload')}
            </p>
          ) : null}
          <CsvSource
            onChange={onSource}
            pasteLabel={i18n.t('workspace.source.pasteUsers')}
            idOnly={mode === 'delete'}
            idUserType={mapping?.userType}
          />
          {mapping ? (
            <fieldset class="mapping">
              <legend>{i18n.t('workspace.mapping.title')}</legend>
              <div class="grid2">
                <label>
                  {i18n.t('workspace.mapping.idColumn')}
                  <select
                    name="idColumn"
                    value={mapping.idColumn}
                    onChange={(e) => (
                      setMapping({ ...mapping, idColumn: Number(e.currentTarget.value) }),
                      setDryRun(null)
                    )}
                  >
                    {header.map((h, i) => (
                      <option key={i} value={i}>
                        {h}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {i18n.t('workspace.mapping.userType')}
                  <select
                    name="userType"
                    value={mapping.userType}
                    onChange={(e) => (
                      setMapping({ ...mapping, userType: e.currentTarget.value as UserType }),
                      setDryRun(null)
                    )}
                  >
                    <option value="app">{i18n.t('workspace.mapping.typeApp')}</option>
                    <option value="phone">{i18n.t('workspace.mapping.typePhone')}</option>
                  </select>
                </label>
                <FieldMapping
                  schema={schema}
                  header={header}
                  fields={mapping.fields}
                  onChange={(fields) => (setMapping({ ...mapping, fields }), setDryRun(null))}
                />
              </div>
              {mapping.userType === 'phone' ? (
                <p class="muted">{i18n.t('workspace.mapping.phoneForm', [PHONE_EXAMPLE])}</p>
              ) : null}
              <button type="button" onClick={() => void runDryRun()} disabled={checking} data-action="dry-run">
                {checking ? i18n.t('workspace.dryRun.checking') : i18n.t('workspace.dryRun.run')}
              </button>
            </fieldset>
          ) : null}
          {dryRun ? (
            <DryRunReport summary={dryRun.summary} sheet={input?.kind === 'xlsx' ? input.sheet : undefined} />
          ) : null}
          {mode === 'upload' && mapping && dryRun && dryRun.users.length > 0 && sending === null ? (
            <ReachPreview
              key={dryRuns}
              users={dryRun.users}
              userType={mapping.userType}
              channelId={channelId}
              narrowed={narrowed}
              onNarrow={setNarrowed}
            />
          ) : null}
          {error ? <ErrorNotice error={error} /> : null}
          {dryRun && sendUsers.length > 0 ? (
            <button
              type="button"
              class={mode === 'delete' ? 'primary danger' : 'primary'}
              onClick={() => (mode === 'delete' ? setConfirming(true) : void start())}
              disabled={sending !== null}
              data-action="start-job"
            >
              {sending !== null
                ? i18n.t('workspace.files.handingOver', [fmt(sending), fmt(sendUsers.length)])
                : mode === 'upload'
                  ? i18n.t('workspace.files.startUpload', [fmt(sendUsers.length)])
                  : i18n.t('workspace.files.startDelete', [fmt(dryRun.users.length)])}
            </button>
          ) : null}
          {confirming && dryRun ? (
            <ConfirmDialog
              title={i18n.t('writes.deleteTitle', [fmt(dryRun.users.length), file.file_name])}
              dismissLabel={i18n.t('writes.back')}
              onDismiss={() => setConfirming(false)}
              choices={[
                {
                  label: i18n.t('writes.deleteConfirm', [fmt(dryRun.users.length)]),
                  action: 'confirm',
                  tone: 'danger',
                  onChoose: () => void start(),
                },
              ]}
            >
              <p>{i18n.t('writes.deleteBody')}</p>
            </ConfirmDialog>
          ) : null}
        </>
      )}
    </section>
  );
}
