/**
 * X·Wᵀ for X given as d columns (minus a centre) and W as k rows of d weights: the k output
 * columns of a projection (PCA scores). A plain column-by-column loop streams each n-long column
 * k times and each output d times through memory; here rows go through in blocks of
 * PROJECT_BLOCK, centred and transposed to row-major once (in cache), and each row's k dot
 * products run in registers — in WASM SIMD (wasm/kernels.wat `xw`: tiles of 4 rows × 4 outputs)
 * where the engine has it, else in JS, four outputs sharing each loaded value.
 *
 * Every output element is still the sum over p = 0 … d−1, in that order, of (x_p − c_p)·w_p, one
 * rounding per operation: the same numbers, bit for bit, as the unblocked loop
 * (tests/core/project.test.ts).
 */
import { kernelsInstance } from './wasm/wasm';

const PROJECT_BLOCK = 256;

type Column = Float64Array | Float32Array;

export function projectColumns(
  columns: readonly Column[],
  center: readonly number[] | null,
  w: readonly (readonly number[])[],
  impl: 'wasm' | 'js' = 'wasm',
): Float64Array[] {
  return (impl === 'wasm' ? projectWasm(columns, center, w) : null) ?? projectJs(columns, center, w);
}

function projectWasm(
  columns: readonly Column[],
  center: readonly number[] | null,
  w: readonly (readonly number[])[],
) {
  const d = columns.length;
  const n = d === 0 ? 0 : columns[0]!.length;
  const k = w.length;
  const dp = Math.max(4, Math.ceil(d / 4) * 4);
  const kp = Math.max(4, Math.ceil(k / 4) * 4);
  // Layout (bytes): src (d × B column-major) | x (B × dp) | centre (dp) | w (d × kp) | y (B × kp)
  const B = PROJECT_BLOCK;
  const src = 0;
  const x = src + d * B * 8;
  const centre = x + B * dp * 8;
  const wAt = centre + dp * 8;
  const y = wAt + d * kp * 8;
  const instance = kernelsInstance(y + B * kp * 8);
  if (!instance) return null;
  const { exports, heap } = instance;
  if (center) heap.set(center.slice(0, d), centre / 8);
  for (let p = 0; p < d; p++) for (let c = 0; c < k; c++) heap[wAt / 8 + p * kp + c] = w[c]![p]!;
  const outs = Array.from({ length: k }, () => new Float64Array(n));
  for (let i0 = 0; i0 < n; i0 += B) {
    const rows = Math.min(B, n - i0);
    for (let p = 0; p < d; p++) heap.set(columns[p]!.subarray(i0, i0 + rows), src / 8 + p * rows);
    exports.pack(src, rows, d, dp, centre, x);
    // Rows past `rows` (up to a multiple of 4) hold an earlier block's values: their sums are dropped.
    exports.xw(x, Math.ceil(rows / 4) * 4, dp, d, wAt, kp, y);
    for (let c = 0; c < k; c++) {
      const o = outs[c]!;
      for (let r = 0; r < rows; r++) o[i0 + r] = heap[y / 8 + r * kp + c]!;
    }
  }
  return outs;
}

function projectJs(
  columns: readonly Column[],
  center: readonly number[] | null,
  w: readonly (readonly number[])[],
) {
  const d = columns.length;
  const n = d === 0 ? 0 : columns[0]!.length;
  const k = w.length;
  const outs = Array.from({ length: k }, () => new Float64Array(n));
  // The block, centred and row-major: x[r·d + p] = columns[p][i0 + r] − center[p].
  const x = new Float64Array(PROJECT_BLOCK * d);
  const weights = w.map((row) => Float64Array.from(row));
  for (let i0 = 0; i0 < n; i0 += PROJECT_BLOCK) {
    const rows = Math.min(PROJECT_BLOCK, n - i0);
    for (let p = 0; p < d; p++) {
      const col = columns[p]!;
      const cp = center ? center[p]! : 0;
      for (let r = 0; r < rows; r++) x[r * d + p] = col[i0 + r]! - cp;
    }
    let c = 0;
    for (; c + 4 <= k; c += 4) {
      const w0 = weights[c]!;
      const w1 = weights[c + 1]!;
      const w2 = weights[c + 2]!;
      const w3 = weights[c + 3]!;
      const o0 = outs[c]!;
      const o1 = outs[c + 1]!;
      const o2 = outs[c + 2]!;
      const o3 = outs[c + 3]!;
      for (let r = 0; r < rows; r++) {
        const base = r * d;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let p = 0; p < d; p++) {
          const v = x[base + p]!;
          s0 += v * w0[p]!;
          s1 += v * w1[p]!;
          s2 += v * w2[p]!;
          s3 += v * w3[p]!;
        }
        o0[i0 + r] = s0;
        o1[i0 + r] = s1;
        o2[i0 + r] = s2;
        o3[i0 + r] = s3;
      }
    }
    for (; c < k; c++) {
      const wc = weights[c]!;
      const o = outs[c]!;
      for (let r = 0; r < rows; r++) {
        const base = r * d;
        let s = 0;
        for (let p = 0; p < d; p++) s += x[base + p]! * wc[p]!;
        o[i0 + r] = s;
      }
    }
  }
  return outs;
}
