/**
 * Clustering: KMeans (greedy k-means++ init as sklearn, Lloyd iterations, best of n_init seeded
 * runs; the assignment step — the O(n·k·d) part — runs on the GPU knn kernel with k = 1 when the
 * data are large) and DBSCAN (density-based; new rows join the cluster of a core row within eps).
 */

import { cooperate } from '../core/cooperate';
import { EngineError } from '../core/errors';
import { CHUNK_ROWS, computePool, describePool, sumSlots } from '../core/pool';
import type { Rng } from '../core/rng';
import { knnAll, knnRef, type Neighbors } from '../gpu/kernels/knn/knn';
import type { RunContext } from '../pipeline/step';
import { GPU_MIN_WORK } from './gpu-policy';
import {
  ASSIGN_BOUNDED,
  ASSIGN_FULL,
  assignKernel,
  assignPartialSize,
  momentsKernel,
  scoreKernel,
  seedKernel,
  takeKernel,
} from './kmeans-kernels';
import { defineModel, type Matrix } from './model';

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

/** sklearn's greedy k-means++: each new center is the best of 2 + ⌊ln k⌋ candidates drawn ∝ D².
 * The candidates of one round are drawn first (the same rng calls as drawing them one at a time)
 * and scored in one pass over the rows (kmeans-kernels.ts `scoreKernel`, on the compute pool's
 * threads), so each row is read once per round, not once per trial. `X.data` may be shared. */
async function kmeansPlusPlus(X: Matrix, k: number, rng: Rng, signal?: AbortSignal): Promise<Float64Array> {
  const pool = computePool();
  const { rows: n, cols: d } = X;
  const data = pool.share(X.data);
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  const closest = pool.alloc(Float64Array, n);
  /** The center each row's `closest` distance is to. */
  const owner = pool.alloc(Int32Array, n);
  /** The sum of `closest` over each chunk of CHUNK_ROWS rows, so a draw skips whole chunks. */
  let chunkPot = await pool.run(seedKernel, { data, d, center: centers.slice(0, d), closest }, n, {
    partialSize: 1,
    rowCost: d,
    signal,
  });
  let pot = sumSlots(chunkPot, 1)[0]!;
  const scored = pool.alloc(Float64Array, trials * n);
  const picks = new Int32Array(trials);
  const candidates = new Float64Array(trials * d);
  /** Squared distance of each candidate to each chosen center (trials × k). */
  const toCenters = new Float64Array(trials * k);
  for (let c = 1; c < k; c++) {
    // One round reads every row: on millions of rows, a turn for cancel between rounds.
    await cooperate(signal);
    for (let t = 0; t < trials; t++) {
      // Draw a row with probability ∝ its current squared distance: whole chunks first, then rows.
      let r = rng.next() * pot;
      let chunk = 0;
      while (chunk < chunkPot.length - 1 && r >= chunkPot[chunk]!) r -= chunkPot[chunk++]!;
      let idx = chunk * CHUNK_ROWS;
      while (idx < n - 1 && r >= closest[idx]!) r -= closest[idx++]!;
      picks[t] = idx;
      candidates.set(data.subarray(idx * d, idx * d + d), t * d);
      for (let e = 0; e < c; e++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const u = candidates[t * d + j]! - centers[e * d + j]!;
          s += u * u;
        }
        toCenters[t * k + e] = s;
      }
    }
    const args = { data, n, d, k, trials, closest, owner, candidates, toCenters, scored };
    const perChunk = await pool.run(scoreKernel, args, n, {
      partialSize: trials,
      rowCost: trials * d,
      signal,
    });
    const candPot = sumSlots(perChunk, trials);
    let best = 0;
    for (let t = 1; t < trials; t++) if (candPot[t]! < candPot[best]!) best = t;
    centers.set(data.subarray(picks[best]! * d, picks[best]! * d + d), c * d);
    await pool.run(takeKernel, { n, best, center: c, scored, closest, owner }, n, { partialSize: 0, signal });
    pot = candPot[best]!;
    chunkPot = Float64Array.from({ length: chunkPot.length }, (_, ch) => perChunk[ch * trials + best]!);
  }
  return centers;
}

export type KMeansParams = { n_clusters: number; n_init: number; max_iter: number; tol: number };

/** Whether the assignment steps run on the GPU knn kernel (large data and a device). */
function assignsOnGpu(X: Matrix, k: number, ctx: RunContext): boolean {
  return Boolean(ctx.compute?.gpu) && X.rows * k * X.cols >= GPU_MIN_WORK.kmeans;
}

/** Σ over rows of the squared distance to the nearest center (one exact pass). */
async function inertiaOf(X: Matrix, centers: Float64Array, k: number, ctx: RunContext): Promise<number> {
  const final = await assign(X, centers, k, ctx);
  let inertia = 0;
  for (let i = 0; i < X.rows; i++) inertia += final.distances[i]!;
  return inertia;
}

/** Per-center sums and counts of the labelled rows, in row order. */
function centerSums(X: Matrix, labels: Int32Array, k: number): { sums: Float64Array; counts: Float64Array } {
  const { rows: n, cols: d, data } = X;
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    counts[c]!++;
    const o = i * d;
    const co = c * d;
    for (let j = 0; j < d; j++) sums[co + j]! += data[o + j]!;
  }
  return { sums, counts };
}

/** New centers from the per-center sums and counts (changed in place); an empty cluster takes the
 * row farthest from its center (sklearn relocates similarly). `dist2` gives a row's squared
 * distance to its current center. Returns the total squared shift of the centers. */
function moveCenters(
  X: Matrix,
  sums: Float64Array,
  counts: Float64Array,
  centers: Float64Array,
  k: number,
  dist2: (i: number) => number,
): number {
  const { rows: n, cols: d, data } = X;
  let taken: Set<number> | null = null;
  for (let c = 0; c < k; c++) {
    if (counts[c]! > 0) continue;
    taken ??= new Set();
    let far = -1;
    let farD = -1;
    for (let i = 0; i < n; i++) {
      if (taken.has(i)) continue;
      const v = dist2(i);
      if (v > farD) [far, farD] = [i, v];
    }
    taken.add(far);
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
  return shift;
}

function updateCenters(
  X: Matrix,
  labels: Int32Array,
  centers: Float64Array,
  k: number,
  dist2: (i: number) => number,
): number {
  const { sums, counts } = centerSums(X, labels, k);
  return moveCenters(X, sums, counts, centers, k, dist2);
}

/**
 * Lloyd's k-means iterations from `centers` (moved in place) until a shift ≤ `tol` or
 * p.max_iter: the final inertia and the iterations run. Two implementations, interchangeable.
 */
type Lloyd = (
  X: Matrix,
  centers: Float64Array,
  k: number,
  p: KMeansParams,
  ctx: RunContext,
  tol: number,
) => Promise<{ inertia: number; nIter: number }>;

/** Lloyd iterations with every assignment on the GPU knn kernel. */
export const lloydGpu: Lloyd = async (X, centers, k, p, ctx, tol) => {
  let labels: Int32Array = new Int32Array(X.rows);
  let iter = 0;
  for (; iter < p.max_iter; iter++) {
    await cooperate(ctx.signal);
    const nb = await assign(X, centers, k, ctx);
    const shift = updateCenters(X, nb.indices, centers, k, (i) => nb.distances[i]!);
    const same = nb.indices.every((c, i) => c === labels[i]);
    labels = nb.indices;
    if ((same && iter > 0) || shift <= tol) {
      iter++;
      break;
    }
  }
  return { inertia: await inertiaOf(X, centers, k, ctx), nIter: iter };
};

/**
 * Lloyd iterations on the CPU with Hamerly's bounds (Hamerly 2010, "Making k-means even faster"):
 * per row an upper bound on the distance to its center and a lower bound on the distance to any
 * other; a row whose bounds prove its center is still the nearest is skipped. The result is
 * Lloyd's (same labels every iteration), with most rows skipped once clusters settle. Each pass —
 * assignment plus the per-center sums — is one kernel over chunks of rows on the compute pool
 * (kmeans-kernels.ts `assignKernel`); the final pass assigns once more with the final centers and
 * sums the exact distances (the inertia), as sklearn's last E-step.
 */
export const lloydCpu: Lloyd = async (X, centers, k, p, ctx, tol) => {
  const pool = computePool();
  const { rows: n, cols: d } = X;
  const data = pool.share(X.data);
  const labels = pool.alloc(Int32Array, n);
  const upper = pool.alloc(Float64Array, n);
  const lower = pool.alloc(Float64Array, n);
  const half = new Float64Array(k);
  const moved = new Float64Array(k);
  const old = new Float64Array(k * d);
  const size = assignPartialSize(k, d);
  let shifts = { max1: 0, max2: 0, arg1: -1 };
  const assign = async (mode: number, inertia: number) =>
    sumSlots(
      await pool.run(
        assignKernel,
        { data, d, k, centers, labels, upper, lower, mode, half, moved, ...shifts, inertia },
        n,
        { partialSize: size, rowCost: mode === ASSIGN_FULL ? k * d : 4 * d, signal: ctx.signal },
      ),
      size,
    );
  /** Half the distance from each center to its nearest other center. */
  const halves = () => {
    half.fill(Number.POSITIVE_INFINITY);
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (centers[a * d + j]! - centers[b * d + j]!) ** 2;
        const h = Math.sqrt(s) / 2;
        if (h < half[a]!) half[a] = h;
        if (h < half[b]!) half[b] = h;
      }
    }
  };
  const distToOwn = (i: number) => {
    const o = i * d;
    const co = labels[i]! * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += (data[o + j]! - old[co + j]!) ** 2;
    return s;
  };
  let totals = await assign(ASSIGN_FULL, 0);
  let iter = 0;
  for (; iter < p.max_iter; iter++) {
    await cooperate(ctx.signal);
    if (iter > 0) {
      halves();
      totals = await assign(ASSIGN_BOUNDED, 0);
    }
    const same = iter > 0 && totals[k * d + k] === 0;
    old.set(centers);
    const shift = moveCenters(
      X,
      totals.slice(0, k * d),
      totals.slice(k * d, k * d + k),
      centers,
      k,
      distToOwn,
    );
    // The bounds move by how far the centers moved (applied by the next assignment).
    let max1 = 0;
    let max2 = 0;
    let arg1 = -1;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (centers[c * d + j]! - old[c * d + j]!) ** 2;
      const m = Math.sqrt(s);
      moved[c] = m;
      if (m > max1) {
        max2 = max1;
        max1 = m;
        arg1 = c;
      } else if (m > max2) max2 = m;
    }
    shifts = { max1, max2, arg1 };
    if (same || shift <= tol) {
      iter++;
      break;
    }
  }
  halves();
  const final = await assign(ASSIGN_BOUNDED, 1);
  return { inertia: final[k * d + k + 1]!, nIter: iter };
};

const lloyd: Lloyd = (X, centers, k, p, ctx, tol) =>
  (assignsOnGpu(X, k, ctx) ? lloydGpu : lloydCpu)(X, centers, k, p, ctx, tol);

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
    // The rows go to shared memory once for every pass of every run (a no-op on one thread).
    const pool = computePool();
    const shared = { ...X, data: pool.share(X.data) };
    const { rows: n, cols: d } = X;
    const moment = (mean: Float64Array) =>
      pool.run(momentsKernel, { data: shared.data, d, mean }, n, {
        partialSize: mean.length === 0 ? d : 1,
        rowCost: d,
        signal: ctx.signal,
      });
    const mean = sumSlots(await moment(new Float64Array(0)), d).map((s) => s / n);
    const variance = sumSlots(await moment(mean), 1)[0]!;
    const tol = (p.tol * variance) / X.data.length;
    let best: KMeansState | null = null;
    for (let run = 0; run < p.n_init; run++) {
      const rng = ctx.rng.fork();
      const centers = await kmeansPlusPlus(shared, k, rng, ctx.signal);
      // The GPU path uploads the rows: it gets the caller's (unshared) array.
      const { inertia, nIter } = await lloyd(assignsOnGpu(X, k, ctx) ? X : shared, centers, k, p, ctx, tol);
      if (!best || inertia < best.inertia) best = { centers, k, d: X.cols, inertia, nIter };
      ctx.progress(
        (run + 1) / p.n_init,
        `run ${run + 1}: inertia ${inertia.toPrecision(6)} (${assignsOnGpu(X, k, ctx) ? 'GPU' : `CPU, ${describePool(pool)}`})`,
      );
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
      if (i % 256 === 0) await cooperate(ctx.signal);
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
