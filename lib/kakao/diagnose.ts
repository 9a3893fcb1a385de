import type { KakaoClient } from './client';
import { matchChannels, type ChannelMatch, type LinkedChannel } from './channel-match';
import { explain, type Explanation } from './explain';

export { suggestChannelId, type LinkedChannel } from './channel-match';

/*
 * The connection check (연결 진단): with one key, one safe read per API area and
 * channel — a relationship check of a probe user, then the customer-file list of
 * each configured channel — each classified into ok / fail with the fix, in
 * Korean and English, saying where in the Kakao Developers console to change it.
 *
 * What counts as a bad key: only -401 (and a key that cannot be one). Any other
 * answer from Kakao means Kakao accepted the key. In particular, the relationship
 * check of a made-up user may answer -101 / -2 / -402 for a perfectly good key
 * (docs/kakao-api.md §6): that proves the key, it does not fail it.
 *
 * Browser-free and zod-free: the background runs it, pages render its result and
 * build the Markdown report, tests drive it with a client talking to the simulator.
 */

export type CheckCategory =
  | 'bad_key'
  | 'ip_not_allowed'
  | 'domain_mismatch'
  | 'api_not_allowed'
  | 'channel_not_linked'
  | 'channel_not_found'
  | 'quota'
  | 'kakao_or_network'
  | 'relay_refused'
  | 'other';

type CheckArea = 'relationship' | 'files';

/** One row of the check table. `check` is the public name: `relationship` or `files:<channel id>`. */
export interface CheckRow {
  check: string;
  area: CheckArea;
  channelId?: string;
  status: 'ok' | 'fail';
  /**
   * Kakao's code (or a local one: network, timeout, malformed_key, …); also on an ok row that Kakao answered with a
   * code.
   */
  code?: number | string;
  httpStatus?: number | null;
  category?: CheckCategory;
  /** For a failed row: what happened and how to fix it. For an ok row: what was read, or a note. */
  message: Explanation;
  /** Kakao's own message, with the key removed. */
  detail?: string;
}

export type KeyVerdict = 'accepted' | 'bad_key' | 'blocked' | 'relay_refused' | 'unknown';

export interface ConnectionReport {
  /** Epoch ms when the check ran. */
  at: number;
  apiOrigin: string;
  /** A relay profile's check: the relay's URL (the calls went there, with the relay token, not the Admin key). */
  relayUrl?: string;
  /** `••••a1b2`, never more of the key. */
  keyMasked: string | null;
  keySource: 'saved' | 'typed' | 'sandbox';
  keyVerdict: KeyVerdict;
  rows: CheckRow[];
  channels: ChannelMatch;
}

/** What a thrown client error carries (a KakaoApiError, read by shape so this module stays zod-free). */
interface FailureFacts {
  code: number | string;
  status: number | null;
  detail?: string;
}

function failureFacts(err: unknown): FailureFacts {
  if (err && typeof err === 'object' && 'code' in err) {
    const e = err as { code: unknown; status?: unknown; detail?: unknown };
    if (typeof e.code === 'number' || typeof e.code === 'string') {
      return {
        code: e.code,
        status: typeof e.status === 'number' ? e.status : null,
        ...(typeof e.detail === 'string' ? { detail: e.detail } : {}),
      };
    }
  }
  return { code: 'internal', status: null };
}

/**
 * Answers to the probe user's relationship check that still prove the key: the
 * user is made up, so "not the app's user" (-101), "invalid request" (-2) and
 * "no consent" (-402) are what a good key can get. UNCONFIRMED which one Kakao sends.
 */
const PROBE_USER_CODES = new Set<number>([-2, -101, -103, -402]);
const TEMPORARY_CODES = new Set<number | string>([-1, -7, -603, -9798, 'network', 'timeout']);
/** The relay (or its set-up in the profile) refused the call before Kakao saw it. */
const RELAY_REFUSALS = new Set<number | string>([
  'relay_auth',
  'relay_channel',
  'relay_rate',
  'relay_not_found',
  'relay_too_large',
  'relay_error',
  'relay_no_host_access',
  'no_relay_url',
  'no_relay_token',
]);
/** Refusals about the relay connection itself (not one channel's allow-list): the token or the URL is wrong. */
const RELAY_CONNECTION_REFUSALS = new Set<number | string>([
  'relay_auth',
  'relay_not_found',
  'relay_no_host_access',
  'no_relay_url',
  'no_relay_token',
]);

/** A key that cannot be an Admin key: whitespace or non-ASCII inside (it would not even fit in a header). */
export function isMalformedKey(key: string): boolean {
  return !/^[\x21-\x7e]+$/.test(key.trim());
}

export function classify(facts: FailureFacts): CheckCategory {
  const { code, status, detail = '' } = facts;
  if (code === -401 || code === 'malformed_key') {
    if (/ip\s*mismatch/i.test(detail)) return 'ip_not_allowed';
    if (/domain\s*mismatch/i.test(detail)) return 'domain_mismatch';
    return 'bad_key';
  }
  if (code === -3 || code === -5) return 'api_not_allowed';
  if (code === -819) return 'channel_not_linked';
  if (code === -541) return 'channel_not_found';
  if (code === -10) return 'quota';
  if (RELAY_REFUSALS.has(code)) return 'relay_refused';
  if (TEMPORARY_CODES.has(code) || (status !== null && status >= 500)) return 'kakao_or_network';
  return 'other';
}

/** The value after `callerIp=` / `caller=` in Kakao's -401 message, when it names one. */
function caller(detail: string | undefined): string | undefined {
  return /caller(?:Ip)?\s*[=:]\s*([^\s,;)]+)/i.exec(detail ?? '')?.[1];
}

/** What to do, in Korean and English, with the place in the Kakao Developers console. */
function fixFor(category: CheckCategory, facts: FailureFacts, area: CheckArea, channelId?: string): Explanation {
  const code = String(facts.code);
  const ch = channelId ?? '';
  switch (category) {
    case 'bad_key':
      return facts.code === 'malformed_key'
        ? explain('malformed_key', null)
        : {
            ko:
              `어드민 키가 올바르지 않습니다 (${code}). 카카오디벨로퍼스 > [앱] > [어드민 키]에서 키 전체를 다시 복사해 붙여 넣으세요. ` +
              `REST API 키나 JavaScript 키가 아닌 어드민 키여야 합니다.`,
            en:
              `The Admin key is wrong (${code}). Copy the whole key again from Kakao Developers > [App] > [Admin ` +
              `key]. It must be the Admin key, not the REST API or JavaScript key.`,
          };
    case 'ip_not_allowed': {
      const ip = caller(facts.detail);
      return {
        ko:
          `키는 맞지만, 앱이 어드민 키를 허용된 서버 IP에서만 쓰도록 제한하고 있습니다 (${code}, ` +
          `ip mismatched${ip ? `, 카카오가 본 IP: ${ip}` : ''}). 카카오디벨로퍼스 > [앱] > [보안]의 허용 IP 주소(이전 콘솔: ` +
          `[내 애플리케이션] > [앱 설정] > [보안])에 이 컴퓨터의 IP를 추가하거나, 허용 IP 제한이 없는 별도 어드민 키를 쓰세요.`,
        en:
          `The key is right, but the app allows the Admin key only from listed server IPs (${code}, ` +
          `ip mismatched${ip ? `; Kakao saw ${ip}` : ''}). Add this computer's IP under Kakao Developers > [App] > ` +
          `[Security] > Allowed IP addresses (older console: [My Application] > [App Settings] > [Security]), ` +
          `or use a separate Admin key without an IP restriction.`,
      };
    }
    case 'domain_mismatch': {
      const from = caller(facts.detail);
      return {
        ko:
          `키는 맞지만, 카카오가 요청한 곳의 도메인을 앱에 등록된 도메인과 비교해 거절했습니다 (${code}, ` +
          `domain mismatched${from ? `, 요청한 곳: ${from}` : ''}). 카카오디벨로퍼스 > [앱] > [플랫폼] > [Web]의 사이트 도메인을 확인하세요. ` +
          `어드민 키는 서버용이므로, 이 제한이 필요하면 서버(프록시)를 거쳐 호출하세요.`,
        en:
          `The key is right, but Kakao compared the caller's domain with the app's registered domains and refused ` +
          `(${code}, domain mismatched${from ? `; caller: ${from}` : ''}). ` +
          `Check the site domains under Kakao Developers > [App] > [Platform] > [Web]. ` +
          `The Admin key is meant for servers: if you need this restriction, call through a server (proxy).`,
      };
    }
    case 'api_not_allowed':
      return area === 'files'
        ? {
            ko:
              `키는 맞지만, 이 키로 고객 파일 API를 호출할 수 없습니다 (${code}). 2025년 12월부터 어드민 키마다 쓸 수 있는 API를 정합니다: ` +
              `카카오디벨로퍼스 > [앱] > [어드민 키]에서 이 키에 카카오톡 채널 API를 허용하세요. 허용되어 있다면 [앱] > [카카오톡 채널]에서 채널 연결과 고객 파일 업로드 정책 ` +
              `동의(비즈 앱 필요)를 확인하세요.`,
            en:
              `The key is right, but it may not call the customer-file API (${code}). ` +
              `Since December 2025 each Admin key is limited to chosen APIs: ` +
              `allow the Kakao Talk Channel APIs for this key under Kakao Developers > [App] > [Admin key]. ` +
              `If they are allowed, check the linked channel and the customer-file upload policy agreement under ` +
              `[App] > [Kakao Talk Channel] (a Biz app is needed).`,
          }
        : {
            ko:
              `키는 맞지만, 이 키로 채널 관계 확인 API를 호출할 수 없습니다 (${code}). 2025년 12월부터 어드민 키마다 쓸 수 있는 API를 정합니다: ` +
              `카카오디벨로퍼스 > [앱] > [어드민 키]에서 이 키에 카카오톡 채널 API를 허용하세요. ` +
              `허용되어 있다면 [앱] > [동의항목]에서 '카카오톡 채널 추가 상태 및 내역'(plusfriends)을 켜고 [앱] > [카카오톡 채널]에서 채널을 연결하세요.`,
            en:
              `The key is right, but it may not call the relationship API (${code}). ` +
              `Since December 2025 each Admin key is limited to chosen APIs: ` +
              `allow the Kakao Talk Channel APIs for this key under Kakao Developers > [App] > [Admin key]. ` +
              `If they are allowed, turn on the consent item "Kakao Talk Channel addition status and details" ` +
              `(plusfriends) under [App] > [Consent items] and link the channel under [App] > [Kakao Talk Channel].`,
          };
    case 'channel_not_linked':
      return {
        ko:
          `채널 ${ch}이(가) 이 앱에 연결되어 있지 않습니다 (${code}). 카카오디벨로퍼스 > [앱] > [카카오톡 채널]에서 채널을 연결하세요(비즈 앱 필요). ` +
          `채널 ID를 잘못 적었다면 설정에서 고치세요.`,
        en:
          `Channel ${ch} is not linked to this app (${code}). Link it under Kakao Developers > [App] > [Kakao ` +
          `Talk Channel] (a Biz app is needed). If the channel ID is mistyped, fix it in Settings.`,
      };
    case 'channel_not_found':
      return {
        ko:
          `채널 ${ch}을(를) 찾을 수 없습니다 (${code}). 채널 프로필 ID는 채널 주소 pf.kakao.com/_xxxx의 _xxxx 부분입니다. ` +
          `대소문자와 I(대문자 아이)/l(소문자 엘)을 확인하세요.`,
        en:
          `Channel ${ch} was not found (${code}). The channel public ID is the _xxxx part of the channel address ` +
          `pf.kakao.com/_xxxx. Check upper/lower case and I (capital i) versus l (small L).`,
      };
    case 'quota':
      return {
        ko: `API 호출 한도를 넘었습니다 (${code}). 키 문제는 아닙니다. 카카오디벨로퍼스 > [앱] > [쿼터]에서 사용량을 확인하고, 한도가 초기화된 뒤 다시 진단하세요.`,
        en:
          `The API quota is used up (${code}). This is not a key problem. ` +
          `Check usage under Kakao Developers > [App] > [Quota] and run the check again after the quota resets.`,
      };
    case 'kakao_or_network':
      return {
        ko:
          `카카오 서버 점검 중이거나 네트워크 문제입니다 (${code}${facts.status ? `, HTTP ${facts.status}` : ''}). 키나 앱 설정 문제는 아닙니다. ` +
          `잠시 후 다시 진단하세요.`,
        en:
          `Kakao is under maintenance or the network failed ` +
          `(${code}${facts.status ? `, HTTP ${facts.status}` : ''}). This is not a key or app setting problem. ` +
          `Run the check again later.`,
      };
    case 'relay_refused':
    case 'other':
      return explain(facts.code, facts.status);
  }
}

function failRow(base: Pick<CheckRow, 'check' | 'area' | 'channelId'>, err: unknown): CheckRow {
  const facts = failureFacts(err);
  const category = classify(facts);
  return {
    ...base,
    status: 'fail',
    code: facts.code,
    httpStatus: facts.status,
    category,
    message: fixFor(category, facts, base.area, base.channelId),
    ...(facts.detail ? { detail: facts.detail } : {}),
  };
}

/** A made-up user for the relationship probe (not a real person's 회원번호 anywhere). */
const PROBE_USER_ID = '1';

/**
 * The relationship probe: one check of the probe user without naming channels,
 * so Kakao lists every channel linked to the app. Returns the row and the
 * linked channels (null when the answer did not list them).
 */
export async function probeRelationship(
  client: Pick<KakaoClient, 'checkRelationship'>,
): Promise<{ row: CheckRow; linked: LinkedChannel[] | null }> {
  const base = { check: 'relationship', area: 'relationship' as const };
  try {
    const res = await client.checkRelationship({ userId: PROBE_USER_ID });
    const linked = res.channels.map((c) =>
      c.channel_uuid ? { publicId: c.channel_public_id, uuid: c.channel_uuid } : { publicId: c.channel_public_id },
    );
    const names = linked.map((c) => c.publicId).join(', ');
    return {
      row: {
        ...base,
        status: 'ok',
        message:
          linked.length > 0
            ? {
                ko: `키가 승인되었습니다. 앱에 연결된 채널: ${names}`,
                en: `The key was accepted. Channels linked to the app: ${names}`,
              }
            : {
                ko: '키가 승인되었지만 앱에 연결된 채널이 없습니다. 카카오디벨로퍼스 > [앱] > [카카오톡 채널]에서 연결하세요.',
                en:
                  'The key was accepted, but no channel is linked to the app. ' +
                  'Link one under Kakao Developers > [App] > [Kakao Talk Channel].',
              },
      },
      linked,
    };
  } catch (err) {
    const facts = failureFacts(err);
    if (typeof facts.code === 'number' && PROBE_USER_CODES.has(facts.code)) {
      // Kakao answered about the made-up user: the key got through.
      return {
        row: {
          ...base,
          status: 'ok',
          code: facts.code,
          httpStatus: facts.status,
          message: {
            ko: `키가 승인되었습니다. 카카오가 테스트용 회원번호에 대해 ${facts.code}로 답했는데, 없는 사용자로 확인할 때 정상적인 답입니다. 연결된 채널 목록은 이 답에 없습니다.`,
            en:
              `The key was accepted. Kakao answered ${facts.code} about the made-up test user, ` +
              `which is normal for a user who does not exist. This answer does not list the linked channels.`,
          },
          ...(facts.detail ? { detail: facts.detail } : {}),
        },
        linked: null,
      };
    }
    return { row: failRow(base, err), linked: null };
  }
}

async function fileRow(client: Pick<KakaoClient, 'listCustomerFiles'>, channelId: string): Promise<CheckRow> {
  const base = { check: `files:${channelId}`, area: 'files' as const, channelId };
  try {
    const res = await client.listCustomerFiles({ channelId });
    const count = res.results.length;
    const free = res.empty_slot;
    return {
      ...base,
      status: 'ok',
      message: {
        ko: `고객 파일 목록을 읽었습니다: 파일 ${count}개${free !== undefined ? `, 빈 자리 ${free}개` : ''}.`,
        en:
          `Read the customer-file list: ` +
          `${count} file${count === 1 ? '' : 's'}` +
          `${free !== undefined ? `, ${free} free slot${free === 1 ? '' : 's'}` : ''}.`,
      },
    };
  } catch (err) {
    return failRow(base, err);
  }
}

/** Runs `task` over `items`, at most `limit` at a time, keeping the items' order in the result. */
async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

function keyVerdict(rows: readonly CheckRow[]): KeyVerdict {
  if (rows.some((r) => r.code !== undefined && RELAY_CONNECTION_REFUSALS.has(r.code))) return 'relay_refused';
  if (rows.some((r) => r.category === 'bad_key')) return 'bad_key';
  if (rows.some((r) => r.category === 'ip_not_allowed' || r.category === 'domain_mismatch')) return 'blocked';
  // Any other answer from Kakao (ok, or a non-key error code) means the key got through.
  if (rows.some((r) => r.status === 'ok' || (r.category !== 'kakao_or_network' && typeof r.code === 'number')))
    return 'accepted';
  return 'unknown';
}

export interface RunCheckInput {
  channelIds: readonly string[];
  apiOrigin: string;
  relayUrl?: string;
  keyMasked: string | null;
  keySource: ConnectionReport['keySource'];
  /** Parallel file-list calls; default 3. */
  concurrency?: number;
  now?: () => number;
}

/** Runs every check with `client` (which holds the key) and classifies each outcome. */
export async function runConnectionCheck(
  client: Pick<KakaoClient, 'checkRelationship' | 'listCustomerFiles'>,
  input: RunCheckInput,
): Promise<ConnectionReport> {
  const at = (input.now ?? Date.now)();
  const probe = await probeRelationship(client);
  const files = await mapBounded(input.channelIds, input.concurrency ?? 3, (id) => fileRow(client, id));
  const rows = [probe.row, ...files];
  return {
    at,
    apiOrigin: input.apiOrigin,
    ...(input.relayUrl ? { relayUrl: input.relayUrl } : {}),
    keyMasked: input.keyMasked,
    keySource: input.keySource,
    keyVerdict: keyVerdict(rows),
    rows,
    channels: matchChannels(input.channelIds, probe.linked),
  };
}

/** The report for a malformed key: no call is made. */
export function malformedKeyReport(input: Omit<RunCheckInput, 'concurrency'>): ConnectionReport {
  const facts = { code: 'malformed_key', status: null };
  const row: CheckRow = {
    check: 'relationship',
    area: 'relationship',
    status: 'fail',
    code: 'malformed_key',
    httpStatus: null,
    category: 'bad_key',
    message: fixFor('bad_key', facts, 'relationship'),
  };
  return {
    at: (input.now ?? Date.now)(),
    apiOrigin: input.apiOrigin,
    keyMasked: input.keyMasked,
    keySource: input.keySource,
    keyVerdict: 'bad_key',
    rows: [row],
    channels: matchChannels(input.channelIds, null),
  };
}

const VERDICT_TEXT: Record<KeyVerdict, Explanation> = {
  accepted: { ko: '카카오가 키를 승인했습니다', en: 'Kakao accepted the key' },
  bad_key: { ko: '키가 올바르지 않습니다', en: 'The key is wrong' },
  blocked: { ko: '키는 맞지만 이 컴퓨터에서 쓸 수 없습니다', en: 'The key is right but cannot be used from here' },
  relay_refused: {
    ko: '릴레이가 요청을 거절했습니다: 릴레이 URL과 토큰을 확인하세요',
    en: 'The relay refused the call: check the relay URL and token',
  },
  unknown: { ko: '카카오에 연결하지 못해 알 수 없습니다', en: 'Unknown: Kakao could not be reached' },
};
export const verdictText = (verdict: KeyVerdict): Explanation => VERDICT_TEXT[verdict];

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/**
 * The report a manager pastes into a support ticket: Markdown, in one language,
 * with the masked key at most. The key itself is never an input of this function.
 */
export function reportMarkdown(report: ConnectionReport, lang: 'ko' | 'en'): string {
  const ko = lang === 'ko';
  const relay = report.relayUrl !== undefined;
  const keyKind =
    report.keySource === 'typed'
      ? ko
        ? `입력한 ${relay ? '토큰' : '키'}, 저장 안 됨`
        : 'typed, not saved'
      : ko
        ? `저장된 ${relay ? '토큰' : '키'}`
        : 'saved';
  const key =
    report.keySource === 'sandbox'
      ? ko
        ? '샌드박스(체험용 데이터)'
        : 'sandbox (demo data)'
      : `${report.keyMasked ?? '-'} (${keyKind})`;
  const lines = [
    ko ? '# Channel Desk 연결 진단' : '# Channel Desk connection check',
    '',
    `- ${ko ? '시각' : 'Time'}: ${new Date(report.at).toISOString()}`,
    relay ? `- ${ko ? '릴레이' : 'Relay'}: ${report.relayUrl}` : `- API: ${report.apiOrigin}`,
    relay ? `- ${ko ? '릴레이 토큰' : 'Relay token'}: ${key}` : `- ${ko ? '키' : 'Key'}: ${key}`,
    `- ${ko ? '판정' : 'Verdict'}: ${verdictText(report.keyVerdict)[lang]}`,
    '',
    ko ? '| 확인 | 결과 | 코드 | 설명 |' : '| Check | Result | Code | Explanation |',
    '|---|---|---|---|',
    ...report.rows.map(
      (r) =>
        `| ${cell(r.check)} | ${r.status === 'ok' ? '✓ ok' : '✗ fail'} | ` +
        `${r.code === undefined ? '' : cell(String(r.code))} | ` +
        `${cell(r.message[lang])}${r.detail ? ` (${cell(r.detail)})` : ''} |`,
    ),
  ];
  const { missing, unconfigured, linked } = report.channels;
  if (linked) {
    lines.push('', ko ? '## 채널' : '## Channels', '');
    lines.push(`- ${ko ? '설정한 채널' : 'Configured'}: ${report.channels.configured.join(', ') || '-'}`);
    lines.push(
      `- ${ko ? '앱에 연결된 채널' : 'Linked to the app'}: ` +
        `${linked.map((c) => c.publicId + (c.uuid ? ` (${c.uuid})` : '')).join(', ') || '-'}`,
    );
    for (const m of missing) {
      lines.push(
        `- ${ko ? `앱에 없는 채널: ${m.publicId}` : `Not linked to the app: ${m.publicId}`}` +
          `${m.suggestion ? (ko ? ` (혹시 ${m.suggestion}?)` : ` (did you mean ${m.suggestion}?)`) : ''}`,
      );
    }
    if (unconfigured.length > 0) {
      lines.push(
        `- ${ko ? '연결되어 있지만 설정에 없는 채널' : 'Linked but not configured'}: ` +
          `${unconfigured.map((c) => c.publicId).join(', ')}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
