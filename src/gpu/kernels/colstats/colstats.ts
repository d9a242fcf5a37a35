/**
 * Column statistics on the GPU: count, NaN/±Infinity counts, mean, M2/variance, min, max.
 *
 * Numerics. Each workgroup reduces a tile of TILE values in f32 (per-thread Welford over
 * ITEMS_PER_THREAD values, then log2(WORKGROUP_SIZE) = 8 levels of Chan merges); the host merges
 * the partials in float64. Before reduction every value is shifted by the column's first finite
 * value, so data like 1e8 + noise keeps its small deviations. With unit roundoff u = 2^-24 ≈ 6e-8,
 * the f32 part contributes a relative error of at most about (ITEMS_PER_THREAD + 8) · u ≈ 1.4e-6
 * to mean and M2 of well-conditioned data (|mean| ≲ a few standard deviations) — rounding errors
 * accumulate only along a path of ~24 operations, the float64 merge adds nothing measurable.
 * Hence the stated tolerance: mean and variance within 1e-5 relative (to the standard deviation
 * for the mean) of the float64 reference. Counts are exact; min/max are exact.
 *
 * Float64Array input: WebGPU has no f64, so values are converted on the CPU to f32 *after*
 * subtracting the shift (in f64). Deviations from the first value therefore keep ~7 significant
 * digits: a column whose spread is below ~1e-7 of its deviations' magnitude loses its variance.
 * The conversion pass also computes the exact min/max. Columns whose shifted values or squared
 * deviations overflow f32 (|x| ≳ 1e19) are detected (non-finite partials) and use the reference.
 */
import { EngineError, throwIfAborted } from '../../../core/errors';
import { type Compute, type Gpu, gpuOrCpu } from '../../device';
import { bindingLimit, encodePass, guarded } from '../../dispatch';
import { cachedPipeline } from '../../pipelines';
import { type Column, eachColumnOnCpu, f32Chunks, uploadPacer } from '../columns';
import {
  type ColStats,
  colStatsRef,
  emptyMoments,
  finishMoments,
  firstFinite,
  type Moments,
  mergeMoments,
} from './colstats.ref';
import { colstatsWgsl, PARTIAL_BYTES, TILE } from './colstats.wgsl';

export type { ColStats } from './colstats.ref';
export { colStatsRef } from './colstats.ref';

export interface ColStatsOptions {
  signal?: AbortSignal;
  /** Largest chunk uploaded in one binding (elements); defaults to what the device allows.
   * Tests set it small to exercise the chunk merge. */
  maxBindingElements?: number;
  /** Fraction of all values processed, 0..1. */
  onProgress?: (fraction: number) => void;
}

const F32_MAX = 3.4028234663852886e38;

/** Elements per chunk: the binding and buffer limits, the 1-D dispatch limit, and the override. */
export function chunkElements(limits: GPUSupportedLimits, maxBindingElements?: number): number {
  const byBinding = Math.floor(bindingLimit(limits) / 4);
  const byDispatch = limits.maxComputeWorkgroupsPerDimension * TILE;
  let n = Math.min(byBinding, byDispatch, maxBindingElements ?? Infinity);
  if (n >= TILE) n -= n % TILE; // whole tiles, so only a column's last chunk has a ragged tile
  if (!(n >= 1))
    throw new EngineError('InvalidArgument', `maxBindingElements must be ≥ 1, got ${maxBindingElements}`);
  return n;
}

interface Chunk {
  column: number;
  start: number;
  end: number;
  /** Index of this chunk's first partial in the readback buffer. */
  firstPartial: number;
}

interface ColumnPlan {
  shift: number;
  /** Float64 input only: exact extremes, found while converting. */
  min: number;
  max: number;
  /** A shifted value overflowed f32: use the reference for this column. */
  overflow: boolean;
}

/** Column statistics of one column on `gpu`. */
export async function colStats(gpu: Gpu, col: Column, options: ColStatsOptions = {}): Promise<ColStats> {
  const [stats] = await colStatsGpu(gpu, [col], options);
  return stats as ColStats;
}

/** Statistics of every column: on the GPU when `compute.gpu`, else with the reference. Device loss
 * is handled by `compute.run` (the whole batch re-runs on the replacement). */
export function colStatsAll(
  compute: Compute,
  cols: Column[],
  options: ColStatsOptions = {},
): Promise<ColStats[]> {
  return gpuOrCpu(
    compute,
    (gpu) => colStatsGpu(gpu, cols, options),
    () => eachColumnOnCpu(cols, (col) => colStatsRef(col), options.signal, options.onProgress),
  );
}

/** All columns in one pass over shared buffers: every chunk is queued without waiting (queue
 * order makes reusing the input buffer safe), and all partials come back in one readback. */
export async function colStatsGpu(
  gpu: Gpu,
  cols: Column[],
  options: ColStatsOptions = {},
): Promise<ColStats[]> {
  const { signal, onProgress } = options;
  throwIfAborted(signal);
  const { device } = gpu;
  const perChunk = chunkElements(gpu.limits, options.maxBindingElements);

  const chunks: Chunk[] = [];
  let partialCount = 0;
  let longestChunk = 0;
  let mostPartials = 0;
  cols.forEach((col, column) => {
    for (let start = 0; start < col.length; start += perChunk) {
      const end = Math.min(col.length, start + perChunk);
      const partials = Math.ceil((end - start) / TILE);
      chunks.push({ column, start, end, firstPartial: partialCount });
      partialCount += partials;
      longestChunk = Math.max(longestChunk, end - start);
      mostPartials = Math.max(mostPartials, partials);
    }
  });
  const plans: ColumnPlan[] = cols.map((col) => {
    const i = firstFinite(col);
    return { shift: i < 0 ? 0 : (col[i] as number), min: Infinity, max: -Infinity, overflow: false };
  });
  if (chunks.length === 0) return cols.map(colStatsRef); // only empty columns

  const pipeline = await cachedPipeline(device, 'colstats', colstatsWgsl);
  return guarded(device, { kernel: 'colstats', task: 'column statistics' }, async (guard) => {
    const input = guard.storage('colstats input', longestChunk * 4);
    const partials = guard.storage(
      'colstats partials',
      mostPartials * PARTIAL_BYTES,
      GPUBufferUsage.COPY_SRC,
    );
    const uniform = guard.uniform('colstats params', 16);
    const readback = guard.staging('colstats readback', partialCount * PARTIAL_BYTES);
    const bindGroup = guard.bind(pipeline, [input, partials, uniform]);
    const params = new ArrayBuffer(16);
    const paramsU32 = new Uint32Array(params);
    const paramsF32 = new Float32Array(params);
    const chunkF32 = f32Chunks(longestChunk);
    const pace = uploadPacer(
      device,
      cols.reduce((s, c) => s + c.length, 0),
      onProgress,
    );

    for (const chunk of chunks) {
      throwIfAborted(signal);
      const col = cols[chunk.column] as Column;
      const plan = plans[chunk.column] as ColumnPlan;
      const n = chunk.end - chunk.start;
      const upload = chunkF32(col, chunk.start, chunk.end, (c64, out) =>
        convertShifted(c64, chunk.start, chunk.end, out, plan),
      );
      // Float64 values are shifted while converting; Float32 ones by the shader.
      paramsF32[1] = col instanceof Float32Array ? plan.shift : 0;
      paramsU32[0] = n;
      // Arrow columns may live in a SharedArrayBuffer, which writeBuffer accepts (AllowShared).
      device.queue.writeBuffer(input, 0, upload as Float32Array<ArrayBuffer>);
      device.queue.writeBuffer(uniform, 0, params);
      const groups = Math.ceil(n / TILE);
      const encoder = device.createCommandEncoder({ label: 'colstats' });
      encodePass(encoder, 'colstats', pipeline, bindGroup, groups);
      encoder.copyBufferToBuffer(
        partials,
        0,
        readback,
        chunk.firstPartial * PARTIAL_BYTES,
        groups * PARTIAL_BYTES,
      );
      device.queue.submit([encoder.finish()]);
      await pace(n);
    }

    await guard.check();
    const bytes = await guard.read(readback, partialCount * PARTIAL_BYTES);
    return mergePartials(cols, chunks, plans, bytes);
  });
}

/** Writes fround(x - shift) and tracks the exact finite min/max and any f32 overflow. */
function convertShifted(
  col: Float64Array,
  start: number,
  end: number,
  out: Float32Array,
  plan: ColumnPlan,
): void {
  const shift = plan.shift;
  let { min, max } = plan;
  let overflow = false;
  for (let i = start; i < end; i++) {
    const x = col[i] as number;
    const d = x - shift;
    out[i - start] = d;
    if (x - x === 0) {
      if (x < min) min = x;
      if (x > max) max = x;
      if (d > F32_MAX || d < -F32_MAX) overflow = true;
    }
  }
  plan.min = min;
  plan.max = max;
  plan.overflow ||= overflow;
}

function mergePartials(cols: Column[], chunks: Chunk[], plans: ColumnPlan[], bytes: ArrayBuffer): ColStats[] {
  const u32 = new Uint32Array(bytes);
  const f32 = new Float32Array(bytes);
  const moments: Moments[] = cols.map(() => emptyMoments());
  const part = emptyMoments();
  const words = PARTIAL_BYTES / 4;
  for (const chunk of chunks) {
    const m = moments[chunk.column] as Moments;
    const groups = Math.ceil((chunk.end - chunk.start) / TILE);
    for (let g = 0; g < groups; g++) {
      const o = (chunk.firstPartial + g) * words;
      part.n = u32[o] as number;
      part.nan = u32[o + 1] as number;
      part.posInf = u32[o + 2] as number;
      part.negInf = u32[o + 3] as number;
      part.mean = f32[o + 4] as number;
      part.m2 = f32[o + 5] as number;
      part.min = part.n ? (f32[o + 6] as number) : Infinity;
      part.max = part.n ? (f32[o + 7] as number) : -Infinity;
      mergeMoments(m, part);
    }
  }
  return cols.map((col, i) => {
    const m = moments[i] as Moments;
    const plan = plans[i] as ColumnPlan;
    if (plan.overflow) return { ...colStatsRef(col), fallback: 'values beyond the float32 range' };
    if (!Number.isFinite(m.mean) || !Number.isFinite(m.m2)) {
      return { ...colStatsRef(col), fallback: 'the float32 moments overflowed' };
    }
    if (col instanceof Float64Array && m.n > 0) {
      m.min = plan.min;
      m.max = plan.max;
    }
    return finishMoments(m, plan.shift);
  });
}
