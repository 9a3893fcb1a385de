import type { CheckRelation } from '../kakao/terms';
import type { CheckRow, JobBackend, JobMeta } from './model';

/*
 * Reach: who of a list a targeted message can reach (issue 12). A bulk check's
 * result rows are sorted into buckets — one relation in one channel ("friends of
 * _ZeUTxl", "blocked in _frxjem") — and a selection of buckets picks user IDs:
 * the rows in any included bucket (every row when none is included), less the
 * rows in any excluded bucket. The upload dry run narrows its rows to such a
 * selection (`narrowUsers`); a finished check hands one to a customer file.
 */

/** One relation in one channel: `channel` is an index into the check job's channelIds. */
export interface Bucket {
  channel: number;
  relation: CheckRelation;
}

export interface BucketSelection {
  include: readonly Bucket[];
  exclude: readonly Bucket[];
}

/** The page's words for the relations, as contract attribute values (`data-reach`). */
export const REACH_NAMES: Record<CheckRelation, 'friends' | 'blocked' | 'not-added' | 'unknown'> = {
  ADDED: 'friends',
  BLOCKED: 'blocked',
  NONE: 'not-added',
  UNKNOWN: 'unknown',
};

const inBucket = (row: CheckRow, b: Bucket) => (row[1 + b.channel * 2] ?? 'UNKNOWN') === b.relation;

/** Whether a check row is picked by a selection. */
export function rowSelected(row: CheckRow, selection: BucketSelection): boolean {
  if (selection.include.length > 0 && !selection.include.some((b) => inBucket(row, b))) return false;
  return !selection.exclude.some((b) => inBucket(row, b));
}

/** The user IDs a selection picks, in the check's order. */
export function selectIds(rows: Iterable<CheckRow>, selection: BucketSelection): string[] {
  const ids: string[] = [];
  for (const row of rows) if (rowSelected(row, selection)) ids.push(row[0]);
  return ids;
}

/** The dry run's users narrowed to `keep`, in their order (an upload of "only the friends"). */
export function narrowUsers<T extends { id: string }>(users: readonly T[], keep: ReadonlySet<string>): T[] {
  return users.filter((u) => keep.has(u.id));
}

/** Toggles one bucket in a selection's list (the bucket pickers' checkboxes). */
export function toggleBucket(list: readonly Bucket[], bucket: Bucket, on: boolean): Bucket[] {
  const rest = list.filter((b) => b.channel !== bucket.channel || b.relation !== bucket.relation);
  return on ? [...rest, bucket] : rest;
}

/**
 * The columns a check result carries into a customer file: the user ID, then per channel its relation
 * (ADDED, BLOCKED, NONE, UNKNOWN) and when it changed (left out without a `changedAt` label: a snapshot does not
 * know), then the extra columns whose cells follow the channels' cells in each row (an audience's import columns).
 * One header and one row of cells per check row.
 */
export function carriedTable(
  channelIds: readonly string[],
  rows: readonly CheckRow[],
  labels: { userId: string; relation: (channelId: string) => string; changedAt?: (channelId: string) => string },
  extraColumns: readonly string[] = [],
): { header: string[]; rows: string[][] } {
  const { changedAt } = labels;
  const header = [
    labels.userId,
    ...channelIds.flatMap((c) => (changedAt ? [labels.relation(c), changedAt(c)] : [labels.relation(c)])),
    ...extraColumns,
  ];
  const after = 1 + channelIds.length * 2;
  const cells = rows.map((row) => [
    row[0],
    ...channelIds.flatMap((_, i) =>
      changedAt ? [row[1 + i * 2] ?? 'UNKNOWN', row[2 + i * 2] ?? ''] : [row[1 + i * 2] ?? 'UNKNOWN'],
    ),
    ...extraColumns.map((_, k) => row[after + k] ?? ''),
  ]);
  return { header, rows: cells };
}

export interface PreviewWanted {
  channelIds: readonly string[];
  total: number;
  backend: JobBackend;
  profileId: string | undefined;
  now: number;
  /** How long a finished check's relations are reused (the `cacheTtlMinutes` setting). */
  ttlMs: number;
}

/**
 * Check jobs whose results a reach preview may reuse instead of asking Kakao again, newest first:
 * same channels (in order), same number of IDs, same backend and profile, and either still running or
 * paused (the preview joins it) or finished within the cache time. The caller then compares their IDs.
 */
export function reusableChecks(jobs: readonly JobMeta[], wanted: PreviewWanted): JobMeta[] {
  return jobs
    .filter(
      (j) =>
        j.kind === 'check' &&
        j.total === wanted.total &&
        j.backend === wanted.backend &&
        (j.profileId ?? 'default') === (wanted.profileId ?? 'default') &&
        j.channelIds.length === wanted.channelIds.length &&
        j.channelIds.every((c, i) => c === wanted.channelIds[i]) &&
        (j.status === 'running' ||
          j.status === 'paused' ||
          (j.status === 'done' && wanted.now - (j.finishedAt ?? j.updatedAt) < wanted.ttlMs)),
    )
    .sort((a, b) => b.createdAt - a.createdAt);
}
