/**
 * Exact k-nearest-neighbour graph of the rows of X (Euclidean), for t-SNE and UMAP: on the GPU
 * through the shared knn kernel (src/gpu/kernels/knn, f32 pruning with float64 distances for the
 * chosen neighbours) or its float64 CPU reference.
 */
import type { Compute } from '../../gpu/device';
import { knnAll } from '../../gpu/kernels/knn/knn';

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
): Promise<KnnGraph> {
  const kk = Math.min(includeSelf ? k : k + 1, n);
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
