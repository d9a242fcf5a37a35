/**
 * The Prototype tab's views: a partial dependence plot with its ICE curves (sklearn's
 * PartialDependenceDisplay, kind='both': thin individual curves, the average on top, the
 * feature's deciles as a rug), and the class probabilities of a what-if row as horizontal bars
 * with the original row's probabilities marked. Data arrive as small arrays computed in the worker.
 */
import { line, scaleBand, scaleLinear, scalePoint } from 'd3';
import { bandXAxis, xAxis, yAxis } from './axes.ts';
import { type BaseOptions, chartSvg, createSvg, documentOf, type GSelection, r2 } from './dom.ts';
import { finiteExtent, paddedDomain } from './domain.ts';
import { formatNumber, textWidth, truncate } from './format.ts';
import { categoricalColor, resolveTheme, type ThemeOption } from './theme.ts';

export interface PartialDependenceData {
  kind: 'numeric' | 'categorical';
  /** Grid values (numbers for a numeric feature, category labels otherwise). */
  grid: readonly (number | string | boolean)[];
  /** The partial dependence: the mean prediction at each grid value. */
  average: readonly number[];
  /** Individual conditional expectation curves, one per sampled row (NaN where unscored). */
  ice?: readonly (readonly number[])[];
  /** The feature's deciles (numeric features), drawn as a rug on the x axis. */
  deciles?: readonly number[];
  /** The what-if row's value of the feature, marked with a vertical line. */
  current?: number | string | boolean | null;
}

export interface PartialDependencePlotOptions extends BaseOptions {
  feature: string;
  /** What the y axis shows: "P(virginica)" or the regression target. */
  yLabel: string;
  /** Fixed y domain (probabilities: [0, 1]); otherwise the curves' extent, padded. */
  yDomain?: [number, number];
  theme?: ThemeOption;
}

const MARGIN = { top: 14, right: 16, bottom: 44, left: 58 };

/** PDP + ICE for one feature: ICE as thin translucent lines, the average as a thick line on top. */
export function partialDependencePlot(
  data: PartialDependenceData,
  options: PartialDependencePlotOptions,
): SVGSVGElement {
  const theme = resolveTheme(options.theme);
  const { svg, width, height } = chartSvg(
    options,
    theme,
    { width: 440, height: 280 },
    `Partial dependence of ${options.yLabel} on ${options.feature}`,
    'bt-pdp',
  );
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const root = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`) as GSelection;
  const ice = data.ice ?? [];
  const y = scaleLinear()
    .domain(options.yDomain ?? paddedDomain([data.average, ...ice], 0.04))
    .range([plotHeight, 0]);
  if (!options.yDomain) y.nice();
  yAxis(root.append('g') as GSelection, y, plotHeight, theme, {
    title: options.yLabel,
    grid: plotWidth,
    titleOffset: 42,
  });

  // x: a linear scale over the grid for numbers, evenly spaced points for categories.
  let xOf: (v: number | string | boolean) => number;
  const axis = root.append('g').attr('transform', `translate(0,${plotHeight})`) as GSelection;
  if (data.kind === 'numeric') {
    const values = data.grid as readonly number[];
    const marks = [...values, ...(typeof data.current === 'number' ? [data.current] : [])];
    const x = scaleLinear().domain(finiteExtent(marks)).range([0, plotWidth]);
    xAxis(axis, x, plotWidth, theme, { title: options.feature });
    xOf = (v) => x(v as number);
  } else {
    const labels = data.grid.map(String);
    const band = scaleBand().domain(labels).range([0, plotWidth]).padding(0);
    bandXAxis(axis, band, theme, { title: options.feature, maxLabelHeight: 30 });
    const x = scalePoint().domain(labels).range([0, plotWidth]).padding(0.5);
    xOf = (v) => x(String(v)) ?? Number.NaN;
  }

  const path = (values: readonly number[]) =>
    line<number>()
      .defined((v) => Number.isFinite(v))
      .x((_, k) => r2(xOf(data.grid[k]!)))
      .y((v) => r2(y(v)))(values as number[]) ?? '';
  const marks = root.append('g').attr('class', 'marks') as GSelection;
  const iceG = marks.append('g').attr('class', 'ice');
  for (const curve of ice) {
    iceG
      .append('path')
      .attr('d', path(curve))
      .attr('fill', 'none')
      .attr('stroke', categoricalColor(theme, 0))
      .attr('stroke-opacity', 0.28)
      .attr('stroke-width', 1);
  }
  // sklearn's display: ICE in translucent blue, the average in orange on top.
  const color = categoricalColor(theme, 1);
  marks
    .append('path')
    .attr('class', 'average')
    .attr('d', path(data.average))
    .attr('fill', 'none')
    .attr('stroke', color)
    .attr('stroke-width', 2.6);
  if (data.kind === 'categorical' || data.grid.length <= 12) {
    data.average.forEach((v, k) => {
      if (!Number.isFinite(v)) return;
      marks
        .append('circle')
        .attr('class', 'average-point')
        .attr('cx', r2(xOf(data.grid[k]!)))
        .attr('cy', r2(y(v)))
        .attr('r', 3.5)
        .attr('fill', color);
    });
  }
  if (data.deciles && data.deciles.length > 0) {
    const rug = marks.append('g').attr('class', 'deciles');
    for (const d of data.deciles) {
      rug
        .append('line')
        .attr('x1', r2(xOf(d)))
        .attr('x2', r2(xOf(d)))
        .attr('y1', plotHeight)
        .attr('y2', plotHeight - 7)
        .attr('stroke', theme.text)
        .attr('stroke-opacity', 0.6);
    }
  }
  if (data.current !== undefined && data.current !== null) {
    const cx = xOf(data.current);
    if (Number.isFinite(cx)) {
      const g = marks.append('g').attr('class', 'current');
      g.append('line')
        .attr('x1', r2(cx))
        .attr('x2', r2(cx))
        .attr('y1', 0)
        .attr('y2', plotHeight)
        .attr('stroke', theme.text)
        .attr('stroke-opacity', 0.7)
        .attr('stroke-width', 1.2)
        .attr('stroke-dasharray', '4 3');
      const label = 'this row';
      const right = cx + 4 + textWidth(label, theme.fontSize) < plotWidth;
      g.append('text')
        .attr('x', r2(right ? cx + 4 : cx - 4))
        .attr('y', 10)
        .attr('text-anchor', right ? 'start' : 'end')
        .attr('fill', theme.textMuted)
        .text(label);
    }
  }
  return svg.node()!;
}

export interface ProbabilityData {
  classes: readonly string[];
  probabilities: readonly number[];
  /** The original row's probabilities, marked as a tick on each bar. */
  original?: readonly number[] | null;
}

/** Class probabilities as horizontal bars (the predicted class highlighted), 0–1 scale. */
export function probabilityBars(
  data: ProbabilityData,
  options: BaseOptions & { theme?: ThemeOption } = {},
): SVGSVGElement {
  const theme = resolveTheme(options.theme);
  const doc = documentOf(options);
  const width = options.width ?? 320;
  const rowHeight = 22;
  const labelWidth = Math.min(
    width * 0.4,
    Math.max(40, ...data.classes.map((c) => textWidth(c, theme.fontSize) + 10)),
  );
  const valueWidth = 44;
  const height = options.height ?? data.classes.length * rowHeight + 30;
  const svg = createSvg(doc, width, height, theme, options.title ?? 'Class probabilities');
  svg.attr('class', 'bt-probabilities');
  const plotWidth = width - labelWidth - valueWidth;
  const x = scaleLinear().domain([0, 1]).range([0, plotWidth]);
  const best = data.probabilities.reduce((b, p, k, all) => (p > all[b]! ? k : b), 0);
  const root = svg.append('g').attr('transform', `translate(${labelWidth},6)`) as GSelection;
  data.classes.forEach((c, k) => {
    const p = data.probabilities[k] ?? 0;
    const g = root
      .append('g')
      .attr('class', 'class-bar')
      .attr('data-class', c)
      .attr('transform', `translate(0,${k * rowHeight})`);
    g.append('title').text(
      `${c}: ${formatNumber(p)}${data.original ? ` (was ${formatNumber(data.original[k] ?? 0)})` : ''}`,
    );
    g.append('text')
      .attr('x', -6)
      .attr('y', rowHeight / 2)
      .attr('dy', '0.32em')
      .attr('text-anchor', 'end')
      .attr('fill', theme.text)
      .attr('font-weight', k === best ? 600 : null)
      .text(truncate(c, Math.floor(labelWidth / (theme.fontSize * 0.58)) - 1));
    g.append('rect')
      .attr('class', 'track')
      .attr('y', 3)
      .attr('width', plotWidth)
      .attr('height', rowHeight - 6)
      .attr('fill', theme.grid)
      .attr('fill-opacity', 0.5);
    g.append('rect')
      .attr('class', 'bar')
      .attr('y', 3)
      .attr('width', r2(x(Math.max(0, Math.min(1, p)))))
      .attr('height', rowHeight - 6)
      .attr('fill', k === best ? theme.mark : theme.unselected);
    const was = data.original?.[k];
    if (was !== undefined && Number.isFinite(was)) {
      g.append('line')
        .attr('class', 'original')
        .attr('x1', r2(x(was)))
        .attr('x2', r2(x(was)))
        .attr('y1', 0)
        .attr('y2', rowHeight)
        .attr('stroke', theme.text)
        .attr('stroke-width', 2);
    }
    g.append('text')
      .attr('x', plotWidth + 6)
      .attr('y', rowHeight / 2)
      .attr('dy', '0.32em')
      .attr('fill', theme.textMuted)
      .text(p.toFixed(3));
  });
  if (data.original) {
    const legend = svg
      .append('g')
      .attr('class', 'legend')
      .attr('transform', `translate(${labelWidth},${height - 14})`);
    legend.append('rect').attr('width', 10).attr('height', 10).attr('fill', theme.mark);
    legend.append('text').attr('x', 14).attr('y', 9).attr('fill', theme.textMuted).text('edited row');
    const at = 14 + textWidth('edited row', theme.fontSize) + 16;
    legend
      .append('line')
      .attr('x1', at + 4)
      .attr('x2', at + 4)
      .attr('y1', -1)
      .attr('y2', 11)
      .attr('stroke', theme.text)
      .attr('stroke-width', 2);
    legend
      .append('text')
      .attr('x', at + 12)
      .attr('y', 9)
      .attr('fill', theme.textMuted)
      .text('original row');
  }
  return svg.node()!;
}
