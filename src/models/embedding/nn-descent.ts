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

export async function nnDescent(
  X: Float32Array | Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  options: {
    maxIters?: number;
    delta?: number;
    signal?: AbortSignal;
    /** Candidates sampled per row and iteration (default k); pynndescent caps them at 60. */
    maxCandidates?: number;
    /** Called after each iteration with it and the iteration limit (progress). */
    onIteration?: (iteration: number, maxIters: number) => void;
  } = {},
): Promise<NnDescentResult> {
  const kk = Math.min(k, n - 1);
  const idx = new Int32Array(n * kk).fill(-1);
  const dist = new Float64Array(n * kk).fill(Number.POSITIVE_INFINITY);
  const isNew = new Uint8Array(n * kk);
  // Four partial sums: the additions no longer wait on each other (~2× on 50 columns). NN-descent
  // is approximate anyway; the order of the additions only moves the last bits of a distance.
  const d4 = d - (d % 4);
  const dist2 = (a: number, b: number): number => {
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
  /** Max-heap per row (root = farthest); returns 1 if j entered row i. */
  const push = (i: number, j: number, dj: number): number => {
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
  };
  for (let i = 0; i < n; i++) {
    // Each row's start costs ~kk² (push scans its heap for duplicates).
    if ((i & 63) === 63) await cooperate(options.signal);
    for (let tries = 0, got = 0; got < kk && tries < 4 * kk; tries++) {
      const j = rng.int(n);
      if (j !== i) got += push(i, j, dist2(i, j));
    }
  }
  const maxIters = options.maxIters ?? Math.max(5, Math.round(Math.log2(n)));
  const delta = options.delta ?? 0.001;
  // Candidate lists (CSR, rebuilt each iteration): forward neighbours and reverse ones.
  // t-SNE's k = 91 would compare ~3·91² candidate pairs per row and iteration; sampling fewer
  // still converges (measured on 20k × 50 blobs, k = 91: recall 0.97 with 20, 0.998 with 40).
  const cap = Math.max(1, Math.min(kk, options.maxCandidates ?? kk));
  const newStart = new Int32Array(n + 1);
  const oldStart = new Int32Array(n + 1);
  for (let iter = 0; iter < maxIters; iter++) {
    await cooperate(options.signal);
    newStart.fill(0);
    oldStart.fill(0);
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
    let updates = 0;
    const sample = (list: Int32Array, start: number, end: number): number => {
      // Keep a random subset of at most `cap` candidates at the front (partial Fisher–Yates).
      const len = end - start;
      if (len <= cap) return len;
      for (let s = 0; s < cap; s++) {
        const r = start + s + rng.int(len - s);
        const t = list[start + s]!;
        list[start + s] = list[r]!;
        list[r] = t;
      }
      return cap;
    };
    for (let i = 0; i < n; i++) {
      // An iteration over 20k rows with t-SNE's k takes seconds (one row compares up to ~3·cap²
      // pairs): look at the clock every 64 rows and yield every ~50 ms (cooperate).
      if ((i & 63) === 63) await cooperate(options.signal);
      const ns = newStart[i]!;
      const nc = sample(newList, ns, newStart[i + 1]!);
      const os = oldStart[i]!;
      const oc = sample(oldList, os, oldStart[i + 1]!);
      for (let a = 0; a < nc; a++) {
        const p = newList[ns + a]!;
        for (let b = a + 1; b < nc; b++) {
          const q = newList[ns + b]!;
          if (p === q) continue;
          const dd = dist2(p, q);
          updates += push(p, q, dd) + push(q, p, dd);
        }
        for (let b = 0; b < oc; b++) {
          const q = oldList[os + b]!;
          if (p === q) continue;
          const dd = dist2(p, q);
          updates += push(p, q, dd) + push(q, p, dd);
        }
      }
    }
    options.onIteration?.(iter + 1, maxIters);
    if (updates <= delta * n * kk) break;
  }
  // Heaps → ascending rows.
  const indices = new Int32Array(n * kk);
  const distances = new Float64Array(n * kk);
  const order = Array.from({ length: kk }, (_, s) => s);
  for (let i = 0; i < n; i++) {
    if ((i & 1023) === 1023) await cooperate(options.signal);
    const o = i * kk;
    order.sort((a, b) => dist[o + a]! - dist[o + b]! || idx[o + a]! - idx[o + b]!);
    for (let s = 0; s < kk; s++) {
      indices[o + s] = idx[o + order[s]!]!;
      distances[o + s] = dist[o + order[s]!]!;
    }
  }
  return { indices, distances, k: kk };
}
