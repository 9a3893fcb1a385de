import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { AudienceMeta, Schedule } from '@/lib/audiences/model';
import { localTimeZone } from '@/lib/audiences/schedule';
import { asText } from '@/lib/csv/export';
import { errorInfo, type KakaoErrorInfo } from '@/lib/kakao/errors';
import type { Status } from '@/lib/messages/protocol';
import { call } from '../api';
import { saveBlob, stamp } from '../download';
import { ErrorNotice } from '../ErrorNotice';
import { explanationText } from '../lang';
import { ConfirmDialog } from '../workspace/ConfirmDialog';
import { fmt } from '../workspace/format';
import { JobProgress } from '../workspace/JobProgress';
import { tableBlob, type TableFormat } from '../workspace/table-export';
import { useJob } from '../workspace/useJobs';
import { AudienceOrigin, audienceProfile } from './AudienceOrigin';
import { ChangesView } from './ChangesView';
import { SnapshotToFile } from './SnapshotToFile';
import { audienceStore, fileTag, when } from './data';
import { TrendView } from './TrendView';

const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6];
const weekdayName = (d: number) =>
  new Intl.DateTimeFormat(i18n.t('common.lang') === 'ko' ? 'ko-KR' : 'en-US', {
    weekday: 'long',
    timeZone: 'UTC',
  }).format(
    Date.UTC(2026, 2, 1 + d), // 1 March 2026 was a Sunday
  );

/** One audience: rename, duplicate, delete, export, re-check now or on a schedule, snapshots and changes. */
export function AudienceDetail({ audience: a, status }: { audience: AudienceMeta; status: Status }) {
  const [name, setName] = useState(a.name);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const job = useJob(a.lastJobId ?? null);
  const running = job && (job.status === 'running' || job.status === 'draft');

  async function run<T>(fn: () => Promise<{ ok: true; value: T } | { ok: false; error: KakaoErrorInfo }>) {
    setBusy(true);
    setError(null);
    setNote(null);
    const r = await fn();
    setBusy(false);
    if (!r.ok) setError(r.error);
    return r.ok ? r.value : null;
  }

  async function exportIds(format: TableFormat) {
    try {
      const ids = await audienceStore.getList(a.listKey);
      const extra = a.extraKey ? await audienceStore.getExtra(a.extraKey) : undefined;
      const header = [i18n.t('workspace.report.userId'), ...(extra ? a.columns : [])];
      const rows = ids.map((id, i) => [asText(id), ...(extra?.[i] ?? [])]);
      saveBlob(
        await tableBlob(format, header, rows, a.name.slice(0, 31)),
        `channel-desk-audience-${fileTag(a.name)}-${stamp()}.${format}`,
      );
    } catch (err) {
      setError(errorInfo(err));
    }
  }

  return (
    <div data-testid="audience-detail" data-audience-id={a.id}>
      <p>
        <a href="#/audiences" data-action="back-to-audiences">
          ← {i18n.t('audiences.back')}
        </a>
      </p>
      <section class="card">
        <h2 data-testid="audience-name">{a.name}</h2>
        <p class="muted">
          <span data-testid="audience-count" data-count={a.count}>
            {i18n.t('audiences.ids', [fmt(a.count)])}
          </span>
          {a.columns.length > 0 ? ` · ${i18n.t('audiences.extraColumns', [a.columns.join(', ')])}` : null}
        </p>
        <p>
          <AudienceOrigin audience={a} status={status} />
        </p>
        <p data-testid="audience-last-run" data-last-run={a.lastRunAt ?? ''}>
          {i18n.t('audiences.lastRun', [a.lastRunAt ? when(a.lastRunAt) : i18n.t('audiences.never')])}
        </p>
        <form
          class="aud-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => call('renameAudience', { audienceId: a.id, name }));
          }}
        >
          <label>
            {i18n.t('audiences.name')}
            <input
              type="text"
              name="audienceName"
              value={name}
              maxLength={60}
              required
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </label>
          <button type="submit" disabled={busy || !name.trim() || name.trim() === a.name} data-action="rename-audience">
            {i18n.t('audiences.rename')}
          </button>
        </form>
        <div class="aud-actions mt10">
          <button
            type="button"
            disabled={busy}
            data-action="duplicate-audience"
            onClick={() =>
              void run(() =>
                call('duplicateAudience', {
                  audienceId: a.id,
                  name: i18n.t('audiences.copyName', [a.name]).slice(0, 60),
                }),
              ).then((copy) => copy && (location.hash = `#/audiences?id=${copy.id}`))
            }
          >
            {i18n.t('audiences.duplicate')}
          </button>
          <button type="button" data-action="export-audience" onClick={() => void exportIds('csv')}>
            {i18n.t('audiences.export')}
          </button>
          <button type="button" data-action="export-audience-xlsx" onClick={() => void exportIds('xlsx')}>
            {i18n.t('audiences.exportXlsx')}
          </button>
          <button
            type="button"
            class="danger"
            disabled={busy}
            data-action="delete-audience"
            onClick={() => setAsking(true)}
          >
            {i18n.t('audiences.delete')}
          </button>
        </div>
        {asking ? (
          <ConfirmDialog
            title={i18n.t('audiences.deleteTitle')}
            dismissLabel={i18n.t('profiles.cancel')}
            onDismiss={() => setAsking(false)}
            choices={[
              {
                label: i18n.t('audiences.delete'),
                action: 'confirm',
                tone: 'danger',
                onChoose: () => {
                  setAsking(false);
                  void run(() => call('deleteAudience', { audienceId: a.id })).then(
                    (r) => r && (location.hash = '#/audiences'),
                  );
                },
              },
            ]}
          >
            <p>{i18n.t('audiences.deleteBody', [a.name, fmt(a.count), String(a.snapshots.length)])}</p>
          </ConfirmDialog>
        ) : null}
        {error ? <ErrorNotice error={error} /> : null}
        {note ? <p role="status">{note}</p> : null}
      </section>

      <section class="card mt10" aria-labelledby="aud-recheck">
        <h2 id="aud-recheck">{i18n.t('audiences.recheck')}</h2>
        <p class="muted">{i18n.t('audiences.recheckHelp')}</p>
        <button
          type="button"
          class="primary"
          disabled={
            busy || Boolean(running) || (audienceProfile(a, status)?.channelIds ?? status.channelIds).length === 0
          }
          data-action="recheck-audience"
          onClick={() => void run(() => call('recheckAudience', { audienceId: a.id }))}
        >
          {running ? i18n.t('audiences.recheckRunning') : i18n.t('audiences.recheck')}
        </button>
        {job && job.status !== 'done' ? <JobProgress job={job} /> : null}
        {a.missedRun ? (
          <p class="notice warn" data-testid="audience-missed-run" data-error-code={String(a.missedRun.error.code)}>
            {i18n.t('audienceOrigin.missedRun', [when(a.missedRun.at)])}{' '}
            {explanationText(a.missedRun.error.explanation)}
          </p>
        ) : null}
        <ScheduleForm audience={a} onSaved={() => setNote(i18n.t('audiences.scheduleSaved'))} onError={setError} />
      </section>

      <section class="card mt10" aria-labelledby="aud-snapshots">
        <h2 id="aud-snapshots">{i18n.t('audiences.snapshotsTitle')}</h2>
        {a.snapshots.length === 0 ? (
          <p class="muted">{i18n.t('audiences.noSnapshots')}</p>
        ) : (
          <ol class="aud-list" data-testid="audience-snapshots" data-count={a.snapshots.length}>
            {a.snapshots.map((s) => (
              <li
                key={s.id}
                data-snapshot-id={s.id}
                data-relation-bytes={s.relationBytes}
                data-list-bytes={s.listBytes}
              >
                {i18n.t('audiences.snapshotRow', [
                  when(s.takenAt, { timeStyle: 'medium' }),
                  fmt(s.count),
                  s.trigger === 'schedule' ? i18n.t('audiences.scheduled') : i18n.t('audiences.manual'),
                ])}
              </li>
            ))}
          </ol>
        )}
      </section>

      <TrendView audience={a} names={status.channelNames ?? {}} />

      {a.snapshots.length === 1 ? <p class="muted mt10">{i18n.t('audiences.oneSnapshot')}</p> : null}
      {a.snapshots.length >= 2 ? <ChangesView audience={a} names={status.channelNames ?? {}} /> : null}
      <SnapshotToFile audience={a} status={status} />
    </div>
  );
}

function ScheduleForm({
  audience: a,
  onSaved,
  onError,
}: {
  audience: AudienceMeta;
  onSaved: () => void;
  onError: (e: KakaoErrorInfo | null) => void;
}) {
  const current = a.schedule;
  const [every, setEvery] = useState<Schedule['every']>(current.every);
  const [time, setTime] = useState(current.every === 'off' ? '09:00' : current.time);
  const [weekday, setWeekday] = useState(current.every === 'weekly' ? current.weekday : 1);
  const timeZone = current.every === 'off' ? localTimeZone() : current.timeZone;
  const [busy, setBusy] = useState(false);

  async function save(e: Event) {
    e.preventDefault();
    const schedule: Schedule =
      every === 'off' ? { every } : every === 'daily' ? { every, time, timeZone } : { every, time, timeZone, weekday };
    setBusy(true);
    const r = await call('setAudienceSchedule', { audienceId: a.id, schedule });
    setBusy(false);
    onError(r.ok ? null : r.error);
    if (r.ok) onSaved();
  }

  return (
    <form class="aud-form mt10" onSubmit={(e) => void save(e)} aria-label={i18n.t('audiences.scheduleTitle')}>
      <h3 class="w100">{i18n.t('audiences.scheduleTitle')}</h3>
      <label>
        {i18n.t('audiences.every')}
        <select
          name="scheduleEvery"
          value={every}
          onChange={(e) => setEvery(e.currentTarget.value as Schedule['every'])}
        >
          <option value="off">{i18n.t('audiences.off')}</option>
          <option value="daily">{i18n.t('audiences.daily')}</option>
          <option value="weekly">{i18n.t('audiences.weekly')}</option>
        </select>
      </label>
      {every === 'weekly' ? (
        <label>
          {i18n.t('audiences.weekday')}
          <select name="scheduleWeekday" value={weekday} onChange={(e) => setWeekday(Number(e.currentTarget.value))}>
            {WEEKDAYS.map((d) => (
              <option key={d} value={d}>
                {weekdayName(d)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {every !== 'off' ? (
        <label>
          {i18n.t('audiences.time')}
          <input
            type="time"
            name="scheduleTime"
            value={time}
            required
            onInput={(e) => setTime(e.currentTarget.value)}
          />
        </label>
      ) : null}
      <button type="submit" disabled={busy} data-action="save-schedule">
        {i18n.t('audiences.saveSchedule')}
      </button>
      <p class="muted w100" data-testid="audience-next-run" data-next-run={a.nextDueAt ?? ''}>
        {a.nextDueAt ? i18n.t('audiences.nextRun', [when(a.nextDueAt)]) : i18n.t('audiences.notScheduled')}
        {every !== 'off' ? ` · ${i18n.t('audiences.timeZone', [timeZone])}` : null}
        {' · '}
        {i18n.t('audiences.missedNote')}
      </p>
    </form>
  );
}
