/**
 * The brute-force kNN reference (knn.ref.ts `knnRows`) on the compute pool (src/core/pool.ts):
 * the query rows are cut into chunks, each chunk's queries get their k best against every
 * reference row, written to their own rows of shared output arrays. Nothing is reduced across
 * chunks, so any number of threads gives knnRef's result bit for bit. Helper threads import this
 * module through workers/pool-kernels.ts (it imports no GPU code).
 */
import { computePool, defineKernel, MIN_POOLED_WORK } from '../../../core/pool';
import { knnRows, type Neighbors } from './knn.ref';

type Values = Float64Array | Float32Array;

/** Distance evaluations per chunk of query rows: ~10–50 ms, the pool's cancel granularity. */
export const KNN_CHUNK_PAIRS = 1 << 21;

interface KnnArgs {
  queries: Values;
  refs: Values;
  d: number;
  kk: number;
  indices: Int32Array;
  distances: Float64Array;
}

const knnKernel = defineKernel('knn.rows', (a: KnnArgs, lo: number, hi: number) =>
  knnRows(a.queries, a.refs, a.d, a.kk, lo, hi, a.indices, a.distances),
);

/**
 * knnRef(queries, refs, d, k) on the compute pool: the same neighbours and float64 distances, bit
 * for bit, on any number of threads; cancellable between chunks (inline too). Inputs not in shared
 * memory are copied there when the call goes to the helpers (the copy is (nq + nr)·d values
 * against nq·nr·d of work); the results are ordinary arrays.
 */
export async function knnPooled(
  queries: Values,
  refs: Values,
  d: number,
  k: number,
  options: { signal?: AbortSignal; chunkRows?: number } = {},
): Promise<Neighbors> {
  const pool = computePool();
  const nq = d === 0 ? 0 : queries.length / d;
  const nr = d === 0 ? 0 : refs.length / d;
  const kk = Math.min(k, nr);
  const chunkRows = Math.max(1, options.chunkRows ?? Math.floor(KNN_CHUNK_PAIRS / Math.max(1, nr)));
  // Whether the helpers will take it (as pool.run decides with the default threshold; a test pool
  // with a lower one still runs these calls inline, the same numbers).
  const pooled = pool.threads > 1 && nq > chunkRows && nq * nr * d >= MIN_POOLED_WORK;
  const indices = pooled ? pool.alloc(Int32Array, nq * kk) : new Int32Array(nq * kk);
  const distances = pooled ? pool.alloc(Float64Array, nq * kk) : new Float64Array(nq * kk);
  await pool.run(
    knnKernel,
    {
      queries: pooled ? pool.share(queries) : queries,
      refs: pooled ? pool.share(refs) : refs,
      d,
      kk,
      indices,
      distances,
    },
    nq,
    {
      partialSize: 0,
      chunkRows,
      rowCost: nr * d,
      inline: !pooled,
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  // Plain arrays for the callers (a shared buffer cannot be transferred); nq·k values.
  return pooled
    ? { indices: indices.slice(), distances: distances.slice(), k: kk }
    : { indices, distances, k: kk };
}
