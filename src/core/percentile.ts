/**
 * numpy 1.24's linspace and percentile (method 'linear') operation by operation. Quantile-based
 * steps (QuantileTransformer, KBinsDiscretizer) place values *between* tied quantiles, so a
 * virtual index of 2.9999999999999996 instead of 3 changes outputs visibly: these follow numpy's
 * rounding, not only its formula. (stats.ts's percentileSorted is the same formula for the
 * steps that only need the value.)
 */

/** numpy.linspace(start, stop, num) with endpoint=True: i·step + start, the last value exactly stop. */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : i * step + start));
}

/** numpy.percentile(sorted, q) for a sorted array without NaN, q in [0, 100]. */
export function npPercentile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const quantile = q / 100;
  const virtual = (n - 1) * quantile;
  if (virtual >= n - 1) return sorted[n - 1]!;
  if (virtual < 0) return sorted[0]!;
  const prev = Math.floor(virtual);
  const gamma = virtual - prev;
  const a = sorted[prev]!;
  const b = sorted[prev + 1]!;
  const diff = b - a;
  // numpy's _lerp: from the nearer end.
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}
