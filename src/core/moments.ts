/**
 * A column's mean and variance, and the affine map (x − center) / scale, on the compute pool
 * (src/core/pool.ts): what StandardScaler's fit and transform run. Helper threads import this
 * module through workers/pool-kernels.ts.
 *
 * Summation order: the rows are cut into the pool's fixed chunks; each chunk sums from zero in row
 * order, and the chunks' sums are added in chunk order — on one thread or many, so the numbers are
 * the same bit for bit for any thread count. They differ from nanMoments (src/core/stats.ts: one
 * running sum) in the last bits only, and are closer to the exact sums (each rounding error
 * grows with the 8,192 rows of a chunk plus the number of chunks, not with n).
 *
 * The helpers run only when the column already is in shared memory (src/core/shared.ts: the
 * catalog's tables, the scaler's own outputs): copying it first would cost what the second core
 * saves on these one- and two-pass loops, so an ordinary column runs inline — the same numbers.
 */
import { computePool, defineKernel, isShared, sumSlots } from './pool';
import type { Moments } from './stats';

interface SumArgs {
  values: Float64Array;
}

/** partial = [sum of the present values, their count] over rows lo..hi. */
function sums(a: SumArgs, lo: number, hi: number, partial: Float64Array): void {
  const v = a.values;
  let sum = 0;
  let count = 0;
  for (let i = lo; i < hi; i++) {
    const x = v[i]!;
    if (!Number.isNaN(x)) {
      sum += x;
      count++;
    }
  }
  partial[0] = sum;
  partial[1] = count;
}
const sumsKernel = defineKernel('moments.sums', sums);

interface SquaresArgs {
  values: Float64Array;
  mean: number;
}

/** partial = [Σ (x − mean)², Σ (x − mean)] over the present values of rows lo..hi. */
function squares(a: SquaresArgs, lo: number, hi: number, partial: Float64Array): void {
  const { values: v, mean } = a;
  let ss = 0;
  let correction = 0;
  for (let i = lo; i < hi; i++) {
    const x = v[i]!;
    if (!Number.isNaN(x)) {
      const d = x - mean;
      ss += d * d;
      correction += d;
    }
  }
  partial[0] = ss;
  partial[1] = correction;
}
const squaresKernel = defineKernel('moments.squares', squares);

interface AffineArgs {
  values: Float64Array;
  center: number;
  scale: number;
  out: Float64Array;
}

/** out[i] = (values[i] − center) / scale for rows lo..hi (NaN stays NaN). */
function affine(a: AffineArgs, lo: number, hi: number): void {
  const { values: v, center, scale, out } = a;
  for (let i = lo; i < hi; i++) out[i] = (v[i]! - center) / scale;
}
const affineKernel = defineKernel('moments.affine', affine);

/**
 * Count, mean and population variance (ddof 0) of the non-NaN values: the corrected two-pass
 * algorithm of nanMoments (Chan, Golub & LeVeque, as sklearn), summed in fixed chunks.
 */
export async function pooledMoments(values: Float64Array, signal?: AbortSignal): Promise<Moments> {
  const pool = computePool();
  const inline = !isShared(values);
  const n = values.length;
  const s = sumSlots(await pool.run(sumsKernel, { values }, n, { partialSize: 2, inline, signal }), 2);
  const count = s[1]!;
  const mean = count > 0 ? s[0]! / count : Number.NaN;
  const q = sumSlots(
    await pool.run(squaresKernel, { values, mean }, n, { partialSize: 2, rowCost: 2, inline, signal }),
    2,
  );
  const variance = count > 0 ? (q[0]! - (q[1]! * q[1]!) / count) / count : Number.NaN;
  return { count, mean, variance: Math.max(variance, 0) };
}

/**
 * (values − center) / scale into a new column, in shared memory when the pool has helpers (so the
 * next step's kernels read it with no copy). Each value is computed alone: any thread count gives
 * the same numbers.
 */
export async function pooledAffine(
  values: Float64Array,
  center: number,
  scale: number,
  signal?: AbortSignal,
): Promise<Float64Array> {
  const pool = computePool();
  const out = pool.alloc(Float64Array, values.length);
  await pool.run(affineKernel, { values, center, scale, out }, values.length, {
    partialSize: 0,
    rowCost: 2,
    inline: !isShared(values) || !isShared(out),
    signal,
  });
  return out;
}
