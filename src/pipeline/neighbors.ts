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

/** Query rows per block, at most (GPU dispatches of a useful size). */
const BLOCK_ROWS = 256;
/**
 * Distances per block, at most: bounds the matrices held at once (block × references, four of
 * them on the GPU path: 64 MB) and the work between two turns for cancel (~50 ms on the CPU path).
 * 256 rows against 200k references was 51M entries (1.6 GB).
 */
const BLOCK_CELLS = 1 << 21;

/** Query rows per block against `refs` references. */
function blockRows(refs: number): number {
  return Math.max(1, Math.min(BLOCK_ROWS, Math.floor(BLOCK_CELLS / Math.max(1, refs))));
}

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

/** What the GPU kernel needs of the references: centred (f32 keeps its accuracy near the mean). */
function forKernel(refs: Float64Array, d: number, r: number) {
  // Column means of the references (present values).
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
  return { center, refsC, refNorm };
}

/**
 * Calls `visit` with the distance matrix of each block of query rows (row-major, NaN = missing)
 * to all reference rows. Uses the GPU when `ctx.compute` has one. The block's arrays are reused
 * by the next block: read them during `visit` only.
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
  const tol = PAIRDIST_TOLERANCE(d);
  const step = blockRows(r);
  // One matrix for every block: a fresh one per block (16 MB) made the garbage collector run
  // again and again, each time marking every value of a big fitted state.
  const matrix = new Float64Array(Math.min(step, q) * r);
  let kernel: ReturnType<typeof forKernel> | null = null;
  for (let start = 0; start < q; start += step) {
    await cooperate(ctx.signal);
    const rows = Math.min(step, q - start);
    const block = queries.subarray(start * d, (start + rows) * d);
    const approx = matrix.subarray(0, rows * r);
    const gpu = ctx.compute?.gpu ?? null;
    if (gpu && !kernel) {
      kernel = forKernel(refs, d, r);
      await cooperate(ctx.signal);
    }
    const k = kernel;
    const pairs =
      ctx.compute && k
        ? await ctx.compute.run((g) =>
            g
              ? pairdist(g, centred(block, d, k.center), k.refsC, d, { signal: ctx.signal })
              : Promise.resolve(pairdistRef(block, refs, d)),
          )
        : null;
    if (pairs) {
      for (let i = 0; i < approx.length; i++) {
        const c = pairs.count[i]!;
        approx[i] = c === 0 ? Number.NaN : (d / c) * pairs.sum[i]!;
      }
    } else {
      // Float64 on the CPU, straight into the matrix: exactSquared sums as pairdistRef does.
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < r; j++) approx[i * r + j] = exactSquared(block, i * d, refs, j * d, d);
      }
    }
    let slack: Float64Array | null = null;
    if (gpu && pairs && k) {
      const blockC = centred(block, d, k.center);
      slack = new Float64Array(rows * r);
      for (let i = 0; i < rows; i++) {
        let norm = 0;
        for (let m = 0; m < d; m++) norm += blockC[i * d + m]! ** 2 || 0;
        for (let j = 0; j < r; j++) {
          const c = pairs.count[i * r + j]!;
          // Scaled like the distance; +1 ulp-level floor for rows at the centre.
          slack[i * r + j] = c === 0 ? 0 : (d / c) * (tol * (norm + k.refNorm[j]!) + 1e-300);
        }
      }
    }
    visit({ start, rows, approx, slack });
  }
}

/**
 * The k smallest of the (distance, reference) pairs offered, in the order of kNearest: ascending
 * distance, ties by the lower index, NaN distances last (among them, by index). A max-heap of at
 * most k entries, its root the worst kept: O(r log k) instead of sorting every reference.
 */
class KBest {
  readonly dist: Float64Array;
  readonly index: Int32Array;
  size = 0;

  constructor(readonly k: number) {
    this.dist = new Float64Array(k);
    this.index = new Int32Array(k);
  }

  /** Whether pair a comes before pair b in the order above. */
  static before(da: number, ja: number, db: number, jb: number): boolean {
    const an = Number.isNaN(da);
    const bn = Number.isNaN(db);
    if (an || bn) return an === bn ? ja < jb : bn;
    return da < db || (da === db && ja < jb);
  }

  offer(dist: number, j: number): void {
    const { dist: ds, index: js, k } = this;
    if (this.size < k) {
      // Sift up: parents are worse than (come after) their children.
      let c = this.size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!KBest.before(ds[p]!, js[p]!, dist, j)) break;
        ds[c] = ds[p]!;
        js[c] = js[p]!;
        c = p;
      }
      ds[c] = dist;
      js[c] = j;
      return;
    }
    if (k === 0 || !KBest.before(dist, j, ds[0]!, js[0]!)) return;
    // Replace the worst (the root) and sift down.
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= k) break;
      const r = l + 1;
      const worse = r < k && KBest.before(ds[l]!, js[l]!, ds[r]!, js[r]!) ? r : l;
      if (!KBest.before(dist, j, ds[worse]!, js[worse]!)) break;
      ds[c] = ds[worse]!;
      js[c] = js[worse]!;
      c = worse;
    }
    ds[c] = dist;
    js[c] = j;
  }

  /** The kept pairs, best first. */
  sorted(): { index: number[]; squared: number[] } {
    const order = Array.from({ length: this.size }, (_, m) => m).sort((a, b) =>
      KBest.before(this.dist[a]!, this.index[a]!, this.dist[b]!, this.index[b]!) ? -1 : 1,
    );
    return { index: order.map((m) => this.index[m]!), squared: order.map((m) => this.dist[m]!) };
  }
}

/** The k-th smallest of the values offered (+∞ while fewer than k were): a max-heap of k numbers. */
function kthSmallest(k: number): { offer(v: number): void; value(): number } {
  const heap = new Float64Array(k);
  let size = 0;
  return {
    offer(v) {
      if (size < k) {
        let c = size++;
        while (c > 0) {
          const p = (c - 1) >> 1;
          if (heap[p]! >= v) break;
          heap[c] = heap[p]!;
          c = p;
        }
        heap[c] = v;
        return;
      }
      if (!(v < heap[0]!)) return;
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= k) break;
        const r = l + 1;
        const big = r < k && heap[r]! > heap[l]! ? r : l;
        if (heap[big]! <= v) break;
        heap[c] = heap[big]!;
        c = big;
      }
      heap[c] = v;
    },
    value: () => (size >= k && k > 0 ? heap[0]! : Number.POSITIVE_INFINITY),
  };
}

/**
 * The k nearest eligible references of row `i` of a block, by exact distance (ties: lower index),
 * NaN distances last. Returns reference indices and their exact squared distances. One pass over
 * the references with a bounded buffer of the k best (no sort of all of them); the block's size
 * bounds the work between two turns for cancel (forEachDistanceBlock).
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
  const best = new KBest(k);
  const { approx, slack } = block;
  if (slack) {
    // Upper bounds of the eligible finite distances: the k-th smallest is a threshold no
    // neighbour can exceed; every reference whose lower bound is within it is a candidate,
    // measured exactly.
    const kth = kthSmallest(k);
    for (let j = 0; j < r; j++) {
      const a = approx[row + j]!;
      if (!Number.isNaN(a) && eligible(j)) kth.offer(a + slack[row + j]!);
    }
    const threshold = kth.value();
    for (let j = 0; j < r; j++) {
      if (!eligible(j)) continue;
      const a = approx[row + j]!;
      if (Number.isNaN(a) || a - slack[row + j]! <= threshold) best.offer(exact(j), j);
    }
  } else {
    for (let j = 0; j < r; j++) if (eligible(j)) best.offer(approx[row + j]!, j);
  }
  return best.sorted();
}
