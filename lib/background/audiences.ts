import { AppError } from '../app-error';
import { MAX_AUDIENCES, SNAPSHOTS_KEPT, AudienceMeta, type Schedule, type SnapshotMeta } from '../audiences/model';
import { isDue, isTimeZone, nextRunAfter } from '../audiences/schedule';
import { newRelations, relationTotals, setRelation, unpackIds } from '../audiences/snapshot';
import { createAudienceStore, listKeyOf, type AudienceStore } from '../audiences/store';
import type { CheckRow, JobMeta } from '../jobs/model';
import type { JobRunner } from '../jobs/runner';
import type { JobStore } from '../jobs/store';
import { errorInfo } from '../kakao/errors';
import { USER_ID_PATTERN } from '../kakao/id-format';
import { isCheckRelation } from '../kakao/terms';
import { audienceCommands } from '../messages/commands/audiences';
import { audiencesItem } from '../storage/audiences';
import type { BackgroundFeature } from './feature';

/*
 * Audiences (대상 목록) in the background: creating them from a stored ID list or a finished bulk check, rename,
 * duplicate, delete, and re-checks. A re-check is an ordinary bulk-check job (lib/jobs: batched 200 IDs a call,
 * resumable, in the job history and the API log) that carries the audience's id; when it is done, its results
 * become the audience's next snapshot (the newest SNAPSHOTS_KEPT are kept).
 *
 * Schedules: one `alarms` alarm at the earliest planned run of any audience. When it fires, and at every worker
 * start, every audience whose planned time has passed is re-checked once (a run missed while the browser was
 * closed runs then), and its next time is planned from now. The same sweep turns a re-check that finished while
 * the worker was stopping into its snapshot.
 */

const AUDIENCE_ALARM = 'channel-desk-audiences';

type Alarms = Pick<typeof browser.alarms, 'create' | 'clear'>;

export interface AudiencesDeps {
  runner: JobRunner;
  jobStore: JobStore;
  store?: AudienceStore;
  /**
   * The channels a re-check asks about: the named profile's, or the active one's when it is not named or no longer
   * exists (the demo ones in the sandbox). Answers the profile it used.
   */
  channels: (profileId?: string) => Promise<{ profileId?: string; channelIds: string[] }>;
  /** The active profile, recorded on a new audience. */
  activeProfile?: () => Promise<string>;
  now?: () => number;
  alarms?: Alarms;
}

const idOf = (raw: unknown) =>
  raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string'
    ? (raw as { id: string }).id
    : undefined;

const newId = (now: number) => `aud-${now.toString(36)}-${Math.random().toString(36).slice(2, 8).padEnd(4, '0')}`;

export function createAudiencesFeature(deps: AudiencesDeps): BackgroundFeature<typeof audienceCommands> & {
  onJobDone(job: JobMeta): void;
  catchUp(): Promise<void>;
  /** A new audience of IDs the background itself holds (checked again here); for the popup's page audience. */
  createFromIds(name: string, ids: readonly string[], source: string): Promise<AudienceMeta>;
} {
  const store = deps.store ?? createAudienceStore();
  const now = deps.now ?? Date.now;
  const alarms = (): Alarms | undefined => deps.alarms ?? (typeof browser !== 'undefined' ? browser.alarms : undefined);

  // One writer chain for the audience list: read-modify-write must not interleave.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };

  const list = () => audiencesItem.getValue();

  async function mustGet(id: string): Promise<AudienceMeta> {
    const a = (await list()).find((x) => x.id === id);
    if (!a) throw new AppError('unknown_audience', `unknown audience ${id}`);
    return a;
  }

  /** Changes one stored audience (or removes it: `fn` returns null); other records stay exactly as stored. */
  function update(id: string, fn: (a: AudienceMeta) => AudienceMeta | null): Promise<AudienceMeta | null> {
    return serial(async () => {
      const raw = await audiencesItem.getRaw();
      const i = raw.findIndex((r) => idOf(r) === id);
      const parsed = i >= 0 ? AudienceMeta.safeParse(raw[i]) : undefined;
      if (!parsed?.success) throw new AppError('unknown_audience', `unknown audience ${id}`);
      const next = fn(parsed.data);
      const entries = raw.map((r) => ({ raw: r }) as { raw: unknown } | { value: AudienceMeta });
      if (next) entries[i] = { value: { ...next, updatedAt: now() } };
      else entries.splice(i, 1);
      await audiencesItem.setRaw(entries);
      return next;
    });
  }

  function add(meta: AudienceMeta): Promise<AudienceMeta> {
    return serial(async () => {
      const raw = await audiencesItem.getRaw();
      if (raw.length >= MAX_AUDIENCES) throw new AppError('too_many_audiences', 'too many audiences');
      await audiencesItem.setRaw([{ value: meta }, ...raw.map((r) => ({ raw: r }))]);
      return meta;
    });
  }

  async function fresh(
    fields: Pick<AudienceMeta, 'name' | 'count' | 'source' | 'listKey' | 'columns' | 'extraKey'>,
    profileId?: string,
  ) {
    const t = now();
    const profile = profileId ?? (await deps.activeProfile?.());
    return AudienceMeta.parse({ id: newId(t), createdAt: t, updatedAt: t, ...fields, profileId: profile });
  }

  /** Checks a list a page stored: present, its content key right, every ID an app user ID, no duplicates. */
  async function checkedList(listKey: string, count: number): Promise<string[]> {
    const rec = await store.listRecord(listKey);
    const bad = (why: string) => new AppError('audience_list_invalid', why);
    if (!rec) throw bad('the ID list is not stored');
    if ((await listKeyOf(rec.bytes)) !== listKey) throw bad('the ID list does not match its key');
    const ids = unpackIds(rec.bytes);
    if (ids.length !== count) throw bad(`the ID list holds ${ids.length} IDs, ${count} expected`);
    const at = ids.findIndex((id) => !USER_ID_PATTERN.test(id));
    if (at >= 0) throw bad(`ID ${at + 1} is not a user ID`);
    if (new Set(ids).size !== ids.length) throw bad('the ID list has duplicates');
    return ids;
  }

  async function planAlarm() {
    const due = (await list()).map((a) => a.nextDueAt).filter((t): t is number => t !== undefined);
    const a = alarms();
    if (!a) return;
    if (due.length === 0) await a.clear(AUDIENCE_ALARM);
    else await a.create(AUDIENCE_ALARM, { when: Math.max(Math.min(...due), now() + 1000) });
  }

  async function recheck(audienceId: string, trigger: 'manual' | 'schedule'): Promise<JobMeta> {
    const a = await mustGet(audienceId);
    if (a.lastJobId) {
      const last = await deps.jobStore.getJob(a.lastJobId);
      if (last && (last.status === 'running' || last.status === 'paused' || last.status === 'draft'))
        throw new AppError('audience_busy', `re-check ${last.id} is ${last.status}`);
    }
    const { profileId, channelIds } = await deps.channels(a.profileId);
    if (channelIds.length === 0) throw new AppError('audience_no_channels', 'no channels configured');
    const ids = await store.getList(a.listKey);
    const job = await deps.runner.create(
      { kind: 'check', total: ids.length, channelIds },
      { audienceId, ...(profileId ? { profileId } : {}) },
    );
    await deps.jobStore.putInput(job.id, job.batchSize, ids, []);
    await update(audienceId, (x) => ({
      ...x,
      lastJobId: job.id,
      lastJobListKey: a.listKey,
      lastTrigger: trigger,
      missedRun: undefined,
    }));
    return deps.runner.startInBackground(job.id);
  }

  /** A finished re-check's results as the audience's next snapshot (once per job). */
  async function takeSnapshot(job: JobMeta): Promise<void> {
    if (!job.audienceId || job.kind !== 'check' || job.status !== 'done') return;
    const a = (await list()).find((x) => x.id === job.audienceId);
    if (!a || a.lastJobId !== job.id || a.snapshots.some((s) => s.id === job.id)) return;
    const listKey = a.lastJobListKey ?? a.listKey;
    const rec = await store.listRecord(listKey);
    if (!rec) throw new Error(`the ID list of re-check ${job.id} is missing`);
    const ids = unpackIds(rec.bytes);
    if (ids.length !== job.total)
      throw new Error(`re-check ${job.id} checked ${job.total} IDs, the list has ${ids.length}`);
    const relations = job.channelIds.map(() => newRelations(ids.length));
    const results = await deps.jobStore.results(job.id);
    for (const [batch, result] of results) {
      (result.rows ?? []).forEach((row: CheckRow, k) => {
        const i = batch * job.batchSize + k;
        if (ids[i] !== row[0]) return; // not this ID's answer: it stays UNKNOWN
        job.channelIds.forEach((_, c) => {
          const rel = row[1 + c * 2];
          if (isCheckRelation(rel)) setRelation(relations[c]!, i, rel);
        });
      });
    }
    await store.putRelations(a.id, job.id, relations);
    const snapshot: SnapshotMeta = {
      id: job.id,
      takenAt: job.finishedAt ?? now(),
      channelIds: job.channelIds,
      count: ids.length,
      listKey,
      relationBytes: relations.reduce((s, r) => s + r.byteLength, 0),
      listBytes: rec.bytes.byteLength,
      totals: Object.fromEntries(job.channelIds.map((c, i) => [c, relationTotals(relations[i]!, ids.length)])),
      trigger: a.lastTrigger ?? 'manual',
    };
    let dropped: string[] = [];
    await update(a.id, (x) => {
      if (x.snapshots.some((s) => s.id === job.id)) return x;
      const snapshots = [snapshot, ...x.snapshots];
      dropped = snapshots.slice(SNAPSHOTS_KEPT).map((s) => s.id);
      return { ...x, snapshots: snapshots.slice(0, SNAPSHOTS_KEPT), lastRunAt: snapshot.takenAt };
    });
    if (dropped.length > 0) await store.deleteRelations(a.id, dropped);
  }

  /** What no audience or snapshot refers to any more goes. */
  async function collect() {
    const refs = new Set<string>();
    for (const a of await list()) {
      refs.add(a.listKey);
      if (a.lastJobListKey) refs.add(a.lastJobListKey);
      if (a.extraKey) refs.add(a.extraKey);
      for (const s of a.snapshots) refs.add(s.listKey);
    }
    await store.collect(refs, now());
  }

  /** Planned runs whose time has passed (missed ones included) run now; finished re-checks become snapshots. */
  async function catchUp(): Promise<void> {
    for (const a of await list()) {
      if (isDue(a.nextDueAt, now())) {
        let missedRun: AudienceMeta['missedRun'];
        try {
          await recheck(a.id, 'schedule');
        } catch (err) {
          console.error(`Channel Desk: the scheduled re-check of audience ${a.id} did not start`, err);
          missedRun = { at: now(), error: errorInfo(err) };
        }
        await update(a.id, (x) => ({
          ...x,
          nextDueAt: nextRunAfter(x.schedule, now()),
          ...(missedRun ? { missedRun } : {}),
        }));
      }
      if (a.lastJobId && !a.snapshots.some((s) => s.id === a.lastJobId)) {
        const job = await deps.jobStore.getJob(a.lastJobId);
        if (job?.status === 'done') await takeSnapshot(job);
      }
    }
    await planAlarm();
  }

  const logged = (what: string) => (err: unknown) => console.error(`Channel Desk: ${what} failed`, err);

  return {
    onJobDone(job) {
      if (job.audienceId) void takeSnapshot(job).catch(logged(`the snapshot of re-check ${job.id}`));
    },
    catchUp,
    async createFromIds(name, ids, source) {
      const unique = [...new Set(ids)];
      if (unique.length === 0) throw new AppError('audience_empty', 'no IDs match');
      const at = unique.findIndex((id) => !USER_ID_PATTERN.test(id));
      if (at >= 0) throw new AppError('audience_list_invalid', `ID ${at + 1} is not a user ID`);
      const { key } = await store.putList(unique, now());
      return add(await fresh({ name, count: unique.length, source, listKey: key, columns: [], extraKey: undefined }));
    },
    handlers: {
      async createAudience({ name, listKey, count, source, columns, extraKey }) {
        await checkedList(listKey, count);
        if (extraKey) {
          const rows = await store.getExtra(extraKey);
          const width = columns?.length ?? 0;
          if (!rows || rows.length !== count || rows.some((r) => !Array.isArray(r) || r.length !== width))
            throw new AppError('audience_list_invalid', 'the extra columns do not match the IDs');
        }
        return add(await fresh({ name, count, source, listKey, columns: extraKey ? (columns ?? []) : [], extraKey }));
      },
      async createAudienceFromJob({ name, jobId, relation, channelId }) {
        const job = await deps.jobStore.getJob(jobId);
        if (!job) throw new AppError('unknown_job', `unknown job ${jobId}`);
        if (job.kind !== 'check' || job.status !== 'done')
          throw new AppError('audience_list_invalid', 'only a finished bulk check can become an audience');
        const channel = channelId ? job.channelIds.indexOf(channelId) : -1;
        if (channelId && channel < 0) throw new AppError('audience_list_invalid', `${channelId} was not checked`);
        const ids: string[] = [];
        const seen = new Set<string>();
        const results = await deps.jobStore.results(jobId);
        for (const index of [...results.keys()].sort((x, y) => x - y)) {
          for (const row of results.get(index)!.rows ?? []) {
            const match =
              relation === 'all' ||
              (channel >= 0
                ? row[1 + channel * 2] === relation
                : job.channelIds.some((_, c) => row[1 + c * 2] === relation));
            if (match && USER_ID_PATTERN.test(row[0]) && !seen.has(row[0])) {
              seen.add(row[0]);
              ids.push(row[0]);
            }
          }
        }
        if (ids.length === 0) throw new AppError('audience_empty', 'no IDs match');
        const { key } = await store.putList(ids, now());
        return add(
          await fresh({ name, count: ids.length, source: jobId, listKey: key, columns: [], extraKey: undefined }),
        );
      },
      async renameAudience({ audienceId, name }) {
        return (await update(audienceId, (a) => ({ ...a, name })))!;
      },
      async duplicateAudience({ audienceId, name }) {
        const a = await mustGet(audienceId);
        return add(
          await fresh(
            {
              name,
              count: a.count,
              source: a.source,
              listKey: a.listKey,
              columns: a.columns,
              extraKey: a.extraKey,
            },
            a.profileId,
          ),
        );
      },
      async deleteAudience({ audienceId }) {
        await update(audienceId, () => null);
        await store.deleteRelations(audienceId);
        await collect().catch(logged('dropping unused audience lists'));
        await planAlarm();
        return { deleted: true as const };
      },
      recheckAudience: ({ audienceId }) => recheck(audienceId, 'manual'),
      async setAudienceSchedule({ audienceId, schedule }: { audienceId: string; schedule: Schedule }) {
        if (schedule.every !== 'off' && !isTimeZone(schedule.timeZone))
          throw new AppError('invalid_time_zone', `unknown time zone ${schedule.timeZone}`);
        const next = await update(audienceId, (a) => ({ ...a, schedule, nextDueAt: nextRunAfter(schedule, now()) }));
        await planAlarm();
        return next!;
      },
    },
    start() {
      browser.alarms?.onAlarm.addListener((alarm) => {
        if (alarm.name === AUDIENCE_ALARM) void catchUp().catch(logged('the scheduled re-checks'));
      });
      void catchUp().catch(logged('the scheduled re-checks'));
      void collect().catch(logged('dropping unused audience lists'));
    },
  };
}
