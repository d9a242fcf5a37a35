/**
 * The first two principal-component scores of the rows of X (centered, not scaled), for the
 * 'pca' embedding and t-SNE's PCA initialisation. Orthogonal iteration on the d × d covariance
 * (d is the number of features, small next to n), then a 2 × 2 Rayleigh–Ritz step to order the
 * components. Signs follow sklearn's svd_flip: the score of largest magnitude is positive.
 */
import { createRng } from '../../core/rng';

export function pcaScores2(X: Float32Array | Float64Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) mean[c]! += X[i * d + c]!;
  for (let c = 0; c < d; c++) mean[c]! /= n || 1;
  const C = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) row[c] = X[i * d + c]! - mean[c]!;
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      for (let b = a; b < d; b++) C[a * d + b]! += ra * row[b]!;
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) C[a * d + b] = C[b * d + a]!;
  // Orthogonal iteration for the top-2 invariant subspace (fixed start: deterministic).
  const rng = createRng(0x5eed);
  let V: Float64Array[] = [
    Float64Array.from({ length: d }, () => rng.normal()),
    Float64Array.from({ length: d }, () => rng.normal()),
  ];
  const mul = (v: Float64Array): Float64Array => {
    const out = new Float64Array(d);
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += C[a * d + b]! * v[b]!;
      out[a] = s;
    }
    return out;
  };
  const gramSchmidt = (vs: Float64Array[]): void => {
    for (let k = 0; k < vs.length; k++) {
      const v = vs[k]!;
      for (let p = 0; p < k; p++) {
        const u = vs[p]!;
        let dot = 0;
        for (let c = 0; c < d; c++) dot += v[c]! * u[c]!;
        for (let c = 0; c < d; c++) v[c]! -= dot * u[c]!;
      }
      let norm = 0;
      for (let c = 0; c < d; c++) norm += v[c]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let c = 0; c < d; c++) v[c]! /= norm;
    }
  };
  gramSchmidt(V);
  for (let it = 0; it < 1000; it++) {
    const W = V.map(mul);
    gramSchmidt(W);
    let change = 0;
    for (let k = 0; k < 2; k++) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += W[k]![c]! * V[k]![c]!;
      change = Math.max(change, 1 - Math.abs(dot));
    }
    V = W;
    if (change < 1e-14) break;
  }
  // Rayleigh–Ritz on span(V): eigenvectors of the 2 × 2 projected covariance.
  const CV = V.map(mul);
  const h00 = dot2(V[0]!, CV[0]!);
  const h01 = dot2(V[0]!, CV[1]!);
  const h11 = dot2(V[1]!, CV[1]!);
  const theta = 0.5 * Math.atan2(2 * h01, h00 - h11);
  const cs = Math.cos(theta);
  const sn = Math.sin(theta);
  const comps = [V[0]!.map((v, c) => cs * v + sn * V[1]![c]!), V[0]!.map((v, c) => -sn * v + cs * V[1]![c]!)];
  const scores = new Float64Array(n * 2);
  for (let k = 0; k < 2; k++) {
    const comp = comps[k]!;
    let best = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (X[i * d + c]! - mean[c]!) * comp[c]!;
      scores[i * 2 + k] = s;
      if (Math.abs(s) > Math.abs(best)) best = s;
    }
    if (best < 0) for (let i = 0; i < n; i++) scores[i * 2 + k] = -scores[i * 2 + k]!;
  }
  return scores;
}

function dot2(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
