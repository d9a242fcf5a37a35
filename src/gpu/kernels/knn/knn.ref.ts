/**
 * k nearest reference rows of each query row (squared Euclidean distance), in float64: the test
 * oracle and the CPU fallback of knn.ts. Rows are scanned in order and ties keep the lower index.
 * Queries and refs are row-major with `d` values per row.
 */
export interface Neighbors {
  /** nq × k reference row indices, nearest first. */
  indices: Int32Array;
  /** nq × k squared distances, ascending. */
  distances: Float64Array;
  k: number;
}

export function knnRef(
  queries: Float64Array | Float32Array,
  refs: Float64Array | Float32Array,
  d: number,
  k: number,
): Neighbors {
  const nq = d === 0 ? 0 : queries.length / d;
  const nr = d === 0 ? 0 : refs.length / d;
  const kk = Math.min(k, nr);
  const indices = new Int32Array(nq * kk);
  const distances = new Float64Array(nq * kk);
  const bestD = new Float64Array(kk);
  const bestI = new Int32Array(kk);
  for (let q = 0; q < nq; q++) {
    bestD.fill(Number.POSITIVE_INFINITY);
    bestI.fill(-1);
    const qo = q * d;
    for (let r = 0; r < nr; r++) {
      const ro = r * d;
      let acc = 0;
      for (let j = 0; j < d; j++) {
        const diff = queries[qo + j]! - refs[ro + j]!;
        acc += diff * diff;
      }
      if (acc < bestD[kk - 1]!) {
        let pos = kk - 1;
        while (pos > 0 && bestD[pos - 1]! > acc) {
          bestD[pos] = bestD[pos - 1]!;
          bestI[pos] = bestI[pos - 1]!;
          pos--;
        }
        bestD[pos] = acc;
        bestI[pos] = r;
      }
    }
    indices.set(bestI, q * kk);
    distances.set(bestD, q * kk);
  }
  return { indices, distances, k: kk };
}
