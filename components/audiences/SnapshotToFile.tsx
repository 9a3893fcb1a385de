import { lazy, Suspense } from 'preact/compat';
import { useMemo, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { AudienceMeta, SnapshotMeta } from '@/lib/audiences/model';
import { snapshotRows } from '@/lib/audiences/snapshot';
import type { Status } from '@/lib/messages/protocol';
import type { RowSource } from '../workspace/row-source';
import { fmt } from '../workspace/format';
import { audienceStore, when } from './data';

const CheckToFile = lazy(() => import('../workspace/CheckToFile'));

/**
 * A snapshot's users as CheckToFile's rows, decoded from the audience store (so it works after the re-check job
 * left the job history): the audience's IDs, the snapshot's relations, and the audience's extra columns when the
 * snapshot was taken of the audience's current ID list (the extra cells are aligned to that list).
 */
function snapshotSource(a: AudienceMeta, s: SnapshotMeta): RowSource {
  const extraKey = s.listKey === a.listKey ? a.extraKey : undefined;
  const columns = extraKey ? a.columns : [];
  return {
    key: `${a.id}|${s.id}|${extraKey ?? ''}`,
    channelIds: s.channelIds,
    changedAt: false,
    extraColumns: columns,
    load: async () => {
      const [ids, relations, extra] = await Promise.all([
        audienceStore.getList(s.listKey),
        audienceStore.getRelations(a.id, s.id),
        extraKey ? audienceStore.getExtra(extraKey) : undefined,
      ]);
      return snapshotRows({ ids, channelIds: s.channelIds, relations }, extra, columns.length);
    },
  };
}

/** From an audience's snapshot (the newest unless chosen) to a customer file (issue 12), without a CSV. */
export function SnapshotToFile({ audience: a, status }: { audience: AudienceMeta; status: Status }) {
  const [snapshotId, setSnapshotId] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const snapshot = a.snapshots.find((s) => s.id === snapshotId) ?? a.snapshots[0];
  const source = useMemo(() => snapshot && snapshotSource(a, snapshot), [a.id, a.listKey, a.extraKey, snapshot?.id]);
  if (!snapshot || !source) return null;
  const columnsLeftOut = a.columns.length > 0 && source.extraColumns.length === 0;
  // An audience of another profile than the active one (and still there) goes to that profile's files, with its key.
  const profileId =
    a.profileId &&
    a.profileId !== status.profiles?.activeId &&
    status.profiles?.profiles.some((p) => p.id === a.profileId)
      ? a.profileId
      : undefined;

  return (
    <section class="card mt10" aria-labelledby="aud-to-file" data-testid="snapshot-to-file">
      <h2 id="aud-to-file">{i18n.t('snapfile.title')}</h2>
      <p class="muted">{i18n.t('snapfile.help')}</p>
      <div class="row center wrap">
        <label class="m0">
          {i18n.t('snapfile.snapshot')}{' '}
          <select
            name="snapshotId"
            class="w-auto"
            value={snapshot.id}
            onChange={(e) => setSnapshotId(e.currentTarget.value)}
          >
            {a.snapshots.map((s, i) => (
              <option key={s.id} value={s.id}>
                {i18n.t(i === 0 ? 'snapfile.newest' : 'snapfile.older', [
                  when(s.takenAt, { timeStyle: 'medium' }),
                  fmt(s.count),
                ])}
              </option>
            ))}
          </select>
        </label>
        {open ? null : (
          <button type="button" onClick={() => setOpen(true)} data-action="to-customer-file">
            ▤ {i18n.t('snapfile.open')}
          </button>
        )}
      </div>
      {columnsLeftOut ? (
        <p class="muted" role="note">
          {i18n.t('snapfile.columnsLeftOut')}
        </p>
      ) : null}
      {open ? (
        <Suspense fallback={<p class="muted">{i18n.t('common.loading')}</p>}>
          <CheckToFile
            key={source.key}
            source={source}
            channelIds={profileId ? snapshot.channelIds : status.channelIds}
            names={status.channelNames}
            profileId={profileId}
            onClose={() => setOpen(false)}
          />
        </Suspense>
      ) : null}
    </section>
  );
}
