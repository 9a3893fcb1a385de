import qrcode from 'qrcode-generator';

/*
 * QR codes are made on the device (qrcode-generator), never fetched from a web
 * service: no external images, and the links never leave the browser.
 */

export interface QrMatrix {
  size: number;
  isDark(row: number, col: number): boolean;
}

/** Error correction M (15%): survives print smudges and stays small for short URLs. */
export function qrMatrix(text: string): QrMatrix {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const size = qr.getModuleCount();
  return { size, isDark: (row, col) => qr.isDark(row, col) };
}

/** A standalone SVG (black on white, 4-module quiet zone), one path for all dark modules. */
export function qrSvg(text: string, options: { scale?: number; margin?: number; title?: string } = {}): string {
  const m = qrMatrix(text);
  const scale = options.scale ?? 8;
  const margin = options.margin ?? 4;
  const total = (m.size + margin * 2) * scale;
  let d = '';
  for (let r = 0; r < m.size; r++) {
    for (let c = 0; c < m.size; c++) {
      if (m.isDark(r, c)) d += `M${(c + margin) * scale} ${(r + margin) * scale}h${scale}v${scale}h-${scale}z`;
    }
  }
  const title = options.title ? `<title>${escapeXml(options.title)}</title>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="${total}" viewBox="0 0 ${total} ${total}" shape-rendering="crispEdges">` +
    `${title}<rect width="100%" height="100%" fill="#ffffff"/><path fill="#000000" d="${d}"/></svg>`
  );
}

/** RGBA pixels of the code (for a canvas → PNG, and for decoding in tests). */
export function qrPixels(text: string, options: { scale?: number; margin?: number } = {}) {
  const m = qrMatrix(text);
  const scale = options.scale ?? 8;
  const margin = options.margin ?? 4;
  const width = (m.size + margin * 2) * scale;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let y = 0; y < width; y++) {
    const r = Math.floor(y / scale) - margin;
    for (let x = 0; x < width; x++) {
      const c = Math.floor(x / scale) - margin;
      if (r >= 0 && c >= 0 && r < m.size && c < m.size && m.isDark(r, c)) {
        const i = (y * width + x) * 4;
        data[i] = data[i + 1] = data[i + 2] = 0;
      }
    }
  }
  return { width, height: width, data };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
