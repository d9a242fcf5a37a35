/**
 * Confusion matrix heatmap: true classes down, predicted across, each cell shaded by its share of
 * the true class (row-normalised, so rare classes are as readable as common ones) and labelled
 * with the count. Computed from out-of-fold predictions in the worker. With `onCell`, cells are
 * buttons (the Evaluate tab lists and selects a cell's rows).
 */
import { scaleBand } from 'd3';
import { type BaseOptions, createSvg, documentOf, type GSelection, r2 } from './dom.ts';
import { textWidth, truncate } from './format.ts';
import { resolveTheme, sequentialInterpolator, type ThemeOption, textOn } from './theme.ts';

export interface ConfusionData {
  labels: readonly string[];
  /** matrix[true][predicted] counts. */
  matrix: readonly (readonly number[])[];
}

export interface ConfusionOptions extends BaseOptions {
  theme?: ThemeOption;
  /** Makes every cell a button (click, Enter or Space) that reports its true and predicted class. */
  onCell?: (truth: number, predicted: number) => void;
  /** A cell drawn with an outline (the one whose rows are selected). */
  selected?: { truth: number; predicted: number } | null;
}

const MAX_LABEL = 110;

export function confusion(data: ConfusionData, options: ConfusionOptions = {}): SVGSVGElement {
  const theme = resolveTheme(options.theme);
  const doc = documentOf(options);
  const n = data.labels.length;
  if (data.matrix.length !== n || data.matrix.some((row) => row.length !== n)) {
    throw new Error(`confusion: ${n} labels need a ${n}×${n} matrix`);
  }
  const labelWidth =
    Math.min(MAX_LABEL, Math.max(24, ...data.labels.map((l) => textWidth(l, theme.fontSize)))) + 10;
  const width = options.width ?? 360;
  const top = 24;
  const bottom = 36;
  const cell = Math.max(6, Math.floor((width - labelWidth - 12) / Math.max(1, n)));
  const grid = cell * n;
  const height = options.height ?? grid + top + bottom;
  const svg = createSvg(doc, width, height, theme, options.title ?? 'Confusion matrix');
  svg.attr('class', 'bt-confusion');
  // An image's children are not announced: with buttons inside, the chart is a group.
  if (options.onCell) svg.attr('role', 'group');
  const root = svg.append('g').attr('transform', `translate(${labelWidth},${top})`) as GSelection;
  const band = scaleBand<number>()
    .domain(data.labels.map((_, i) => i))
    .range([0, grid]);
  const color = sequentialInterpolator('viridis');
  const maxChars = Math.floor(MAX_LABEL / (theme.fontSize * 0.58));
  const showText = cell >= 22;
  data.matrix.forEach((row, t) => {
    const total = row.reduce((s, v) => s + v, 0);
    row.forEach((count, p) => {
      const share = total > 0 ? count / total : 0;
      const fill = color(share);
      const g = root.append('g').attr('class', 'cell').attr('data-true', t).attr('data-pred', p);
      g.append('rect')
        .attr('x', r2(band(p)!))
        .attr('y', r2(band(t)!))
        .attr('width', cell - 1)
        .attr('height', cell - 1)
        .attr('fill', fill);
      const title = `true ${data.labels[t]}, predicted ${data.labels[p]}: ${count} (${Math.round(share * 100)}% of ${data.labels[t]})`;
      g.append('title').text(title);
      const onCell = options.onCell;
      if (onCell) {
        g.classed('clickable', true)
          .attr('role', 'button')
          .attr('tabindex', 0)
          .attr('aria-label', `${title}; show these rows`)
          .style('cursor', 'pointer')
          .on('click', () => onCell(t, p))
          .on('keydown', (event: KeyboardEvent) => {
            if (event.key !== 'Enter' && event.key !== ' ') return;
            event.preventDefault();
            onCell(t, p);
          });
      }
      if (options.selected?.truth === t && options.selected.predicted === p) {
        g.classed('selected', true)
          .append('rect')
          .attr('x', r2(band(p)! + 1))
          .attr('y', r2(band(t)! + 1))
          .attr('width', cell - 3)
          .attr('height', cell - 3)
          .attr('fill', 'none')
          .attr('stroke', theme.text)
          .attr('stroke-width', 2);
      }
      if (showText) {
        g.append('text')
          .attr('x', r2(band(p)! + cell / 2))
          .attr('y', r2(band(t)! + cell / 2 + theme.fontSize / 3))
          .attr('text-anchor', 'middle')
          .attr('fill', textOn(fill))
          .text(String(count));
      }
    });
  });
  data.labels.forEach((label, i) => {
    root
      .append('text')
      .attr('class', 'row-label')
      .attr('x', -6)
      .attr('y', r2(band(i)! + cell / 2 + theme.fontSize / 3))
      .attr('text-anchor', 'end')
      .attr('fill', theme.textMuted)
      .text(truncate(label, maxChars));
    root
      .append('text')
      .attr('class', 'col-label')
      .attr('x', r2(band(i)! + cell / 2))
      .attr('y', -6)
      .attr('text-anchor', 'middle')
      .attr('fill', theme.textMuted)
      .text(truncate(label, Math.max(3, Math.floor(cell / (theme.fontSize * 0.58)))));
  });
  root
    .append('text')
    .attr('class', 'axis-title')
    .attr('x', grid / 2)
    .attr('y', grid + 22)
    .attr('text-anchor', 'middle')
    .attr('fill', theme.text)
    .text('predicted class (columns) · true class (rows)');
  return svg.node()!;
}
