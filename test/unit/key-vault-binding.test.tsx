// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { z } from 'zod';
import { KeyClearedNotice } from '../../components/KeyClearedNotice';
import { defineParsedItem } from '../../lib/storage/item';
import { clearKey, keyStatus, keyWasCleared, readKey, saveKey } from '../../lib/storage/key-vault';
import type { Status } from '../../lib/messages/protocol';

/*
 * Issue 11 §4: the remembered key's AES-GCM ciphertext is bound to its purpose
 * (profile id, format version, seal count) with additional data. A ciphertext
 * written back from an earlier save, or in the unbound format once binding
 * exists, is refused: no key, the manager told why and asked again. A key
 * remembered before binding is read once and sealed again with it.
 */

const KEY = 'c0ffee00deadbeef0123456789abcdef';
const NEW_KEY = '0badf00d0badf00d0badf00d0badf00d';
/** The remembered key's stored ciphertext, read and written raw (as someone who can write storage would). */
const sealedRaw = defineParsedItem<unknown>('local:adminKeySealed', z.unknown(), null);

function deleteVault(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase('channel-desk-vault');
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
  });
}

/** What the version before binding stored: AES-GCM without additional data, under the vault's wrapping key. */
async function sealUnbound(plain: string): Promise<{ iv: string; data: string }> {
  const key = await new Promise<CryptoKey>((resolve, reject) => {
    const open = indexedDB.open('channel-desk-vault', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('keys');
    open.onsuccess = () => {
      const tx = open.result.transaction('keys', 'readwrite');
      const store = tx.objectStore('keys');
      const get = store.get('admin-key-wrap');
      get.onsuccess = async () => {
        if (get.result) {
          open.result.close();
          return resolve(get.result as CryptoKey);
        }
        reject(new Error('no wrapping key'));
      };
    };
    open.onerror = () => reject(open.error);
  });
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(plain)),
  );
  const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
  return { iv: b64(iv), data: b64(data) };
}

beforeEach(async () => {
  fakeBrowser.reset();
  await deleteVault();
});

describe('remembered key bound to its purpose', () => {
  it('an older ciphertext written back is refused, with the reason, and the key is asked for again', async () => {
    await saveKey(KEY, true);
    const old = await sealedRaw.getValue();
    await saveKey(NEW_KEY, true);
    await expect(readKey()).resolves.toBe(NEW_KEY);

    await sealedRaw.setValue(old); // someone writes the earlier save's ciphertext back
    await expect(readKey()).resolves.toBeNull();
    const status = await keyStatus();
    expect(status).toMatchObject({ saved: false, refused: true, cleared: true });
    expect(JSON.stringify(status)).not.toContain(KEY.slice(-4)); // nothing of either key
    expect(await keyWasCleared()).toBe(true); // asked again; the sandbox does not switch on by itself

    // The popup / workspace notice says why and takes the key again.
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((name: string) => name);
    const host = document.createElement('div');
    document.body.append(host);
    const appStatus = { key: status, settings: { channelIds: ['_ZeUTxl'] } } as unknown as Status;
    await act(() => render(<KeyClearedNotice status={appStatus} onSaved={() => undefined} />, host));
    expect(host.querySelector('h2')!.textContent).toBe('budgets_keyRefusedTitle');
    expect(host.querySelector('[data-key-refused="true"]')!.textContent).toBe('budgets_keyRefusedBody');
    expect(host.querySelector('input[name="adminKey"]')).not.toBeNull();

    // Entering the key again works.
    await saveKey(NEW_KEY, true);
    await expect(readKey()).resolves.toBe(NEW_KEY);
    expect(await keyStatus()).toMatchObject({ saved: true, remembered: true });
  });

  it('a foreign ciphertext (another profile or purpose, same wrapping key) is refused', async () => {
    await saveKey(KEY, true);
    const foreign = await sealUnbound(NEW_KEY);
    await sealedRaw.setValue({ v: 2, ...foreign });
    await expect(readKey()).resolves.toBeNull();
    expect(await keyStatus()).toMatchObject({ refused: true });
  });

  it('a key remembered before binding is read once, then sealed again with binding; the unbound copy is refused after', async () => {
    await saveKey(KEY, true); // creates the wrapping key
    await deleteSealCount();
    const unbound = await sealUnbound(KEY);
    await sealedRaw.setValue(unbound);
    await expect(readKey()).resolves.toBe(KEY);
    expect(await sealedRaw.getValue()).toMatchObject({ v: 2 });
    await expect(readKey()).resolves.toBe(KEY);

    await sealedRaw.setValue(unbound); // the unbound format written back after migration
    await expect(readKey()).resolves.toBeNull();
    expect(await keyStatus()).toMatchObject({ refused: true });
  });
});

/** Back to "no key sealed with binding yet" (the state of a profile from before binding). */
function deleteSealCount(): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('channel-desk-vault', 1);
    open.onsuccess = () => {
      const tx = open.result.transaction('keys', 'readwrite');
      tx.objectStore('keys').delete('admin-key-seal-count');
      tx.oncomplete = () => {
        open.result.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
    open.onerror = () => reject(open.error);
  });
}

describe('one vault entry per profile', () => {
  const sealedOf = (profileId: string) =>
    defineParsedItem<unknown>(`local:adminKeySealed@${profileId}`, z.unknown(), null);

  it('profiles keep their own keys; clearing one leaves the other', async () => {
    await saveKey(KEY, true, 'agency-a');
    await saveKey(NEW_KEY, false, 'agency-b');
    await expect(readKey('agency-a')).resolves.toBe(KEY);
    await expect(readKey('agency-b')).resolves.toBe(NEW_KEY);
    await expect(readKey()).resolves.toBeNull(); // the default profile has none
    expect(await keyStatus('agency-b')).toMatchObject({ saved: true, remembered: false });

    await clearKey('agency-a');
    await expect(readKey('agency-a')).resolves.toBeNull();
    await expect(readKey('agency-b')).resolves.toBe(NEW_KEY);
  });

  it("a profile's ciphertext copied to another profile is refused there", async () => {
    await saveKey(KEY, true, 'agency-a');
    await saveKey(NEW_KEY, true, 'agency-b');
    await sealedOf('agency-b').setValue(await sealedOf('agency-a').getValue());
    await expect(readKey('agency-b')).resolves.toBeNull();
    expect(await keyStatus('agency-b')).toMatchObject({ refused: true });
    await expect(readKey('agency-a')).resolves.toBe(KEY);
  });

  it('a profile id that could not be a storage key name is refused', async () => {
    await expect(saveKey(KEY, true, 'a/b')).rejects.toThrow();
  });
});
