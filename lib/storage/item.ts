import { storage, type StorageItemKey } from 'wxt/utils/storage';
import type { z } from 'zod';

/**
 * A typed storage item whose value is parsed by zod on every read: a value that
 * no longer fits its schema (an old version, a hand edit) falls back to the
 * default instead of leaking a wrong type into the app.
 */
export function defineParsedItem<T>(key: StorageItemKey, schema: z.ZodType<T>, fallback: T) {
  const item = storage.defineItem<unknown>(key);
  return {
    key,
    async getValue(): Promise<T> {
      const raw = await item.getValue();
      if (raw === null || raw === undefined) return fallback;
      const parsed = schema.safeParse(raw);
      return parsed.success ? parsed.data : fallback;
    },
    setValue(value: T): Promise<void> {
      return item.setValue(schema.parse(value));
    },
    removeValue(): Promise<void> {
      return item.removeValue();
    },
    watch(cb: (value: T) => void): () => void {
      return item.watch((raw) => {
        const parsed = schema.safeParse(raw);
        cb(parsed.success ? parsed.data : fallback);
      });
    },
  };
}
