import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createAudiencesFeature } from '@/lib/background/audiences';
import { diffSnapshots } from '@/lib/audiences/diff';
import { unpackIds, type SnapshotData } from '@/lib/audiences/snapshot';
import { createAudienceStore, type AudienceStore } from '@/lib/audiences/store';
import type { AudienceMeta } from '@/lib/audiences/model';
import { createJobRunner, type JobClient } from '@/lib/jobs/runner';
import { createJobStore, type JobStore } from '@/lib/jobs/store';
import type { JobMeta } from '@/lib/jobs/model';
import { createKakaoSimulator } from '@/lib/simulator/model';
import { audiencesItem } from '@/lib/storage/audiences';
import { jobsItem } from '@/lib/storage/jobs';
import { transact } from '@/lib/storage/kv';
import { migrateStorage } from '@/lib/storage/migrate';
import fixture from '../fixtures/storage-v2.json';

const CHANNELS = ['_ZeUTxl', '_frxjem'];
const ctx = { senderClass: 'extension' as const, tabId: undefined, origin: undefined };
let n = 0;
let jobStore: JobStore;
let store: AudienceStore;

beforeEach(() => {
  fakeBrowser.reset();
  jobStore = createJobStore(`unit-aud-jobs-${++n}`);
  store = createAudienceStore(`unit-aud-${n}`);
});

/** The feature with a runner whose client answers from the simulator's model (its truth can be flipped). */
function setup(
  options: {
    now?: () => number;
    channels?: string[];
    /** Profiles and their channels, with the active one. */
    profiles?: Record<string, string[]>;
    active?: () => string;
  } = {},
) {
  const sim = createKakaoSimulator();
  let calls = 0;
  const client: JobClient = {
    addUsers: () => Promise.reject(new Error('not used')),
    deleteUsers: () => Promise.reject(new Error('not used')),
    async checkRelationships({ userIds, channelIds }) {
      calls++;
      return userIds.map((id) => ({
        user_id: id,
        channels: (channelIds ?? []).map((c) => ({ channel_public_id: c, relation: sim.relationOf(id, c).relation })),
      }));
    },
  };
  let onDone: (job: JobMeta) => void = () => undefined;
  const runner = createJobRunner({
    client,
    store: jobStore,
    concurrency: async () => 4,
    retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 },
    onJobDone: (job) => onDone(job),
  });
  const feature = createAudiencesFeature({
    runner,
    jobStore,
    store,
    channels: async (profileId?: string) =>
      options.profiles
        ? {
            profileId: profileId && options.profiles[profileId] ? profileId : options.active!(),
            channelIds: options.profiles[profileId && options.profiles[profileId] ? profileId : options.active!()]!,
          }
        : { channelIds: options.channels ?? CHANNELS },
    activeProfile: options.active ? async () => options.active!() : undefined,
    now: options.now,
    alarms: { create: async () => undefined, clear: async () => true },
  });
  onDone = feature.onJobDone;
  return { sim, runner, feature, h: feature.handlers, calls: () => calls };
}

const ids = (count: number, from = 4_018_200_000) => Array.from({ length: count }, (_, i) => String(from + i));

async function audience(id: string): Promise<AudienceMeta> {
  return (await audiencesItem.getValue()).find((a) => a.id === id)!;
}

async function waitSnapshots(id: string, count: number): Promise<AudienceMeta> {
  for (let i = 0; i < 200; i++) {
    const a = await audience(id);
    if (a.snapshots.length >= count) return a;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no snapshot');
}

async function snapshotData(a: AudienceMeta, index: number): Promise<SnapshotData> {
  const s = a.snapshots[index]!;
  return {
    ids: await store.getList(s.listKey),
    channelIds: s.channelIds,
    relations: await store.getRelations(a.id, s.id),
  };
}

describe('audiences in the background', () => {
  it('creates an audience from a list the page stored, and refuses a list that does not match', async () => {
    const { h } = setup();
    const list = await store.putList(ids(450));
    const a = await h.createAudience({ name: '  VIP  ', listKey: list.key, count: 450, source: 'vip.xlsx' }, ctx);
    expect(a).toMatchObject({ name: 'VIP', count: 450, source: 'vip.xlsx', schedule: { every: 'off' } });
    await expect(h.createAudience({ name: 'x', listKey: list.key, count: 449, source: '' }, ctx)).rejects.toMatchObject(
      {
        code: 'audience_list_invalid',
      },
    );
    const dup = await store.putList(['1', '1']);
    await expect(h.createAudience({ name: 'x', listKey: dup.key, count: 2, source: '' }, ctx)).rejects.toMatchObject({
      code: 'audience_list_invalid',
    });
    await expect(
      h.createAudience({ name: 'x', listKey: `list-${'0'.repeat(32)}`, count: 2, source: '' }, ctx),
    ).rejects.toMatchObject({ code: 'audience_list_invalid' });
    // Extra columns are kept when they line up with the IDs.
    await store.putExtra(
      'extra-abcdefgh',
      ids(450).map((id) => [`name ${id}`]),
    );
    const withExtra = await h.createAudience(
      { name: 'x', listKey: list.key, count: 450, source: '', columns: ['이름'], extraKey: 'extra-abcdefgh' },
      ctx,
    );
    expect(withExtra.columns).toEqual(['이름']);
    expect((await store.getExtra('extra-abcdefgh'))![3]).toEqual(['name 4018200003']);
  });

  it('an audience belongs to the profile it was made in: re-checked with that profile’s channels and key while another is active', async () => {
    let active = 'shop';
    const { h, runner } = setup({
      profiles: { shop: ['_ZeUTxl'], brand: ['_frxjem'] },
      active: () => active,
    });
    const list = await store.putList(ids(300));
    const a = await h.createAudience({ name: 'Shop VIP', listKey: list.key, count: 300, source: 'paste' }, ctx);
    expect(a.profileId).toBe('shop');
    active = 'brand';
    const copy = await h.duplicateAudience({ audienceId: a.id, name: 'Shop VIP 2' }, ctx);
    expect(copy.profileId).toBe('shop');
    const job = await h.recheckAudience({ audienceId: a.id }, ctx);
    // The job runs under the audience's profile: the runner uses that profile's client (its key or relay).
    expect(job).toMatchObject({ profileId: 'shop', channelIds: ['_ZeUTxl'] });
    await runner.idle();
  });

  it('re-checks as a bulk-check job in batches of 200, and the changes between two runs are the flipped relations', async () => {
    const { h, sim, runner, calls } = setup();
    const all = ids(1_000);
    const list = await store.putList(all);
    const a = await h.createAudience({ name: 'A', listKey: list.key, count: 1_000, source: 'paste' }, ctx);
    const job = await h.recheckAudience({ audienceId: a.id }, ctx);
    expect(job).toMatchObject({ kind: 'check', audienceId: a.id, total: 1_000, batchSize: 200, channelIds: CHANNELS });
    await runner.idle();
    expect(calls()).toBe(5);
    const first = await waitSnapshots(a.id, 1);
    expect(first.snapshots[0]).toMatchObject({ id: job.id, count: 1_000, channelIds: CHANNELS, trigger: 'manual' });
    expect(first.lastRunAt).toBeDefined();
    // The job is in the history like any bulk check.
    expect((await jobsItem.getValue()).map((j) => j.id)).toContain(job.id);
    const truth = (id: string, c: string) => sim.relationOf(id, c).relation;
    expect(first.snapshots[0]!.totals._ZeUTxl!.ADDED).toBe(all.filter((id) => truth(id, '_ZeUTxl') === 'ADDED').length);

    const flipped = sim.flipRelations(all, 30);
    await h.recheckAudience({ audienceId: a.id }, ctx);
    await runner.idle();
    const second = await waitSnapshots(a.id, 2);
    const to = await snapshotData(second, 0);
    const d = diffSnapshots(await snapshotData(second, 1), to, true);
    const changed = d.channels.flatMap((c) =>
      (['added', 'blocked', 'unblocked', 'left'] as const).flatMap((b) =>
        [...c.indexes[b]].map((i) => `${c.channelId}:${to.ids[i]}:${b}`),
      ),
    );
    const bucket = (from: string, next: string) =>
      next === 'BLOCKED' ? 'blocked' : from === 'BLOCKED' ? 'unblocked' : next === 'ADDED' ? 'added' : 'left';
    expect(changed.sort()).toEqual(flipped.map((f) => `${f.channelId}:${f.userId}:${bucket(f.from, f.to)}`).sort());
    expect(d.channels.reduce((s, c) => s + c.counts.unchanged, 0)).toBe(2 * 1_000 - 30);
  });

  it('refuses a second re-check while one is running, and one without channels', async () => {
    const { h, runner } = setup({ channels: [] });
    const list = await store.putList(ids(10));
    const a = await h.createAudience({ name: 'A', listKey: list.key, count: 10, source: '' }, ctx);
    await expect(h.recheckAudience({ audienceId: a.id }, ctx)).rejects.toMatchObject({ code: 'audience_no_channels' });
    const other = setup();
    const job = await other.h.recheckAudience({ audienceId: a.id }, ctx);
    await other.runner.pause(job.id);
    await expect(other.h.recheckAudience({ audienceId: a.id }, ctx)).rejects.toMatchObject({ code: 'audience_busy' });
    await runner.idle();
  });

  it('keeps the newest 30 snapshots and drops the relations of older ones', async () => {
    const { h, runner } = setup({ channels: ['_ZeUTxl'] });
    const list = await store.putList(ids(3));
    const a = await h.createAudience({ name: 'A', listKey: list.key, count: 3, source: '' }, ctx);
    const jobs: string[] = [];
    for (let i = 0; i < 31; i++) {
      jobs.push((await h.recheckAudience({ audienceId: a.id }, ctx)).id);
      await runner.idle();
      await waitSnapshots(a.id, Math.min(i + 1, 30));
      if (i === 30) {
        for (let k = 0; k < 100 && (await audience(a.id)).snapshots[0]!.id !== jobs[30]; k++)
          await new Promise((r) => setTimeout(r, 10));
      }
    }
    const last = await audience(a.id);
    expect(last.snapshots).toHaveLength(30);
    expect(last.snapshots[0]!.id).toBe(jobs[30]);
    expect(last.snapshots.map((s) => s.id)).not.toContain(jobs[0]);
    await expect(store.getRelations(a.id, jobs[0]!)).rejects.toThrow(/missing/);
    expect((await store.getRelations(a.id, jobs[1]!)).length).toBe(1);
  });

  it('rename, duplicate (sharing the stored list), delete', async () => {
    const { h } = setup();
    const list = await store.putList(ids(5));
    const a = await h.createAudience({ name: 'A', listKey: list.key, count: 5, source: '' }, ctx);
    expect((await h.renameAudience({ audienceId: a.id, name: 'B' }, ctx)).name).toBe('B');
    const copy = await h.duplicateAudience({ audienceId: a.id, name: 'B (copy)' }, ctx);
    expect(copy).toMatchObject({ name: 'B (copy)', listKey: a.listKey, count: 5, snapshots: [] });
    expect(copy.id).not.toBe(a.id);
    await h.deleteAudience({ audienceId: a.id }, ctx);
    expect((await audiencesItem.getValue()).map((x) => x.id)).toEqual([copy.id]);
    expect(unpackIds((await store.listRecord(copy.listKey))!.bytes)).toEqual(ids(5));
    await expect(h.renameAudience({ audienceId: a.id, name: 'C' }, ctx)).rejects.toMatchObject({
      code: 'unknown_audience',
    });
  });

  it('from a finished bulk check: all IDs or one relation in one channel', async () => {
    const { h, runner, sim } = setup();
    const all = ids(300);
    const job = await runner.create({ kind: 'check', total: 300, channelIds: CHANNELS });
    await jobStore.putInput(job.id, job.batchSize, all, []);
    await runner.start(job.id);
    const everyone = await h.createAudienceFromJob({ name: 'all', jobId: job.id, relation: 'all' }, ctx);
    expect(everyone.count).toBe(300);
    const blocked = await h.createAudienceFromJob(
      { name: 'blocked', jobId: job.id, relation: 'BLOCKED', channelId: '_frxjem' },
      ctx,
    );
    expect(await store.getList(blocked.listKey)).toEqual(
      all.filter((id) => sim.relationOf(id, '_frxjem').relation === 'BLOCKED'),
    );
    await expect(h.createAudienceFromJob({ name: 'x', jobId: job.id, relation: 'UNKNOWN' }, ctx)).rejects.toMatchObject(
      { code: 'audience_empty' },
    );
  });

  it('a schedule plans the next run; a run missed while the browser was closed runs at the next start', async () => {
    let clock = Date.parse('2026-03-02T01:00:00Z'); // 10:00 in Seoul
    const { h, runner, feature } = setup({ now: () => clock });
    const list = await store.putList(ids(20));
    const a = await h.createAudience({ name: 'A', listKey: list.key, count: 20, source: '' }, ctx);
    await expect(
      h.setAudienceSchedule(
        { audienceId: a.id, schedule: { every: 'daily', time: '09:00', timeZone: 'Mars/Olympus' } },
        ctx,
      ),
    ).rejects.toMatchObject({ code: 'invalid_time_zone' });
    const s = await h.setAudienceSchedule(
      { audienceId: a.id, schedule: { every: 'daily', time: '09:00', timeZone: 'Asia/Seoul' } },
      ctx,
    );
    expect(s.nextDueAt).toBe(Date.parse('2026-03-03T00:00:00Z'));
    await feature.catchUp(); // not due yet: nothing runs
    expect((await audience(a.id)).lastJobId).toBeUndefined();
    clock = Date.parse('2026-03-05T03:00:00Z'); // the browser was closed for two days
    await feature.catchUp();
    await runner.idle();
    const after = await waitSnapshots(a.id, 1);
    expect(after.snapshots).toHaveLength(1); // one catch-up run, not one per missed day
    expect(after.snapshots[0]!.trigger).toBe('schedule');
    expect(after.nextDueAt).toBe(Date.parse('2026-03-06T00:00:00Z'));
    await h.setAudienceSchedule({ audienceId: a.id, schedule: { every: 'off' } }, ctx);
    expect((await audience(a.id)).nextDueAt).toBeUndefined();
  });

  it('a scheduled run that cannot start (the previous re-check paused) is kept on the audience until one starts', async () => {
    let clock = Date.parse('2026-03-02T01:00:00Z');
    const { h, runner, feature } = setup({ now: () => clock });
    const list = await store.putList(ids(20));
    const a = await h.createAudience({ name: 'A', listKey: list.key, count: 20, source: '' }, ctx);
    await h.setAudienceSchedule(
      { audienceId: a.id, schedule: { every: 'daily', time: '09:00', timeZone: 'Asia/Seoul' } },
      ctx,
    );
    const manual = await h.recheckAudience({ audienceId: a.id }, ctx);
    await runner.pause(manual.id);
    clock = Date.parse('2026-03-03T00:30:00Z');
    await feature.catchUp();
    const missed = await audience(a.id);
    expect(missed.missedRun).toMatchObject({ at: clock, error: { code: 'audience_busy' } });
    expect(missed.missedRun!.error.explanation.en).toMatch(/already running or paused/);
    expect(missed.nextDueAt).toBe(Date.parse('2026-03-04T00:00:00Z'));

    await runner.cancel(manual.id);
    await runner.idle();
    clock = Date.parse('2026-03-04T00:30:00Z');
    await feature.catchUp();
    expect((await audience(a.id)).missedRun).toBeUndefined();
    await runner.idle();
  });
});

describe('from the stored state of today', () => {
  it('adds no schema step: stored jobs parse without an audience, the audience list starts empty, nothing is planned', async () => {
    await transact('readwrite', ({ values, meta }) => {
      for (const [k, v] of Object.entries(structuredClone(fixture.values))) values.put(v, k);
      meta.put(structuredClone(fixture.marker), 'migration');
    });
    expect(await migrateStorage()).toMatchObject({ state: 'ok' });
    const jobs = await jobsItem.getValue();
    expect(jobs.map((j) => [j.id, j.status, j.audienceId])).toEqual([['check-abc-2', 'paused', undefined]]);
    expect(await audiencesItem.getValue()).toEqual([]);
    const planned: unknown[] = [];
    const { feature } = setup();
    const withAlarms = createAudiencesFeature({
      runner: createJobRunner({ client: {} as JobClient, store: jobStore, concurrency: async () => 1 }),
      jobStore,
      store,
      channels: async () => ({ channelIds: CHANNELS }),
      alarms: { create: async (...args: unknown[]) => void planned.push(args), clear: async () => true },
    });
    await feature.catchUp();
    await withAlarms.catchUp();
    expect(planned).toEqual([]);
    // The paused check of before is untouched.
    expect((await jobsItem.getValue())[0]).toMatchObject({ id: 'check-abc-2', status: 'paused', doneBatches: 1 });
  });
});

describe('the audience store', () => {
  it('drops lists and extra columns no audience refers to, once they are older than the grace time', async () => {
    const kept = await store.putList(['1', '2'], 0);
    const gone = await store.putList(['3'], 0);
    const young = await store.putList(['4'], 5_000);
    await store.putExtra('extra-oldoldold', [['a']], 0);
    await store.collect(new Set([kept.key]), 10_000, 6_000);
    expect(await store.getList(kept.key)).toEqual(['1', '2']);
    await expect(store.getList(gone.key)).rejects.toThrow(/missing/);
    expect(await store.getList(young.key)).toEqual(['4']);
    expect(await store.getExtra('extra-oldoldold')).toBeUndefined();
  });
});
