/**
 * Error analysis of one run, worker-side (like Microsoft's Error Analysis and SliceFinder): from
 * the run's out-of-fold predictions, (a) the worst rows — misclassified rows by the probability
 * the model gave its wrong class, or the largest absolute residuals — with their raw values, and
 * (b) the slices of the data where errors concentrate. A slice is one value range or category of
 * a raw input column (numbers in quantile bins, categories by value, missing as its own value), or
 * the combination of two of them for the features whose slices differ most. Each slice's error
 * rate (Wilson interval) or mean absolute error (t interval) is tested against the other rows
 * (two-proportion z-test, Welch's t-test) and the p-values are adjusted by Benjamini–Hochberg over
 * every slice tested; the worse-and-significant slices come first, by effect size.
 *
 * A two-feature slice is reported only when its interval lies above both one-feature slices it
 * combines: a slice inside a bad slice is bad too, and without this rule the luckiest of its
 * sub-slices would outrank the slice that explains the errors.
 */
import type { Table } from 'apache-arrow';
import { EngineError, throwIfAborted } from '../../core/errors';
import { sourceRows } from '../../core/frame';
import type { ColumnType } from '../../core/types';
import {
  benjaminiHochberg,
  type Interval,
  meanInterval,
  momentsFromSums,
  type SliceTest,
  twoProportionZTest,
  welchTTest,
  wilsonInterval,
} from '../../models/slice-stats';
import type { CellValue } from '../deploy/types';
import type { ExperimentContext } from '../experiment/experiment';
import { rowsBeforeSplit } from '../experiment/rows';
import { isNumericType, labelColumn, numericColumn, typeOfColumn } from '../explore/columns';
import type {
  ErrorAnalysisOptions,
  ErrorAnalysisResult,
  ErrorAnalysisSpec,
  ErrorRowsQuery,
  ErrorSlice,
  SliceCondition,
  WorstRow,
} from './types';

const DEFAULTS: Required<ErrorAnalysisOptions> = {
  minSize: 20,
  minShare: 0.01,
  bins: 5,
  pairFeatures: 6,
  maxSlices: 40,
  worstRows: 50,
  alpha: 0.05,
};
/** Numbers with at most this many distinct values are sliced by value, not binned. */
const FEW_VALUES = 6;
/** Categories sliced per column (the most frequent). */
const MAX_CATEGORIES = 50;
/** Values sorted to place the quantile edges (an even sample beyond it). */
const EDGE_SAMPLE = 200_000;
/** Raw columns listed with the worst rows. */
const MAX_COLUMNS = 40;
/** Code of a row in no slice of a feature (a rare category). Features have < 255 slices. */
const NONE = 255;

export type ErrorContext = Pick<ExperimentContext, 'table' | 'dataKey' | 'compute' | 'signal' | 'progress'>;

/** The analysed rows: where they are in the filtered table and the dataset, and their errors. */
export interface Analysed {
  base: Table;
  /** Per analysed row: its row in `base` and in the dataset as loaded. */
  baseRows: Int32Array;
  datasetRows: Uint32Array;
  /** 0/1 misclassified, or |truth − predicted|. */
  error: Float64Array;
  task: 'classification' | 'regression';
}

/** Re-runs the leading filters and lines the run's out-of-fold rows up with the dataset's rows. */
export async function analysedRows(ctx: ErrorContext, spec: ErrorAnalysisSpec): Promise<Analysed> {
  const task = spec.task;
  if (task !== 'classification' && task !== 'regression') {
    throw new EngineError(
      'InvalidArgument',
      'Error analysis needs a run with a target (classification or regression).',
    );
  }
  const { rows, truth, predicted } = spec.oof;
  if (truth.length !== rows.length || predicted.length !== rows.length) {
    throw new EngineError('InvalidArgument', 'The out-of-fold predictions are incomplete (lengths differ).');
  }
  if (rows.length === 0) throw new EngineError('InvalidArgument', 'This run has no out-of-fold predictions.');
  if (!ctx.table.schema.fields.some((f) => f.name === spec.target)) {
    throw new EngineError('SchemaError', `Target column "${spec.target}" does not exist in this dataset.`);
  }
  const { base } = await rowsBeforeSplit(ctx, spec.notebook, spec.target);
  if (base.numRows !== spec.rows) {
    throw new EngineError(
      'InvalidArgument',
      `This run saw ${spec.rows} rows, but the notebook's filters now keep ${base.numRows}.`,
      { hint: 'Train the run again with the current notebook to analyse its errors.' },
    );
  }
  const origin = sourceRows(base);
  if (!origin && base !== ctx.table && base.numRows !== ctx.table.numRows) {
    throw new EngineError('InternalError', 'Could not trace the filtered rows back to the dataset.');
  }
  const n = rows.length;
  const baseRows = new Int32Array(n);
  const datasetRows = new Uint32Array(n);
  const error = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (!(Number.isInteger(r) && r >= 0 && r < base.numRows)) {
      throw new EngineError('InvalidArgument', `Out-of-fold row ${r} is outside the ${base.numRows} rows.`);
    }
    baseRows[i] = r;
    datasetRows[i] = origin ? origin[r]! : r;
    error[i] =
      task === 'classification' ? (truth[i] === predicted[i] ? 0 : 1) : Math.abs(truth[i]! - predicted[i]!);
  }
  return { base, baseRows, datasetRows, error, task };
}

// ── Features: the slices of one raw column ──

interface Feature {
  column: string;
  type: ColumnType;
  /** Slice k of this feature is conditions[k]. */
  conditions: SliceCondition[];
  /** Per analysed row, the index of its slice (NONE when in none). */
  encode(): Uint8Array;
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
    return {
      column,
      type,
      conditions,
      encode() {
        const codes = new Uint8Array(rows.length);
        for (let i = 0; i < rows.length; i++) {
          const v = values[rows[i]!]!;
          codes[i] = Number.isNaN(v) ? levels.length : index.get(v)!;
        }
        return codes;
      },
    };
  }
  const sorted = sortedSample(values, rows);
  const edges = quantileEdges(sorted, bins);
  missing ||= sorted.length < rows.length && hasMissing(values, rows);
  const conditions: SliceCondition[] = [];
  for (let k = 0; k <= edges.length; k++) {
    conditions.push({ column, kind: 'range', low: k > 0 ? edges[k - 1]! : null, high: edges[k] ?? null });
  }
  if (missing) conditions.push({ column, kind: 'missing' });
  return {
    column,
    type,
    conditions,
    encode() {
      const codes = new Uint8Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const v = values[rows[i]!]!;
        codes[i] = Number.isNaN(v) ? edges.length + 1 : binOf(edges, v);
      }
      return codes;
    },
  };
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
  return {
    column,
    type,
    conditions,
    encode() {
      const out = new Uint8Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const c = codes[rows[i]!]!;
        out[i] = c < 0 ? missingSlot : slot[c]!;
      }
      return out;
    },
  };
}

function featuresOf(
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

// ── Slice statistics ──

interface Totals {
  n: number;
  sum: number;
  sumSquares: number;
}

interface Scored {
  conditions: SliceCondition[];
  size: number;
  value: number;
  ci: Interval;
  rest: number;
  test: SliceTest;
}

/** A slice's metric with its interval, against another set of rows (the rest, or a parent's rest). */
function contrast(task: 'classification' | 'regression', inside: Totals, outside: Totals) {
  if (task === 'classification') {
    return {
      value: inside.sum / inside.n,
      ci: wilsonInterval(inside.sum, inside.n),
      rest: outside.sum / outside.n,
      test: twoProportionZTest(inside.sum, inside.n, outside.sum, outside.n),
    };
  }
  const a = momentsFromSums(inside.sum, inside.sumSquares, inside.n);
  const b = momentsFromSums(outside.sum, outside.sumSquares, outside.n);
  return { value: a.mean, ci: meanInterval(a), rest: b.mean, test: welchTTest(a, b) };
}

function score(
  task: 'classification' | 'regression',
  conditions: SliceCondition[],
  slice: Totals,
  all: Totals,
): Scored {
  return { conditions, size: slice.n, ...contrast(task, slice, minus(all, slice)) };
}

/** Per slot: count, sum and sum of squares of the error, in one pass over the rows not skipped. */
function aggregate(
  error: Float64Array,
  skip: Uint8Array | null,
  codes: Uint8Array,
  slots: number,
  pair?: Uint8Array,
  width = 1,
): Float64Array {
  const acc = new Float64Array(slots * 3);
  for (let i = 0; i < codes.length; i++) {
    const a = codes[i]!;
    if (a === NONE || skip?.[i]) continue;
    let s = a;
    if (pair) {
      const b = pair[i]!;
      if (b === NONE) continue;
      s = a * width + b;
    }
    const e = error[i]!;
    acc[s * 3]!++;
    acc[s * 3 + 1]! += e;
    acc[s * 3 + 2]! += e * e;
  }
  return acc;
}

function slotTotals(acc: Float64Array, slot: number): Totals {
  return { n: acc[slot * 3]!, sum: acc[slot * 3 + 1]!, sumSquares: acc[slot * 3 + 2]! };
}

function minus(a: Totals, b: Totals): Totals {
  return { n: a.n - b.n, sum: a.sum - b.sum, sumSquares: a.sumSquares - b.sumSquares };
}

function totalsOf(error: Float64Array, skip: Uint8Array | null = null): Totals {
  let n = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < error.length; i++) {
    if (skip?.[i]) continue;
    n++;
    sum += error[i]!;
    sumSquares += error[i]! * error[i]!;
  }
  return { n, sum, sumSquares };
}

// ── Words ──

function formatNumber(v: number, type: ColumnType): string {
  if (type === 'date' || type === 'datetime') {
    const iso = new Date(v).toISOString();
    return type === 'date' || iso.endsWith('T00:00:00.000Z')
      ? iso.slice(0, 10)
      : iso.slice(0, 16).replace('T', ' ');
  }
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

export function describeCondition(c: SliceCondition, type: ColumnType = 'float'): string {
  switch (c.kind) {
    case 'range':
      if (c.low === null && c.high === null) return `${c.column} is present`;
      if (c.low === null) return `${c.column} ≤ ${formatNumber(c.high!, type)}`;
      if (c.high === null) return `${c.column} > ${formatNumber(c.low, type)}`;
      return `${formatNumber(c.low, type)} < ${c.column} ≤ ${formatNumber(c.high, type)}`;
    case 'equals':
      return `${c.column} = ${formatNumber(c.value, type)}`;
    case 'category':
      return `${c.column} = ${c.value}`;
    case 'missing':
      return `${c.column} is missing`;
  }
}

function percent(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const p = v * 100;
  return `${p < 10 && p > 0 ? p.toFixed(1) : p.toFixed(0)}%`;
}

function amount(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return String(Number(v.toPrecision(3)));
}

function sentence(task: 'classification' | 'regression', description: string, s: Scored): string {
  const f = task === 'classification' ? percent : amount;
  const metric = task === 'classification' ? 'error' : 'MAE';
  return `${description}: ${metric} ${f(s.value)} [${f(s.ci.low)}, ${f(s.ci.high)}], ${s.size} rows, vs ${f(s.rest)} elsewhere`;
}

// ── The analysis ──

/** A tested slice: slot `ka` of feature `a`, and for a combination slot `kb` of feature `b`. */
interface Candidate {
  a: number;
  ka: number;
  b: number;
  kb: number;
  scored: Scored;
  q: number;
}

/**
 * Slices of the analysed rows, worst first (pure: the tests call it on synthetic tables).
 *
 * Every slice of at least `minSize` rows is tested and the p-values are adjusted together. The
 * significant slices are then reported greedily, like a set cover: the worst slice first, then
 * the next worst counting only the rows no reported slice holds — a slice whose excess errors are
 * those of a slice already reported is left out (counted in `explained`). A combination of two
 * features must also be worse than the rest of each of its two one-feature slices (an interaction,
 * Bonferroni-corrected over the combinations), else the simpler slice says it better.
 */
export function findSlices(
  a: Analysed,
  target: string,
  options: ErrorAnalysisOptions = {},
  signal?: AbortSignal,
): Pick<ErrorAnalysisResult, 'slices' | 'tested' | 'explained' | 'minSize' | 'alpha' | 'skipped'> {
  const o = { ...DEFAULTS, ...options };
  const n = a.error.length;
  const minSize = Math.max(2, o.minSize, Math.ceil(o.minShare * n));
  const all = totalsOf(a.error);
  const { features, skipped } = featuresOf(
    a.base,
    target,
    a.baseRows,
    Math.max(2, Math.floor(o.bins)),
    minSize,
  );
  const typeOf = new Map(features.map((f) => [f.column, f.type]));
  const testable = (t: Totals, of: Totals) => t.n >= minSize && of.n - t.n >= 2;
  const codes = new Map<number, Uint8Array>();
  const codesOf = (f: number) => {
    let c = codes.get(f);
    if (!c) {
      c = features[f]!.encode();
      codes.set(f, c);
    }
    return c;
  };

  const candidates: Candidate[] = [];
  /** Per feature, its strongest positive test statistic: which features to combine. */
  const strength = new Float64Array(features.length);
  features.forEach((f, fi) => {
    if (signal) throwIfAborted(signal);
    const acc = aggregate(a.error, null, codesOf(fi), f.conditions.length);
    f.conditions.forEach((c, k) => {
      const t = slotTotals(acc, k);
      if (!testable(t, all)) return;
      const scored = score(a.task, [c], t, all);
      strength[fi] = Math.max(strength[fi]!, scored.test.statistic);
      candidates.push({ a: fi, ka: k, b: -1, kb: -1, scored, q: 1 });
    });
    // Only the combined features' codes are kept in memory.
    codes.delete(fi);
  });
  const top = Array.from(features.keys())
    .filter((f) => strength[f]! > 0)
    .sort((x, y) => strength[y]! - strength[x]!)
    .slice(0, Math.max(0, Math.floor(o.pairFeatures)));
  for (let i = 0; i < top.length; i++) {
    for (let j = i + 1; j < top.length; j++) {
      if (signal) throwIfAborted(signal);
      const [fa, fb] = [top[i]!, top[j]!];
      const width = features[fb]!.conditions.length;
      const slots = features[fa]!.conditions.length * width;
      const acc = aggregate(a.error, null, codesOf(fa), slots, codesOf(fb), width);
      for (let slot = 0; slot < slots; slot++) {
        const t = slotTotals(acc, slot);
        if (!testable(t, all)) continue;
        const [ka, kb] = [Math.floor(slot / width), slot % width];
        const conditions = [features[fa]!.conditions[ka]!, features[fb]!.conditions[kb]!];
        candidates.push({ a: fa, ka, b: fb, kb, scored: score(a.task, conditions, t, all), q: 1 });
      }
    }
  }
  const q = benjaminiHochberg(candidates.map((c) => c.scored.test.pValue));
  candidates.forEach((c, i) => {
    c.q = q[i]!;
  });
  const worse = (c: Candidate) => c.scored.value - c.scored.rest > 0;

  // Greedy cover of the significant slices.
  const covered = new Uint8Array(n);
  let pool = candidates.filter((c) => worse(c) && c.q < o.alpha);
  // Some of the many sub-slices of a bad slice look worse than the rest of it by chance alone:
  // the interaction test is Bonferroni-corrected over the significant combinations.
  const interactionAlpha = o.alpha / Math.max(1, pool.filter((c) => c.b >= 0).length);
  const reported: Candidate[] = [];
  let explained = 0;
  while (pool.length > 0 && reported.length < o.maxSlices) {
    if (signal) throwIfAborted(signal);
    const skip = reported.length > 0 ? covered : null;
    const rest = totalsOf(a.error, skip);
    const singles = new Map<number, Float64Array>();
    const singleOf = (f: number) => {
      let acc = singles.get(f);
      if (!acc) {
        acc = aggregate(a.error, skip, codesOf(f), features[f]!.conditions.length);
        singles.set(f, acc);
      }
      return acc;
    };
    const pairs = new Map<string, Float64Array>();
    const kept: { c: Candidate; difference: number }[] = [];
    for (const c of pool) {
      let t: Totals;
      let parents: Totals[] = [];
      if (c.b < 0) t = slotTotals(singleOf(c.a), c.ka);
      else {
        const width = features[c.b]!.conditions.length;
        const key = `${c.a}:${c.b}`;
        let acc = pairs.get(key);
        if (!acc) {
          acc = aggregate(
            a.error,
            skip,
            codesOf(c.a),
            features[c.a]!.conditions.length * width,
            codesOf(c.b),
            width,
          );
          pairs.set(key, acc);
        }
        t = slotTotals(acc, c.ka * width + c.kb);
        parents = [slotTotals(singleOf(c.a), c.ka), slotTotals(singleOf(c.b), c.kb)];
      }
      if (!testable(t, rest)) continue;
      const now = contrast(a.task, t, minus(rest, t));
      if (!(now.value > now.rest && now.test.pValue < o.alpha)) continue;
      const interaction = parents.every((p) => {
        const other = minus(p, t);
        if (other.n < 2) return false;
        const vs = contrast(a.task, t, other);
        return vs.value > vs.rest && vs.test.pValue < interactionAlpha;
      });
      if (interaction) kept.push({ c, difference: now.value - now.rest });
    }
    // Dropped now: explained by the slices reported so far (or, for a combination, by its parents).
    explained += pool.length - kept.length;
    if (kept.length === 0) break;
    kept.sort((x, y) => y.difference - x.difference || x.c.scored.test.pValue - y.c.scored.test.pValue);
    const best = kept[0]!.c;
    reported.push(best);
    const ca = codesOf(best.a);
    const cb = best.b >= 0 ? codesOf(best.b) : null;
    for (let i = 0; i < n; i++) if (ca[i] === best.ka && (!cb || cb[i] === best.kb)) covered[i] = 1;
    pool = kept.slice(1).map((k) => k.c);
  }

  // Then the slices worse than the rest but not significant, the strongest evidence first.
  const others = candidates
    .filter((c) => worse(c) && !(c.q < o.alpha))
    .sort((x, y) => x.scored.test.pValue - y.scored.test.pValue);
  const slices = [...reported, ...others].slice(0, o.maxSlices).map((c): ErrorSlice => {
    const s = c.scored;
    const description = s.conditions.map((x) => describeCondition(x, typeOf.get(x.column))).join(' and ');
    return {
      conditions: s.conditions,
      description,
      sentence: sentence(a.task, description, s),
      size: s.size,
      value: s.value,
      ciLow: s.ci.low,
      ciHigh: s.ci.high,
      rest: s.rest,
      difference: s.value - s.rest,
      pValue: s.test.pValue,
      qValue: c.q,
      significant: c.q < o.alpha,
    };
  });
  return { slices, tested: candidates.length, explained, minSize, alpha: o.alpha, skipped };
}

function cellValue(v: unknown, type: ColumnType): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return formatNumber(v.getTime(), type);
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return null;
    return type === 'date' || type === 'datetime' ? formatNumber(v, type) : v;
  }
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  return String(v);
}

/** Analysed rows worst first: misclassified rows by confidence in the wrong class, or |residual|. */
function worstOrder(a: Analysed, spec: ErrorAnalysisSpec): number[] {
  const prob = spec.oof.probability;
  const byRow = (x: number, y: number) => a.datasetRows[x]! - a.datasetRows[y]!;
  const order = Array.from({ length: a.error.length }, (_, i) => i).filter((i) => a.error[i]! > 0);
  if (a.task === 'regression') return order.sort((x, y) => a.error[y]! - a.error[x]! || byRow(x, y));
  if (!prob) return order.sort(byRow);
  return order.sort(
    (x, y) => prob.predicted[y]! - prob.predicted[x]! || prob.truth[x]! - prob.truth[y]! || byRow(x, y),
  );
}

function worstRows(a: Analysed, spec: ErrorAnalysisSpec, limit: number, columns: string[]): WorstRow[] {
  const prob = spec.oof.probability;
  const order = worstOrder(a, spec);
  const vectors = columns.map((c) => ({ vector: a.base.getChild(c)!, type: typeOfColumn(a.base, c) }));
  const label = (v: number) => (a.task === 'classification' ? (spec.classes?.[v] ?? String(v)) : v);
  return order.slice(0, limit).map((i) => ({
    row: a.datasetRows[i]!,
    fold: spec.oof.fold[i] ?? 0,
    truth: label(spec.oof.truth[i]!),
    predicted: label(spec.oof.predicted[i]!),
    confidence: prob ? (prob.predicted[i] ?? null) : null,
    truthProbability: prob ? (prob.truth[i] ?? null) : null,
    error: a.error[i]!,
    values: vectors.map(({ vector, type }) => cellValue(vector.get(a.baseRows[i]!), type)),
  }));
}

export async function analyzeErrors(
  ctx: ErrorContext,
  spec: ErrorAnalysisSpec,
): Promise<ErrorAnalysisResult> {
  ctx.progress({ fraction: 0, phase: 'Error analysis: reading the rows' });
  const a = await analysedRows(ctx, spec);
  ctx.progress({ fraction: 0.2, phase: 'Error analysis: slicing' });
  const found = findSlices(a, spec.target, spec.options, ctx.signal);
  const columns = a.base.schema.fields
    .map((f) => f.name)
    .filter((c) => c !== spec.target)
    .slice(0, MAX_COLUMNS);
  const all = totalsOf(a.error);
  const n = a.error.length;
  let overall: ErrorAnalysisResult['overall'];
  if (a.task === 'classification') {
    const ci = wilsonInterval(all.sum, n);
    overall = { value: all.sum / n, ciLow: ci.low, ciHigh: ci.high };
  } else {
    const m = momentsFromSums(all.sum, all.sumSquares, n);
    const ci = meanInterval(m);
    overall = { value: m.mean, ciLow: ci.low, ciHigh: ci.high };
  }
  let errors = 0;
  for (let i = 0; i < n; i++) if (a.error[i]! > 0) errors++;
  ctx.progress({ fraction: 1, phase: 'Error analysis: done' });
  return {
    task: a.task,
    metric: a.task === 'classification' ? 'error rate' : 'mean absolute error',
    rows: n,
    datasetRows: ctx.table.numRows,
    errors,
    overall,
    worst: worstRows(a, spec, spec.options?.worstRows ?? DEFAULTS.worstRows, columns),
    columns,
    ...found,
  };
}

/** Whether analysed row i (a row of `base`) meets a condition. */
function conditionTest(base: Table, c: SliceCondition): (row: number) => boolean {
  if (!base.schema.fields.some((f) => f.name === c.column)) {
    throw new EngineError('SchemaError', `Column "${c.column}" does not exist.`, { columnName: c.column });
  }
  const numeric = isNumericType(typeOfColumn(base, c.column));
  if (c.kind === 'missing') {
    if (numeric) {
      const v = numericColumn(base, c.column);
      return (r) => Number.isNaN(v[r]!);
    }
    const { codes } = labelColumn(base, c.column);
    return (r) => codes[r]! < 0;
  }
  if (c.kind === 'category') {
    const { codes, labels } = labelColumn(base, c.column);
    const k = labels.indexOf(c.value);
    return (r) => codes[r] === k && k >= 0;
  }
  const v = numericColumn(base, c.column);
  if (c.kind === 'equals') return (r) => v[r] === c.value;
  const low = c.low ?? Number.NEGATIVE_INFINITY;
  const high = c.high ?? Number.POSITIVE_INFINITY;
  return (r) => v[r]! > low && v[r]! <= high;
}

/** Dataset row ids (ascending) of the analysed rows a query picks. */
export async function errorRows(
  ctx: ErrorContext,
  spec: ErrorAnalysisSpec,
  query: ErrorRowsQuery,
): Promise<Uint32Array> {
  const a = await analysedRows(ctx, spec);
  let keep: (i: number) => boolean;
  if (query.kind === 'slice') {
    const tests = query.conditions.map((c) => conditionTest(a.base, c));
    keep = (i) => tests.every((t) => t(a.baseRows[i]!));
  } else if (query.kind === 'cell') {
    if (a.task !== 'classification')
      throw new EngineError('InvalidArgument', 'Confusion cells need a classification run.');
    keep = (i) => spec.oof.truth[i] === query.truth && spec.oof.predicted[i] === query.predicted;
  } else {
    const picked = new Uint8Array(a.error.length);
    for (const i of worstOrder(a, spec).slice(0, Math.max(0, query.count))) picked[i] = 1;
    keep = (i) => picked[i] === 1;
  }
  const out: number[] = [];
  for (let i = 0; i < a.error.length; i++) if (keep(i)) out.push(a.datasetRows[i]!);
  return Uint32Array.from(out).sort();
}
