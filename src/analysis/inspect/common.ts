/**
 * What partial dependence and counterfactuals share: their run context, which features count as
 * categorical, and seeded row sampling. Both always predict through benchtop-runtime's predictor,
 * so the numbers are the deployment's own.
 */
import type { Rng } from '../../core/rng';
import type { Compute } from '../../gpu/device';
import type { FeatureContract } from '../../runtime';

export interface InspectContext {
  compute: Compute | null;
  signal: AbortSignal;
  /** Fraction done in [0, 1] and what is happening. */
  progress(fraction: number, note: string): void;
}

const NUMERIC: ReadonlySet<string> = new Set(['integer', 'float', 'date', 'datetime']);

export const isCategorical = (f: FeatureContract) => !NUMERIC.has(f.type);

/** `k` distinct indexes of [0, n), drawn with `rng` (partial Fisher–Yates), ascending. */
export function sampleRows(n: number, k: number, rng: Rng): number[] {
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  const pool = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    out.push(pool.get(j) ?? j);
    pool.set(j, pool.get(i) ?? i);
  }
  return out.sort((a, b) => a - b);
}
