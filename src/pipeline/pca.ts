/**
 * Principal component analysis as scikit-learn 1.2's PCA computes it — the one implementation
 * behind the PCA step and the Explore tab's PCA view. 'full': eigenvectors of the centred Gram
 * matrix (on the GPU when there is one), refined by a second decomposition of the rotated data;
 * 'randomized': seeded randomized SVD. Signs as sklearn's svd_flip (the largest |score| of each
 * component is positive).
 */
import { throwIfAborted } from '../core/errors';
import { flipSigns, matmul, randomizedSvd, symmetricEigen } from '../core/linalg';
import { pooledProject } from '../core/project';
import type { Rng } from '../core/rng';
import { nanMoments } from '../core/stats';
import type { Compute } from '../gpu/device';
import { gram } from '../gpu/kernels/gram/gram';
import { gramPooled } from '../gpu/kernels/gram/gram.cpu';
import { rowMajor } from './projection';

export type PcaSolver = 'auto' | 'full' | 'randomized';

export interface PcaContext {
  compute: Compute | null;
  signal: AbortSignal;
  /** Needed by the randomized solver only. */
  rng?: Rng;
}

export interface PrincipalAxes {
  /** k×d: the principal axes (sklearn's components_). */
  components: number[][];
  /** Variance along each axis (ddof = 1). */
  explainedVariance: number[];
  /** Sum of the variances of all columns (ddof = 1): the denominator of explained_variance_ratio_. */
  totalVariance: number;
  singularValues: number[];
  /** n×k row-major scores of the training rows, signs matching `components`. */
  scores: Float64Array;
}

/** Largest n·d² for which the full solver refines its eigenvectors on the rotated data. */
const REFINE_LIMIT = 2e8;

/** The Gram matrix of the centred columns: on the GPU when there is one, else in float64 on the
 * CPU (blocked, WASM SIMD, on every core of the compute pool: gram.cpu.ts). */
async function centredGram(
  columns: Float64Array[],
  mean: number[] | null,
  ctx: PcaContext,
): Promise<Float64Array> {
  const cpu = () => gramPooled(columns, mean, { signal: ctx.signal });
  if (!ctx.compute) return cpu();
  return ctx.compute.run((gpu) =>
    gpu ? gram(gpu, columns, mean, { signal: ctx.signal }).then((r) => r.gram) : cpu(),
  );
}

/** The first k columns of a d×d row-major matrix, as k rows of d numbers. */
function columnsAsRows(m: Float64Array, d: number, k: number): number[][] {
  return Array.from({ length: k }, (_, c) => Array.from({ length: d }, (_, p) => m[p * d + c]!));
}

/** sklearn 1.2's svd_solver='auto' rule. */
export function chooseSolver(solver: PcaSolver, n: number, d: number, k: number): 'full' | 'randomized' {
  if (solver !== 'auto') return solver;
  if (Math.max(n, d) <= 500) return 'full';
  return k >= 1 && k < 0.8 * Math.min(n, d) ? 'randomized' : 'full';
}

/** k principal axes of the columns (no missing values) centred at `mean`. */
export async function principalAxes(
  values: Float64Array[],
  mean: number[],
  k: number,
  solver: PcaSolver,
  ctx: PcaContext,
): Promise<PrincipalAxes> {
  const n = values[0]?.length ?? 0;
  const d = values.length;
  const maxK = Math.min(n, d);
  let vt: Float64Array;
  let eigen: Float64Array; // squared singular values, largest first (k of them, or all)
  let totalVariance: number;
  if (chooseSolver(solver, n, d, k) === 'full' || !ctx.rng) {
    // Eigenvectors of XᵀX carry an absolute error of ~ε·λ_max, which swamps components with
    // tiny variance. Rotating X onto them and decomposing the Gram matrix of the rotated data
    // again (nearly diagonal now) gives each component an error relative to its own size, like
    // an SVD of X would (sklearn's 'full').
    // The second pass costs another n·d² (projection and Gram); past REFINE_LIMIT the components
    // keep the first pass's ε·λ_max error, which only matters for near-zero variances.
    const first = symmetricEigen(await centredGram(values, mean, ctx), d);
    throwIfAborted(ctx.signal);
    let v = first.vectors;
    let second = first;
    if (n * d * d <= REFINE_LIMIT) {
      const rotated = await pooledProject(values, mean, columnsAsRows(first.vectors, d, d), ctx.signal);
      second = symmetricEigen(await centredGram(rotated, null, ctx), d);
      v = matmul(first.vectors, second.vectors, d, d, d);
    }
    vt = new Float64Array(k * d);
    for (let c = 0; c < k; c++) for (let p = 0; p < d; p++) vt[c * d + p] = v[p * d + c]!;
    eigen = second.values.map((x) => Math.max(x, 0));
    // Only min(n, d) singular values exist; the rest of the d eigenvalues are rounding noise.
    totalVariance = eigen.subarray(0, maxK).reduce((s, x) => s + x, 0) / (n - 1);
  } else {
    const iterations = k < 0.1 * maxK ? 7 : 4;
    const svd = randomizedSvd(rowMajor(values, mean), n, d, k, ctx.rng, iterations);
    vt = svd.vt;
    eigen = svd.s.map((s) => s * s);
    totalVariance = values.reduce((s, v) => s + (nanMoments(v).variance * n) / (n - 1), 0);
  }
  throwIfAborted(ctx.signal);
  const rows = (m: Float64Array) =>
    Array.from({ length: k }, (_, c) => Array.from(m.subarray(c * d, (c + 1) * d)));
  const scores = rowMajor(await pooledProject(values, mean, rows(vt), ctx.signal));
  flipSigns(scores, vt, n, k, d);
  return {
    components: rows(vt),
    explainedVariance: Array.from(eigen.subarray(0, k), (x) => x / (n - 1)),
    totalVariance,
    singularValues: Array.from(eigen.subarray(0, k), Math.sqrt),
    scores,
  };
}
