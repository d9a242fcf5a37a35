/**
 * The column profile: for every column its type, count, missing and distinct values, and by kind
 * numeric statistics (mean, std, quartiles, skewness, kurtosis, zeros, negatives, infinities,
 * histogram), top categories, text lengths or date range.
 *
 * Where the work runs. Mean, variance, min, max and counts come from the colstats kernel and the
 * histograms from the histogram kernel (WebGPU when `compute` has a device, else their CPU
 * references); quantiles are exact on the CPU by selection (quantiles.ts says why), higher moments
 * in one CPU pass (shape.ts), distinct counts exactly with a hash set up to `exactDistinctLimit`
 * present values and with HyperLogLog beyond (dictionary and boolean columns are always exact:
 * their distinct values are the dictionary entries in use).
 */
import type { Table } from 'apache-arrow';
import { cooperate } from '../../core/cooperate';
import { throwIfAborted } from '../../core/errors';
import { logicalType } from '../../core/frame';
import type { Progress } from '../../core/job';
import { quantileSorted } from '../../core/percentile';
import type { ColumnType } from '../../core/types';
import type { Compute } from '../../gpu/device';
import { type ColStats, colStatsAll, colStatsRef } from '../../gpu/kernels/colstats/colstats';
import {
  type Histogram,
  type HistogramRange,
  histogramAll,
  histogramRef,
} from '../../gpu/kernels/histogram/histogram';
import { dateFormatOf } from '../../io/dates';
import { columnOf, countLabels, forEachUtf8, readFloat64 } from './columns';
import { hashBytes, hashKey } from './hash';
import { HyperLogLog } from './hll';
import { quantilesInPlace } from './quantiles';
import { kurtosis, shapeOf, skewness } from './shape';
import type { CategoryCount, ColumnProfile, HistogramBins, NumericProfile } from './types';

export type * from './types';

export interface ProfileOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Columns with at most this many present values get exact distinct counts (default 100,000). */
  exactDistinctLimit?: number;
  /** Number of top categories listed (default 10). */
  topK?: number;
}

export const DEFAULT_EXACT_DISTINCT_LIMIT = 100_000;
const MAX_HISTOGRAM_BINS = 50;
const MIN_FD_BINS = 5;
const MS_PER_DAY = 86_400_000;

const isNumericType = (t: ColumnType) => t === 'integer' || t === 'float';
const isDateType = (t: ColumnType) => t === 'date' || t === 'datetime';
const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** A histogram still to be counted (batched so the GPU sees every column in one go). */
interface PendingHistogram {
  col: Float64Array;
  range: HistogramRange;
  rule: HistogramBins['rule'];
  assign(bins: HistogramBins): void;
}

export async function profileTable(
  table: Table,
  compute: Compute | null,
  options: ProfileOptions = {},
): Promise<ColumnProfile[]> {
  const { signal, onProgress } = options;
  const limit = options.exactDistinctLimit ?? DEFAULT_EXACT_DISTINCT_LIMIT;
  const topK = options.topK ?? 10;
  const fields = table.schema.fields;
  const types = fields.map(logicalType);
  const total = fields.length + 2; // + the colstats batch + the histogram batch
  const progress = (done: number, phase: string) => onProgress?.({ fraction: done / total, phase });
  throwIfAborted(signal);

  // Numeric reductions first, all columns in one batch.
  progress(0, 'Column statistics');
  const numericIndex = types.flatMap((t, i) => (isNumericType(t) ? [i] : []));
  const numericCols = new Map<number, Float64Array>();
  for (const i of numericIndex) {
    await cooperate(signal);
    numericCols.set(i, readFloat64(columnOf(table, fields[i]!.name)));
  }
  const cols = numericIndex.map((i) => numericCols.get(i) as Float64Array);
  let stats: ColStats[];
  if (compute) stats = await colStatsAll(compute, cols, { signal });
  else {
    stats = [];
    for (const c of cols) {
      await cooperate(signal);
      stats.push(colStatsRef(c));
    }
  }
  const statsOf = new Map(numericIndex.map((i, k) => [i, stats[k] as ColStats]));

  const pending: PendingHistogram[] = [];
  const profiles: ColumnProfile[] = [];
  for (const [i, field] of fields.entries()) {
    await cooperate(signal);
    progress(i + 1, `Profiling "${field.name}"`);
    const type = types[i] as ColumnType;
    const vector = columnOf(table, field.name);
    const base: ColumnProfile = {
      name: field.name,
      type,
      rows: table.numRows,
      count: 0,
      missing: 0,
      distinct: 0,
      distinctApprox: false,
      dominant: null,
      numeric: null,
      categories: null,
      text: null,
      dates: null,
    };
    if (isNumericType(type)) {
      const col = numericCols.get(i) as Float64Array;
      profileNumeric(base, col, statsOf.get(i) as ColStats, limit, pending);
      numericCols.delete(i);
    } else if (isDateType(type)) {
      profileDates(base, readFloat64(vector), limit, pending);
      const { dateFormat } = dateFormatOf(field);
      if (base.dates && dateFormat !== undefined) base.dates.format = dateFormat;
    } else if (type === 'text' || (type === 'categorical' && !vector.data.some((d) => d.dictionary))) {
      profileText(base, vector, limit, topK);
    } else {
      // categorical (dictionary) and boolean
      const { counts, missing } = countLabels(vector);
      base.missing = missing;
      base.count = table.numRows - missing;
      base.distinct = counts.size;
      base.categories = topCategories(counts, base.count, topK, false);
      base.dominant = dominantOf(base.categories.top[0], base.count);
    }
    profiles.push(base);
  }

  throwIfAborted(signal);
  progress(fields.length + 1, 'Histograms');
  const histCols = pending.map((p) => p.col);
  const ranges = pending.map((p) => p.range);
  let hists: Histogram[];
  if (compute) hists = await histogramAll(compute, histCols, ranges, { signal });
  else {
    hists = [];
    for (const [k, c] of histCols.entries()) {
      await cooperate(signal);
      hists.push(histogramRef(c, ranges[k] as HistogramRange));
    }
  }
  pending.forEach((p, k) => {
    p.assign({
      lo: p.range.lo,
      hi: p.range.hi,
      counts: Array.from((hists[k] as Histogram).counts),
      rule: p.rule,
    });
  });
  progress(total, 'Done');
  return profiles;
}

function profileNumeric(
  out: ColumnProfile,
  col: Float64Array,
  s: ColStats,
  limit: number,
  pending: PendingHistogram[],
): void {
  const infinities = s.posInf + s.negInf;
  out.count = s.count + infinities;
  out.missing = s.nan;
  const finite = s.count === col.length ? col.slice() : finiteValues(col, s.count);
  let q25: number;
  let median: number;
  let q75: number;
  const infinityValues = (s.posInf > 0 ? 1 : 0) + (s.negInf > 0 ? 1 : 0);
  if (out.count <= limit) {
    finite.sort();
    [q25, median, q75] = [0.25, 0.5, 0.75].map((q) => quantileSorted(finite, q)) as [number, number, number];
    // Distinct values and the most frequent one from the runs of the sorted values.
    let distinct = 0;
    let best = Number.NaN;
    let bestCount = 0;
    for (let i = 0; i < finite.length; ) {
      let j = i + 1;
      while (j < finite.length && finite[j] === finite[i]) j++;
      distinct++;
      if (j - i > bestCount) {
        bestCount = j - i;
        best = finite[i] as number;
      }
      i = j;
    }
    out.distinct = distinct + infinityValues;
    if (s.posInf > bestCount) [best, bestCount] = [Infinity, s.posInf];
    if (s.negInf > bestCount) [best, bestCount] = [-Infinity, s.negInf];
    out.dominant = bestCount * 2 > out.count ? { value: String(best), count: bestCount } : null;
  } else {
    [q25, median, q75] = quantilesInPlace(finite, [0.25, 0.5, 0.75]) as [number, number, number];
    const hll = new HyperLogLog();
    hll.addFloat64(col);
    out.distinct = Math.min(hll.estimate(), out.count);
    out.distinctApprox = true;
    out.dominant = majority(col, out.count);
  }
  const shape = shapeOf(col, s.mean);
  const n = s.count;
  const numeric: NumericProfile = {
    mean: n > 0 ? s.mean : null,
    std: n > 1 ? Math.sqrt(s.m2 / (n - 1)) : null,
    min: n > 0 ? s.min : null,
    q25: orNull(q25),
    median: orNull(median),
    q75: orNull(q75),
    max: n > 0 ? s.max : null,
    skewness: orNull(skewness(shape)),
    kurtosis: orNull(kurtosis(shape)),
    zeros: shape.zeros,
    negatives: shape.negatives,
    posInf: s.posInf,
    negInf: s.negInf,
    monotonic: shape.monotonic,
    histogram: null,
  };
  out.numeric = numeric;
  if (n > 0) {
    const { range, rule } = numericBins(s.min, s.max, q75 - q25, n, out.type === 'integer');
    pending.push({ col, range, rule, assign: (bins) => (numeric.histogram = bins) });
  }
}

function finiteValues(col: Float64Array, count: number): Float64Array {
  const finite = new Float64Array(count);
  for (let i = 0, k = 0; i < col.length; i++) {
    const x = col[i] as number;
    if (x - x === 0) finite[k++] = x;
  }
  return finite;
}

/** Boyer–Moore majority vote over present values, then one counting pass: the value holding more
 * than half of them, or null. Exact, in O(1) memory — what "near-constant" needs at any size. */
function majority(col: Float64Array, present: number): CategoryCount | null {
  let candidate = Number.NaN;
  let votes = 0;
  for (let i = 0; i < col.length; i++) {
    const x = col[i] as number;
    if (Number.isNaN(x)) continue;
    if (votes === 0) {
      candidate = x;
      votes = 1;
    } else if (x === candidate) votes++;
    else votes--;
  }
  if (votes === 0) return null;
  let count = 0;
  for (let i = 0; i < col.length; i++) if (col[i] === candidate) count++;
  return count * 2 > present ? { value: String(candidate), count } : null;
}

/** Bins for a numeric column: one per integer when an integer column spans ≤ 50 values, else
 * Freedman–Diaconis (width 2·IQR·n^(−1/3)) clamped to 5–50 bins (integer columns: a whole-number
 * width on half-integer edges), Sturges when the IQR is 0. */
export function numericBins(
  min: number,
  max: number,
  iqr: number,
  n: number,
  integer: boolean,
): { range: HistogramRange; rule: HistogramBins['rule'] } {
  const span = max - min;
  if (integer && span + 1 <= MAX_HISTOGRAM_BINS) {
    // Centred on the integers, so no value sits on a bin edge.
    return { range: { lo: min - 0.5, hi: max + 0.5, bins: span + 1 }, rule: 'integers' };
  }
  if (span === 0) return { range: { lo: min, hi: max, bins: 1 }, rule: 'sturges' };
  if (iqr > 0) {
    const width = 2 * iqr * n ** (-1 / 3);
    const bins = Math.max(MIN_FD_BINS, Math.min(MAX_HISTOGRAM_BINS, Math.ceil(span / width)));
    if (integer) {
      // Whole-number bin widths on half-integer edges, so every bin holds as many integers.
      const step = Math.ceil((span + 1) / bins);
      const count = Math.ceil((span + 1) / step);
      return {
        range: { lo: min - 0.5, hi: min - 0.5 + count * step, bins: count },
        rule: 'freedman-diaconis',
      };
    }
    return { range: { lo: min, hi: max, bins }, rule: 'freedman-diaconis' };
  }
  return { range: { lo: min, hi: max, bins: sturges(n) }, rule: 'sturges' };
}

const sturges = (n: number) => Math.max(1, Math.min(MAX_HISTOGRAM_BINS, Math.ceil(Math.log2(n)) + 1));

function profileDates(
  out: ColumnProfile,
  ms: Float64Array,
  limit: number,
  pending: PendingHistogram[],
): void {
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (let i = 0; i < ms.length; i++) {
    const x = ms[i] as number;
    if (Number.isNaN(x)) continue;
    count++;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  out.count = count;
  out.missing = ms.length - count;
  if (count <= limit) {
    const counts = new Map<number, number>();
    for (let i = 0; i < ms.length; i++) {
      const x = ms[i] as number;
      if (!Number.isNaN(x)) counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    out.distinct = counts.size;
    let best = 0;
    let bestCount = 0;
    for (const [v, c] of counts) if (c > bestCount) [best, bestCount] = [v, c];
    out.dominant = bestCount * 2 > count ? { value: isoDate(best, out.type), count: bestCount } : null;
  } else {
    const hll = new HyperLogLog();
    hll.addFloat64(ms);
    out.distinct = Math.min(hll.estimate(), count);
    out.distinctApprox = true;
    const m = majority(ms, count);
    out.dominant = m ? { value: isoDate(Number(m.value), out.type), count: m.count } : null;
  }
  if (count === 0) return;
  const dates = {
    min: isoDate(min, out.type),
    max: isoDate(max, out.type),
    histogram: null as HistogramBins | null,
  };
  out.dates = dates;
  const days = Math.round((max - min) / MS_PER_DAY);
  const wholeDays = min % MS_PER_DAY === 0 && max % MS_PER_DAY === 0;
  const range: HistogramRange =
    out.type === 'date' && wholeDays && days + 1 <= MAX_HISTOGRAM_BINS
      ? { lo: min - MS_PER_DAY / 2, hi: max + MS_PER_DAY / 2, bins: days + 1 }
      : { lo: min, hi: max, bins: max > min ? sturges(count) : 1 };
  const rule = range.bins === days + 1 && range.lo < min ? 'days' : 'sturges';
  pending.push({ col: ms, range, rule, assign: (bins) => (dates.histogram = bins) });
}

function isoDate(ms: number, type: ColumnType): string {
  const iso = new Date(ms).toISOString();
  if (type === 'date') return iso.slice(0, 10);
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

/** Text (and categorical columns stored as plain strings): counts by a 53-bit hash of the UTF-8
 * bytes, so no string is built per cell; only the top values are decoded at the end. */
function profileText(
  out: ColumnProfile,
  vector: ReturnType<typeof columnOf>,
  limit: number,
  topK: number,
): void {
  const counts = new Map<number, number>();
  const firstRow = new Map<number, number>();
  const hll = new HyperLogLog();
  const h = new Uint32Array(2);
  let minLength = Infinity;
  let maxLength = 0;
  let totalLength = 0;
  let capped = false;
  const missing = forEachUtf8(vector, (bytes, start, end, row) => {
    let length = 0;
    for (let i = start; i < end; i++) if (((bytes[i] as number) & 0xc0) !== 0x80) length++;
    if (length < minLength) minLength = length;
    if (length > maxLength) maxLength = length;
    totalLength += length;
    hashBytes(bytes, start, end, h);
    hll.add(h[0] as number, h[1] as number);
    const key = hashKey(h);
    const c = counts.get(key);
    if (c !== undefined) counts.set(key, c + 1);
    else if (counts.size < limit) {
      counts.set(key, 1);
      firstRow.set(key, row);
    } else capped = true;
  });
  out.missing = missing;
  out.count = vector.length - missing;
  if (capped || out.count > limit) {
    out.distinct = Math.min(hll.estimate(), out.count);
    out.distinctApprox = true;
  } else out.distinct = counts.size;
  const byLabel = new Map<string, number>();
  const ranked = [...counts].sort((a, b) => b[1] - a[1]).slice(0, topK * 2);
  for (const [key, c] of ranked) byLabel.set(String(vector.get(firstRow.get(key) as number)), c);
  out.categories = topCategories(byLabel, out.count, topK, capped);
  out.dominant = dominantOf(out.categories.top[0], out.count);
  if (out.type === 'text' && out.count > 0) {
    out.text = { minLength, meanLength: totalLength / out.count, maxLength };
  }
}

function topCategories(counts: Map<string, number>, present: number, topK: number, approx: boolean) {
  const top = [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, topK);
  const listed = top.reduce((s, c) => s + c.count, 0);
  return { top, other: present - listed, topApprox: approx };
}

function dominantOf(top: CategoryCount | undefined, present: number): CategoryCount | null {
  return top && top.count * 2 > present ? { ...top } : null;
}
