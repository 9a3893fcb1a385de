import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { BUCKETS, diffSnapshots, type Bucket, type SnapshotDiff } from '@/lib/audiences/diff';
import type { AudienceMeta, SnapshotMeta } from '@/lib/audiences/model';
import { relationAt, type SnapshotData } from '@/lib/audiences/snapshot';
import { asText } from '@/lib/csv/export';
import { errorInfo, type KakaoErrorInfo } from '@/lib/kakao/errors';
import { channelLabel } from '../channel-label';
import { saveBlob, stamp } from '../download';
import { ErrorNotice } from '../ErrorNotice';
import { fmt } from '../workspace/format';
import { Pager } from '../workspace/Pager';
import { tableBlob, type TableFormat } from '../workspace/table-export';
import { audienceStore, fileTag, when } from './data';

const PAGE = 100;

async function load(a: AudienceMeta, s: SnapshotMeta): Promise<SnapshotData> {
  const [ids, relations] = await Promise.all([
    audienceStore.getList(s.listKey),
    audienceStore.getRelations(a.id, s.id),
  ]);
  return { ids, channelIds: s.channelIds, relations };
}

interface Compared {
  from: SnapshotData;
  to: SnapshotData;
  diff: SnapshotDiff;
  ms: number;
}

/**
 * Changes between two snapshots (the newest two unless chosen): per channel the count of each bucket (public
 * contract: `data-bucket`, `data-channel-id`, `data-count`), then a bucket's IDs, paged, and its export.
 */
export function ChangesView({ audience: a, names }: { audience: AudienceMeta; names: Record<string, string> }) {
  const [fromId, setFromId] = useState(a.snapshots[1]!.id);
  const [toId, setToId] = useState(a.snapshots[0]!.id);
  const [compared, setCompared] = useState<Compared | null>(null);
  const [error, setError] = useState<KakaoErrorInfo | null>(null);
  const [open, setOpen] = useState<{ channelId: string; bucket: Bucket } | null>(null);
  const [page, setPage] = useState(0);
  const newest = a.snapshots[0]!.id;

  // A new snapshot arrived: compare the newest two again.
  useEffect(() => {
    setFromId(a.snapshots[1]!.id);
    setToId(newest);
  }, [newest]);

  useEffect(() => {
    let live = true;
    const from = a.snapshots.find((s) => s.id === fromId);
    const to = a.snapshots.find((s) => s.id === toId);
    if (!from || !to) return;
    setCompared(null);
    setError(null);
    void Promise.all([load(a, from), load(a, to)])
      .then(([f, t]) => {
        const started = performance.now();
        const diff = diffSnapshots(f, t, from.listKey === to.listKey);
        const ms = performance.now() - started;
        performance.measure('cd:audience-diff', { start: started });
        if (live) setCompared({ from: f, to: t, diff, ms });
      })
      .catch((err: unknown) => live && setError(errorInfo(err)));
    return () => void (live = false);
  }, [fromId, toId, a.id]);

  useEffect(() => setPage(0), [open, compared]);

  const label = (s: SnapshotMeta) => when(s.takenAt, { timeStyle: 'medium' });
  const channel = open && compared?.diff.channels.find((c) => c.channelId === open.channelId);
  const indexes = channel ? channel.indexes[open.bucket] : new Uint32Array(0);
  const pages = Math.max(1, Math.ceil(indexes.length / PAGE));

  async function exportBucket(format: TableFormat) {
    if (!compared || !open || !channel) return;
    try {
      const { from, to } = compared;
      const fi = from.channelIds.indexOf(open.channelId);
      const ti = to.channelIds.indexOf(open.channelId);
      const where = new Map<string, number>();
      if (fi >= 0) from.ids.forEach((id, i) => where.set(id, i));
      const word = (rel: string | undefined) => (rel ? i18n.t(`relation.${rel as 'ADDED'}`) : '');
      const rows = [...indexes].map((i) => {
        const id = to.ids[i]!;
        const j = where.get(id);
        const before = fi >= 0 && j !== undefined ? relationAt(from.relations[fi]!, j) : undefined;
        const after = ti >= 0 ? relationAt(to.relations[ti]!, i) : undefined;
        return [asText(id), word(before), before ?? '', word(after), after ?? ''];
      });
      const header = [
        i18n.t('workspace.report.userId'),
        i18n.t('audiences.before'),
        `${i18n.t('audiences.before')} relation_code`,
        i18n.t('audiences.after'),
        `${i18n.t('audiences.after')} relation_code`,
      ];
      saveBlob(
        await tableBlob(format, header, rows, open.bucket),
        `channel-desk-audience-${fileTag(a.name)}-${open.bucket}-${open.channelId}-${stamp()}.${format}`,
      );
    } catch (err) {
      setError(errorInfo(err));
    }
  }

  return (
    <section class="card mt10" aria-labelledby="aud-changes" data-testid="audience-changes">
      <h2 id="aud-changes">{i18n.t('audiences.changesTitle')}</h2>
      <div class="aud-form">
        <label>
          {i18n.t('audiences.from')}
          <select name="fromSnapshot" value={fromId} onChange={(e) => setFromId(e.currentTarget.value)}>
            {a.snapshots.map((s) => (
              <option key={s.id} value={s.id}>
                {label(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {i18n.t('audiences.to')}
          <select name="toSnapshot" value={toId} onChange={(e) => setToId(e.currentTarget.value)}>
            {a.snapshots.map((s) => (
              <option key={s.id} value={s.id}>
                {label(s)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error ? <ErrorNotice error={error} /> : null}
      {!compared ? (
        <p class="muted">{i18n.t('audiences.comparing')}</p>
      ) : (
        <div data-testid="audience-diff" data-from={fromId} data-to={toId} data-ms={compared.ms.toFixed(1)}>
          {compared.diff.channels.map((c) => (
            <div key={c.channelId}>
              <h3>{i18n.t('audiences.bucketsLabel', [channelLabel(c.channelId, names)])}</h3>
              <div class="aud-buckets" role="group" aria-label={i18n.t('audiences.bucketsLabel', [c.channelId])}>
                {BUCKETS.map((b) => (
                  <button
                    type="button"
                    key={b}
                    data-action="show-bucket"
                    data-bucket={b}
                    data-channel-id={c.channelId}
                    data-count={c.counts[b]}
                    aria-pressed={open?.channelId === c.channelId && open.bucket === b}
                    onClick={() => setOpen({ channelId: c.channelId, bucket: b })}
                  >
                    <span class="aud-count">{fmt(c.counts[b])}</span>
                    <span>{i18n.t(`audiences.bucket.${b}`)}</span>
                  </button>
                ))}
              </div>
            </div>
          ))}
          {compared.diff.joined.length > 0 ? (
            <p data-membership="joined" data-count={compared.diff.joined.length}>
              {i18n.t('audiences.joined', [fmt(compared.diff.joined.length)])}
            </p>
          ) : null}
          {compared.diff.removed.length > 0 ? (
            <p data-membership="removed" data-count={compared.diff.removed.length}>
              {i18n.t('audiences.removed', [fmt(compared.diff.removed.length)])}
            </p>
          ) : null}
          {open && channel ? (
            <div data-testid="bucket-ids" data-bucket={open.bucket} data-channel-id={open.channelId}>
              <h3>
                {i18n.t('audiences.bucketIds', [
                  i18n.t(`audiences.bucket.${open.bucket}`),
                  channelLabel(open.channelId, names),
                  fmt(indexes.length),
                ])}
              </h3>
              <div class="aud-actions">
                <button type="button" data-action="export-bucket" onClick={() => void exportBucket('csv')}>
                  {i18n.t('audiences.exportBucket')}
                </button>
                <button type="button" data-action="export-bucket-xlsx" onClick={() => void exportBucket('xlsx')}>
                  {i18n.t('audiences.exportBucketXlsx')}
                </button>
              </div>
              {indexes.length === 0 ? (
                <p class="muted">{i18n.t('audiences.noIds')}</p>
              ) : (
                <>
                  <ul class="aud-ids">
                    {[...indexes.subarray(page * PAGE, (page + 1) * PAGE)].map((i) => (
                      <li key={i} data-user-id={compared.to.ids[i]}>
                        {compared.to.ids[i]}
                      </li>
                    ))}
                  </ul>
                  {pages > 1 ? <Pager page={page} pages={pages} setPage={setPage} ends /> : null}
                </>
              )}
            </div>
          ) : null}
        </div>
      )}
    </section>
  );
}
