import type { AudienceMeta } from '@/lib/audiences/model';

/** The relations the trend draws, in the legend's order. */
export const TREND_RELATIONS = ['ADDED', 'BLOCKED', 'NONE'] as const;
export type TrendRelation = (typeof TREND_RELATIONS)[number];

export interface TrendPoint {
  snapshotId: string;
  takenAt: number;
  counts: Record<TrendRelation, number>;
}

export interface ChannelTrend {
  channelId: string;
  /** Oldest first: the snapshots that checked this channel. */
  points: TrendPoint[];
}

/** Per channel (the newest snapshot's channels first), each snapshot's ADDED / BLOCKED / NONE counts, oldest first. */
export function channelTrends(a: AudienceMeta): ChannelTrend[] {
  const oldestFirst = [...a.snapshots].sort((x, y) => x.takenAt - y.takenAt);
  const channels: string[] = [];
  for (const s of a.snapshots) for (const c of s.channelIds) if (!channels.includes(c)) channels.push(c);
  return channels.map((channelId) => ({
    channelId,
    points: oldestFirst
      .filter((s) => s.channelIds.includes(channelId))
      .map((s) => {
        const totals = s.totals[channelId] ?? {};
        return {
          snapshotId: s.id,
          takenAt: s.takenAt,
          counts: { ADDED: totals.ADDED ?? 0, BLOCKED: totals.BLOCKED ?? 0, NONE: totals.NONE ?? 0 },
        };
      }),
  }));
}
