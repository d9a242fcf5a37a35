/**
 * KMeans' data-parallel passes as compute-pool kernels (src/core/pool.ts): each runs over one
 * chunk of rows, writes that chunk's partial sums to its own slot and its rows' outputs in place,
 * so the fit combines the slots in chunk order and gets the same numbers on any number of threads.
 * Helper threads import this module through workers/pool-kernels.ts.
 */
import { defineKernel } from '../core/pool';

/** Squared distance of row i of `data` to row c of `centers` (d values each). */
function dist2(data: Float64Array, i: number, centers: Float64Array, c: number, d: number): number {
  const o = i * d;
  const co = c * d;
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = data[o + j]! - centers[co + j]!;
    s += t * t;
  }
  return s;
}

export interface SeedArgs {
  data: Float64Array;
  d: number;
  /** The first center (d values). */
  center: Float64Array;
  /** Out: each row's squared distance to it. */
  closest: Float64Array;
}

/** k-means++'s first step: every row's squared distance to the first center; partial = their sum. */
function seed(a: SeedArgs, lo: number, hi: number, partial: Float64Array): void {
  let pot = 0;
  for (let i = lo; i < hi; i++) {
    const s = dist2(a.data, i, a.center, 0, a.d);
    a.closest[i] = s;
    pot += s;
  }
  partial[0] = pot;
}
export const seedKernel = defineKernel('kmeans.seed', seed);

export interface ScoreArgs {
  data: Float64Array;
  n: number;
  d: number;
  k: number;
  trials: number;
  closest: Float64Array;
  /** The center each row's `closest` distance is to. */
  owner: Int32Array;
  /** The candidate rows (trials × d). */
  candidates: Float64Array;
  /** Squared distance of each candidate to each chosen center (trials × k). */
  toCenters: Float64Array;
  /** Out (trials × n): each row's squared distance to its nearest center if the candidate joined. */
  scored: Float64Array;
}

/**
 * One greedy k-means++ round: what each candidate would make of every row's distance; partial =
 * the potential (sum) per candidate. A row whose nearest center c is at distance D skips a
 * candidate q with ‖q − c‖ ≥ 2D (the triangle inequality says q is no closer).
 */
function score(a: ScoreArgs, lo: number, hi: number, partial: Float64Array): void {
  const { data, n, d, k, trials, closest, owner, candidates, toCenters, scored } = a;
  partial.fill(0);
  for (let i = lo; i < hi; i++) {
    const ci = closest[i]!;
    const own = owner[i]!;
    for (let t = 0; t < trials; t++) {
      let v = ci;
      // ‖q − c‖ ≥ 2·√ci ⇒ ‖x − q‖ ≥ ‖q − c‖ − ‖x − c‖ ≥ √ci: the candidate cannot be closer.
      if (toCenters[t * k + own]! < 4 * ci) {
        let s = 0;
        for (let j = 0, o = i * d, q = t * d; j < d; j++) {
          const u = data[o + j]! - candidates[q + j]!;
          s += u * u;
        }
        if (s < ci) v = s;
      }
      scored[t * n + i] = v;
      partial[t]! += v;
    }
  }
}
export const scoreKernel = defineKernel('kmeans.score', score);

export interface TakeArgs {
  n: number;
  /** The chosen candidate's index among the trials, and the new center's number. */
  best: number;
  center: number;
  scored: Float64Array;
  closest: Float64Array;
  owner: Int32Array;
}

/** The chosen candidate becomes a center: rows it is nearer to change owner. */
function take(a: TakeArgs, lo: number, hi: number): void {
  const base = a.best * a.n;
  for (let i = lo; i < hi; i++) {
    const v = a.scored[base + i]!;
    if (v < a.closest[i]!) a.owner[i] = a.center;
    a.closest[i] = v;
  }
}
export const takeKernel = defineKernel('kmeans.take', take);

/** How `assignKernel` treats each row. */
export const ASSIGN_FULL = 0;
export const ASSIGN_BOUNDED = 1;

export interface AssignArgs {
  data: Float64Array;
  d: number;
  k: number;
  centers: Float64Array;
  /** In/out per row: the nearest center, and Hamerly's upper / lower distance bounds. */
  labels: Int32Array;
  upper: Float64Array;
  lower: Float64Array;
  /** ASSIGN_FULL: search every row; ASSIGN_BOUNDED: only rows the bounds cannot clear. */
  mode: number;
  /** Half the distance from each center to its nearest other center (BOUNDED). */
  half: Float64Array;
  /** How far each center moved in the last update, and the largest two moves (BOUNDED). */
  moved: Float64Array;
  max1: number;
  max2: number;
  arg1: number;
  /** 1: partial holds the inertia (exact distances to the final centers), not the center sums. */
  inertia: number;
}

/** Floats per chunk of assignKernel's partial: k × d center sums, k counts, changed rows, inertia. */
export const assignPartialSize = (k: number, d: number): number => k * d + k + 2;

/**
 * One Lloyd assignment with Hamerly's bounds (Hamerly 2010): first the bounds move by how far the
 * centers moved, then a row whose bounds prove its center is still the nearest is skipped; the
 * others are searched (nearest and second-nearest; the first index wins ties, as knnRef). Then the
 * chunk's rows are summed per center for the update (or, at the end, their exact distances for
 * the inertia).
 */
function assign(a: AssignArgs, lo: number, hi: number, partial: Float64Array): void {
  const { data, d, k, centers, labels, upper, lower, half, moved } = a;
  const bounded = a.mode === ASSIGN_BOUNDED;
  partial.fill(0);
  let changed = 0;
  for (let i = lo; i < hi; i++) {
    let label = labels[i]!;
    let search = !bounded;
    if (bounded) {
      const u = upper[i]! + moved[label]!;
      const l = lower[i]! - (label === a.arg1 ? a.max2 : a.max1);
      lower[i] = l;
      const m = Math.max(half[label]!, l);
      if (u <= m) upper[i] = u;
      else {
        const exact = Math.sqrt(dist2(data, i, centers, label, d));
        upper[i] = exact;
        search = exact > m;
      }
    }
    if (search) {
      let best = 0;
      let b1 = Number.POSITIVE_INFINITY;
      let b2 = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const v = dist2(data, i, centers, c, d);
        if (v < b1) {
          b2 = b1;
          b1 = v;
          best = c;
        } else if (v < b2) b2 = v;
      }
      if (best !== label) changed++;
      label = best;
      labels[i] = best;
      upper[i] = Math.sqrt(b1);
      lower[i] = Math.sqrt(b2);
    }
    if (a.inertia) {
      partial[k * d + k + 1]! += dist2(data, i, centers, label, d);
    } else {
      partial[k * d + label]!++;
      const o = i * d;
      const co = label * d;
      for (let j = 0; j < d; j++) partial[co + j]! += data[o + j]!;
    }
  }
  partial[k * d + k] = changed;
}
export const assignKernel = defineKernel('kmeans.assign', assign);

export interface MomentsArgs {
  data: Float64Array;
  d: number;
  /** Column means (second pass) or empty (first pass: partial = column sums). */
  mean: Float64Array;
}

/** Column sums (first pass), then the sum of squared deviations from `mean` (second pass). */
function moments(a: MomentsArgs, lo: number, hi: number, partial: Float64Array): void {
  const { data, d, mean } = a;
  partial.fill(0);
  if (mean.length === 0) {
    for (let i = lo; i < hi; i++) for (let j = 0; j < d; j++) partial[j]! += data[i * d + j]!;
    return;
  }
  let s = 0;
  for (let i = lo; i < hi; i++) {
    for (let j = 0; j < d; j++) {
      const t = data[i * d + j]! - mean[j]!;
      s += t * t;
    }
  }
  partial[0] = s;
}
export const momentsKernel = defineKernel('kmeans.moments', moments);
