/**
 * t-SNE with scikit-learn 1.2.1's defaults and recipe: perplexity 30 on the
 * min(n − 1, ⌊3·perplexity + 1⌋) exact nearest neighbours (squared Euclidean distances; the same
 * binary search for each row's precision), P = (P + Pᵀ) / sum, early exaggeration 12 for 250
 * iterations, 1000 iterations, learning rate 'auto' = max(n / 12 / 4, 50), PCA initialisation
 * scaled to a first-axis standard deviation of 1e-4, seeded.
 *
 * The gradient is exact (all pairs): on the GPU the O(n²) repulsion runs as a tiled kernel
 * (src/gpu/kernels/tsne) — practical to a few tens of thousands of points on a real GPU;
 * on the CPU it costs n²/2 pair evaluations per iteration, fine to ~5,000 points (digits: ~10 s).
 * sklearn approximates the repulsion by Barnes–Hut (angle 0.5); see tests for the quality match.
 */
import { EngineError, throwIfAborted } from '../../engine/errors';
import type { Compute } from '../../gpu/device';
import { tsneAll } from '../../gpu/kernels/tsne/tsne';
import type { TsneInput } from '../../gpu/kernels/tsne/tsne.ref';
import { knnGraph } from './knn-graph';
import { pcaScores2 } from './pca2';
import type { EmbedContext } from './umap';

export interface TsneParams {
  perplexity?: number;
  earlyExaggeration?: number;
  /** 'auto' (default) or a number. */
  learningRate?: number | 'auto';
  nIter?: number;
  /** Report positions every this many iterations (default 10). */
  reportEvery?: number;
  /** Not used by the deterministic PCA initialisation; accepted for a uniform options object. */
  seed?: number;
}

const EXPLORATION_ITERS = 250;
const EPSILON_DBL = 1e-8;

/** sklearn's _binary_search_perplexity on one row of squared distances (float32 as sklearn). */
export function conditionalP(dist2: Float32Array, perplexity: number, out: Float64Array): void {
  const k = dist2.length;
  const desiredEntropy = Math.log(perplexity);
  let beta = 1;
  let betaMin = Number.NEGATIVE_INFINITY;
  let betaMax = Number.POSITIVE_INFINITY;
  for (let step = 0; step < 100; step++) {
    let sumP = 0;
    for (let s = 0; s < k; s++) {
      out[s] = Math.exp(-dist2[s]! * beta);
      sumP += out[s]!;
    }
    if (sumP === 0) sumP = EPSILON_DBL;
    let sumDistP = 0;
    for (let s = 0; s < k; s++) {
      out[s]! /= sumP;
      sumDistP += dist2[s]! * out[s]!;
    }
    const entropy = Math.log(sumP) + beta * sumDistP;
    const diff = entropy - desiredEntropy;
    if (Math.abs(diff) <= 1e-5) break;
    if (diff > 0) {
      betaMin = beta;
      beta = betaMax === Number.POSITIVE_INFINITY ? beta * 2 : (beta + betaMax) / 2;
    } else {
      betaMax = beta;
      beta = betaMin === Number.NEGATIVE_INFINITY ? beta / 2 : (beta + betaMin) / 2;
    }
  }
}

/** Symmetric joint probabilities from the kNN graph, CSR with ascending columns. */
export function jointProbabilities(
  indices: Int32Array,
  distances: Float64Array,
  n: number,
  k: number,
  perplexity: number,
): { rowStart: Uint32Array; col: Uint32Array; val: Float32Array } {
  const cond = new Float64Array(n * k);
  const row = new Float32Array(k);
  const p = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < k; s++) row[s] = distances[i * k + s]! ** 2;
    conditionalP(row, perplexity, p);
    cond.set(p, i * k);
  }
  // P + Pᵀ through a map per row, then normalise by the total.
  const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < k; s++) {
      const j = indices[i * k + s]!;
      const v = cond[i * k + s]!;
      rows[i]!.set(j, (rows[i]!.get(j) ?? 0) + v);
      rows[j]!.set(i, (rows[j]!.get(i) ?? 0) + v);
    }
  }
  let total = 0;
  const rowStart = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    rowStart[i + 1] = rowStart[i]! + rows[i]!.size;
    for (const v of rows[i]!.values()) total += v;
  }
  total = Math.max(total, Number.EPSILON);
  const col = new Uint32Array(rowStart[n]!);
  const val = new Float32Array(rowStart[n]!);
  for (let i = 0; i < n; i++) {
    const entries = [...rows[i]!.entries()].sort((x, y) => x[0] - y[0]);
    entries.forEach(([j, v], t) => {
      col[rowStart[i]! + t] = j;
      val[rowStart[i]! + t] = v / total;
    });
  }
  return { rowStart, col, val };
}

/** sklearn's PCA initialisation: first two PCA scores, scaled so the first has std 1e-4. */
export function pcaInit(X: Float32Array | Float64Array, n: number, d: number): Float32Array {
  const scores = pcaScores2(X, n, d);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += scores[2 * i]!;
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (scores[2 * i]! - mean) ** 2;
  const std = Math.sqrt(v / n) || 1;
  return Float32Array.from(scores, (s) => (s / std) * 1e-4);
}

export async function tsne(
  X: Float32Array | Float64Array,
  n: number,
  d: number,
  options: TsneParams,
  compute: Compute | null,
  ctx: EmbedContext = {},
): Promise<Float32Array> {
  const perplexity = options.perplexity ?? 30;
  if (!(perplexity > 0) || perplexity >= n)
    throw new EngineError(
      'InvalidArgument',
      `t-SNE needs 0 < perplexity < rows (${perplexity} with ${n} rows).`,
    );
  const { signal, onProgress } = ctx;
  onProgress?.(0);
  const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
  const graph = await knnGraph(compute, X, n, d, k, false, signal);
  throwIfAborted(signal);
  const P = jointProbabilities(graph.indices, graph.distances, n, graph.k, perplexity);
  onProgress?.(0.1);
  const exaggeration = options.earlyExaggeration ?? 12;
  const lr = options.learningRate ?? 'auto';
  const nIter = options.nIter ?? 1000;
  const input: TsneInput = {
    n,
    ...P,
    embedding: pcaInit(X, n, d),
    nIter,
    explorationIters: Math.min(EXPLORATION_ITERS, nIter),
    exaggeration,
    learningRate: lr === 'auto' ? Math.max(n / exaggeration / 4, 50) : lr,
    minGain: 0.01,
  };
  return tsneAll(compute, input, {
    ...(signal ? { signal } : {}),
    reportEvery: options.reportEvery ?? 10,
    onIteration: (done, positions) => onProgress?.(0.1 + (0.9 * done) / nIter, positions),
  });
}
