/**
 * t-SNE iterations on the GPU (tsne.wgsl.ts): per iteration the repulsion (exact here: the
 * repulsion over all pairs in tiles and the normalisation Z; the FFT interpolation of tsne-fft
 * plugs in the same way), then the update, positions ping-ponging between two buffers and read
 * back only for progress reports, the repulsion's checkpoints and at the end.
 *
 * Cost and limits: the exact repulsion is n² pair evaluations per iteration (1000 iterations of
 * 70k points = 4.9·10¹² pairs: minutes on a mid-range GPU, impractical on SwiftShader). Agreement
 * with tsne.ref.ts: f32 with sums in a different order, so positions agree to float rounding for
 * a few iterations and whole runs agree in quality (trustworthiness), not point by point.
 */
import { EngineError, throwIfAborted } from '../../../core/errors';
import { type Compute, type Gpu, gpuOrCpu } from '../../device';
import { cachedPipeline } from '../../pipelines';
import {
  exactRepulsion,
  exaggerationAt,
  momentumAt,
  type Repulsion,
  type TsneInput,
  type TsneOptions,
  tsneDescent,
  tsneRef,
} from './tsne.ref';
import { tsneReduceWgsl, tsneRepulseWgsl, tsneUpdateWgsl, WORKGROUP_SIZE } from './tsne.wgsl';

export { type TsneInput, type TsneOptions, tsneRef } from './tsne.ref';

/** The repulsive half of an iteration on the GPU: fills rep[i].xy (Σⱼ q̃ᵢⱼ²(yᵢ − yⱼ)) and rep[n].z (Z). */
export interface GpuRepulsion {
  /** Records its dispatches for positions `pos[s]`. */
  encode(pass: GPUComputePassEncoder, s: 0 | 1): void;
  /** Wants the positions every this many iterations (e.g. to resize a grid). */
  checkEvery?: number;
  checkpoint?(positions: Float32Array): Promise<void> | void;
  destroy(): void;
}

export interface GpuRepulsionMethod {
  /** Builds the repulsion for n points over the two position buffers and the rep buffer
   * (n + 1 vec4s); null when this device cannot (then the run takes `reference`). */
  make(gpu: Gpu, n: number, pos: GPUBuffer[], rep: GPUBuffer): Promise<GpuRepulsion | null>;
  /** The CPU reference of the same repulsion. */
  reference(): Repulsion;
}

/** The tiled all-pairs repulsion and the Z reduction. */
export const exactGpuRepulsion: GpuRepulsionMethod = {
  reference: exactRepulsion,
  async make(gpu, n, pos, rep) {
    const { device, limits } = gpu;
    const groups = Math.ceil(n / WORKGROUP_SIZE);
    const maxGroups = limits.maxComputeWorkgroupsPerDimension;
    if (groups > maxGroups * maxGroups) return null;
    const gx = Math.min(groups, maxGroups);
    const gy = Math.ceil(groups / gx);
    const [repulse, reduce] = await Promise.all([
      cachedPipeline(device, 'tsne-repulse', tsneRepulseWgsl),
      cachedPipeline(device, 'tsne-reduce', tsneReduceWgsl),
    ]);
    const params = device.createBuffer({
      label: 'tsne repulse params',
      size: 32,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(params, 0, new Uint32Array([n, 0, 0, 0, 0, 0, 0, 0]));
    const entries = (list: GPUBuffer[]) => list.map((buffer, binding) => ({ binding, resource: { buffer } }));
    const repulseGroups = pos.map((p) =>
      device.createBindGroup({ layout: repulse.getBindGroupLayout(0), entries: entries([params, p, rep]) }),
    );
    const reduceGroup = device.createBindGroup({
      layout: reduce.getBindGroupLayout(0),
      entries: entries([params, rep]),
    });
    return {
      encode(pass, s) {
        pass.setPipeline(repulse);
        pass.setBindGroup(0, repulseGroups[s]!);
        pass.dispatchWorkgroups(gx, gy);
        pass.setPipeline(reduce);
        pass.setBindGroup(0, reduceGroup);
        pass.dispatchWorkgroups(1);
      },
      destroy: () => params.destroy(),
    };
  },
};

export function tsneAll(
  compute: Compute | null,
  input: TsneInput,
  options: TsneOptions = {},
): Promise<Float32Array> {
  return gpuOrCpu(
    compute,
    (gpu) => tsneGpu(gpu, input, options),
    () => tsneRef(input, options),
  );
}

export async function tsneGpu(
  gpu: Gpu,
  input: TsneInput,
  options: TsneOptions = {},
  method: GpuRepulsionMethod = exactGpuRepulsion,
): Promise<Float32Array> {
  const { signal } = options;
  throwIfAborted(signal);
  const { n } = input;
  const m = input.col.length;
  const { device, limits } = gpu;
  const binding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const groups = Math.ceil(n / WORKGROUP_SIZE);
  const maxGroups = limits.maxComputeWorkgroupsPerDimension;
  const cpu = () => tsneDescent(input, method.reference(), options);
  if (n < 2 || 16 * (n + 1) > binding || 4 * m > binding || groups > maxGroups * maxGroups) return cpu();
  const gx = Math.min(groups, maxGroups);
  const gy = Math.ceil(groups / gx);
  const update = await cachedPipeline(device, 'tsne-update', tsneUpdateWgsl);
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
  let repulsion: GpuRepulsion | null = null;
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
    repulsion = await method.make(gpu, n, pos, repBuf);
    if (!repulsion) {
      scopesOpen = false;
      await Promise.all([device.popErrorScope(), device.popErrorScope()]);
      return cpu();
    }
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
    const updateGroups = [0, 1].map((s) =>
      device.createBindGroup({
        layout: update.getBindGroupLayout(0),
        entries: entries([params, rowBuf, colBuf, valBuf, repBuf, pos[s]!, pos[1 - s]!, stateBuf]),
      }),
    );
    const stop = Math.min(options.stopAfter ?? input.nIter, input.nIter);
    const every = options.reportEvery ?? 0;
    const checkEvery = repulsion.checkEvery ?? 0;
    const u32 = new Uint32Array(8);
    const f32 = new Float32Array(u32.buffer);
    for (let it = 0; it < stop; it++) {
      u32[0] = n;
      f32[4] = exaggerationAt(it, input);
      f32[5] = momentumAt(it, input);
      f32[6] = input.learningRate;
      f32[7] = input.minGain;
      device.queue.writeBuffer(params, 0, u32);
      const s = (it & 1) as 0 | 1;
      const enc = device.createCommandEncoder({ label: 'tsne iteration' });
      const pass = enc.beginComputePass({ label: 'tsne iteration' });
      repulsion.encode(pass, s);
      pass.setPipeline(update);
      pass.setBindGroup(0, updateGroups[s]!);
      pass.dispatchWorkgroups(gx, gy);
      pass.end();
      device.queue.submit([enc.finish()]);
      const done = it + 1;
      const report = Boolean(options.onIteration) && every > 0 && done % every === 0 && done !== stop;
      const check = checkEvery > 0 && done % checkEvery === 0 && done !== stop;
      if (report || check) {
        const positions = await read(pos[done & 1]!);
        if (check) await repulsion.checkpoint?.(positions);
        if (report) options.onIteration?.(done, positions);
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
    repulsion?.destroy();
    for (const b of buffers) b.destroy();
  }
}
