import { errorCodeOf } from './respond';
import type { FaultKind, SimLogEntry, SimResponse } from './types';

/* The request log: one entry per request, in arrival order; tests and benchmarks read it as the truth. */

export function createRequestLog(now: () => number) {
  const entries: SimLogEntry[] = [];
  return {
    entries,
    /** A new entry for a request, already in the log; its outcome is filled in by `settle`. */
    open(method: string, url: URL): SimLogEntry {
      const entry: SimLogEntry = {
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status: 0,
        count: 0,
        at: now(),
      };
      entries.push(entry);
      return entry;
    },
    /** Records how a request ended: its status and Kakao code, and the fault injected, if any. */
    settle(entry: SimLogEntry, response: SimResponse | undefined, fault?: FaultKind) {
      if (fault) entry.fault = fault;
      entry.status = response?.status ?? 0;
      const code = response ? errorCodeOf(response) : undefined;
      if (code !== undefined) entry.code = code;
    },
    clear() {
      entries.length = 0;
    },
  };
}
