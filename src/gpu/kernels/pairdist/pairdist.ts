/**
 * NaN-aware squared distances on the GPU (see pairdist.wgsl.ts), chunked by query rows so the
 * output fits a binding and by reference rows so the input does.
 *
 * Error: inputs are rounded to f32 (relative 2⁻²⁴ each) and each pair accumulates d squared
 * differences in f32, so |D − D_ref| ≤ (d + 4)·2⁻²⁴·Σₖ(|aₖ| + |bₖ|)² ≤ (d + 4)·2⁻²³·(‖a‖² + ‖b‖²).
 * Stated tolerance: PAIRDIST_TOLERANCE(d)·(‖a‖² + ‖b‖²) with norms over present coordinates;
 * callers centre the data first so the norms are about the spread. Counts are exact.
 */
import { EngineError, throwIfAborted } from '../../../engine/errors';
import type { Gpu } from '../../device';
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
  if (q === 0 || r === 0) return pairdistRef(queries, refs, d);
  const { device, limits } = gpu;
  const binding = Math.min(
    Math.floor(Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize) / 4),
    options.maxBindingElements ?? Infinity,
  );
  const maxGroups = limits.maxComputeWorkgroupsPerDimension;
  const refChunk = Math.min(r, Math.floor(binding / d), maxGroups * TILE, Math.floor(binding / 2));
  const queryChunk = Math.min(
    q,
    Math.floor(binding / d),
    maxGroups * TILE,
    Math.floor(binding / (2 * refChunk)),
  );
  if (refChunk < 1 || queryChunk < 1) return pairdistRef(queries, refs, d);

  const pipeline = await cachedPipeline(device, 'pairdist', pairdistWgsl);
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let scopesOpen = true;
  const usage = GPUBufferUsage;
  const qBuf = device.createBuffer({
    label: 'pairdist queries',
    size: queryChunk * d * 4,
    usage: usage.STORAGE | usage.COPY_DST,
  });
  const rBuf = device.createBuffer({
    label: 'pairdist refs',
    size: refChunk * d * 4,
    usage: usage.STORAGE | usage.COPY_DST,
  });
  const outBytes = queryChunk * refChunk * 8;
  const outBuf = device.createBuffer({
    label: 'pairdist out',
    size: outBytes,
    usage: usage.STORAGE | usage.COPY_SRC,
  });
  const uniform = device.createBuffer({
    label: 'pairdist params',
    size: 16,
    usage: usage.UNIFORM | usage.COPY_DST,
  });
  const readback = device.createBuffer({
    label: 'pairdist readback',
    size: outBytes,
    usage: usage.MAP_READ | usage.COPY_DST,
  });
  const buffers = [qBuf, rBuf, outBuf, uniform, readback];
  const sum = new Float64Array(q * r);
  const count = new Float64Array(q * r);
  try {
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: qBuf } },
        { binding: 1, resource: { buffer: rBuf } },
        { binding: 2, resource: { buffer: outBuf } },
        { binding: 3, resource: { buffer: uniform } },
      ],
    });
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
        const pass = encoder.beginComputePass({ label: 'pairdist' });
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(Math.ceil(rn / TILE), Math.ceil(qn / TILE));
        pass.end();
        encoder.copyBufferToBuffer(outBuf, 0, readback, 0, qn * rn * 8);
        device.queue.submit([encoder.finish()]);
        await readback.mapAsync(GPUMapMode.READ, 0, qn * rn * 8);
        const values = new Float32Array(readback.getMappedRange(0, qn * rn * 8).slice(0));
        readback.unmap();
        for (let i = 0; i < qn; i++) {
          for (let j = 0; j < rn; j++) {
            sum[(q0 + i) * r + r0 + j] = values[2 * (i * rn + j)]!;
            count[(q0 + i) * r + r0 + j] = values[2 * (i * rn + j) + 1]!;
          }
        }
      }
    }
    scopesOpen = false;
    const [validation, oom] = await Promise.all([device.popErrorScope(), device.popErrorScope()]);
    if (oom)
      throw new EngineError(
        'OutOfMemory',
        `The GPU ran out of memory for pairwise distances: ${oom.message}`,
      );
    if (validation) {
      throw new EngineError(
        'InternalError',
        `The pairdist kernel was rejected by WebGPU: ${validation.message}`,
      );
    }
    for (let i = 0; i < sum.length; i++) if (!Number.isFinite(sum[i]!)) return pairdistRef(queries, refs, d);
    return { sum, count };
  } finally {
    if (scopesOpen) {
      void device.popErrorScope().catch(() => {});
      void device.popErrorScope().catch(() => {});
    }
    for (const b of buffers) b.destroy();
  }
}
