import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { keyStatus, readKey, saveKey } from '../../lib/storage/key-vault';
import { kv } from '../../lib/storage/kv';

const keys = Array.from({ length: 6 }, (_, i) => `${String(i).repeat(8)}0123456789abcdef01234567`.slice(0, 32));

function deleteVault(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase('channel-desk-vault');
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
  });
}

/** How many wrapping keys (CryptoKeys) the vault's store holds; it also holds the seal counter. */
function wrapKeysStored(): Promise<number> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('channel-desk-vault', 1);
    open.onsuccess = () => {
      const req = open.result.transaction('keys', 'readonly').objectStore('keys').getAll();
      req.onsuccess = () => {
        open.result.close();
        resolve((req.result as unknown[]).filter((v) => v instanceof CryptoKey).length);
      };
      req.onerror = () => reject(req.error);
    };
    open.onerror = () => reject(open.error);
  });
}

beforeEach(async () => {
  fakeBrowser.reset();
  await deleteVault();
});

describe('remembered key: first-time seals at once', () => {
  it('share one wrapping key, so the remembered key can always be read back', async () => {
    // Several saves race on a fresh device (e.g. a double-submitted form): each seal needs the wrapping key.
    await Promise.all(keys.map((k) => saveKey(k, true)));
    const read = await readKey();
    expect(read).not.toBeNull();
    expect(keys).toContain(read);
    expect((await keyStatus()).remembered).toBe(true);
    expect(await wrapKeysStored()).toBe(1);
  });

  it('the ciphertext written last decrypts with the one stored wrapping key; earlier ones are refused', async () => {
    const sealed: unknown[] = [];
    const set = kv.set.bind(kv);
    vi.spyOn(kv, 'set').mockImplementation(async (key: string, value: unknown) => {
      if (key === 'adminKeySealed') sealed.push(value);
      return set(key, value);
    });
    const generate = vi.spyOn(crypto.subtle, 'generateKey');
    await Promise.all(keys.map((k) => saveKey(k, true)));
    expect(generate).toHaveBeenCalledTimes(1);
    expect(sealed).toHaveLength(keys.length);
    expect(keys).toContain(await readKey());
    // Each save is bound to its own seal count: an earlier ciphertext written back no longer opens.
    for (const value of sealed.slice(0, -1)) {
      await set('adminKeySealed', value);
      await expect(readKey()).resolves.toBeNull();
    }
  });
});
