import { useEffect, useMemo, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { FileUser } from '@/lib/kakao/client';
import { errorInfo, type KakaoErrorInfo } from '@/lib/kakao/errors';
import type { CustomerFile, FileSchema } from '@/lib/kakao/schemas';
import { CHECK_RELATIONS } from '@/lib/kakao/terms';
import type { CheckRow } from '@/lib/jobs/model';
import { carriedTable, rowSelected, toggleBucket, type Bucket } from '@/lib/jobs/reach';
import { createRowValidator, type ValidationSummary } from '@/lib/csv/validate';
import { guessMapping, type ColumnMapping } from '@/lib/csv/mapping';
import type { CustomerFileListing } from '@/lib/messages/commands/workspace';
import { call } from '../api';
import { ErrorNotice } from '../ErrorNotice';
import { RelationMark } from '../RelationMark';
import { channelLabel } from '../channel-label';
import { fmt, JobProgress } from './JobProgress';
import { FieldMapping } from './FieldMapping';
import { NewFileForm } from './NewFileForm';
import type { RowSource } from './row-source';
import { submitJob } from './submit';
import { DryRunReport } from './UsersImport';
import { useJob } from './useJobs';

/** The bucket pickers of one list (include or exclude): a labelled checkbox per channel and relation. */
function BucketPicker({
  name,
  legend,
  channelIds,
  names,
  picked,
  onChange,
}: {
  name: 'includeBucket' | 'excludeBucket';
  legend: string;
  channelIds: readonly string[];
  names?: Record<string, string>;
  picked: readonly Bucket[];
  onChange: (next: Bucket[]) => void;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {channelIds.map((c, channel) => (
        <div class="chips" key={c}>
          {CHECK_RELATIONS.map((relation) => (
            <label class="inline chip" key={relation}>
              <input
                type="checkbox"
                name={name}
                value={`${c}:${relation}`}
                checked={picked.some((b) => b.channel === channel && b.relation === relation)}
                onChange={(e) => onChange(toggleBucket(picked, { channel, relation }, e.currentTarget.checked))}
              />
              <RelationMark relation={relation} /> · {channelLabel(c, names)}
            </label>
          ))}
        </div>
      ))}
    </fieldset>
  );
}

/**
 * From a finished bulk check (or an audience's snapshot) to a customer file in one flow (issue 12): pick buckets,
 * pick a customer file of a channel or create one (the schema editor), map the carried columns to the file's
 * fields, dry run, and upload as the ordinary upload job. The users never leave the extension as a CSV.
 */
export default function CheckToFile({
  source,
  channelIds,
  names,
  profileId,
  onClose,
}: {
  source: RowSource;
  /** The profile whose key lists, creates and fills the files (an audience's); absent: the active one. */
  profileId?: string;
  /** The manager's channels (a customer file belongs to one of them). */
  channelIds: readonly string[];
  names?: Record<string, string>;
  onClose: () => void;
}) {
  const [rows, setRows] = useState<CheckRow[] | null>(null);
  const [include, setInclude] = useState<Bucket[]>([]);
  const [exclude, setExclude] = useState<Bucket[]>([]);
  const [fileChannel, setFileChannel] = useState(
    source.channelIds.find((c) => channelIds.includes(c)) ?? channelIds[0] ?? '',
  );
  const [listing, setListing] = useState<CustomerFileListing | null>(null);
  const [fileId, setFileId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [mapping, setMapping] = useState<ColumnMapping | null>(null);
  const [dryRun, setDryRun] = useState<{ users: FileUser[]; summary: ValidationSummary } | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const [uploadId, setUploadId] = useState<string | null>(null);
  const upload = useJob(uploadId);

  useEffect(() => {
    let live = true;
    setRows(null);
    void source.load().then(
      (r) => live && setRows(r),
      (err: unknown) => live && setError(errorInfo(err)),
    );
    return () => void (live = false);
  }, [source.key]);

  async function refresh(channel: string, select: string | null = null) {
    setListing(null);
    setFileId(select);
    setError(null);
    const r = await call('listCustomerFiles', { channelId: channel, ...(profileId ? { profileId } : {}) });
    if (r.ok) setListing(r.value);
    else setError(r.error);
  }
  useEffect(() => void refresh(fileChannel), [fileChannel]);

  const selected = useMemo(
    () => (rows ?? []).filter((r) => rowSelected(r, { include, exclude })),
    [rows, include, exclude],
  );
  const table = useMemo(
    () =>
      carriedTable(
        source.channelIds,
        selected,
        {
          userId: i18n.t('workspace.report.userId'),
          relation: (c) => i18n.t('reach.relationColumn', [c]),
          changedAt: source.changedAt ? (c) => i18n.t('workspace.report.changedAt', [c]) : undefined,
        },
        source.extraColumns,
      ),
    [source.key, selected],
  );
  const file: CustomerFile | undefined = listing?.files.find((f) => f.file_id === fileId);
  const schema = (file?.schema ?? {}) as FileSchema;

  // A new selection or file: the mapping is guessed again and the dry run must be run again.
  useEffect(() => {
    setMapping(file ? { ...guessMapping(table.header, schema), idColumn: 0, userType: 'app' } : null);
    setDryRun(null);
  }, [fileId, listing, table.header.join('\n')]);
  useEffect(() => setDryRun(null), [selected]);

  function runDryRun() {
    if (!mapping) return;
    const validator = createRowValidator(table.header, schema, mapping, 1);
    validator.add(table.rows);
    setDryRun(validator.finish());
  }

  async function start() {
    if (!dryRun || !file) return;
    setSending(true);
    setError(null);
    const r = await submitJob(
      {
        kind: 'upload',
        total: dryRun.users.length,
        channelId: fileChannel,
        fileId: file.file_id,
        fileName: file.file_name,
        userType: 'app',
        ...(profileId ? { profileId } : {}),
      },
      dryRun.users,
      dryRun.summary.errors,
    );
    setSending(false);
    if (r.ok) setUploadId(r.value.id);
    else setError(r.error);
  }

  return (
    <section class="card" aria-labelledby="to-file-title" data-testid="to-file">
      <div class="row between">
        <h2 id="to-file-title" class="m0">
          {i18n.t('reach.toFileTitle')}
        </h2>
        <button type="button" onClick={onClose} aria-label={i18n.t('workspace.close')}>
          ✕
        </button>
      </div>
      {upload ? (
        <JobProgress job={upload} />
      ) : (
        <>
          <p class="muted">{i18n.t('reach.toFileHelp')}</p>
          <BucketPicker
            name="includeBucket"
            legend={i18n.t('reach.include')}
            channelIds={source.channelIds}
            names={names}
            picked={include}
            onChange={setInclude}
          />
          {include.length === 0 ? <p class="muted">{i18n.t('reach.noneIncluded')}</p> : null}
          <BucketPicker
            name="excludeBucket"
            legend={i18n.t('reach.exclude')}
            channelIds={source.channelIds}
            names={names}
            picked={exclude}
            onChange={setExclude}
          />
          <p data-testid="to-file-selected" data-count={rows ? selected.length : undefined} aria-live="polite">
            {rows ? i18n.t('reach.selected', [fmt(selected.length), fmt(rows.length)]) : i18n.t('common.loading')}
          </p>
          <fieldset>
            <legend>{i18n.t('reach.file')}</legend>
            <div class="row center wrap">
              <label class="m0">
                {i18n.t('reach.fileChannel')}{' '}
                <select
                  name="fileChannel"
                  value={fileChannel}
                  onChange={(e) => (setFileChannel(e.currentTarget.value), setCreating(false))}
                  class="w-auto"
                >
                  {channelIds.map((c) => (
                    <option key={c} value={c}>
                      {channelLabel(c, names)}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" onClick={() => setCreating(true)} disabled={creating} data-action="new-file">
                + {i18n.t('workspace.files.newFile')}
              </button>
            </div>
            {creating ? (
              <NewFileForm
                channelId={fileChannel}
                profileId={profileId}
                onCancel={() => setCreating(false)}
                onCreated={(id) => (setCreating(false), void refresh(fileChannel, id))}
              />
            ) : null}
            {!listing && !error ? <p class="muted">{i18n.t('common.loading')}</p> : null}
            {listing && listing.files.length === 0 ? <p class="empty">{i18n.t('reach.noFiles')}</p> : null}
            {listing?.files.map((f) => (
              <label class="inline" key={f.file_id} data-file-id={f.file_id}>
                <input
                  type="radio"
                  name="targetFile"
                  value={f.file_id}
                  checked={fileId === f.file_id}
                  onChange={() => setFileId(f.file_id)}
                />
                {f.file_name} <span class="muted">({f.file_id})</span>
              </label>
            ))}
          </fieldset>
          {file && mapping ? (
            <fieldset class="mapping">
              <legend>{i18n.t('workspace.mapping.title')}</legend>
              {file.schemaKnown === false ? (
                <p class="notice" role="note">
                  {i18n.t('tolerant.schemaUnknownUpload')}
                </p>
              ) : null}
              <div class="grid2">
                <FieldMapping
                  schema={schema}
                  header={table.header}
                  fields={mapping.fields}
                  from={1}
                  onChange={(fields) => (setMapping({ ...mapping, fields }), setDryRun(null))}
                />
              </div>
              <button type="button" onClick={runDryRun} disabled={!rows || selected.length === 0} data-action="dry-run">
                {i18n.t('workspace.dryRun.run')}
              </button>
            </fieldset>
          ) : null}
          {dryRun ? <DryRunReport summary={dryRun.summary} /> : null}
          {error ? <ErrorNotice error={error} /> : null}
          {dryRun && file && dryRun.users.length > 0 ? (
            <button
              type="button"
              class="primary"
              onClick={() => void start()}
              disabled={sending}
              data-action="start-job"
            >
              {i18n.t('workspace.files.startUpload', [fmt(dryRun.users.length)])}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
