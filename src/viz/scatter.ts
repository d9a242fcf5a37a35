import {
  type D3ZoomEvent,
  type ScaleLinear,
  scaleLinear,
  select,
  type ZoomTransform,
  zoom,
  zoomIdentity,
} from 'd3';
import { rampLegend, sequentialColor, swatchLegend, xAxis, yAxis } from './axes.ts';
import { type BaseOptions, documentOf, type GSelection, SVG_NS, type ViewHandle } from './dom.ts';
import { layersToPngBlob } from './export.ts';
import { formatNumber } from './format.ts';
import { buildPointIndex, lassoMask, type PointIndex, rectMask } from './geometry.ts';
import {
  Accumulator,
  accumulate,
  codesToIndex,
  composite,
  fill,
  finiteExtent,
  type LinearMap,
  type PointPaint,
  paletteBytes,
  quantize,
} from './raster.ts';
import type { MaskSelection } from './selection.ts';
import {
  categoricalPalette,
  resolveTheme,
  type SequentialName,
  type Theme,
  type ThemeOption,
} from './theme.ts';

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

/** Resolves the colour encoding of the data into palette bytes + per-point indices. */
export function paintFor(data: ScatterData, theme: Theme, scheme: SequentialName = 'viridis') {
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
  const palette = categoricalPalette(theme);
  return {
    paint: { palette: paletteBytes(palette), colorIndex: codesToIndex(c, palette.length) },
    legend: {
      kind: 'swatch' as const,
      items: (data.categories ?? []).map((label, i) => ({ label, color: palette[i % palette.length]! })),
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
  // A colour legend sits above the plot, never over the points.
  const legendRoom =
    data.color && !options.bare
      ? data.color instanceof Float32Array || data.color instanceof Float64Array
        ? 40
        : 20
      : 0;
  const margin = options.bare
    ? { top: 2, right: 2, bottom: 2, left: 2 }
    : { ...MARGIN, top: MARGIN.top + legendRoom };
  const plot = {
    left: margin.left,
    top: margin.top,
    width: width - margin.left - margin.right,
    height: height - margin.top - margin.bottom,
  };
  let current: ScatterData = data;
  let mode: ScatterMode = options.mode ?? 'pan';
  let index: PointIndex | null = null;
  let transform: ZoomTransform = zoomIdentity;

  const node = doc.createElement('div');
  node.className = 'bt-scatter';
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
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('font-family', theme.font)
    .attr('font-size', theme.fontSize)
    .attr('fill', theme.text)
    .style('position', 'absolute')
    .style('left', '0')
    .style('top', '0');
  if (options.title) svg.attr('aria-label', options.title).append('title').text(options.title);
  node.appendChild(svgEl);
  const tooltip = doc.createElement('div');
  tooltip.className = 'bt-tooltip';
  tooltip.style.cssText =
    `position:absolute;pointer-events:none;display:none;white-space:pre;padding:4px 6px;border-radius:4px;` +
    `font:${theme.fontSize}px ${theme.font};background:${theme.background};color:${theme.text};` +
    `border:1px solid ${theme.axis};box-shadow:0 2px 8px rgba(0,0,0,.15);`;
  node.appendChild(tooltip);

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

  const x0 = scaleLinear().domain(paddedDomain(data.x, options.xDomain)).range([0, plot.width]);
  const y0 = scaleLinear().domain(paddedDomain(data.y, options.yDomain)).range([plot.height, 0]);
  let x: ScaleLinear<number, number> = x0.copy();
  let y: ScaleLinear<number, number> = y0.copy();

  const ctx = canvas.getContext?.('2d') ?? null;
  let image: ImageData | null = null;
  let accBase: Accumulator | null = null;
  let accSelected: Accumulator | null = null;
  let painted: { paint: Omit<PointPaint, 'radius'>; legend: ReturnType<typeof paintFor>['legend'] } =
    paintFor(data, theme, options.scheme);
  let radii: Uint8Array | null = null;
  const greyPaint = { palette: paletteBytes([theme.unselected]) };

  function styleFor(n: number) {
    const auto = autoPointStyle(n);
    return { radius: options.radius ?? auto.radius, opacity: options.opacity ?? auto.opacity };
  }

  function prepareEncodings(): void {
    painted = paintFor(current, theme, options.scheme);
    const { radius } = styleFor(current.x.length);
    radii = current.size
      ? radiiFor(current.size, deviceRadius(radius, dpr), Math.round((options.maxRadius ?? 6) * dpr))
      : null;
  }
  prepareEncodings();

  function drawAxes(): void {
    axesLayer.selectAll('*').remove();
    legendLayer.selectAll('*').remove();
    if (options.bare) return;
    const labels = current.labels ?? {};
    xAxis(
      axesLayer
        .append('g')
        .attr('transform', `translate(${plot.left},${plot.top + plot.height})`) as GSelection,
      x,
      plot.width,
      theme,
      {
        ...(labels.x ? { title: labels.x } : {}),
        grid: plot.height,
      },
    );
    yAxis(
      axesLayer.append('g').attr('transform', `translate(${plot.left},${plot.top})`) as GSelection,
      y,
      plot.height,
      theme,
      {
        ...(labels.y ? { title: labels.y } : {}),
        grid: plot.width,
      },
    );
    // The SVG grid lies over the canvas points, so it stays faint.
    axesLayer.selectAll('.grid').attr('stroke-opacity', 0.35);
    const legend = painted.legend;
    if (legend?.kind === 'swatch' && legend.items.length) {
      const g = legendLayer.attr('transform', `translate(${plot.left},${MARGIN.top - 4})`) as GSelection;
      swatchLegend(g, legend.items, plot.width, theme);
    } else if (legend?.kind === 'ramp') {
      const g = legendLayer.attr(
        'transform',
        `translate(${plot.left + plot.width - 120},${MARGIN.top - 8})`,
      ) as GSelection;
      rampLegend(g, legend.color, legend.domain, 120, theme, {
        id: `${source}-ramp`,
        ...(labels.color ? { title: labels.color } : {}),
      });
    }
  }

  /**
   * Draws every point, or with `preview` (during a zoom/pan gesture) every k-th so that at most
   * PREVIEW_POINTS are drawn, with opacity raised to match; the full picture follows on 'end'.
   */
  function draw(preview = false): void {
    pending = false;
    pendingPreview = true;
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
    const [dx0, dx1] = x.domain() as [number, number];
    const [dy0, dy1] = y.domain() as [number, number];
    const ax = (plot.width * dpr) / (dx1 - dx0);
    const ay = -(plot.height * dpr) / (dy1 - dy0);
    const map: LinearMap = {
      ax,
      bx: viewport.x0 - ax * dx0,
      ay,
      by: viewport.y0 + viewport.height - ay * dy0,
    };
    const { radius, opacity: baseOpacity } = styleFor(current.x.length);
    const stride = preview ? Math.max(1, Math.ceil(current.x.length / PREVIEW_POINTS)) : 1;
    const opacity = 1 - (1 - baseOpacity) ** stride;
    const r = radii ?? deviceRadius(radius, dpr);
    const paint: PointPaint = { ...painted.paint, radius: r };
    const selected = current.selected ?? null;
    accBase!.reset();
    if (selected) {
      accumulate(
        accBase!,
        viewport,
        current.x,
        current.y,
        map,
        { ...greyPaint, radius: r },
        selected,
        0,
        stride,
      );
      composite(target, accBase!, viewport, opacity * 0.6);
      // The second layer is allocated only once a selection exists.
      accSelected ??= new Accumulator(w, h);
      accSelected.reset();
      accumulate(accSelected, viewport, current.x, current.y, map, paint, selected, 1, stride);
      composite(target, accSelected, viewport, Math.min(1, opacity * 1.5));
    } else {
      accumulate(accBase!, viewport, current.x, current.y, map, paint, undefined, 1, stride);
      composite(target, accBase!, viewport, opacity);
    }
    ctx.putImageData(target, 0, 0);
  }

  let pending = false;
  let pendingPreview = true;
  const raf = doc.defaultView?.requestAnimationFrame?.bind(doc.defaultView);
  function schedule(preview = false): void {
    // A full draw requested during the frame wins over a preview.
    pendingPreview &&= preview;
    if (pending) return;
    pending = true;
    if (raf) raf(() => pending && draw(pendingPreview));
    else draw(preview);
  }

  // Zoom: wheel always; drag pans only in pan mode (brush/lasso own the drag there).
  const zoomBehavior = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.5, 5000])
    .filter((event: Event) => {
      if (event.type === 'wheel' || event.type === 'dblclick') return true;
      return mode === 'pan' && !(event as MouseEvent).button;
    })
    .on('zoom', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
      transform = event.transform;
      x = transform.rescaleX(x0);
      y = transform.rescaleY(y0);
      drawAxes();
      hideHover();
      selectionMark.attr('d', null);
      schedule(event.sourceEvent != null);
    })
    .on('end', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
      if (event.sourceEvent != null) schedule(false);
    });
  svg.call(zoomBehavior);

  // Hover through the grid index (built on first use, rebuilt after positions change).
  const pixelsPerUnit = (): [number, number] => {
    const [a, b] = x.domain() as [number, number];
    const [c, d] = y.domain() as [number, number];
    return [plot.width / (b - a), plot.height / (d - c)];
  };
  const nearest = (px: number, py: number, radius = 12) => {
    index ??= buildPointIndex(current.x, current.y);
    return index.nearest(x.invert(px), y.invert(py), radius, pixelsPerUnit());
  };
  const tooltipText = (i: number) => {
    if (options.tooltip) return options.tooltip(i);
    const l = current.labels ?? {};
    const lines = [
      `${l.x ?? 'x'}: ${formatNumber(current.x[i]!)}`,
      `${l.y ?? 'y'}: ${formatNumber(current.y[i]!)}`,
    ];
    const c = current.color;
    if (c) {
      const v = c[i]!;
      const text =
        c instanceof Float32Array || c instanceof Float64Array
          ? formatNumber(v)
          : (current.categories?.[v] ?? String(v));
      lines.push(`${l.color ?? 'colour'}: ${text}`);
    }
    if (current.size) lines.push(`${l.size ?? 'size'}: ${formatNumber(current.size[i]!)}`);
    lines.push(`row ${i}`);
    return lines.join('\n');
  };
  function hideHover(): void {
    hoverMark.attr('display', 'none');
    tooltip.style.display = 'none';
  }
  function showHover(i: number): void {
    const [px, py] = [x(current.x[i]!), y(current.y[i]!)];
    hoverMark.attr('display', null).attr('cx', px).attr('cy', py);
    tooltip.textContent = tooltipText(i);
    tooltip.style.display = 'block';
    const left = plot.left + px + 12;
    tooltip.style.left = `${left > width - 140 ? plot.left + px - 150 : left}px`;
    tooltip.style.top = `${Math.max(0, plot.top + py - 10)}px`;
  }
  let dragging: [number, number][] | null = null;
  const local = (event: PointerEvent | MouseEvent): [number, number] => {
    const rect = svgEl.getBoundingClientRect?.();
    return [event.clientX - (rect?.left ?? 0) - plot.left, event.clientY - (rect?.top ?? 0) - plot.top];
  };
  overlay
    .on('pointermove', (event: PointerEvent) => {
      const p = local(event);
      if (dragging) {
        if (mode === 'lasso') dragging.push(p);
        else dragging[1] = p;
        drawOutline(dragging);
        return;
      }
      const i = nearest(p[0], p[1]);
      if (i >= 0) showHover(i);
      else hideHover();
      options.onHover?.(i);
    })
    .on('pointerleave', () => {
      hideHover();
      options.onHover?.(-1);
    })
    .on('pointerdown', (event: PointerEvent) => {
      if (mode === 'pan' || event.button) return;
      const p = local(event);
      dragging = [p, p];
      (event.target as Element).setPointerCapture?.(event.pointerId);
      hideHover();
    })
    .on('pointerup', (event: PointerEvent) => {
      if (!dragging) return;
      const points = dragging;
      if (mode === 'lasso') points.push(local(event));
      else points[1] = local(event);
      dragging = null;
      if (mode === 'lasso') selectPolygon(points);
      else selectRect([points[0]!, points.at(-1)!]);
    });

  function drawOutline(points: readonly (readonly [number, number])[]): void {
    if (mode === 'brush' && points.length >= 2) {
      const [[a, b], [c, d]] = [points[0]!, points.at(-1)!];
      selectionMark.attr('d', `M${a},${b}H${c}V${d}H${a}Z`);
    } else {
      selectionMark.attr('d', points.length ? `M${points.map((p) => p.join(',')).join('L')}Z` : null);
    }
  }

  function emit(mask: Uint8Array): Uint8Array {
    let any = false;
    for (let i = 0; i < mask.length && !any; i++) any = mask[i] === 1;
    options.onSelect?.(any ? { source, kind: 'mask', mask } : null);
    return mask;
  }
  function selectPolygon(polygon: readonly (readonly [number, number])[]): Uint8Array {
    drawOutline(polygon);
    // Linear scales: inverting the vertices is exact, and the test then runs in data units.
    const inData = polygon.map(([px, py]) => [x.invert(px), y.invert(py)] as [number, number]);
    return emit(lassoMask(current.x, current.y, inData));
  }
  function selectRect([[a, b], [c, d]]: readonly [
    readonly [number, number],
    readonly [number, number],
  ]): Uint8Array {
    drawOutline([
      [a, b],
      [c, d],
    ]);
    if (Math.abs(c - a) < 2 && Math.abs(d - b) < 2) {
      // A click without a drag clears the selection.
      selectionMark.attr('d', null);
      options.onSelect?.(null);
      return new Uint8Array(current.x.length);
    }
    return emit(rectMask(current.x, current.y, [x.invert(a), x.invert(c)], [y.invert(b), y.invert(d)]));
  }

  function setMode(next: ScatterMode): void {
    mode = next;
    overlay.attr('cursor', mode === 'pan' ? 'grab' : 'crosshair');
  }
  setMode(mode);
  drawAxes();
  draw();

  return {
    node,
    canvas,
    svg: svgEl,
    plot,
    nearest,
    lasso: (polygon) => selectPolygon(polygon),
    brush: (rect) => selectRect(rect),
    toPixels: (vx, vy) => [x(vx), y(vy)],
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
      if (change.mode) setMode(change.mode);
      if (change.data) {
        current = change.data;
        index = null;
        prepareEncodings();
        drawAxes();
      }
      if (change.x || change.y) {
        current = { ...current, x: change.x ?? current.x, y: change.y ?? current.y };
        index = null;
      }
      if (change.selected !== undefined) {
        current = { ...current, selected: change.selected };
        if (!change.selected) selectionMark.attr('d', null);
      }
      if (change.frame) {
        x0.domain(paddedDomain(change.frame.x));
        y0.domain(paddedDomain(change.frame.y));
        x = transform.rescaleX(x0);
        y = transform.rescaleY(y0);
        index = null;
        drawAxes();
      }
      schedule();
    },
    destroy() {
      pending = false;
      svg.on('.zoom', null);
      overlay.on('pointermove pointerleave pointerdown pointerup', null);
      node.remove();
    },
  };
}
