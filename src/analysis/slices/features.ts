/**
 * The slices of one raw column (a feature): numbers in quantile bins (or by value when they have
 * few distinct values), categories by value (the most frequent), missing as its own value; each
 * analysed row coded by the slice it falls in.
 */
import type { Table } from 'apache-arrow';
import type { ColumnType } from '../../core/types';
import { isNumericType, labelColumn, numericColumn, typeOfColumn } from '../explore/columns';
import type { SliceCondition } from './types';

/** Numbers with at most this many distinct values are sliced by value, not binned. */
const FEW_VALUES = 6;
/** Categories sliced per column (the most frequent). */
const MAX_CATEGORIES = 50;
/** Values sorted to place the quantile edges (an even sample beyond it). */
const EDGE_SAMPLE = 200_000;
/** Code of a row in no slice of a feature (a rare category). Features have < 255 slices. */
export const NONE = 255;

export interface Feature {
  column: string;
  type: ColumnType;
  /** Slice k of this feature is conditions[k]. */
  conditions: SliceCondition[];
  /** Per analysed row, the index of its slice (NONE when in none). */
  encode(): Uint8Array;
}

/** A feature whose slice for analysed row i is `slotOf(source[rows[i]])`. */
function feature(
  column: string,
  type: ColumnType,
  conditions: SliceCondition[],
  rows: Int32Array,
  source: ArrayLike<number>,
  slotOf: (value: number) => number,
): Feature {
  return {
    column,
    type,
    conditions,
    encode() {
      const out = new Uint8Array(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = slotOf(source[rows[i]!]!);
      return out;
    },
  };
}

function sortedSample(values: Float64Array, rows: Int32Array): Float64Array {
  const step = Math.max(1, Math.floor(rows.length / EDGE_SAMPLE));
  const out: number[] = [];
  for (let i = 0; i < rows.length; i += step) {
    const v = values[rows[i]!]!;
    if (!Number.isNaN(v)) out.push(v);
  }
  return Float64Array.from(out).sort();
}

/** Upper edges of `bins` quantile bins (values of the data, deduplicated, below the maximum). */
export function quantileEdges(sorted: Float64Array, bins: number): number[] {
  const m = sorted.length;
  if (m === 0) return [];
  const max = sorted[m - 1]!;
  const edges: number[] = [];
  for (let j = 1; j < bins; j++) {
    const e = sorted[Math.max(0, Math.ceil((j * m) / bins) - 1)]!;
    if (e < max && (edges.length === 0 || e > edges[edges.length - 1]!)) edges.push(e);
  }
  return edges;
}

function numericFeature(
  table: Table,
  column: string,
  type: ColumnType,
  rows: Int32Array,
  bins: number,
): Feature | string {
  const values = numericColumn(table, column);
  const distinct = new Set<number>();
  let missing = false;
  for (let i = 0; i < rows.length && distinct.size <= FEW_VALUES; i++) {
    const v = values[rows[i]!]!;
    if (Number.isNaN(v)) missing = true;
    else distinct.add(v);
  }
  if (distinct.size <= FEW_VALUES) {
    for (let i = 0; i < rows.length && !missing; i++) if (Number.isNaN(values[rows[i]!]!)) missing = true;
    if (distinct.size + (missing ? 1 : 0) < 2) return 'a single value';
    const levels = [...distinct].sort((a, b) => a - b);
    const index = new Map(levels.map((v, k) => [v, k]));
    const conditions: SliceCondition[] = levels.map((value) => ({ column, kind: 'equals', value }));
    if (missing) conditions.push({ column, kind: 'missing' });
    return feature(column, type, conditions, rows, values, (v) =>
      Number.isNaN(v) ? levels.length : index.get(v)!,
    );
  }
  const sorted = sortedSample(values, rows);
  const edges = quantileEdges(sorted, bins);
  missing ||= sorted.length < rows.length && hasMissing(values, rows);
  const conditions: SliceCondition[] = [];
  for (let k = 0; k <= edges.length; k++) {
    conditions.push({ column, kind: 'range', low: k > 0 ? edges[k - 1]! : null, high: edges[k] ?? null });
  }
  if (missing) conditions.push({ column, kind: 'missing' });
  return feature(column, type, conditions, rows, values, (v) =>
    Number.isNaN(v) ? edges.length + 1 : binOf(edges, v),
  );
}

function hasMissing(values: Float64Array, rows: Int32Array): boolean {
  for (let i = 0; i < rows.length; i++) if (Number.isNaN(values[rows[i]!]!)) return true;
  return false;
}

/** Index of the bin (lo, hi] holding v: the number of edges below v. */
function binOf(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function categoricalFeature(
  table: Table,
  column: string,
  type: ColumnType,
  rows: Int32Array,
  minSize: number,
): Feature | string {
  const { codes, labels } = labelColumn(table, column);
  const counts = new Float64Array(labels.length);
  let missing = 0;
  for (let i = 0; i < rows.length; i++) {
    const c = codes[rows[i]!]!;
    if (c < 0) missing++;
    else counts[c]!++;
  }
  let present = 0;
  for (const c of counts) if (c > 0) present++;
  if (present + (missing > 0 ? 1 : 0) < 2) return 'a single value';
  if (present > MAX_CATEGORIES && present > rows.length / 2)
    return 'an identifier (almost every row has its own value)';
  const kept = Array.from(labels.keys())
    .filter((k) => counts[k]! >= minSize)
    .sort((a, b) => counts[b]! - counts[a]! || a - b)
    .slice(0, MAX_CATEGORIES);
  const slot = new Int32Array(labels.length).fill(NONE);
  kept.forEach((k, s) => {
    slot[k] = s;
  });
  const conditions: SliceCondition[] = kept.map((k) => ({ column, kind: 'category', value: labels[k]! }));
  const missingSlot = missing >= minSize ? conditions.length : NONE;
  if (missingSlot !== NONE) conditions.push({ column, kind: 'missing' });
  return feature(column, type, conditions, rows, codes, (c) => (c < 0 ? missingSlot : slot[c]!));
}

export function featuresOf(
  table: Table,
  target: string,
  rows: Int32Array,
  bins: number,
  minSize: number,
): { features: Feature[]; skipped: { column: string; reason: string }[] } {
  const features: Feature[] = [];
  const skipped: { column: string; reason: string }[] = [];
  for (const field of table.schema.fields) {
    if (field.name === target) continue;
    const type = typeOfColumn(table, field.name);
    const f = isNumericType(type)
      ? numericFeature(table, field.name, type, rows, bins)
      : categoricalFeature(table, field.name, type, rows, minSize);
    if (typeof f === 'string') skipped.push({ column: field.name, reason: f });
    else features.push(f);
  }
  return { features, skipped };
}
