import { describe, expect, it } from 'vitest';
import {
  addChannelButtonAssetName,
  addChannelButtonSnippet,
  chatButtonAssetName,
  chatButtonSnippet,
  DEFAULT_SDK_VERSION,
  followChannelSnippet,
  JS_KEY_PLACEHOLDER,
} from '../../lib/growth/snippets';

/** The settings object passed to a Kakao.Channel call, read back from the snippet. */
function settingsOf(code: string, fn: string): Record<string, string | boolean> {
  const m = new RegExp(`Kakao\\.Channel\\.${fn}\\(\\{([\\s\\S]*?)\\}\\)`).exec(code);
  if (!m) throw new Error(`${fn} not called`);
  const out: Record<string, string | boolean> = {};
  for (const line of m[1]!.split('\n')) {
    const kv = /^\s*(\w+): (?:'([^']*)'|(true|false)),?$/.exec(line);
    if (kv) out[kv[1]!] = kv[2] ?? kv[3] === 'true';
  }
  return out;
}

describe('snippets', () => {
  it('add-channel button: container, channel, size and densities as chosen', () => {
    const code = addChannelButtonSnippet({ channelId: '_ZeUTxl', size: 'large', supportMultipleDensities: false });
    expect(settingsOf(code, 'createAddChannelButton')).toEqual({
      container: '#kakao-add-channel-_ZeUTxl',
      channelPublicId: '_ZeUTxl',
      size: 'large',
      supportMultipleDensities: false,
    });
    expect(code).toContain('<div id="kakao-add-channel-_ZeUTxl"></div>');
    expect(addChannelButtonAssetName({ size: 'large' })).toBe('friendadd_large_yellow_rect.png');
  });

  it('chat button: defaults are small / consult / yellow / pc', () => {
    const code = chatButtonSnippet({ channelId: '_frxjem' });
    expect(settingsOf(code, 'createChatButton')).toEqual({
      container: '#kakao-chat-_frxjem',
      channelPublicId: '_frxjem',
      title: 'consult',
      size: 'small',
      color: 'yellow',
      shape: 'pc',
      supportMultipleDensities: true,
    });
  });

  it('chat button: every option reaches the SDK call and names the matching Kakao asset', () => {
    const options = { channelId: '_frxjem', title: 'question', size: 'large', color: 'mono', shape: 'mobile' } as const;
    expect(settingsOf(chatButtonSnippet(options), 'createChatButton')).toMatchObject({
      title: 'question',
      size: 'large',
      color: 'mono',
      shape: 'mobile',
    });
    expect(chatButtonAssetName(options)).toBe('question_large_mono_mobile.png');
  });

  it('followChannel: wires the button and handles success, fail and the KAE error', () => {
    const code = followChannelSnippet({ channelId: '_ZeUTxl', buttonLabel: '친구 추가하고 쿠폰 받기' });
    expect(code).toContain('<button type="button" id="kakao-follow-_ZeUTxl">친구 추가하고 쿠폰 받기</button>');
    expect(code).toContain("Kakao.Channel.followChannel({ channelPublicId: '_ZeUTxl' })");
    expect(code).toMatch(/\.then\(function \(res\) \{[\s\S]*res\.status === 'success'[\s\S]*\} else \{/);
    expect(code).toMatch(/\.catch\(function \(error\) \{[\s\S]*error\.error_code, error\.error_msg/);
  });

  it('loads the pinned SDK and initialises with the JavaScript key, never an Admin key', () => {
    const withPlaceholder = addChannelButtonSnippet({ channelId: '_ZeUTxl' });
    expect(withPlaceholder).toContain(`https://t1.kakaocdn.net/kakao_js_sdk/${DEFAULT_SDK_VERSION}/kakao.min.js`);
    expect(withPlaceholder).toContain(`Kakao.init('${JS_KEY_PLACEHOLDER}')`);
    expect(withPlaceholder).toContain('Never put the Admin key in a web page.');
    expect(withPlaceholder).not.toContain('KakaoAK');
    const withKey = chatButtonSnippet({ channelId: '_ZeUTxl', jsKey: 'abcdef0123456789', sdkVersion: '2.8.0' });
    expect(withKey).toContain("Kakao.init('abcdef0123456789')");
    expect(withKey).toContain('/kakao_js_sdk/2.8.0/kakao.min.js');
  });

  it('refuses values that could break out of the snippet', () => {
    expect(() => addChannelButtonSnippet({ channelId: "_a');alert(1);//" })).toThrow(/channel public ID/);
    expect(() => chatButtonSnippet({ channelId: '_ZeUTxl', jsKey: "x');alert(1)" })).toThrow(/JavaScript key/);
    expect(() => chatButtonSnippet({ channelId: '_ZeUTxl', sdkVersion: '2.7.4"><script>' })).toThrow(/SDK version/);
    const code = followChannelSnippet({ channelId: '_ZeUTxl', buttonLabel: '<img src=x onerror=alert(1)>' });
    expect(code).not.toContain('<img');
    expect(code).toContain('&#60;img src=x onerror=alert(1)&#62;');
  });
});
