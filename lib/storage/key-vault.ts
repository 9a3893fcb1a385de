import { z } from 'zod';
import { maskKey } from '../kakao/ids';
import { done, openDatabase } from '../platform/idb';
import { defineParsedItem } from './item';

/*
 * Where the Admin key lives, and why.
 *
 * - Default: `storage.session`. It is gone when the browser closes, and content
 *   scripts cannot read it (Chrome and Firefox restrict session storage to
 *   trusted extension contexts by default; we never widen that).
 * - "Remember on this device": `storage.local` holds only an AES-GCM ciphertext.
 *   Content scripts CAN read storage.local, so the plain key never goes there. The
 *   AES key is a non-extractable CryptoKey kept in the extension origin's
 *   IndexedDB, which no content script or web page can open.
 * - Never `storage.sync`: the key must not leave the device.
 *
 * Only the background worker calls this module. Extension pages ask it, through
 * messages, for `KeyStatus`, which carries the masked form only.
 */

const SessionKey = z.string().min(1);
const Sealed = z.object({ iv: z.string(), data: z.string() });

const sessionKeyItem = defineParsedItem<string | null>('session:adminKey', SessionKey.nullable(), null);
const sealedKeyItem = defineParsedItem<z.infer<typeof Sealed> | null>('local:adminKeySealed', Sealed.nullable(), null);
/**
 * A key was saved for this browser session only ("remember" off). No key
 * material: just when. It outlives the session key, so after the browser
 * restarts the app knows the key was cleared on purpose (not "never set up")
 * and asks for it again instead of quietly falling back to the sandbox.
 */
const SessionKeyNote = z.object({ savedAt: z.number() });
const sessionKeyNoteItem = defineParsedItem<z.infer<typeof SessionKeyNote> | null>(
  'local:adminKeySessionNote',
  SessionKeyNote.nullable(),
  null,
);

export interface KeyStatus {
  saved: boolean;
  masked: string | null;
  remembered: boolean;
  /** No key now, but one was saved for a browser session ("remember" off) and went when the browser closed. */
  cleared?: boolean;
}

const DB_NAME = 'channel-desk-vault';
const STORE = 'keys';
const WRAP_KEY_ID = 'admin-key-wrap';

/** One transaction on the vault's store; the database is closed after it, whatever happens. */
async function idb<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await openDatabase(DB_NAME, 1, (d) => d.createObjectStore(STORE));
  try {
    const tx = db.transaction(STORE, mode);
    const req = run(tx.objectStore(STORE));
    await done(tx); // rejects on error and on abort (quota, version change, the browser closing the database)
    return req.result as T;
  } finally {
    db.close();
  }
}

const storedWrapKey = () => idb<CryptoKey | undefined>('readonly', (s) => s.get(WRAP_KEY_ID));

/** The one creation in flight: two first-time seals at once must not make (and overwrite) two wrapping keys. */
let creatingWrapKey: Promise<CryptoKey> | null = null;

async function wrapKey(create: boolean): Promise<CryptoKey | null> {
  const existing = await storedWrapKey();
  if (existing) return existing;
  if (!create) return creatingWrapKey;
  creatingWrapKey ??= (async () => {
    const again = await storedWrapKey();
    if (again) return again;
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    try {
      // `add`, not `put`: never replace a wrapping key another context stored meanwhile (its ciphertext needs it).
      await idb('readwrite', (s) => s.add(key, WRAP_KEY_ID));
      return key;
    } catch (err) {
      const stored = await storedWrapKey();
      if (stored) return stored;
      throw err;
    }
  })().finally(() => {
    creatingWrapKey = null;
  });
  return creatingWrapKey;
}

const toB64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromB64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function seal(plain: string) {
  const key = (await wrapKey(true))!;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(plain)),
  );
  return { iv: toB64(iv), data: toB64(data) };
}

async function unseal(sealed: z.infer<typeof Sealed>): Promise<string | null> {
  const key = await wrapKey(false);
  if (!key) return null;
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromB64(sealed.iv) }, key, fromB64(sealed.data));
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}

export async function saveKey(key: string, remember: boolean): Promise<void> {
  if (remember) {
    await sealedKeyItem.setValue(await seal(key));
    await sessionKeyItem.removeValue();
    await sessionKeyNoteItem.removeValue();
  } else {
    await sessionKeyItem.setValue(key);
    await sessionKeyNoteItem.setValue({ savedAt: Date.now() });
    await sealedKeyItem.removeValue();
  }
}

/** The plain key, or null. Background only. */
export async function readKey(): Promise<string | null> {
  const session = await sessionKeyItem.getValue();
  if (session) return session;
  const sealed = await sealedKeyItem.getValue();
  return sealed ? unseal(sealed) : null;
}

/**
 * The manager's own "clear key": afterwards the app is back to "no key" (and the sandbox), with no "key cleared"
 * notice.
 */
export async function clearKey(): Promise<void> {
  await sessionKeyItem.removeValue();
  await sealedKeyItem.removeValue();
  await sessionKeyNoteItem.removeValue();
}

/** A session-only key was saved and the browser has closed since (the key is gone, the note is not). */
export async function keyWasCleared(): Promise<boolean> {
  if (!(await sessionKeyNoteItem.getValue())) return false;
  return (await readKey()) === null;
}

export async function keyStatus(): Promise<KeyStatus> {
  const session = await sessionKeyItem.getValue();
  if (session) return { saved: true, masked: maskKey(session), remembered: false };
  const sealed = await sealedKeyItem.getValue();
  const plain = sealed ? await unseal(sealed) : null;
  if (plain) return { saved: true, masked: maskKey(plain), remembered: true };
  return {
    saved: false,
    masked: null,
    remembered: false,
    ...((await sessionKeyNoteItem.getValue()) ? { cleared: true } : {}),
  };
}

/** Moves the saved key between session and sealed-local when the "remember" choice changes. */
export async function setRemember(remember: boolean): Promise<void> {
  const key = await readKey();
  if (key) await saveKey(key, remember);
}
