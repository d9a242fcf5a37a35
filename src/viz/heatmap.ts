import { select } from 'd3';
import { clusterOrder, type Linkage } from './cluster.ts';
import { type BaseOptions, createSvg, documentOf, type GSelection, r2 } from './dom.ts';
import { textWidth, truncateMiddle } from './format.ts';
import { divergingColor, resolveTheme, type ThemeOption, textOn } from './theme.ts';

/** A symmetric correlation matrix (from the worker), n×n row-major. */
export interface HeatmapData {
  labels: string[];
  values: Float64Array | readonly number[];
  /** Shown in the legend and tooltips ('pearson' → "Pearson r"). */
  method?: 'pearson' | 'spearman';
}

export interface HeatmapOptions extends BaseOptions {
  theme?: ThemeOption;
  /** Row/column order: explicit indices, 'cluster' (default: clusterOrder, average linkage) or 'none'. */
  order?: readonly number[] | 'cluster' | 'none';
  linkage?: Linkage;
  /** Print values inside cells when they are at least this many pixels (default 28). */
  minCellForText?: number;
  /** Called with the (original) indices of a clicked cell, e.g. to open the pair's scatter plot. */
  onCellClick?: (row: number, column: number) => void;
}

const MAX_LABEL = 120;

/** Correlation heatmap: diverging colours centred at 0, clustered order, values on hover. */
export function heatmap(data: HeatmapData, options: HeatmapOptions = {}): SVGSVGElement {
  const doc = documentOf(options);
  const theme = resolveTheme(options.theme);
  const n = data.labels.length;
  if (data.values.length !== n * n) {
    throw new Error(`heatmap: ${n} labels need ${n * n} values, got ${data.values.length}`);
  }
  const order =
    options.order === 'none'
      ? data.labels.map((_, i) => i)
      : Array.isArray(options.order)
        ? [...options.order]
        : clusterOrder(data.values, { linkage: options.linkage ?? 'average' });
  const statistic = data.method === 'spearman' ? 'Spearman ρ' : 'Pearson r';
  const width = options.width ?? 460;
  const labelWidth =
    Math.min(MAX_LABEL, Math.max(20, ...data.labels.map((l) => textWidth(l, theme.fontSize)))) + 8;
  const legendWidth = 56;
  const size = Math.max(n, 1);
  const cell = Math.max(4, Math.floor((width - labelWidth - legendWidth - 12) / size));
  const gridSize = cell * size;
  const bottom = Math.ceil(labelWidth * 0.7) + 8;
  const height = options.height ?? Math.max(gridSize + 12 + bottom, 160);
  const maxChars = Math.floor(MAX_LABEL / (theme.fontSize * 0.58));

  const svg = createSvg(doc, width, height, theme, options.title ?? `Correlation (${statistic})`);
  svg.attr('class', 'bt-heatmap');
  const root = svg.append('g').attr('transform', `translate(${labelWidth},8)`) as GSelection;
  const color = divergingColor(theme);
  const showText = cell >= (options.minCellForText ?? 28);

  const cells = root.append('g').attr('class', 'cells');
  order.forEach((i, row) => {
    order.forEach((j, col) => {
      const v = Number(data.values[i * n + j]);
      const fill = color(v);
      const g = cells
        .append('g')
        .attr('class', 'cell')
        .attr('transform', `translate(${col * cell},${row * cell})`)
        .attr('data-i', i)
        .attr('data-j', j);
      g.append('rect')
        .attr('width', cell - (cell > 8 ? 1 : 0))
        .attr('height', cell - (cell > 8 ? 1 : 0))
        .attr('fill', fill);
      if (showText && Number.isFinite(v)) {
        g.append('text')
          .attr('x', r2((cell - 1) / 2))
          .attr('y', r2((cell - 1) / 2))
          .attr('dy', '0.35em')
          .attr('text-anchor', 'middle')
          .attr('font-size', cell < 36 ? 10 : theme.fontSize)
          .attr('fill', textOn(fill))
          .text(
            Math.abs(v) >= 0.995
              ? v.toFixed(0)
              : v
                  .toFixed(2)
                  .replace(/^(-?)0\./, '$1.')
                  .replace('-', '−'),
          );
      }
      g.append('title').text(
        `${data.labels[i]} × ${data.labels[j]}\n${statistic} = ${Number.isFinite(v) ? v.toFixed(3) : 'undefined (constant or missing)'}`,
      );
      if (options.onCellClick) g.attr('cursor', 'pointer').on('click', () => options.onCellClick?.(i, j));
    });
  });

  const rowLabels = root.append('g').attr('class', 'row-labels').attr('fill', theme.text);
  const colLabels = root
    .append('g')
    .attr('class', 'col-labels')
    .attr('fill', theme.text)
    .attr('transform', `translate(0,${gridSize + 6})`);
  order.forEach((i, k) => {
    const label = data.labels[i]!;
    const short = truncateMiddle(label, maxChars);
    const rl = rowLabels
      .append('text')
      .attr('x', -6)
      .attr('y', r2(k * cell + cell / 2))
      .attr('dy', '0.35em')
      .attr('text-anchor', 'end')
      .text(short);
    const cl = colLabels
      .append('text')
      .attr('transform', `translate(${r2(k * cell + cell / 2)},0) rotate(-40)`)
      .attr('dy', '0.7em')
      .attr('text-anchor', 'end')
      .text(short);
    if (short !== label) {
      rl.append('title').text(label);
      cl.append('title').text(label);
    }
    // Labels of tiny cells would overlap: keep every k-th.
    const every = Math.ceil((theme.fontSize + 2) / cell);
    if (k % every !== 0) {
      rl.remove();
      cl.remove();
    }
  });

  const legend = root.append('g').attr('transform', `translate(${gridSize + 14},0)`) as GSelection;
  legend.append('text').attr('fill', theme.textMuted).attr('y', 10).text(statistic);
  const ramp = legend.append('g').attr('transform', 'translate(0,18)');
  // Vertical ramp: +1 on top.
  const defs = ramp
    .append('defs')
    .append('linearGradient')
    .attr('id', 'bt-heatmap-ramp')
    .attr('x1', 0)
    .attr('x2', 0)
    .attr('y1', 0)
    .attr('y2', 1);
  for (let s = 0; s <= 10; s++)
    defs
      .append('stop')
      .attr('offset', `${s * 10}%`)
      .attr('stop-color', color(1 - s / 5));
  const rampHeight = Math.min(140, Math.max(60, gridSize - 30));
  ramp.append('rect').attr('width', 10).attr('height', rampHeight).attr('fill', 'url(#bt-heatmap-ramp)');
  for (const [t, label] of [
    [0, '+1'],
    [0.5, '0'],
    [1, '−1'],
  ] as const) {
    ramp
      .append('text')
      .attr('x', 14)
      .attr('y', r2(t * rampHeight))
      .attr('dy', '0.35em')
      .attr('fill', theme.textMuted)
      .text(label);
  }
  return svg.node()!;
}

/** The element's cell for row/column indices (original order), e.g. to outline the hovered pair. */
export function heatmapCell(svg: SVGSVGElement, i: number, j: number): SVGGElement | null {
  return select(svg).select<SVGGElement>(`.cell[data-i="${i}"][data-j="${j}"]`).node();
}
