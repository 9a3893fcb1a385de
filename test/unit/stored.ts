import { request } from '@/lib/platform/idb';
import { transact } from '@/lib/storage/kv';

/** Everything in the extension's own store (lib/storage/kv.ts), by key: what storage.local held before. */
export async function storedValues(): Promise<Record<string, unknown>> {
  return transact('readonly', async ({ values }) => {
    const [keys, all] = await Promise.all([request(values.getAllKeys()), request(values.getAll())]);
    return Object.fromEntries(keys.map((k, i) => [String(k), all[i]]));
  });
}
