import { storage, type StorageItemKey } from 'wxt/utils/storage';
import type { z } from 'zod';
import { kv } from './kv';

/*
 * Where an item lives follows its key: `local:name` in the extension's own store
 * (IndexedDB of the extension origin, lib/storage/kv.ts: content scripts can neither
 * read nor write it), `session:name` in storage.session (trusted contexts only, gone
 * when the browser closes). Nothing goes to storage.local.
 */

interface Backend {
  getValue(): Promise<unknown>;
  setValue(value: unknown): Promise<void>;
  removeValue(): Promise<void>;
  watch(cb: (value: unknown) => void): () => void;
}

function backendOf(key: StorageItemKey): Backend {
  if (key.startsWith('local:')) {
    const name = key.slice('local:'.length);
    return {
      getValue: () => kv.get(name),
      setValue: (value) => kv.set(name, value),
      removeValue: () => kv.remove(name),
      watch: (cb) => kv.watch(name, cb),
    };
  }
  const item = storage.defineItem<unknown>(key);
  return {
    getValue: () => item.getValue(),
    setValue: (value) => item.setValue(value),
    removeValue: () => item.removeValue(),
    watch: (cb) => item.watch((value) => cb(value)),
  };
}

/** What an item needs of its zod schema: `zod`'s, or `zod/mini`'s where a page must stay small. */
interface ItemSchema<T> {
  parse(data: unknown): T;
  safeParse(data: unknown): { success: true; data: T } | { success: false };
}

/**
 * A typed storage item whose value is parsed by zod on every read: a value that
 * no longer fits its schema (an old version, a hand edit) falls back to the
 * default instead of leaking a wrong type into the app.
 */
export function defineParsedItem<T>(key: StorageItemKey, schema: ItemSchema<T>, fallback: T) {
  const item = backendOf(key);
  /*
   * Concurrent reads share the one in flight (issue 14: a page's 20 lookup messages read the settings, the
   * profiles, the sandbox switch… each). Nothing is kept once it resolves, a write here starts the next read
   * afresh, and each caller parses its own copy.
   */
  let reading: Promise<unknown> | null = null;
  const written = (write: Promise<void>) => ((reading = null), write.finally(() => (reading = null)));
  return {
    key,
    async getValue(): Promise<T> {
      const raw = await (reading ??= item.getValue().finally(() => (reading = null)));
      if (raw === null || raw === undefined) return fallback;
      const parsed = schema.safeParse(raw);
      return parsed.success ? parsed.data : fallback;
    },
    setValue(value: T): Promise<void> {
      return written(item.setValue(schema.parse(value)));
    },
    removeValue(): Promise<void> {
      return written(item.removeValue());
    },
    watch(cb: (value: T) => void): () => void {
      return item.watch((raw) => {
        if (raw === null || raw === undefined) return cb(fallback);
        const parsed = schema.safeParse(raw);
        cb(parsed.success ? parsed.data : fallback);
      });
    },
  };
}

/**
 * A stored list whose elements are parsed one by one: an element that no longer
 * fits (an old or newer version, a hand edit) is left out of what is read, and
 * the others still are. Writers that must not destroy such elements change the
 * raw list (`update`), which keeps every element they do not touch as stored.
 */
export function defineParsedListItem<T>(key: StorageItemKey, schema: z.ZodType<T>) {
  const item = backendOf(key);
  const parseList = (raw: unknown): T[] => {
    if (!Array.isArray(raw)) return [];
    const out: T[] = [];
    for (const element of raw) {
      const parsed = schema.safeParse(element);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  };
  return {
    key,
    async getValue(): Promise<T[]> {
      return parseList(await item.getValue());
    },
    /** The stored elements as they are, unparsed (an absent or non-list value reads as []). */
    async getRaw(): Promise<unknown[]> {
      const raw = await item.getValue();
      return Array.isArray(raw) ? raw : [];
    },
    /** Writes a list of raw elements and parsed ones; the parsed ones are checked against the schema. */
    setRaw(elements: readonly ({ raw: unknown } | { value: T })[]): Promise<void> {
      return item.setValue(elements.map((e) => ('value' in e ? schema.parse(e.value) : e.raw)));
    },
    setValue(value: T[]): Promise<void> {
      return item.setValue(value.map((v) => schema.parse(v)));
    },
    removeValue(): Promise<void> {
      return item.removeValue();
    },
    watch(cb: (value: T[]) => void): () => void {
      return item.watch((raw) => cb(parseList(raw)));
    },
  };
}
