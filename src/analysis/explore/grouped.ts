/**
 * A numeric column grouped by a categorical one, for box and violin plots: per group the
 * quartiles (linear interpolation, numpy's default), Tukey whiskers (the most extreme values within
 * 1.5·IQR of the box), a capped list of outliers, and a Gaussian kernel density on a grid
 * (Scott's bandwidth, as scipy.stats.gaussian_kde), evaluated from 512 fine bins so that a group of
 * a million values costs one pass.
 */
import type { Table } from 'apache-arrow';
import { quantileSorted } from '../../core/percentile';
import { labelColumn, numericColumn } from './columns';
import type { GroupDistribution, GroupedDistribution } from './types';

export const MAX_GROUPS = 12;
const MAX_OUTLIERS = 200;
const GRID = 64;
const FINE_BINS = 512;

function summarise(label: string, values: Float64Array): GroupDistribution {
  const sorted = values.slice().sort();
  const n = sorted.length;
  const q1 = quantileSorted(sorted, 0.25);
  const median = quantileSorted(sorted, 0.5);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  const loFence = q1 - 1.5 * iqr;
  const hiFence = q3 + 1.5 * iqr;
  let whiskerLo = q1;
  let whiskerHi = q3;
  let sum = 0;
  const outliers: number[] = [];
  let outlierCount = 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i]!;
    sum += v;
    if (v < loFence || v > hiFence) {
      outlierCount++;
      if (outliers.length < MAX_OUTLIERS) outliers.push(v);
    } else {
      if (v < whiskerLo) whiskerLo = v;
      if (v > whiskerHi) whiskerHi = v;
    }
  }
  const { grid, density } = kde(sorted);
  return {
    label,
    n,
    q1,
    median,
    q3,
    whiskerLo,
    whiskerHi,
    mean: n ? sum / n : Number.NaN,
    outliers,
    outlierCount,
    grid,
    density,
  };
}

/** Gaussian KDE of sorted values on GRID points spanning the data ± 2 bandwidths. */
export function kde(sorted: Float64Array): { grid: number[]; density: number[] } {
  const n = sorted.length;
  if (n === 0) return { grid: [], density: [] };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += sorted[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i]! - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const lo0 = sorted[0]!;
  const hi0 = sorted[n - 1]!;
  // Scott's rule; a constant group gets a bandwidth from its scale so it still draws.
  const h = sd > 0 ? sd * n ** (-1 / 5) : Math.max(Math.abs(lo0) * 0.01, 1e-3);
  const lo = lo0 - 2 * h;
  const hi = hi0 + 2 * h;
  const binW = (hi0 - lo0) / FINE_BINS || 1;
  const fine = new Float64Array(FINE_BINS);
  for (let i = 0; i < n; i++) fine[Math.min(FINE_BINS - 1, Math.floor((sorted[i]! - lo0) / binW))]!++;
  const grid: number[] = [];
  const density: number[] = [];
  const norm = 1 / (n * h * Math.sqrt(2 * Math.PI));
  for (let g = 0; g < GRID; g++) {
    const x = lo + ((hi - lo) * g) / (GRID - 1);
    let s = 0;
    for (let b = 0; b < FINE_BINS; b++) {
      const c = fine[b]!;
      if (c === 0) continue;
      const z = (x - (lo0 + (b + 0.5) * binW)) / h;
      s += c * Math.exp(-0.5 * z * z);
    }
    grid.push(x);
    density.push(s * norm);
  }
  return { grid, density };
}

/**
 * The distribution of all rows per group and, when a selection mask is given, the same groups over
 * the selected rows (`selected`, aligned with `groups`), so a view can draw one inside the other.
 */
export function groupedWithSelection(
  table: Table,
  column: string,
  by: string | null,
  mask: Uint8Array | null,
): GroupedDistribution {
  const all = groupedDistribution(table, column, by, null);
  if (!mask) return all;
  const values = numericColumn(table, column);
  const labelsOf = by ? labelColumn(table, by) : null;
  const index = new Map(all.groups.map((g, k) => [g.label, k]));
  const code = labelsOf ? labelsOf.labels.map((l) => index.get(l) ?? -1) : null;
  const sizes = new Int32Array(all.groups.length);
  const groupOf = (i: number) => (code ? (labelsOf!.codes[i]! >= 0 ? code[labelsOf!.codes[i]!]! : -1) : 0);
  for (let i = 0; i < values.length; i++) {
    if (!mask[i] || Number.isNaN(values[i])) continue;
    const g = groupOf(i);
    if (g >= 0) sizes[g]!++;
  }
  const buffers = Array.from(sizes, (n) => ({ data: new Float64Array(n), n: 0 }));
  for (let i = 0; i < values.length; i++) {
    if (!mask[i] || Number.isNaN(values[i])) continue;
    const g = groupOf(i);
    if (g >= 0) buffers[g]!.data[buffers[g]!.n++] = values[i]!;
  }
  return { ...all, selected: all.groups.map((g, k) => summarise(g.label, buffers[k]!.data)) };
}

export function groupedDistribution(
  table: Table,
  column: string,
  by: string | null,
  mask: Uint8Array | null = null,
): GroupedDistribution {
  const values = numericColumn(table, column);
  if (!by) {
    const present: number[] = [];
    for (let i = 0; i < values.length; i++)
      if (!Number.isNaN(values[i]) && (!mask || mask[i])) present.push(values[i]!);
    return { column, by: null, groups: [summarise('all', Float64Array.from(present))], groupsLeftOut: 0 };
  }
  const { codes, labels } = labelColumn(table, by);
  const sizes = new Int32Array(labels.length);
  for (let i = 0; i < values.length; i++) {
    if (codes[i]! >= 0 && !Number.isNaN(values[i]) && (!mask || mask[i])) sizes[codes[i]!]!++;
  }
  const order = labels
    .map((_, k) => k)
    .filter((k) => sizes[k]! > 0)
    .sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const kept = order.slice(0, MAX_GROUPS);
  const buffers = new Map(kept.map((k) => [k, { data: new Float64Array(sizes[k]!), n: 0 }]));
  for (let i = 0; i < values.length; i++) {
    const g = buffers.get(codes[i]!);
    if (g && !Number.isNaN(values[i]) && (!mask || mask[i])) g.data[g.n++] = values[i]!;
  }
  // Groups in label order (numeric labels numerically) so "0, 1, 2" reads left to right.
  const numericLabels = kept.every((k) => Number.isFinite(Number(labels[k])));
  kept.sort((a, b) =>
    numericLabels ? Number(labels[a]) - Number(labels[b]) : labels[a]!.localeCompare(labels[b]!),
  );
  return {
    column,
    by,
    groups: kept.map((k) => summarise(labels[k]!, buffers.get(k)!.data)),
    groupsLeftOut: order.length - kept.length,
  };
}

export type { GroupDistribution, GroupedDistribution };
