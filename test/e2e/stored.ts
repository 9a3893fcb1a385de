/**
 * Reads one value of the extension's own store (lib/storage/kv.ts, IndexedDB of the extension origin), where
 * storage.local's values live now. Self-contained: pass it to `evaluate` of an extension page or the worker.
 */
export function readStored(key: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('channel-desk-store', 1);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const req = db.transaction('values', 'readonly').objectStore('values').get(key);
      req.onsuccess = () => {
        db.close();
        resolve(req.result);
      };
      req.onerror = () => reject(req.error);
    };
  });
}
