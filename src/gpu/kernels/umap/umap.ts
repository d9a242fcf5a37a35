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
import { throwIfAborted } from '../../../core/errors';
import { type Compute, type Gpu, gpuOrCpu } from '../../device';
import { bindingLimit, encodePass, guarded, workgroupGrid } from '../../dispatch';
import { cachedPipeline } from '../../pipelines';
import { epochAlpha, pcgHash, type UmapLayoutInput, type UmapLayoutOptions, umapLayoutRef } from './umap.ref';
import { type LayoutThreads, umapLayoutThreaded } from './umap.threads';
import { umapWgsl, WORKGROUP_SIZE } from './umap.wgsl';

export { type UmapLayoutInput, type UmapLayoutOptions, umapLayoutRef } from './umap.ref';

/**
 * On `compute`'s GPU when there is one, else (or after a device loss) the CPU reference on as many
 * threads as the machine has (umap.threads.ts; the same numbers as one thread).
 */
export function umapLayoutAll(
  compute: Compute | null,
  input: UmapLayoutInput,
  options: UmapLayoutOptions = {},
  threads: LayoutThreads = {},
): Promise<Float32Array> {
  return gpuOrCpu(
    compute,
    (gpu) => umapLayout(gpu, input, options),
    () => umapLayoutThreaded(input, options, threads),
  );
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
  const binding = bindingLimit(limits);
  const grid = workgroupGrid(Math.ceil(n / WORKGROUP_SIZE), limits);
  if (n === 0 || m === 0 || 8 * m > binding || 8 * n > binding || 4 * (n + 1) > binding || !grid)
    return umapLayoutRef(input, options);

  const pipeline = await cachedPipeline(device, 'umap-epoch', umapWgsl);
  return guarded(device, { kernel: 'UMAP', task: 'the UMAP layout' }, async (guard) => {
    // Sizes rounded up to whole words and at least 16 bytes; slice(): the caller's arrays may view
    // a SharedArrayBuffer, which writeBuffer does not take.
    const size = (bytes: number) => Math.max(16, Math.ceil(bytes / 4) * 4);
    const U = GPUBufferUsage;
    const upload = (label: string, data: ArrayBufferView<ArrayBuffer>) => {
      const buffer = guard.storage(`umap ${label}`, size(data.byteLength));
      device.queue.writeBuffer(buffer, 0, data);
      return buffer;
    };
    const params = guard.uniform('umap params', 32);
    const rowBuf = upload('row start', rowStart.slice());
    const tailBuf = upload('tail', tail.slice());
    const schedBuf = upload('schedule', schedule.slice());
    const nextBuf = upload('next sample', schedule.slice()); // counters start at one period each
    const pos = [
      guard.storage('umap positions A', size(8 * n), U.COPY_SRC),
      guard.storage('umap positions B', size(8 * n), U.COPY_SRC),
    ];
    device.queue.writeBuffer(pos[0]!, 0, input.embedding.slice());
    const readback = guard.staging('umap readback', size(8 * n));
    const read = async (buf: GPUBuffer) => new Float32Array(await guard.read(readback, 8 * n, buf));
    const groupFor = (from: GPUBuffer, to: GPUBuffer) =>
      guard.bind(pipeline, [params, rowBuf, tailBuf, schedBuf, nextBuf, from, to]);
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
      encodePass(enc, 'umap epoch', pipeline, bindGroups[epoch & 1]!, grid.x, grid.y);
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
    await guard.check();
    const result = await read(pos[stop & 1]!);
    options.onEpoch?.(stop, result.slice());
    return result;
  });
}
