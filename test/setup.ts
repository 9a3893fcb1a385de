// IndexedDB for the key vault's wrapping key, jobs and the extension's own store (Node has WebCrypto but no IndexedDB).
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { fakeBrowser } from 'wxt/testing/fake-browser';

// A reset of the fake browser is a fresh profile: its IndexedDB (lib/storage/kv.ts and the rest) starts empty too.
const reset = fakeBrowser.reset.bind(fakeBrowser);
fakeBrowser.reset = () => {
  reset();
  globalThis.indexedDB = new IDBFactory();
};
