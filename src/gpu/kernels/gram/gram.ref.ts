/**
 * The Gram matrix of centred columns in float64: G[a][b] = Σᵢ (xᵢₐ − cₐ)(xᵢᵦ − cᵦ). The oracle of
 * the WGSL kernel and the CPU path (PCA's covariance is G / (n − 1)). Columns are Float64Array
 * (or Float32Array) of equal length; `center` null means no centring.
 */
export type GramColumn = Float32Array | Float64Array;

export function gramRef(columns: readonly GramColumn[], center: readonly number[] | null): Float64Array {
  const d = columns.length;
  const centred = columns.map((col, a) => {
    const c = center ? center[a]! : 0;
    const out = new Float64Array(col.length);
    for (let i = 0; i < col.length; i++) out[i] = col[i]! - c;
    return out;
  });
  const g = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    const xa = centred[a]!;
    for (let b = a; b < d; b++) {
      const xb = centred[b]!;
      let s = 0;
      for (let i = 0; i < xa.length; i++) s += xa[i]! * xb[i]!;
      g[a * d + b] = s;
      g[b * d + a] = s;
    }
  }
  return g;
}
