/*
 * The Korean and English sentence for each error code. Zod-free, so extension
 * pages can build an explanation (e.g. when the background cannot be reached)
 * without pulling zod into their first-paint bundle. `errors.ts` re-exports it.
 */

import { APP_EXPLANATIONS, isAppErrorCode } from '../app-error';

export interface Explanation {
  ko: string;
  en: string;
}

/** The relay's own error codes (relay/src/app.ts); each has its explanation below. */
export const RELAY_ERROR_CODES = [
  'relay_auth',
  'relay_channel',
  'relay_rate',
  'relay_not_found',
  'relay_too_large',
  'relay_upstream',
  'relay_timeout',
  'relay_cancelled',
  'relay_error',
] as const;

const EXPLANATIONS: Record<string, Explanation> = {
  '-1': {
    ko: '카카오 서버에 일시적인 문제가 있습니다 (-1). 잠시 후 다시 시도하세요.',
    en: "Kakao's server had a temporary problem (-1). Try again shortly.",
  },
  '-2': {
    ko: '요청 값이 올바르지 않습니다 (-2). 회원번호, 채널 프로필 ID, 요청 개수(최대 200명/2,000명)를 확인하세요.',
    en:
      'A request value is missing or invalid (-2). Check the user IDs, ' +
      'channel public IDs and batch size (200 / 2,000 at most).',
  },
  '-3': {
    ko: '이 기능이 앱에서 켜져 있지 않습니다 (-3). 카카오디벨로퍼스에서 카카오톡 채널 연결과 고객 파일 업로드 정책 동의를 확인하세요.',
    en:
      'This feature is not enabled for the app (-3). In Kakao Developers, ' +
      'check the linked channel and the customer-file upload policy agreement.',
  },
  '-4': {
    ko: '계정이 제한되어 이 작업을 할 수 없습니다 (-4).',
    en: 'The account is restricted and cannot do this (-4).',
  },
  '-5': {
    ko: '권한이 없습니다 (-5). 이 어드민 키에 카카오톡 채널 API 권한이 있는지 확인하세요.',
    en: 'Permission denied (-5). Check that this Admin key may call the Kakao Talk Channel APIs.',
  },
  '-7': {
    ko: '카카오 서비스 점검 중입니다 (-7). 잠시 후 다시 시도하세요.',
    en: 'Kakao is under maintenance (-7). Try again later.',
  },
  '-10': {
    ko: 'API 호출 한도를 초과했습니다 (-10). 한도가 초기화된 뒤 작업을 다시 시작하세요.',
    en: 'The API quota is used up (-10). Resume the job after the quota resets.',
  },
  '-12': {
    ko: '앱 또는 개발자 계정이 정지되었습니다 (-12).',
    en: 'The app or developer account is suspended (-12).',
  },
  '-401': {
    ko: '어드민 키가 올바르지 않거나 이 IP에서 사용할 수 없습니다 (-401). 키를 다시 복사하거나, 앱 설정에서 허용 IP를 확인하세요.',
    en:
      'The Admin key is invalid or not allowed from this IP (-401). Copy the key again, ' +
      'or check the allowed IPs in the app settings.',
  },
  '-402': {
    ko: '사용자가 필요한 동의 항목(plusfriends)에 동의하지 않았습니다 (-402).',
    en: 'The user has not agreed to the required consent item (plusfriends) (-402).',
  },
  '-541': {
    ko: '채널이 존재하지 않습니다 (-541). 채널 프로필 ID(예: _ZeUTxl)를 확인하세요.',
    en: 'The channel does not exist (-541). Check the channel public ID (e.g. _ZeUTxl).',
  },
  '-544': {
    ko: '제재된 채널이라 이 기능을 쓸 수 없습니다 (-544).',
    en: 'The channel is restricted and cannot use this feature (-544).',
  },
  '-603': {
    ko: '카카오 서버 내부 시간 초과입니다 (-603). 잠시 후 다시 시도합니다.',
    en: "Kakao's server timed out internally (-603). It will be retried.",
  },
  '-815': {
    ko: '채널 API 내부 오류입니다 (-815). 고객 파일 업로드 정책 동의 여부를 확인하세요.',
    en: 'Internal error in the channel API (-815). Check that the customer-file upload policy is agreed.',
  },
  '-816': {
    ko: '고객 파일을 찾을 수 없습니다 (-816). 파일 목록을 새로 고치세요.',
    en: 'The customer file was not found (-816). Refresh the file list.',
  },
  '-817': {
    ko: '같은 이름의 고객 파일이 이미 있거나 쓸 수 없는 이름입니다 (-817). 다른 이름을 입력하세요.',
    en: 'A customer file with this name already exists, or the name is not allowed (-817). Choose another name.',
  },
  '-818': {
    ko: '채널의 고객 파일이 30개로 가득 찼습니다 (-818). 관리자센터에서 파일을 정리하세요.',
    en: 'The channel already has 30 customer files (-818). Remove files in the Channel Manager Center.',
  },
  '-819': {
    ko: '채널이 앱에 연결되어 있지 않습니다 (-819). 카카오디벨로퍼스 > 앱 > 카카오톡 채널에서 연결하세요.',
    en: 'The channel is not linked to the app (-819). Link it in Kakao Developers > App > Kakao Talk Channel.',
  },
  '-9798': {
    ko: '카카오 서비스 점검 중입니다 (-9798). 잠시 후 다시 시도합니다.',
    en: 'Kakao is under maintenance (-9798). It will be retried.',
  },
  network: {
    ko: '카카오 API에 연결할 수 없습니다. 네트워크 연결을 확인하세요.',
    en: 'Could not reach the Kakao API. Check the network connection.',
  },
  timeout: {
    ko: '카카오 API 응답이 너무 늦어 요청을 중단했습니다. 잠시 후 다시 시도합니다.',
    en: 'The Kakao API took too long to answer. It will be retried.',
  },
  invalid_response: {
    ko: '카카오 API의 응답 형식을 이해할 수 없습니다. 상세 정보를 복사해 문의하세요.',
    en: 'The Kakao API answered in an unexpected format. Copy the details and report it.',
  },
  no_key: {
    ko: '저장된 어드민 키가 없습니다. 설정에서 어드민 키를 입력하세요.',
    en: 'No Admin key is saved. Enter the Admin key in Settings.',
  },
  cancelled: {
    ko: '요청이 취소되었습니다.',
    en: 'The request was cancelled.',
  },
  internal: {
    ko: 'Channel Desk 내부 오류입니다. 상세 정보를 복사해 문의하세요.',
    en: 'Channel Desk had an internal error. Copy the details and report it.',
  },
  malformed_key: {
    ko: '어드민 키 형식이 아닙니다: 공백, 줄바꿈이나 한글 같은 문자가 들어 있습니다. 카카오디벨로퍼스 > [앱] > [어드민 키]에서 키만 다시 복사하세요.',
    en:
      'This is not an Admin key: it contains spaces, line breaks or non-ASCII characters. ' +
      'Copy only the key again from Kakao Developers > [App] > [Admin key].',
  },
  no_host_access: {
    ko: '브라우저가 Channel Desk에 카카오 API 접근을 허용하지 않았습니다. 설정에서 "접근 허용"을 누르세요.',
    en: 'The browser has not given Channel Desk access to the Kakao API. Open Settings and choose "Grant access".',
  },
  sandbox_real_channels: {
    ko: '샌드박스(체험용 데이터)에서는 체험용 채널만 조회할 수 있습니다. 저장된 실제 채널은 어드민 키를 입력한 뒤 확인하세요.',
    en:
      'The sandbox (demo data) answers for the demo channels only. ' +
      'Enter your Admin key to run this on your real channels.',
  },
  no_relay_url: {
    ko: '이 프로필은 릴레이 모드인데 릴레이 URL이 없습니다. 설정에서 릴레이 URL을 입력하세요.',
    en: 'This profile uses a relay, but no relay URL is set. Enter the relay URL in Settings.',
  },
  no_relay_token: {
    ko: '저장된 릴레이 토큰이 없습니다. 설정에서 릴레이 관리자에게 받은 토큰을 입력하세요.',
    en: 'No relay token is saved. Enter the token your relay administrator gave you in Settings.',
  },
  relay_no_host_access: {
    ko: '브라우저가 Channel Desk에 릴레이 주소 접근을 허용하지 않았습니다. 설정에서 릴레이 프로필을 다시 저장하고 접근을 허용하세요.',
    en:
      'The browser has not given Channel Desk access to the relay. Save the relay profile again in Settings ' +
      'and allow access.',
  },
  relay_auth: {
    ko: '릴레이가 토큰을 받아들이지 않았습니다 (relay_auth). 설정에서 릴레이 토큰을 다시 붙여 넣거나, 릴레이 관리자에게 새 토큰을 요청하세요.',
    en:
      'The relay did not accept the token (relay_auth). Paste the relay token again in Settings, ' +
      'or ask the relay administrator for a new one.',
  },
  relay_channel: {
    ko: '이 릴레이는 이 채널을 처리하지 않습니다 (403). 릴레이 관리자에게 채널을 허용 목록(RELAY_CHANNELS)에 추가해 달라고 하거나, 채널 프로필 ID를 확인하세요.',
    en:
      'This relay does not serve this channel (403). Ask the relay administrator to add it to the allow-list ' +
      '(RELAY_CHANNELS), or check the channel public ID.',
  },
  relay_rate: {
    ko: '릴레이의 분당 호출 한도를 넘었습니다 (429). 릴레이가 알려 준 시간만큼 기다린 뒤 자동으로 다시 시도합니다.',
    en: "Over the relay's calls-a-minute limit (429). Channel Desk waits as long as the relay says, then retries.",
  },
  relay_not_found: {
    ko: '릴레이가 이 주소를 모릅니다 (relay_not_found). 설정의 릴레이 URL(경로 포함, 예: https://relay.example.com/kakao)을 확인하세요.',
    en:
      'The relay does not know this address (relay_not_found). Check the relay URL in Settings, ' +
      'including its path (e.g. https://relay.example.com/kakao).',
  },
  relay_too_large: {
    ko: '요청이 릴레이의 크기 제한을 넘었습니다 (413). 더 작은 묶음으로 나눠 보내세요.',
    en: "The request is over the relay's size limit (413). Send it in smaller batches.",
  },
  relay_upstream: {
    ko: '릴레이가 카카오에 연결하지 못했습니다 (502). 잠시 후 다시 시도합니다. 계속되면 릴레이 관리자에게 알리세요.',
    en:
      'The relay could not reach Kakao (502). It will be retried; if it keeps happening, ' +
      'tell the relay administrator.',
  },
  relay_timeout: {
    ko: '카카오가 릴레이에 제때 응답하지 않았습니다 (504). 잠시 후 다시 시도합니다.',
    en: 'Kakao did not answer the relay in time (504). It will be retried.',
  },
  relay_cancelled: {
    ko: '릴레이로 가던 요청이 중간에 끊겼습니다. 쓰기 작업이었다면 적용 여부를 고객 파일 목록에서 확인하세요.',
    en:
      'The call to the relay was cut off. If it was a write, check the customer file list ' +
      'to see whether it applied.',
  },
  relay_error: {
    ko: '릴레이 내부 오류입니다 (500). 릴레이 관리자에게 알리세요.',
    en: 'The relay had an internal error (500). Tell the relay administrator.',
  },
};

export function explain(code: number | string, status: number | null): Explanation {
  const known = EXPLANATIONS[String(code)] ?? (isAppErrorCode(code) ? APP_EXPLANATIONS[code] : undefined);
  if (known) return known;
  if (status !== null && status >= 500) {
    return {
      ko: `카카오 서버 오류입니다 (HTTP ${status}, ${code}). 잠시 후 다시 시도합니다.`,
      en: `Kakao server error (HTTP ${status}, ${code}). It will be retried.`,
    };
  }
  return {
    ko: `카카오 API 오류입니다 (${code}). 상세 정보를 복사해 문의하세요.`,
    en: `Kakao API error (${code}). Copy the details and report it.`,
  };
}
