/**
 * Exact k-nearest-neighbour search for KNNImputer and LocalOutlierFactor, with sklearn's
 * nan_euclidean distance: √(d / present · Σ over coordinates present in both rows (a − b)²),
 * missing (NaN) when no coordinate is shared.
 *
 * With a GPU, the pairwise distances of a block of query rows are computed by the pairdist kernel
 * in f32 on column-centred data; each entry comes with a certified error bound, every reference
 * that could still be among the k nearest under that bound is re-measured in float64, and the
 * final choice is made on the float64 distances. So the GPU path returns exactly the neighbours
 * (and distances) of the CPU path, ties broken by the lower reference index in both.
 */
import { cooperate } from '../core/cooperate';
import { PAIRDIST_TOLERANCE, pairdist, pairdistRef } from '../gpu/kernels/pairdist/pairdist';
import type { RunContext } from './step';

/** Query rows per block: bounds the distance matrix held at once (block × references). */
const BLOCK_ROWS = 256;

export interface DistanceBlock {
  /** First query row of the block and its number of rows. */
  start: number;
  rows: number;
  /** Squared nan_euclidean distance (NaN when no shared coordinate), rows × references. */
  approx: Float64Array;
  /** Absolute error bound of each approx entry (all 0 when computed in float64). */
  slack: Float64Array | null;
}

export function exactSquared(
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  d: number,
): number {
  let sum = 0;
  let count = 0;
  for (let k = 0; k < d; k++) {
    const diff = a[aOffset + k]! - b[bOffset + k]!;
    if (!Number.isNaN(diff)) {
      sum += diff * diff;
      count++;
    }
  }
  return count === 0 ? Number.NaN : (d / count) * sum;
}

function centred(rows: Float64Array, d: number, center: Float64Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = rows[i]! - center[i % d]!;
  return out;
}

/**
 * Calls `visit` with the distance matrix of each block of query rows (row-major, NaN = missing)
 * to all reference rows. Uses the GPU when `ctx.compute` has one.
 */
export async function forEachDistanceBlock(
  ctx: RunContext,
  queries: Float64Array,
  refs: Float64Array,
  d: number,
  visit: (block: DistanceBlock) => void,
): Promise<void> {
  const q = d === 0 ? 0 : queries.length / d;
  const r = d === 0 ? 0 : refs.length / d;
  // Column means of the references (present values): centring keeps f32 distances accurate.
  const center = new Float64Array(d);
  const counts = new Float64Array(d);
  for (let i = 0; i < refs.length; i++) {
    const v = refs[i]!;
    if (!Number.isNaN(v)) {
      center[i % d]! += v;
      counts[i % d]!++;
    }
  }
  for (let k = 0; k < d; k++) center[k] = counts[k]! > 0 ? center[k]! / counts[k]! : 0;
  const refsC = centred(refs, d, center);
  const refNorm = new Float64Array(r);
  for (let j = 0; j < r; j++) for (let k = 0; k < d; k++) refNorm[j]! += refsC[j * d + k]! ** 2 || 0;
  const tol = PAIRDIST_TOLERANCE(d);
  for (let start = 0; start < q; start += BLOCK_ROWS) {
    await cooperate(ctx.signal);
    const rows = Math.min(BLOCK_ROWS, q - start);
    const block = queries.subarray(start * d, (start + rows) * d);
    const gpu = ctx.compute?.gpu ?? null;
    const pairs = ctx.compute
      ? await ctx.compute.run((g) =>
          g
            ? pairdist(g, centred(block, d, center), refsC, d, { signal: ctx.signal })
            : Promise.resolve(pairdistRef(block, refs, d)),
        )
      : pairdistRef(block, refs, d);
    const approx = new Float64Array(rows * r);
    for (let i = 0; i < approx.length; i++) {
      const c = pairs.count[i]!;
      approx[i] = c === 0 ? Number.NaN : (d / c) * pairs.sum[i]!;
    }
    let slack: Float64Array | null = null;
    if (gpu) {
      const blockC = centred(block, d, center);
      slack = new Float64Array(rows * r);
      for (let i = 0; i < rows; i++) {
        let norm = 0;
        for (let k = 0; k < d; k++) norm += blockC[i * d + k]! ** 2 || 0;
        for (let j = 0; j < r; j++) {
          const c = pairs.count[i * r + j]!;
          // Scaled like the distance; +1 ulp-level floor for rows at the centre.
          slack[i * r + j] = c === 0 ? 0 : (d / c) * (tol * (norm + refNorm[j]!) + 1e-300);
        }
      }
    }
    visit({ start, rows, approx, slack });
  }
}

/**
 * The k nearest eligible references of row `i` of a block, by exact distance (ties: lower index),
 * NaN distances last. Returns reference indices and their exact squared distances.
 */
export function kNearest(
  block: DistanceBlock,
  i: number,
  k: number,
  refsCount: number,
  eligible: (j: number) => boolean,
  exact: (j: number) => number,
): { index: number[]; squared: number[] } {
  const r = refsCount;
  const row = i * r;
  const candidates: number[] = [];
  if (block.slack) {
    // Upper bounds of the eligible finite distances: the k-th smallest is a threshold no
    // neighbour can exceed; every reference whose lower bound is within it is a candidate.
    const upper: number[] = [];
    for (let j = 0; j < r; j++) {
      const a = block.approx[row + j]!;
      if (eligible(j) && !Number.isNaN(a)) upper.push(a + block.slack[row + j]!);
    }
    let threshold = Number.POSITIVE_INFINITY;
    if (upper.length >= k) {
      upper.sort((x, y) => x - y);
      threshold = upper[k - 1]!;
    }
    for (let j = 0; j < r; j++) {
      if (!eligible(j)) continue;
      const a = block.approx[row + j]!;
      if (Number.isNaN(a) || a - block.slack[row + j]! <= threshold) candidates.push(j);
    }
  } else {
    for (let j = 0; j < r; j++) if (eligible(j)) candidates.push(j);
  }
  const measured = candidates.map((j) => ({ j, dist: block.slack ? exact(j) : block.approx[row + j]! }));
  measured.sort((a, b) => {
    const an = Number.isNaN(a.dist);
    const bn = Number.isNaN(b.dist);
    if (an || bn) return an === bn ? a.j - b.j : an ? 1 : -1;
    return a.dist - b.dist || a.j - b.j;
  });
  const chosen = measured.slice(0, k);
  return { index: chosen.map((m) => m.j), squared: chosen.map((m) => m.dist) };
}
