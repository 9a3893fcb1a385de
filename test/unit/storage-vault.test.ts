import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { z } from 'zod';
import { JobMeta } from '@/lib/jobs/model';
import { createJobRunner, type JobClient } from '@/lib/jobs/runner';
import { createJobStore } from '@/lib/jobs/store';
import { badgeSitesItem } from '@/lib/storage/badge-sites';
import { channelNamesItem } from '@/lib/storage/channel-names';
import { defineParsedItem, defineParsedListItem } from '@/lib/storage/item';
import { jobIdentity, jobsItem } from '@/lib/storage/jobs';
import { keyStatus, readKey, saveKey } from '@/lib/storage/key-vault';
import { kv, SCHEMA_VERSION, transact } from '@/lib/storage/kv';
import { migrateStorage, storageStatus } from '@/lib/storage/migrate';
import { sandboxModeItem } from '@/lib/storage/sandbox-mode';
import { recentLookupsItem, settingsItem } from '@/lib/storage/settings';
import { profileSettings } from '@/lib/profiles/store';
import { webhookHistoryItem, webhookUrlsItem } from '@/lib/storage/webhook-history';
import { request } from '@/lib/platform/idb';
import fixture from '../fixtures/storage-v1.json';
import { storedValues } from './stored';

/*
 * Issue 11 §1 and issue 17 (schema version): what the background acts on is kept
 * where content scripts cannot read or write it — the extension origin's IndexedDB —
 * and today's storage.local data moves there once, with nothing lost.
 */

beforeEach(() => fakeBrowser.reset());

const local = () => fakeBrowser.storage.local.get(null);

describe('the extension store behind defineParsedItem', () => {
  it('keeps every local item out of storage.local (where content scripts read and write)', async () => {
    await settingsItem.setValue({ ...(await settingsItem.getValue()), channelIds: ['_ZeUTxl'], concurrency: 2 });
    await sandboxModeItem.setValue('on');
    await recentLookupsItem.setValue(['4018203344']);
    await badgeSitesItem.setValue([{ pattern: 'https://admin.example.com/*', rules: [] }]);
    await channelNamesItem.setValue({ _ZeUTxl: '@channeldesk' });
    await saveKey('c0ffee00deadbeef0123456789abcdef', true);
    expect(await local()).toEqual({});
    expect(await sandboxModeItem.getValue()).toBe('on');
    expect((await settingsItem.getValue()).concurrency).toBe(2);
    expect(Object.keys(await storedValues()).sort()).toEqual([
      'adminKeySealed',
      'channelNames',
      'pageSites',
      'recentLookups',
      'sandboxMode',
      'settings',
    ]);
    // A forged value written to storage.local (what a content script can do) changes nothing the app reads.
    await fakeBrowser.storage.local.set({ sandboxMode: 'off', settings: { channelIds: ['_evil11'] } });
    expect(await sandboxModeItem.getValue()).toBe('on');
    expect((await settingsItem.getValue()).channelIds).toEqual(['_ZeUTxl']);
  });

  it('still parses: a stored value that no longer fits reads as the default, a list element by element', async () => {
    await kv.set('sandboxMode', 'sideways');
    expect(await sandboxModeItem.getValue()).toBe('auto');
    const list = defineParsedListItem('local:testList', z.object({ n: z.number() }));
    await list.setRaw([{ value: { n: 1 } }, { raw: { n: 'two' } }, { value: { n: 3 } }]);
    expect(await list.getValue()).toEqual([{ n: 1 }, { n: 3 }]);
    expect(await list.getRaw()).toEqual([{ n: 1 }, { n: 'two' }, { n: 3 }]);
    expect(() => list.setValue([{ n: 'x' } as never])).toThrow();
    await list.removeValue();
    expect(await list.getRaw()).toEqual([]);
  });

  it('watch hears writes of this context and of another extension context (background ↔ page)', async () => {
    const item = defineParsedItem('local:watched', z.number(), 0);
    const here: number[] = [];
    const unwatch = item.watch((v) => here.push(v));
    // A second context: its own copy of the modules (its own connection and channel), the same IndexedDB.
    vi.resetModules();
    const other = await import('@/lib/storage/item');
    const otherItem = other.defineParsedItem('local:watched', z.number(), 0);
    const there: number[] = [];
    otherItem.watch((v) => there.push(v));

    await item.setValue(1); // written here: heard here at once, there through the channel
    await otherItem.setValue(2); // written there
    await vi.waitFor(() => expect(there).toEqual([1, 2]));
    await vi.waitFor(() => expect(here).toEqual([1, 2]));
    expect(await otherItem.getValue()).toBe(2);
    expect(await item.getValue()).toBe(2);
    await otherItem.removeValue();
    await vi.waitFor(() => expect(here).toEqual([1, 2, 0]));
    unwatch();
    await otherItem.setValue(5);
    await vi.waitFor(() => expect(there).toEqual([1, 2, 0, 5]));
    expect(here).toEqual([1, 2, 0]);
    expect(await local()).toEqual({});
  });
});

describe('moving schema 1 (storage.local) into the extension store', () => {
  it('moves every setting, site, job, history entry and lookup, with nothing lost, once', async () => {
    await fakeBrowser.storage.local.set(structuredClone(fixture));
    expect(await migrateStorage()).toEqual({ schemaVersion: SCHEMA_VERSION, state: 'ok' });

    expect(await local()).toEqual({}); // out of content scripts' reach
    // Plus defaults of newer settings; the channels and "remember" moved into the one profile (schema 3).
    const { channelIds, selectedChannelId, rememberKey, ...global } = fixture.settings;
    expect(await settingsItem.getValue()).toMatchObject(global);
    expect(await profileSettings()).toMatchObject({ channelIds, selectedChannelId, rememberKey, profileId: 'default' });
    expect(await sandboxModeItem.getValue()).toBe('off');
    expect(await recentLookupsItem.getValue()).toEqual(fixture.recentLookups);
    expect(await channelNamesItem.getValue()).toEqual(fixture.channelNames);
    expect(await badgeSitesItem.getValue()).toEqual(fixture.pageSites);
    expect(await webhookHistoryItem.getValue()).toEqual(fixture.webhookHistory);
    expect(await webhookUrlsItem.getValue()).toEqual(fixture.webhookUrls);
    expect(await jobsItem.getRaw()).toEqual(fixture.jobs);
    expect((await jobsItem.getValue()).map((j) => [j.id, j.status, j.doneItems])).toEqual([
      ['delete-abc-1', 'cancelled', 2000],
      ['check-abc-2', 'done', 200],
    ]);
    // Migrated jobs get their identity as it is now; from here on it is fixed.
    expect(await jobIdentity('delete-abc-1')).toEqual({
      kind: 'delete',
      backend: 'real',
      channelId: '_ZeUTxl',
      channelIds: [],
      fileId: '111',
      userType: 'app',
    });
    expect(await jobIdentity('check-abc-2')).toMatchObject({ kind: 'check', channelIds: ['_ZeUTxl', '_frxjem'] });
    const marker = await transact('readonly', ({ meta }) => request(meta.get('migration')));
    expect(marker).toMatchObject({ version: SCHEMA_VERSION });

    // Once: a later start (or an old value written back to storage.local) does not overwrite newer data.
    await sandboxModeItem.setValue('on');
    await fakeBrowser.storage.local.set({ sandboxMode: 'off' });
    await migrateStorage();
    expect(await sandboxModeItem.getValue()).toBe('on');
  });

  it('keeps where the key was: a remembered key still decrypts; a session key is known to have been cleared', async () => {
    const KEY = 'c0ffee00deadbeef0123456789abcdef';
    await saveKey(KEY, true); // makes the wrapping key (IndexedDB, unchanged by the move) and the ciphertext
    const sealed = (await storedValues()).adminKeySealed;
    await kv.remove('adminKeySealed');
    await fakeBrowser.storage.local.set({ adminKeySealed: sealed }); // where schema 1 kept it
    expect(await readKey()).toBeNull();
    await migrateStorage();
    expect(await readKey()).toBe(KEY);
    expect(await local()).toEqual({});

    fakeBrowser.reset();
    await fakeBrowser.storage.local.set({
      adminKeySessionNote: { savedAt: 1763600000000 },
      settings: fixture.settings,
    });
    await migrateStorage();
    expect(await keyStatus()).toEqual({ saved: false, masked: null, remembered: false, cleared: true });
  });

  it('a failed move keeps the old data where it was and says why', async () => {
    await fakeBrowser.storage.local.set(structuredClone(fixture));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const working = globalThis.indexedDB;
    globalThis.indexedDB = {
      open: () => {
        throw new DOMException('The user denied permission to access the database.', 'InvalidStateError');
      },
    } as unknown as IDBFactory;
    try {
      const status = await migrateStorage();
      expect(status).toMatchObject({ schemaVersion: SCHEMA_VERSION, state: 'failed' });
      expect(status.detail).toMatch(/InvalidStateError: The user denied permission/);
      expect(storageStatus()).toEqual(status); // what getStatus gives the options page
      expect(logged).toHaveBeenCalled();
      expect(await local()).toEqual(fixture); // nothing lost
    } finally {
      globalThis.indexedDB = working;
      logged.mockRestore();
    }
    // The next start (the database works again) moves it.
    expect(await migrateStorage()).toMatchObject({ state: 'ok' });
    expect(storageStatus()).toMatchObject({ state: 'ok' });
    expect(await profileSettings()).toMatchObject(fixture.settings); // plus defaults of newer settings
    expect(await local()).toEqual({});
  });

  it('a failure inside the move commits nothing: no marker, no half copy', async () => {
    await fakeBrowser.storage.local.set(structuredClone(fixture));
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const put = IDBObjectStore.prototype.put;
    let puts = 0;
    const spy = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (++puts === 3) throw new DOMException('could not be cloned', 'DataCloneError');
      return put.apply(this, args);
    });
    expect(await migrateStorage()).toMatchObject({ state: 'failed', detail: 'DataCloneError: could not be cloned' });
    spy.mockRestore();
    expect(await storedValues()).toEqual({});
    expect(await transact('readonly', ({ meta }) => request(meta.get('migration')))).toBeUndefined();
    expect(await local()).toEqual(fixture);
  });
});

describe("a job's identity is fixed when it is created", () => {
  function countingClient() {
    const calls: string[] = [];
    const client: JobClient = {
      async addUsers({ fileId, users }) {
        calls.push(`add ${fileId}`);
        return { request_count: users.length, success_count: users.length };
      },
      async deleteUsers({ fileId, userIds }) {
        calls.push(`delete ${fileId}`);
        return { request_count: userIds.length, success_count: userIds.length };
      },
      async checkRelationships({ userIds }) {
        calls.push('check');
        return userIds.map((id) => ({ user_id: id, channels: [] }));
      },
    };
    return { client, calls };
  }
  const ids = (n: number) => Array.from({ length: n }, (_, i) => String(5_000_000 + i));

  /** Rewrites the stored record as a content script could rewrite storage.local before this change. */
  async function forge(id: string, change: Partial<JobMeta>) {
    const raw = await jobsItem.getRaw();
    await jobsItem.setRaw(
      raw.map((r) => ({ raw: (r as { id: string }).id === id ? { ...(r as object), ...change } : r })),
    );
  }

  it('a cancelled delete rewritten to running on another file is refused: 0 calls, an explained pause', async () => {
    const store = createJobStore('identity-1');
    const { client, calls } = countingClient();
    const runner = createJobRunner({ client, store, concurrency: async () => 1 });
    const job = await runner.create({
      kind: 'delete',
      total: 4000,
      channelId: '_ZeUTxl',
      fileId: '111',
      userType: 'app',
    });
    await runner.addItems(job.id, 0, ids(4000));
    await runner.cancel(job.id);
    await forge(job.id, { status: 'running', fileId: '222' });

    await runner.resumeRunning(); // what every worker start and the keep-alive alarm do
    await runner.idle();
    expect(calls).toEqual([]);
    const refused = (await store.getJob(job.id))!;
    expect(refused.status).toBe('paused');
    expect(refused.pause).toMatchObject({ code: 'job_identity_changed', detail: expect.stringContaining('fileId') });
    expect(refused.pause?.explanation.ko).toContain('카카오에 아무 요청도 보내지 않았습니다');
    // Resuming it by hand is refused the same way.
    await runner.start(job.id);
    expect(calls).toEqual([]);
  });

  it('a sandbox draft rewritten to the real backend is refused', async () => {
    const store = createJobStore('identity-2');
    const { client, calls } = countingClient();
    const runner = createJobRunner({
      client,
      clientFor: () => client,
      currentBackend: async () => 'sandbox',
      store,
      concurrency: async () => 1,
    });
    const job = await runner.create({ kind: 'check', total: 200, channelIds: ['_ZeUTxl'] });
    await runner.addItems(job.id, 0, ids(200));
    await forge(job.id, { backend: 'real' });
    await runner.start(job.id);
    expect(calls).toEqual([]);
    expect(await store.getJob(job.id)).toMatchObject({ status: 'paused', pause: { code: 'job_identity_changed' } });
  });

  it('is written once: saving the job again never changes it, and a job with the same identity runs', async () => {
    const store = createJobStore('identity-3');
    const { client, calls } = countingClient();
    const runner = createJobRunner({ client, store, concurrency: async () => 1 });
    const job = await runner.create({
      kind: 'upload',
      total: 10,
      channelId: '_ZeUTxl',
      fileId: '111',
      userType: 'app',
    });
    await store.saveJob({ ...(await store.getJob(job.id))!, fileId: '222' });
    expect(await jobIdentity(job.id)).toMatchObject({ fileId: '111' });
    await store.saveJob({ ...(await store.getJob(job.id))!, fileId: '111' });
    await runner.addItems(
      job.id,
      0,
      ids(10).map((id) => ({ id })),
    );
    expect(await runner.start(job.id)).toBeDefined();
    expect(calls).toEqual(['add 111']);
    expect(await store.getJob(job.id)).toMatchObject({ status: 'done' });
    await store.deleteJob(job.id);
    expect(await jobIdentity(job.id)).toBeUndefined();
  });

  it('a job record without an identity is not run', async () => {
    const store = createJobStore('identity-4');
    const { client, calls } = countingClient();
    const runner = createJobRunner({ client, store, concurrency: async () => 1 });
    const job = await runner.create({ kind: 'check', total: 200, channelIds: ['_ZeUTxl'] });
    await runner.addItems(job.id, 0, ids(200));
    await kv.remove(`jobIdentity:${job.id}`);
    await runner.start(job.id);
    expect(calls).toEqual([]);
    expect(await store.getJob(job.id)).toMatchObject({ status: 'paused', pause: { code: 'job_identity_changed' } });
  });
});

// The unit tests' fresh-profile reset empties the store (test/setup.ts).
it('a fake-browser reset empties the extension store', async () => {
  await sandboxModeItem.setValue('on');
  fakeBrowser.reset();
  expect(await sandboxModeItem.getValue()).toBe('auto');
});
