import { z } from 'zod';
import { ChannelId } from '../kakao/ids';

/*
 * Snippets for the service's own web pages, using Kakao's JavaScript SDK
 * (spec §5). They run on the app's registered web domain with its JavaScript
 * key — never the Admin key, which this module never sees. Option names and
 * values are Kakao's (`Kakao.Channel.createChatButton` settings); the defaults
 * (small, consult, yellow, pc) are UNCONFIRMED but follow Kakao's asset names.
 */

/** The SDK version the snippet loads. UNCONFIRMED as "current": copy the latest version and integrity hash from Kakao's docs. */
export const DEFAULT_SDK_VERSION = '2.7.4';
export const JS_KEY_PLACEHOLDER = 'YOUR_JAVASCRIPT_KEY';

export const SnippetCommon = z.object({
  channelId: ChannelId,
  sdkVersion: z.string().regex(/^\d+\.\d+\.\d+$/).default(DEFAULT_SDK_VERSION),
  /** The app's JavaScript key. Left out: a placeholder is written instead. */
  jsKey: z.string().regex(/^[A-Za-z0-9]{8,64}$/).optional(),
});

export const AddChannelButtonOptions = SnippetCommon.extend({
  size: z.enum(['small', 'large']).default('small'),
  supportMultipleDensities: z.boolean().default(true),
});
export type AddChannelButtonOptions = z.input<typeof AddChannelButtonOptions>;

export const ChatButtonOptions = SnippetCommon.extend({
  title: z.enum(['consult', 'question']).default('consult'),
  size: z.enum(['small', 'large']).default('small'),
  color: z.enum(['yellow', 'mono']).default('yellow'),
  shape: z.enum(['pc', 'mobile']).default('pc'),
  supportMultipleDensities: z.boolean().default(true),
});
export type ChatButtonOptions = z.input<typeof ChatButtonOptions>;

export const FollowChannelOptions = SnippetCommon.extend({
  /** Text of the page's own button that starts the follow flow. */
  buttonLabel: z.string().trim().min(1).max(40).default('채널 추가'),
});
export type FollowChannelOptions = z.input<typeof FollowChannelOptions>;

const js = (value: string | boolean) => (typeof value === 'boolean' ? String(value) : `'${value.replace(/[\\'<>]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`)}'`);
const html = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function sdkLoader(o: z.output<typeof SnippetCommon>): string {
  return [
    `<!-- Kakao JavaScript SDK. Copy the current version and its integrity hash from Kakao's docs. -->`,
    `<script src="https://t1.kakaocdn.net/kakao_js_sdk/${o.sdkVersion}/kakao.min.js" crossorigin="anonymous"></script>`,
    `<script>`,
    `  // Runs only on the web domain registered for your app, with its JavaScript key.`,
    `  // Never put the Admin key in a web page.`,
    `  if (!Kakao.isInitialized()) Kakao.init(${js(o.jsKey ?? JS_KEY_PLACEHOLDER)});`,
    `</script>`,
  ].join('\n');
}

function settings(entries: [string, string | boolean][]): string {
  return entries.map(([k, v]) => `    ${k}: ${js(v)},`).join('\n');
}

export function addChannelButtonSnippet(input: AddChannelButtonOptions): string {
  const o = AddChannelButtonOptions.parse(input);
  const container = `kakao-add-channel-${o.channelId}`;
  return [
    sdkLoader(o),
    '',
    `<div id="${container}"></div>`,
    `<script>`,
    `  Kakao.Channel.createAddChannelButton({`,
    settings([
      ['container', `#${container}`],
      ['channelPublicId', o.channelId],
      ['size', o.size],
      ['supportMultipleDensities', o.supportMultipleDensities],
    ]),
    `  });`,
    `</script>`,
  ].join('\n');
}

export function chatButtonSnippet(input: ChatButtonOptions): string {
  const o = ChatButtonOptions.parse(input);
  const container = `kakao-chat-${o.channelId}`;
  return [
    sdkLoader(o),
    '',
    `<div id="${container}"></div>`,
    `<script>`,
    `  Kakao.Channel.createChatButton({`,
    settings([
      ['container', `#${container}`],
      ['channelPublicId', o.channelId],
      ['title', o.title],
      ['size', o.size],
      ['color', o.color],
      ['shape', o.shape],
      ['supportMultipleDensities', o.supportMultipleDensities],
    ]),
    `  });`,
    `</script>`,
  ].join('\n');
}

export function followChannelSnippet(input: FollowChannelOptions): string {
  const o = FollowChannelOptions.parse(input);
  const button = `kakao-follow-${o.channelId}`;
  return [
    sdkLoader(o),
    '',
    `<button type="button" id="${button}">${html(o.buttonLabel)}</button>`,
    `<script>`,
    `  document.getElementById(${js(button)}).addEventListener('click', function () {`,
    `    Kakao.Channel.followChannel({ channelPublicId: ${js(o.channelId)} })`,
    `      .then(function (res) {`,
    `        // res: { channel_public_id: ${js(o.channelId)}, status: 'success' | 'fail' }`,
    `        if (res.status === 'success') {`,
    `          // The user added the channel: thank them, unlock the coupon, …`,
    `        } else {`,
    `          // The user did not add the channel (e.g. closed the window).`,
    `        }`,
    `      })`,
    `      .catch(function (error) {`,
    `        // error: { error_code: 'KAE…', error_msg: '…' }`,
    `        // e.g. KAE005 channel not found, KAE105 channel not linked to the app, KAE205 login required.`,
    `        console.warn('followChannel failed', error.error_code, error.error_msg);`,
    `      });`,
    `  });`,
    `</script>`,
  ].join('\n');
}

/** Kakao's button image name for the chosen options (spec §5 "Button image assets"), for reference in the preview. */
export function chatButtonAssetName(input: Pick<ChatButtonOptions, 'title' | 'size' | 'color' | 'shape'>): string {
  const o = ChatButtonOptions.pick({ title: true, size: true, color: true, shape: true }).parse(input);
  return `${o.title}_${o.size}_${o.color}_${o.shape}.png`;
}
export function addChannelButtonAssetName(input: Pick<AddChannelButtonOptions, 'size'>): string {
  return `friendadd_${input.size ?? 'small'}_yellow_rect.png`;
}
