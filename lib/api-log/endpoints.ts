/*
 * The Kakao endpoints the client calls, in the order the API log's filter lists
 * them, each with the i18n key of its friendly name. Zod-free: the workspace page
 * imports this.
 */
export const KNOWN_ENDPOINTS = [
  { path: '/v2/api/talk/channels', nameKey: 'apiLog.endpoint.checkOne' },
  { path: '/v2/api/talk/channels/multi', nameKey: 'apiLog.endpoint.checkMany' },
  { path: '/v1/talkchannel/target_user_file', nameKey: 'apiLog.endpoint.listFiles' },
  { path: '/v1/talkchannel/create/target_user_file', nameKey: 'apiLog.endpoint.createFile' },
  { path: '/v1/talkchannel/update/target_users', nameKey: 'apiLog.endpoint.addUsers' },
  { path: '/v1/talkchannel/delete/target_users', nameKey: 'apiLog.endpoint.deleteUsers' },
] as const;

export type EndpointNameKey = (typeof KNOWN_ENDPOINTS)[number]['nameKey'];

export function endpointNameKey(path: string): EndpointNameKey | undefined {
  return KNOWN_ENDPOINTS.find((e) => e.path === path)?.nameKey;
}
