/*
 * The six Kakao endpoints the extension calls, and nothing else: method + path. For each, where the request names its
 * channel(s) and how many users it is about, read without keeping any user ID (the audit log gets only the count).
 * GETs carry their parameters in the query string, POSTs in a JSON body (Kakao rejects form bodies on these).
 */

interface Located {
  /** The channel public IDs the request names; null when it names none (relationship checks: every linked channel). */
  channels: string[] | null;
  /** How many users the request is about; null for calls about no user (file list, file creation). */
  batch: number | null;
}

export interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  /**
   * True for the relationship checks, where leaving out `channel_ids` asks about every linked channel: with a channel
   * allow-list the relay narrows such a request to the allowed channels instead of refusing it.
   */
  channelsOptional: boolean;
  locate(query: URLSearchParams, body: unknown): Located;
}

/** Every value of a parameter (a repeated parameter is read in full, never just its first value), split at commas. */
function listParam(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((v) => v.replace(/^\[|\]$/g, '').split(','))
    .map((v) => v.trim().replace(/^"|"$/g, ''))
    .filter((v) => v !== '');
}

const queryChannels = (query: URLSearchParams, name: string) => {
  const ids = listParam(query, name);
  return ids.length > 0 ? ids : null;
};

function bodyField(body: unknown, name: string): unknown {
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

function bodyChannel(body: unknown): string[] | null {
  const id = bodyField(body, 'channel_public_id');
  return typeof id === 'string' && id !== '' ? [id] : null;
}

function bodyCount(body: unknown, name: string): number | null {
  const list = bodyField(body, name);
  return Array.isArray(list) ? list.length : null;
}

export const ENDPOINTS: readonly Endpoint[] = [
  {
    method: 'GET',
    path: '/v2/api/talk/channels',
    channelsOptional: true,
    locate: (q) => ({ channels: queryChannels(q, 'channel_ids'), batch: listParam(q, 'target_id').length }),
  },
  {
    method: 'GET',
    path: '/v2/api/talk/channels/multi',
    channelsOptional: true,
    locate: (q) => ({ channels: queryChannels(q, 'channel_ids'), batch: listParam(q, 'target_ids').length }),
  },
  {
    method: 'GET',
    path: '/v1/talkchannel/target_user_file',
    channelsOptional: false,
    locate: (q) => ({ channels: queryChannels(q, 'channel_public_id'), batch: null }),
  },
  {
    method: 'POST',
    path: '/v1/talkchannel/create/target_user_file',
    channelsOptional: false,
    locate: (_q, body) => ({ channels: bodyChannel(body), batch: null }),
  },
  {
    method: 'POST',
    path: '/v1/talkchannel/update/target_users',
    channelsOptional: false,
    locate: (_q, body) => ({ channels: bodyChannel(body), batch: bodyCount(body, 'users') }),
  },
  {
    method: 'POST',
    path: '/v1/talkchannel/delete/target_users',
    channelsOptional: false,
    locate: (_q, body) => ({ channels: bodyChannel(body), batch: bodyCount(body, 'user_ids') }),
  },
];
