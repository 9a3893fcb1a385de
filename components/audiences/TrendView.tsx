import type { ComponentType } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { AudienceMeta } from '@/lib/audiences/model';
import { channelLabel } from '../channel-label';
import { fmt } from '../workspace/format';
import { when } from './data';
import { channelTrends, TREND_RELATIONS, type ChannelTrend, type TrendPoint, type TrendRelation } from './trend-data';

type Chart = ComponentType<{ points: TrendPoint[]; labels: Record<TrendRelation, string> }>;

/** The chart module (uPlot and its CSS), loaded the first time a trend is drawn, not with the workspace. */
let chartModule: Promise<Chart> | null = null;
const loadChart = () => (chartModule ??= import('./TrendChart').then((m) => m.TrendChart));

/**
 * Trend (추이): per channel, the ADDED / BLOCKED / NONE counts of each snapshot, oldest to newest, as a line chart and
 * as a table (always in the accessibility tree; shown on request). Public contract: `data-trend` with
 * `data-channel-id`, the table rows' `data-snapshot-id`.
 */
export function TrendView({ audience: a, names }: { audience: AudienceMeta; names: Record<string, string> }) {
  const trends = useMemo(() => channelTrends(a), [a.snapshots]);
  const drawable = a.snapshots.length >= 2;
  const [Chart, setChart] = useState<Chart | null>(null);
  const [failed, setFailed] = useState(false);
  const labels = useMemo(
    () => Object.fromEntries(TREND_RELATIONS.map((r) => [r, i18n.t(`relation.${r}`)])) as Record<TrendRelation, string>,
    [],
  );

  useEffect(() => {
    if (!drawable || Chart) return;
    let live = true;
    loadChart().then(
      (c) => live && setChart(() => c),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [drawable]);

  return (
    <section class="card mt10" aria-labelledby="aud-trend" data-testid="audience-trend">
      <h2 id="aud-trend">{i18n.t('trend.title')}</h2>
      {!drawable ? (
        <p class="muted" data-testid="trend-empty">
          {i18n.t('trend.needTwo')}
        </p>
      ) : (
        <>
          <p class="muted">{i18n.t('trend.help')}</p>
          {trends.map((t) => (
            <ChannelTrendView
              key={t.channelId}
              trend={t}
              label={channelLabel(t.channelId, names)}
              labels={labels}
              Chart={Chart}
              failed={failed}
            />
          ))}
        </>
      )}
    </section>
  );
}

function ChannelTrendView({
  trend: t,
  label,
  labels,
  Chart,
  failed,
}: {
  trend: ChannelTrend;
  label: string;
  labels: Record<TrendRelation, string>;
  Chart: Chart | null;
  failed: boolean;
}) {
  const [showTable, setShowTable] = useState(false);
  const tableId = `trend-table-${t.channelId}`;
  return (
    <div class="aud-trend" data-trend data-channel-id={t.channelId}>
      <h3>{i18n.t('trend.channel', [label])}</h3>
      {t.points.length < 2 ? (
        <p class="muted">{i18n.t('trend.needTwo')}</p>
      ) : (
        <>
          <ul class="aud-trend-legend" aria-hidden="true">
            {TREND_RELATIONS.map((r) => (
              <li key={r} data-relation={r}>
                <span class="aud-trend-swatch" />
                {labels[r]}
              </li>
            ))}
          </ul>
          <div role="img" aria-label={i18n.t('trend.chartLabel', [label])} aria-describedby={tableId}>
            {Chart ? (
              <Chart points={t.points} labels={labels} />
            ) : (
              <p class="muted">{failed ? i18n.t('trend.loadFailed') : i18n.t('trend.loading')}</p>
            )}
          </div>
        </>
      )}
      <button
        type="button"
        class="mt10"
        data-action="toggle-trend-table"
        aria-expanded={showTable}
        aria-controls={tableId}
        onClick={() => setShowTable(!showTable)}
      >
        {showTable ? i18n.t('trend.hideTable') : i18n.t('trend.showTable')}
      </button>
      <div class={showTable ? 'table-scroll mt10' : 'sr-only'}>
        <table id={tableId} class="data" data-testid="trend-table">
          <caption>{i18n.t('trend.caption', [label])}</caption>
          <thead>
            <tr>
              <th scope="col">{i18n.t('trend.snapshot')}</th>
              {TREND_RELATIONS.map((r) => (
                <th key={r} scope="col">
                  {labels[r]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {t.points.map((p) => (
              <tr key={p.snapshotId} data-snapshot-id={p.snapshotId}>
                <th scope="row">{when(p.takenAt, { timeStyle: 'medium' })}</th>
                {TREND_RELATIONS.map((r) => (
                  <td key={r} data-relation={r} data-count={p.counts[r]}>
                    {fmt(p.counts[r])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
