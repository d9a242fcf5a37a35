/**
 * UMAP (McInnes, Healy & Melville 2018) following umap-learn's algorithm and defaults:
 * n_neighbors 15 (the point itself included, as umap-learn's kNN does), min_dist 0.1, spread 1
 * → (a, b) by the same least-squares curve fit, local_connectivity 1, set_op_mix_ratio 1 (fuzzy
 * union), n_epochs 500 up to 10,000 rows else 200, edges below max/n_epochs weight dropped,
 * negative_sample_rate 5, learning_rate 1, repulsion_strength 1, spectral initialisation (the
 * graph's normalized-Laplacian eigenvectors 2–3, by orthogonal iteration instead of ARPACK), noise
 * 1e-4 and the [0, 10] rescale.
 *
 * The kNN graph runs on the GPU when there is one (exact, src/gpu/kernels/knn); so do the layout
 * epochs (src/gpu/kernels/umap — see umap.ref.ts for how its schedule differs from umap-learn's
 * sequential loop). Without a GPU the layout runs on every core through Web Workers
 * (umap.threads.ts), with the same numbers as one thread. Everything is seeded through `createRng`.
 */

import { cooperate } from '../../core/cooperate';
import { EngineError, throwIfAborted } from '../../core/errors';
import { createRng, type Rng } from '../../core/rng';
import type { Compute } from '../../gpu/device';
import { umapLayoutAll } from '../../gpu/kernels/umap/umap';
import type { UmapLayoutInput } from '../../gpu/kernels/umap/umap.ref';
import { type KnnGraph, knnGraph } from './knn-graph';
import type { EmbeddingPlan } from './types';

export interface UmapOptions {
  nNeighbors?: number;
  minDist?: number;
  spread?: number;
  nEpochs?: number;
  learningRate?: number;
  negativeSampleRate?: number;
  repulsionStrength?: number;
  seed?: number;
  /** Report positions every this many epochs (default 10). */
  reportEvery?: number;
}

export interface EmbedContext {
  signal?: AbortSignal;
  /** fraction in [0, 1]; positions (n × 2) while the layout optimizes. */
  onProgress?: (fraction: number, positions?: Float32Array) => void;
  /** embed() says where a t-SNE/UMAP will run before it starts (see embedPlan in embed.ts). */
  onPlan?: (plan: EmbedPlan) => void;
}

/** What an embedding runs on, for the user (and tests): the Explore result's own type. */
export type EmbedPlan = EmbeddingPlan;

/** umap-learn's find_ab_params: least squares of 1/(1 + a x^(2b)) against the target curve. */
export function findAbParams(spread: number, minDist: number): { a: number; b: number } {
  const m = 300;
  const xs = new Float64Array(m);
  const ys = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const x = (spread * 3 * i) / (m - 1);
    xs[i] = x;
    ys[i] = x < minDist ? 1 : Math.exp(-(x - minDist) / spread);
  }
  // Levenberg–Marquardt from (1, 1), as scipy's curve_fit.
  let a = 1;
  let b = 1;
  const cost = (pa: number, pb: number): number => {
    let s = 0;
    for (let i = 0; i < m; i++) {
      const r = 1 / (1 + pa * xs[i]! ** (2 * pb)) - ys[i]!;
      s += r * r;
    }
    return s;
  };
  let lambda = 1e-3;
  let current = cost(a, b);
  for (let iter = 0; iter < 500; iter++) {
    let jaa = 0;
    let jab = 0;
    let jbb = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < m; i++) {
      const x = xs[i]!;
      const p = x > 0 ? x ** (2 * b) : 0;
      const f = 1 / (1 + a * p);
      const r = f - ys[i]!;
      const da = -p * f * f;
      const db = x > 0 ? -a * p * 2 * Math.log(x) * f * f : 0;
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * r;
      gb += db * r;
    }
    let improved = false;
    for (let tries = 0; tries < 30 && !improved; tries++) {
      const A = jaa * (1 + lambda);
      const B = jbb * (1 + lambda);
      const det = A * B - jab * jab;
      const sa = -(B * ga - jab * gb) / det;
      const sb = -(A * gb - jab * ga) / det;
      const next = cost(a + sa, b + sb);
      if (next < current) {
        const rel = (current - next) / Math.max(current, 1e-300);
        a += sa;
        b += sb;
        current = next;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (rel < 1e-15 || (Math.abs(sa) < 1e-13 * Math.abs(a) && Math.abs(sb) < 1e-13 * Math.abs(b)))
          return { a, b };
      } else {
        lambda *= 10;
      }
    }
    if (!improved) break;
  }
  return { a, b };
}

/** umap-learn's smooth_knn_dist: per-row rho (nearest non-zero distance) and sigma. */
export function smoothKnnDist(graph: KnnGraph, n: number): { sigma: Float64Array; rho: Float64Array } {
  const { k, distances } = graph;
  const target = Math.log2(k);
  const sigma = new Float64Array(n);
  const rho = new Float64Array(n);
  let meanAll = 0;
  for (let i = 0; i < distances.length; i++) meanAll += distances[i]!;
  meanAll /= distances.length || 1;
  for (let i = 0; i < n; i++) {
    const row = distances.subarray(i * k, (i + 1) * k);
    let r = 0;
    for (let s = 0; s < k; s++) {
      if (row[s]! > 0) {
        r = row[s]!;
        break;
      }
    }
    rho[i] = r;
    let lo = 0;
    let hi = Number.POSITIVE_INFINITY;
    let mid = 1;
    for (let it = 0; it < 64; it++) {
      let psum = 0;
      for (let s = 1; s < k; s++) {
        const dd = row[s]! - r;
        psum += dd > 0 ? Math.exp(-dd / mid) : 1;
      }
      if (Math.abs(psum - target) < 1e-5) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Number.POSITIVE_INFINITY ? mid * 2 : (lo + hi) / 2;
      }
    }
    let meanRow = 0;
    for (let s = 0; s < k; s++) meanRow += row[s]!;
    meanRow /= k;
    sigma[i] = Math.max(mid, 1e-3 * (r > 0 ? meanRow : meanAll));
  }
  return { sigma, rho };
}

export interface FuzzyGraph {
  n: number;
  /** CSR by row, columns ascending. */
  rowStart: Uint32Array;
  col: Uint32Array;
  weight: Float64Array;
}

/** Membership strengths of the kNN graph, symmetrized by fuzzy union a + b − a·b. */
export function fuzzySimplicialSet(graph: KnnGraph, n: number): FuzzyGraph {
  const { k, indices, distances } = graph;
  const { sigma, rho } = smoothKnnDist(graph, n);
  // Directed memberships A[i][j], rows sorted by column for lookups of A[j][i].
  const rowCols: Int32Array[] = [];
  const rowVals: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const order = Array.from({ length: k }, (_, s) => s).sort(
      (p, q) => indices[i * k + p]! - indices[i * k + q]!,
    );
    const cols = new Int32Array(k);
    const vals = new Float64Array(k);
    for (let t = 0; t < k; t++) {
      const s = order[t]!;
      const j = indices[i * k + s]!;
      const dd = distances[i * k + s]! - rho[i]!;
      cols[t] = j;
      vals[t] = j === i ? 0 : dd <= 0 || sigma[i] === 0 ? 1 : Math.exp(-dd / sigma[i]!);
    }
    rowCols.push(cols);
    rowVals.push(vals);
  }
  const lookup = (i: number, j: number): number => {
    const cols = rowCols[i]!;
    let lo = 0;
    let hi = cols.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = cols[mid]!;
      if (c === j) return rowVals[i]![mid]!;
      if (c < j) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  const heads: number[] = [];
  const tails: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    const cols = rowCols[i]!;
    for (let t = 0; t < cols.length; t++) {
      const j = cols[t]!;
      if (t > 0 && cols[t - 1] === j) continue;
      const a = rowVals[i]![t]!;
      const back = lookup(j, i);
      const b = Math.max(back, 0);
      const w = a + b - a * b;
      if (w <= 0) continue;
      heads.push(i);
      tails.push(j);
      weights.push(w);
      if (back < 0) {
        heads.push(j);
        tails.push(i);
        weights.push(w);
      }
    }
  }
  // CSR by head with ascending tails: counting sort on head, then sort each row.
  const m = heads.length;
  const rowStart = new Uint32Array(n + 1);
  for (let e = 0; e < m; e++) rowStart[heads[e]! + 1]!++;
  for (let i = 0; i < n; i++) rowStart[i + 1]! += rowStart[i]!;
  const fill = rowStart.slice(0, n);
  const order = new Uint32Array(m);
  for (let e = 0; e < m; e++) order[fill[heads[e]!]!++] = e;
  const col = new Uint32Array(m);
  const weight = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const idx = Array.from(order.subarray(rowStart[i]!, rowStart[i + 1]!)).sort(
      (p, q) => tails[p]! - tails[q]!,
    );
    for (let t = 0; t < idx.length; t++) {
      col[rowStart[i]! + t] = tails[idx[t]!]!;
      weight[rowStart[i]! + t] = weights[idx[t]!]!;
    }
  }
  return { n, rowStart, col, weight };
}

/** Rows of one power-iteration step between two cancel checks (~1 ms at UMAP's ~20 edges a row). */
const APPLY_ROWS = 16_384;

/**
 * Spectral initialisation: eigenvectors 2 and 3 of D^-½ W D^-½ (the normalized Laplacian's
 * smallest non-trivial ones), by orthogonal iteration on (I + D^-½ W D^-½)/2 with the known top
 * eigenvector D^½·1 projected out; then umap-learn's scaling (max |coordinate| = 10), noise
 * N(0, 1e-4) and rescale of each axis to [0, 10]. Up to 300 power steps are seconds of work on
 * tens of thousands of rows: it yields to a cancel (src/core/cooperate.ts).
 */
export async function spectralInit(g: FuzzyGraph, rng: Rng, signal?: AbortSignal): Promise<Float32Array> {
  const { n, rowStart, col, weight } = g;
  const degSqrt = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++) s += weight[e]!;
    degSqrt[i] = Math.sqrt(s);
  }
  let topNorm = 0;
  for (let i = 0; i < n; i++) topNorm += degSqrt[i]! ** 2;
  topNorm = Math.sqrt(topNorm) || 1;
  const top = Float64Array.from(degSqrt, (v) => v / topNorm);
  let V = [new Float64Array(n), new Float64Array(n)];
  for (const v of V) for (let i = 0; i < n; i++) v[i] = rng.normal();
  const applyRows = (x: Float64Array, out: Float64Array, from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      let s = 0;
      for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++) {
        const j = col[e]!;
        const dj = degSqrt[j]!;
        if (dj > 0) s += (weight[e]! * x[j]!) / dj;
      }
      out[i] = 0.5 * x[i]! + (degSqrt[i]! > 0 ? (0.5 * s) / degSqrt[i]! : 0);
    }
  };
  // Row by row, each output independent of the others: yielding between row blocks changes no number.
  const apply = async (x: Float64Array, out: Float64Array): Promise<void> => {
    for (let from = 0; from < n; from += APPLY_ROWS) {
      applyRows(x, out, from, Math.min(n, from + APPLY_ROWS));
      await cooperate(signal);
    }
  };
  const orthonormalize = (vs: Float64Array[]): void => {
    for (let a = 0; a < vs.length; a++) {
      const v = vs[a]!;
      for (const u of [top, ...vs.slice(0, a)]) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += v[i]! * u[i]!;
        for (let i = 0; i < n; i++) v[i]! -= dot * u[i]!;
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += v[i]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < n; i++) v[i]! /= norm;
    }
  };
  orthonormalize(V);
  const next = [new Float64Array(n), new Float64Array(n)];
  for (let it = 0; it < 300; it++) {
    await apply(V[0]!, next[0]!);
    await apply(V[1]!, next[1]!);
    orthonormalize(next);
    let change = 0;
    for (let a = 0; a < 2; a++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += next[a]![i]! * V[a]![i]!;
      change = Math.max(change, 1 - Math.abs(dot));
    }
    const prev = V;
    V = [next[0]!, next[1]!];
    next[0] = prev[0]!;
    next[1] = prev[1]!;
    if (change < 1e-7) break;
  }
  let maxAbs = 0;
  for (const v of V) for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(v[i]!));
  const expansion = maxAbs > 0 ? 10 / maxAbs : 1;
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 2; c++) out[i * 2 + c] = V[c]![i]! * expansion + 1e-4 * rng.normal();
  return rescaleToBox(out, n);
}

/** Each axis to [0, 10], as umap-learn does before optimizing. */
function rescaleToBox(Y: Float64Array, n: number): Float32Array {
  const out = new Float32Array(n * 2);
  for (let c = 0; c < 2; c++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, Y[i * 2 + c]!);
      hi = Math.max(hi, Y[i * 2 + c]!);
    }
    const span = hi - lo || 1;
    for (let i = 0; i < n; i++) out[i * 2 + c] = (10 * (Y[i * 2 + c]! - lo)) / span;
  }
  return out;
}

/** umap-learn's default number of epochs for a graph of n vertices. */
export const defaultEpochs = (n: number): number => (n <= 10_000 ? 500 : 200);

/** The layout problem (CSR, schedule) from a fuzzy graph, dropping edges below max/nEpochs. */
export function layoutInput(
  g: FuzzyGraph,
  init: Float32Array,
  opts: {
    a: number;
    b: number;
    nEpochs: number;
    negativeSampleRate: number;
    gamma: number;
    alpha: number;
    seed: number;
  },
): UmapLayoutInput {
  const { n } = g;
  let wMax = 0;
  for (let e = 0; e < g.weight.length; e++) wMax = Math.max(wMax, g.weight[e]!);
  const keep = (w: number): boolean => w >= wMax / opts.nEpochs;
  const rowStart = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let e = g.rowStart[i]!; e < g.rowStart[i + 1]!; e++) if (keep(g.weight[e]!)) c++;
    rowStart[i + 1] = rowStart[i]! + c;
  }
  const m = rowStart[n]!;
  const tail = new Uint32Array(m);
  const schedule = new Float32Array(2 * m);
  let w = 0;
  for (let e = 0; e < g.weight.length; e++) {
    const weight = g.weight[e]!;
    if (!keep(weight)) continue;
    tail[w] = g.col[e]!;
    const samples = opts.nEpochs * (weight / wMax);
    const eps = opts.nEpochs / samples;
    schedule[2 * w] = eps;
    schedule[2 * w + 1] = eps / opts.negativeSampleRate;
    w++;
  }
  return {
    n,
    rowStart,
    tail,
    schedule,
    embedding: init,
    a: opts.a,
    b: opts.b,
    gamma: opts.gamma,
    alpha: opts.alpha,
    nEpochs: opts.nEpochs,
    seed: opts.seed,
  };
}

/** UMAP of the n × d rows of X into 2-D: n × 2 positions. */
export async function umap(
  X: Float32Array | Float64Array,
  n: number,
  d: number,
  options: UmapOptions,
  compute: Compute | null,
  ctx: EmbedContext = {},
): Promise<Float32Array> {
  const nNeighbors = options.nNeighbors ?? 15;
  if (n < 3) throw new EngineError('InvalidArgument', 'UMAP needs at least 3 rows.');
  if (!(nNeighbors >= 2)) throw new EngineError('InvalidArgument', 'UMAP needs n_neighbors ≥ 2.');
  const rng = createRng(options.seed ?? 0);
  const { signal, onProgress } = ctx;
  onProgress?.(0);
  const graph = await knnGraph(compute, X, n, d, Math.min(nNeighbors, n - 1), true, signal, rng.fork());
  throwIfAborted(signal);
  onProgress?.(0.2);
  const fuzzy = fuzzySimplicialSet(graph, n);
  const init = await spectralInit(fuzzy, rng, signal);
  onProgress?.(0.3, init);
  const { a, b } = findAbParams(options.spread ?? 1, options.minDist ?? 0.1);
  const nEpochs = options.nEpochs ?? defaultEpochs(n);
  const input = layoutInput(fuzzy, init, {
    a,
    b,
    nEpochs,
    negativeSampleRate: options.negativeSampleRate ?? 5,
    gamma: options.repulsionStrength ?? 1,
    alpha: options.learningRate ?? 1,
    seed: Math.floor(rng.next() * 2 ** 32),
  });
  return umapLayoutAll(compute, input, {
    ...(signal ? { signal } : {}),
    reportEvery: options.reportEvery ?? 10,
    onEpoch: (done, positions) => onProgress?.(0.3 + (0.7 * done) / nEpochs, positions),
  });
}
