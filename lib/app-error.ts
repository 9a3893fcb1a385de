import type { Explanation } from './kakao/explain';
import type { KakaoErrorInfo } from './kakao/errors';

/*
 * Failures of Channel Desk itself (a job it does not know, a draft already started,
 * a permission the browser has not given), each with its own local code and a
 * Korean and English sentence. Thrown where the failure arises; it crosses messages
 * as a KakaoErrorInfo whose `code` is the local code (`data-error-code` shows it),
 * so the manager never reads a Kakao code's text about something Kakao never saw.
 * Zod-free, like lib/kakao/explain.ts: extension pages may import it.
 */

export const APP_ERROR_CODES = [
  'unknown_job',
  'job_not_draft',
  'job_incomplete',
  'chunk_misaligned',
  'job_input_invalid',
  'webhook_permission_missing',
  'job_identity_changed',
  'key_locked',
  'pin_needs_remember',
  'pin_not_set',
  'unknown_profile',
  'last_profile',
  'too_many_profiles',
  'duplicate_profile',
  'invalid_profile_order',
  'settings_file_invalid',
  'settings_file_has_key',
  'policy_managed',
  'unknown_audience',
  'audience_list_invalid',
  'audience_no_channels',
  'audience_busy',
  'audience_empty',
  'too_many_audiences',
  'invalid_time_zone',
  'relay_has_no_key',
  'relay_url_invalid',
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

export const APP_EXPLANATIONS: Record<AppErrorCode, Explanation> = {
  unknown_job: {
    ko: '작업을 찾을 수 없습니다. 이미 삭제되었거나, 한 시간 넘게 시작하지 않은 초안이라 정리되었습니다. 작업 목록을 새로 고친 뒤 다시 시작하세요.',
    en:
      'That job no longer exists: it was deleted, or it was a draft left unstarted for over an hour. ' +
      'Refresh the job list and start again.',
  },
  job_not_draft: {
    ko: '이미 시작된 작업이라 입력을 더 받을 수 없습니다. 새 작업을 만드세요.',
    en: 'This job has already started, so it takes no more input. Create a new job.',
  },
  job_incomplete: {
    ko: '작업 입력이 아직 다 전달되지 않아 시작할 수 없습니다. 파일을 다시 선택해 새 작업을 만드세요.',
    en: 'Not all of the job’s input arrived, so it cannot start. Choose the file again to create a new job.',
  },
  chunk_misaligned: {
    ko: '작업 입력 조각이 묶음 경계에 맞지 않아 저장하지 않았습니다. 페이지를 새로 고친 뒤 다시 시도하세요.',
    en:
      'A piece of the job’s input did not line up with its batches, so it was not stored. ' +
      'Reload the page and try again.',
  },
  job_input_invalid: {
    ko: '저장된 작업 입력이 올바르지 않아 작업을 시작하지 않았습니다. 아무것도 보내지 않았습니다. 파일을 다시 선택해 새 작업을 만드세요.',
    en:
      'The job’s stored input is not valid, so the job was not started and nothing was sent. ' +
      'Choose the file again to create a new job.',
  },
  webhook_permission_missing: {
    ko: '브라우저가 이 웹훅 주소 접근을 허용하지 않았습니다. 테스터에서 "접근 허용"을 누른 뒤 다시 보내세요.',
    en:
      'The browser has not given Channel Desk access to this webhook address. ' +
      'Choose "Grant access" in the tester, then send again.',
  },
  job_identity_changed: {
    ko:
      '이 작업의 저장된 기록이 만들 때와 다릅니다(작업 종류, 샌드박스/실제, 채널, 고객 파일 또는 사용자 유형). ' +
      '다른 프로그램이 기록을 바꿨을 수 있어 실행하지 않았고, 카카오에 아무 요청도 보내지 않았습니다. ' +
      '이 작업을 삭제하고 새로 만드세요.',
    en:
      'This job’s stored record no longer matches how it was created ' +
      '(its kind, sandbox or real, channel, customer file or user type). ' +
      'Something else may have changed it, so it was not run and nothing was sent to Kakao. ' +
      'Delete this job and create it again.',
  },
  key_locked: {
    ko: '어드민 키가 PIN으로 잠겨 있습니다. 아무 요청도 보내지 않았습니다. 툴바의 Channel Desk 팝업이나 설정에서 PIN을 입력해 잠금을 해제한 뒤 다시 시도하세요.',
    en:
      'The Admin key is locked with a PIN, so nothing was sent. ' +
      'Unlock it with your PIN in the Channel Desk popup (toolbar) or in Settings, then try again.',
  },
  pin_needs_remember: {
    ko: 'PIN은 "이 기기에 키 기억하기"로 저장한 키에만 설정할 수 있습니다. 이번 세션에만 저장한 키는 브라우저를 닫으면 이미 지워집니다.',
    en:
      'A PIN can only be set on a key saved with "Remember on this device". ' +
      'A key saved for this session only is already gone when the browser closes.',
  },
  pin_not_set: {
    ko: '이 키에는 PIN이 설정되어 있지 않습니다. 설정을 새로 고친 뒤 다시 시도하세요.',
    en: 'This key has no PIN. Reload Settings and try again.',
  },
  unknown_profile: {
    ko: '이 프로필을 찾을 수 없습니다. 다른 창에서 삭제되었을 수 있습니다. 페이지를 새로 고치세요.',
    en: 'That profile no longer exists; it may have been deleted in another window. Reload the page.',
  },
  last_profile: {
    ko: '마지막 프로필은 삭제할 수 없습니다. 먼저 다른 프로필을 추가하세요.',
    en: 'The last profile cannot be deleted. Add another profile first.',
  },
  too_many_profiles: {
    ko: '프로필은 20개까지 만들 수 있습니다. 쓰지 않는 프로필을 삭제한 뒤 추가하세요.',
    en: 'You can have at most 20 profiles. Delete one you no longer use, then add this one.',
  },
  duplicate_profile: {
    ko: '같은 ID의 프로필이 이미 있습니다.',
    en: 'A profile with that ID already exists.',
  },
  invalid_profile_order: {
    ko: '프로필 순서를 저장하지 못했습니다. 목록이 바뀌었을 수 있으니 페이지를 새로 고치세요.',
    en: 'The profile order was not saved: the list may have changed. Reload the page.',
  },
  settings_file_invalid: {
    ko: '설정 파일을 읽을 수 없습니다. Channel Desk에서 내보낸 channel-desk-settings.json 파일인지 확인하세요. 아무것도 바꾸지 않았습니다.',
    en:
      'The settings file could not be read. Check that it is a channel-desk-settings.json exported by Channel Desk. ' +
      'Nothing was changed.',
  },
  settings_file_has_key: {
    ko: '이 설정 파일에 어드민 키로 보이는 값이 있어 가져오지 않았습니다. 어드민 키는 파일로 주고받지 마세요. 키를 뺀 파일을 쓰고, 키는 각 브라우저에서 직접 입력하세요.',
    en:
      'This settings file holds something that looks like an Admin key, so it was not imported. ' +
      'Never pass Admin keys around in files: use a file without keys and type the key on each browser.',
  },
  policy_managed: {
    ko: '조직에서 설정한 값이라 여기서 바꿀 수 없습니다. 바꾸려면 IT 관리자에게 문의하세요.',
    en: 'Your organisation set this, so it cannot be changed here. Ask your IT admin to change it.',
  },
  unknown_audience: {
    ko: '대상 목록을 찾을 수 없습니다. 이미 삭제되었을 수 있습니다. 목록을 새로 고친 뒤 다시 시도하세요.',
    en: 'That audience no longer exists: it may have been deleted. Refresh the list and try again.',
  },
  audience_list_invalid: {
    ko: '대상 목록의 회원번호 목록이 저장되지 않았거나 올바르지 않아 만들지 않았습니다. 파일을 다시 선택해 다시 만드세요.',
    en:
      'The audience’s ID list was not stored, or is not valid, so the audience was not created. ' +
      'Choose the file again and create it again.',
  },
  audience_no_channels: {
    ko: '확인할 채널이 없습니다. 설정에서 채널 프로필 ID를 추가한 뒤 다시 확인하세요.',
    en: 'There is no channel to check. Add a channel public ID in Settings, then re-check.',
  },
  audience_busy: {
    ko: '이 대상 목록의 다시 확인이 이미 진행 중이거나 일시 중지되어 있습니다. 작업 기록에서 이어서 하거나 취소한 뒤 다시 시도하세요.',
    en: 'A re-check of this audience is already running or paused. ' + 'Resume or cancel it in Jobs, then try again.',
  },
  audience_empty: {
    ko: '대상 목록에 넣을 회원번호가 없습니다. 다른 조건이나 파일을 고르세요.',
    en: 'There are no user IDs to put in the audience. Choose another filter or file.',
  },
  too_many_audiences: {
    ko: '대상 목록은 100개까지 만들 수 있습니다. 쓰지 않는 목록을 삭제한 뒤 다시 만드세요.',
    en: 'You can keep up to 100 audiences. Delete one you no longer use, then create it again.',
  },
  invalid_time_zone: {
    ko: '브라우저가 알지 못하는 시간대입니다. 다른 시간대를 고르세요.',
    en: 'The browser does not know that time zone. Choose another one.',
  },
  relay_has_no_key: {
    ko: '릴레이 프로필에는 어드민 키를 저장하지 않습니다(키는 릴레이 서버에만 있습니다). 릴레이 토큰을 입력하거나, 직접 연결로 바꾸세요.',
    en:
      'A relay profile keeps no Admin key (the key stays on the relay server). Enter the relay token, ' +
      'or switch the profile to a direct connection.',
  },
  relay_url_invalid: {
    ko: '릴레이 URL이 올바르지 않습니다. https://로 시작하고 계정 정보, ?나 #이 없는 주소를 입력하세요(예: https://relay.example.com/kakao).',
    en:
      'The relay URL is not valid. Enter an https:// address without credentials, ? or # ' +
      '(e.g. https://relay.example.com/kakao).',
  },
};

export function isAppErrorCode(code: unknown): code is AppErrorCode {
  return typeof code === 'string' && (APP_ERROR_CODES as readonly string[]).includes(code);
}

/** Removes anything key-shaped (32 hex characters) or an Authorization value (the same rule as lib/kakao/errors.ts). */
function redact(text: string): string {
  return text
    .replace(/KakaoAK\s*\S+/gi, 'KakaoAK [redacted]')
    .replace(/(?<![0-9a-fA-F])[0-9a-fA-F]{32}(?![0-9a-fA-F])/g, '[redacted]');
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status = null;
  readonly retryable = false;
  readonly explanation: Explanation;
  /** What exactly failed (for "copy details"), redacted; never shown as the explanation. */
  readonly detail: string | undefined;

  constructor(code: AppErrorCode, detail?: string) {
    const explanation = APP_EXPLANATIONS[code];
    const safe = detail === undefined ? undefined : redact(detail).slice(0, 300);
    super(safe ?? explanation.en);
    this.name = 'AppError';
    this.code = code;
    this.explanation = explanation;
    this.detail = safe;
  }

  toInfo(): KakaoErrorInfo {
    return {
      code: this.code,
      status: null,
      retryable: false,
      explanation: this.explanation,
      ...(this.detail ? { detail: this.detail } : {}),
    };
  }
}
