/**
 * What the per-column kernels (colstats, histogram) share around their shaders: the CPU path that
 * runs the reference column by column, the f32 view of a chunk that is uploaded, and the pacing of
 * those uploads.
 */
import { cooperate } from '../../core/cooperate';

export type Column = Float32Array | Float64Array;

/** Bytes queued with writeBuffer before waiting for the GPU to catch up (bounds staging memory). */
const FLUSH_BYTES = 64 * 1024 * 1024;

/** `reference` of every column on the CPU, with progress by values done. Yields between columns,
 * so a cancel gets through on the CPU path too. */
export async function eachColumnOnCpu<R>(
  cols: Column[],
  reference: (col: Column, i: number) => R,
  signal?: AbortSignal,
  onProgress?: (fraction: number) => void,
): Promise<R[]> {
  const out: R[] = [];
  const total = cols.reduce((s, c) => s + c.length, 0);
  let done = 0;
  for (const [i, col] of cols.entries()) {
    await cooperate(signal);
    out.push(reference(col, i));
    done += col.length;
    onProgress?.(total ? done / total : 1);
  }
  return out;
}

/**
 * The values `start`..`end` of a column as f32 for upload: a view of a Float32Array column, or a
 * Float64Array's written by `convert` into one scratch array of `longest` values that every chunk
 * reuses (writeBuffer copies it at call time).
 */
export function f32Chunks(
  longest: number,
): (
  col: Column,
  start: number,
  end: number,
  convert: (col: Float64Array, out: Float32Array) => void,
) => Float32Array {
  let scratch: Float32Array | undefined;
  return (col, start, end, convert) => {
    if (col instanceof Float32Array) return col.subarray(start, end);
    scratch ??= new Float32Array(longest);
    const out = scratch.subarray(0, end - start);
    convert(col, out);
    return out;
  };
}

/** Call with the number of values after each chunk is submitted: waits for the GPU once
 * FLUSH_BYTES are queued, then reports the fraction of `totalValues` done. */
export function uploadPacer(
  device: GPUDevice,
  totalValues: number,
  onProgress?: (fraction: number) => void,
): (values: number) => Promise<void> {
  let done = 0;
  let queued = 0;
  return async (values) => {
    done += values;
    queued += values * 4;
    if (queued >= FLUSH_BYTES) {
      queued = 0;
      await device.queue.onSubmittedWorkDone();
    }
    onProgress?.(done / totalValues);
  };
}
