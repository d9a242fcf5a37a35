import { type Selection, select } from 'd3';
import type { Theme } from './theme.ts';

export const SVG_NS = 'http://www.w3.org/2000/svg';

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Options every view takes. */
export interface BaseOptions {
  width?: number;
  height?: number;
  /** Where to create elements (default `globalThis.document`); lets views run in happy-dom or a worker-less test. */
  document?: Document;
  /** Accessible name of the chart (`aria-label`, `<title>`). */
  title?: string;
}

/** What an interactive view returns: its element, a way to change it in place, and cleanup. */
export interface ViewHandle<N extends Element, U = never> {
  readonly node: N;
  update(change: U): void;
  destroy(): void;
}

export function documentOf(options: BaseOptions): Document {
  const doc = options.document ?? globalThis.document;
  if (!doc) throw new Error('viz: no document — pass options.document when running outside a page');
  return doc;
}

export type SvgSelection = Selection<SVGSVGElement, unknown, null, undefined>;

/**
 * A chart's svg (createSvg): `options.width` × `options.height` or the chart's default `size`,
 * titled `options.title` or else `title`, with the CSS class `className`.
 */
export function chartSvg(
  options: BaseOptions,
  theme: Theme,
  size: { width: number; height: number },
  title: string,
  className: string,
): { svg: SvgSelection; width: number; height: number } {
  const doc = documentOf(options);
  const width = options.width ?? size.width;
  const height = options.height ?? size.height;
  const svg = createSvg(doc, width, height, theme, options.title ?? title);
  svg.attr('class', className);
  return { svg, width, height };
}
export type GSelection = Selection<SVGGElement, unknown, null, undefined>;

/** An <svg> of `width` × `height` with the theme's font and text colour, and nothing else. */
export function sizedSvg(doc: Document, width: number, height: number, theme: Theme): SvgSelection {
  return select(doc.createElementNS(SVG_NS, 'svg') as SVGSVGElement)
    .attr('xmlns', SVG_NS)
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('font-family', theme.font)
    .attr('font-size', theme.fontSize)
    .attr('fill', theme.text);
}

/** A root <svg> with the theme's font, background and accessible title. */
export function createSvg(
  doc: Document,
  width: number,
  height: number,
  theme: Theme,
  title?: string,
): SvgSelection {
  const svg = sizedSvg(doc, width, height, theme).attr('role', 'img');
  if (title) {
    svg.attr('aria-label', title);
    svg.append('title').text(title);
  }
  svg
    .append('rect')
    .attr('class', 'background')
    .attr('width', width)
    .attr('height', height)
    .attr('fill', theme.background);
  return svg;
}

/** Rounds coordinates so snapshots are stable and edges land on pixels. */
export function r2(v: number): number {
  return Math.round(v * 100) / 100;
}
