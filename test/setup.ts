// IndexedDB for the key vault's wrapping key, jobs and the extension's own store (Node has WebCrypto but no IndexedDB).
import 'fake-indexeddb/auto';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { closeKv, forgetKvWatchers, KV_DB_NAME } from '@/lib/storage/kv';

// A reset of the fake browser is a fresh profile: the extension's own store (lib/storage/kv.ts, which holds what
// storage.local held) starts empty too. Requests on one database run in order, so the next open waits for the delete.
const reset = fakeBrowser.reset.bind(fakeBrowser);
fakeBrowser.reset = () => {
  reset();
  forgetKvWatchers(); // the earlier profile's contexts (a feature started by another test) are gone with it
  closeKv();
  indexedDB.deleteDatabase(KV_DB_NAME);
};
