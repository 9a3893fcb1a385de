import { z } from 'zod';
import { AppError } from '../app-error';
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
 * - PIN lock (optional, remembered keys only): the ciphertext is then AES-GCM under a key derived from the PIN
 *   (PBKDF2-SHA-256, `PIN_ITERATIONS`, a random salt), bound to the profile, format version, seal count and "pin".
 *   An unlocked key is held in `storage.session` (trusted contexts only; gone when the browser closes, so it is
 *   locked again after a restart) and locked after `lockAfterMinutes` without a real call (`lockIdleKeys`, run by
 *   an alarm, and checked on every read). Wrong tries are counted in the extension's own store before each try;
 *   the `PIN_MAX_TRIES`th wipes the remembered key. What this protects against: README "What the PIN protects
 *   against".
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
/** PBKDF2-SHA-256 iterations for a new PIN (OWASP's floor for this hash). */
export const PIN_ITERATIONS = 600_000;
/** What new PINs are derived with. Tests lower `iterations` to keep ten wrong tries short; the product never does. */
export const pinKdf = { iterations: PIN_ITERATIONS };
/** The wrong try that wipes the remembered key. */
export const PIN_MAX_TRIES = 10;
const DEFAULT_LOCK_AFTER_MINUTES = 30;
export const LockAfterMinutes = z.number().int().min(1).max(1440);
/** What a PIN or passphrase may be: at least 4 characters (a 4-digit PIN is weak: README says how weak). */
export const PinInput = z.string().min(4).max(256);
const PinParams = z.object({
  kdf: z.literal('PBKDF2-SHA-256'),
  salt: z.string(),
  iterations: z.number().int().min(1).max(100_000_000),
});
/**
 * `v: 2`: bound with additional data; no `v`: the earlier format, read once to migrate. `pin`: sealed under a key
 * derived from the manager's PIN (not the device's wrapping key).
 */
const Sealed = z.object({
  v: z.literal(SEALED_VERSION).optional(),
  iv: z.string(),
  data: z.string(),
  pin: PinParams.optional(),
});
type SealedRecord = z.infer<typeof Sealed>;
/** A PIN-locked key that was unlocked in this browser session: the key, and when it was unlocked and last used. */
const Unlocked = z.record(z.string(), z.object({ key: z.string().min(1), unlockedAt: z.number(), usedAt: z.number() }));
const PinTries = z.object({ failed: z.number().int().min(0), wipedAt: z.number().optional() });
const PinPolicy = z.object({ lockAfterMinutes: LockAfterMinutes });
/** Every unlocked PIN key, by profile id; in storage.session, so the browser closing locks them all. */
const unlockedItem = defineParsedItem<z.infer<typeof Unlocked>>('session:adminKeyUnlocked', Unlocked, {});
/** The alarm that locks unlocked keys left idle (the worker sleeps; a timer would not survive it). */
export const PIN_IDLE_ALARM = 'pin-idle-lock';
/** A real call bumps "last used" at most this often (a bulk job reads the key per request). */
const USED_STAMP_EVERY_MS = 30_000;

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
    sealed: defineParsedItem<SealedRecord | null>(`local:adminKeySealed${at}`, Sealed.nullable(), null),
    note: defineParsedItem<z.infer<typeof SessionKeyNote> | null>(
      `local:adminKeySessionNote${at}`,
      SessionKeyNote.nullable(),
      null,
    ),
    /** Wrong PIN tries since the last right one; out of content scripts' reach (the extension's own store). */
    tries: defineParsedItem<z.infer<typeof PinTries>>(`local:adminKeyPinTries${at}`, PinTries, { failed: 0 }),
    policy: defineParsedItem<z.infer<typeof PinPolicy>>(`local:adminKeyPinPolicy${at}`, PinPolicy, {
      lockAfterMinutes: DEFAULT_LOCK_AFTER_MINUTES,
    }),
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
  /** Remembered keys only: a PIN guards the key. */
  pinSet?: boolean;
  /** The key is PIN-locked (after a restart, or idle): calls fail with `key_locked` until it is unlocked. */
  locked?: boolean;
  /** With a PIN: wrong tries left before the remembered key is wiped. */
  triesLeft?: number;
  /** Remembered keys only: idle minutes before a PIN key locks again. */
  lockAfterMinutes?: number;
  /** The remembered key was wiped after `PIN_MAX_TRIES` wrong PINs. Comes with `cleared`. */
  wiped?: boolean;
}

/** What a PIN try came to. */
export interface PinOutcome {
  ok: boolean;
  /** Wrong tries left before the remembered key is wiped. */
  triesLeft: number;
  /** This try was the last one: the remembered key is gone. */
  wiped: boolean;
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

/** The additional data a remembered key is sealed with: what it is for, which save it is, and whether a PIN. */
const additionalData = (profileId: string, count: number, pin = false) =>
  new TextEncoder().encode(
    `channel-desk/admin-key/profile:${profileId}/v${SEALED_VERSION}${pin ? '/pin' : ''}/seal:${count}`,
  );

/** The AES-GCM key a PIN stands for: PBKDF2-SHA-256 over the PIN with the record's salt and iterations. */
async function pinKey(pin: string, params: z.infer<typeof PinParams>): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: fromB64(params.salt), iterations: params.iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Seals a key under the device's wrapping key, or, with `pin`, under a key derived from it. */
async function seal(profileId: string, plain: string, pin?: string): Promise<SealedRecord> {
  const params = pin
    ? {
        kdf: 'PBKDF2-SHA-256' as const,
        salt: toB64(crypto.getRandomValues(new Uint8Array(16))),
        iterations: pinKdf.iterations,
      }
    : undefined;
  const key = params ? await pinKey(pin!, params) : (await wrapKey(true))!;
  const { sealCountId } = items(profileId);
  const count = ((await storedSealCount(sealCountId)) ?? 0) + 1;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: additionalData(profileId, count, params !== undefined) },
      key,
      new TextEncoder().encode(plain),
    ),
  );
  // From here on only this ciphertext opens; any earlier one (and the unbound format) is refused.
  await idb('readwrite', (s) => s.put(count, sealCountId));
  return { v: SEALED_VERSION, iv: toB64(iv), data: toB64(data), ...(params ? { pin: params } : {}) };
}

/** The key a PIN-sealed record holds, or null when the PIN is wrong (or the record was changed). */
async function openWithPin(profileId: string, sealed: SealedRecord, pin: string): Promise<string | null> {
  if (!sealed.pin || sealed.v === undefined) return null;
  const count = (await storedSealCount(items(profileId).sealCountId)) ?? 0;
  try {
    const key = await pinKey(pin, sealed.pin);
    const params = { name: 'AES-GCM', iv: fromB64(sealed.iv), additionalData: additionalData(profileId, count, true) };
    return new TextDecoder().decode(await crypto.subtle.decrypt(params, key, fromB64(sealed.data)));
  } catch {
    return null;
  }
}

type Unsealed = { plain: string } | { refused: true } | { locked: true } | null;

/** A PIN key unlocked in this session and not idle for longer than its profile allows, else null (and locks it). */
async function unlockedKey(profileId: string, bump: boolean): Promise<string | null> {
  const entry = (await unlockedItem.getValue())[profileId];
  if (!entry) return null;
  const now = Date.now();
  const { lockAfterMinutes } = await items(profileId).policy.getValue();
  if (now - entry.usedAt > lockAfterMinutes * 60_000) {
    await forgetUnlocked(profileId);
    return null;
  }
  if (bump && now - entry.usedAt > USED_STAMP_EVERY_MS) {
    const all = await unlockedItem.getValue();
    if (all[profileId]) await unlockedItem.setValue({ ...all, [profileId]: { ...all[profileId], usedAt: now } });
  }
  return entry.key;
}

/** When the first unlocked PIN key locks for being idle, unless used before (ms since epoch); none unlocked: none. */
export async function unlockedUntil(): Promise<number | undefined> {
  let until: number | undefined;
  for (const [profileId, entry] of Object.entries(await unlockedItem.getValue())) {
    const end = entry.usedAt + (await items(profileId).policy.getValue()).lockAfterMinutes * 60_000;
    until = Math.min(until ?? end, end);
  }
  return until;
}

async function forgetUnlocked(profileId: string): Promise<void> {
  const all = await unlockedItem.getValue();
  if (!(profileId in all)) return;
  const { [profileId]: _gone, ...rest } = all;
  await unlockedItem.setValue(rest);
}

async function rememberUnlocked(profileId: string, key: string): Promise<void> {
  const now = Date.now();
  await unlockedItem.setValue({
    ...(await unlockedItem.getValue()),
    [profileId]: { key, unlockedAt: now, usedAt: now },
  });
  // Chrome runs alarms at most every 30 s; a minute is enough for a lock counted in minutes.
  await browser.alarms?.create(PIN_IDLE_ALARM, { periodInMinutes: 1 });
}

async function unseal(profileId: string, sealed: SealedRecord, bump = false): Promise<Unsealed> {
  if (sealed.pin) {
    const plain = await unlockedKey(profileId, bump);
    return plain ? { plain } : { locked: true };
  }
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
/** Reads waiting in the queue, by profile and bump: a read asked for meanwhile shares one (issue 14). */
const queuedReads = new Map<string, Promise<Unsealed>>();
function queued<T>(run: () => Promise<T>, isRead = false): Promise<T> {
  // Anything else queued (a save, a PIN change) comes between: later reads must queue behind it.
  if (!isRead) queuedReads.clear();
  const next = vaultQueue.then(run, run);
  vaultQueue = next.catch(() => undefined);
  return next;
}

/** The remembered key: its plain text, refused, locked (PIN), or null (none). `bump`: a real call uses it. */
function readSealed(profileId: string, bump = false): Promise<Unsealed> {
  const key = bump + profileId;
  let read = queuedReads.get(key);
  if (!read)
    queuedReads.set(
      key,
      (read = queued(async () => {
        // Started: a read asked for from now on queues again (it may follow a write queued meanwhile).
        queuedReads.delete(key);
        const sealed = await items(profileId).sealed.getValue();
        return sealed ? unseal(profileId, sealed, bump) : null;
      }, true)),
    );
  return read;
}

/** Forgets every PIN state of a profile's remembered key (a new key was saved, or it was cleared). */
async function resetPin(profileId: string): Promise<void> {
  await forgetUnlocked(profileId);
  await items(profileId).tries.removeValue();
}

export async function saveKey(key: string, remember: boolean, profileId = DEFAULT_PROFILE_ID): Promise<void> {
  const { session, sealed, note } = items(profileId);
  // A key entered again replaces the PIN-sealed one: the PIN goes with it (set it again on the new key).
  await resetPin(profileId);
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

/**
 * The plain key, or null. Background only, for real calls: a PIN-locked key throws `key_locked` (never read as
 * "no key", which could turn the sandbox on), and an unlocked one counts as used (the idle lock starts again).
 */
export async function readKey(profileId = DEFAULT_PROFILE_ID): Promise<string | null> {
  const session = await items(profileId).session.getValue();
  if (session) return session;
  const unsealed = await readSealed(profileId, true);
  if (unsealed && 'locked' in unsealed) throw new AppError('key_locked');
  return plainOf(unsealed);
}

/** Whether a key is saved, locked or not (for the sandbox and toolbar: a locked key is not "no key"). */
export async function hasKey(profileId = DEFAULT_PROFILE_ID): Promise<boolean> {
  if (await items(profileId).session.getValue()) return true;
  const unsealed = await readSealed(profileId);
  return unsealed !== null && !('refused' in unsealed);
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
  await resetPin(profileId);
}

/** A session-only key was saved and the browser has closed since (the key is gone, the note is not). */
export async function keyWasCleared(profileId = DEFAULT_PROFILE_ID): Promise<boolean> {
  if (await items(profileId).note.getValue()) return !(await hasKey(profileId));
  // A refused remembered key is "cleared" too: asked for again, never replaced by demo answers; so is a wiped one.
  const unsealed = await readSealed(profileId);
  if (unsealed !== null && 'refused' in unsealed) return true;
  return unsealed === null && (await items(profileId).tries.getValue()).wipedAt !== undefined;
}

export async function keyStatus(profileId = DEFAULT_PROFILE_ID): Promise<KeyStatus> {
  const { session: sessionItem, note } = items(profileId);
  const session = await sessionItem.getValue();
  if (session) return { saved: true, masked: maskKey(session), remembered: false };
  const unsealed = await readSealed(profileId);
  const plain = plainOf(unsealed);
  if (plain || (unsealed && 'locked' in unsealed)) {
    const { tries, policy, sealed } = items(profileId);
    const pinSet = Boolean((await sealed.getValue())?.pin);
    return {
      saved: true,
      masked: plain ? maskKey(plain) : null,
      remembered: true,
      pinSet,
      ...(plain ? {} : { locked: true }),
      ...(pinSet ? { triesLeft: Math.max(0, PIN_MAX_TRIES - (await tries.getValue()).failed) } : {}),
      lockAfterMinutes: (await policy.getValue()).lockAfterMinutes,
    };
  }
  if (unsealed && 'refused' in unsealed)
    return { saved: false, masked: null, remembered: false, cleared: true, refused: true };
  if ((await items(profileId).tries.getValue()).wipedAt !== undefined)
    return { saved: false, masked: null, remembered: false, cleared: true, wiped: true };
  return {
    saved: false,
    masked: null,
    remembered: false,
    ...((await note.getValue()) ? { cleared: true } : {}),
  };
}

/**
 * Moves the saved key between session and sealed-local when the "remember" choice changes. Keeping "remember" on
 * leaves a remembered key (and its PIN) as it is, locked or not; turning it off needs the key (`key_locked`).
 */
export async function setRemember(remember: boolean, profileId = DEFAULT_PROFILE_ID): Promise<void> {
  const { session, sealed } = items(profileId);
  if (remember && !(await session.getValue()) && (await sealed.getValue())) return;
  const key = await readKey(profileId);
  if (key) await saveKey(key, remember, profileId);
}

/**
 * One PIN try against the PIN-sealed record: counted before it is tried (a worker killed mid-try still counts), the
 * count reset by a right PIN, the record wiped by the `PIN_MAX_TRIES`th wrong one. Runs inside the vault queue.
 */
async function tryPin(profileId: string, sealed: SealedRecord, pin: string): Promise<PinOutcome & { plain?: string }> {
  const { tries } = items(profileId);
  const { failed } = await tries.getValue();
  if (failed >= PIN_MAX_TRIES) {
    await wipe(profileId);
    return { ok: false, triesLeft: 0, wiped: true };
  }
  await tries.setValue({ failed: failed + 1 });
  const plain = await openWithPin(profileId, sealed, pin);
  if (plain !== null) {
    await tries.setValue({ failed: 0 });
    return { ok: true, triesLeft: PIN_MAX_TRIES, wiped: false, plain };
  }
  if (failed + 1 >= PIN_MAX_TRIES) {
    await wipe(profileId);
    return { ok: false, triesLeft: 0, wiped: true };
  }
  return { ok: false, triesLeft: PIN_MAX_TRIES - failed - 1, wiped: false };
}

async function wipe(profileId: string): Promise<void> {
  const { sealed, tries } = items(profileId);
  await sealed.removeValue();
  await forgetUnlocked(profileId);
  await tries.setValue({ failed: PIN_MAX_TRIES, wipedAt: Date.now() });
}

const outcome = ({ ok, triesLeft, wiped }: PinOutcome): PinOutcome => ({ ok, triesLeft, wiped });

/** Unlocks a PIN-locked key for this browser session (until idle or the browser closes). */
export function unlockKey(pin: string, profileId = DEFAULT_PROFILE_ID): Promise<PinOutcome> {
  return queued(async () => {
    const sealed = await items(profileId).sealed.getValue();
    if (!sealed?.pin) throw new AppError('pin_not_set');
    const tried = await tryPin(profileId, sealed, pin);
    if (tried.plain !== undefined) await rememberUnlocked(profileId, tried.plain);
    return outcome(tried);
  });
}

/**
 * Sets a PIN on the remembered key, or changes it (`currentPin` needed then: a wrong one counts as a wrong try).
 * The key stays unlocked for this session. A session-only key gets no PIN (`pin_needs_remember`).
 */
export function setPin(
  pin: string,
  currentPin: string | undefined,
  profileId = DEFAULT_PROFILE_ID,
): Promise<PinOutcome> {
  return queued(async () => {
    const { sealed: sealedItem } = items(profileId);
    const sealed = await sealedItem.getValue();
    if (!sealed) throw new AppError('pin_needs_remember');
    let plain: string;
    if (sealed.pin) {
      const tried = await tryPin(profileId, sealed, currentPin ?? '');
      if (tried.plain === undefined) return outcome(tried);
      plain = tried.plain;
    } else {
      const opened = await unseal(profileId, sealed);
      if (!opened || !('plain' in opened)) throw new AppError('pin_needs_remember');
      plain = opened.plain;
    }
    await sealedItem.setValue(await seal(profileId, plain, PinInput.parse(pin)));
    await items(profileId).tries.removeValue();
    await rememberUnlocked(profileId, plain);
    return { ok: true, triesLeft: PIN_MAX_TRIES, wiped: false };
  });
}

/** Takes the PIN off (the current PIN needed): the key is remembered as without one. */
export function removePin(currentPin: string, profileId = DEFAULT_PROFILE_ID): Promise<PinOutcome> {
  return queued(async () => {
    const { sealed: sealedItem } = items(profileId);
    const sealed = await sealedItem.getValue();
    if (!sealed?.pin) throw new AppError('pin_not_set');
    const tried = await tryPin(profileId, sealed, currentPin);
    if (tried.plain === undefined) return outcome(tried);
    await sealedItem.setValue(await seal(profileId, tried.plain));
    await resetPin(profileId);
    return outcome(tried);
  });
}

/** Locks a PIN key now (it stays remembered). */
export function lockKey(profileId = DEFAULT_PROFILE_ID): Promise<void> {
  return queued(() => forgetUnlocked(profileId));
}

/** How many idle minutes a PIN key stays unlocked. */
export async function setLockAfterMinutes(minutes: number, profileId = DEFAULT_PROFILE_ID): Promise<void> {
  await items(profileId).policy.setValue({ lockAfterMinutes: LockAfterMinutes.parse(minutes) });
  await lockIdleKeys();
}

/** Locks every unlocked key left idle past its profile's limit (the idle alarm); stops the alarm when none is left. */
export function lockIdleKeys(): Promise<void> {
  return queued(async () => {
    for (const profileId of Object.keys(await unlockedItem.getValue())) {
      if (!ProfileId.safeParse(profileId).success) await forgetUnlocked(profileId);
      else await unlockedKey(profileId, false);
    }
    if (Object.keys(await unlockedItem.getValue()).length === 0) await browser.alarms?.clear(PIN_IDLE_ALARM);
  });
}

/** Calls back whenever the stored key changes (saved, cleared, remembered or not); passes no key material. */
export function watchKeyChanges(cb: () => void, profileId = DEFAULT_PROFILE_ID): () => void {
  const { session, sealed, note, tries } = items(profileId);
  const stops = [session.watch(cb), sealed.watch(cb), note.watch(cb), tries.watch(cb), unlockedItem.watch(cb)];
  return () => stops.forEach((stop) => stop());
}
