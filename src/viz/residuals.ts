/**
 * Regression diagnostics: predicted vs actual (points on the y = x line are perfect) and residuals
 * (actual − predicted) against the prediction (a pattern means the model misses structure).
 * At most a few thousand out-of-fold points, sampled in the worker.
 */
import { scaleLinear } from 'd3';
import { xAxis, yAxis } from './axes.ts';
import { type BaseOptions, chartSvg, type GSelection, r2 } from './dom.ts';
import { paddedDomain } from './domain.ts';
import { categoricalColor, resolveTheme, type ThemeOption } from './theme.ts';

export interface ResidualData {
  actual: ArrayLike<number>;
  predicted: ArrayLike<number>;
}

export interface ResidualOptions extends BaseOptions {
  /** 'fit': predicted against actual with the y = x line; 'residuals': residual against predicted. */
  mode: 'fit' | 'residuals';
  /** Name of the target, for the axis titles. */
  target?: string;
  theme?: ThemeOption;
}

const MARGIN = { top: 12, right: 14, bottom: 42, left: 58 };

export function residuals(data: ResidualData, options: ResidualOptions): SVGSVGElement {
  const theme = resolveTheme(options.theme);
  const target = options.target ?? 'target';
  const fit = options.mode === 'fit';
  const { svg, width, height } = chartSvg(
    options,
    theme,
    { width: 360, height: 260 },
    fit ? `Predicted vs actual ${target}` : `Residuals of ${target}`,
    `bt-residuals bt-residuals-${options.mode}`,
  );
  const n = Math.min(data.actual.length, data.predicted.length);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = data.actual[i]!;
    const p = data.predicted[i]!;
    xs.push(fit ? a : p);
    ys.push(fit ? p : a - p);
  }
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const both = fit ? paddedDomain([xs, ys]) : null;
  const x = scaleLinear()
    .domain(both ?? paddedDomain(xs))
    .nice()
    .range([0, plotWidth]);
  const yExtent = paddedDomain(ys);
  const bound = Math.max(Math.abs(yExtent[0]), Math.abs(yExtent[1]));
  const y = scaleLinear()
    .domain(both ?? [-bound, bound])
    .nice()
    .range([plotHeight, 0]);
  const root = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`) as GSelection;
  yAxis(root.append('g') as GSelection, y, plotHeight, theme, {
    title: fit ? `predicted ${target}` : 'residual (actual − predicted)',
    grid: plotWidth,
    titleOffset: 42,
  });
  xAxis(root.append('g').attr('transform', `translate(0,${plotHeight})`) as GSelection, x, plotWidth, theme, {
    title: fit ? `actual ${target}` : `predicted ${target}`,
  });
  const marks = root.append('g').attr('class', 'marks') as GSelection;
  const [x0, x1] = x.domain() as [number, number];
  marks
    .append('line')
    .attr('class', 'reference')
    .attr('x1', 0)
    .attr('x2', plotWidth)
    .attr('y1', r2(fit ? y(x0) : y(0)))
    .attr('y2', r2(fit ? y(x1) : y(0)))
    .attr('stroke', theme.axis)
    .attr('stroke-dasharray', '4 4');
  const color = categoricalColor(theme, 0);
  const points = marks.append('g').attr('class', 'points').attr('fill', color).attr('fill-opacity', 0.55);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(xs[i]!) || !Number.isFinite(ys[i]!)) continue;
    points
      .append('circle')
      .attr('cx', r2(x(xs[i]!)))
      .attr('cy', r2(y(ys[i]!)))
      .attr('r', 2.2);
  }
  return svg.node()!;
}
