/**
 * Column statistics in plain TypeScript: the oracle for the WGSL kernel in tests and the CPU
 * fallback when there is no GPU. Also home of the float64 moment merge (Chan et al.) that the GPU
 * path uses to combine its per-workgroup partials, so both paths finish the same way.
 */

export interface ColStats {
  /** Finite values. NaN and ±Infinity are counted separately and excluded from everything else. */
  count: number;
  nan: number;
  posInf: number;
  negInf: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  m2: number;
  /** Population variance (m2 / count). */
  variance: number;
  min: number;
  max: number;
  /** Set by the GPU path when the float64 reference computed this column instead: why. */
  fallback?: string;
}

/** Moments of a part of a column; `mean` is relative to a shift that the caller tracks. */
export interface Moments {
  n: number;
  nan: number;
  posInf: number;
  negInf: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

export function emptyMoments(): Moments {
  return { n: 0, nan: 0, posInf: 0, negInf: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity };
}

/** Merges `b` into `a` in place with Chan, Golub & LeVeque's pairwise update (float64). */
export function mergeMoments(a: Moments, b: Moments): Moments {
  a.nan += b.nan;
  a.posInf += b.posInf;
  a.negInf += b.negInf;
  if (b.n === 0) return a;
  if (a.n === 0) {
    a.n = b.n;
    a.mean = b.mean;
    a.m2 = b.m2;
  } else {
    const n = a.n + b.n;
    const d = b.mean - a.mean;
    const fb = b.n / n;
    a.mean += d * fb;
    a.m2 += b.m2 + d * d * a.n * fb;
    a.n = n;
  }
  if (b.min < a.min) a.min = b.min;
  if (b.max > a.max) a.max = b.max;
  return a;
}

/** Moments (mean relative to `shift`) → statistics. All-missing → NaN mean/variance/min/max. */
export function finishMoments(m: Moments, shift: number): ColStats {
  const base = { count: m.n, nan: m.nan, posInf: m.posInf, negInf: m.negInf };
  if (m.n === 0) return { ...base, mean: NaN, m2: NaN, variance: NaN, min: NaN, max: NaN };
  return { ...base, mean: shift + m.mean, m2: m.m2, variance: m.m2 / m.n, min: m.min, max: m.max };
}

/** Index of the first finite value, or -1. Its value is the shift that conditions the sums. */
export function firstFinite(col: ArrayLike<number>): number {
  for (let i = 0; i < col.length; i++) {
    if (Number.isFinite(col[i])) return i;
  }
  return -1;
}

/**
 * Corrected two-pass algorithm (Chan, Golub & LeVeque 1983) on values shifted by the first finite
 * value: pass 1 counts and sums, pass 2 sums squared deviations and subtracts the rounding residue
 * (Σd)²/n. Stable for data like 1e8 + small noise, and cheaper than Welford (no division per value).
 */
export function colStatsRef(col: Float32Array | Float64Array): ColStats {
  return finishMoments(...colMomentsRef(col, 0, col.length));
}

/** Moments of col[start, end), with the mean relative to the returned shift. */
export function colMomentsRef(
  col: Float32Array | Float64Array,
  start: number,
  end: number,
): [Moments, number] {
  const m = emptyMoments();
  const first = firstFinite(col.subarray(start, end));
  const shift = first < 0 ? 0 : (col[start + first] as number);
  // Each loop lives in its own small function: V8 optimises a long loop on-stack while the code
  // after it has no type feedback yet, then deoptimises on reaching it (measured: 3× slower).
  const sum = countAndSum(col, start, end, shift, m);
  if (m.n === 0) return [m, shift];
  m.mean = sum / m.n;
  const residue = { sq: 0, sum: 0 };
  if (m.n === end - start) sumSquaresDense(col, start, end, shift + m.mean, residue);
  else sumSquaresSparse(col, start, end, shift + m.mean, residue);
  // Corrected two-pass: subtract the rounding residue of the mean (Σd)²/n.
  m.m2 = Math.max(0, residue.sq - (residue.sum * residue.sum) / m.n);
  return [m, shift];
}

/** Pass 1: counts, finite min/max into `m`; returns Σ(x − shift) over finite x. */
function countAndSum(
  col: Float32Array | Float64Array,
  start: number,
  end: number,
  shift: number,
  m: Moments,
): number {
  let n = 0;
  let nan = 0;
  let posInf = 0;
  let negInf = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = start; i < end; i++) {
    const x = col[i] as number;
    if (x - x === 0) {
      n++;
      sum += x - shift;
      if (x < min) min = x;
      if (x > max) max = x;
    } else if (x === Infinity) posInf++;
    else if (x === -Infinity) negInf++;
    else nan++;
  }
  m.n = n;
  m.nan = nan;
  m.posInf = posInf;
  m.negInf = negInf;
  m.min = min;
  m.max = max;
  return sum;
}

/** Pass 2 without missing values: no branch in the loop. Note: `center` = shift + mean is
 * rounded once; the residue term corrects for it. */
function sumSquaresDense(
  col: Float32Array | Float64Array,
  start: number,
  end: number,
  center: number,
  out: { sq: number; sum: number },
): void {
  let sq = 0;
  let sum = 0;
  for (let i = start; i < end; i++) {
    const d = (col[i] as number) - center;
    sq += d * d;
    sum += d;
  }
  out.sq = sq;
  out.sum = sum;
}

function sumSquaresSparse(
  col: Float32Array | Float64Array,
  start: number,
  end: number,
  center: number,
  out: { sq: number; sum: number },
): void {
  let sq = 0;
  let sum = 0;
  for (let i = start; i < end; i++) {
    const x = col[i] as number;
    if (x - x === 0) {
      const d = x - center;
      sq += d * d;
      sum += d;
    }
  }
  out.sq = sq;
  out.sum = sum;
}
