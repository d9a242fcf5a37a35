/**
 * t-SNE iterations on the GPU (tsne.wgsl.ts): three dispatches per iteration (repulsion over all
 * pairs in tiles, the normalisation Z, the update), positions ping-ponging between two buffers and
 * read back only for progress reports and at the end.
 *
 * Cost and limits: the repulsion is exact, n² pair evaluations per iteration (1000 iterations of
 * 70k points = 4.9·10¹² pairs: minutes on a mid-range GPU, impractical on SwiftShader). Agreement
 * with tsne.ref.ts: f32 with sums in a different order, so positions agree to float rounding for
 * a few iterations and whole runs agree in quality (trustworthiness), not point by point.
 */
import { EngineError, throwIfAborted } from '../../../engine/errors';
import type { Compute, Gpu } from '../../device';
import { cachedPipeline } from '../../pipelines';
import { exaggerationAt, momentumAt, type TsneInput, type TsneOptions, tsneRef } from './tsne.ref';
import { tsneReduceWgsl, tsneRepulseWgsl, tsneUpdateWgsl, WORKGROUP_SIZE } from './tsne.wgsl';

export { type TsneInput, type TsneOptions, tsneRef } from './tsne.ref';

export function tsneAll(
  compute: Compute | null,
  input: TsneInput,
  options: TsneOptions = {},
): Promise<Float32Array> {
  if (!compute) return tsneRef(input, options);
  return compute.run((gpu) => (gpu ? tsneGpu(gpu, input, options) : tsneRef(input, options)));
}

export async function tsneGpu(gpu: Gpu, input: TsneInput, options: TsneOptions = {}): Promise<Float32Array> {
  const { signal } = options;
  throwIfAborted(signal);
  const { n } = input;
  const m = input.col.length;
  const { device, limits } = gpu;
  const binding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const groups = Math.ceil(n / WORKGROUP_SIZE);
  const maxGroups = limits.maxComputeWorkgroupsPerDimension;
  if (n < 2 || 16 * (n + 1) > binding || 4 * m > binding || groups > maxGroups * maxGroups)
    return tsneRef(input, options);
  const gx = Math.min(groups, maxGroups);
  const gy = Math.ceil(groups / gx);
  const [repulse, reduce, update] = await Promise.all([
    cachedPipeline(device, 'tsne-repulse', tsneRepulseWgsl),
    cachedPipeline(device, 'tsne-reduce', tsneReduceWgsl),
    cachedPipeline(device, 'tsne-update', tsneUpdateWgsl),
  ]);
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let scopesOpen = true;
  const U = GPUBufferUsage;
  const make = (label: string, size: number, usage: number) =>
    device.createBuffer({ label: `tsne ${label}`, size: Math.max(16, Math.ceil(size / 4) * 4), usage });
  const params = make('params', 32, U.UNIFORM | U.COPY_DST);
  const rowBuf = make('row start', 4 * (n + 1), U.STORAGE | U.COPY_DST);
  const colBuf = make('col', 4 * m, U.STORAGE | U.COPY_DST);
  const valBuf = make('val', 4 * m, U.STORAGE | U.COPY_DST);
  const repBuf = make('rep', 16 * (n + 1), U.STORAGE);
  const stateBuf = make('state', 16 * n, U.STORAGE | U.COPY_DST);
  const pos = [
    make('positions A', 8 * n, U.STORAGE | U.COPY_DST | U.COPY_SRC),
    make('positions B', 8 * n, U.STORAGE | U.COPY_SRC),
  ];
  const readback = make('readback', 8 * n, U.MAP_READ | U.COPY_DST);
  const buffers = [params, rowBuf, colBuf, valBuf, repBuf, stateBuf, ...pos, readback];
  const read = async (buf: GPUBuffer): Promise<Float32Array> => {
    const enc = device.createCommandEncoder({ label: 'tsne readback' });
    enc.copyBufferToBuffer(buf, 0, readback, 0, 8 * n);
    device.queue.submit([enc.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(readback.getMappedRange(0, 8 * n).slice(0));
    readback.unmap();
    return out;
  };
  try {
    device.queue.writeBuffer(rowBuf, 0, input.rowStart.slice());
    if (m > 0) {
      device.queue.writeBuffer(colBuf, 0, input.col.slice());
      device.queue.writeBuffer(valBuf, 0, input.val.slice());
    }
    const state = new Float32Array(4 * n);
    for (let i = 0; i < n; i++) state.fill(1, 4 * i + 2, 4 * i + 4);
    device.queue.writeBuffer(stateBuf, 0, state);
    device.queue.writeBuffer(pos[0]!, 0, input.embedding.slice());
    const entries = (list: GPUBuffer[]) => list.map((buffer, binding) => ({ binding, resource: { buffer } }));
    const repulseGroups = pos.map((p) =>
      device.createBindGroup({
        layout: repulse.getBindGroupLayout(0),
        entries: entries([params, p, repBuf]),
      }),
    );
    const reduceGroup = device.createBindGroup({
      layout: reduce.getBindGroupLayout(0),
      entries: entries([params, repBuf]),
    });
    const updateGroups = [0, 1].map((s) =>
      device.createBindGroup({
        layout: update.getBindGroupLayout(0),
        entries: entries([params, rowBuf, colBuf, valBuf, repBuf, pos[s]!, pos[1 - s]!, stateBuf]),
      }),
    );
    const stop = Math.min(options.stopAfter ?? input.nIter, input.nIter);
    const every = options.reportEvery ?? 0;
    const u32 = new Uint32Array(8);
    const f32 = new Float32Array(u32.buffer);
    for (let it = 0; it < stop; it++) {
      u32[0] = n;
      f32[4] = exaggerationAt(it, input);
      f32[5] = momentumAt(it, input);
      f32[6] = input.learningRate;
      f32[7] = input.minGain;
      device.queue.writeBuffer(params, 0, u32);
      const s = it & 1;
      const enc = device.createCommandEncoder({ label: 'tsne iteration' });
      const pass = enc.beginComputePass({ label: 'tsne iteration' });
      pass.setPipeline(repulse);
      pass.setBindGroup(0, repulseGroups[s]!);
      pass.dispatchWorkgroups(gx, gy);
      pass.setPipeline(reduce);
      pass.setBindGroup(0, reduceGroup);
      pass.dispatchWorkgroups(1);
      pass.setPipeline(update);
      pass.setBindGroup(0, updateGroups[s]!);
      pass.dispatchWorkgroups(gx, gy);
      pass.end();
      device.queue.submit([enc.finish()]);
      const done = it + 1;
      if (options.onIteration && every > 0 && done % every === 0 && done !== stop) {
        options.onIteration(done, await read(pos[done & 1]!));
        throwIfAborted(signal);
      } else if ((done & 7) === 0) {
        await device.queue.onSubmittedWorkDone();
        throwIfAborted(signal);
      }
    }
    scopesOpen = false;
    const [validation, oom] = await Promise.all([device.popErrorScope(), device.popErrorScope()]);
    if (oom) throw new EngineError('OutOfMemory', `The GPU ran out of memory for t-SNE: ${oom.message}`);
    if (validation)
      throw new EngineError('InternalError', `A t-SNE kernel was rejected by WebGPU: ${validation.message}`);
    const result = await read(pos[stop & 1]!);
    options.onIteration?.(stop, result.slice());
    return result;
  } finally {
    if (scopesOpen) {
      void device.popErrorScope().catch(() => {});
      void device.popErrorScope().catch(() => {});
    }
    for (const b of buffers) b.destroy();
  }
}
