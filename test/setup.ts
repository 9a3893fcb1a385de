// IndexedDB for the key vault's wrapping key (Node has WebCrypto but no IndexedDB).
import 'fake-indexeddb/auto';
