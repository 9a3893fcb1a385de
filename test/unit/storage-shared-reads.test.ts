import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { kv } from '../../lib/storage/kv';
import { settingsItem, DEFAULT_SETTINGS } from '../../lib/storage/settings';
import { readKey, saveKey } from '../../lib/storage/key-vault';

/*
 * Issue 14: a page's 20 lookup messages each read the settings, the profiles, the sandbox switch and the
 * key. Concurrent reads of one stored value now share the read in flight; nothing is kept after it, so a
 * read that starts after a write sees the write.
 */

beforeEach(async () => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
  await settingsItem.setValue({ ...DEFAULT_SETTINGS, channelIds: ['_ZeUTxl'] });
});

describe('stored values: shared reads', () => {
  it('20 concurrent reads of the settings make one read of the store, each caller its own copy', async () => {
    const reads = vi.spyOn(kv, 'get');
    const all = await Promise.all(Array.from({ length: 20 }, () => settingsItem.getValue()));
    expect(reads).toHaveBeenCalledTimes(1);
    for (const s of all) expect(s.channelIds).toEqual(['_ZeUTxl']);
    all[0]!.channelIds.push('_mutated');
    expect(all[1]!.channelIds).toEqual(['_ZeUTxl']);
  });

  it('nothing is kept: a read after the first resolved reads again, and one after a write sees it', async () => {
    const reads = vi.spyOn(kv, 'get');
    await settingsItem.getValue();
    await settingsItem.getValue();
    expect(reads).toHaveBeenCalledTimes(2);
    const pending = settingsItem.getValue();
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, channelIds: ['_frxjem'] });
    await pending;
    expect((await settingsItem.getValue()).channelIds).toEqual(['_frxjem']);
  });

  it('a value written from elsewhere is read by the next read', async () => {
    await settingsItem.getValue();
    await kv.set('settings', { ...DEFAULT_SETTINGS, channelIds: ['_other'] });
    expect((await settingsItem.getValue()).channelIds).toEqual(['_other']);
  });
});

describe('the key vault: shared queued reads', () => {
  it('20 concurrent reads of a remembered key read its sealed record once; a key saved afterwards is read', async () => {
    await saveKey('a'.repeat(32), true);
    const reads = vi.spyOn(kv, 'get');
    const keys = await Promise.all(Array.from({ length: 20 }, () => readKey()));
    expect(new Set(keys)).toEqual(new Set(['a'.repeat(32)]));
    const sealedReads = reads.mock.calls.filter(([k]) => String(k).includes('ealed')).length;
    expect(sealedReads).toBeLessThanOrEqual(2);

    await saveKey('b'.repeat(32), true);
    expect(new Set(await Promise.all([readKey(), readKey(), readKey()]))).toEqual(new Set(['b'.repeat(32)]));
  });
});
