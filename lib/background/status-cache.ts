import type { Status } from '../messages/commands/core';
import { unlockedUntil } from '../storage/key-vault';
import { kv } from '../storage/kv';
import { isStatusInput, statusCacheItem } from '../storage/status-cache';

/** After an input changed, the status is computed again this much later (changes come in bursts). */
const REWRITE_AFTER_MS = 300;

/*
 * The background's side of the popup's status cache (lib/storage/status-cache.ts). Every status computed is
 * written, unless an input changed while it was computed (`generation`); every change of an input drops it:
 * a write of any key of the extension's store or of any storage area (storage.session: the session key and the
 * unlocked PIN keys, storage.managed: the policy, storage.local: old data to move in) but the ones that are no
 * input. The idle PIN lock is a time: `expiresAt`. The migration's outcome (`storage`) is not cached.
 * Writes and drops go one after the other, so a drop is never overtaken by the write it was meant to stop.
 */
export function createStatusCache(compute: () => Promise<unknown>) {
  let generation = 0;
  let queue: Promise<unknown> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const inTurn = (op: () => Promise<unknown>) => {
    queue = queue.then(op).catch((err: unknown) => console.error('Channel Desk: status cache', err));
    return queue;
  };
  const drop = () => {
    generation++;
    clearTimeout(timer);
    timer = setTimeout(() => void compute().catch(() => undefined), REWRITE_AFTER_MS);
    return inTurn(() => statusCacheItem.removeValue());
  };
  kv.watchAll((key) => isStatusInput(key) && void drop());
  browser.storage.onChanged.addListener(
    (changes, area) => (area === 'managed' || Object.keys(changes).some(isStatusInput)) && void drop(),
  );
  return {
    /** Call before reading the inputs; the returned function writes what was computed from them. */
    begin() {
      const seen = generation;
      // Without `storage`: the migration's outcome is this worker's (in memory), and the popup does not show it.
      return ({ storage: _, ...status }: Status) =>
        inTurn(async () => {
          const expiresAt = await unlockedUntil();
          if (seen === generation) await statusCacheItem.setValue({ status, expiresAt });
        });
    },
  };
}
