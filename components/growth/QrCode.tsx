import { useMemo } from 'preact/hooks';
import { i18n } from '#i18n';
import { qrPixels, qrSvg } from '@/lib/growth/qr';
import { saveBlob } from '../download';

/** A locally rendered QR code with PNG and SVG downloads. */
export function QrCode(props: { text: string; label: string; fileBase: string }) {
  const svg = useMemo(() => qrSvg(props.text, { title: props.text }), [props.text]);
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

  function savePng() {
    const { width, height, data } = qrPixels(props.text, { scale: 10 });
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    canvas.getContext('2d')!.putImageData(new ImageData(data, width, height), 0, 0);
    canvas.toBlob((blob) => blob && saveBlob(blob, `${props.fileBase}.png`), 'image/png');
  }

  return (
    <figure class="qr">
      <img src={src} width={132} height={132} alt={i18n.t('growth.qrAlt', [props.label])} data-qr-for={props.text} />
      <figcaption class="row">
        <button type="button" onClick={savePng} aria-label={i18n.t('growth.downloadLabel', [props.label, 'PNG'])}>
          ⬇ {i18n.t('growth.downloadPng')}
        </button>
        <button
          type="button"
          onClick={() => saveBlob(new Blob([svg], { type: 'image/svg+xml' }), `${props.fileBase}.svg`)}
          aria-label={i18n.t('growth.downloadLabel', [props.label, 'SVG'])}
        >
          ⬇ {i18n.t('growth.downloadSvg')}
        </button>
      </figcaption>
    </figure>
  );
}
