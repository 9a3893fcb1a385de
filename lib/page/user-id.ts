/**
 * The 회원번호 pattern, repeated here without zod so the content script stays
 * small (a meta-test keeps it equal to lib/kakao/ids.ts USER_ID_PATTERN).
 */
export const PAGE_USER_ID_PATTERN = /^[1-9][0-9]{0,19}$/;

export function isPageUserId(text: string): boolean {
  return PAGE_USER_ID_PATTERN.test(text);
}
