import { relationCode, type SnapshotData } from './snapshot';

/*
 * Changes between two snapshots of an audience, per channel. Each ID in both snapshots falls in one bucket:
 *   added      NONE → ADDED              blocked    ADDED or NONE → BLOCKED
 *   unblocked  BLOCKED → ADDED or NONE   left       ADDED → NONE
 *   unchanged  the same relation         unknown    either side UNKNOWN (no answer, no consent), or the channel
 *                                                  was not checked in one of the two runs
 * IDs in only one snapshot (added to or removed from the audience between the runs) are in no bucket: they are
 * `joined` (only in the later one) and `removed` (only in the earlier one).
 */

export const BUCKETS = ['added', 'blocked', 'unblocked', 'left', 'unchanged', 'unknown'] as const;
export type Bucket = (typeof BUCKETS)[number];

// Relation codes (snapshot.ts): 0 UNKNOWN, 1 ADDED, 2 BLOCKED, 3 NONE. BUCKET_OF[from * 4 + to] = bucket index.
const B = Object.fromEntries(BUCKETS.map((b, i) => [b, i])) as Record<Bucket, number>;
const BUCKET_OF = new Uint8Array(16);
for (let from = 0; from < 4; from++)
  for (let to = 0; to < 4; to++) {
    let bucket: Bucket;
    if (from === 0 || to === 0) bucket = 'unknown';
    else if (from === to) bucket = 'unchanged';
    else if (to === 2) bucket = 'blocked';
    else if (from === 2) bucket = 'unblocked';
    else if (to === 1) bucket = 'added';
    else bucket = 'left';
    BUCKET_OF[from * 4 + to] = B[bucket];
  }

interface ChannelDiff {
  channelId: string;
  counts: Record<Bucket, number>;
  /** Per bucket, the IDs' indexes in the later snapshot's ID list, in its order. */
  indexes: Record<Bucket, Uint32Array>;
}

export interface SnapshotDiff {
  channels: ChannelDiff[];
  /** Indexes (in the later snapshot) of IDs the earlier one did not have. */
  joined: Uint32Array;
  /** Indexes (in the earlier snapshot) of IDs the later one does not have. */
  removed: Uint32Array;
}

/** `sameList`: both snapshots are aligned to the same ID list (skips matching IDs). */
export function diffSnapshots(from: SnapshotData, to: SnapshotData, sameList = false): SnapshotDiff {
  const n = to.ids.length;
  // For each ID of `to`, its index in `from` (-1: not there).
  const fromIndex = new Int32Array(n);
  let removed: Uint32Array;
  if (sameList && from.ids.length === n) {
    for (let i = 0; i < n; i++) fromIndex[i] = i;
    removed = new Uint32Array(0);
  } else {
    const where = new Map<string, number>();
    for (let i = 0; i < from.ids.length; i++) where.set(from.ids[i]!, i);
    const seen = new Uint8Array(from.ids.length);
    for (let i = 0; i < n; i++) {
      const j = where.get(to.ids[i]!);
      fromIndex[i] = j ?? -1;
      if (j !== undefined) seen[j] = 1;
    }
    const gone: number[] = [];
    for (let j = 0; j < seen.length; j++) if (!seen[j]) gone.push(j);
    removed = Uint32Array.from(gone);
  }
  const joinedList: number[] = [];
  for (let i = 0; i < n; i++) if (fromIndex[i] === -1) joinedList.push(i);

  const channelIds = [...to.channelIds, ...from.channelIds.filter((c) => !to.channelIds.includes(c))];
  const channels = channelIds.map((channelId): ChannelDiff => {
    const a = from.relations[from.channelIds.indexOf(channelId)];
    const b = to.relations[to.channelIds.indexOf(channelId)];
    const bucketOf = new Uint8Array(n);
    const counts = new Uint32Array(BUCKETS.length);
    for (let i = 0; i < n; i++) {
      const j = fromIndex[i]!;
      if (j < 0) {
        bucketOf[i] = 255;
        continue;
      }
      const bucket = a && b ? BUCKET_OF[relationCode(a, j) * 4 + relationCode(b, i)]! : B.unknown;
      bucketOf[i] = bucket;
      counts[bucket]!++;
    }
    const indexes = BUCKETS.map((_, k) => new Uint32Array(counts[k]!));
    const fill = new Uint32Array(BUCKETS.length);
    for (let i = 0; i < n; i++) {
      const k = bucketOf[i]!;
      if (k !== 255) indexes[k]![fill[k]!++] = i;
    }
    return {
      channelId,
      counts: Object.fromEntries(BUCKETS.map((bucket, k) => [bucket, counts[k]!])) as Record<Bucket, number>,
      indexes: Object.fromEntries(BUCKETS.map((bucket, k) => [bucket, indexes[k]!])) as Record<Bucket, Uint32Array>,
    };
  });
  return { channels, joined: Uint32Array.from(joinedList), removed };
}
