import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { FileUser, UserType } from '@/lib/kakao/client';
import type { KakaoErrorInfo } from '@/lib/kakao/errors';
import { errorInfo } from '@/lib/kakao/errors';
import { CHECK_RELATIONS } from '@/lib/kakao/terms';
import type { JobMeta } from '@/lib/jobs/model';
import { jobReader } from '@/lib/jobs/reader';
import { narrowUsers, REACH_NAMES, reusableChecks } from '@/lib/jobs/reach';
import { ErrorNotice } from '../ErrorNotice';
import { RelationMark } from '../RelationMark';
import { channelLabel } from '../channel-label';
import { formatTime } from '../lang';
import { useStatus } from '../useStatus';
import { fmt, JobProgress } from './JobProgress';
import { filteredCheckRows } from './report';
import { submitJob } from './submit';
import { useJob } from './useJobs';

/** The upload narrowed to one channel's friends. */
export interface Narrowed {
  channelId: string;
  users: FileUser[];
}

/** Whether a stored check job asked about exactly `ids`, in this order (read batch by batch from the store). */
async function sameIds(job: JobMeta, ids: readonly string[]): Promise<boolean> {
  for (let b = 0; b < job.batches; b++) {
    const items = await jobReader.getItems<string>(job.id, b).catch(() => null);
    const start = b * job.batchSize;
    if (!items || items.length !== Math.min(job.batchSize, ids.length - start)) return false;
    for (let i = 0; i < items.length; i++) if (items[i] !== ids[start + i]) return false;
  }
  return true;
}

/**
 * The upload dry run's reach preview (issue 12): a bulk check of the dry run's users, run as an ordinary
 * background job (progress, pause, cancel; it goes on when the page closes, and a check of the same IDs that is
 * running or finished within the cache time is joined instead of asking Kakao again), then per channel how many
 * are friends, blocked, not added or unknown, and "upload only the friends of <channel>". Phone-number files
 * cannot be checked: they get the explanation instead.
 */
export function ReachPreview({
  users,
  userType,
  channelId,
  narrowed,
  onNarrow,
}: {
  users: readonly FileUser[];
  userType: UserType;
  channelId: string;
  narrowed: Narrowed | null;
  onNarrow: (next: Narrowed | null) => void;
}) {
  const { status } = useStatus();
  const [jobId, setJobId] = useState<string | null>(null);
  const [reused, setReused] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const job = useJob(jobId);

  if (userType === 'phone')
    return (
      <p class="notice" role="note" data-testid="reach-phone">
        {i18n.t('reach.phoneOnly')}
      </p>
    );
  if (!status) return null;
  // The file's channel first, then the manager's other channels.
  const channels = [channelId, ...status.channelIds.filter((c) => c !== channelId)];

  async function preview() {
    if (!status) return;
    setBusy(true);
    setError(null);
    try {
      const ids = users.map((u) => u.id);
      const candidates = reusableChecks(await jobReader.list(), {
        channelIds: channels,
        total: ids.length,
        backend: status.sandbox.active ? 'sandbox' : 'real',
        profileId: status.profiles?.activeId,
        now: Date.now(),
        ttlMs: status.settings.cacheTtlMinutes * 60_000,
      });
      for (const candidate of candidates)
        if (await sameIds(candidate, ids)) {
          setReused(true);
          setJobId(candidate.id);
          return;
        }
      const r = await submitJob({ kind: 'check', total: ids.length, channelIds: channels }, ids, []);
      if (r.ok) setJobId(r.value.id);
      else setError(r.error);
    } catch (err) {
      setError(errorInfo(err));
    } finally {
      setBusy(false);
    }
  }

  async function friendsOnly(index: number) {
    if (!job) return;
    setBusy(true);
    try {
      const rows = await filteredCheckRows(job, 'ADDED', index);
      onNarrow({ channelId: job.channelIds[index]!, users: narrowUsers(users, new Set(rows.map((r) => r[0]))) });
    } catch (err) {
      setError(errorInfo(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card reach" aria-labelledby="reach-title" data-testid="reach-preview" data-job-id={job?.id}>
      <h3 id="reach-title" class="m0">
        {i18n.t('reach.title')}
      </h3>
      <p class="muted">{i18n.t('reach.help')}</p>
      {job && job.status !== 'cancelled' ? null : (
        <button type="button" onClick={() => void preview()} disabled={busy} data-action="preview-reach">
          {busy ? i18n.t('reach.preparing') : i18n.t('reach.preview', [fmt(users.length)])}
        </button>
      )}
      {error ? <ErrorNotice error={error} /> : null}
      {job ? (
        <>
          {reused ? (
            <p class="muted" data-testid="reach-reused">
              {i18n.t('reach.reused', [formatTime(new Date(job.createdAt).toISOString())])}
            </p>
          ) : null}
          {job.status === 'done' ? null : <JobProgress job={job} />}
          <div class="summary-grid" role="list" aria-label={i18n.t('reach.countsLabel')} data-testid="reach-counts">
            {job.channelIds.map((c, index) => {
              const counts = job.relations[c] ?? { ADDED: 0, BLOCKED: 0, NONE: 0, UNKNOWN: 0 };
              return (
                <div
                  class="card summary-card"
                  role="listitem"
                  key={c}
                  data-reach-channel={c}
                  aria-current={narrowed?.channelId === c ? 'true' : undefined}
                >
                  <strong class="summary-channel">{channelLabel(c, status.channelNames)}</strong>
                  <ul class="counts">
                    {CHECK_RELATIONS.map((r) => (
                      <li key={r} data-reach={REACH_NAMES[r]} data-channel-id={c} data-count={counts[r]}>
                        <RelationMark relation={r} /> <span>{fmt(counts[r])}</span>
                      </li>
                    ))}
                  </ul>
                  <button
                    type="button"
                    class="mt10"
                    onClick={() => void friendsOnly(index)}
                    disabled={busy || job.status !== 'done' || counts.ADDED === 0}
                    data-action="upload-friends-only"
                    data-channel-id={c}
                  >
                    {i18n.t('reach.friendsOnly', [channelLabel(c, status.channelNames), fmt(counts.ADDED)])}
                  </button>
                </div>
              );
            })}
          </div>
          {job.status === 'cancelled' ? <p class="muted">{i18n.t('reach.cancelled')}</p> : null}
        </>
      ) : null}
      {narrowed ? (
        <p class="notice" role="status" data-testid="reach-narrowed" data-count={narrowed.users.length}>
          {i18n.t('reach.narrowed', [
            channelLabel(narrowed.channelId, status.channelNames),
            fmt(narrowed.users.length),
            fmt(users.length),
          ])}{' '}
          <button type="button" onClick={() => onNarrow(null)} data-action="upload-all-rows">
            {i18n.t('reach.allRows')}
          </button>
        </p>
      ) : null}
    </section>
  );
}
