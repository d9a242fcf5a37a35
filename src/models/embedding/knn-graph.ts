/**
 * k-nearest-neighbour graph of the rows of X (Euclidean), for t-SNE and UMAP. Exact on the GPU
 * through the shared knn kernel (src/gpu/kernels/knn, f32 pruning with float64 distances for the
 * chosen neighbours) or its float64 CPU reference; without a GPU and above `approximateAbove` rows
 * by NN-descent (as umap-learn, which switches to pynndescent above 4096 rows), since the exact
 * search costs n²·d.
 */
import type { Rng } from '../../core/rng';
import type { Compute } from '../../gpu/device';
import { knnAll } from '../../gpu/kernels/knn/knn';
import { nnDescent } from './nn-descent';

export const APPROXIMATE_ABOVE = 4096;

export interface KnnGraph {
  /** n × k neighbour indices, nearest first. */
  indices: Int32Array;
  /** n × k Euclidean (not squared) distances, ascending. */
  distances: Float64Array;
  k: number;
}

/**
 * The k nearest rows of every row. `includeSelf` true (UMAP's convention) counts the row itself
 * among the k (normally first, at distance 0); false (t-SNE's) returns k other rows.
 */
export async function knnGraph(
  compute: Compute | null,
  X: Float32Array | Float64Array,
  n: number,
  d: number,
  k: number,
  includeSelf: boolean,
  signal?: AbortSignal,
  /** Given: NN-descent (seeded by it) on the CPU path above APPROXIMATE_ABOVE rows. */
  rng?: Rng,
  /** NN-descent's candidate cap and progress hook (see nn-descent.ts). */
  descent: { maxCandidates?: number; onIteration?: (iteration: number, maxIters: number) => void } = {},
): Promise<KnnGraph> {
  const kk = Math.min(includeSelf ? k : k + 1, n);
  if (rng && n > APPROXIMATE_ABOVE && !compute?.gpu) {
    const found = await nnDescent(X, n, d, kk - 1, rng, { ...descent, ...(signal ? { signal } : {}) });
    const m = found.k;
    const indices = new Int32Array(n * kk);
    const distances = new Float64Array(n * kk);
    const out = includeSelf ? kk : kk - 1;
    for (let i = 0; i < n; i++) {
      // NN-descent never lists the row itself: prepend it for UMAP's convention.
      const o = includeSelf ? 1 : 0;
      if (includeSelf) indices[i * out] = i;
      for (let s = 0; s < Math.min(m, out - o); s++) {
        indices[i * out + o + s] = found.indices[i * m + s]!;
        distances[i * out + o + s] = Math.sqrt(found.distances[i * m + s]!);
      }
    }
    return { indices: indices.subarray(0, n * out), distances: distances.subarray(0, n * out), k: out };
  }
  const found = await knnAll(compute, X, X, d, kk, signal ? { signal } : {});
  const out = includeSelf ? kk : kk - 1;
  const indices = new Int32Array(n * out);
  const distances = new Float64Array(n * out);
  for (let i = 0; i < n; i++) {
    let w = 0;
    for (let s = 0; s < kk && w < out; s++) {
      const j = found.indices[i * kk + s]!;
      // Without self: skip row i (not necessarily first when it has exact duplicates).
      if (!includeSelf && j === i) continue;
      indices[i * out + w] = j;
      distances[i * out + w] = Math.sqrt(found.distances[i * kk + s]!);
      w++;
    }
  }
  return { indices, distances, k: out };
}
