import { resolveApiOrigin } from './origin';

/** The API origin this build talks to (WXT_KAKAO_API_ORIGIN at build time, else Kakao). */
export const API_ORIGIN = resolveApiOrigin(import.meta.env.WXT_KAKAO_API_ORIGIN as string | undefined);
