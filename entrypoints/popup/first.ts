import { cachedStatus } from '../../lib/storage/status-cache-read';

/*
 * The popup's first code (scripts/popup-one-file.ts puts it first in the popup's one script): starts reading the
 * cached status before the rest of the popup's code runs. A failed read is no cached status.
 */
globalThis.cdCachedStatus = cachedStatus().catch(() => null);
