/**
 * numpy 1.24's linspace and percentile (method 'linear') operation by operation. Quantile-based
 * steps (QuantileTransformer, KBinsDiscretizer) place values *between* tied quantiles, so a
 * virtual index of 2.9999999999999996 instead of 3 changes outputs visibly: these follow numpy's
 * rounding, not only its formula. The one percentile/quantile of the project: steps, profile and
 * Explore all use these.
 */

/** numpy.linspace(start, stop, num) with endpoint=True: i·step + start, the last value exactly stop. */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : i * step + start));
}

/** numpy's _lerp: exact at both ends and monotonic in t. */
export function lerp(a: number, b: number, t: number): number {
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/** numpy.quantile(sorted, q) ('linear' method) for an ascending array without NaN, q in [0, 1]. */
export function quantileSorted(sorted: ArrayLike<number>, quantile: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const virtual = (n - 1) * quantile;
  if (virtual >= n - 1) return sorted[n - 1]!;
  if (virtual < 0) return sorted[0]!;
  const prev = Math.floor(virtual);
  const gamma = virtual - prev;
  if (gamma === 0) return sorted[prev]!;
  return lerp(sorted[prev]!, sorted[prev + 1]!, gamma);
}

/** numpy.percentile(sorted, q) for a sorted array without NaN, q in [0, 100] (numpy divides by
 * 100 first, so this is quantileSorted(sorted, q / 100) bit for bit). */
export function npPercentile(sorted: ArrayLike<number>, q: number): number {
  return quantileSorted(sorted, q / 100);
}
