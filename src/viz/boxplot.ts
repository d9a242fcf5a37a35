import { curveBasis, line, scaleBand, scaleLinear } from 'd3';
import type { BoxSummary } from '../core/types.ts';
import { bandXAxis, yAxis } from './axes.ts';
import { type CategoryColours, colourFor } from './colour.ts';
import { type BaseOptions, chartSvg, type GSelection, r2 } from './dom.ts';
import { paddedDomain } from './domain.ts';
import { type AxisType, formatCountCompact, formatValue } from './format.ts';
import { resolveTheme, type Theme, type ThemeOption } from './theme.ts';

/** One group's box (computed in the worker). */
export interface BoxGroup extends BoxSummary {
  mean?: number;
  /** Points beyond the whiskers (the worker may cap how many it sends). */
  outliers?: ArrayLike<number>;
}

export interface BoxplotData {
  groups: BoxGroup[];
  /** Linked selection: the same groups over the selected rows, drawn as a narrow box inside each. */
  selected?: (BoxGroup | null)[];
}

/** A kernel density estimate of one group on a grid of values (computed in the worker). */
export interface ViolinGroup {
  label: string;
  n: number;
  /** Values (y) at which the density was evaluated, ascending. */
  grid: ArrayLike<number>;
  density: ArrayLike<number>;
  q1?: number;
  median?: number;
  q3?: number;
}

export interface ViolinData {
  groups: ViolinGroup[];
  /** Linked selection: the same groups over the selected rows, drawn inside each violin with its
   * area in proportion to the selected share of the group. */
  selected?: (ViolinGroup | null)[];
}

export interface DistributionOptions extends BaseOptions {
  /** Numeric column (y axis title). */
  column: string;
  /** Grouping column (x axis title). */
  groupBy?: string;
  theme?: ThemeOption;
  /** 'time' for a date column (values in epoch ms): dated ticks and tooltips. */
  yType?: AxisType;
  /** The grouping column's shared scale (`colourFor`), so a group has its colour in every view. */
  colours?: CategoryColours;
}

const MARGIN = { top: 14, right: 16, bottom: 44, left: 56 };

function frame(
  labels: string[],
  yDomain: [number, number],
  options: DistributionOptions,
  theme: Theme,
  kind: string,
) {
  const { svg, width, height } = chartSvg(
    options,
    theme,
    { width: 480, height: 280 },
    `${kind} of ${options.column}${options.groupBy ? ` by ${options.groupBy}` : ''}`,
    `bt-${kind.toLowerCase()}`,
  );
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const x = scaleBand<string>().domain(labels).range([0, plotWidth]).paddingInner(0.25).paddingOuter(0.15);
  // Rotated group labels need room: shrink the plot rather than overflow the svg.
  const longest = Math.max(0, ...labels.map((l) => l.length * theme.fontSize * 0.58));
  const bottom = longest > x.step() - 4 ? Math.min(90, MARGIN.bottom + longest * 0.64) : MARGIN.bottom;
  const plotHeight = height - MARGIN.top - bottom;
  const [lo, hi] = yDomain;
  const y = scaleLinear()
    .domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi])
    .nice()
    .range([plotHeight, 0]);
  const root = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`) as GSelection;
  yAxis(root.append('g') as GSelection, y, plotHeight, theme, {
    title: options.column,
    grid: plotWidth,
    titleOffset: 44,
    ...(options.yType ? { type: options.yType } : {}),
  });
  bandXAxis(root.append('g').attr('transform', `translate(0,${plotHeight})`) as GSelection, x, theme, {
    ...(options.groupBy ? { title: options.groupBy } : {}),
    maxLabelHeight: bottom - 24,
  });
  const marks = root.append('g').attr('class', 'marks') as GSelection;
  return { svg, x, y, marks };
}

/** Each group's colour: from the column's shared scale, else a scale over these groups. */
function groupColours(labels: readonly string[], options: DistributionOptions, theme: Theme) {
  const scale = options.colours ?? colourFor(options.groupBy ?? '', labels);
  return (label: string) => scale.color(label, theme);
}

/** Box plots of a numeric column, one per group, coloured by group. */
export function boxplot(data: BoxplotData, options: DistributionOptions): SVGSVGElement {
  const theme = resolveTheme(options.theme);
  const values = data.groups.flatMap((g) => [g.whiskerLo, g.whiskerHi, ...Array.from(g.outliers ?? [])]);
  const labels = data.groups.map((g) => g.label);
  const { svg, x, y, marks } = frame(labels, paddedDomain(values), options, theme, 'Boxplot');
  const colourOf = groupColours(labels, options, theme);
  const valueText = (v: number) => formatValue(v, options.yType);
  data.groups.forEach((group, i) => {
    const color = colourOf(group.label);
    const bw = x.bandwidth();
    const cx = x(group.label)! + bw / 2;
    const boxW = Math.min(bw, 48);
    const g = marks
      .append('g')
      .attr('class', 'box')
      .attr('transform', `translate(${r2(cx)},0)`);
    g.append('line')
      .attr('class', 'whisker')
      .attr('y1', r2(y(group.whiskerLo)))
      .attr('y2', r2(y(group.whiskerHi)))
      .attr('stroke', theme.textMuted);
    for (const v of [group.whiskerLo, group.whiskerHi]) {
      g.append('line')
        .attr('x1', r2(-boxW / 4))
        .attr('x2', r2(boxW / 4))
        .attr('y1', r2(y(v)))
        .attr('y2', r2(y(v)))
        .attr('stroke', theme.textMuted);
    }
    const faded = data.selected !== undefined;
    g.append('rect')
      .attr('x', r2(-boxW / 2))
      .attr('y', r2(y(group.q3)))
      .attr('width', r2(boxW))
      .attr('height', r2(Math.max(1, y(group.q1) - y(group.q3))))
      .attr('fill', color)
      .attr('fill-opacity', faded ? 0.15 : 0.35)
      .attr('stroke', color);
    if (faded) g.select('rect').attr('stroke-opacity', 0.5);
    g.append('line')
      .attr('class', 'median')
      .attr('x1', r2(-boxW / 2))
      .attr('x2', r2(boxW / 2))
      .attr('y1', r2(y(group.median)))
      .attr('y2', r2(y(group.median)))
      .attr('stroke', color)
      .attr('stroke-width', 2);
    if (group.mean !== undefined && Number.isFinite(group.mean)) {
      g.append('circle')
        .attr('class', 'mean')
        .attr('cy', r2(y(group.mean)))
        .attr('r', 2.5)
        .attr('fill', theme.text);
    }
    const outliers = g.append('g').attr('class', 'outliers').attr('fill', 'none').attr('stroke', color);
    for (const v of Array.from(group.outliers ?? []))
      outliers
        .append('circle')
        .attr('cy', r2(y(v)))
        .attr('r', 2);
    const sel = data.selected?.[i];
    if (sel && sel.n > 0) {
      const sw = boxW * 0.45;
      const s = g.append('g').attr('class', 'selected-box').attr('pointer-events', 'none');
      s.append('line')
        .attr('y1', r2(y(sel.whiskerLo)))
        .attr('y2', r2(y(sel.whiskerHi)))
        .attr('stroke', theme.selected)
        .attr('stroke-width', 1.5);
      s.append('rect')
        .attr('x', r2(-sw / 2))
        .attr('y', r2(y(sel.q3)))
        .attr('width', r2(sw))
        .attr('height', r2(Math.max(1, y(sel.q1) - y(sel.q3))))
        .attr('fill', theme.selected)
        .attr('fill-opacity', 0.6)
        .attr('stroke', theme.selected);
      s.append('line')
        .attr('x1', r2(-sw / 2))
        .attr('x2', r2(sw / 2))
        .attr('y1', r2(y(sel.median)))
        .attr('y2', r2(y(sel.median)))
        .attr('stroke', theme.background)
        .attr('stroke-width', 2);
    }
    g.append('title').text(
      `${group.label} (n = ${formatCountCompact(group.n)})\nmedian ${valueText(group.median)}\nIQR ${valueText(group.q1)} – ${valueText(group.q3)}\nwhiskers ${valueText(group.whiskerLo)} – ${valueText(group.whiskerHi)}` +
        (group.mean !== undefined ? `\nmean ${valueText(group.mean)}` : '') +
        (group.outliers?.length ? `\n${formatCountCompact(group.outliers.length)} outliers` : '') +
        (sel
          ? `\nselected: n = ${formatCountCompact(sel.n)}` +
            (sel.n > 0
              ? `, median ${valueText(sel.median)}, IQR ${valueText(sel.q1)} – ${valueText(sel.q3)}`
              : '')
          : ''),
    );
  });
  return svg.node()!;
}

/** Violin plots (mirrored KDE) per group, with the quartiles drawn inside when given. */
export function violin(data: ViolinData, options: DistributionOptions): SVGSVGElement {
  const theme = resolveTheme(options.theme);
  const values = data.groups.flatMap((g) => Array.from(g.grid));
  const labels = data.groups.map((g) => g.label);
  const { svg, x, y, marks } = frame(labels, paddedDomain(values), options, theme, 'Violin');
  const colourOf = groupColours(labels, options, theme);
  const valueText = (v: number) => formatValue(v, options.yType);
  // One density scale for all groups, so widths compare across groups.
  const maxDensity = Math.max(1e-12, ...data.groups.flatMap((g) => Array.from(g.density)));
  const half = x.bandwidth() / 2;
  data.groups.forEach((group, i) => {
    const color = colourOf(group.label);
    const cx = x(group.label)! + half;
    const points = Array.from(group.grid, (v, k) => [v, group.density[k] ?? 0] as [number, number]);
    const right = line<[number, number]>()
      .curve(curveBasis)
      .x(([, d]) => r2((d / maxDensity) * half))
      .y(([v]) => r2(y(v)));
    const left = line<[number, number]>()
      .curve(curveBasis)
      .x(([, d]) => r2((-d / maxDensity) * half))
      .y(([v]) => r2(y(v)));
    const g = marks
      .append('g')
      .attr('class', 'violin')
      .attr('transform', `translate(${r2(cx)},0)`);
    const path = `${right(points)}L${left([...points].reverse())!.slice(1)}Z`;
    const sel = data.selected?.[i];
    g.append('path')
      .attr('d', path)
      .attr('fill', color)
      .attr('fill-opacity', data.selected ? 0.15 : 0.35)
      .attr('stroke', color);
    if (sel && sel.n > 0 && group.n > 0) {
      // The selected rows' density scaled by their share of the group: the area inside is the share.
      const share = sel.n / group.n;
      const inner = Array.from(sel.grid, (v, k) => [v, (sel.density[k] ?? 0) * share] as [number, number]);
      g.append('path')
        .attr('class', 'selected-violin')
        .attr('pointer-events', 'none')
        .attr('d', `${right(inner)}L${left([...inner].reverse())!.slice(1)}Z`)
        .attr('fill', theme.selected)
        .attr('fill-opacity', 0.6)
        .attr('stroke', theme.selected);
    }
    if (group.q1 !== undefined && group.q3 !== undefined) {
      g.append('line')
        .attr('class', 'iqr')
        .attr('y1', r2(y(group.q1)))
        .attr('y2', r2(y(group.q3)))
        .attr('stroke', theme.text)
        .attr('stroke-width', 3);
    }
    if (group.median !== undefined) {
      g.append('circle')
        .attr('class', 'median')
        .attr('cy', r2(y(group.median)))
        .attr('r', 2.5)
        .attr('fill', theme.background);
    }
    g.append('title').text(
      `${group.label} (n = ${formatCountCompact(group.n)})` +
        (group.median !== undefined ? `\nmedian ${valueText(group.median)}` : '') +
        (group.q1 !== undefined && group.q3 !== undefined
          ? `\nIQR ${valueText(group.q1)} – ${valueText(group.q3)}`
          : '') +
        (sel ? `\nselected: n = ${formatCountCompact(sel.n)}` : ''),
    );
  });
  return svg.node()!;
}
