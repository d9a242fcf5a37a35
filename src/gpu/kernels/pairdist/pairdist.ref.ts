/**
 * NaN-aware squared distances in float64: for each query row and reference row (both row-major,
 * NaN = missing), the sum of squared differences over coordinates present in both, and their
 * count. The oracle of the WGSL kernel, and the CPU path.
 */
export interface PairDistances {
  /** queries×refs, row-major. */
  sum: Float64Array;
  count: Float64Array;
  /** Set when the float64 reference computed the result instead of the kernel: why. */
  fallback?: string;
}

export function pairdistRef(queries: Float64Array, refs: Float64Array, d: number): PairDistances {
  const q = d === 0 ? 0 : queries.length / d;
  const r = d === 0 ? 0 : refs.length / d;
  const sum = new Float64Array(q * r);
  const count = new Float64Array(q * r);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < r; j++) {
      let s = 0;
      let c = 0;
      for (let k = 0; k < d; k++) {
        const diff = queries[i * d + k]! - refs[j * d + k]!;
        if (!Number.isNaN(diff)) {
          s += diff * diff;
          c++;
        }
      }
      sum[i * r + j] = s;
      count[i * r + j] = c;
    }
  }
  return { sum, count };
}
