import {
  type Axis,
  type AxisDomain,
  type AxisScale,
  axisBottom,
  axisLeft,
  type ScaleBand,
  scaleUtc,
} from 'd3';
import type { GSelection } from './dom.ts';
import {
  type AxisType,
  formatNumber,
  formatTick,
  formatTimeTick,
  textWidth,
  truncate,
  truncateMiddle,
} from './format.ts';
import { type SequentialName, sequentialInterpolator, type Theme } from './theme.ts';

export interface AxisOptions {
  /** Label under (x) or beside (y) the axis. */
  title?: string;
  /** Roughly how many pixels per tick; ticks never crowd below this. */
  spacing?: number;
  /** Draw light grid lines across the plot, `size` pixels long. */
  grid?: number;
  tickFormat?: (value: number) => string;
  /** 'time': the values are epoch milliseconds, ticked and labelled as UTC dates. */
  type?: AxisType;
}

/** A scale an axis can draw: d3's linear and log scales (log scales have a `base`). */
export type NumericScale = AxisScale<number> & {
  ticks(n?: number): number[];
  domain(): number[];
  range(): number[];
  base?: unknown;
};

function styleAxis(g: GSelection, theme: Theme): void {
  g.attr('color', theme.axis).attr('font-family', theme.font).attr('font-size', theme.fontSize);
  g.selectAll('.tick text').attr('fill', theme.textMuted);
  g.select('.domain').attr('stroke', theme.axis);
}

interface TickPlan {
  values: number[];
  format: (value: number) => string;
  /** Ticks drawn without a label (log-scale minor ticks), drawn shorter. */
  minor: Set<number>;
}

/**
 * Which ticks an axis draws and how it labels them: dates on a time axis (a UTC
 * scale over the same domain), thinned labels on a log axis, `count` nice numbers otherwise.
 */
function tickPlan(
  scale: NumericScale,
  count: number,
  theme: Theme,
  options: AxisOptions,
  horizontal: boolean,
): TickPlan {
  const fmt = options.tickFormat ?? formatTick;
  if (options.type === 'time') {
    const [a, b] = scale.domain() as [number, number];
    const utc = scaleUtc().domain([new Date(a), new Date(b)]);
    return {
      values: utc.ticks(count).map(Number),
      format: (v) => formatTimeTick(new Date(v)),
      minor: new Set(),
    };
  }
  if (scale.base !== undefined) {
    const values = scale.ticks();
    const labelled = logTickLabels(values, (v) => scale(v) ?? 0, fmt, theme.fontSize, horizontal);
    return {
      values,
      format: (v) => (labelled.has(v) ? fmt(v) : ''),
      minor: new Set(values.filter((v) => !labelled.has(v))),
    };
  }
  const values = scale.ticks(count);
  // Ticks less than 100 apart in the thousands are years (txhousing: "2,011 2,012 …"): written
  // without a thousands separator, as years are.
  const years =
    !options.tickFormat &&
    values.length > 1 &&
    values[1]! - values[0]! < 100 &&
    values.every((v) => Number.isInteger(v) && v >= 1000 && v < 10_000);
  return { values, format: years ? (v) => String(v) : fmt, minor: new Set() };
}

/** The leading digit of a log tick (1 for powers of ten, 2, 5, …). */
function mantissa(v: number): number {
  const a = Math.abs(v);
  return Math.round(a / 10 ** Math.floor(Math.log10(a) + 1e-9));
}

/**
 * Which log-scale ticks get a label: powers of ten first (every k-th decade when even those
 * collide), then 5s, then 2s, then the rest — each group only when all its labels fit beside the
 * ones already placed (d3 offers every 1–9 multiple, whose labels run together: "0.010.020.03").
 */
export function logTickLabels(
  ticks: readonly number[],
  position: (v: number) => number,
  label: (v: number) => string,
  fontSize: number,
  horizontal = true,
): Set<number> {
  const extent = (v: number): [number, number] => {
    const p = position(v);
    const half = horizontal ? textWidth(label(v), fontSize) / 2 + 3 : fontSize / 2 + 1;
    return [p - half, p + half];
  };
  const fits = (values: readonly number[]) => {
    const spans = values.map(extent).sort((a, b) => a[0] - b[0]);
    return spans.every((s, i) => i === 0 || s[0] >= spans[i - 1]![1]);
  };
  const powers = ticks.filter((v) => mantissa(v) === 1);
  let chosen: number[] = powers;
  for (let k = 2; !fits(chosen) && k <= powers.length; k++) chosen = powers.filter((_, i) => i % k === 0);
  if (chosen.length === powers.length) {
    for (const group of [[5], [2], [3, 4, 6, 7, 8, 9]]) {
      const next = [...chosen, ...ticks.filter((v) => group.includes(mantissa(v)))];
      if (!fits(next)) break;
      chosen = next;
    }
  }
  return new Set(chosen);
}

function drawTicks(
  g: GSelection,
  axis: Axis<number>,
  plan: TickPlan,
  theme: Theme,
  options: AxisOptions,
  gridSide: 'x2' | 'y2',
): void {
  g.call(
    axis
      .tickValues(plan.values)
      .tickFormat((d) => plan.format(Number(d)))
      .tickSizeOuter(0),
  );
  if (plan.minor.size) {
    g.selectAll<SVGGElement, number>('.tick')
      .filter((d) => plan.minor.has(d))
      .select('line')
      .attr(gridSide, gridSide === 'y2' ? 3 : -3);
  }
  if (options.grid) {
    g.selectAll('.tick line')
      .clone()
      .attr('class', 'grid')
      .attr(gridSide, gridSide === 'y2' ? -options.grid : options.grid)
      .attr('stroke-opacity', 0.6);
    g.selectAll('.grid').attr('stroke', theme.grid);
  }
  styleAxis(g, theme);
}

/** Numeric x axis at the bottom of a plot area `width` wide, with an optional centred title. */
export function xAxis(
  g: GSelection,
  scale: NumericScale,
  width: number,
  theme: Theme,
  options: AxisOptions = {},
): void {
  const count = Math.max(2, Math.floor(width / (options.spacing ?? 80)));
  g.attr('class', 'axis axis-x');
  drawTicks(g, axisBottom(scale), tickPlan(scale, count, theme, options, true), theme, options, 'y2');
  if (options.title) {
    g.append('text')
      .attr('class', 'axis-title')
      .attr('x', width / 2)
      .attr('y', 32)
      .attr('text-anchor', 'middle')
      .attr('fill', theme.text)
      .attr('font-size', theme.fontSize + 1)
      .text(truncate(options.title, Math.floor(width / ((theme.fontSize + 1) * 0.58))));
  }
}

/** Numeric y axis on the left of a plot area `height` tall, with an optional rotated title. */
export function yAxis(
  g: GSelection,
  scale: NumericScale,
  height: number,
  theme: Theme,
  options: AxisOptions & { titleOffset?: number } = {},
): void {
  const count = Math.max(2, Math.floor(height / (options.spacing ?? 40)));
  g.attr('class', 'axis axis-y');
  drawTicks(g, axisLeft(scale), tickPlan(scale, count, theme, options, false), theme, options, 'x2');
  if (options.title) {
    // Clear the widest tick label, whatever the format made of the numbers.
    const widest = Math.max(
      0,
      ...g
        .selectAll<SVGTextElement, unknown>('.tick text')
        .nodes()
        .map((t) => textWidth(t.textContent ?? '', theme.fontSize)),
    );
    yTitle(g, options.title, height, theme, Math.max(options.titleOffset ?? 0, widest + 16));
  }
}

function yTitle(g: GSelection, title: string, height: number, theme: Theme, offset: number): void {
  g.append('text')
    .attr('class', 'axis-title')
    .attr('transform', `translate(${-offset},${height / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .attr('fill', theme.text)
    .attr('font-size', theme.fontSize + 1)
    .text(truncate(title, Math.floor(height / ((theme.fontSize + 1) * 0.58))));
}

/**
 * Band (categorical) x axis. Labels that would collide with their neighbours are rotated −40°
 * and truncated to fit `maxLabelHeight`; the full text stays in a <title> for hover.
 */
export function bandXAxis(
  g: GSelection,
  scale: ScaleBand<string>,
  theme: Theme,
  options: { title?: string; maxLabelHeight?: number; labelOf?: (key: string) => string } = {},
): { rotated: boolean } {
  const labelOf = options.labelOf ?? ((k: string) => k);
  const longest = Math.max(0, ...scale.domain().map((d) => textWidth(labelOf(d), theme.fontSize)));
  const rotated = longest > scale.step() - 4;
  const maxChars = rotated
    ? Math.floor((options.maxLabelHeight ?? 60) / (theme.fontSize * 0.58 * 0.77))
    : Math.floor(scale.step() / (theme.fontSize * 0.58));
  g.attr('class', 'axis axis-x').call(
    axisBottom(scale as AxisScale<AxisDomain>)
      .tickSizeOuter(0)
      .tickFormat((d) => truncateMiddle(labelOf(String(d)), Math.max(3, maxChars))),
  );
  g.selectAll<SVGTextElement, string>('.tick text').each(function (d) {
    const full = labelOf(String(d));
    if (this.textContent !== full) {
      const title = this.ownerDocument.createElementNS('http://www.w3.org/2000/svg', 'title');
      title.textContent = full;
      this.appendChild(title);
    }
  });
  if (rotated) {
    g.selectAll('.tick text')
      .attr('text-anchor', 'end')
      .attr('dx', '-0.4em')
      .attr('dy', '0.3em')
      .attr('transform', 'rotate(-40)');
  }
  styleAxis(g, theme);
  if (options.title) {
    const [a, b] = scale.range();
    g.append('text')
      .attr('class', 'axis-title')
      .attr('x', (a + b) / 2)
      .attr('y', rotated ? (options.maxLabelHeight ?? 60) + 14 : 32)
      .attr('text-anchor', 'middle')
      .attr('fill', theme.text)
      .attr('font-size', theme.fontSize + 1)
      .text(options.title);
  }
  return { rotated };
}

export interface LegendItem {
  label: string;
  color: string;
}

/** Where each swatch of a legend goes: left to right, wrapping at `width`; `height` is the total. */
export function swatchLegendLayout(
  items: readonly LegendItem[],
  width: number,
  theme: Theme,
): { entries: { item: LegendItem; label: string; x: number; y: number }[]; height: number } {
  let x = 0;
  let y = 0;
  const rowHeight = theme.fontSize + 6;
  const entries = items.map((item) => {
    const label = truncate(item.label, 20);
    const w = 14 + textWidth(label, theme.fontSize) + 12;
    if (x > 0 && x + w > width) {
      x = 0;
      y += rowHeight;
    }
    const at = { item, label, x, y };
    x += w;
    return at;
  });
  return { entries, height: y + rowHeight };
}

/**
 * Swatch legend laid out left to right, wrapping at `width`. Returns the height it used so the
 * caller can reserve room (`swatchLegendLayout` gives it before drawing).
 */
export function swatchLegend(
  g: GSelection,
  items: readonly LegendItem[],
  width: number,
  theme: Theme,
): number {
  g.attr('class', 'legend');
  const layout = swatchLegendLayout(items, width, theme);
  for (const { item, label, x, y } of layout.entries) {
    const entry = g.append('g').attr('transform', `translate(${x},${y})`);
    entry.append('rect').attr('width', 10).attr('height', 10).attr('rx', 2).attr('fill', item.color);
    entry.append('text').attr('x', 14).attr('y', 9).attr('fill', theme.textMuted).text(label);
    if (label !== item.label) entry.append('title').text(item.label);
  }
  return layout.height;
}

/**
 * Continuous colour ramp with min/mid/max labels: `width` × 10 px, built from stops so it
 * serialises to plain SVG (exported files render it without scripts).
 */
export function rampLegend(
  g: GSelection,
  color: (t: number) => string,
  domain: [number, number],
  width: number,
  theme: Theme,
  options: { title?: string; id: string; ticks?: number[] } = { id: 'ramp' },
): void {
  g.attr('class', 'legend legend-ramp');
  const gradient = g.append('defs').append('linearGradient').attr('id', options.id);
  const stops = 11;
  for (let i = 0; i < stops; i++) {
    const t = i / (stops - 1);
    gradient
      .append('stop')
      .attr('offset', `${t * 100}%`)
      .attr('stop-color', color(domain[0] + t * (domain[1] - domain[0])));
  }
  const top = options.title ? 14 : 0;
  if (options.title) g.append('text').attr('y', 10).attr('fill', theme.textMuted).text(options.title);
  g.append('rect')
    .attr('y', top)
    .attr('width', width)
    .attr('height', 10)
    .attr('rx', 2)
    .attr('fill', `url(#${options.id})`);
  const ticks = options.ticks ?? [domain[0], (domain[0] + domain[1]) / 2, domain[1]];
  for (const t of ticks) {
    const x = ((t - domain[0]) / (domain[1] - domain[0] || 1)) * width;
    g.append('text')
      .attr('x', x)
      .attr('y', top + 22)
      .attr('text-anchor', x < 1 ? 'start' : x > width - 1 ? 'end' : 'middle')
      .attr('fill', theme.textMuted)
      .text(formatNumber(Number(t.toPrecision(3))));
  }
}

/** A sequential scheme as an (value → colour) function over `domain`. */
export function sequentialColor(name: SequentialName, domain: [number, number]): (value: number) => string {
  const interp = sequentialInterpolator(name);
  const span = domain[1] - domain[0] || 1;
  return (v) => interp(Math.max(0, Math.min(1, (v - domain[0]) / span)));
}
