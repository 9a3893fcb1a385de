import type { ApiCallRecord } from '../kakao/call-record';
import { done, openDatabase, request } from '../platform/idb';
import {
  API_LOG_LIMIT,
  DEFAULT_PAGE_SIZE,
  matches,
  StoredApiCall,
  type ApiCallBackend,
  type ApiLogPage,
  type ApiLogQuery,
} from './model';

/*
 * Where the API log lives: the extension's IndexedDB, one object store keyed by
 * arrival order. Calls never wait for the log: `append` only queues the record;
 * queued records are written together a moment later (one transaction per batch),
 * and the oldest beyond API_LOG_LIMIT are dropped in the same transaction. A write
 * that fails loses those log lines, never a call.
 */

const DB_NAME = 'channel-desk-api-log';
const STORE = 'calls';

export interface ApiLog {
  /** Queues one call's record. Never throws, never waits. */
  append(record: ApiCallRecord, backend: ApiCallBackend): void;
  /** The `onCall` hook for a client on this backend. */
  reporter(backend: ApiCallBackend): (record: ApiCallRecord) => void;
  /** Writes what is queued. */
  flush(): Promise<void>;
  /** Matching records, newest first, one page. */
  list(query?: ApiLogQuery): Promise<ApiLogPage>;
  clear(): Promise<void>;
}

export interface ApiLogOptions {
  dbName?: string;
  limit?: number;
  /** How long queued records wait to be written with others. */
  flushDelayMs?: number;
}

/** Queued records beyond this are written at once rather than waiting. */
const FLUSH_AT = 100;

export function createApiLog(options: ApiLogOptions = {}): ApiLog {
  const limit = options.limit ?? API_LOG_LIMIT;
  const flushDelayMs = options.flushDelayMs ?? 200;
  let dbPromise: Promise<IDBDatabase> | null = null;
  const db = () =>
    (dbPromise ??= openDatabase(options.dbName ?? DB_NAME, 1, (d) => {
      if (!d.objectStoreNames.contains(STORE)) d.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
    }).catch((err: unknown) => {
      dbPromise = null; // try again next time
      throw err;
    }));

  let queue: Omit<StoredApiCall, 'seq'>[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Writes, clears and reads run one after another, so a read sees every earlier append.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };

  async function write(batch: Omit<StoredApiCall, 'seq'>[]) {
    const tx = (await db()).transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    for (const record of batch) store.add(record);
    // Trim in the same transaction, with callbacks (no awaits inside a live transaction).
    const count = store.count();
    count.onsuccess = () => {
      const excess = count.result - limit;
      if (excess <= 0) return;
      const oldest = store.getAllKeys(null, excess);
      oldest.onsuccess = () => {
        const last = oldest.result[oldest.result.length - 1];
        if (last !== undefined) store.delete(IDBKeyRange.upperBound(last));
      };
    };
    await done(tx);
  }

  function flush(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return serial(async () => undefined);
    return serial(() => write(batch)).catch((err: unknown) => {
      // The log is best effort: a lost batch of log lines must never reach a caller.
      console.warn(
        `Channel Desk: ${batch.length} API log records could not be written`,
        err instanceof Error ? err.name : 'error',
      );
    });
  }

  function append(record: ApiCallRecord, backend: ApiCallBackend) {
    try {
      queue.push(toStored(record, backend));
      if (queue.length >= FLUSH_AT) void flush();
      else timer ??= setTimeout(() => void flush(), flushDelayMs);
    } catch {
      // never let the log break a call
    }
  }

  return {
    append,
    reporter: (backend) => (record) => append(record, backend),
    flush,
    async list(query = {}) {
      await flush();
      const rows = await serial(async () => {
        const tx = (await db()).transaction(STORE, 'readonly');
        return (await request(tx.objectStore(STORE).getAll())) as unknown[];
      });
      const parsed: StoredApiCall[] = [];
      let unreadable = 0;
      for (let i = rows.length - 1; i >= 0; i--) {
        const r = StoredApiCall.safeParse(rows[i]);
        if (r.success) parsed.push(r.data);
        else unreadable++;
      }
      const matching = parsed.filter((r) => matches(r, query));
      const offset = query.offset ?? 0;
      return {
        records: matching.slice(offset, offset + (query.limit ?? DEFAULT_PAGE_SIZE)),
        total: matching.length,
        stored: rows.length,
        unreadable,
        endpoints: [...new Set(parsed.map((r) => r.endpoint))].sort(),
        jobIds: [...new Set(parsed.flatMap((r) => (r.jobId ? [r.jobId] : [])))],
      };
    },
    clear() {
      queue = [];
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      return serial(async () => {
        const tx = (await db()).transaction(STORE, 'readwrite');
        tx.objectStore(STORE).clear();
        await done(tx);
      });
    },
  };
}

/**
 * The record as stored: only the fields the log defines, so anything a future
 * client adds to its report is not stored unseen. Channel and job are public IDs.
 */
function toStored(record: ApiCallRecord, backend: ApiCallBackend): Omit<StoredApiCall, 'seq'> {
  return {
    at: record.at,
    method: record.method,
    endpoint: record.endpoint.split('?')[0]!,
    ...(record.channel !== undefined ? { channel: record.channel } : {}),
    ...(record.batchSize !== undefined ? { batchSize: record.batchSize } : {}),
    status: record.status,
    ...(record.code !== undefined ? { code: record.code } : {}),
    durationMs: record.durationMs,
    ...(record.jobId !== undefined ? { jobId: record.jobId } : {}),
    ...(record.profileId !== undefined ? { profileId: record.profileId } : {}),
    ...(record.shape !== undefined ? { shape: record.shape } : {}),
    tolerances: [...record.tolerances],
    backend,
  };
}
