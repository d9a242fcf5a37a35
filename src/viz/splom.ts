import { scaleLinear, select } from 'd3';
import { type BaseOptions, documentOf, SVG_NS, type ViewHandle } from './dom.ts';
import { layersToPngBlob } from './export.ts';
import { formatNumber, truncate } from './format.ts';
import { rectMask } from './geometry.ts';
import {
  Accumulator,
  accumulate,
  composite,
  fill,
  finiteExtent,
  type PointPaint,
  paletteBytes,
} from './raster.ts';
import { autoPointStyle, deviceRadius, paintFor, type ScatterData } from './scatter.ts';
import type { MaskSelection } from './selection.ts';
import { resolveTheme, type ThemeOption } from './theme.ts';

/** Up to ~8 numeric columns of the same rows, plus the shared encodings of ScatterData. */
export interface SplomData {
  columns: { name: string; values: Float32Array | Float64Array }[];
  color?: ScatterData['color'];
  categories?: string[];
  selected?: Uint8Array | null;
}

export interface SplomOptions extends BaseOptions {
  theme?: ThemeOption;
  source?: string;
  pixelRatio?: number;
  /** Called when a brush in any cell ends. */
  onSelect?: (selection: MaskSelection | null) => void;
}

export interface SplomView
  extends ViewHandle<HTMLDivElement, { selected?: Uint8Array | null; data?: SplomData }> {
  readonly canvas: HTMLCanvasElement;
  readonly svg: SVGSVGElement;
  /** Brushes cell (row i = y column, col j = x column) over a data rectangle; emits the mask. */
  brushCell(i: number, j: number, xRange: [number, number], yRange: [number, number]): Uint8Array;
  /** Cell rectangle in CSS pixels. */
  cell(i: number, j: number): { left: number; top: number; size: number };
  render(): void;
  toPngBlob(scale?: number): Promise<Blob>;
}

export const SPLOM_MAX_COLUMNS = 8;
const PAD = 6;
const LEFT = 44;
const BOTTOM = 30;

/**
 * Scatter-plot matrix: every pair of columns as a small scatter drawn by the same rasteriser as
 * `scatter` into one canvas; column names on the diagonal; drag in a cell to brush rows.
 */
/** Above this many point draws (cells × rows) the cells are drawn over several tasks. */
const PROGRESSIVE_POINTS = 2_000_000;
/** Budget of one drawing task, ms, and the rows drawn between checks of it. */
const SLICE_MS = 24;
const ROWS_PER_SLICE = 131_072;

export function splom(data: SplomData, options: SplomOptions = {}): SplomView {
  if (data.columns.length > SPLOM_MAX_COLUMNS) {
    throw new Error(`splom: at most ${SPLOM_MAX_COLUMNS} columns (got ${data.columns.length}); choose fewer`);
  }
  const doc = documentOf(options);
  const theme = resolveTheme(options.theme);
  const source = options.source ?? 'splom';
  const width = options.width ?? 560;
  const k = Math.max(1, data.columns.length);
  const size = Math.floor((width - LEFT - PAD * (k - 1)) / k);
  const height = options.height ?? LEFT - 36 + k * size + PAD * (k - 1) + BOTTOM;
  const top = 8;
  const dpr = options.pixelRatio ?? (doc.defaultView?.devicePixelRatio || 1);
  let current = data;

  const node = doc.createElement('div');
  node.className = 'bt-splom';
  node.style.cssText = `position:relative;width:${width}px;height:${height}px;`;
  const canvas = doc.createElement('canvas');
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.cssText = `position:absolute;left:0;top:0;width:${width}px;height:${height}px;`;
  node.appendChild(canvas);
  const svgEl = doc.createElementNS(SVG_NS, 'svg') as SVGSVGElement;
  const svg = select(svgEl)
    .attr('xmlns', SVG_NS)
    .attr('width', width)
    .attr('height', height)
    .attr('font-family', theme.font)
    .attr('font-size', theme.fontSize)
    .attr('fill', theme.text)
    .style('position', 'absolute')
    .style('left', '0')
    .style('top', '0');
  node.appendChild(svgEl);

  const cellRect = (i: number, j: number) => ({
    left: LEFT + j * (size + PAD),
    top: top + i * (size + PAD),
    size,
  });
  const scales = () =>
    current.columns.map((c) => {
      const [lo, hi] = finiteExtent(c.values);
      const pad = (hi - lo) * 0.05 || 1;
      return scaleLinear()
        .domain([lo - pad, hi + pad])
        .range([0, size]);
    });

  function drawFrame(): void {
    svg.selectAll('*').remove();
    const s = scales();
    current.columns.forEach((col, i) => {
      current.columns.forEach((_, j) => {
        const r = cellRect(i, j);
        const g = svg.append('g').attr('class', 'cell').attr('transform', `translate(${r.left},${r.top})`);
        g.append('rect')
          .attr('width', size)
          .attr('height', size)
          .attr('fill', 'none')
          .attr('stroke', theme.grid);
        if (i === j) {
          g.append('text')
            .attr('x', size / 2)
            .attr('y', size / 2)
            .attr('dy', '0.35em')
            .attr('text-anchor', 'middle')
            .attr('font-weight', 600)
            .text(truncate(col.name, Math.floor(size / (theme.fontSize * 0.6))))
            .append('title')
            .text(col.name);
        }
      });
      // Min and max along the left and bottom edges: enough to read ranges without crowding.
      const [lo, hi] = s[i]!.domain() as [number, number];
      const r = cellRect(i, 0);
      for (const [v, yy, anchor] of [
        [hi, r.top + 8, 'end'],
        [lo, r.top + size - 2, 'end'],
      ] as const) {
        svg
          .append('text')
          .attr('x', LEFT - 4)
          .attr('y', yy)
          .attr('text-anchor', anchor)
          .attr('fill', theme.textMuted)
          .attr('font-size', 10)
          .text(formatNumber(Number(v.toPrecision(3))));
      }
      const b = cellRect(k - 1, i);
      svg
        .append('text')
        .attr('x', b.left)
        .attr('y', b.top + size + 12)
        .attr('fill', theme.textMuted)
        .attr('font-size', 10)
        .text(formatNumber(Number(lo.toPrecision(3))));
      svg
        .append('text')
        .attr('x', b.left + size)
        .attr('y', b.top + size + 12)
        .attr('text-anchor', 'end')
        .attr('fill', theme.textMuted)
        .attr('font-size', 10)
        .text(formatNumber(Number(hi.toPrecision(3))));
    });
  }

  const ctx = canvas.getContext?.('2d') ?? null;
  /** Bumped by every draw (and destroy): a progressive draw stops when it is no longer the latest. */
  let generation = 0;
  function draw(): void {
    if (!ctx) return;
    const gen = ++generation;
    const image = ctx.createImageData(canvas.width, canvas.height);
    fill(image, { x0: 0, y0: 0, width: canvas.width, height: canvas.height }, theme.background);
    const acc = new Accumulator(canvas.width, canvas.height);
    const n = current.columns[0]?.values.length ?? 0;
    const auto = autoPointStyle(n);
    // Cells are small: one step finer than a full-size scatter of the same rows.
    const radius = Math.max(0, deviceRadius(auto.radius, dpr) - 1);
    const { paint } = paintFor(
      { x: new Float32Array(0), y: new Float32Array(0), ...(current.color ? { color: current.color } : {}) },
      theme,
    );
    const grey: PointPaint = { palette: paletteBytes([theme.unselected]), radius };
    const s = scales();
    const sel = current.selected ?? undefined;
    /** One cell's layers, a slice of rows at a time (each `yield` is a safe point to pause). */
    function* drawCell(i: number, j: number): Generator<void> {
      const cx = current.columns[j]!;
      const cy = current.columns[i]!;
      const r = cellRect(i, j);
      const viewport = {
        x0: Math.round(r.left * dpr),
        y0: Math.round(r.top * dpr),
        width: Math.round(size * dpr),
        height: Math.round(size * dpr),
      };
      const [x0, x1] = s[j]!.domain() as [number, number];
      const [y0, y1] = s[i]!.domain() as [number, number];
      const ax = viewport.width / (x1 - x0);
      const ay = -viewport.height / (y1 - y0);
      const map = { ax, bx: viewport.x0 - ax * x0, ay, by: viewport.y0 + viewport.height - ay * y0 };
      const layer = function* (p: PointPaint, want?: number) {
        for (let from = 0; from < n; from += ROWS_PER_SLICE) {
          accumulate(acc, viewport, cx.values, cy.values, map, p, sel, want, 1, from, from + ROWS_PER_SLICE);
          yield;
        }
      };
      acc.reset();
      if (sel) {
        yield* layer(grey, 0);
        composite(image, acc, viewport, auto.opacity * 0.6);
        acc.reset();
        yield* layer({ ...paint, radius }, 1);
      } else {
        yield* layer({ ...paint, radius });
      }
      composite(image, acc, viewport, auto.opacity);
    }
    function* all(): Generator<void> {
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i !== j) yield* drawCell(i, j);
    }
    const work = all();
    if (k * (k - 1) * n <= PROGRESSIVE_POINTS) {
      for (const _ of work);
      ctx.putImageData(image, 0, 0);
      return;
    }
    // Many rows: slices of rows over several tasks, painted as they finish, so the page never
    // freezes (56 cells of 1M rows at once took seconds; one slice takes milliseconds).
    const step = () => {
      if (gen !== generation) return;
      const t0 = Date.now();
      let done = false;
      while (Date.now() - t0 < SLICE_MS) {
        if (work.next().done) {
          done = true;
          break;
        }
      }
      ctx.putImageData(image, 0, 0);
      if (!done) setTimeout(step, 0);
    };
    step();
  }

  const brushCell = (i: number, j: number, xr: [number, number], yr: [number, number]) => {
    const mask = rectMask(current.columns[j]!.values, current.columns[i]!.values, xr, yr);
    let any = false;
    for (let t = 0; t < mask.length && !any; t++) any = mask[t] === 1;
    options.onSelect?.(any ? { source, kind: 'mask', mask } : null);
    return mask;
  };

  // Drag inside an off-diagonal cell to brush it.
  let drag: { i: number; j: number; from: [number, number] } | null = null;
  const outline = () => svg.select<SVGRectElement>('rect.brush');
  const locate = (event: PointerEvent): [number, number] => {
    const box = svgEl.getBoundingClientRect?.();
    return [event.clientX - (box?.left ?? 0), event.clientY - (box?.top ?? 0)];
  };
  svg
    .on('pointerdown', (event: PointerEvent) => {
      const [px, py] = locate(event);
      const j = Math.floor((px - LEFT) / (size + PAD));
      const i = Math.floor((py - top) / (size + PAD));
      if (i < 0 || j < 0 || i >= k || j >= k || i === j) return;
      drag = { i, j, from: [px, py] };
      svg.selectAll('rect.brush').remove();
      svg
        .append('rect')
        .attr('class', 'brush')
        .attr('fill', theme.selected)
        .attr('fill-opacity', 0.15)
        .attr('stroke', theme.selected);
    })
    .on('pointermove', (event: PointerEvent) => {
      if (!drag) return;
      const [px, py] = locate(event);
      const [fx, fy] = drag.from;
      outline()
        .attr('x', Math.min(fx, px))
        .attr('y', Math.min(fy, py))
        .attr('width', Math.abs(px - fx))
        .attr('height', Math.abs(py - fy));
    })
    .on('pointerup', (event: PointerEvent) => {
      if (!drag) return;
      const { i, j, from } = drag;
      drag = null;
      const [px, py] = locate(event);
      const s = scales();
      const r = cellRect(i, j);
      const xs = s[j]!;
      const ys = s[i]!.copy().range([size, 0]);
      brushCell(
        i,
        j,
        [xs.invert(from[0] - r.left), xs.invert(px - r.left)],
        [ys.invert(from[1] - r.top), ys.invert(py - r.top)],
      );
    });

  drawFrame();
  draw();
  return {
    node,
    canvas,
    svg: svgEl,
    brushCell,
    cell: cellRect,
    render: draw,
    toPngBlob: (scale = 2) => layersToPngBlob([canvas, svgEl], scale),
    update(change) {
      if (change.data) {
        current = change.data;
        drawFrame();
      }
      if (change.selected !== undefined) current = { ...current, selected: change.selected };
      draw();
    },
    destroy() {
      generation++;
      svg.on('pointerdown pointermove pointerup', null);
      node.remove();
    },
  };
}
