/**
 * X·Wᵀ for X given as d columns (minus a centre) and W as k rows of d weights: the k output
 * columns of a projection (PCA scores). Rows go through in blocks of PROJECT_BLOCK so that the
 * block of every input column and of every output stays in cache while the k·d weights sweep
 * over it — a plain column-by-column loop streams each n-long column k times and each output d
 * times from memory. Four outputs share each loaded input value.
 *
 * Every output element is still the sum over p = 0 … d−1, in that order, of (x_p − c_p)·w_p, one
 * rounding per operation: the same numbers, bit for bit, as the unblocked loop
 * (tests/core/project.test.ts).
 */
const PROJECT_BLOCK = 512;

export function projectColumns(
  columns: readonly (Float64Array | Float32Array)[],
  center: readonly number[] | null,
  w: readonly (readonly number[])[],
): Float64Array[] {
  const d = columns.length;
  const n = d === 0 ? 0 : columns[0]!.length;
  const k = w.length;
  const outs = Array.from({ length: k }, () => new Float64Array(n));
  for (let i0 = 0; i0 < n; i0 += PROJECT_BLOCK) {
    const i1 = Math.min(n, i0 + PROJECT_BLOCK);
    let c = 0;
    for (; c + 4 <= k; c += 4) {
      const o0 = outs[c]!;
      const o1 = outs[c + 1]!;
      const o2 = outs[c + 2]!;
      const o3 = outs[c + 3]!;
      const w0 = w[c]!;
      const w1 = w[c + 1]!;
      const w2 = w[c + 2]!;
      const w3 = w[c + 3]!;
      for (let p = 0; p < d; p++) {
        const col = columns[p]!;
        const cp = center ? center[p]! : 0;
        const a0 = w0[p]!;
        const a1 = w1[p]!;
        const a2 = w2[p]!;
        const a3 = w3[p]!;
        for (let i = i0; i < i1; i++) {
          const x = col[i]! - cp;
          o0[i]! += x * a0;
          o1[i]! += x * a1;
          o2[i]! += x * a2;
          o3[i]! += x * a3;
        }
      }
    }
    for (; c < k; c++) {
      const o = outs[c]!;
      const wc = w[c]!;
      for (let p = 0; p < d; p++) {
        const col = columns[p]!;
        const cp = center ? center[p]! : 0;
        const a = wc[p]!;
        for (let i = i0; i < i1; i++) o[i]! += (col[i]! - cp) * a;
      }
    }
  }
  return outs;
}
