/**
 * Approximate k nearest neighbours by NN-descent (Dong, Moses & Li 2011), the CPU route for large
 * inputs, as umap-learn does (it calls pynndescent above 4096 rows): start from k random
 * neighbours per row, then repeatedly compare each row's neighbours with each other ("a neighbour
 * of my neighbour is likely my neighbour"), sampling at most k new and k old candidates per row
 * (forward and reverse), until fewer than delta·n·k heap updates happen. Seeded by an Rng.
 * Squared Euclidean distances in float64.
 */

import { cooperate } from '../../core/cooperate';
import type { Rng } from '../../core/rng';

export interface NnDescentResult {
  /** n × k, nearest first, the row itself excluded. */
  indices: Int32Array;
  /** n × k squared distances, ascending. */
  distances: Float64Array;
  k: number;
}

export interface NnDescentOptions {
  maxIters?: number;
  delta?: number;
  signal?: AbortSignal;
  /** Candidates sampled per row and iteration (default k); pynndescent caps them at 60. */
  maxCandidates?: number;
  /** Called after each iteration with it and the iteration limit (progress). */
  onIteration?: (iteration: number, maxIters: number) => void;
}

export async function nnDescent(
  X: Float32Array | Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  options: NnDescentOptions = {},
): Promise<NnDescentResult> {
  const kk = Math.min(k, n - 1);
  const heaps = new Heaps(n, kk);
  const dist2 = squaredDistance(X, d);
  for (let i = 0; i < n; i++) {
    // Each row's start costs ~kk² (push scans its heap for duplicates).
    if ((i & 63) === 63) await cooperate(options.signal);
    for (let tries = 0, got = 0; got < kk && tries < 4 * kk; tries++) {
      const j = rng.int(n);
      if (j !== i) got += heaps.push(i, j, dist2(i, j));
    }
  }
  const maxIters = options.maxIters ?? Math.max(5, Math.round(Math.log2(n)));
  const delta = options.delta ?? 0.001;
  // t-SNE's k = 91 would compare ~3·91² candidate pairs per row and iteration; sampling fewer
  // still converges (measured on 20k × 50 blobs, k = 91: recall 0.97 with 20, 0.998 with 40).
  const cap = Math.max(1, Math.min(kk, options.maxCandidates ?? kk));
  for (let iter = 0; iter < maxIters; iter++) {
    await cooperate(options.signal);
    const candidates = heaps.candidates();
    let updates = 0;
    for (let i = 0; i < n; i++) {
      // An iteration over 20k rows with t-SNE's k takes seconds (one row compares up to ~3·cap²
      // pairs): look at the clock every 64 rows and yield every ~50 ms (cooperate).
      if ((i & 63) === 63) await cooperate(options.signal);
      updates += localJoin(heaps, candidates, i, cap, rng, dist2);
    }
    options.onIteration?.(iter + 1, maxIters);
    if (updates <= delta * n * kk) break;
  }
  return heaps.sorted(options.signal);
}

/**
 * Squared Euclidean distance between rows a and b, with four partial sums: the additions no
 * longer wait on each other (~2× on 50 columns). NN-descent is approximate anyway; the order of
 * the additions only moves the last bits of a distance.
 */
function squaredDistance(X: Float32Array | Float64Array, d: number): (a: number, b: number) => number {
  const d4 = d - (d % 4);
  return (a, b) => {
    const ao = a * d;
    const bo = b * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let c = 0;
    for (; c < d4; c += 4) {
      const t0 = X[ao + c]! - X[bo + c]!;
      const t1 = X[ao + c + 1]! - X[bo + c + 1]!;
      const t2 = X[ao + c + 2]! - X[bo + c + 2]!;
      const t3 = X[ao + c + 3]! - X[bo + c + 3]!;
      s0 += t0 * t0;
      s1 += t1 * t1;
      s2 += t2 * t2;
      s3 += t3 * t3;
    }
    for (; c < d; c++) {
      const t = X[ao + c]! - X[bo + c]!;
      s0 += t * t;
    }
    return s0 + s1 + (s2 + s3);
  };
}

/** Candidate lists (CSR): each row's forward and reverse neighbours, split into new and old. */
interface Candidates {
  newStart: Int32Array;
  newList: Int32Array;
  oldStart: Int32Array;
  oldList: Int32Array;
}

/** One bounded max-heap of neighbours per row (root = farthest), with a "new since last join" flag. */
class Heaps {
  readonly idx: Int32Array;
  readonly dist: Float64Array;
  readonly isNew: Uint8Array;

  constructor(
    readonly n: number,
    readonly kk: number,
  ) {
    this.idx = new Int32Array(n * kk).fill(-1);
    this.dist = new Float64Array(n * kk).fill(Number.POSITIVE_INFINITY);
    this.isNew = new Uint8Array(n * kk);
  }

  /** Returns 1 if j entered row i's heap. */
  push(i: number, j: number, dj: number): number {
    const { idx, dist, isNew, kk } = this;
    const o = i * kk;
    if (dj >= dist[o]!) return 0;
    for (let s = 0; s < kk; s++) if (idx[o + s] === j) return 0;
    let pos = 0;
    for (;;) {
      const l = 2 * pos + 1;
      if (l >= kk) break;
      const r = l + 1;
      const c = r < kk && dist[o + r]! > dist[o + l]! ? r : l;
      if (dist[o + c]! <= dj) break;
      dist[o + pos] = dist[o + c]!;
      idx[o + pos] = idx[o + c]!;
      isNew[o + pos] = isNew[o + c]!;
      pos = c;
    }
    dist[o + pos] = dj;
    idx[o + pos] = j;
    isNew[o + pos] = 1;
    return 1;
  }

  /** This iteration's candidate lists; every new neighbour becomes old. */
  candidates(): Candidates {
    const { idx, isNew, n, kk } = this;
    const newStart = new Int32Array(n + 1);
    const oldStart = new Int32Array(n + 1);
    for (let e = 0; e < n * kk; e++) {
      const j = idx[e]!;
      if (j < 0) continue;
      const i = (e / kk) | 0;
      const starts = isNew[e] ? newStart : oldStart;
      starts[i + 1]!++;
      starts[j + 1]!++;
    }
    for (let i = 0; i < n; i++) {
      newStart[i + 1]! += newStart[i]!;
      oldStart[i + 1]! += oldStart[i]!;
    }
    const newList = new Int32Array(newStart[n]!);
    const oldList = new Int32Array(oldStart[n]!);
    const newFill = newStart.slice(0, n);
    const oldFill = oldStart.slice(0, n);
    for (let e = 0; e < n * kk; e++) {
      const j = idx[e]!;
      if (j < 0) continue;
      const i = (e / kk) | 0;
      if (isNew[e]) {
        newList[newFill[i]!++] = j;
        newList[newFill[j]!++] = i;
        isNew[e] = 0;
      } else {
        oldList[oldFill[i]!++] = j;
        oldList[oldFill[j]!++] = i;
      }
    }
    return { newStart, newList, oldStart, oldList };
  }

  /** Heaps → rows sorted ascending by distance (ties by index). */
  async sorted(signal: AbortSignal | undefined): Promise<NnDescentResult> {
    const { idx, dist, n, kk } = this;
    const indices = new Int32Array(n * kk);
    const distances = new Float64Array(n * kk);
    const order = Array.from({ length: kk }, (_, s) => s);
    for (let i = 0; i < n; i++) {
      if ((i & 1023) === 1023) await cooperate(signal);
      const o = i * kk;
      order.sort((a, b) => dist[o + a]! - dist[o + b]! || idx[o + a]! - idx[o + b]!);
      for (let s = 0; s < kk; s++) {
        indices[o + s] = idx[o + order[s]!]!;
        distances[o + s] = dist[o + order[s]!]!;
      }
    }
    return { indices, distances, k: kk };
  }
}

/** Keeps a random subset of at most `cap` candidates at the front (partial Fisher–Yates). */
function sampleFront(list: Int32Array, start: number, end: number, cap: number, rng: Rng): number {
  const len = end - start;
  if (len <= cap) return len;
  for (let s = 0; s < cap; s++) {
    const r = start + s + rng.int(len - s);
    const t = list[start + s]!;
    list[start + s] = list[r]!;
    list[r] = t;
  }
  return cap;
}

/** Row i's local join: its sampled new candidates against each other and against the old ones. */
function localJoin(
  heaps: Heaps,
  c: Candidates,
  i: number,
  cap: number,
  rng: Rng,
  dist2: (a: number, b: number) => number,
): number {
  const ns = c.newStart[i]!;
  const nc = sampleFront(c.newList, ns, c.newStart[i + 1]!, cap, rng);
  const os = c.oldStart[i]!;
  const oc = sampleFront(c.oldList, os, c.oldStart[i + 1]!, cap, rng);
  let updates = 0;
  for (let a = 0; a < nc; a++) {
    const p = c.newList[ns + a]!;
    for (let b = a + 1; b < nc; b++) {
      const q = c.newList[ns + b]!;
      if (p === q) continue;
      const dd = dist2(p, q);
      updates += heaps.push(p, q, dd) + heaps.push(q, p, dd);
    }
    for (let b = 0; b < oc; b++) {
      const q = c.oldList[os + b]!;
      if (p === q) continue;
      const dd = dist2(p, q);
      updates += heaps.push(p, q, dd) + heaps.push(q, p, dd);
    }
  }
  return updates;
}
