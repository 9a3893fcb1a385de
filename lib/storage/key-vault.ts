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
 * - "Remember on this device": the extension's own store (lib/storage/kv.ts) holds
 *   only an AES-GCM ciphertext. The AES key is a non-extractable CryptoKey kept in
 *   the extension origin's IndexedDB, which no content script or web page can open.
 * - The ciphertext is bound to its purpose with AES-GCM additional data: the
 *   profile id, the format version and a seal counter kept next to the wrapping
 *   key in IndexedDB. A ciphertext written back from an earlier save (or another
 *   profile, or the format before binding) is refused: the manager is told and
 *   asked for the key again. Remembered keys of the earlier format (no `v`) are
 *   read once without additional data, then sealed again with it.
 * - "Remember" does NOT protect against someone who can read the browser profile:
 *   the wrapping key sits in the same profile, so a copy of the profile can decrypt.
 * - Never `storage.sync`: the key must not leave the device.
 *
 * Only the background worker calls this module. Extension pages ask it, through
 * messages, for `KeyStatus`, which carries the masked form only.
 */

const SessionKey = z.string().min(1);
const SEALED_VERSION = 2;
/** The profile the remembered key belongs to (one today; the profiles issue adds more). */
const PROFILE_ID = 'default';
/** `v: 2`: bound with additional data; no `v`: the earlier format, read once to migrate. */
const Sealed = z.object({ v: z.literal(SEALED_VERSION).optional(), iv: z.string(), data: z.string() });

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
  /**
   * The remembered key's ciphertext was refused (written back from an earlier save, another profile or
   * changed outside Channel Desk): the key must be entered again. Comes with `cleared`, so every
   * "enter the key again" path shows.
   */
  refused?: boolean;
}

const DB_NAME = 'channel-desk-vault';
const STORE = 'keys';
const WRAP_KEY_ID = 'admin-key-wrap';
/** How many times a key was sealed with additional data; part of it, so older ciphertexts no longer open. */
const SEAL_COUNT_ID = 'admin-key-seal-count';

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

const storedSealCount = () => idb<number | undefined>('readonly', (s) => s.get(SEAL_COUNT_ID));

/** The additional data a remembered key is sealed with: what it is for, and which save it is. */
const additionalData = (count: number) =>
  new TextEncoder().encode(`channel-desk/admin-key/profile:${PROFILE_ID}/v${SEALED_VERSION}/seal:${count}`);

async function seal(plain: string): Promise<z.infer<typeof Sealed>> {
  const key = (await wrapKey(true))!;
  const count = ((await storedSealCount()) ?? 0) + 1;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: additionalData(count) },
      key,
      new TextEncoder().encode(plain),
    ),
  );
  // From here on only this ciphertext opens; any earlier one (and the unbound format) is refused.
  await idb('readwrite', (s) => s.put(count, SEAL_COUNT_ID));
  return { v: SEALED_VERSION, iv: toB64(iv), data: toB64(data) };
}

type Unsealed = { plain: string } | { refused: true } | null;

async function unseal(sealed: z.infer<typeof Sealed>): Promise<Unsealed> {
  const key = await wrapKey(false);
  if (!key) return null;
  const count = await storedSealCount();
  // The unbound format is read only before anything was sealed with binding: never as a way back.
  if (sealed.v === undefined && count !== undefined) return { refused: true };
  try {
    const params: AesGcmParams = { name: 'AES-GCM', iv: fromB64(sealed.iv) };
    if (sealed.v !== undefined) params.additionalData = additionalData(count ?? 0);
    const plain = new TextDecoder().decode(await crypto.subtle.decrypt(params, key, fromB64(sealed.data)));
    // A key remembered before binding: sealed again with it, once.
    if (sealed.v === undefined) await sealedKeyItem.setValue(await seal(plain));
    return { plain };
  } catch {
    return { refused: true };
  }
}

const plainOf = (u: Unsealed) => (u && 'plain' in u ? u.plain : null);

/** Reads and writes of the remembered key, one at a time: a migration or a save never races a read. */
let vaultQueue: Promise<unknown> = Promise.resolve();
function queued<T>(run: () => Promise<T>): Promise<T> {
  const next = vaultQueue.then(run, run);
  vaultQueue = next.catch(() => undefined);
  return next;
}

/** The remembered key: its plain text, refused, or null (none). */
const readSealed = () =>
  queued(async () => {
    const sealed = await sealedKeyItem.getValue();
    return sealed ? unseal(sealed) : null;
  });

export async function saveKey(key: string, remember: boolean): Promise<void> {
  if (remember) {
    await queued(async () => sealedKeyItem.setValue(await seal(key)));
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
  return plainOf(await readSealed());
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
  if (await sessionKeyNoteItem.getValue()) return (await readKey()) === null;
  // A refused remembered key is "cleared" too: asked for again, never replaced by demo answers.
  const unsealed = await readSealed();
  return unsealed !== null && 'refused' in unsealed;
}

export async function keyStatus(): Promise<KeyStatus> {
  const session = await sessionKeyItem.getValue();
  if (session) return { saved: true, masked: maskKey(session), remembered: false };
  const unsealed = await readSealed();
  const plain = plainOf(unsealed);
  if (plain) return { saved: true, masked: maskKey(plain), remembered: true };
  if (unsealed && 'refused' in unsealed)
    return { saved: false, masked: null, remembered: false, cleared: true, refused: true };
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

/** Calls back whenever the stored key changes (saved, cleared, remembered or not); passes no key material. */
export function watchKeyChanges(cb: () => void): () => void {
  const stops = [sessionKeyItem.watch(cb), sealedKeyItem.watch(cb), sessionKeyNoteItem.watch(cb)];
  return () => stops.forEach((stop) => stop());
}
