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
/**
 * The profile a key belongs to when none is named: the one profile of a single-key install. Its stored items keep
 * the names they had before profiles (nothing to migrate); every other profile's items carry `@<profile id>`.
 */
export const DEFAULT_PROFILE_ID = 'default';
/** `v: 2`: bound with additional data; no `v`: the earlier format, read once to migrate. */
const Sealed = z.object({ v: z.literal(SEALED_VERSION).optional(), iv: z.string(), data: z.string() });

const DB_NAME = 'channel-desk-vault';
const STORE = 'keys';
const WRAP_KEY_ID = 'admin-key-wrap';
/** How many times a key was sealed with additional data; part of it, so older ciphertexts no longer open. */
const SEAL_COUNT_ID = 'admin-key-seal-count';

/** Profile ids are short tokens (lib/profiles), safe inside a storage key. */
const ProfileId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const suffix = (profileId: string) => (ProfileId.parse(profileId) === DEFAULT_PROFILE_ID ? '' : `@${profileId}`);

/**
 * A key was saved for this browser session only ("remember" off). No key
 * material: just when. It outlives the session key, so after the browser
 * restarts the app knows the key was cleared on purpose (not "never set up")
 * and asks for it again instead of quietly falling back to the sandbox.
 */
const SessionKeyNote = z.object({ savedAt: z.number() });

function itemsOf(profileId: string) {
  const at = suffix(profileId);
  return {
    session: defineParsedItem<string | null>(`session:adminKey${at}`, SessionKey.nullable(), null),
    sealed: defineParsedItem<z.infer<typeof Sealed> | null>(`local:adminKeySealed${at}`, Sealed.nullable(), null),
    note: defineParsedItem<z.infer<typeof SessionKeyNote> | null>(
      `local:adminKeySessionNote${at}`,
      SessionKeyNote.nullable(),
      null,
    ),
    sealCountId: `${SEAL_COUNT_ID}${at}`,
  };
}
type VaultItems = ReturnType<typeof itemsOf>;
const itemCache = new Map<string, VaultItems>();
function items(profileId: string): VaultItems {
  let found = itemCache.get(profileId);
  if (!found) itemCache.set(profileId, (found = itemsOf(profileId)));
  return found;
}

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

const storedSealCount = (id: string) => idb<number | undefined>('readonly', (s) => s.get(id));

/** The additional data a remembered key is sealed with: what it is for, and which save it is. */
const additionalData = (profileId: string, count: number) =>
  new TextEncoder().encode(`channel-desk/admin-key/profile:${profileId}/v${SEALED_VERSION}/seal:${count}`);

async function seal(profileId: string, plain: string): Promise<z.infer<typeof Sealed>> {
  const key = (await wrapKey(true))!;
  const { sealCountId } = items(profileId);
  const count = ((await storedSealCount(sealCountId)) ?? 0) + 1;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: additionalData(profileId, count) },
      key,
      new TextEncoder().encode(plain),
    ),
  );
  // From here on only this ciphertext opens; any earlier one (and the unbound format) is refused.
  await idb('readwrite', (s) => s.put(count, sealCountId));
  return { v: SEALED_VERSION, iv: toB64(iv), data: toB64(data) };
}

type Unsealed = { plain: string } | { refused: true } | null;

async function unseal(profileId: string, sealed: z.infer<typeof Sealed>): Promise<Unsealed> {
  const key = await wrapKey(false);
  if (!key) return null;
  const count = await storedSealCount(items(profileId).sealCountId);
  // The unbound format is read only before anything was sealed with binding: never as a way back.
  if (sealed.v === undefined && count !== undefined) return { refused: true };
  try {
    const params: AesGcmParams = { name: 'AES-GCM', iv: fromB64(sealed.iv) };
    if (sealed.v !== undefined) params.additionalData = additionalData(profileId, count ?? 0);
    const plain = new TextDecoder().decode(await crypto.subtle.decrypt(params, key, fromB64(sealed.data)));
    // A key remembered before binding: sealed again with it, once.
    if (sealed.v === undefined) await items(profileId).sealed.setValue(await seal(profileId, plain));
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
const readSealed = (profileId: string) =>
  queued(async () => {
    const sealed = await items(profileId).sealed.getValue();
    return sealed ? unseal(profileId, sealed) : null;
  });

export async function saveKey(key: string, remember: boolean, profileId = DEFAULT_PROFILE_ID): Promise<void> {
  const { session, sealed, note } = items(profileId);
  if (remember) {
    await queued(async () => sealed.setValue(await seal(profileId, key)));
    await session.removeValue();
    await note.removeValue();
  } else {
    await session.setValue(key);
    await note.setValue({ savedAt: Date.now() });
    await sealed.removeValue();
  }
}

/** The plain key, or null. Background only. */
export async function readKey(profileId = DEFAULT_PROFILE_ID): Promise<string | null> {
  const session = await items(profileId).session.getValue();
  if (session) return session;
  return plainOf(await readSealed(profileId));
}

/**
 * The manager's own "clear key": afterwards the app is back to "no key" (and the sandbox), with no "key cleared"
 * notice.
 */
export async function clearKey(profileId = DEFAULT_PROFILE_ID): Promise<void> {
  const { session, sealed, note } = items(profileId);
  await session.removeValue();
  await sealed.removeValue();
  await note.removeValue();
}

/** A session-only key was saved and the browser has closed since (the key is gone, the note is not). */
export async function keyWasCleared(profileId = DEFAULT_PROFILE_ID): Promise<boolean> {
  if (await items(profileId).note.getValue()) return (await readKey(profileId)) === null;
  // A refused remembered key is "cleared" too: asked for again, never replaced by demo answers.
  const unsealed = await readSealed(profileId);
  return unsealed !== null && 'refused' in unsealed;
}

export async function keyStatus(profileId = DEFAULT_PROFILE_ID): Promise<KeyStatus> {
  const { session: sessionItem, note } = items(profileId);
  const session = await sessionItem.getValue();
  if (session) return { saved: true, masked: maskKey(session), remembered: false };
  const unsealed = await readSealed(profileId);
  const plain = plainOf(unsealed);
  if (plain) return { saved: true, masked: maskKey(plain), remembered: true };
  if (unsealed && 'refused' in unsealed)
    return { saved: false, masked: null, remembered: false, cleared: true, refused: true };
  return {
    saved: false,
    masked: null,
    remembered: false,
    ...((await note.getValue()) ? { cleared: true } : {}),
  };
}

/** Moves the saved key between session and sealed-local when the "remember" choice changes. */
export async function setRemember(remember: boolean, profileId = DEFAULT_PROFILE_ID): Promise<void> {
  const key = await readKey(profileId);
  if (key) await saveKey(key, remember, profileId);
}

/** Calls back whenever the stored key changes (saved, cleared, remembered or not); passes no key material. */
export function watchKeyChanges(cb: () => void, profileId = DEFAULT_PROFILE_ID): () => void {
  const { session, sealed, note } = items(profileId);
  const stops = [session.watch(cb), sealed.watch(cb), note.watch(cb)];
  return () => stops.forEach((stop) => stop());
}
