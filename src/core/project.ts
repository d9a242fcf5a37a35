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
import { computePool, defineKernel, isShared } from './pool';
import { type KernelExports, kernelsInstance } from './wasm/wasm';

const PROJECT_BLOCK = 256;

type Column = Float64Array | Float32Array;

export function projectColumns(
  columns: readonly Column[],
  center: readonly number[] | null,
  w: readonly (readonly number[])[],
  impl: 'wasm' | 'js' = 'wasm',
): Float64Array[] {
  const n = columns.length === 0 ? 0 : columns[0]!.length;
  const outs = Array.from({ length: w.length }, () => new Float64Array(n));
  projectRows(columns, center, w, 0, n, outs, impl);
  return outs;
}

/**
 * Rows lo..hi of X·Wᵀ into `outs` (k columns of n). Every output element is computed alone, so
 * any split of the rows (the compute pool's chunks) gives the same numbers.
 */
export function projectRows(
  columns: readonly Column[],
  center: readonly number[] | null,
  w: readonly (readonly number[])[],
  lo: number,
  hi: number,
  outs: readonly Float64Array[],
  impl: 'wasm' | 'js' = 'wasm',
): void {
  if (impl === 'wasm' && projectWasm(columns, center, w, lo, hi, outs)) return;
  projectJs(columns, center, w, lo, hi, outs);
}

interface Projector {
  exports: KernelExports;
  heap: Float64Array;
  /** Byte offsets of the layout. */
  src: number;
  x: number;
  centre: number;
  wAt: number;
  y: number;
}

/** One wasm instance per shape (d, k) and thread: a pool helper projects many chunks with it. */
const projectors = new Map<string, Projector | null>();

function projector(d: number, k: number, dp: number, kp: number): Projector | null {
  const key = `${d}×${k}`;
  let p = projectors.get(key);
  if (p === undefined) {
    // Layout (bytes): src (d × B column-major) | x (B × dp) | centre (dp) | w (d × kp) | y (B × kp)
    const B = PROJECT_BLOCK;
    const src = 0;
    const x = src + d * B * 8;
    const centre = x + B * dp * 8;
    const wAt = centre + dp * 8;
    const y = wAt + d * kp * 8;
    const instance = kernelsInstance(y + B * kp * 8);
    p = instance ? { ...instance, src, x, centre, wAt, y } : null;
    if (projectors.size >= 8) projectors.clear();
    projectors.set(key, p);
  }
  return p;
}

function projectWasm(
  columns: readonly Column[],
  center: readonly number[] | null,
  w: readonly (readonly number[])[],
  lo: number,
  hi: number,
  outs: readonly Float64Array[],
): boolean {
  const d = columns.length;
  const k = w.length;
  const dp = Math.max(4, Math.ceil(d / 4) * 4);
  const kp = Math.max(4, Math.ceil(k / 4) * 4);
  const B = PROJECT_BLOCK;
  const p = projector(d, k, dp, kp);
  if (!p) return false;
  const { exports, heap, src, x, centre, wAt, y } = p;
  for (let j = 0; j < dp; j++) heap[centre / 8 + j] = center && j < d ? center[j]! : 0;
  for (let q = 0; q < d; q++) for (let c = 0; c < kp; c++) heap[wAt / 8 + q * kp + c] = c < k ? w[c]![q]! : 0;
  for (let i0 = lo; i0 < hi; i0 += B) {
    const rows = Math.min(B, hi - i0);
    for (let q = 0; q < d; q++) heap.set(columns[q]!.subarray(i0, i0 + rows), src / 8 + q * rows);
    exports.pack(src, rows, d, dp, centre, x);
    // Rows past `rows` (up to a multiple of 4) hold an earlier block's values: their sums are dropped.
    exports.xw(x, Math.ceil(rows / 4) * 4, dp, d, wAt, kp, y);
    for (let c = 0; c < k; c++) {
      const o = outs[c]!;
      for (let r = 0; r < rows; r++) o[i0 + r] = heap[y / 8 + r * kp + c]!;
    }
  }
  return true;
}

function projectJs(
  columns: readonly Column[],
  center: readonly number[] | null,
  w: readonly (readonly number[])[],
  lo: number,
  hi: number,
  outs: readonly Float64Array[],
): void {
  const d = columns.length;
  const k = w.length;
  // The block, centred and row-major: x[r·d + p] = columns[p][i0 + r] − center[p].
  const x = new Float64Array(PROJECT_BLOCK * d);
  const weights = w.map((row) => Float64Array.from(row));
  for (let i0 = lo; i0 < hi; i0 += PROJECT_BLOCK) {
    const rows = Math.min(PROJECT_BLOCK, hi - i0);
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
}

interface ProjectArgs {
  columns: readonly Column[];
  center: readonly number[] | null;
  w: readonly (readonly number[])[];
  outs: readonly Float64Array[];
}

const projectKernel = defineKernel('project.rows', (a: ProjectArgs, lo: number, hi: number) =>
  projectRows(a.columns, a.center, a.w, lo, hi, a.outs),
);

/**
 * projectColumns on the compute pool: the k outputs in shared memory (when the pool has helpers),
 * the rows split into the pool's chunks — the same numbers as projectColumns, bit for bit. Columns
 * not already in shared memory run inline (with k ≈ 10 outputs a copy costs what a core saves).
 */
export async function pooledProject(
  columns: readonly Column[],
  center: readonly number[] | null,
  w: readonly (readonly number[])[],
  signal?: AbortSignal,
): Promise<Float64Array[]> {
  const pool = computePool();
  const n = columns.length === 0 ? 0 : columns[0]!.length;
  const outs = w.map(() => pool.alloc(Float64Array, n));
  await pool.run(projectKernel, { columns, center, w, outs }, n, {
    partialSize: 0,
    rowCost: columns.length * w.length,
    inline: !columns.every(isShared) || !outs.every(isShared),
    signal,
  });
  return outs;
}
