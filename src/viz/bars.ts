import { scaleLinear, select } from 'd3';
import { xAxis } from './axes.ts';
import { type BaseOptions, createSvg, documentOf, type GSelection, r2, type ViewHandle } from './dom.ts';
import { formatCountCompact, formatShare, textWidth, truncateMiddle } from './format.ts';
import type { CategorySelection } from './selection.ts';
import { resolveTheme, type Theme, type ThemeOption } from './theme.ts';

/** Counts of a categorical column (top categories from the worker). */
export interface BarData {
  labels: string[];
  counts: number[];
  /** Rows in categories not listed (shown as one "other" bar). */
  other?: number;
  /** How many categories "other" stands for, for its label. */
  otherCategories?: number;
  missing: number;
  /** Per-label counts of the rows in the current linked selection. */
  selectedCounts?: number[];
}

export interface BarsOptions extends BaseOptions {
  column: string;
  theme?: ThemeOption;
  source?: string;
  /** Categories selected at start. */
  categories?: readonly string[];
  /** Called when clicking changes the selected categories (null when none is left). */
  onSelect?: (selection: CategorySelection | null) => void;
}

export interface BarsUpdate {
  data?: BarData;
  categories?: readonly string[];
  missingSelected?: boolean;
}

export interface BarsView extends ViewHandle<SVGSVGElement, BarsUpdate> {
  /** Toggles a category (or the missing bar with `null`) as a click does, and emits. */
  toggle(label: string | null): void;
}

const ROW = 20;
const MIN_ROW = 15;
const MARGIN = { top: 8, right: 96, bottom: 40, left: 8 };
const MAX_LABEL_WIDTH = 140;

interface Row {
  key: string | null;
  label: string;
  count: number;
  selectedCount?: number;
  kind: 'category' | 'other' | 'missing';
}

/** Rows in display order: categories by count (desc, then label), then "other", then missing. */
export function barRows(data: BarData): Row[] {
  const rows: Row[] = data.labels.map((label, i) => ({
    key: label,
    label,
    count: data.counts[i] ?? 0,
    kind: 'category' as const,
    ...(data.selectedCounts ? { selectedCount: data.selectedCounts[i] ?? 0 } : {}),
  }));
  rows.sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  if (data.other && data.other > 0) {
    const k = data.otherCategories;
    rows.push({
      key: null,
      label: k ? `other (${formatCountCompact(k)})` : 'other',
      count: data.other,
      kind: 'other',
    });
  }
  if (data.missing > 0) rows.push({ key: null, label: 'missing', count: data.missing, kind: 'missing' });
  return rows;
}

/** One bar's marks: the count, the linked selection's share over it, its label and its numbers. */
function drawBar(
  g: GSelection,
  row: Row,
  at: {
    x: (count: number) => number;
    rowHeight: number;
    total: number;
    fill: string;
    base: string;
    isSelected: boolean;
  },
  theme: Theme,
): void {
  const { x, rowHeight, total } = at;
  const barHeight = Math.max(2, rowHeight - 4);
  g.append('rect')
    .attr('y', 2)
    .attr('width', r2(Math.max(row.count > 0 ? 1 : 0, x(row.count))))
    .attr('height', r2(barHeight))
    .attr('rx', 1.5)
    .attr('fill', at.fill);
  if (row.selectedCount !== undefined && row.selectedCount > 0) {
    g.append('rect')
      .attr('class', 'linked')
      .attr('y', 2)
      .attr('width', r2(x(row.selectedCount)))
      .attr('height', r2(barHeight))
      .attr('rx', 1.5)
      .attr('fill', at.base);
  }
  const maxChars = Math.floor(MAX_LABEL_WIDTH / (theme.fontSize * 0.58));
  const labelText = g
    .append('text')
    .attr('x', -6)
    .attr('y', r2(rowHeight / 2))
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .attr('fill', row.kind === 'category' ? theme.text : theme.textMuted)
    .attr('font-style', row.kind === 'category' ? null : 'italic')
    .text(truncateMiddle(row.label, maxChars));
  if (at.isSelected) labelText.attr('font-weight', 600);
  g.append('text')
    .attr('x', r2(x(row.count) + 4))
    .attr('y', r2(rowHeight / 2))
    .attr('dy', '0.35em')
    .attr('fill', theme.textMuted)
    .text(`${formatCountCompact(row.count)} · ${formatShare(row.count, total)}`);
  g.append('title').text(
    `${row.label}: ${formatCountCompact(row.count)} rows (${formatShare(row.count, total)})` +
      (row.selectedCount !== undefined ? `, ${formatCountCompact(row.selectedCount)} selected` : '') +
      (row.kind === 'other' ? ' — categories beyond the top ones; not selectable' : ''),
  );
}

/** Sorted horizontal bar chart of a categorical column; click bars to select categories. */
export function bars(data: BarData, options: BarsOptions): BarsView {
  const doc = documentOf(options);
  const theme = resolveTheme(options.theme);
  const width = options.width ?? 420;
  const source = options.source ?? `bars:${options.column}`;
  let current = data;
  let selected = new Set(options.categories ?? []);
  let missingSelected = false;

  const labelWidth = () =>
    Math.min(
      MAX_LABEL_WIDTH,
      Math.max(40, ...barRows(current).map((r) => textWidth(r.label, theme.fontSize))),
    ) + 8;
  // A given height is kept unless rows would get thinner than their labels; then the chart grows.
  const heightFor = (rows: number) =>
    Math.max(
      options.height ?? 0,
      MARGIN.top + MARGIN.bottom + Math.max(1, rows) * (options.height ? MIN_ROW : ROW),
    );

  const svg = createSvg(
    doc,
    width,
    heightFor(barRows(data).length),
    theme,
    options.title ?? `Counts of ${options.column}`,
  );
  svg.attr('class', 'bt-bars');
  const root = svg.append('g') as GSelection;

  const emit = () => {
    const categories = [...selected];
    options.onSelect?.(
      categories.length || missingSelected
        ? {
            source,
            kind: 'categories',
            column: options.column,
            categories,
            ...(missingSelected ? { missing: true } : {}),
          }
        : null,
    );
  };

  const toggle = (row: Row) => {
    if (row.kind === 'other') return;
    if (row.kind === 'missing') missingSelected = !missingSelected;
    else if (selected.has(row.key!)) selected.delete(row.key!);
    else selected.add(row.key!);
    render();
    emit();
  };

  function render(): void {
    root.selectAll('*').remove();
    const rows = barRows(current);
    const height = heightFor(rows.length);
    svg.attr('height', height).attr('viewBox', `0 0 ${width} ${height}`);
    svg.select('.background').attr('height', height);
    const lw = labelWidth();
    const left = MARGIN.left + lw;
    const plotWidth = width - left - MARGIN.right;
    const plotHeight = height - MARGIN.top - MARGIN.bottom;
    const rowHeight = plotHeight / Math.max(1, rows.length);
    const total = rows.reduce((s, r) => s + r.count, 0);
    const x = scaleLinear()
      .domain([0, Math.max(1, ...rows.map((r) => r.count))])
      .nice()
      .range([0, plotWidth]);
    const plot = root.append('g').attr('transform', `translate(${left},${MARGIN.top})`) as GSelection;
    xAxis(
      plot.append('g').attr('transform', `translate(0,${plotHeight})`) as GSelection,
      x,
      plotWidth,
      theme,
      {
        title: 'Rows',
        grid: plotHeight,
        tickFormat: formatCountCompact,
      },
    );
    const anySelected = selected.size > 0 || missingSelected;
    const linked = rows.some((r) => r.selectedCount !== undefined);
    rows.forEach((row, i) => {
      const isSelected = row.kind === 'missing' ? missingSelected : row.key !== null && selected.has(row.key);
      const base = row.kind === 'category' ? theme.mark : theme.missing;
      const fill = anySelected ? (isSelected ? base : theme.unselected) : linked ? theme.unselected : base;
      const g = plot
        .append('g')
        .attr('class', `bar bar-${row.kind}${isSelected ? ' selected' : ''}`)
        .attr('transform', `translate(0,${r2(i * rowHeight)})`)
        .attr('cursor', row.kind === 'other' ? 'default' : 'pointer')
        .on('click', () => toggle(row)) as GSelection;
      if (row.key !== null) g.attr('data-category', row.key);
      drawBar(g, row, { x, rowHeight, total, fill, base, isSelected }, theme);
    });
  }

  render();
  const node = svg.node()!;
  return {
    node,
    toggle(label) {
      const row = barRows(current).find((r) => (label === null ? r.kind === 'missing' : r.key === label));
      if (row) toggle(row);
    },
    update(change) {
      if (change.data) current = change.data;
      if (change.categories) selected = new Set(change.categories);
      if (change.missingSelected !== undefined) missingSelected = change.missingSelected;
      render();
    },
    destroy() {
      select(node).selectAll('.bar').on('click', null);
      select(node).remove();
    },
  };
}
