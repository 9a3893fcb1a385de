/*
 * Access rules of the simulated app, for the connection check's tests: how Kakao
 * answers when the app restricts its Admin key (allowed server IPs, allowed API
 * categories per key since 2025-12-03) or a channel is not linked. The exact
 * codes for a disallowed API category are UNCONFIRMED (docs/kakao-api.md §10: "-3 or -5").
 */

type ApiCategory = 'relationship' | 'files';

export interface AccessRules {
  /** Every call is answered `-401 ip mismatched! callerIp=<ip>` (the app allows the Admin key from server IPs only). */
  ipMismatch?: { callerIp: string };
  /** Every call is answered `-401 domain mismatched! caller=<origin>`. */
  domainMismatch?: { caller: string };
  /** API categories this key may not call, with the code to answer (default -3). */
  deniedApis?: Partial<Record<ApiCategory, { code: -3 | -5 }>>;
  /** Per channel public ID: the error its customer-file calls get (e.g. -819 not linked, -541 not found). */
  channelErrors?: Record<string, { code: number; msg?: string }>;
}

function apiCategoryOf(path: string): ApiCategory | undefined {
  if (path.startsWith('/v2/api/talk/channels')) return 'relationship';
  if (path.startsWith('/v1/talkchannel/')) return 'files';
  return undefined;
}

const CHANNEL_MESSAGES: Record<number, string> = {
  [-819]: 'channel is not connected to app',
  [-541]: 'channel not found',
};

/** The answer the rules force for this request, or undefined to answer normally. */
export function accessAnswer(
  rules: AccessRules,
  req: { path: string; query: URLSearchParams; body: string },
): { status: number; code: number; msg: string } | undefined {
  if (rules.ipMismatch) return { status: 401, code: -401, msg: `ip mismatched! callerIp=${rules.ipMismatch.callerIp}` };
  if (rules.domainMismatch)
    return { status: 401, code: -401, msg: `domain mismatched! caller=${rules.domainMismatch.caller}` };
  const category = apiCategoryOf(req.path);
  const denied = category ? rules.deniedApis?.[category] : undefined;
  if (denied)
    return { status: 403, code: denied.code, msg: `the admin key is not allowed to call this api (${category})` };
  if (category === 'files' && rules.channelErrors) {
    let channel = req.query.get('channel_public_id') ?? undefined;
    if (!channel) {
      try {
        const body = JSON.parse(req.body || '{}') as { channel_public_id?: unknown };
        if (typeof body.channel_public_id === 'string') channel = body.channel_public_id;
      } catch {
        /* not JSON: the route answers it */
      }
    }
    const rule = channel ? rules.channelErrors[channel] : undefined;
    if (rule) return { status: 400, code: rule.code, msg: rule.msg ?? CHANNEL_MESSAGES[rule.code] ?? 'channel error' };
  }
  return undefined;
}
