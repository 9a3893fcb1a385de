import { CHANNEL_ID_PATTERN } from '../kakao/ids';

/** Kakao's channel pages (docs/kakao-api.md §9). */
const CHANNEL_HOST = 'https://pf.kakao.com';

export interface ChannelLinks {
  /** Add-friend page. */
  friend: string;
  /** 1:1 chat. */
  chat: string;
  /** Channel home. */
  home: string;
}
export type ChannelLinkKind = keyof ChannelLinks;
export const LINK_KINDS: readonly ChannelLinkKind[] = ['friend', 'chat', 'home'];

/** Copy-ready links for one channel. Throws for anything that is not a channel public ID. */
export function channelLinks(channelId: string): ChannelLinks {
  if (!CHANNEL_ID_PATTERN.test(channelId)) throw new Error(`not a channel public ID: ${channelId}`);
  const home = `${CHANNEL_HOST}/${channelId}`;
  return { friend: `${home}/friend`, chat: `${home}/chat`, home };
}
