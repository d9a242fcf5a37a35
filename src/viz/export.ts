import { SVG_NS } from './dom.ts';

const XLINK_NS = 'http://www.w3.org/1999/xlink';

/** Standalone SVG markup (with namespaces) for download or snapshot comparison. */
export function toSvgString(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  if (!clone.getAttribute('xmlns')) clone.setAttribute('xmlns', SVG_NS);
  let markup = new (svg.ownerDocument.defaultView?.XMLSerializer ?? XMLSerializer)().serializeToString(clone);
  if (markup.includes('xlink:') && !markup.includes('xmlns:xlink')) {
    markup = markup.replace('<svg', `<svg xmlns:xlink="${XLINK_NS}"`);
  }
  return markup;
}

export function svgToBlob(svg: SVGSVGElement): Blob {
  return new Blob([toSvgString(svg)], { type: 'image/svg+xml;charset=utf-8' });
}

function sizeOf(svg: SVGSVGElement): { width: number; height: number } {
  return {
    width: Number(svg.getAttribute('width')) || svg.clientWidth || 300,
    height: Number(svg.getAttribute('height')) || svg.clientHeight || 150,
  };
}

async function loadSvgImage(svg: SVGSVGElement): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(svgToBlob(svg));
  try {
    const img = new Image();
    img.decoding = 'sync';
    img.src = url;
    await img.decode();
    return img;
  } finally {
    // The decoded image keeps its pixels; the URL is no longer needed.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

export function canvasToPngBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('canvas.toBlob gave no image'))),
      'image/png',
    ),
  );
}

/**
 * PNG of layered content: canvases and SVGs drawn in order onto one canvas at `scale`× (use 2 for
 * crisp slides). Every layer is stretched to the size of the first.
 */
export async function layersToPngBlob(
  layers: readonly (SVGSVGElement | HTMLCanvasElement)[],
  scale = 2,
  background?: string,
): Promise<Blob> {
  const first = layers[0];
  if (!first) throw new Error('layersToPngBlob: nothing to draw');
  const { width, height } =
    first instanceof HTMLCanvasElement
      ? { width: first.clientWidth || first.width, height: first.clientHeight || first.height }
      : sizeOf(first);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('layersToPngBlob: no 2D canvas context');
  if (background) {
    ctx.fillStyle = background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  }
  for (const layer of layers) {
    const source = layer instanceof HTMLCanvasElement ? layer : await loadSvgImage(layer);
    ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  }
  return canvasToPngBlob(canvas);
}

/** PNG of an SVG view at `scale`× its size. */
export function svgToPngBlob(svg: SVGSVGElement, scale = 2): Promise<Blob> {
  return layersToPngBlob([svg], scale);
}

/** Starts a download of `blob` as `filename` (UI helper; needs a page). */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
