/**
 * The column profile as plain JSON (no NaN, no typed arrays): what the engine sends to the UI and
 * what the quality report reads. Undefined statistics are `null`.
 */
import type { ColumnType } from '../../core/types';

/** Equal-width bins on [lo, hi]; a value equal to hi is in the last bin. */
export interface HistogramBins {
  lo: number;
  hi: number;
  counts: number[];
  /** How the number of bins was chosen: 'freedman-diaconis' (2·IQR·n^(−1/3) wide, 5–50 bins),
   * 'integers' (one bin per integer when an integer column spans ≤ 50 values), 'sturges'
   * (⌈log2 n⌉ + 1, for dates and when the IQR is 0), 'days' (one bin per day, short date ranges). */
  rule: 'freedman-diaconis' | 'integers' | 'sturges' | 'days';
}

export interface CategoryCount {
  value: string;
  count: number;
}

export interface NumericProfile {
  /** Over finite values; ±Infinity are counted in posInf/negInf and left out of every statistic. */
  mean: number | null;
  /** Sample standard deviation (ddof = 1), as pandas' describe(). */
  std: number | null;
  min: number | null;
  q25: number | null;
  median: number | null;
  q75: number | null;
  max: number | null;
  /** pandas Series.skew(): adjusted Fisher–Pearson G1 = √(n(n−1))/(n−2) · m3/m2^1.5 (n ≥ 3). */
  skewness: number | null;
  /** pandas Series.kurt(): bias-corrected excess kurtosis G2 (Fisher, normal = 0; n ≥ 4). */
  kurtosis: number | null;
  zeros: number;
  negatives: number;
  posInf: number;
  negInf: number;
  /** 'increasing' / 'decreasing' when every present value is strictly larger / smaller than the
   * one before it (ID-like sequences). */
  monotonic: 'increasing' | 'decreasing' | null;
  histogram: HistogramBins | null;
}

export interface CategoriesProfile {
  /** The 10 most frequent values with counts, most frequent first (ties alphabetical). */
  top: CategoryCount[];
  /** Present values not in `top`. */
  other: number;
  /** Large text columns count only the first `exactDistinctLimit` distinct values they meet;
   * then `top` may miss a value that first appears late. */
  topApprox: boolean;
}

export interface TextProfile {
  /** Lengths in Unicode code points (pandas str.len()). */
  minLength: number;
  meanLength: number;
  maxLength: number;
}

export interface DateProfile {
  /** ISO 8601 (date: YYYY-MM-DD, datetime: full timestamp). */
  min: string;
  max: string;
  /** Bins over epoch milliseconds. */
  histogram: HistogramBins | null;
  /** The format the column's text was read with (strftime, or "ISO8601"), when it was text. */
  format?: string;
}

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  rows: number;
  /** Present values (not null, not NaN); ±Infinity count as present. */
  count: number;
  missing: number;
  distinct: number;
  /** true when `distinct` is a HyperLogLog estimate (±0.8 % typical), false when exact. */
  distinctApprox: boolean;
  /** A value holding more than half of the present values, with its count (null if none). */
  dominant: CategoryCount | null;
  numeric: NumericProfile | null;
  categories: CategoriesProfile | null;
  text: TextProfile | null;
  dates: DateProfile | null;
}
