/**
 * UMAP layout epochs on the GPU (umap.wgsl.ts), one dispatch per epoch with positions ping-ponging
 * between two buffers; positions are read back only for progress reports and at the end.
 *
 * Agreement with umap.ref.ts: the same edges and negative samples are drawn in every epoch (exact
 * integer hashing and f32 schedule additions); positions differ by float rounding — the kernel
 * computes in f32 with WGSL's `pow` (a few ULP), the reference in float64 with f32 storage. Over
 * many epochs those differences grow the way any chaotic SGD does, so tests compare a few epochs
 * elementwise and whole runs by trustworthiness.
 *
 * Limits: vertices and edges each in one storage binding (8 bytes per edge for the schedule, 8 for
 * its counters): about 16M edges (≈ 700k points at 15 neighbours) at a 128 MiB binding limit.
 * Larger graphs use the reference.
 */
import { EngineError, throwIfAborted } from '../../../engine/errors';
import type { Compute, Gpu } from '../../device';
import { cachedPipeline } from '../../pipelines';
import { epochAlpha, pcgHash, type UmapLayoutInput, type UmapLayoutOptions, umapLayoutRef } from './umap.ref';
import { umapWgsl, WORKGROUP_SIZE } from './umap.wgsl';

export { type UmapLayoutInput, type UmapLayoutOptions, umapLayoutRef } from './umap.ref';

/** On `compute`'s GPU when there is one (device loss → reference), else the reference. */
export function umapLayoutAll(
  compute: Compute | null,
  input: UmapLayoutInput,
  options: UmapLayoutOptions = {},
): Promise<Float32Array> {
  if (!compute) return umapLayoutRef(input, options);
  return compute.run((gpu) => (gpu ? umapLayout(gpu, input, options) : umapLayoutRef(input, options)));
}

export async function umapLayout(
  gpu: Gpu,
  input: UmapLayoutInput,
  options: UmapLayoutOptions = {},
): Promise<Float32Array> {
  const { signal } = options;
  throwIfAborted(signal);
  const { n, rowStart, tail, schedule, nEpochs } = input;
  const m = tail.length;
  const { device, limits } = gpu;
  const binding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const groups = Math.ceil(n / WORKGROUP_SIZE);
  const maxGroups = limits.maxComputeWorkgroupsPerDimension;
  if (
    n === 0 ||
    m === 0 ||
    8 * m > binding ||
    8 * n > binding ||
    4 * (n + 1) > binding ||
    groups > maxGroups * maxGroups
  )
    return umapLayoutRef(input, options);
  const gx = Math.min(groups, maxGroups);
  const gy = Math.ceil(groups / gx);

  const pipeline = await cachedPipeline(device, 'umap-epoch', umapWgsl);
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let scopesOpen = true;
  const U = GPUBufferUsage;
  const make = (label: string, size: number, usage: number) =>
    device.createBuffer({ label: `umap ${label}`, size: Math.max(16, Math.ceil(size / 4) * 4), usage });
  const params = make('params', 32, U.UNIFORM | U.COPY_DST);
  const rowBuf = make('row start', 4 * (n + 1), U.STORAGE | U.COPY_DST);
  const tailBuf = make('tail', 4 * m, U.STORAGE | U.COPY_DST);
  const schedBuf = make('schedule', 8 * m, U.STORAGE | U.COPY_DST);
  const nextBuf = make('next sample', 8 * m, U.STORAGE | U.COPY_DST);
  const pos = [
    make('positions A', 8 * n, U.STORAGE | U.COPY_DST | U.COPY_SRC),
    make('positions B', 8 * n, U.STORAGE | U.COPY_SRC),
  ];
  const readback = make('readback', 8 * n, U.MAP_READ | U.COPY_DST);
  const buffers = [params, rowBuf, tailBuf, schedBuf, nextBuf, ...pos, readback];
  const read = async (buf: GPUBuffer): Promise<Float32Array> => {
    const enc = device.createCommandEncoder({ label: 'umap readback' });
    enc.copyBufferToBuffer(buf, 0, readback, 0, 8 * n);
    device.queue.submit([enc.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(readback.getMappedRange(0, 8 * n).slice(0));
    readback.unmap();
    return out;
  };
  try {
    // slice(): the caller's arrays may view a SharedArrayBuffer, which writeBuffer does not take.
    device.queue.writeBuffer(rowBuf, 0, rowStart.slice());
    device.queue.writeBuffer(tailBuf, 0, tail.slice());
    device.queue.writeBuffer(schedBuf, 0, schedule.slice());
    device.queue.writeBuffer(nextBuf, 0, schedule.slice()); // counters start at one period each
    device.queue.writeBuffer(pos[0]!, 0, input.embedding.slice());
    const layout = pipeline.getBindGroupLayout(0);
    const groupFor = (from: GPUBuffer, to: GPUBuffer) =>
      device.createBindGroup({
        layout,
        entries: [params, rowBuf, tailBuf, schedBuf, nextBuf, from, to].map((buffer, binding) => ({
          binding,
          resource: { buffer },
        })),
      });
    const bindGroups = [groupFor(pos[0]!, pos[1]!), groupFor(pos[1]!, pos[0]!)];
    const stop = Math.min(options.stopAfter ?? nEpochs, nEpochs);
    const every = options.reportEvery ?? 0;
    const seedHash = pcgHash(input.seed >>> 0);
    const u32 = new Uint32Array(8);
    const f32 = new Float32Array(u32.buffer);
    for (let epoch = 0; epoch < stop; epoch++) {
      u32[0] = n;
      u32[1] = epoch;
      u32[2] = pcgHash((epoch + seedHash) >>> 0);
      f32[4] = input.a;
      f32[5] = input.b;
      f32[6] = input.gamma;
      f32[7] = epochAlpha(input.alpha, epoch, nEpochs);
      device.queue.writeBuffer(params, 0, u32);
      const enc = device.createCommandEncoder({ label: 'umap epoch' });
      const pass = enc.beginComputePass({ label: 'umap epoch' });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroups[epoch & 1]!);
      pass.dispatchWorkgroups(gx, gy);
      pass.end();
      device.queue.submit([enc.finish()]);
      const done = epoch + 1;
      const current = pos[done & 1]!;
      if (options.onEpoch && every > 0 && done % every === 0 && done !== stop) {
        options.onEpoch(done, await read(current));
        throwIfAborted(signal);
      } else if ((done & 15) === 0) {
        // Bound the queue and give an abort a chance to arrive.
        await device.queue.onSubmittedWorkDone();
        throwIfAborted(signal);
      }
    }
    scopesOpen = false;
    const [validation, oom] = await Promise.all([device.popErrorScope(), device.popErrorScope()]);
    if (oom)
      throw new EngineError('OutOfMemory', `The GPU ran out of memory for the UMAP layout: ${oom.message}`);
    if (validation)
      throw new EngineError('InternalError', `The UMAP kernel was rejected by WebGPU: ${validation.message}`);
    const result = await read(pos[stop & 1]!);
    options.onEpoch?.(stop, result.slice());
    return result;
  } finally {
    if (scopesOpen) {
      void device.popErrorScope().catch(() => {});
      void device.popErrorScope().catch(() => {});
    }
    for (const b of buffers) b.destroy();
  }
}
