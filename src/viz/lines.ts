/**
 * Line charts: loss and metric curves while training, ROC and precision–recall curves,
 * calibration (reliability) curves, learning curves and score-vs-parameter charts. One pure view
 * of series of (x, y) points; optional bands (a CI around a line), a diagonal reference and
 * markers on the points. Data arrive as small arrays computed in the worker.
 */
import { line, scaleLinear, scaleLog } from 'd3';
import { swatchLegend, xAxis, yAxis } from './axes.ts';
import { type BaseOptions, chartSvg, type GSelection, r2 } from './dom.ts';
import { paddedDomain } from './domain.ts';
import { formatTick } from './format.ts';
import { categoricalColor, resolveTheme, type ThemeOption } from './theme.ts';

export interface LineSeries {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** A band around the line (e.g. the 95% CI), same length as x. */
  low?: ArrayLike<number>;
  high?: ArrayLike<number>;
  /** Draw a dot at every point (few points: grid search, calibration). */
  markers?: boolean;
  dashed?: boolean;
}

export interface LinesOptions extends BaseOptions {
  xLabel?: string;
  yLabel?: string;
  /** Fixed domains (ROC/PR/calibration: [0, 1]); otherwise the data's extent, padded. */
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Log scale on x (regularisation strength, learning rate). */
  xLog?: boolean;
  /** Dashed y = x reference (ROC chance line, perfect calibration). */
  diagonal?: boolean;
  theme?: ThemeOption;
}

const MARGIN = { top: 12, right: 14, bottom: 42, left: 58 };

/** Curves of one or more series, with a legend when there are several. */
export function lines(series: readonly LineSeries[], options: LinesOptions = {}): SVGSVGElement {
  const theme = resolveTheme(options.theme);
  const { svg, width, height } = chartSvg(
    options,
    theme,
    { width: 420, height: 260 },
    options.yLabel ?? 'Line chart',
    'bt-lines',
  );
  // The legend first, so the plot gets whatever height it leaves.
  const legend = series.length > 1 ? (svg.append('g') as GSelection) : null;
  const legendHeight = legend
    ? swatchLegend(
        legend,
        series.map((s, i) => ({ label: s.label, color: categoricalColor(theme, i) })),
        width - 28,
        theme,
      ) + 4
    : 0;
  legend?.attr('transform', `translate(18,${height - legendHeight})`);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom - legendHeight;
  const xs = series.flatMap((s) => Array.from(s.x));
  const ys = series.flatMap((s) => [
    ...Array.from(s.y),
    ...Array.from(s.low ?? []),
    ...Array.from(s.high ?? []),
  ]);
  const xDomain = options.xDomain ?? paddedDomain(options.xLog ? xs.filter((v) => v > 0) : xs);
  const yDomain = options.yDomain ?? paddedDomain(ys, 0.04);
  const x = options.xLog
    ? scaleLog().domain(xDomain).range([0, plotWidth])
    : scaleLinear().domain(xDomain).range([0, plotWidth]);
  if (!options.xDomain && !options.xLog) x.nice();
  const y = scaleLinear().domain(yDomain).range([plotHeight, 0]);
  if (!options.yDomain) y.nice();
  const root = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`) as GSelection;
  yAxis(root.append('g') as GSelection, y, plotHeight, theme, {
    ...(options.yLabel ? { title: options.yLabel } : {}),
    grid: plotWidth,
    titleOffset: 42,
  });
  xAxis(root.append('g').attr('transform', `translate(0,${plotHeight})`) as GSelection, x, plotWidth, theme, {
    ...(options.xLabel ? { title: options.xLabel } : {}),
    ...(options.xLog ? { tickFormat: formatTick, spacing: 60 } : {}),
  });
  const marks = root.append('g').attr('class', 'marks') as GSelection;
  if (options.diagonal) {
    const [lo, hi] = [Math.max(xDomain[0], yDomain[0]), Math.min(xDomain[1], yDomain[1])];
    marks
      .append('line')
      .attr('class', 'diagonal')
      .attr('x1', r2(x(lo)))
      .attr('y1', r2(y(lo)))
      .attr('x2', r2(x(hi)))
      .attr('y2', r2(y(hi)))
      .attr('stroke', theme.axis)
      .attr('stroke-dasharray', '4 4');
  }
  series.forEach((s, i) => {
    const color = categoricalColor(theme, i);
    const points = Array.from(
      { length: s.x.length },
      (_, k) => [s.x[k]!, s.y[k]!] as [number, number],
    ).filter(([px, py]) => Number.isFinite(px) && Number.isFinite(py) && (!options.xLog || px > 0));
    const g = marks.append('g').attr('class', 'series').attr('data-label', s.label);
    if (s.low && s.high) {
      const band = Array.from({ length: s.x.length }, (_, k) => k).filter(
        (k) => Number.isFinite(s.low![k]!) && Number.isFinite(s.high![k]!),
      );
      const upper = band.map((k) => `${r2(x(s.x[k]!))},${r2(y(s.high![k]!))}`);
      const lower = band.map((k) => `${r2(x(s.x[k]!))},${r2(y(s.low![k]!))}`).reverse();
      if (band.length > 1) {
        g.append('path')
          .attr('class', 'band')
          .attr('d', `M${upper.join('L')}L${lower.join('L')}Z`)
          .attr('fill', color)
          .attr('fill-opacity', 0.15);
      } else if (band.length === 1) {
        const k = band[0]!;
        g.append('line')
          .attr('class', 'band')
          .attr('x1', r2(x(s.x[k]!)))
          .attr('x2', r2(x(s.x[k]!)))
          .attr('y1', r2(y(s.low![k]!)))
          .attr('y2', r2(y(s.high![k]!)))
          .attr('stroke', color)
          .attr('stroke-opacity', 0.5);
      }
    }
    const path = line<[number, number]>()
      .x(([px]) => r2(x(px)))
      .y(([, py]) => r2(y(py)))(points);
    g.append('path')
      .attr('class', 'line')
      .attr('d', path ?? '')
      .attr('fill', 'none')
      .attr('stroke', color)
      .attr('stroke-width', 1.8)
      .attr('stroke-dasharray', s.dashed ? '5 3' : null);
    if (s.markers) {
      for (const [px, py] of points) {
        g.append('circle')
          .attr('cx', r2(x(px)))
          .attr('cy', r2(y(py)))
          .attr('r', 3)
          .attr('fill', color);
      }
    }
  });
  return svg.node()!;
}
