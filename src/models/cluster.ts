/**
 * Clustering: KMeans (greedy k-means++ init as sklearn, Lloyd iterations, best of n_init seeded
 * runs; the assignment step — the O(n·k·d) part — runs on the GPU knn kernel with k = 1 when the
 * data are large) and DBSCAN (density-based; new rows join the cluster of a core row within eps).
 */
import type { Rng } from '../data/rng';
import { EngineError } from '../engine/errors';
import { knnAll, knnRef, type Neighbors } from '../gpu/kernels/knn/knn';
import type { RunContext } from '../pipeline/step';
import { GPU_MIN_WORK } from './gpu-policy';
import { columnMeans } from './linalg';
import { checkCancelled, defineModel, type Matrix } from './model';

export interface KMeansState {
  /** k × d */
  centers: Float64Array;
  k: number;
  d: number;
  inertia: number;
  nIter: number;
}

async function assign(X: Matrix, centers: Float64Array, k: number, ctx: RunContext): Promise<Neighbors> {
  if (ctx.compute?.gpu && X.rows * k * X.cols >= GPU_MIN_WORK.kmeans) {
    return knnAll(ctx.compute, X.data, centers, X.cols, 1, { signal: ctx.signal });
  }
  return knnRef(X.data, centers, X.cols, 1);
}

/** sklearn's greedy k-means++: each new center is the best of 2 + ⌊ln k⌋ candidates drawn ∝ D². */
function kmeansPlusPlus(X: Matrix, k: number, rng: Rng): Float64Array {
  const { rows: n, cols: d, data } = X;
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  const dist2 = (i: number, c: Float64Array, co: number) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (data[i * d + j]! - c[co + j]!) ** 2;
    return s;
  };
  let pot = 0;
  for (let i = 0; i < n; i++) pot += closest[i] = dist2(i, centers, 0);
  const candidate = new Float64Array(n);
  const bestCandidate = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestPot = Infinity;
    let bestIndex = 0;
    for (let t = 0; t < trials; t++) {
      // Draw a row with probability ∝ its current squared distance.
      let r = rng.next() * pot;
      let idx = 0;
      while (idx < n - 1 && r >= closest[idx]!) r -= closest[idx++]!;
      let candPot = 0;
      const row = data.subarray(idx * d, idx * d + d);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (data[i * d + j]! - row[j]!) ** 2;
        candidate[i] = Math.min(closest[i]!, s);
        candPot += candidate[i]!;
      }
      if (candPot < bestPot) {
        bestPot = candPot;
        bestIndex = idx;
        bestCandidate.set(candidate);
      }
    }
    centers.set(data.subarray(bestIndex * d, bestIndex * d + d), c * d);
    closest.set(bestCandidate);
    pot = bestPot;
  }
  return centers;
}

type KMeansParams = { n_clusters: number; n_init: number; max_iter: number; tol: number };

async function lloyd(
  X: Matrix,
  centers: Float64Array,
  k: number,
  p: KMeansParams,
  ctx: RunContext,
  tol: number,
) {
  const { rows: n, cols: d, data } = X;
  let labels: Int32Array = new Int32Array(n);
  let iter = 0;
  for (; iter < p.max_iter; iter++) {
    checkCancelled(ctx);
    const nb = await assign(X, centers, k, ctx);
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const c = nb.indices[i]!;
      counts[c]!++;
      for (let j = 0; j < d; j++) sums[c * d + j]! += data[i * d + j]!;
    }
    // An empty cluster takes the row farthest from its center (sklearn relocates similarly).
    for (let c = 0; c < k; c++) {
      if (counts[c]! > 0) continue;
      let far = 0;
      for (let i = 1; i < n; i++) if (nb.distances[i]! > nb.distances[far]!) far = i;
      nb.distances[far] = 0;
      counts[c] = 1;
      sums.set(data.subarray(far * d, far * d + d), c * d);
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) {
        const v = sums[c * d + j]! / counts[c]!;
        shift += (v - centers[c * d + j]!) ** 2;
        centers[c * d + j] = v;
      }
    }
    const same = nb.indices.every((c, i) => c === labels[i]);
    labels = nb.indices;
    if ((same && iter > 0) || shift <= tol) {
      iter++;
      break;
    }
  }
  const final = await assign(X, centers, k, ctx);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += final.distances[i]!;
  return { inertia, nIter: iter };
}

export const KMeans = defineModel<KMeansParams, KMeansState>({
  name: 'KMeans',
  kind: 'model',
  tasks: ['clustering'],
  description: 'k-means clustering with k-means++ initialisation (best of n_init runs).',
  params: {
    n_clusters: { type: 'integer', default: 8, min: 1, description: 'Number of clusters.' },
    n_init: {
      type: 'integer',
      default: 10,
      min: 1,
      description: 'Runs from different seeds; the lowest inertia wins.',
    },
    max_iter: { type: 'integer', default: 300, min: 1, description: 'Maximum iterations per run.' },
    tol: {
      type: 'number',
      default: 1e-4,
      min: 0,
      description: 'Stop when the centers move less than this (relative to the data variance).',
    },
  },
  async fit(X, _y, p, ctx) {
    const k = p.n_clusters;
    if (k > X.rows) {
      throw new EngineError('InvalidArgument', `KMeans cannot make ${k} clusters from ${X.rows} rows.`, {
        hint: 'Lower n_clusters.',
      });
    }
    const mean = columnMeans(X);
    let variance = 0;
    for (let i = 0; i < X.data.length; i++) variance += (X.data[i]! - mean[i % X.cols]!) ** 2;
    const tol = (p.tol * variance) / X.data.length;
    let best: KMeansState | null = null;
    for (let run = 0; run < p.n_init; run++) {
      const rng = ctx.rng.fork();
      const centers = kmeansPlusPlus(X, k, rng);
      const { inertia, nIter } = await lloyd(X, centers, k, p, ctx, tol);
      if (!best || inertia < best.inertia) best = { centers, k, d: X.cols, inertia, nIter };
      ctx.progress((run + 1) / p.n_init, `run ${run + 1}: inertia ${inertia.toPrecision(6)}`);
    }
    return best!;
  },
  async predict(X, s, ctx) {
    return Float64Array.from((await assign(X, s.centers, s.k, ctx)).indices);
  },
});

export interface DbscanState {
  /** Core rows (row-major) and their cluster labels. */
  core: Float64Array;
  coreLabels: Int32Array;
  d: number;
  eps: number;
  /** Cluster label of every training row (−1 = noise). */
  labels: Int32Array;
}

export const DBSCAN = defineModel<{ eps: number; min_samples: number }, DbscanState>({
  name: 'DBSCAN',
  kind: 'model',
  tasks: ['clustering'],
  description: 'Density-based clusters: rows with min_samples neighbours within eps, and their reach.',
  params: {
    eps: { type: 'number', default: 0.5, min: 0, description: 'Neighbourhood radius.' },
    min_samples: {
      type: 'integer',
      default: 5,
      min: 1,
      description: 'Neighbours (including itself) a core row needs.',
    },
  },
  async fit(X, _y, p, ctx) {
    const { rows: n, cols: d, data } = X;
    const eps2 = p.eps * p.eps;
    const neighbors: Int32Array[] = [];
    const buf: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 256 === 0) checkCancelled(ctx);
      buf.length = 0;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let t = 0; t < d && s <= eps2; t++) s += (data[i * d + t]! - data[j * d + t]!) ** 2;
        if (s <= eps2) buf.push(j);
      }
      neighbors.push(Int32Array.from(buf));
    }
    const isCore = neighbors.map((nb) => nb.length >= p.min_samples);
    const labels = new Int32Array(n).fill(-1);
    let cluster = 0;
    for (let i = 0; i < n; i++) {
      if (labels[i] !== -1 || !isCore[i]) continue;
      const stack = [i];
      labels[i] = cluster;
      while (stack.length > 0) {
        const u = stack.pop()!;
        if (!isCore[u]) continue;
        for (const v of neighbors[u]!) {
          if (labels[v] === -1) {
            labels[v] = cluster;
            stack.push(v);
          }
        }
      }
      cluster++;
    }
    const coreRows = [...isCore.keys()].filter((i) => isCore[i]);
    const core = new Float64Array(coreRows.length * d);
    coreRows.forEach((i, k) => {
      core.set(data.subarray(i * d, i * d + d), k * d);
    });
    return { core, coreLabels: Int32Array.from(coreRows, (i) => labels[i]!), d, eps: p.eps, labels };
  },
  async predict(X, s) {
    if (s.coreLabels.length === 0) return new Float64Array(X.rows).fill(-1);
    const nb = knnRef(X.data, s.core, s.d, 1);
    return Float64Array.from({ length: X.rows }, (_, i) =>
      nb.distances[i]! <= s.eps * s.eps ? s.coreLabels[nb.indices[i]!]! : -1,
    );
  },
});
