import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { channelLinks } from '../../lib/growth/links';
import { qrMatrix, qrPixels, qrSvg } from '../../lib/growth/qr';

describe('channel links', () => {
  it('builds the add-friend, chat and home links Kakao documents', () => {
    expect(channelLinks('_ZeUTxl')).toEqual({
      friend: 'https://pf.kakao.com/_ZeUTxl/friend',
      chat: 'https://pf.kakao.com/_ZeUTxl/chat',
      home: 'https://pf.kakao.com/_ZeUTxl',
    });
  });

  it.each(['ZeUTxl', '_', '_a', '_ZeU/../x', '_ZeUTxl?x=1', ''])(
    'refuses %j, which is not a channel public ID',
    (id) => {
      expect(() => channelLinks(id)).toThrow(/not a channel public ID/);
    },
  );
});

describe('QR codes', () => {
  const url = 'https://pf.kakao.com/_ZeUTxl/friend';

  it('PNG pixels decode back to the exact link', () => {
    const { data, width, height } = qrPixels(url, { scale: 4 });
    expect(jsQR(data, width, height)?.data).toBe(url);
  });

  it('each link gets its own code', () => {
    const links = channelLinks('_frxjem');
    const decoded = Object.values(links).map((l) => {
      const { data, width, height } = qrPixels(l, { scale: 3 });
      return jsQR(data, width, height)?.data;
    });
    expect(decoded).toEqual(Object.values(links));
  });

  it('SVG draws exactly the dark modules, with a white quiet zone, and no external reference', () => {
    const m = qrMatrix(url);
    let dark = 0;
    for (let r = 0; r < m.size; r++) for (let c = 0; c < m.size; c++) if (m.isDark(r, c)) dark++;
    const svg = qrSvg(url, { scale: 5, margin: 4, title: url });
    expect(svg.match(/M\d+ \d+h5v5h-5z/g)).toHaveLength(dark);
    const side = (m.size + 8) * 5;
    expect(svg).toContain(`viewBox="0 0 ${side} ${side}"`);
    expect(svg).toContain('fill="#ffffff"');
    expect(svg).not.toMatch(/href=|url\(/);
    expect(svg).toContain(`<title>${url}</title>`);
  });
});
