import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import type { CustomerFile } from '@/lib/kakao/schemas';
import type { CustomerFileListing } from '@/lib/messages/commands/workspace';
import { call } from '../api';
import { ErrorNotice } from '../ErrorNotice';
import { formatTime } from '../lang';
import { NewFileForm } from './NewFileForm';
import { NoSetup } from './NoSetup';
import { UsersImport } from './UsersImport';
import { useStatus } from '../useStatus';
import { channelLabel } from '../channel-label';

const SLOTS = 30;
const KNOWN_FILE_STATUSES = ['active', 'inactive', 'processing', 'deleted'] as const;

/** Kakao's file status in the UI language; a status we do not know is shown as Kakao wrote it, in a neutral tag. */
function FileStatus({ status }: { status: string | undefined }) {
  if (!status) return <>—</>;
  const known = (KNOWN_FILE_STATUSES as readonly string[]).includes(status);
  return (
    <span class="status file-status" data-file-status={status}>
      {known ? i18n.t(`firsthour.fileStatus.${status as (typeof KNOWN_FILE_STATUSES)[number]}`) : status}
    </span>
  );
}

/** Customer files of one channel: list, slot meter, register, add and delete users. */
export default function FilesSection() {
  const { status, error: statusError } = useStatus();
  const [channelId, setChannelId] = useState<string | null>(null);
  const [listing, setListing] = useState<CustomerFileListing | null>(null);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const [creating, setCreating] = useState(false);
  // `round` makes each press of "Add users"/"Delete users" a fresh import, even on the file just finished.
  const [work, setWork] = useState<{ file: CustomerFile; mode: 'upload' | 'delete'; round: number } | null>(null);

  useEffect(() => {
    if (status && !channelId)
      setChannelId(
        (status.settings.selectedChannelId && status.channelIds.includes(status.settings.selectedChannelId)
          ? status.settings.selectedChannelId
          : status.channelIds[0]) ?? null,
      );
  }, [status]);

  async function refresh(id = channelId) {
    if (!id) return;
    setListing(null);
    setError(null);
    const r = await call('listCustomerFiles', { channelId: id });
    if (r.ok) setListing(r.value);
    else setError(r.error);
  }
  useEffect(() => void refresh(), [channelId]);

  if (statusError) return <ErrorNotice error={statusError} />;
  if (!status) return <p class="muted">{i18n.t('common.loading')}</p>;
  if (!status.ready || status.channelIds.length === 0) return <NoSetup />;

  const used = listing?.usingSlot ?? listing?.files.length ?? 0;
  const free = listing?.emptySlot ?? SLOTS - used;
  // Files made by hand in the Manager Center use slots but are not in the API's list.
  const unlisted = listing ? Math.max(0, used - listing.files.length) : 0;

  return (
    <div data-testid="files-section">
      <h1>{i18n.t('workspace.files.title')}</h1>
      <div class="row center wrap">
        <label for="channelId" class="m0">
          {i18n.t('workspace.channel')}
        </label>
        <select
          id="channelId"
          name="channelId"
          value={channelId ?? ''}
          onChange={(e) => (setChannelId(e.currentTarget.value), setWork(null))}
          class="w-auto"
        >
          {status.channelIds.map((id) => (
            <option key={id} value={id}>
              {channelLabel(id, status.channelNames)}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void refresh()} data-action="refresh-files">
          ↻ {i18n.t('workspace.files.refresh')}
        </button>
        <button
          type="button"
          class="primary"
          onClick={() => setCreating(true)}
          disabled={creating || free <= 0}
          data-action="new-file"
        >
          + {i18n.t('workspace.files.newFile')}
        </button>
      </div>

      {listing ? (
        <div class="slots" data-testid="slot-meter" data-used={used} data-free={free}>
          <div
            class="progress"
            role="meter"
            aria-valuemin={0}
            aria-valuemax={SLOTS}
            aria-valuenow={used}
            aria-label={i18n.t('workspace.files.slots', [String(used), String(free), String(SLOTS)])}
          >
            {/* The one dynamic value: the bar's width. */}
            <span style={{ width: `${(used / SLOTS) * 100}%` }} />
          </div>
          <p class="muted">{i18n.t('workspace.files.slots', [String(used), String(free), String(SLOTS)])}</p>
          {listing.usingSlot === null && listing.emptySlot === null ? (
            <p class="muted" data-testid="slots-unknown">
              {i18n.t('tolerant.slotsUnknown')}
            </p>
          ) : null}
          {unlisted > 0 ? (
            <p class="muted" data-testid="slots-unlisted" data-unlisted={unlisted}>
              {i18n.t('firsthour.slotsUnlisted', [String(unlisted)])}
            </p>
          ) : null}
        </div>
      ) : null}

      {creating && channelId ? (
        <NewFileForm
          channelId={channelId}
          onCancel={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            void refresh();
          }}
        />
      ) : null}

      {error ? <ErrorNotice error={error} /> : null}
      {!listing && !error ? <p class="muted">{i18n.t('common.loading')}</p> : null}
      {listing && listing.files.length === 0 && (listing.unreadableFiles ?? []).length === 0 ? (
        <p class="empty">{i18n.t('workspace.files.empty')}</p>
      ) : null}
      {listing && (listing.files.length > 0 || (listing.unreadableFiles ?? []).length > 0) ? (
        <div class="table-scroll">
          <table class="data" aria-label={i18n.t('workspace.files.title')}>
            <thead>
              <tr>
                <th>{i18n.t('workspace.files.name')}</th>
                <th>ID</th>
                <th>{i18n.t('workspace.files.status')}</th>
                <th>{i18n.t('workspace.files.schema')}</th>
                <th>{i18n.t('workspace.files.updated')}</th>
                <th>
                  <span class="sr-only">{i18n.t('workspace.files.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {listing.files.map((f) => (
                <tr key={f.file_id} data-file-id={f.file_id} aria-selected={work?.file.file_id === f.file_id}>
                  <td>
                    <strong>{f.file_name}</strong>
                  </td>
                  <td>{f.file_id}</td>
                  <td>
                    <FileStatus status={f.status} />
                  </td>
                  <td data-schema-known={String(f.schemaKnown !== false)}>
                    {f.schemaKnown === false ? (
                      <span class="muted" title={i18n.t('tolerant.schemaUnknownTitle')}>
                        {i18n.t('tolerant.schemaUnknown')}
                      </span>
                    ) : (
                      Object.entries(f.schema)
                        .map(
                          ([k, v]) =>
                            `${k} (` +
                            (v === 'number' ? i18n.t('workspace.schema.number') : i18n.t('workspace.schema.string')) +
                            ')',
                        )
                        .join(', ') || '—'
                    )}
                  </td>
                  <td>{formatTime(f.updated_at) || '—'}</td>
                  <td class="actions">
                    <button
                      type="button"
                      onClick={() => setWork({ file: f, mode: 'upload', round: (work?.round ?? 0) + 1 })}
                      data-action="add-users"
                      aria-label={`${i18n.t('workspace.files.addUsers')}: ${f.file_name}`}
                    >
                      {i18n.t('workspace.files.addUsers')}
                    </button>
                    <button
                      type="button"
                      onClick={() => setWork({ file: f, mode: 'delete', round: (work?.round ?? 0) + 1 })}
                      data-action="delete-users"
                      aria-label={`${i18n.t('workspace.files.deleteUsers')}: ${f.file_name}`}
                    >
                      {i18n.t('workspace.files.deleteUsers')}
                    </button>
                  </td>
                </tr>
              ))}
              {(listing.unreadableFiles ?? []).map((u) => (
                <tr key={`unreadable-${u.position}`} data-unreadable-file={u.position}>
                  <td>
                    <strong>{u.file_name || '—'}</strong>
                  </td>
                  <td>—</td>
                  <td>{i18n.t('tolerant.unreadableFile')}</td>
                  <td colSpan={3} class="muted">
                    {i18n.t('tolerant.unreadableFileHelp', [String(u.position)])}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {work && channelId ? (
        <UsersImport
          key={`${work.file.file_id}-${work.mode}-${work.round}`}
          file={work.file}
          channelId={channelId}
          mode={work.mode}
          onClose={() => setWork(null)}
        />
      ) : null}
    </div>
  );
}
