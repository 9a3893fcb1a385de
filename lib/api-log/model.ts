import { z } from 'zod';
import { ErrorCode } from '../kakao/errors';

/*
 * The API log (API 기록): one record per Kakao call the extension made, as the
 * client reported it (lib/kakao/call-record.ts), plus the backend that answered.
 * Records hold where a call went, how it ended and the answer's *shape*: never
 * the key, user IDs, phone numbers or any answer value.
 */

/** The most records kept; older ones are dropped as new ones arrive. */
export const API_LOG_LIMIT = 5000;

/** Which backend answered: the built-in sandbox simulator, or Kakao (the configured API origin). */
export const ApiCallBackend = z.enum(['sandbox', 'real']);
export type ApiCallBackend = z.infer<typeof ApiCallBackend>;

export const StoredApiCall = z.object({
  /** Order of arrival (IndexedDB's key): newest is highest. */
  seq: z.number().int().nonnegative(),
  at: z.number().int().nonnegative(),
  method: z.enum(['GET', 'POST']),
  endpoint: z.string().min(1).max(200),
  channel: z.string().max(1100).optional(),
  batchSize: z.number().int().nonnegative().optional(),
  status: z.number().int().nullable(),
  code: ErrorCode.optional(),
  durationMs: z.number().nonnegative(),
  jobId: z.string().max(60).optional(),
  /** The profile whose key made the call (lib/profiles). */
  profileId: z.string().max(64).optional(),
  shape: z.string().max(2000).optional(),
  tolerances: z.array(z.string().max(80)).max(50),
  backend: ApiCallBackend,
});
export type StoredApiCall = z.infer<typeof StoredApiCall>;

/** Filters and paging of the log; every filter is optional. */
export const ApiLogQuery = z.strictObject({
  endpoint: z.string().max(200).optional(),
  /** `ok`: Kakao answered without an error code; `failed`: any error (Kakao's or local). */
  outcome: z.enum(['ok', 'failed']).optional(),
  code: ErrorCode.optional(),
  jobId: z.string().max(60).optional(),
  /** Epoch ms, inclusive. */
  from: z.number().int().nonnegative().optional(),
  /** Epoch ms, exclusive. */
  to: z.number().int().nonnegative().optional(),
  /** Case-insensitive, anywhere in the endpoint, channel, job, shape, code, status or tolerances. */
  text: z.string().max(200).optional(),
  offset: z.number().int().min(0).max(API_LOG_LIMIT).optional(),
  limit: z.number().int().min(1).max(500).optional(),
});
export type ApiLogQuery = z.infer<typeof ApiLogQuery>;

export interface ApiLogPage {
  /** The page of matching records, newest first. */
  records: StoredApiCall[];
  /** Records matching the filters. */
  total: number;
  /** Records stored (before filtering). */
  stored: number;
  /** Stored records that did not parse (left out of `records`, counted so nothing vanishes silently). */
  unreadable: number;
  /** Endpoints and jobs that occur in the log, for the filter choices. */
  endpoints: string[];
  jobIds: string[];
}

export const DEFAULT_PAGE_SIZE = 50;

/** Whether a record matches a query's filters (paging aside). */
export function matches(record: StoredApiCall, query: ApiLogQuery): boolean {
  if (query.endpoint && record.endpoint !== query.endpoint) return false;
  if (query.outcome === 'ok' && record.code !== undefined) return false;
  if (query.outcome === 'failed' && record.code === undefined) return false;
  if (query.code !== undefined && record.code !== query.code) return false;
  if (query.jobId && record.jobId !== query.jobId) return false;
  if (query.from !== undefined && record.at < query.from) return false;
  if (query.to !== undefined && record.at >= query.to) return false;
  const text = query.text?.trim().toLowerCase();
  if (text) {
    const haystack = [
      record.endpoint,
      record.channel,
      record.jobId,
      record.shape,
      record.code,
      record.status,
      record.backend,
      ...record.tolerances,
    ]
      .filter((v) => v !== undefined && v !== null)
      .join('\n')
      .toLowerCase();
    if (!haystack.includes(text)) return false;
  }
  return true;
}
