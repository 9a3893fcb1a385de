/*
 * `npm run icons`: renders assets/icon.svg (the one icon source) into the PNGs the
 * manifests and the toolbar use, under public/ (WXT copies public/ into every build).
 * The PNGs are committed; test/unit/icons.test.ts renders them again and fails when
 * a committed PNG no longer matches the source (edit the SVG, then run this script).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const ROOT = path.resolve(import.meta.dirname, '..');
export const ICON_SOURCE = path.join(ROOT, 'assets', 'icon.svg');

/** Sizes of the extension icon (manifest `icons` uses 16/32/48/128; 96 is for the stores and Firefox). */
const ICON_SIZES = [16, 32, 48, 96, 128] as const;
/** Toolbar variants (lib/background/toolbar-state.ts) at the sizes `action.setIcon` uses. */
const MARKERS = ['sandbox', 'attention'] as const;
const TOOLBAR_SIZES = [16, 32] as const;

/** The source with one marker group shown (the others stay hidden). */
function withMarker(svg: string, marker: (typeof MARKERS)[number]): string {
  const hidden = `<g id="marker-${marker}" display="none">`;
  if (!svg.includes(hidden)) throw new Error(`assets/icon.svg has no hidden group "marker-${marker}"`);
  return svg.replace(hidden, `<g id="marker-${marker}">`);
}

function render(svg: string, size: number): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();
}

/** Every generated PNG, by its path relative to the repository root. */
export function renderIcons(svg = fs.readFileSync(ICON_SOURCE, 'utf8')): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const size of ICON_SIZES) out.set(`public/icons/${size}.png`, render(svg, size));
  for (const marker of MARKERS)
    for (const size of TOOLBAR_SIZES)
      out.set(`public/icons/${marker}-${size}.png`, render(withMarker(svg, marker), size));
  // The notification icon (context-menu lookups) is the same picture.
  out.set('public/notify-icon.png', render(svg, 128));
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [file, png] of renderIcons()) {
    fs.mkdirSync(path.dirname(path.join(ROOT, file)), { recursive: true });
    fs.writeFileSync(path.join(ROOT, file), png);
    console.log(`${file} (${png.length} bytes)`);
  }
}
