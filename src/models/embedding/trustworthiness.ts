/**
 * Trustworthiness of an embedding, exactly as `sklearn.manifold.trustworthiness` (Venna & Kaski
 * 2001; van der Maaten 2009), Euclidean metric:
 *
 *   T(k) = 1 − 2 / (n·k·(2n − 3k − 1)) · Σᵢ Σ_{j ∈ Nᵏᵢ(Y)} max(0, r(i, j) − k)
 *
 * where Nᵏᵢ(Y) are the k nearest neighbours of i in the embedding and r(i, j) is the rank of j
 * among i's neighbours in the input space (1 = nearest, the point itself excluded).
 *
 * sklearn sorts a full n×n distance matrix; we only need the input-space rank of k points per row,
 * so each row costs one pass over its distances (O(n²·(d + k)) time, O(n) memory). Ties in the
 * input space rank the lower index first (a stable sort; sklearn's quicksort may order exact ties
 * either way, which changes T only when X has duplicate rows).
 */
import { EngineError } from '../../core/errors';

type Values = Float32Array | Float64Array;

export function trustworthiness(X: Values, Y: Values, n: number, d: number, dy: number, k = 10): number {
  if (X.length !== n * d || Y.length !== n * dy)
    throw new EngineError(
      'InvalidArgument',
      `trustworthiness: expected ${n}×${d} inputs and ${n}×${dy} embedding.`,
    );
  if (!(k >= 1 && k < n / 2))
    throw new EngineError(
      'InvalidArgument',
      `n_neighbors (${k}) should be less than n_samples / 2 (${n / 2}).`,
    );
  const distX = new Float64Array(n);
  const embNeighbors = new Int32Array(k);
  const embDist = new Float64Array(k);
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    nearestInEmbedding(Y, n, dy, i, k, embNeighbors, embDist);
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let c = 0; c < d; c++) {
        const diff = X[i * d + c]! - X[j * d + c]!;
        acc += diff * diff;
      }
      distX[j] = acc;
    }
    for (let s = 0; s < k; s++) {
      const j = embNeighbors[s]!;
      const dj = distX[j]!;
      // rank of j among i's input-space neighbours: 1 + points strictly closer (+ earlier ties).
      let rank = 1;
      for (let l = 0; l < n; l++) {
        if (l === i || l === j) continue;
        const dl = distX[l]!;
        if (dl < dj || (dl === dj && l < j)) rank++;
      }
      if (rank > k) penalty += rank - k;
    }
  }
  return 1 - penalty * (2 / (n * k * (2 * n - 3 * k - 1)));
}

/** The k nearest rows to row i of Y (excluding i), by squared distance, ties to the lower index. */
function nearestInEmbedding(
  Y: Values,
  n: number,
  dy: number,
  i: number,
  k: number,
  outIndex: Int32Array,
  outDist: Float64Array,
): void {
  outDist.fill(Number.POSITIVE_INFINITY);
  outIndex.fill(-1);
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    let acc = 0;
    for (let c = 0; c < dy; c++) {
      const diff = Y[i * dy + c]! - Y[j * dy + c]!;
      acc += diff * diff;
    }
    if (acc < outDist[k - 1]!) {
      let pos = k - 1;
      while (pos > 0 && outDist[pos - 1]! > acc) {
        outDist[pos] = outDist[pos - 1]!;
        outIndex[pos] = outIndex[pos - 1]!;
        pos--;
      }
      outDist[pos] = acc;
      outIndex[pos] = j;
    }
  }
}
