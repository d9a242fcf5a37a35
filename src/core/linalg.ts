/**
 * Small dense linear algebra in float64 for the steps (PCA, TruncatedSVD): the symmetric
 * eigenproblem by cyclic Jacobi (accurate to rounding for the small d×d Gram matrices we
 * decompose), thin QR by modified Gram–Schmidt, and a randomized SVD after Halko et al. as
 * scikit-learn's `randomized_svd`. Matrices are row-major Float64Arrays with explicit shapes.
 */
import type { Rng } from './rng';

export interface Eigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** d×d row-major; column j is the unit eigenvector of values[j]. */
  vectors: Float64Array;
}

/** Eigen-decomposition of a symmetric d×d matrix (row-major; only read, not changed). */
export function symmetricEigen(matrix: Float64Array, d: number): Eigen {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < d; p++) {
      diag += a[p * d + p]! * a[p * d + p]!;
      for (let q = p + 1; q < d; q++) off += a[p * d + q]! * a[p * d + q]!;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (apq === 0) continue;
        const app = a[p * d + p]!;
        const aqq = a[q * d + q]!;
        // Skip rotations below rounding of both diagonal entries (classic Jacobi threshold).
        if (Math.abs(apq) < 1e-300 || (sweep > 3 && Math.abs(apq) <= 1e-18 * Math.sqrt(Math.abs(app * aqq))))
          continue;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => a[j * d + j]! - a[i * d + i]!);
  const values = Float64Array.from(order, (i) => a[i * d + i]!);
  const vectors = new Float64Array(d * d);
  order.forEach((src, dst) => {
    for (let k = 0; k < d; k++) vectors[k * d + dst] = v[k * d + src]!;
  });
  return { values, vectors };
}

/** C = A·B with A m×k and B k×n (row-major). */
export function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      if (aip === 0) continue;
      const row = p * n;
      const out = i * n;
      for (let j = 0; j < n; j++) c[out + j]! += aip * b[row + j]!;
    }
  }
  return c;
}

/** C = Aᵀ·B with A m×k and B m×n: a k×n result. */
export function matmulTransA(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array {
  const c = new Float64Array(k * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      if (aip === 0) continue;
      const out = p * n;
      const row = i * n;
      for (let j = 0; j < n; j++) c[out + j]! += aip * b[row + j]!;
    }
  }
  return c;
}

/** Orthonormal basis of the columns of an m×n matrix (n ≤ m), by twice-applied modified Gram–Schmidt. */
export function orthonormalize(a: Float64Array, m: number, n: number): Float64Array {
  const q = Float64Array.from(a);
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += q[i * n + p]! * q[i * n + j]!;
        for (let i = 0; i < m; i++) q[i * n + j]! -= dot * q[i * n + p]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += q[i * n + j]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) q[i * n + j] = norm > 0 ? q[i * n + j]! / norm : 0;
  }
  return q;
}

export interface Svd {
  /** Singular values, largest first (k of them). */
  s: Float64Array;
  /** k×d row-major: the right singular vectors as rows (sklearn's Vt / components_). */
  vt: Float64Array;
}

/**
 * Randomized SVD of an n×d matrix X (row-major) after Halko, Martinsson & Tropp, as sklearn's
 * randomized_svd: a Gaussian test matrix with k + oversamples columns, `iterations` power
 * iterations with re-orthonormalisation (sklearn normalises by LU; QR spans the same subspace),
 * then the exact SVD of the small projected matrix. Signs are left to the caller (svd_flip).
 */
export function randomizedSvd(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  iterations: number,
  oversamples = 10,
): Svd {
  const l = Math.min(k + oversamples, n, d);
  const omega = new Float64Array(d * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();
  let q = orthonormalize(matmul(x, omega, n, d, l), n, l);
  for (let it = 0; it < iterations; it++) {
    const z = orthonormalize(matmulTransA(x, q, n, d, l), d, l); // d×l
    q = orthonormalize(matmul(x, z, n, d, l), n, l);
  }
  const b = matmulTransA(q, x, n, l, d); // l×d
  // SVD of B through the eigenproblem of B·Bᵀ (l×l): only the leading k values are kept, whose
  // relative accuracy is not hurt by squaring.
  const bbt = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      let dot = 0;
      for (let p = 0; p < d; p++) dot += b[i * d + p]! * b[j * d + p]!;
      bbt[i * l + j] = dot;
      bbt[j * l + i] = dot;
    }
  }
  const { values, vectors } = symmetricEigen(bbt, l);
  const s = new Float64Array(k);
  const vt = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    const sigma = Math.sqrt(Math.max(values[c]!, 0));
    s[c] = sigma;
    for (let p = 0; p < d; p++) {
      let acc = 0;
      for (let i = 0; i < l; i++) acc += vectors[i * l + c]! * b[i * d + p]!;
      vt[c * d + p] = sigma > 0 ? acc / sigma : 0;
    }
  }
  return { s, vt };
}

/**
 * sklearn's svd_flip with u_based_decision=True, given the scores U·S = X·Vᵀ (n×k): each
 * component's sign makes the largest-magnitude score positive (first row wins ties, as argmax).
 * Flips `vt` (k×d) and `scores` in place.
 */
export function flipSigns(scores: Float64Array, vt: Float64Array, n: number, k: number, d: number): void {
  for (let c = 0; c < k; c++) {
    let best = -1;
    let sign = 1;
    for (let i = 0; i < n; i++) {
      const v = scores[i * k + c]!;
      if (Math.abs(v) > best) {
        best = Math.abs(v);
        sign = v < 0 ? -1 : 1;
      }
    }
    if (sign < 0) {
      for (let p = 0; p < d; p++) vt[c * d + p] = -vt[c * d + p]!;
      for (let i = 0; i < n; i++) scores[i * k + c] = -scores[i * k + c]!;
    }
  }
}
