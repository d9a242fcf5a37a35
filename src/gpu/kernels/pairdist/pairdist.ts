/**
 * NaN-aware squared distances on the GPU (see pairdist.wgsl.ts), chunked by query rows so the
 * output fits a binding and by reference rows so the input does.
 *
 * Error: inputs are rounded to f32 (relative 2⁻²⁴ each) and each pair accumulates d squared
 * differences in f32, so |D − D_ref| ≤ (d + 4)·2⁻²⁴·Σₖ(|aₖ| + |bₖ|)² ≤ (d + 4)·2⁻²³·(‖a‖² + ‖b‖²).
 * Stated tolerance: PAIRDIST_TOLERANCE(d)·(‖a‖² + ‖b‖²) with norms over present coordinates;
 * callers centre the data first so the norms are about the spread. Counts are exact.
 */
import { throwIfAborted } from '../../../core/errors';
import type { Gpu } from '../../device';
import { bindingLimit, encodePass, guarded } from '../../dispatch';
import { cachedPipeline } from '../../pipelines';
import { type PairDistances, pairdistRef } from './pairdist.ref';
import { pairdistWgsl, TILE } from './pairdist.wgsl';

export { type PairDistances, pairdistRef } from './pairdist.ref';

export const PAIRDIST_TOLERANCE = (d: number): number => (d + 4) * 2 ** -23;

export interface PairdistOptions {
  signal?: AbortSignal;
  /** Largest binding in elements; tests set it small to exercise chunking. */
  maxBindingElements?: number;
}

export async function pairdist(
  gpu: Gpu,
  queries: Float64Array,
  refs: Float64Array,
  d: number,
  options: PairdistOptions = {},
): Promise<PairDistances> {
  const { signal } = options;
  throwIfAborted(signal);
  const q = d === 0 ? 0 : queries.length / d;
  const r = d === 0 ? 0 : refs.length / d;
  if (q === 0 || r === 0) return { ...pairdistRef(queries, refs, d), fallback: 'no rows' };
  const { device, limits } = gpu;
  const binding = Math.min(Math.floor(bindingLimit(limits) / 4), options.maxBindingElements ?? Infinity);
  const maxGroups = limits.maxComputeWorkgroupsPerDimension;
  const refChunk = Math.min(r, Math.floor(binding / d), maxGroups * TILE, Math.floor(binding / 2));
  const queryChunk = Math.min(
    q,
    Math.floor(binding / d),
    maxGroups * TILE,
    Math.floor(binding / (2 * refChunk)),
  );
  if (refChunk < 1 || queryChunk < 1) {
    return {
      ...pairdistRef(queries, refs, d),
      fallback: `rows of ${d} values do not fit in one storage binding`,
    };
  }

  const pipeline = await cachedPipeline(device, 'pairdist', pairdistWgsl);
  return guarded(device, { kernel: 'pairdist', task: 'pairwise distances' }, async (guard) => {
    const qBuf = guard.storage('pairdist queries', queryChunk * d * 4);
    const rBuf = guard.storage('pairdist refs', refChunk * d * 4);
    const outBytes = queryChunk * refChunk * 8;
    const outBuf = guard.storage('pairdist out', outBytes, GPUBufferUsage.COPY_SRC);
    const uniform = guard.uniform('pairdist params', 16);
    const readback = guard.staging('pairdist readback', outBytes);
    const sum = new Float64Array(q * r);
    const count = new Float64Array(q * r);
    const bindGroup = guard.bind(pipeline, [qBuf, rBuf, outBuf, uniform]);
    for (let r0 = 0; r0 < r; r0 += refChunk) {
      const rn = Math.min(refChunk, r - r0);
      // f32 conversion keeps NaN as NaN (an exponent of all ones), which the shader skips.
      device.queue.writeBuffer(rBuf, 0, Float32Array.from(refs.subarray(r0 * d, (r0 + rn) * d)));
      for (let q0 = 0; q0 < q; q0 += queryChunk) {
        throwIfAborted(signal);
        const qn = Math.min(queryChunk, q - q0);
        device.queue.writeBuffer(qBuf, 0, Float32Array.from(queries.subarray(q0 * d, (q0 + qn) * d)));
        device.queue.writeBuffer(uniform, 0, Uint32Array.of(qn, rn, d, 0));
        const encoder = device.createCommandEncoder({ label: 'pairdist' });
        encodePass(encoder, 'pairdist', pipeline, bindGroup, Math.ceil(rn / TILE), Math.ceil(qn / TILE));
        encoder.copyBufferToBuffer(outBuf, 0, readback, 0, qn * rn * 8);
        device.queue.submit([encoder.finish()]);
        const values = new Float32Array(await guard.read(readback, qn * rn * 8));
        for (let i = 0; i < qn; i++) {
          for (let j = 0; j < rn; j++) {
            sum[(q0 + i) * r + r0 + j] = values[2 * (i * rn + j)]!;
            count[(q0 + i) * r + r0 + j] = values[2 * (i * rn + j) + 1]!;
          }
        }
      }
    }
    await guard.check();
    for (let i = 0; i < sum.length; i++) {
      // f32 squares overflow for values beyond ~1e19: float64 gets them right, and says so.
      if (!Number.isFinite(sum[i]!)) {
        return { ...pairdistRef(queries, refs, d), fallback: 'the float32 distances overflowed' };
      }
    }
    return { sum, count };
  });
}
