import type { Explanation } from '../kakao/explain';
import type { SitePatternError } from './sites';

/*
 * What the manager reads when a badge-site request is refused, in both
 * languages (the UI shows the one its catalog uses, like every KakaoErrorInfo).
 * Zod-free: the content script shows `not_enabled` on its badges.
 */
export type SiteErrorKind =
  'not_enabled' | 'no_permission' | 'unknown_site' | 'unknown_channel' | `pattern_${SitePatternError}`;

const PATTERN_HINT = {
  ko: 'https://admin.example.com/* 처럼 사이트 하나를 적으세요.',
  en: 'Write a single site, e.g. https://admin.example.com/*.',
};

export const SITE_EXPLANATIONS: Record<SiteErrorKind, Explanation> = {
  not_enabled: {
    ko: '이 사이트에는 배지가 켜져 있지 않습니다. 설정의 배지 사이트에 추가하세요.',
    en: 'Badges are not turned on for this site. Add it under badge sites in Settings.',
  },
  no_permission: {
    ko: '브라우저가 이 사이트 접근을 허용하지 않았습니다. 사이트를 다시 추가하고 "허용"을 누르세요.',
    en: 'The browser has not granted access to this site. Add the site again and choose Allow.',
  },
  unknown_site: {
    ko: '목록에 없는 사이트입니다. 설정 페이지를 새로 고친 뒤 다시 시도하세요.',
    en: 'That site is not in the list. Reload Settings and try again.',
  },
  unknown_channel: {
    ko: '설정에 없는 채널입니다. 채널 목록을 저장한 뒤 배지 채널을 다시 고르세요.',
    en: 'That channel is not in Settings. Save the channel list, then choose the badge channel again.',
  },
  pattern_empty: { ko: '사이트 주소를 입력하세요.', en: "Enter the site's address." },
  pattern_scheme: {
    ko: 'http와 https 사이트에만 배지를 표시할 수 있습니다. *:// 대신 https:// 또는 http://를 적으세요.',
    en: 'Only http and https sites can have badges. Write https:// or http://, not *://.',
  },
  pattern_host: {
    ko: `사용할 수 없는 호스트입니다. ${PATTERN_HINT.ko}`,
    en: `That is not a host Channel Desk can use. ${PATTERN_HINT.en}`,
  },
  pattern_path: { ko: '경로에는 공백, ?, #을 쓸 수 없습니다.', en: 'The path may not contain spaces, ? or #.' },
  pattern_insecure: {
    ko: 'http:// 사이트는 내부망 주소(localhost, 127.x, 10.x, 172.16–31.x, 192.168.x, *.local, *.internal)에만 쓸 수 있습니다. 그 밖의 사이트는 https://로 적으세요.',
    en: 'http:// is allowed only for private addresses (localhost, 127.x, 10.x, 172.16–31.x, 192.168.x, *.local, *.internal). Write other sites with https://.',
  },
  pattern_suffix: {
    ko: `*.co.kr, *.github.io처럼 누구나 주소를 만들 수 있는 공용 도메인 전체에는 배지를 켤 수 없습니다. ${PATTERN_HINT.ko}`,
    en:
      `Badges cannot cover a shared domain where anyone can have a site (such as *.co.kr or *.github.io). ` +
      `${PATTERN_HINT.en}`,
  },
};

/** The refusal of a wildcard over a shared domain, naming it (`*.myshopify.com` → myshopify.com). */
export function sharedDomainExplanation(domain: string): Explanation {
  return {
    ko: `${domain}은(는) 누구나 주소를 만들 수 있는 공용 도메인이라 *.${domain} 전체에는 배지를 켤 수 없습니다. https://myshop.${domain}/* 처럼 내 사이트 하나만 적으세요.`,
    en: `${domain} is a shared domain where anyone can have a site, so badges cannot cover all of *.${domain}. Write your own site only, e.g. https://myshop.${domain}/*.`,
  };
}
