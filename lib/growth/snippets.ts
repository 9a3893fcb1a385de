import { CHANNEL_ID_PATTERN } from '../kakao/ids';

/*
 * Snippets for the service's own web pages, using Kakao's JavaScript SDK
 * (docs/kakao-api.md §9). They run on the app's registered web domain with its JavaScript
 * key — never the Admin key, which this module never sees. Option names and
 * values are Kakao's (`Kakao.Channel.createChatButton` settings); the defaults
 * (small, consult, yellow, pc) are UNCONFIRMED but follow Kakao's asset names.
 */

/**
 * The SDK version the snippet loads. UNCONFIRMED as "current": copy the latest version and integrity hash from Kakao's
 * docs.
 */
export const DEFAULT_SDK_VERSION = '2.7.4';
export const JS_KEY_PLACEHOLDER = 'YOUR_JAVASCRIPT_KEY';

interface SnippetCommon {
  channelId: string;
  /** Defaults to DEFAULT_SDK_VERSION. */
  sdkVersion?: string;
  /** The app's JavaScript key. Left out: a placeholder is written instead. */
  jsKey?: string;
}
export interface AddChannelButtonOptions extends SnippetCommon {
  size?: 'small' | 'large';
  supportMultipleDensities?: boolean;
}
export interface ChatButtonOptions extends SnippetCommon {
  title?: 'consult' | 'question';
  size?: 'small' | 'large';
  color?: 'yellow' | 'mono';
  shape?: 'pc' | 'mobile';
  supportMultipleDensities?: boolean;
}
export interface FollowChannelOptions extends SnippetCommon {
  /** Text of the page's own button that starts the follow flow. */
  buttonLabel?: string;
}

const SDK_VERSION = /^\d+\.\d+\.\d+$/;
const JS_KEY_PATTERN = /^[A-Za-z0-9]{8,64}$/;

/** Validates the shared options (plain code, no zod: this module is part of a page bundle). */
function common(o: SnippetCommon): Required<Omit<SnippetCommon, 'jsKey'>> & { jsKey?: string } {
  if (!CHANNEL_ID_PATTERN.test(o.channelId)) throw new Error(`not a channel public ID: ${o.channelId}`);
  const sdkVersion = o.sdkVersion ?? DEFAULT_SDK_VERSION;
  if (!SDK_VERSION.test(sdkVersion)) throw new Error(`not an SDK version: ${sdkVersion}`);
  if (o.jsKey !== undefined && !JS_KEY_PATTERN.test(o.jsKey))
    throw new Error('a JavaScript key has 8-64 letters and digits');
  return { channelId: o.channelId, sdkVersion, ...(o.jsKey ? { jsKey: o.jsKey } : {}) };
}

const js = (value: string | boolean) =>
  typeof value === 'boolean'
    ? String(value)
    : `'${value.replace(/[\\'<>]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`)}'`;
const html = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function sdkLoader(o: ReturnType<typeof common>): string {
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
  const o = {
    ...common(input),
    size: input.size ?? 'small',
    supportMultipleDensities: input.supportMultipleDensities ?? true,
  };
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
  const o = {
    ...common(input),
    title: input.title ?? 'consult',
    size: input.size ?? 'small',
    color: input.color ?? 'yellow',
    shape: input.shape ?? 'pc',
    supportMultipleDensities: input.supportMultipleDensities ?? true,
  };
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
  const buttonLabel = (input.buttonLabel ?? '채널 추가').trim().slice(0, 40) || '채널 추가';
  const o = { ...common(input), buttonLabel };
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

/** Kakao's button image name for the chosen options (docs/kakao-api.md §9), for reference in the preview. */
export function chatButtonAssetName(input: Pick<ChatButtonOptions, 'title' | 'size' | 'color' | 'shape'>): string {
  return `${input.title ?? 'consult'}_${input.size ?? 'small'}_${input.color ?? 'yellow'}_${input.shape ?? 'pc'}.png`;
}
export function addChannelButtonAssetName(input: Pick<AddChannelButtonOptions, 'size'>): string {
  return `friendadd_${input.size ?? 'small'}_yellow_rect.png`;
}
