/**
 * The element stack of a canvas view (scatter, SPLOM): a positioned <div> holding the canvas the
 * points are rasterised into, and an SVG overlay of the same size for axes, labels and gestures.
 */
import { type SvgSelection, sizedSvg } from './dom.ts';
import type { Theme } from './theme.ts';

export interface CanvasLayers {
  node: HTMLDivElement;
  canvas: HTMLCanvasElement;
  svgEl: SVGSVGElement;
  svg: SvgSelection;
}

/** `width` × `height` CSS pixels; the canvas has `dpr` device pixels per CSS pixel. */
export function canvasLayers(
  doc: Document,
  className: string,
  size: { width: number; height: number; dpr: number },
  theme: Theme,
  title?: string,
): CanvasLayers {
  const { width, height, dpr } = size;
  const node = doc.createElement('div');
  node.className = className;
  node.style.cssText = `position:relative;width:${width}px;height:${height}px;`;
  const canvas = doc.createElement('canvas');
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.cssText = `position:absolute;left:0;top:0;width:${width}px;height:${height}px;`;
  node.appendChild(canvas);
  const svg = sizedSvg(doc, width, height, theme)
    .style('position', 'absolute')
    .style('left', '0')
    .style('top', '0');
  if (title) svg.attr('aria-label', title).append('title').text(title);
  const svgEl = svg.node()!;
  node.appendChild(svgEl);
  return { node, canvas, svgEl, svg };
}
