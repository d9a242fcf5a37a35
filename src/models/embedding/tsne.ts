/**
 * t-SNE with scikit-learn 1.2.1's defaults and recipe: perplexity 30 on the
 * min(n − 1, ⌊3·perplexity + 1⌋) nearest neighbours (squared Euclidean distances; the same
 * binary search for each row's precision), P = (P + Pᵀ) / sum, early exaggeration 12 for 250
 * iterations, 1000 iterations, learning rate 'auto' = max(n / 12 / 4, 50), PCA initialisation
 * scaled to a first-axis standard deviation of 1e-4, seeded.
 *
 * The attraction runs over the sparse P; the repulsion over all pairs is computed by one of
 * (`tsneMethod`, sklearn's `method`):
 * - 'exact': all pairs — a tiled O(n²) WebGPU kernel (src/gpu/kernels/tsne) or n²/2 pair
 *   evaluations per iteration on the CPU;
 * - 'barnes_hut': sklearn's quadtree with `angle` 0.5 (./barnes-hut.ts), O(n log n), CPU only;
 * - 'fft': FIt-SNE's interpolation on a grid with FFT convolutions (src/gpu/kernels/tsne-fft),
 *   O(n + L² log L) — WebGPU kernels, or their CPU reference without a GPU.
 * 'auto' (the default) keeps the exact gradient below EXACT_BELOW rows and above it takes 'fft'
 * with a GPU and 'barnes_hut' without. Above APPROXIMATE_ABOVE rows without a GPU the neighbours
 * come from NN-descent (seeded by `seed`), as openTSNE and FIt-SNE use approximate neighbours.
 */

import { cooperate } from '../../core/cooperate';
import { EngineError, throwIfAborted } from '../../core/errors';
import { createRng } from '../../core/rng';
import type { Compute } from '../../gpu/device';
import { tsneAll } from '../../gpu/kernels/tsne/tsne';
import { type TsneInput, tsneDescent } from '../../gpu/kernels/tsne/tsne.ref';
import { tsneFftAll } from '../../gpu/kernels/tsne-fft/tsne-fft';
import { barnesHutRepulsion } from './barnes-hut';
import { knnGraph } from './knn-graph';
import { pcaScores2 } from './pca2';
import type { EmbedContext } from './umap';

export type TsneMethod = 'auto' | 'exact' | 'barnes_hut' | 'fft';

/** 'auto' uses the exact gradient below this many rows. */
export const EXACT_BELOW = 5000;

/** NN-descent's candidates per row and iteration for t-SNE's 91 neighbours (see nn-descent.ts). */
const DESCENT_CANDIDATES = 24;

export interface TsneParams {
  perplexity?: number;
  earlyExaggeration?: number;
  /** 'auto' (default) or a number. */
  learningRate?: number | 'auto';
  nIter?: number;
  /** Report positions every this many iterations (default 10). */
  reportEvery?: number;
  /** Seeds NN-descent (approximate neighbours on the CPU above 4096 rows); the rest is deterministic. */
  seed?: number;
  /** sklearn's `method` (under another name beside embed's own `method`); see the header. */
  tsneMethod?: TsneMethod;
  /** Barnes–Hut's accuracy/speed trade-off, sklearn's `angle` (default 0.5; 0 is exact). */
  angle?: number;
}

/** The repulsion method 'auto' resolves to for n rows. */
export function resolveTsneMethod(method: TsneMethod, n: number, gpu: boolean): Exclude<TsneMethod, 'auto'> {
  if (method !== 'auto') return method;
  if (n < EXACT_BELOW) return 'exact';
  return gpu ? 'fft' : 'barnes_hut';
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

/** Each row's conditional probabilities (n × k): sklearn's binary search, row by row. Async so a
 * long run (seconds on 200k rows) yields to cancel between blocks of rows. */
export async function conditionalProbabilities(
  distances: Float64Array,
  n: number,
  k: number,
  perplexity: number,
  signal?: AbortSignal,
): Promise<Float64Array> {
  const cond = new Float64Array(n * k);
  for (let from = 0; from < n; from += 1024) {
    await cooperate(signal);
    conditionalRows(distances, k, perplexity, from, Math.min(n, from + 1024), cond);
  }
  return cond;
}

function conditionalRows(
  distances: Float64Array,
  k: number,
  perplexity: number,
  from: number,
  to: number,
  cond: Float64Array,
): void {
  const row = new Float32Array(k);
  const p = new Float64Array(k);
  for (let i = from; i < to; i++) {
    for (let s = 0; s < k; s++) row[s] = distances[i * k + s]! ** 2;
    conditionalP(row, perplexity, p);
    cond.set(p, i * k);
  }
}

/** Symmetric joint probabilities from the kNN graph, CSR with ascending columns (`conditional`:
 * the rows' conditional probabilities when already computed). */
export function jointProbabilities(
  indices: Int32Array,
  distances: Float64Array,
  n: number,
  k: number,
  perplexity: number,
  conditional?: Float64Array,
): { rowStart: Uint32Array; col: Uint32Array; val: Float32Array } {
  let cond = conditional;
  if (!cond) {
    cond = new Float64Array(n * k);
    conditionalRows(distances, k, perplexity, 0, n, cond);
  }
  // P + Pᵀ: every entry (i, j) goes to row i and (transposed) to row j; each row is then sorted
  // by column and equal columns (i ↔ j in each other's lists) are summed. Typed arrays, not maps:
  // at 70k rows there are 12.7M entries.
  const count = new Uint32Array(n + 1);
  for (let e = 0; e < n * k; e++) {
    count[((e / k) | 0) + 1]!++;
    count[indices[e]! + 1]!++;
  }
  for (let i = 0; i < n; i++) count[i + 1]! += count[i]!;
  const fill = count.slice(0, n);
  const cols = new Uint32Array(count[n]!);
  const vals = new Float64Array(count[n]!);
  for (let e = 0; e < n * k; e++) {
    const i = (e / k) | 0;
    const j = indices[e]!;
    cols[fill[i]!] = j;
    vals[fill[i]!++] = cond[e]!;
    cols[fill[j]!] = i;
    vals[fill[j]!++] = cond[e]!;
  }
  const rowStart = new Uint32Array(n + 1);
  const outCol = new Uint32Array(count[n]!);
  const sums = new Float64Array(count[n]!);
  let keys = new Float64Array(0);
  let w = 0;
  for (let i = 0; i < n; i++) {
    const start = count[i]!;
    const len = count[i + 1]! - start;
    if (keys.length < len) keys = new Float64Array(2 * len);
    // Sort (column, slot) pairs packed in one float64: columns < 2³¹, slots < 2²¹ (exact).
    for (let t = 0; t < len; t++) keys[t] = cols[start + t]! * 2097152 + t;
    const sorted = keys.subarray(0, len).sort();
    for (let t = 0; t < len; t++) {
      const slot = sorted[t]! % 2097152;
      const j = cols[start + slot]!;
      if (w > rowStart[i]! && outCol[w - 1] === j) sums[w - 1]! += vals[start + slot]!;
      else {
        outCol[w] = j;
        sums[w++] = vals[start + slot]!;
      }
    }
    rowStart[i + 1] = w;
  }
  let total = 0;
  for (let e = 0; e < w; e++) total += sums[e]!;
  total = Math.max(total, Number.EPSILON);
  const val = new Float32Array(w);
  for (let e = 0; e < w; e++) val[e] = sums[e]! / total;
  return { rowStart, col: outCol.slice(0, w), val };
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
  const angle = options.angle ?? 0.5;
  if (!(angle >= 0)) throw new EngineError('InvalidArgument', `t-SNE's angle must be ≥ 0 (got ${angle}).`);
  const method = resolveTsneMethod(options.tsneMethod ?? 'auto', n, Boolean(compute?.gpu));
  onProgress?.(0);
  const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
  // The exact gradient keeps exact neighbours; the approximations accept NN-descent's on the CPU.
  const rng = method === 'exact' ? undefined : createRng(options.seed ?? 0);
  const graph = await knnGraph(compute, X, n, d, k, false, signal, rng, {
    maxCandidates: DESCENT_CANDIDATES,
    onIteration: (it, max) => onProgress?.((0.08 * it) / max),
  });
  throwIfAborted(signal);
  const cond = await conditionalProbabilities(graph.distances, n, graph.k, perplexity, signal);
  const P = jointProbabilities(graph.indices, graph.distances, n, graph.k, perplexity, cond);
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
  const run = {
    ...(signal ? { signal } : {}),
    reportEvery: options.reportEvery ?? 10,
    onIteration: (done: number, positions: Float32Array) =>
      onProgress?.(0.1 + (0.9 * done) / nIter, positions),
  };
  switch (method) {
    case 'exact':
      return tsneAll(compute, input, run);
    case 'barnes_hut':
      return tsneDescent(input, barnesHutRepulsion(angle), run);
    case 'fft':
      return tsneFftAll(compute, input, run);
  }
}
