/**
 * The Gram matrix of centred columns on the CPU, fast: what PCA runs without a GPU (its time is
 * almost all here: n·d(d+1)/2 multiply-adds, 5·10⁹ at 1M × 100).
 *
 * gramRef sums each entry down two whole columns at a time, so at 1M rows every one of the 5,050
 * pairs streams 16 MB from memory. Here the rows go through in blocks of BLOCK_ROWS, centred and
 * transposed to row-major (a block of 100 columns is 100 KB, in cache), and every entry of the
 * upper triangle is summed over the block in tiles of 2 × 4 entries held in registers — WASM
 * SIMD (src/core/wasm/kernels.wat: f64x2, the two lanes are two entries) where the engine validates it, else the
 * same loop in plain JS. `npm run bench` (PCA case) and bench/README.md compare the two.
 *
 * Summation order (the same in both kernels, in one thread or many): the rows are cut into slices
 * of SLICE_ROWS; within a slice each entry is summed from zero in row order, one rounding per
 * multiply and per add; the slices' sums are added in slice order. The wasm and JS kernels are
 * therefore equal bit for bit, and so is a worker pool that hands out whole slices and adds them
 * in order. Against gramRef (one running sum over all rows) both orders are float64 sums of the
 * same products, each off by at most n·2⁻⁵³·Σ|xₐxᵦ| ≤ n·2⁻⁵³·√(GₐₐGᵦᵦ), so
 * |G − G_ref| ≤ n·2⁻⁵²·√(GₐₐGᵦᵦ) per entry (GRAM_CPU_TOLERANCE·n, tested).
 */
import { computePool, defineKernel, sumSlots } from '../../../core/pool';
import { kernelsInstance, kernelsModule } from '../../../core/wasm/wasm';
import type { GramColumn } from './gram.ref';

/** Rows per slice: the unit of the fixed summation order (and of work for a pool). */
export const SLICE_ROWS = 8192;
/** Rows per cache block inside a slice (BLOCK_ROWS · d · 8 bytes should sit in L2). */
const BLOCK_ROWS = 128;
/** Per row of input: |G − G_ref| ≤ n · GRAM_CPU_TOLERANCE · √(GₐₐGᵦᵦ). */
export const GRAM_CPU_TOLERANCE = 2 ** -52;

export type GramImpl = 'wasm' | 'js';

/** Sums one slice of rows into a fresh dp × dp upper-triangular accumulator (dp = d rounded up
 * to a multiple of 4; entries below the diagonal are partial and unused). */
export interface GramSliceKernel {
  readonly impl: GramImpl;
  readonly dp: number;
  slice(columns: readonly GramColumn[], centre: Float64Array, start: number, end: number): Float64Array;
}

const paddedWidth = (d: number) => Math.max(4, Math.ceil(d / 4) * 4);

function wasmKernel(d: number): GramSliceKernel | null {
  const dp = paddedWidth(d);
  // Layout (bytes): src (d × BLOCK_ROWS column-major) | block (BLOCK_ROWS × dp) | centre (dp) | g (dp²)
  const src = 0;
  const block = src + d * BLOCK_ROWS * 8;
  const centreAt = block + BLOCK_ROWS * dp * 8;
  const g = centreAt + dp * 8;
  const instance = kernelsInstance(g + dp * dp * 8);
  if (!instance) return null;
  // Padding columns of the block stay zero: pack writes only the first d of each row.
  const { exports, heap } = instance;
  return {
    impl: 'wasm',
    dp,
    slice(columns, centre, start, end) {
      heap.set(centre.subarray(0, dp), centreAt / 8);
      const acc = heap.subarray(g / 8, g / 8 + dp * dp);
      acc.fill(0);
      for (let i0 = start; i0 < end; i0 += BLOCK_ROWS) {
        const rows = Math.min(BLOCK_ROWS, end - i0);
        for (let j = 0; j < d; j++) heap.set(columns[j]!.subarray(i0, i0 + rows), src / 8 + j * rows);
        exports.pack(src, rows, d, dp, centreAt, block);
        exports.tiles(block, rows, dp, g);
      }
      return acc.slice();
    },
  };
}

function jsKernel(d: number): GramSliceKernel {
  const dp = paddedWidth(d);
  const x = new Float64Array(BLOCK_ROWS * dp);
  return {
    impl: 'js',
    dp,
    slice(columns, centre, start, end) {
      const acc = new Float64Array(dp * dp);
      for (let i0 = start; i0 < end; i0 += BLOCK_ROWS) {
        const rows = Math.min(BLOCK_ROWS, end - i0);
        for (let j = 0; j < d; j++) {
          const col = columns[j]!;
          const c = centre[j]!;
          for (let i = 0; i < rows; i++) x[i * dp + j] = col[i0 + i]! - c;
        }
        tilesJs(x, rows, dp, acc);
      }
      return acc;
    },
  };
}

/** gram.wat's `tiles` in JS: the same entries, each summed in the same order. */
function tilesJs(x: Float64Array, rows: number, dp: number, g: Float64Array): void {
  const end = rows * dp;
  for (let a = 0; a < dp; a += 2) {
    for (let b = a & ~3; b < dp; b += 4) {
      const g0 = a * dp + b;
      const g1 = g0 + dp;
      let c00 = g[g0]!;
      let c01 = g[g0 + 1]!;
      let c02 = g[g0 + 2]!;
      let c03 = g[g0 + 3]!;
      let c10 = g[g1]!;
      let c11 = g[g1 + 1]!;
      let c12 = g[g1 + 2]!;
      let c13 = g[g1 + 3]!;
      for (let r = 0; r < end; r += dp) {
        const xa0 = x[r + a]!;
        const xa1 = x[r + a + 1]!;
        const xb0 = x[r + b]!;
        const xb1 = x[r + b + 1]!;
        const xb2 = x[r + b + 2]!;
        const xb3 = x[r + b + 3]!;
        c00 += xa0 * xb0;
        c01 += xa0 * xb1;
        c02 += xa0 * xb2;
        c03 += xa0 * xb3;
        c10 += xa1 * xb0;
        c11 += xa1 * xb1;
        c12 += xa1 * xb2;
        c13 += xa1 * xb3;
      }
      g[g0] = c00;
      g[g0 + 1] = c01;
      g[g0 + 2] = c02;
      g[g0 + 3] = c03;
      g[g1] = c10;
      g[g1 + 1] = c11;
      g[g1 + 2] = c12;
      g[g1 + 3] = c13;
    }
  }
}

/** A slice kernel for d columns: wasm unless `impl` says 'js' or wasm SIMD is unavailable. */
export function gramSliceKernel(d: number, impl?: GramImpl): GramSliceKernel {
  return (impl === 'js' ? null : wasmKernel(d)) ?? jsKernel(d);
}

/** Whether this engine runs the WASM SIMD kernel. */
export const gramHasWasm = (): boolean => kernelsModule() !== null;

/** The centre vector padded to dp (zeros for no centring). */
export function paddedCentre(center: readonly number[] | null, d: number): Float64Array {
  const centre = new Float64Array(paddedWidth(d));
  if (center) for (let j = 0; j < d; j++) centre[j] = center[j]!;
  return centre;
}

/** Adds a slice's upper triangle into the running total (called in slice order). */
export function addSlice(total: Float64Array, part: Float64Array, d: number, dp: number): void {
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) total[a * dp + b]! += part[a * dp + b]!;
}

/** The symmetric d × d matrix from a dp-wide upper triangle. */
export function symmetricFromUpper(total: Float64Array, d: number, dp: number): Float64Array {
  const g = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = total[a * dp + b]!;
      g[a * d + b] = v;
      g[b * d + a] = v;
    }
  }
  return g;
}

/** Slices of [0, n): [start, end) pairs in order. */
export function gramSlices(n: number): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < n; s += SLICE_ROWS) out.push([s, Math.min(n, s + SLICE_ROWS)]);
  return out;
}

/** G = Σ (x − c)(x − c)ᵀ over rows, on this thread (same signature as gramRef). */
export function gramCpu(
  columns: readonly GramColumn[],
  center: readonly number[] | null,
  impl?: GramImpl,
): Float64Array {
  const d = columns.length;
  const n = d === 0 ? 0 : columns[0]!.length;
  const kernel = gramSliceKernel(d, impl);
  const centre = paddedCentre(center, d);
  const total = new Float64Array(kernel.dp * kernel.dp);
  for (const [start, end] of gramSlices(n))
    addSlice(total, kernel.slice(columns, centre, start, end), d, kernel.dp);
  return symmetricFromUpper(total, d, kernel.dp);
}

interface SliceArgs {
  columns: readonly GramColumn[];
  /** Padded to dp (paddedCentre). */
  centre: Float64Array;
  impl?: GramImpl;
}

/** This thread's slice kernels by shape (a pool helper sums many slices with one). */
const sliceKernels = new Map<string, GramSliceKernel>();

const gramSliceTask = defineKernel(
  'gram.slice',
  (a: SliceArgs, lo: number, hi: number, partial: Float64Array) => {
    const d = a.columns.length;
    const key = `${d}:${a.impl ?? ''}`;
    let kernel = sliceKernels.get(key);
    if (!kernel) {
      if (sliceKernels.size >= 8) sliceKernels.clear();
      kernel = gramSliceKernel(d, a.impl);
      sliceKernels.set(key, kernel);
    }
    partial.set(kernel.slice(a.columns, a.centre, lo, hi));
  },
);

/**
 * gramCpu on the compute pool: each chunk of the pool is one slice (CHUNK_ROWS = SLICE_ROWS), its
 * sums go to the chunk's own slot, and the slots are added in slice order — gramCpu's numbers bit
 * for bit, on any number of threads. A column not yet in shared memory is copied there once (the
 * Gram matrix does d/2 multiply-adds per value read, so the copy is small next to the work).
 */
export async function gramPooled(
  columns: readonly GramColumn[],
  center: readonly number[] | null,
  options: { signal?: AbortSignal; impl?: GramImpl } = {},
): Promise<Float64Array> {
  const pool = computePool();
  const d = columns.length;
  const n = d === 0 ? 0 : columns[0]!.length;
  const dp = paddedWidth(d);
  if (d === 0) return new Float64Array(0);
  const shared = n > SLICE_ROWS ? columns.map((c) => pool.share(c)) : columns;
  const args: SliceArgs = { columns: shared, centre: paddedCentre(center, d), impl: options.impl };
  const partials = await pool.run(gramSliceTask, args, n, {
    partialSize: dp * dp,
    chunkRows: SLICE_ROWS,
    rowCost: (d * (d + 1)) / 2,
    signal: options.signal,
  });
  return symmetricFromUpper(sumSlots(partials, dp * dp), d, dp);
}
