import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ICON_SOURCE, renderIcons } from '../../scripts/icons';

const ROOT = path.resolve(import.meta.dirname, '../..');

// The committed PNGs are assets/icon.svg rendered by scripts/icons.ts (`npm run icons`).
describe('icons', () => {
  const rendered = renderIcons();

  it('every committed PNG is the SVG source rendered again', () => {
    expect(rendered.size).toBeGreaterThanOrEqual(10);
    for (const [file, png] of rendered) {
      const committed = path.join(ROOT, file);
      expect(fs.existsSync(committed), `${file} is missing: run npm run icons`).toBe(true);
      expect(fs.readFileSync(committed).equals(png), `${file} does not match assets/icon.svg: run npm run icons`).toBe(
        true,
      );
    }
  });

  it('an edit to the source changes the PNGs (the comparison can fail)', () => {
    const edited = renderIcons(fs.readFileSync(ICON_SOURCE, 'utf8').replace('#3577ee', '#000000'));
    expect(edited.get('public/icons/16.png')!.equals(rendered.get('public/icons/16.png')!)).toBe(false);
  });

  it('the toolbar variants differ from the plain icon and from each other', () => {
    const plain = rendered.get('public/icons/32.png')!;
    const sandbox = rendered.get('public/icons/sandbox-32.png')!;
    const attention = rendered.get('public/icons/attention-32.png')!;
    expect(sandbox.equals(plain)).toBe(false);
    expect(attention.equals(plain)).toBe(false);
    expect(attention.equals(sandbox)).toBe(false);
  });

  it('PNG sizes are the ones the manifests name', () => {
    for (const size of [16, 32, 48, 96, 128]) {
      const png = rendered.get(`public/icons/${size}.png`)!;
      // IHDR: width and height are the big-endian words at bytes 16 and 20.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
  });
});

describe('icon contrast', () => {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const contrast = (a: string, b: string) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi! + 0.05) / (lo! + 0.05);
  };

  it('the bubble stands out on a light and on a dark toolbar, and the check mark on the bubble (3:1 or more)', () => {
    const svg = fs.readFileSync(ICON_SOURCE, 'utf8');
    const bubble = /<path\s+d="M32 12[^"]*"\s+fill="(#[0-9a-f]{6})"/i.exec(svg)![1]!;
    expect(contrast(bubble, '#ffffff')).toBeGreaterThanOrEqual(3); // a white toolbar, and the white check on the bubble
    expect(contrast(bubble, '#f1f3f4')).toBeGreaterThanOrEqual(3); // Chrome's light toolbar
    // Chrome's dark toolbar: the white check adds the rest
    expect(contrast(bubble, '#35363a')).toBeGreaterThanOrEqual(2);
    expect(contrast(bubble, '#202124')).toBeGreaterThanOrEqual(3); // Firefox's dark toolbar
  });
});
