/**
 * NaN-aware column statistics on Float64 arrays (NaN = missing), matching numpy's nan* functions:
 * two-pass variance (ddof=0) and percentiles with numpy's default linear interpolation.
 */
import { EngineError } from './errors';

export interface Moments {
  count: number;
  mean: number;
  /** Population variance (ddof=0). */
  variance: number;
}

/** The sum and count of the non-NaN values, summed in order. */
function nanSum(values: Float64Array): { sum: number; count: number } {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      sum += v;
      count++;
    }
  }
  return { sum, count };
}

/** The mean of the non-NaN values: nanMoments(values).mean without the second pass. */
export function nanMean(values: Float64Array): number {
  const { sum, count } = nanSum(values);
  return count > 0 ? sum / count : Number.NaN;
}

export function nanMoments(values: Float64Array): Moments {
  const { sum, count } = nanSum(values);
  const mean = count > 0 ? sum / count : Number.NaN;
  let ss = 0;
  let correction = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      const d = v - mean;
      ss += d * d;
      correction += d;
    }
  }
  // The correction term of the corrected two-pass algorithm (Chan, Golub & LeVeque), as sklearn uses.
  const variance = count > 0 ? (ss - (correction * correction) / count) / count : Number.NaN;
  return { count, mean, variance: Math.max(variance, 0) };
}

/** Present values, sorted ascending (a fresh array). */
export function sortedPresent(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) out[k++] = v;
  }
  return out.sort();
}

export function nanMinMax(values: Float64Array): { min: number; max: number; count: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
      count++;
    }
  }
  return count > 0 ? { min, max, count } : { min: Number.NaN, max: Number.NaN, count };
}

const EPS = 2.220446049250313e-16;

/** sklearn's _handle_zeros_in_scale: scales too close to zero become 1 (the feature is kept as is). */
export function safeScale(scale: number, constant = false): number {
  return constant || scale < 10 * EPS ? 1 : scale;
}

/** sklearn's _is_constant_feature: a variance this small is rounding noise of a constant column. */
export function isConstantFeature(variance: number, mean: number, n: number): boolean {
  const bound = n * EPS * variance + (n * mean * EPS) ** 2;
  return variance <= bound;
}

/** Fitting needs at least one present value per column. */
export function requirePresent(step: string, column: string, count: number): void {
  if (count === 0) {
    throw new EngineError(
      'SchemaError',
      `${step} cannot fit column "${column}": it has no values in the training rows.`,
      {
        columnName: column,
        hint: 'Impute or drop the column before this step.',
        // The one-click fix (a StepFixProposal, src/pipeline/types.ts). Not an imputer: with no
        // training value there is nothing to fill from (sklearn's SimpleImputer drops it too).
        fixes: [
          {
            kind: 'insert-step',
            label: `Drop "${column}" (no values to learn from in some folds)`,
            step: { step: 'DropColumns', params: {}, columns: [column] },
          },
        ],
      },
    );
  }
}

export function hasMissing(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i]!)) return true;
  return false;
}

/** Pearson r over rows where both are finite (pandas' pairwise-complete corr()); NaN when fewer
 * than two such rows or either side is constant. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): { r: number; n: number } {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as number;
    const b = y[i] as number;
    if (a - a === 0 && b - b === 0) {
      n++;
      sx += a;
      sy += b;
    }
  }
  if (n < 2) return { r: Number.NaN, n };
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = (x[i] as number) - mx;
    const b = (y[i] as number) - my;
    if (a - a === 0 && b - b === 0) {
      sxx += a * a;
      syy += b * b;
      sxy += a * b;
    }
  }
  if (sxx === 0 || syy === 0) return { r: Number.NaN, n };
  return { r: Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy))), n };
}
