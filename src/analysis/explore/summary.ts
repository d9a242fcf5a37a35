/**
 * The distribution of one column for the Explore tab: equal-width bins of a numeric column (the
 * histogram view's data) or the most frequent categories (the bar view's), each with the counts
 * of the rows in the current linked selection.
 */
import type { Table } from 'apache-arrow';
import { isNumericColumn, labelColumn, numericColumn } from './columns';
import type { CategorySummary, ColumnSummary, NumericSummary } from './types';

export const DEFAULT_BINS = 30;
export const MAX_BINS = 500;
export const MAX_BARS = 20;

/** Equal-width edges over [min, max] of the finite values (a constant column gets one unit-wide bin). */
export function binEdges(values: Float64Array, bins: number): Float64Array {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return Float64Array.of(0, 1);
  if (lo === hi) return Float64Array.of(lo - 0.5, hi + 0.5);
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = lo + ((hi - lo) * b) / bins;
  edges[bins] = hi;
  return edges;
}

/** The bin of v: [e_b, e_{b+1}), the last bin closed; −1 for NaN. */
function binOf(v: number, lo: number, width: number, bins: number, edges: Float64Array): number {
  if (Number.isNaN(v)) return -1;
  let b = Math.floor((v - lo) / width);
  if (b >= bins) b = bins - 1;
  if (b < 0) b = 0;
  // Rounding in (v − lo) / width can put a value one bin off its edges: fix against the edges.
  if (v < edges[b]!) b--;
  else if (b < bins - 1 && v >= edges[b + 1]!) b++;
  return b;
}

export function histogramCounts(
  values: Float64Array,
  edges: Float64Array,
  mask: Uint8Array | null,
): { counts: Float64Array; missing: number } {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  const lo = edges[0]!;
  const width = (edges[bins]! - lo) / bins;
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    if (mask && !mask[i]) continue;
    const b = binOf(values[i]!, lo, width, bins, edges);
    if (b < 0) missing++;
    else counts[b]!++;
  }
  return { counts, missing };
}

export function columnSummary(
  table: Table,
  column: string,
  options: { bins?: number; mask?: Uint8Array | null },
): ColumnSummary {
  const mask = options.mask ?? null;
  if (isNumericColumn(table, column)) {
    const values = numericColumn(table, column);
    const bins = Math.max(1, Math.min(MAX_BINS, Math.round(options.bins ?? DEFAULT_BINS)));
    const edges = binEdges(values, bins);
    const all = histogramCounts(values, edges, null);
    const out: NumericSummary = { kind: 'numeric', column, edges, counts: all.counts, missing: all.missing };
    if (mask) {
      const sel = histogramCounts(values, edges, mask);
      out.selectedCounts = sel.counts;
      out.selectedMissing = sel.missing;
    }
    return out;
  }
  const { codes, labels } = labelColumn(table, column);
  const counts = new Float64Array(labels.length);
  const selected = mask ? new Float64Array(labels.length) : null;
  let missing = 0;
  let selectedMissing = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    const inSel = mask ? mask[i] === 1 : false;
    if (c < 0) {
      missing++;
      if (inSel) selectedMissing++;
    } else {
      counts[c]!++;
      if (inSel) selected![c]!++;
    }
  }
  // Most frequent first, ties alphabetical, as the profile's top categories.
  const order = labels
    .map((_, k) => k)
    .sort(
      (a, b) => counts[b]! - counts[a]! || (labels[a]! < labels[b]! ? -1 : labels[a]! > labels[b]! ? 1 : 0),
    );
  const top = order.slice(0, MAX_BARS);
  const rest = order.slice(MAX_BARS);
  const out: CategorySummary = {
    kind: 'categorical',
    column,
    labels: top.map((k) => labels[k]!),
    counts: top.map((k) => counts[k]!),
    other: rest.reduce((s, k) => s + counts[k]!, 0),
    otherCategories: rest.length,
    missing,
  };
  if (selected) {
    out.selectedCounts = top.map((k) => selected[k]!);
    out.selectedOther = rest.reduce((s, k) => s + selected[k]!, 0);
    out.selectedMissing = selectedMissing;
  }
  return out;
}

export type { CategorySummary, ColumnSummary, NumericSummary };
