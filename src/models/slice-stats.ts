/**
 * The statistics of error slices: intervals for a slice's error rate (Wilson score) and mean
 * error (Student t), tests of a slice against the rest of the rows (pooled two-proportion z-test,
 * Welch's t-test) and the Benjamini–Hochberg correction over the many slices tested. Checked
 * against scipy and textbook values in tests/fixtures/stats/slice_stats.json.
 */
import { chiSquare1Sf, studentTCdf, studentTQuantile } from './stats';

export interface Interval {
  low: number;
  high: number;
}

export interface SliceTest {
  statistic: number;
  pValue: number;
}

/** P(|Z| > z) for a standard normal Z (Z² is chi-square with one degree of freedom). */
export function normalTwoSided(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return chiSquare1Sf(z * z);
}

/** The z with P(|Z| ≤ z) = confidence (bisection; 1.959963984540054 for 0.95). */
export function normalCritical(confidence: number): number {
  let lo = 0;
  let hi = 40;
  for (let i = 0; i < 200 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (normalTwoSided(mid) > 1 - confidence) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const Z95 = normalCritical(0.95);

/**
 * Wilson score interval for k successes in n trials: unlike the normal (Wald) interval it stays
 * inside [0, 1] and keeps its coverage for small slices and rates near 0 or 1.
 */
export function wilsonInterval(k: number, n: number, confidence = 0.95): Interval {
  if (n <= 0) return { low: Number.NaN, high: Number.NaN };
  const z = confidence === 0.95 ? Z95 : normalCritical(confidence);
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Two-sided pooled z-test of k1/n1 against k2/n2 (a slice's error rate against the rest's). */
export function twoProportionZTest(k1: number, n1: number, k2: number, n2: number): SliceTest {
  if (n1 <= 0 || n2 <= 0) return { statistic: Number.NaN, pValue: Number.NaN };
  const pooled = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const diff = k1 / n1 - k2 / n2;
  // Every row right (or every row wrong): no difference to find.
  if (se === 0) return { statistic: 0, pValue: 1 };
  const z = diff / se;
  return { statistic: z, pValue: normalTwoSided(z) };
}

export interface Moments {
  mean: number;
  /** Sample variance (n − 1). */
  variance: number;
  n: number;
}

/** Student t interval for a mean (a slice's mean absolute error). */
export function meanInterval(m: Moments, confidence = 0.95): Interval {
  if (m.n < 2) return { low: Number.NaN, high: Number.NaN };
  const half = studentTQuantile(1 - (1 - confidence) / 2, m.n - 1) * Math.sqrt(m.variance / m.n);
  return { low: m.mean - half, high: m.mean + half };
}

/** Welch's two-sided t-test (unequal variances, Welch–Satterthwaite degrees of freedom). */
export function welchTTest(a: Moments, b: Moments): SliceTest & { df: number } {
  if (a.n < 2 || b.n < 2) return { statistic: Number.NaN, pValue: Number.NaN, df: Number.NaN };
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  if (se === 0) {
    const same = a.mean === b.mean;
    return {
      statistic: same ? 0 : Math.sign(a.mean - b.mean) * Infinity,
      pValue: same ? 1 : 0,
      df: Number.NaN,
    };
  }
  const t = (a.mean - b.mean) / se;
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  return { statistic: t, pValue: 2 * studentTCdf(-Math.abs(t), df), df };
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values): reject where q < α to keep the expected share
 * of false discoveries among the reported slices below α.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  // An untestable slice (NaN) counts as p = 1: it still adds to the number of tests.
  const p = pValues.map((v) => (Number.isNaN(v) ? 1 : v));
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => p[x]! - p[y]!);
  const q = new Array<number>(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = order[r]!;
    running = Math.min(running, (p[i]! * m) / (r + 1));
    q[i] = running;
  }
  return q;
}

/** Mean and sample variance from a sum and a sum of squares (aggregated per slice in one pass). */
export function momentsFromSums(sum: number, sumSquares: number, n: number): Moments {
  if (n <= 0) return { mean: Number.NaN, variance: Number.NaN, n: 0 };
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSquares - sum * mean) / (n - 1)) : Number.NaN;
  return { mean, variance, n };
}
