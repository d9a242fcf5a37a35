/** Small dense linear algebra in float64 for the models (normal equations, statistics). */
import type { Matrix } from './model';

/** Column means of X. */
export function columnMeans(X: Matrix): Float64Array {
  const { rows, cols, data } = X;
  const mean = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j]! += data[i * cols + j]!;
  for (let j = 0; j < cols; j++) mean[j]! /= rows || 1;
  return mean;
}

/**
 * (X − mean)ᵀ(X − mean), d × d. Rows go four at a time: each entry still adds its terms one row
 * after another, in row order (so the result is bit-identical to a row-by-row loop), but G is
 * read and written once per four rows — 2× faster on Ridge's 800 × 279 one-hot folds. A centred
 * value that is exactly 0 adds no term (that row alone takes the row-by-row path for it).
 */
export function centeredGram(X: Matrix, mean: Float64Array): Float64Array {
  const { rows, cols: d, data } = X;
  const G = new Float64Array(d * d);
  const R = new Float64Array(4 * d);
  const d2 = 2 * d;
  const d3 = 3 * d;
  for (let i = 0; i < rows; i += 4) {
    const m = Math.min(4, rows - i);
    for (let k = 0; k < m; k++) {
      const o = (i + k) * d;
      for (let j = 0; j < d; j++) R[k * d + j] = data[o + j]! - mean[j]!;
    }
    for (let a = 0; a < d; a++) {
      const base = a * d;
      const p0 = R[a]!;
      const p1 = R[d + a]!;
      const p2 = R[d2 + a]!;
      const p3 = R[d3 + a]!;
      if (m === 4 && p0 !== 0 && p1 !== 0 && p2 !== 0 && p3 !== 0) {
        for (let b = a; b < d; b++)
          G[base + b] = G[base + b]! + p0 * R[b]! + p1 * R[d + b]! + p2 * R[d2 + b]! + p3 * R[d3 + b]!;
      } else {
        for (let k = 0; k < m; k++) {
          const p = R[k * d + a]!;
          if (p === 0) continue;
          const o = k * d;
          for (let b = a; b < d; b++) G[base + b]! += p * R[o + b]!;
        }
      }
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) G[a * d + b] = G[b * d + a]!;
  return G;
}

/**
 * Solves the symmetric positive (semi-)definite system A x = b by Cholesky. A singular A (collinear
 * or constant features) gets a tiny ridge, which picks a near-minimum-norm solution like lstsq.
 * The ridge is relative to each column's own diagonal (as if the columns were standardised): one
 * ridge scaled to the mean diagonal let a column in the billions (txhousing's sales volume) swamp
 * 0/1 one-hot columns — LinearRegression scored R² 0.26 where scikit-learn's lstsq scores 0.89.
 */
export function solveSpd(A: Float64Array, b: Float64Array, d: number): Float64Array {
  let trace = 0;
  for (let j = 0; j < d; j++) trace += A[j * d + j]!;
  const floor = trace / d || 1;
  for (let jitter = 0; ; jitter = jitter === 0 ? 1e-12 : jitter * 100) {
    const L = cholesky(A, d, jitter, floor);
    if (L) {
      const y = new Float64Array(d);
      for (let i = 0; i < d; i++) {
        let s = b[i]!;
        for (let k = 0; k < i; k++) s -= L[i * d + k]! * y[k]!;
        y[i] = s / L[i * d + i]!;
      }
      const x = new Float64Array(d);
      for (let i = d - 1; i >= 0; i--) {
        let s = y[i]!;
        for (let k = i + 1; k < d; k++) s -= L[k * d + i]! * x[k]!;
        x[i] = s / L[i * d + i]!;
      }
      return x;
    }
  }
}

/** Cholesky of A + jitter·diag(A) (a zero diagonal gets jitter·floor); null when not positive. */
function cholesky(A: Float64Array, d: number, jitter: number, floor: number): Float64Array | null {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const aii = A[i * d + i]!;
    const ridge = jitter * (aii > 0 ? aii : floor);
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j]! + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) s -= L[i * d + k]! * L[j * d + k]!;
      if (i === j) {
        if (!(s > 1e-14 * (Math.abs(aii) + ridge) && s > 0)) return null;
        L[i * d + i] = Math.sqrt(s);
      } else L[i * d + j] = s / L[j * d + j]!;
    }
  }
  return L;
}

/** Loss and gradient (written into `grad`) at w. */
export type Objective = (w: Float64Array, grad: Float64Array) => Promise<number> | number;

export interface LbfgsOptions {
  maxIter: number;
  /** Stop when max |gradient| ≤ gtol (scipy's pgtol, sklearn passes `tol`). */
  gtol: number;
  memory?: number;
  /**
   * Per-coordinate L1 weights λ ≥ 0: minimise f(w) + Σ λ·|w| by OWL-QN (Andrew & Gao 2007), i.e.
   * L-BFGS on the smooth part with the pseudo-gradient, each step kept inside one orthant so that
   * coefficients land on exact zeros. The reported loss includes the L1 term, and gtol applies to
   * the pseudo-gradient (the minimum-norm subgradient). Absent: plain L-BFGS.
   */
  l1?: Float64Array;
  onIteration?(iteration: number, loss: number): void;
}

function l1Term(l1: Float64Array, w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += l1[i]! * Math.abs(w[i]!);
  return s;
}

/** The minimum-norm subgradient of f + Σ λ·|w| (g is f's gradient). */
function pseudoGradient(w: Float64Array, g: Float64Array, l1: Float64Array, out: Float64Array): void {
  for (let i = 0; i < w.length; i++) {
    const lambda = l1[i]!;
    const wi = w[i]!;
    const gi = g[i]!;
    if (lambda === 0 || wi > 0) out[i] = gi + (wi > 0 ? lambda : 0);
    else if (wi < 0) out[i] = gi - lambda;
    else if (gi + lambda < 0) out[i] = gi + lambda;
    else if (gi - lambda > 0) out[i] = gi - lambda;
    else out[i] = 0;
  }
}

/** L-BFGS (OWL-QN with `l1`) with a backtracking (Armijo) line search; returns the iterations used. */
export async function lbfgs(
  f: Objective,
  w: Float64Array,
  options: LbfgsOptions,
): Promise<{ loss: number; iterations: number }> {
  const n = w.length;
  const m = options.memory ?? 10;
  const l1 = options.l1 ?? null;
  const g = new Float64Array(n);
  let loss = await f(w, g);
  if (l1) loss += l1Term(l1, w);
  // The direction and the stopping rule follow the pseudo-gradient; without L1 it is g itself.
  const pg = l1 ? new Float64Array(n) : g;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const dir = new Float64Array(n);
  const wNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const alpha = new Float64Array(m);
  let iter = 0;
  for (; iter < options.maxIter; iter++) {
    if (l1) pseudoGradient(w, g, l1, pg);
    let gmax = 0;
    for (let i = 0; i < n; i++) gmax = Math.max(gmax, Math.abs(pg[i]!));
    if (gmax <= options.gtol || !Number.isFinite(loss)) break;
    // Two-loop recursion: dir = −H·g.
    for (let i = 0; i < n; i++) dir[i] = -pg[i]!;
    for (let k = S.length - 1; k >= 0; k--) {
      let a = 0;
      for (let i = 0; i < n; i++) a += S[k]![i]! * dir[i]!;
      a *= rho[k]!;
      alpha[k] = a;
      for (let i = 0; i < n; i++) dir[i]! -= a * Y[k]![i]!;
    }
    if (S.length > 0) {
      const k = S.length - 1;
      let sy = 0;
      let yy = 0;
      for (let i = 0; i < n; i++) {
        sy += S[k]![i]! * Y[k]![i]!;
        yy += Y[k]![i]! * Y[k]![i]!;
      }
      const gamma = sy / yy;
      for (let i = 0; i < n; i++) dir[i]! *= gamma;
    } else {
      // First step: a unit-length move, so badly scaled data cannot overflow the first trial.
      let norm = 0;
      for (let i = 0; i < n; i++) norm += dir[i]! * dir[i]!;
      const scale = 1 / Math.max(1, Math.sqrt(norm));
      for (let i = 0; i < n; i++) dir[i]! *= scale;
    }
    for (let k = 0; k < S.length; k++) {
      let b = 0;
      for (let i = 0; i < n; i++) b += Y[k]![i]! * dir[i]!;
      b *= rho[k]!;
      for (let i = 0; i < n; i++) dir[i]! += S[k]![i]! * (alpha[k]! - b);
    }
    // OWL-QN: a penalised coordinate moves only where the pseudo-gradient points.
    if (l1) for (let i = 0; i < n; i++) if (l1[i]! > 0 && dir[i]! * pg[i]! >= 0) dir[i] = 0;
    let slope = 0;
    for (let i = 0; i < n; i++) slope += pg[i]! * dir[i]!;
    if (!(slope < 0)) {
      // Not a descent direction (curvature information went stale): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) dir[i] = -pg[i]!;
      slope = 0;
      for (let i = 0; i < n; i++) slope += pg[i]! * dir[i]!;
    }
    let step = 1;
    let newLoss = Number.NaN;
    for (let tries = 0; tries < 60; tries++, step *= 0.5) {
      for (let i = 0; i < n; i++) wNew[i] = w[i]! + step * dir[i]!;
      if (l1) {
        // Stay in the orthant of w (of −pg where w is 0): a coefficient that would cross zero stops at it.
        let decrease = 0;
        for (let i = 0; i < n; i++) {
          if (l1[i]! > 0) {
            const orthant = w[i] !== 0 ? Math.sign(w[i]!) : -Math.sign(pg[i]!);
            if (wNew[i]! * orthant <= 0) wNew[i] = 0;
          }
          decrease += pg[i]! * (wNew[i]! - w[i]!);
        }
        newLoss = (await f(wNew, gNew)) + l1Term(l1, wNew);
        if (Number.isFinite(newLoss) && newLoss <= loss + 1e-4 * decrease) break;
        continue;
      }
      newLoss = await f(wNew, gNew);
      if (Number.isFinite(newLoss) && newLoss <= loss + 1e-4 * step * slope) break;
    }
    if (!(newLoss <= loss)) break; // no progress possible at float precision
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = wNew[i]! - w[i]!;
      y[i] = gNew[i]! - g[i]!;
      sy += s[i]! * y[i]!;
    }
    const improvement = loss - newLoss;
    w.set(wNew);
    g.set(gNew);
    loss = newLoss;
    options.onIteration?.(iter + 1, loss);
    if (sy > 1e-12) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    // scipy's factr-style stop: relative reduction at machine precision.
    if (improvement <= 2.2e-16 * Math.max(Math.abs(loss), Math.abs(newLoss), 1)) {
      iter++;
      break;
    }
  }
  return { loss, iterations: iter };
}
