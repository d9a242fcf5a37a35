import { brushX, type D3BrushEvent, scaleLinear, select } from 'd3';
import { xAxis, yAxis } from './axes.ts';
import { type BaseOptions, chartSvg, type GSelection, r2, type ViewHandle } from './dom.ts';
import { type AxisType, formatCountCompact, formatRange, formatShare } from './format.ts';
import type { RangeSelection } from './selection.ts';
import { resolveTheme, type Theme, type ThemeOption } from './theme.ts';

/** Bins of one numeric column, computed in the worker. `edges.length === counts.length + 1`. */
export interface HistogramData {
  edges: Float64Array;
  counts: Float64Array;
  /** Rows where the column is missing; shown as a separate bar so its share is visible. */
  missing: number;
  /** Per-bin counts of the rows in the current linked selection (from any view). */
  selectedCounts?: Float64Array;
}

export interface HistogramOptions extends BaseOptions {
  /** Column name: axis title and the `column` of emitted selections. */
  column: string;
  theme?: ThemeOption;
  /** Identifies this view as the `source` of its selections (default `histogram:<column>`). */
  source?: string;
  /** Allow brushing an x range (default true). */
  brushable?: boolean;
  /** Snap brushed ranges to bin edges (default true), so a selection is exactly a set of bars. */
  snap?: boolean;
  /** Initial brushed range, in data units. */
  range?: readonly [number, number] | null;
  /** Called when the user brushes (a range) or clears the brush (null). */
  onBrush?: (selection: RangeSelection | null) => void;
  /** 'time' for a date column (edges in epoch ms): dated ticks and bin ranges. */
  xType?: AxisType;
}

export interface HistogramUpdate {
  data?: HistogramData;
  /** Moves the brush without emitting (the store already knows). */
  range?: readonly [number, number] | null;
}

export interface HistogramView extends ViewHandle<SVGSVGElement, HistogramUpdate> {
  /** Brush from pixel x0 to x1 in plot coordinates, as a user gesture would (emits); null clears. */
  brushPixels(px: readonly [number, number] | null): void;
  /** Plot-area geometry, for positioning tooltips or driving the brush in tests. */
  readonly plot: { left: number; top: number; width: number; height: number };
  /** Data → pixel (plot coordinates). */
  xOf(value: number): number;
}

const MARGIN = { top: 14, right: 16, bottom: 44, left: 52 };
const MISSING_BAND = 56;

/**
 * Converts a brushed pixel span into a data range; with `edges` it widens to whole bins (a bin
 * is in when the brush covers any of it), so the selection matches exactly the bars it touches.
 */
export function brushToRange(
  px: readonly [number, number],
  invert: (px: number) => number,
  edges?: ArrayLike<number>,
): [number, number] {
  let lo = invert(Math.min(px[0], px[1]));
  let hi = invert(Math.max(px[0], px[1]));
  if (edges && edges.length >= 2) {
    const last = edges.length - 1;
    let i = 0;
    while (i < last - 1 && edges[i + 1]! <= lo) i++;
    let j = last;
    while (j > 1 && edges[j - 1]! >= hi) j--;
    lo = edges[i]!;
    hi = edges[j]!;
  }
  return [lo, hi];
}

type Scale = (value: number) => number;

/** The bars (dimmed under the selected rows' counts when there is a linked selection). */
function drawBins(
  marks: GSelection,
  data: HistogramData,
  at: { x: Scale; y: Scale; plotHeight: number },
  theme: Theme,
  xType?: AxisType,
): void {
  const { edges, counts, missing, selectedCounts } = data;
  const { x, y, plotHeight } = at;
  const n = counts.length;
  const total = counts.reduce((s, c) => s + c, 0) + missing;
  const barWidth = (i: number) => {
    const w = x(edges[i + 1]!) - x(edges[i]!);
    return r2(Math.max(0.5, w - (w > 4 ? 1 : 0)));
  };
  const bars = marks.append('g').attr('class', 'bars');
  for (let i = 0; i < n; i++) {
    const c = counts[i]!;
    const sel = selectedCounts?.[i];
    bars
      .append('rect')
      .attr('class', 'bar')
      .attr('x', r2(x(edges[i]!)))
      .attr('y', r2(y(c)))
      .attr('width', barWidth(i))
      .attr('height', r2(plotHeight - y(c)))
      .attr('fill', selectedCounts ? theme.unselected : theme.mark)
      .append('title')
      .text(
        `${formatRange(edges[i]!, edges[i + 1]!, xType)}: ${formatCountCompact(c)} rows (${formatShare(c, total)})` +
          (sel !== undefined ? `, ${formatCountCompact(sel)} selected` : ''),
      );
  }
  if (!selectedCounts) return;
  const sel = marks.append('g').attr('class', 'selected-bars').attr('pointer-events', 'none');
  for (let i = 0; i < n; i++) {
    const c = selectedCounts[i]!;
    if (!(c > 0)) continue;
    sel
      .append('rect')
      .attr('x', r2(x(edges[i]!)))
      .attr('y', r2(y(c)))
      .attr('width', barWidth(i))
      .attr('height', r2(plotHeight - y(c)))
      .attr('fill', theme.mark);
  }
}

/** The missing rows as a separate grey bar right of the plot, with their share above it. */
function drawMissingBar(
  marks: GSelection,
  data: HistogramData,
  at: { x: number; y: Scale; plotHeight: number },
  theme: Theme,
): void {
  const { missing } = data;
  const { y, plotHeight } = at;
  const total = data.counts.reduce((s, c) => s + c, 0) + missing;
  const bw = MISSING_BAND - 32;
  const g = marks.append('g').attr('class', 'missing').attr('transform', `translate(${at.x},0)`);
  g.append('rect')
    .attr('y', r2(y(missing)))
    .attr('width', bw)
    .attr('height', r2(plotHeight - y(missing)))
    .attr('fill', theme.missing)
    .append('title')
    .text(`missing: ${formatCountCompact(missing)} rows (${formatShare(missing, total)})`);
  g.append('text')
    .attr('x', bw / 2)
    .attr('y', r2(Math.max(10, y(missing) - 4)))
    .attr('text-anchor', 'middle')
    .attr('fill', theme.textMuted)
    .text(formatShare(missing, total));
  g.append('text')
    .attr('x', bw / 2)
    .attr('y', plotHeight + 15)
    .attr('text-anchor', 'middle')
    .attr('fill', theme.textMuted)
    .text('missing');
}

/** Histogram of a numeric column with its missing share and a brushable x range. */
export function histogram(data: HistogramData, options: HistogramOptions): HistogramView {
  const theme = resolveTheme(options.theme);
  const { svg, width, height } = chartSvg(
    options,
    theme,
    { width: 480, height: 240 },
    `Histogram of ${options.column}`,
    'bt-histogram',
  );
  const source = options.source ?? `histogram:${options.column}`;
  const snap = options.snap ?? true;
  let current = data;

  const hasMissingBand = () => current.missing > 0;
  const plotWidth = () => width - MARGIN.left - MARGIN.right - (hasMissingBand() ? MISSING_BAND : 0);
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const root = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`) as GSelection;
  const marks = root.append('g').attr('class', 'marks') as GSelection;
  const brushLayer = root.append('g').attr('class', 'brush') as GSelection;

  const x = scaleLinear();
  const y = scaleLinear();

  function render(): void {
    marks.selectAll('*').remove();
    const { edges, counts, missing } = current;
    const n = counts.length;
    const lo = n > 0 ? edges[0]! : 0;
    const hi = n > 0 ? edges[n]! : 1;
    const pw = plotWidth();
    x.domain(lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi]).range([0, pw]);
    // Headroom for the share label printed above the missing bar.
    y.domain([0, Math.max(1, missing * 1.12, ...counts)])
      .nice()
      .range([plotHeight, 0]);
    yAxis(marks.append('g') as GSelection, y, plotHeight, theme, {
      title: 'Rows',
      grid: pw,
      tickFormat: formatCountCompact,
      titleOffset: 40,
    });
    xAxis(marks.append('g').attr('transform', `translate(0,${plotHeight})`) as GSelection, x, pw, theme, {
      title: options.column,
      ...(options.xType ? { type: options.xType } : {}),
    });
    drawBins(marks, current, { x, y, plotHeight }, theme, options.xType);
    if (hasMissingBand()) drawMissingBar(marks, current, { x: pw + 26, y, plotHeight }, theme);
    brushLayer.raise();
  }

  let silent = false;
  const brush = brushX<unknown>();
  const brushable = options.brushable ?? true;
  function setupBrush(): void {
    brush.extent([
      [0, 0],
      [Math.max(1, plotWidth()), plotHeight],
    ]);
    brushLayer.call(brush);
    brushLayer
      .selectAll('.selection')
      .attr('fill', theme.selected)
      .attr('fill-opacity', 0.15)
      .attr('stroke', theme.selected);
  }
  const emitRange = (px: readonly [number, number] | null) => {
    if (!px) {
      options.onBrush?.(null);
      return;
    }
    const range = brushToRange(px, (p) => x.invert(p), snap ? current.edges : undefined);
    // Show the snapped range, without emitting a second time.
    silent = true;
    brushLayer.call(brush.move, [x(range[0]), x(range[1])]);
    silent = false;
    options.onBrush?.({ source, kind: 'range', column: options.column, range });
  };
  brush.on('end', (event: D3BrushEvent<unknown>) => {
    if (silent) return;
    emitRange(event.selection as [number, number] | null);
  });

  const moveSilently = (range: readonly [number, number] | null | undefined) => {
    if (!brushable) return;
    silent = true;
    brushLayer.call(brush.move, range ? [x(range[0]), x(range[1])] : null);
    silent = false;
  };

  render();
  if (brushable) {
    setupBrush();
    if (options.range) moveSilently(options.range);
  }

  const node = svg.node()!;
  return {
    node,
    plot: { left: MARGIN.left, top: MARGIN.top, width: plotWidth(), height: plotHeight },
    xOf: (v) => x(v),
    brushPixels(px) {
      if (!brushable) return;
      silent = true;
      brushLayer.call(brush.move, px ? [Math.min(px[0], px[1]), Math.max(px[0], px[1])] : null);
      silent = false;
      emitRange(px);
    },
    update(change) {
      if (change.data) {
        current = change.data;
        render();
        if (brushable) setupBrush();
      }
      if (change.range !== undefined) moveSilently(change.range);
    },
    destroy() {
      brush.on('end', null);
      select(node).remove();
    },
  };
}
