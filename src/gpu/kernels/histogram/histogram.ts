/**
 * Equal-width histograms on the GPU: counts per bin for many columns in one batch.
 *
 * Exactness. Binning is integer counting after two f32 roundings (x − lo, then × bins/span); the
 * reference (histogram.ref.ts) performs the same roundings with Math.fround, so the kernel's
 * counts equal the reference's exactly — no tolerance. Relative to exact real arithmetic a value
 * within ~1e-7 of the span from a bin edge may land in the neighbouring bin; histograms are for
 * looking at, and the quantiles we report are computed exactly on the CPU, not read from bins.
 *
 * Float64 input is shifted by lo in f64 on the host and converted to f32 (WebGPU has no f64).
 * Ranges whose width overflows f32 use the reference.
 */
import { EngineError, throwIfAborted } from '../../../core/errors';
import { type Compute, type Gpu, gpuOrCpu } from '../../device';
import { encodePass, guarded } from '../../dispatch';
import { cachedPipeline } from '../../pipelines';
import { chunkElements } from '../colstats/colstats';
import { type Column, eachColumnOnCpu, f32Chunks, uploadPacer } from '../columns';
import {
  binParams,
  binParams64,
  type Histogram,
  type HistogramRange,
  histogramRef,
  needsReference,
  validateRange,
} from './histogram.ref';
import { histogramWgsl, MAX_BINS, TILE } from './histogram.wgsl';

export type { Histogram, HistogramRange } from './histogram.ref';
export { histogramRef } from './histogram.ref';
export { MAX_BINS } from './histogram.wgsl';

export interface HistogramOptions {
  signal?: AbortSignal;
  /** Largest chunk uploaded in one binding (elements); tests set it small to exercise chunking. */
  maxBindingElements?: number;
  /** Fraction of all values processed, 0..1. */
  onProgress?: (fraction: number) => void;
}

const PARAMS_BYTES = 32;

/** Histogram of one column on `gpu`. */
export async function histogram(
  gpu: Gpu,
  col: Column,
  range: HistogramRange,
  options: HistogramOptions = {},
): Promise<Histogram> {
  const [h] = await histogramGpu(gpu, [col], [range], options);
  return h as Histogram;
}

/** Histograms of every column (ranges[i] for cols[i]): on the GPU when there is one, else with
 * the reference. Device loss is handled by `compute.run`. */
export function histogramAll(
  compute: Compute,
  cols: Column[],
  ranges: HistogramRange[],
  options: HistogramOptions = {},
): Promise<Histogram[]> {
  for (const r of ranges) validateRange(r, MAX_BINS);
  return gpuOrCpu(
    compute,
    (gpu) => histogramGpu(gpu, cols, ranges, options),
    () =>
      eachColumnOnCpu(
        cols,
        (col, i) => histogramRef(col, ranges[i] as HistogramRange),
        options.signal,
        options.onProgress,
      ),
  );
}

interface Chunk {
  column: number;
  start: number;
  end: number;
}

export async function histogramGpu(
  gpu: Gpu,
  cols: Column[],
  ranges: HistogramRange[],
  options: HistogramOptions = {},
): Promise<Histogram[]> {
  const { signal, onProgress } = options;
  throwIfAborted(signal);
  if (cols.length !== ranges.length)
    throw new EngineError('InvalidArgument', `${cols.length} columns but ${ranges.length} histogram ranges.`);
  for (const r of ranges) validateRange(r, MAX_BINS);
  const { device } = gpu;
  const perChunk = chunkElements(gpu.limits, options.maxBindingElements);

  // Output slots: bins + 1 (outside) per column that runs on the device.
  const onDevice = cols.map((col, i) => {
    const r = ranges[i] as HistogramRange;
    return col.length > 0 && !needsReference(r, col instanceof Float64Array);
  });
  const offsets: number[] = [];
  let slots = 0;
  const chunks: Chunk[] = [];
  let longestChunk = 0;
  cols.forEach((col, column) => {
    offsets.push(slots);
    if (!onDevice[column]) return;
    slots += (ranges[column] as HistogramRange).bins + 1;
    for (let start = 0; start < col.length; start += perChunk) {
      const end = Math.min(col.length, start + perChunk);
      chunks.push({ column, start, end });
      longestChunk = Math.max(longestChunk, end - start);
    }
  });
  const viaReference = (i: number) => histogramRef(cols[i] as Column, ranges[i] as HistogramRange);
  if (chunks.length === 0) return cols.map((_c, i) => viaReference(i));

  const pipeline = await cachedPipeline(device, 'histogram', histogramWgsl);
  return guarded(device, { kernel: 'histogram', task: 'histograms' }, async (guard) => {
    const input = guard.storage('histogram input', longestChunk * 4);
    // New buffers are zero-filled by WebGPU, so the counts start at 0.
    const counts = guard.storage('histogram counts', slots * 4, GPUBufferUsage.COPY_SRC);
    const uniform = guard.uniform('histogram params', PARAMS_BYTES);
    const readback = guard.staging('histogram readback', slots * 4);
    const bindGroup = guard.bind(pipeline, [input, counts, uniform]);
    const params = new ArrayBuffer(PARAMS_BYTES);
    const u32 = new Uint32Array(params);
    const f32 = new Float32Array(params);
    const chunkF32 = f32Chunks(longestChunk);
    const pace = uploadPacer(
      device,
      chunks.reduce((s, c) => s + c.end - c.start, 0),
      onProgress,
    );

    for (const chunk of chunks) {
      throwIfAborted(signal);
      const col = cols[chunk.column] as Column;
      const range = ranges[chunk.column] as HistogramRange;
      const n = chunk.end - chunk.start;
      const upload = chunkF32(col, chunk.start, chunk.end, (c64, out) =>
        shiftToF32(c64, chunk.start, chunk.end, range.lo, out),
      );
      // Float64 values are shifted by lo while converting; Float32 ones by the shader.
      const f32Input = col instanceof Float32Array;
      const p = f32Input ? binParams(range) : binParams64(range);
      f32[4] = f32Input ? p.shift : 0;
      f32[5] = p.span;
      f32[6] = p.scale;
      u32[0] = n;
      u32[1] = range.bins;
      u32[2] = offsets[chunk.column] as number;
      device.queue.writeBuffer(input, 0, upload as Float32Array<ArrayBuffer>);
      device.queue.writeBuffer(uniform, 0, params);
      const encoder = device.createCommandEncoder({ label: 'histogram' });
      encodePass(encoder, 'histogram', pipeline, bindGroup, Math.ceil(n / TILE));
      device.queue.submit([encoder.finish()]);
      await pace(n);
    }
    const encoder = device.createCommandEncoder({ label: 'histogram readback' });
    encoder.copyBufferToBuffer(counts, 0, readback, 0, slots * 4);
    device.queue.submit([encoder.finish()]);

    await guard.check();
    const got = new Uint32Array(await guard.read(readback, slots * 4));
    return cols.map((_col, i) => {
      if (!onDevice[i]) return viaReference(i);
      const bins = (ranges[i] as HistogramRange).bins;
      const o = offsets[i] as number;
      return { counts: Float64Array.from(got.subarray(o, o + bins)), outside: got[o + bins] as number };
    });
  });
}

/** fround(x − lo) for the device; a finite x whose shift overflows f32 is far outside: −1. */
function shiftToF32(col: Float64Array, start: number, end: number, lo: number, out: Float32Array): void {
  for (let i = start; i < end; i++) {
    const x = col[i] as number;
    const d = Math.fround(x - lo);
    out[i - start] = d - d !== 0 && x - x === 0 ? -1 : d;
  }
}
