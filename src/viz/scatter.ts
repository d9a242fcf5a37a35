import { type D3ZoomEvent, type ScaleLinear, scaleLinear, type ZoomTransform, zoom, zoomIdentity } from 'd3';
import { rampLegend, sequentialColor, swatchLegend, swatchLegendLayout, xAxis, yAxis } from './axes.ts';
import { type CategoryColours, colourFor, MISSING_CATEGORY } from './colour.ts';
import { type BaseOptions, documentOf, type GSelection, type ViewHandle } from './dom.ts';
import { finiteExtent } from './domain.ts';
import { layersToPngBlob } from './export.ts';
import { type AxisType, formatNumber, formatValue } from './format.ts';
import { buildPointIndex, lassoMask, type PointIndex, rectMask } from './geometry.ts';
import { type CanvasLayers, canvasLayers } from './layers.ts';
import {
  Accumulator,
  accumulate,
  codesToIndex,
  composite,
  fill,
  type LinearMap,
  type PointPaint,
  paletteBytes,
  quantize,
} from './raster.ts';
import type { MaskSelection } from './selection.ts';
import { resolveTheme, type SequentialName, type Theme, type ThemeOption } from './theme.ts';

/** Two numeric columns as typed arrays (transferred from the worker), plus optional encodings. */
export interface ScatterData {
  x: Float32Array | Float64Array;
  y: Float32Array | Float64Array;
  /** Continuous values (Float32Array → viridis) or category codes (Uint32Array → Okabe–Ito). */
  color?: Float32Array | Float64Array | Uint32Array | Uint8Array | Uint16Array;
  /** Names of the category codes, for the legend and tooltips. */
  categories?: string[];
  size?: Float32Array | Float64Array;
  /** Linked selection: 1 = selected. Unselected rows are drawn grey beneath. */
  selected?: Uint8Array | null;
  labels?: { x?: string; y?: string; color?: string; size?: string };
}

export type ScatterMode = 'pan' | 'brush' | 'lasso';

export interface ScatterOptions extends BaseOptions {
  theme?: ThemeOption;
  source?: string;
  /** Drag behaviour: pan (zoom with the wheel in every mode), rectangle brush, or lasso. */
  mode?: ScatterMode;
  /** Point radius in CSS pixels (default from the number of points: 2.5 → 0.5). */
  radius?: number;
  /** Largest radius when sizing by a column (default 6). */
  maxRadius?: number;
  /** Opacity of one point; overlaps accumulate (default from the number of points). */
  opacity?: number;
  pixelRatio?: number;
  scheme?: SequentialName;
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Called when a brush or lasso ends (null when it selected nothing or was cleared). */
  onSelect?: (selection: MaskSelection | null) => void;
  /** Called with the row under the pointer (-1 when none). */
  onHover?: (index: number) => void;
  /** Tooltip text for a row (default: x, y, colour and size values). */
  tooltip?: (index: number) => string;
  /** Draw no axes (used by small multiples). */
  bare?: boolean;
  /** 'time' when the axis' column is a date (values in epoch ms): dated ticks and tooltips. */
  xType?: AxisType;
  yType?: AxisType;
  /** The colour column's shared scale (`colourFor`), so linked views agree on each category's colour. */
  colours?: CategoryColours;
}

export interface ScatterUpdate {
  data?: ScatterData;
  /** New positions only (same length), e.g. an embedding that is still optimising. */
  x?: ScatterData['x'];
  y?: ScatterData['y'];
  selected?: Uint8Array | null;
  mode?: ScatterMode;
  /** A new unzoomed frame (data units, padded like the first), e.g. when moving points leave it;
   * the user's zoom and pan apply on top of it as before. */
  frame?: { x: [number, number]; y: [number, number] };
}

export interface ScatterView extends ViewHandle<HTMLDivElement, ScatterUpdate> {
  readonly canvas: HTMLCanvasElement;
  readonly svg: SVGSVGElement;
  /** Plot rectangle inside the node, CSS pixels. */
  readonly plot: { left: number; top: number; width: number; height: number };
  /** Row nearest to a point in plot pixels, within `radius` px (-1 if none). */
  nearest(px: number, py: number, radius?: number): number;
  /** Selects the rows inside a polygon given in plot pixels, as a lasso gesture does (emits). */
  lasso(polygon: readonly (readonly [number, number])[]): Uint8Array;
  /** Selects the rows inside a rectangle given in plot pixels (emits). */
  brush(rect: readonly [[number, number], [number, number]]): Uint8Array;
  /** Data → plot pixels under the current zoom. */
  toPixels(x: number, y: number): [number, number];
  zoomTo(transform: ZoomTransform): void;
  resetZoom(): void;
  /** The unzoomed frame in data units (padding included). */
  frame(): { x: [number, number]; y: [number, number] };
  /** Draws now (normally drawing waits for the next animation frame). */
  render(): void;
  toPngBlob(scale?: number): Promise<Blob>;
}

const MARGIN = { top: 12, right: 16, bottom: 44, left: 56 };
/** Points drawn per frame while a zoom or pan gesture is under way. */
const PREVIEW_POINTS = 200_000;

/** Default point radius and opacity by point count: big and solid for 100 points, fine and faint for 1M. */
export function autoPointStyle(n: number): { radius: number; opacity: number } {
  if (n <= 2_000) return { radius: 2.5, opacity: 0.85 };
  if (n <= 20_000) return { radius: 1.5, opacity: 0.5 };
  if (n <= 200_000) return { radius: 1, opacity: 0.3 };
  return { radius: 0.5, opacity: 0.15 };
}

/**
 * Stamp radius in device pixels for a CSS radius: 0 is a single pixel, so 0.5 px at 2× and 1 px
 * at 1× both draw one pixel per point (what keeps 1M points fast and unsmeared).
 */
export function deviceRadius(cssRadius: number, dpr: number): number {
  return Math.max(0, Math.round(cssRadius * dpr) - 1);
}

function paddedDomain(values: ArrayLike<number>, given?: [number, number]): [number, number] {
  if (given) return given;
  const [lo, hi] = finiteExtent(values);
  const pad = (hi - lo) * 0.04 || Math.abs(lo) * 0.1 || 1;
  return [lo - pad, hi + pad];
}

/** Names of category codes when the data has none: the codes themselves. */
function codeLabels(codes: ArrayLike<number>): string[] {
  let max = -1;
  for (let i = 0; i < codes.length; i++) if (codes[i]! > max) max = codes[i]!;
  return Array.from({ length: max + 1 }, (_, k) => String(k));
}

/**
 * Resolves the colour encoding of the data into palette bytes + per-point indices. Category codes
 * take their colours from `colours` (the column's shared scale), else from a scale over the data's
 * own categories; the legend lists them in the scale's order, "other" and missing last.
 */
export function paintFor(
  data: Pick<ScatterData, 'color' | 'categories' | 'labels'>,
  theme: Theme,
  scheme: SequentialName = 'viridis',
  colours?: CategoryColours,
) {
  const c = data.color;
  if (!c) return { paint: { palette: paletteBytes([theme.mark]) }, legend: null };
  if (c instanceof Float32Array || c instanceof Float64Array) {
    const domain = finiteExtent(c);
    const color = sequentialColor(scheme, domain);
    const colors = Array.from({ length: 256 }, (_, i) =>
      color(domain[0] + ((i + 0.5) / 256) * (domain[1] - domain[0])),
    );
    return {
      paint: { palette: paletteBytes(colors), colorIndex: quantize(c, domain[0], domain[1]) },
      legend: { kind: 'ramp' as const, domain, color },
    };
  }
  const categories = data.categories ?? codeLabels(c);
  const scale = colours ?? colourFor(data.labels?.color ?? '', categories);
  const colors = categories.map((label) => scale.color(label, theme));
  const present = new Set(categories);
  const order = [
    ...scale.domain.filter((label) => present.has(label)),
    ...categories.filter((label) => !scale.domain.includes(label) && label !== MISSING_CATEGORY),
    ...(present.has(MISSING_CATEGORY) ? [MISSING_CATEGORY] : []),
  ];
  return {
    paint: {
      palette: paletteBytes(colors.length ? colors : [theme.mark]),
      colorIndex: codesToIndex(c, Math.max(1, colors.length)),
    },
    legend: {
      kind: 'swatch' as const,
      items: order.map((label) => ({ label, color: scale.color(label, theme) })),
    },
  };
}

/** Per-point radius (device px) by a size column, sqrt-scaled so area tracks the value. */
export function radiiFor(size: ArrayLike<number>, minRadius: number, maxRadius: number): Uint8Array {
  const [lo, hi] = finiteExtent(size);
  const out = new Uint8Array(size.length);
  const span = hi - lo || 1;
  for (let i = 0; i < size.length; i++) {
    const t = Math.max(0, Math.min(1, (size[i]! - lo) / span));
    out[i] = Math.round(minRadius + Math.sqrt(Number.isNaN(t) ? 0 : t) * (maxRadius - minRadius));
  }
  return out;
}

/** The mutable picture of one scatter view, shared by its drawing, zoom and gesture helpers. */
interface ScatterState {
  data: ScatterData;
  mode: ScatterMode;
  /** Hover index, built on first use and dropped when positions change. */
  index: PointIndex | null;
  transform: ZoomTransform;
  /** The unzoomed frame, and the scales under the current zoom. */
  x0: ScaleLinear<number, number>;
  y0: ScaleLinear<number, number>;
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  painted: { paint: Omit<PointPaint, 'radius'>; legend: ReturnType<typeof paintFor>['legend'] };
  radii: Uint8Array | null;
}

type Plot = ScatterView['plot'];

/**
 * The plot rectangle: room for axes, and for a colour legend above the points (never over them).
 * A swatch legend that wraps to several rows (many categories, a narrow panel) gets every row.
 */
function plotRect(
  data: ScatterData,
  options: ScatterOptions,
  width: number,
  height: number,
  legend: ScatterState['painted']['legend'],
  theme: Theme,
): Plot {
  const continuous = data.color instanceof Float32Array || data.color instanceof Float64Array;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const swatchRows =
    legend?.kind === 'swatch' && legend.items.length
      ? swatchLegendLayout(legend.items, plotWidth, theme).height - (theme.fontSize + 6)
      : 0;
  const legendRoom = data.color && !options.bare ? (continuous ? 40 : 20 + swatchRows) : 0;
  const margin = options.bare
    ? { top: 2, right: 2, bottom: 2, left: 2 }
    : { ...MARGIN, top: MARGIN.top + legendRoom };
  return {
    left: margin.left,
    top: margin.top,
    width: width - margin.left - margin.right,
    height: height - margin.top - margin.bottom,
  };
}

function pointStyle(n: number, options: ScatterOptions): { radius: number; opacity: number } {
  const auto = autoPointStyle(n);
  return { radius: options.radius ?? auto.radius, opacity: options.opacity ?? auto.opacity };
}

/** The SVG overlay: axes, legend, and the plot-sized layer that takes gestures and shows hover. */
function createOverlay(svg: CanvasLayers['svg'], plot: Plot, theme: Theme) {
  const axesLayer = svg.append('g') as GSelection;
  const legendLayer = svg.append('g').attr('class', 'legend-layer') as GSelection;
  const interaction = svg.append('g').attr('transform', `translate(${plot.left},${plot.top})`) as GSelection;
  const overlay = interaction
    .append('rect')
    .attr('class', 'overlay')
    .attr('width', plot.width)
    .attr('height', plot.height)
    .attr('fill', 'none')
    .attr('pointer-events', 'all');
  const hoverMark = interaction
    .append('circle')
    .attr('class', 'hover')
    .attr('r', 5)
    .attr('fill', 'none')
    .attr('stroke', theme.text)
    .attr('stroke-width', 1.5)
    .attr('display', 'none');
  const selectionMark = interaction
    .append('path')
    .attr('class', 'selection-outline')
    .attr('fill', theme.selected)
    .attr('fill-opacity', 0.12)
    .attr('stroke', theme.selected)
    .attr('stroke-dasharray', '4 3');
  return { axesLayer, legendLayer, overlay, hoverMark, selectionMark };
}

function createTooltip(doc: Document, theme: Theme): HTMLDivElement {
  const tooltip = doc.createElement('div');
  tooltip.className = 'bt-tooltip';
  tooltip.style.cssText =
    `position:absolute;pointer-events:none;display:none;white-space:pre;padding:4px 6px;border-radius:4px;` +
    `font:${theme.fontSize}px ${theme.font};background:${theme.background};color:${theme.text};` +
    `border:1px solid ${theme.axis};box-shadow:0 2px 8px rgba(0,0,0,.15);`;
  return tooltip;
}

/** Axes under the current zoom and the colour legend (swatches or a ramp) above the plot. */
function drawAxes(
  layers: { axesLayer: GSelection; legendLayer: GSelection },
  state: ScatterState,
  plot: Plot,
  theme: Theme,
  options: ScatterOptions & { source: string },
): void {
  const { axesLayer, legendLayer } = layers;
  axesLayer.selectAll('*').remove();
  legendLayer.selectAll('*').remove();
  if (options.bare) return;
  const labels = state.data.labels ?? {};
  xAxis(
    axesLayer
      .append('g')
      .attr('transform', `translate(${plot.left},${plot.top + plot.height})`) as GSelection,
    state.x,
    plot.width,
    theme,
    {
      ...(labels.x ? { title: labels.x } : {}),
      grid: plot.height,
      ...(options.xType ? { type: options.xType } : {}),
    },
  );
  yAxis(
    axesLayer.append('g').attr('transform', `translate(${plot.left},${plot.top})`) as GSelection,
    state.y,
    plot.height,
    theme,
    {
      ...(labels.y ? { title: labels.y } : {}),
      grid: plot.width,
      ...(options.yType ? { type: options.yType } : {}),
    },
  );
  // The SVG grid lies over the canvas points, so it stays faint.
  axesLayer.selectAll('.grid').attr('stroke-opacity', 0.35);
  const legend = state.painted.legend;
  if (legend?.kind === 'swatch' && legend.items.length) {
    const g = legendLayer.attr('transform', `translate(${plot.left},${MARGIN.top - 4})`) as GSelection;
    swatchLegend(g, legend.items, plot.width, theme);
  } else if (legend?.kind === 'ramp') {
    const g = legendLayer.attr(
      'transform',
      `translate(${plot.left + plot.width - 120},${MARGIN.top - 8})`,
    ) as GSelection;
    rampLegend(g, legend.color, legend.domain, 120, theme, {
      id: `${options.source}-ramp`,
      ...(labels.color ? { title: labels.color } : {}),
    });
  }
}

/**
 * Rasterises the points into the canvas: grey context under coloured selected rows when there is
 * a selection. With `preview` (during a zoom/pan gesture) every k-th point is drawn so that at most
 * PREVIEW_POINTS are, with opacity raised to match; the full picture follows on 'end'.
 */
function createPointPainter(
  canvas: HTMLCanvasElement,
  plot: Plot,
  dpr: number,
  theme: Theme,
  options: ScatterOptions,
) {
  const ctx = canvas.getContext?.('2d') ?? null;
  let image: ImageData | null = null;
  let accBase: Accumulator | null = null;
  let accSelected: Accumulator | null = null;
  const greyPaint = { palette: paletteBytes([theme.unselected]) };

  return function draw(state: ScatterState, preview = false): void {
    if (!ctx) return; // no canvas (happy-dom): axes and interaction still work
    const w = canvas.width;
    const h = canvas.height;
    if (!image || image.width !== w || image.height !== h) {
      image = ctx.createImageData(w, h);
      accBase = new Accumulator(w, h);
      accSelected = null;
    }
    const target = image;
    fill(target, { x0: 0, y0: 0, width: w, height: h }, theme.background);
    const viewport = {
      x0: Math.round(plot.left * dpr),
      y0: Math.round(plot.top * dpr),
      width: Math.round(plot.width * dpr),
      height: Math.round(plot.height * dpr),
    };
    const [dx0, dx1] = state.x.domain() as [number, number];
    const [dy0, dy1] = state.y.domain() as [number, number];
    const ax = (plot.width * dpr) / (dx1 - dx0);
    const ay = -(plot.height * dpr) / (dy1 - dy0);
    const map: LinearMap = {
      ax,
      bx: viewport.x0 - ax * dx0,
      ay,
      by: viewport.y0 + viewport.height - ay * dy0,
    };
    const { x, y, selected } = state.data;
    const { radius, opacity: baseOpacity } = pointStyle(x.length, options);
    const stride = preview ? Math.max(1, Math.ceil(x.length / PREVIEW_POINTS)) : 1;
    const opacity = 1 - (1 - baseOpacity) ** stride;
    const r = state.radii ?? deviceRadius(radius, dpr);
    const paint: PointPaint = { ...state.painted.paint, radius: r };
    const base = accBase!;
    base.reset();
    if (selected) {
      accumulate(base, viewport, x, y, map, { ...greyPaint, radius: r }, selected, 0, stride);
      composite(target, base, viewport, opacity * 0.6);
      // The second layer is allocated only once a selection exists.
      accSelected ??= new Accumulator(w, h);
      accSelected.reset();
      accumulate(accSelected, viewport, x, y, map, paint, selected, 1, stride);
      composite(target, accSelected, viewport, Math.min(1, opacity * 1.5));
    } else {
      accumulate(base, viewport, x, y, map, paint, undefined, 1, stride);
      composite(target, base, viewport, opacity);
    }
    ctx.putImageData(target, 0, 0);
  };
}

/** Tooltip text of a row: x, y, colour and size values (dates as dates). */
function describeRow(state: ScatterState, i: number, options: ScatterOptions): string {
  if (options.tooltip) return options.tooltip(i);
  const d = state.data;
  const l = d.labels ?? {};
  const lines = [
    `${l.x ?? 'x'}: ${formatValue(d.x[i]!, options.xType)}`,
    `${l.y ?? 'y'}: ${formatValue(d.y[i]!, options.yType)}`,
  ];
  const c = d.color;
  if (c) {
    const v = c[i]!;
    const text =
      c instanceof Float32Array || c instanceof Float64Array
        ? formatNumber(v)
        : (d.categories?.[v] ?? String(v));
    lines.push(`${l.color ?? 'colour'}: ${text}`);
  }
  if (d.size) lines.push(`${l.size ?? 'size'}: ${formatNumber(d.size[i]!)}`);
  lines.push(`row ${i}`);
  return lines.join('\n');
}

/**
 * Scatter plot for up to millions of rows: points rasterised into a canvas (ImageData, alpha
 * accumulation for density), axes and interaction in an SVG overlay; zoom/pan with d3-zoom, hover
 * through a grid index, brush and lasso selections as masks.
 */
export function scatter(data: ScatterData, options: ScatterOptions = {}): ScatterView {
  const doc = documentOf(options);
  const theme = resolveTheme(options.theme);
  const width = options.width ?? 480;
  const height = options.height ?? 360;
  const source = options.source ?? 'scatter';
  const dpr = options.pixelRatio ?? (doc.defaultView?.devicePixelRatio || 1);
  const painted = paintFor(data, theme, options.scheme, options.colours);
  const plot = plotRect(data, options, width, height, painted.legend, theme);
  const layers = canvasLayers(doc, 'bt-scatter', { width, height, dpr }, theme, options.title);
  const { node, canvas, svgEl, svg } = layers;
  const tooltip = createTooltip(doc, theme);
  node.appendChild(tooltip);
  const overlayParts = createOverlay(svg, plot, theme);
  const { overlay, hoverMark, selectionMark } = overlayParts;
  const x0 = scaleLinear().domain(paddedDomain(data.x, options.xDomain)).range([0, plot.width]);
  const y0 = scaleLinear().domain(paddedDomain(data.y, options.yDomain)).range([plot.height, 0]);
  const state: ScatterState = {
    data,
    mode: options.mode ?? 'pan',
    index: null,
    transform: zoomIdentity,
    x0,
    y0,
    x: x0.copy(),
    y: y0.copy(),
    painted,
    radii: null,
  };
  const paintPoints = createPointPainter(canvas, plot, dpr, theme, options);
  const axes = () => drawAxes(overlayParts, state, plot, theme, { ...options, source });

  function prepareEncodings(): void {
    state.painted = paintFor(state.data, theme, options.scheme, options.colours);
    const { radius } = pointStyle(state.data.x.length, options);
    state.radii = state.data.size
      ? radiiFor(state.data.size, deviceRadius(radius, dpr), Math.round((options.maxRadius ?? 6) * dpr))
      : null;
  }
  prepareEncodings();

  let pending = false;
  let pendingPreview = true;
  function draw(preview = false): void {
    pending = false;
    pendingPreview = true;
    paintPoints(state, preview);
  }
  const raf = doc.defaultView?.requestAnimationFrame?.bind(doc.defaultView);
  function schedule(preview = false): void {
    // A full draw requested during the frame wins over a preview.
    pendingPreview &&= preview;
    if (pending) return;
    pending = true;
    if (raf) raf(() => pending && draw(pendingPreview));
    else draw(preview);
  }

  const hover = createHover(hoverMark, tooltip, state, { plot, width }, options);
  const zoomBehavior = attachZoom(
    svg,
    state,
    () => {
      axes();
      hover.hide();
      selectionMark.attr('d', null);
    },
    schedule,
  );
  const nearest = (px: number, py: number, radius = 12) => {
    state.index ??= buildPointIndex(state.data.x, state.data.y);
    const [a, b] = state.x.domain() as [number, number];
    const [c, d] = state.y.domain() as [number, number];
    return state.index.nearest(state.x.invert(px), state.y.invert(py), radius, [
      plot.width / (b - a),
      plot.height / (d - c),
    ]);
  };
  const gestures = attachGestures({ overlay, selectionMark, svgEl, plot }, state, {
    nearest,
    hover,
    onHover: options.onHover,
    onSelect: (sel) => options.onSelect?.(sel),
    source,
  });
  gestures.setMode(state.mode);
  axes();
  draw();

  return {
    node,
    canvas,
    svg: svgEl,
    plot,
    nearest,
    lasso: (polygon) => gestures.selectPolygon(polygon),
    brush: (rect) => gestures.selectRect(rect),
    toPixels: (vx, vy) => [state.x(vx), state.y(vy)],
    zoomTo(t) {
      svg.call(zoomBehavior.transform, t);
    },
    resetZoom() {
      svg.call(zoomBehavior.transform, zoomIdentity);
    },
    frame: () => ({ x: x0.domain() as [number, number], y: y0.domain() as [number, number] }),
    render: () => draw(false),
    toPngBlob: (scale = 2) => layersToPngBlob([canvas, svgEl], scale),
    update(change) {
      if (change.mode) gestures.setMode(change.mode);
      if (change.data) {
        state.data = change.data;
        state.index = null;
        prepareEncodings();
        axes();
      }
      if (change.x || change.y) {
        state.data = { ...state.data, x: change.x ?? state.data.x, y: change.y ?? state.data.y };
        state.index = null;
      }
      if (change.selected !== undefined) {
        state.data = { ...state.data, selected: change.selected };
        if (!change.selected) selectionMark.attr('d', null);
      }
      if (change.frame) {
        x0.domain(paddedDomain(change.frame.x));
        y0.domain(paddedDomain(change.frame.y));
        state.x = state.transform.rescaleX(x0);
        state.y = state.transform.rescaleY(y0);
        state.index = null;
        axes();
      }
      schedule();
    },
    destroy() {
      pending = false;
      svg.on('.zoom', null);
      gestures.detach();
      node.remove();
    },
  };
}

/** The hover ring on a row and its tooltip, kept inside the view's width. */
function createHover(
  mark: ReturnType<typeof createOverlay>['hoverMark'],
  tooltip: HTMLDivElement,
  state: ScatterState,
  { plot, width }: { plot: Plot; width: number },
  options: ScatterOptions,
) {
  return {
    hide(): void {
      mark.attr('display', 'none');
      tooltip.style.display = 'none';
    },
    show(i: number): void {
      const [px, py] = [state.x(state.data.x[i]!), state.y(state.data.y[i]!)];
      mark.attr('display', null).attr('cx', px).attr('cy', py);
      tooltip.textContent = describeRow(state, i, options);
      tooltip.style.display = 'block';
      const left = plot.left + px + 12;
      tooltip.style.left = `${left > width - 140 ? plot.left + px - 150 : left}px`;
      tooltip.style.top = `${Math.max(0, plot.top + py - 10)}px`;
    },
  };
}

/** Zoom: the wheel always; a drag pans only in pan mode (brush and lasso own the drag there). */
function attachZoom(
  svg: CanvasLayers['svg'],
  state: ScatterState,
  onZoom: () => void,
  schedule: (preview?: boolean) => void,
) {
  const behavior = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.5, 5000])
    .filter((event: Event) => {
      if (event.type === 'wheel' || event.type === 'dblclick') return true;
      return state.mode === 'pan' && !(event as MouseEvent).button;
    })
    .on('zoom', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
      state.transform = event.transform;
      state.x = state.transform.rescaleX(state.x0);
      state.y = state.transform.rescaleY(state.y0);
      onZoom();
      schedule(event.sourceEvent != null);
    })
    .on('end', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
      if (event.sourceEvent != null) schedule(false);
    });
  svg.call(behavior);
  return behavior;
}

/** Hover (the nearest row's tooltip) and the brush or lasso drag on the overlay, as row masks. */
function attachGestures(
  parts: {
    overlay: ReturnType<typeof createOverlay>['overlay'];
    selectionMark: ReturnType<typeof createOverlay>['selectionMark'];
    svgEl: SVGSVGElement;
    plot: Plot;
  },
  state: ScatterState,
  on: {
    nearest(px: number, py: number): number;
    hover: { show(i: number): void; hide(): void };
    onHover: ((index: number) => void) | undefined;
    onSelect(selection: MaskSelection | null): void;
    source: string;
  },
) {
  const { overlay, selectionMark, svgEl, plot } = parts;
  let dragging: [number, number][] | null = null;
  const local = (event: PointerEvent | MouseEvent): [number, number] => {
    const rect = svgEl.getBoundingClientRect?.();
    return [event.clientX - (rect?.left ?? 0) - plot.left, event.clientY - (rect?.top ?? 0) - plot.top];
  };
  function drawOutline(points: readonly (readonly [number, number])[]): void {
    if (state.mode === 'brush' && points.length >= 2) {
      const [[a, b], [c, d]] = [points[0]!, points.at(-1)!];
      selectionMark.attr('d', `M${a},${b}H${c}V${d}H${a}Z`);
    } else {
      selectionMark.attr('d', points.length ? `M${points.map((p) => p.join(',')).join('L')}Z` : null);
    }
  }
  function emit(mask: Uint8Array): Uint8Array {
    let any = false;
    for (let i = 0; i < mask.length && !any; i++) any = mask[i] === 1;
    on.onSelect(any ? { source: on.source, kind: 'mask', mask } : null);
    return mask;
  }
  function selectPolygon(polygon: readonly (readonly [number, number])[]): Uint8Array {
    drawOutline(polygon);
    // Linear scales: inverting the vertices is exact, and the test then runs in data units.
    const inData = polygon.map(([px, py]) => [state.x.invert(px), state.y.invert(py)] as [number, number]);
    return emit(lassoMask(state.data.x, state.data.y, inData));
  }
  function selectRect([[a, b], [c, d]]: readonly [readonly [number, number], readonly [number, number]]) {
    drawOutline([
      [a, b],
      [c, d],
    ]);
    if (Math.abs(c - a) < 2 && Math.abs(d - b) < 2) {
      // A click without a drag clears the selection.
      selectionMark.attr('d', null);
      on.onSelect(null);
      return new Uint8Array(state.data.x.length);
    }
    const { x, y } = state;
    return emit(rectMask(state.data.x, state.data.y, [x.invert(a), x.invert(c)], [y.invert(b), y.invert(d)]));
  }
  overlay
    .on('pointermove', (event: PointerEvent) => {
      const p = local(event);
      if (dragging) {
        if (state.mode === 'lasso') dragging.push(p);
        else dragging[1] = p;
        drawOutline(dragging);
        return;
      }
      const i = on.nearest(p[0], p[1]);
      if (i >= 0) on.hover.show(i);
      else on.hover.hide();
      on.onHover?.(i);
    })
    .on('pointerleave', () => {
      on.hover.hide();
      on.onHover?.(-1);
    })
    .on('pointerdown', (event: PointerEvent) => {
      if (state.mode === 'pan' || event.button) return;
      const p = local(event);
      dragging = [p, p];
      (event.target as Element).setPointerCapture?.(event.pointerId);
      on.hover.hide();
    })
    .on('pointerup', (event: PointerEvent) => {
      if (!dragging) return;
      const points = dragging;
      if (state.mode === 'lasso') points.push(local(event));
      else points[1] = local(event);
      dragging = null;
      if (state.mode === 'lasso') selectPolygon(points);
      else selectRect([points[0]!, points.at(-1)!]);
    });
  return {
    selectPolygon,
    selectRect,
    setMode(next: ScatterMode): void {
      state.mode = next;
      overlay.attr('cursor', next === 'pan' ? 'grab' : 'crosshair');
    },
    detach: () => void overlay.on('pointermove pointerleave pointerdown pointerup', null),
  };
}
