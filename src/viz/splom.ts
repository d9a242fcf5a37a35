import { scaleLinear } from 'd3';
import type { CategoryColours } from './colour.ts';
import { type BaseOptions, documentOf, type GSelection, type SvgSelection, type ViewHandle } from './dom.ts';
import { finiteExtent, paddedDomain } from './domain.ts';
import { layersToPngBlob } from './export.ts';
import { type AxisType, formatDateCompact, formatNumber, textWidth, truncate } from './format.ts';
import { rectMask } from './geometry.ts';
import { canvasLayers } from './layers.ts';
import { Accumulator, accumulate, composite, fill, type PointPaint, paletteBytes } from './raster.ts';
import { autoPointStyle, deviceRadius, paintFor, type ScatterData } from './scatter.ts';
import type { MaskSelection } from './selection.ts';
import { resolveTheme, type Theme, type ThemeOption } from './theme.ts';

/** One column of the matrix; `type: 'time'` for dates (epoch ms), labelled as dates. */
export interface SplomColumn {
  name: string;
  values: Float32Array | Float64Array;
  type?: AxisType;
}

/** Up to ~8 numeric columns of the same rows, plus the shared encodings of ScatterData. */
export interface SplomData {
  columns: SplomColumn[];
  color?: ScatterData['color'];
  categories?: string[];
  selected?: Uint8Array | null;
}

export interface SplomOptions extends BaseOptions {
  theme?: ThemeOption;
  source?: string;
  pixelRatio?: number;
  /** The colour column's shared scale (`colourFor`), so linked views agree on each category's colour. */
  colours?: CategoryColours;
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
/** Room left of the first column for the y range labels (more when the labels are wider). */
const MIN_LEFT = 44;
/** Keeps the last column's border inside the picture. */
const RIGHT = 2;
const TOP = 8;
const BOTTOM = 30;
const LABEL_FONT = 10;
/** Above this many point draws (cells × rows) the cells are drawn over several tasks. */
const PROGRESSIVE_POINTS = 2_000_000;
/** Budget of one drawing task, ms, and the rows drawn between checks of it. */
const SLICE_MS = 24;
const ROWS_PER_SLICE = 131_072;

/** Where everything goes: cell size and position, and each column's frame with its end labels. */
interface Layout {
  k: number;
  size: number;
  left: number;
  height: number;
  domains: [number, number][];
  ends: [string, string][];
  cell(i: number, j: number): { left: number; top: number; size: number };
}

/** A column's frame: its finite extent padded by 5% on both sides. */
function frameOf(values: ArrayLike<number>): [number, number] {
  return paddedDomain(values, 0.05);
}

/** The labels of a frame's two ends: three significant digits, or dates as precise as the span needs. */
export function endLabels([lo, hi]: readonly [number, number], type: AxisType = 'number'): [string, string] {
  if (type === 'time') return [formatDateCompact(lo, hi - lo), formatDateCompact(hi, hi - lo)];
  return [formatNumber(Number(lo.toPrecision(3))), formatNumber(Number(hi.toPrecision(3)))];
}

function layoutOf(columns: readonly SplomColumn[], width: number, height?: number): Layout {
  const k = Math.max(1, columns.length);
  const domains = columns.map((c) => frameOf(c.values));
  // Numbers are labelled with the data's own min and max, not the padded frame's ends: a count
  // column labelled "−441" (txhousing's sales, never negative) read as if data went below zero.
  // Dates keep the frame's ends: float32 epoch values round a 1 December down into November.
  const ends = columns.map((c, i) =>
    endLabels(c.type === 'time' ? domains[i]! : finiteExtent(c.values), c.type),
  );
  const widest = Math.max(0, ...ends.flat().map((t) => textWidth(t, LABEL_FONT)));
  const left = Math.max(MIN_LEFT, Math.ceil(widest) + 8);
  const fitWidth = (width - left - RIGHT - PAD * (k - 1)) / k;
  const fitHeight = height === undefined ? fitWidth : (height - TOP - BOTTOM - PAD * (k - 1)) / k;
  const size = Math.max(8, Math.floor(Math.min(fitWidth, fitHeight)));
  return {
    k,
    size,
    left,
    height: height ?? TOP + k * size + PAD * (k - 1) + BOTTOM,
    domains,
    ends,
    cell: (i, j) => ({ left: left + j * (size + PAD), top: TOP + i * (size + PAD), size }),
  };
}

/** Cell borders, names on the diagonal, each column's range along the left and bottom edges. */
function drawFrame(g: GSelection, layout: Layout, columns: readonly SplomColumn[], theme: Theme): void {
  g.selectAll('*').remove();
  const { k, size } = layout;
  const muted = (x: number, y: number, text: string, anchor: 'start' | 'end') =>
    g
      .append('text')
      .attr('x', x)
      .attr('y', y)
      .attr('text-anchor', anchor)
      .attr('fill', theme.textMuted)
      .attr('font-size', LABEL_FONT)
      .text(text);
  columns.forEach((col, i) => {
    for (let j = 0; j < k; j++) {
      const r = layout.cell(i, j);
      const cell = g.append('g').attr('class', 'cell').attr('transform', `translate(${r.left},${r.top})`);
      cell
        .append('rect')
        .attr('width', size)
        .attr('height', size)
        .attr('fill', 'none')
        .attr('stroke', theme.grid);
      if (i !== j) continue;
      cell
        .append('text')
        .attr('x', size / 2)
        .attr('y', size / 2)
        .attr('dy', '0.35em')
        .attr('text-anchor', 'middle')
        .attr('font-weight', 600)
        .text(truncate(col.name, Math.floor(size / (theme.fontSize * 0.6))))
        .append('title')
        .text(col.name);
    }
    // Min and max along the left and bottom edges: enough to read ranges without crowding.
    const [lo, hi] = layout.ends[i]!;
    const r = layout.cell(i, 0);
    muted(layout.left - 4, r.top + 8, hi, 'end');
    muted(layout.left - 4, r.top + size - 2, lo, 'end');
    const b = layout.cell(k - 1, i);
    muted(b.left, b.top + size + 12, lo, 'start');
    // The max only where it clears the min (narrow cells of long dates).
    if (textWidth(lo, LABEL_FONT) + textWidth(hi, LABEL_FONT) + 6 <= size)
      muted(b.left + size, b.top + size + 12, hi, 'end');
  });
}

/**
 * Scatter-plot matrix: every pair of columns as a small scatter drawn by the same rasteriser as
 * `scatter` into one canvas; column names on the diagonal; drag in a cell to brush rows.
 */
export function splom(data: SplomData, options: SplomOptions = {}): SplomView {
  if (data.columns.length > SPLOM_MAX_COLUMNS) {
    throw new Error(`splom: at most ${SPLOM_MAX_COLUMNS} columns (got ${data.columns.length}); choose fewer`);
  }
  const doc = documentOf(options);
  const theme = resolveTheme(options.theme);
  const source = options.source ?? 'splom';
  const width = options.width ?? 560;
  let layout = layoutOf(data.columns, width, options.height);
  const height = layout.height;
  const dpr = options.pixelRatio ?? (doc.defaultView?.devicePixelRatio || 1);
  let current = data;
  const { node, canvas, svgEl, svg } = canvasLayers(
    doc,
    'bt-splom',
    { width, height, dpr },
    theme,
    options.title,
  );
  const frame = svg.append('g').attr('class', 'frame') as GSelection;
  const painter = createPainter(canvas, dpr, theme);
  const draw = () => painter.draw(layout, current, options.colours);

  const brushCell = (i: number, j: number, xr: [number, number], yr: [number, number]) => {
    const mask = rectMask(current.columns[j]!.values, current.columns[i]!.values, xr, yr);
    let any = false;
    for (let t = 0; t < mask.length && !any; t++) any = mask[t] === 1;
    options.onSelect?.(any ? { source, kind: 'mask', mask } : null);
    return mask;
  };
  const stopBrush = attachCellBrush(svg, svgEl, () => layout, theme, brushCell);

  drawFrame(frame, layout, current.columns, theme);
  draw();
  return {
    node,
    canvas,
    svg: svgEl,
    brushCell,
    cell: (i, j) => layout.cell(i, j),
    render: draw,
    toPngBlob: (scale = 2) => layersToPngBlob([canvas, svgEl], scale),
    update(change) {
      if (change.data) {
        current = change.data;
        layout = layoutOf(current.columns, width, height);
        drawFrame(frame, layout, current.columns, theme);
      }
      if (change.selected !== undefined) current = { ...current, selected: change.selected };
      draw();
    },
    destroy() {
      painter.stop();
      stopBrush();
      node.remove();
    },
  };
}

/** Drag inside an off-diagonal cell to brush it: the rectangle in data units goes to `brush`. */
function attachCellBrush(
  svg: SvgSelection,
  svgEl: SVGSVGElement,
  layout: () => Layout,
  theme: Theme,
  brush: (i: number, j: number, xr: [number, number], yr: [number, number]) => void,
): () => void {
  let drag: { i: number; j: number; from: [number, number] } | null = null;
  const outline = () => svg.select<SVGRectElement>('rect.brush');
  const locate = (event: PointerEvent): [number, number] => {
    const box = svgEl.getBoundingClientRect?.();
    return [event.clientX - (box?.left ?? 0), event.clientY - (box?.top ?? 0)];
  };
  svg
    .on('pointerdown', (event: PointerEvent) => {
      const [px, py] = locate(event);
      const { k, size, left } = layout();
      const j = Math.floor((px - left) / (size + PAD));
      const i = Math.floor((py - TOP) / (size + PAD));
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
      const l = layout();
      const r = l.cell(i, j);
      const xs = scaleLinear().domain(l.domains[j]!).range([0, l.size]);
      const ys = scaleLinear().domain(l.domains[i]!).range([l.size, 0]);
      brush(
        i,
        j,
        [xs.invert(from[0] - r.left), xs.invert(px - r.left)],
        [ys.invert(from[1] - r.top), ys.invert(py - r.top)],
      );
    });
  return () => void svg.on('pointerdown pointermove pointerup', null);
}

/**
 * Draws the points of every off-diagonal cell into the canvas. Many rows are drawn in slices over
 * several tasks, painted as they finish, so the page never freezes (56 cells of 1M rows at once
 * took seconds; one slice takes milliseconds); a newer draw stops an unfinished one.
 */
function createPainter(canvas: HTMLCanvasElement, dpr: number, theme: Theme) {
  const ctx = canvas.getContext?.('2d') ?? null;
  /** Bumped by every draw (and stop): a progressive draw stops when it is no longer the latest. */
  let generation = 0;

  function draw(layout: Layout, data: SplomData, colours?: CategoryColours): void {
    if (!ctx) return;
    const gen = ++generation;
    const image = ctx.createImageData(canvas.width, canvas.height);
    fill(image, { x0: 0, y0: 0, width: canvas.width, height: canvas.height }, theme.background);
    const acc = new Accumulator(canvas.width, canvas.height);
    const n = data.columns[0]?.values.length ?? 0;
    const auto = autoPointStyle(n);
    // Cells are small: one step finer than a full-size scatter of the same rows.
    const radius = Math.max(0, deviceRadius(auto.radius, dpr) - 1);
    const { paint } = paintFor(data, theme, 'viridis', colours);
    const grey: PointPaint = { palette: paletteBytes([theme.unselected]), radius };
    const sel = data.selected ?? undefined;
    /** One cell's layers, a slice of rows at a time (each `yield` is a safe point to pause). */
    function* drawCell(i: number, j: number): Generator<void> {
      const r = layout.cell(i, j);
      const viewport = {
        x0: Math.round(r.left * dpr),
        y0: Math.round(r.top * dpr),
        width: Math.round(r.size * dpr),
        height: Math.round(r.size * dpr),
      };
      const [x0, x1] = layout.domains[j]!;
      const [y0, y1] = layout.domains[i]!;
      const ax = viewport.width / (x1 - x0);
      const ay = -viewport.height / (y1 - y0);
      const map = { ax, bx: viewport.x0 - ax * x0, ay, by: viewport.y0 + viewport.height - ay * y0 };
      const xs = data.columns[j]!.values;
      const ys = data.columns[i]!.values;
      const layer = function* (p: PointPaint, want?: number) {
        for (let from = 0; from < n; from += ROWS_PER_SLICE) {
          accumulate(acc, viewport, xs, ys, map, p, sel, want, 1, from, from + ROWS_PER_SLICE);
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
      for (let i = 0; i < layout.k; i++)
        for (let j = 0; j < layout.k; j++) if (i !== j) yield* drawCell(i, j);
    }
    const work = all();
    if (layout.k * (layout.k - 1) * n <= PROGRESSIVE_POINTS) {
      for (const _ of work);
      ctx.putImageData(image, 0, 0);
      return;
    }
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

  return {
    draw,
    stop: () => void generation++,
  };
}
