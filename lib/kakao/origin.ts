/** Kakao's REST host. Every API call goes here unless a build overrides it. */
const DEFAULT_API_ORIGIN = 'https://kapi.kakao.com';

/**
 * Normalises the build-time override (`WXT_KAKAO_API_ORIGIN`) to a bare origin.
 * Only http(s) origins are accepted; anything else fails the build loudly.
 */
export function resolveApiOrigin(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') return DEFAULT_API_ORIGIN;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`WXT_KAKAO_API_ORIGIN is not a URL: ${raw}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`WXT_KAKAO_API_ORIGIN must be http(s): ${raw}`);
  }
  return url.origin;
}

/** The host permission that covers the API origin (match patterns carry no port). */
export function apiHostPermission(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}
