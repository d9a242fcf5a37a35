/**
 * t-SNE with the FFT-interpolated repulsion on WebGPU: the dispatches of tsne-fft.wgsl.ts plug
 * into the iteration loop of ../tsne/tsne.ts (attraction over the sparse P and the update stay
 * those kernels); tsne-fft.ref.ts is the CPU reference (and the path for tsneMethod 'fft' without
 * a GPU; 'auto' takes Barnes–Hut there).
 *
 * Everything per iteration stays on the GPU — the bounding box, the box width and whether the
 * kernel's transforms must be redone (indirect dispatches) included. Only the FFT size L is chosen
 * on the host, from the positions read back every CHECK_EVERY iterations: it grows with the span
 * to keep the boxes ≤ maxBoxWidth wide (a wider span just gets wider boxes until then).
 * Memory: 24·L² bytes of grids (96 MiB at L = 2048) + 8·m² accumulators.
 *
 * Agreement with the reference: f32 throughout (FFT rounding ~log₂L·2⁻²⁴ of the largest grid
 * value), and a point on a box edge may fall in the neighbouring box, whose interpolant differs by
 * the interpolation error — single evaluations agree within ~1e-4 of the force scale (measured;
 * median 1e-6), whole runs in quality (trustworthiness), not point by point.
 */
import { EngineError } from '../../../core/errors';
import { type Compute, type Gpu, gpuOrCpu } from '../../device';
import { cachedPipeline } from '../../pipelines';
import { type GpuRepulsion, type GpuRepulsionMethod, tsneGpu } from '../tsne/tsne';
import { type TsneInput, type TsneOptions, tsneDescent } from '../tsne/tsne.ref';
import { boundsOf, boxesFor, fftRepulsion, fftSizeFor, INTERPOLATION_POINTS, MIN_L } from './tsne-fft.ref';
import {
  boundsWgsl,
  FFT_MAX_L,
  fftWgsl,
  finalizeWgsl,
  gatherWgsl,
  kernelFillWgsl,
  loadWgsl,
  MULTIPLY_PER_THREAD,
  multiplyWgsl,
  spreadWgsl,
  WORKGROUP_SIZE,
} from './tsne-fft.wgsl';

/** Iterations between the host's looks at the span (to resize the grid). */
export const CHECK_EVERY = 10;

export interface FftOptions {
  /** FIt-SNE's 1 / intervals_per_integer: boxes wider than this make L grow (default 1). */
  maxBoxWidth?: number;
  /** Pin the FFT size (tests). */
  fixedL?: number;
}

export function tsneFftAll(
  compute: Compute | null,
  input: TsneInput,
  options: TsneOptions = {},
  fft: FftOptions = {},
): Promise<Float32Array> {
  return gpuOrCpu(
    compute,
    (gpu) => tsneGpu(gpu, input, options, fftGpuRepulsion(fft)),
    () => tsneDescent(input, fftRepulsion(fft), options),
  );
}

/** The FFT repulsion as a GPU method of the t-SNE loop. */
export function fftGpuRepulsion(options: FftOptions = {}): GpuRepulsionMethod {
  return {
    reference: () => fftRepulsion(options),
    make: (gpu, n, pos, rep) => FftRepulsionGpu.create(gpu, n, pos, rep, options),
  };
}

type Pipelines = Record<
  'bounds' | 'kernelFill' | 'fft' | 'spread' | 'load' | 'multiply' | 'gather' | 'finalize',
  GPUComputePipeline
>;

async function pipelines(device: GPUDevice): Promise<Pipelines> {
  const entries = await Promise.all(
    (
      [
        ['bounds', boundsWgsl],
        ['kernelFill', kernelFillWgsl],
        ['fft', fftWgsl],
        ['spread', spreadWgsl],
        ['load', loadWgsl],
        ['multiply', multiplyWgsl],
        ['gather', gatherWgsl],
        ['finalize', finalizeWgsl],
      ] as const
    ).map(async ([name, code]) => [name, await cachedPipeline(device, `tsne-fft-${name}`, code)] as const),
  );
  return Object.fromEntries(entries) as Pipelines;
}

/** The L-dependent buffers and bind groups. */
interface GridResources {
  L: number;
  m: number;
  encode(pass: GPUComputePassEncoder, s: 0 | 1): void;
  destroy(): void;
}

class FftRepulsionGpu implements GpuRepulsion {
  checkEvery?: number;
  private grid: GridResources;

  private constructor(
    private readonly gpu: Gpu,
    private readonly n: number,
    private readonly pos: GPUBuffer[],
    private readonly rep: GPUBuffer,
    private readonly kernels: Pipelines,
    private readonly maxL: number,
    private readonly options: FftOptions,
  ) {
    this.grid = this.build(options.fixedL ?? MIN_L);
    if (options.fixedL === undefined) this.checkEvery = CHECK_EVERY;
  }

  static async create(
    gpu: Gpu,
    n: number,
    pos: GPUBuffer[],
    rep: GPUBuffer,
    options: FftOptions,
  ): Promise<FftRepulsionGpu | null> {
    const { limits } = gpu;
    const binding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    let maxL = FFT_MAX_L;
    // The kernel buffer (two complex L × L grids) must fit one binding.
    while (maxL > MIN_L && 16 * maxL * maxL > binding) maxL /= 2;
    const L = options.fixedL ?? MIN_L;
    if (16 * L * L > binding || limits.maxComputeWorkgroupStorageSize < 8 * FFT_MAX_L) return null;
    if (L < MIN_L || L > FFT_MAX_L || !Number.isInteger(Math.log2(L)))
      throw new EngineError(
        'InvalidArgument',
        `FFT size must be a power of two in [${MIN_L}, ${FFT_MAX_L}].`,
      );
    const kernels = await pipelines(gpu.device);
    return new FftRepulsionGpu(gpu, n, pos, rep, kernels, maxL, options);
  }

  encode(pass: GPUComputePassEncoder, s: 0 | 1): void {
    this.grid.encode(pass, s);
  }

  checkpoint(positions: Float32Array): void {
    const b = boundsOf(positions, this.n);
    const span = Math.max(b.maxX - b.minX, b.maxY - b.minY);
    const L = Math.min(fftSizeFor(span, this.options.maxBoxWidth ?? 1), this.maxL);
    if (L === this.grid.L) return;
    this.grid.destroy();
    this.grid = this.build(L);
  }

  destroy(): void {
    this.grid.destroy();
  }

  private build(L: number): GridResources {
    const { device, limits } = this.gpu;
    const { n, pos, rep, kernels: k } = this;
    const nb = boxesFor(L);
    const m = INTERPOLATION_POINTS * nb;
    const cells = (L * L) / WORKGROUP_SIZE;
    const threads = (L * L) / MULTIPLY_PER_THREAD;
    const U = GPUBufferUsage;
    const buffers: GPUBuffer[] = [];
    const make = (label: string, size: number, usage: number) => {
      const b = device.createBuffer({ label: `tsne-fft ${label}`, size: Math.max(16, size), usage });
      buffers.push(b);
      return b;
    };
    const params = make('params', 32, U.UNIFORM | U.COPY_DST);
    device.queue.writeBuffer(params, 0, new Uint32Array([n, L, Math.log2(L), nb, m, threads, 0, 0]));
    const gridState = make('grid', 16, U.STORAGE); // W = 0: the first bounds pass fills the kernel
    const args = make('indirect args', 48, U.STORAGE | U.INDIRECT);
    const kern = make('kernel spectra', 16 * L * L, U.STORAGE);
    const grid = make('cells', 8 * L * L, U.STORAGE);
    const accum = make('accumulators', 8 * m * m, U.STORAGE);
    const partials = make('partials', 4 * threads, U.STORAGE);
    const twiddle = make('twiddles', 4 * L, U.STORAGE | U.COPY_DST);
    const tw = new Float32Array(L);
    for (let j = 0; j < L / 2; j++) {
      tw[2 * j] = Math.cos((2 * Math.PI * j) / L);
      tw[2 * j + 1] = Math.sin((2 * Math.PI * j) / L);
    }
    device.queue.writeBuffer(twiddle, 0, tw);
    const passUniform = (lineStride: number, elemStride: number, batchStride: number, sign: number) => {
      const b = make('fft pass', 16, U.UNIFORM | U.COPY_DST);
      const u = new Uint32Array([lineStride, elemStride, batchStride, 0]);
      new Float32Array(u.buffer)[3] = sign;
      device.queue.writeBuffer(b, 0, u);
      return b;
    };
    const rows = (sign: number) => passUniform(L, 1, L * L, sign);
    const cols = (sign: number) => passUniform(1, L, L * L, sign);
    const group = (pipeline: GPUComputePipeline, list: GPUBuffer[]) =>
      device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: list.map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
    const forward = [rows(-1), cols(-1)];
    const inverse = [cols(1), rows(1)];
    const bounds = pos.map((p) => group(k.bounds, [params, p, gridState, args]));
    const fill = group(k.kernelFill, [params, gridState, kern]);
    const kernRows = group(k.fft, [params, forward[0]!, kern, twiddle]);
    const kernCols = group(k.fft, [params, forward[1]!, kern, twiddle]);
    const spread = pos.map((p) => group(k.spread, [params, p, gridState, accum]));
    const load = group(k.load, [params, accum, grid]);
    const fwdRows = group(k.fft, [params, forward[0]!, grid, twiddle]);
    const fwdCols = group(k.fft, [params, forward[1]!, grid, twiddle]);
    const multiply = group(k.multiply, [params, grid, kern, partials]);
    const invCols = group(k.fft, [params, inverse[0]!, grid, twiddle]);
    const invRows = group(k.fft, [params, inverse[1]!, grid, twiddle]);
    const gather = pos.map((p) => group(k.gather, [params, p, gridState, grid, rep]));
    const finalize = group(k.finalize, [params, partials, rep]);
    const pointGroups = Math.ceil(n / WORKGROUP_SIZE);
    const px = Math.min(pointGroups, limits.maxComputeWorkgroupsPerDimension);
    const py = Math.ceil(pointGroups / px);
    const run = (
      pass: GPUComputePassEncoder,
      pipeline: GPUComputePipeline,
      bindGroup: GPUBindGroup,
      x: number,
      y = 1,
    ) => {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(x, y);
    };
    const indirect = (
      pass: GPUComputePassEncoder,
      pipeline: GPUComputePipeline,
      bindGroup: GPUBindGroup,
      at: number,
    ) => {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroupsIndirect(args, at);
    };
    return {
      L,
      m,
      encode(pass, s) {
        run(pass, k.bounds, bounds[s]!, 1);
        indirect(pass, k.kernelFill, fill, 0);
        indirect(pass, k.fft, kernRows, 12);
        indirect(pass, k.fft, kernCols, 24);
        run(pass, k.spread, spread[s]!, px, py);
        run(pass, k.load, load, cells);
        run(pass, k.fft, fwdRows, m);
        run(pass, k.fft, fwdCols, L);
        run(pass, k.multiply, multiply, threads / WORKGROUP_SIZE);
        run(pass, k.fft, invCols, L);
        run(pass, k.fft, invRows, m);
        run(pass, k.gather, gather[s]!, px, py);
        run(pass, k.finalize, finalize, 1);
      },
      destroy: () => {
        for (const b of buffers) b.destroy();
      },
    };
  }
}

/**
 * Evaluations of the repulsion on the GPU on an L grid, one per set of n positions (n × 2, f32),
 * in order on the same buffers (so a later set reuses or redoes the kernel's transforms as a run
 * would): the forces Σⱼ q̃ᵢⱼ²(yᵢ − yⱼ) (n × 2) and Z — what `fftRepulsion({ fixedL: L })` of the
 * reference returns. For tests.
 */
export async function fftRepulsionGpu(
  gpu: Gpu,
  sets: Float32Array[],
  n: number,
  L: number,
): Promise<{ force: Float32Array; Z: number }[]> {
  const { device } = gpu;
  const U = GPUBufferUsage;
  const make = (label: string, size: number, usage: number) =>
    device.createBuffer({ label: `tsne-fft test ${label}`, size, usage });
  const posBuf = make('positions', 8 * n, U.STORAGE | U.COPY_DST);
  const repBuf = make('rep', 16 * (n + 1), U.STORAGE | U.COPY_SRC);
  const readback = make('readback', 16 * (n + 1), U.MAP_READ | U.COPY_DST);
  let repulsion: FftRepulsionGpu | null = null;
  try {
    repulsion = await FftRepulsionGpu.create(gpu, n, [posBuf, posBuf], repBuf, { fixedL: L });
    if (!repulsion) throw new EngineError('GpuUnavailable', `This device cannot hold an FFT grid of ${L}².`);
    const out: { force: Float32Array; Z: number }[] = [];
    for (const positions of sets) {
      device.pushErrorScope('validation');
      device.queue.writeBuffer(posBuf, 0, positions.slice(0, 2 * n));
      const enc = device.createCommandEncoder({ label: 'tsne-fft test' });
      const pass = enc.beginComputePass();
      repulsion.encode(pass, 0);
      pass.end();
      enc.copyBufferToBuffer(repBuf, 0, readback, 0, 16 * (n + 1));
      device.queue.submit([enc.finish()]);
      const error = await device.popErrorScope();
      if (error)
        throw new EngineError('InternalError', `A tsne-fft kernel was rejected by WebGPU: ${error.message}`);
      await readback.mapAsync(GPUMapMode.READ);
      const rep = new Float32Array(readback.getMappedRange().slice(0));
      readback.unmap();
      const force = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        force[2 * i] = rep[4 * i]!;
        force[2 * i + 1] = rep[4 * i + 1]!;
      }
      out.push({ force, Z: rep[4 * n + 2]! });
    }
    return out;
  } finally {
    repulsion?.destroy();
    for (const b of [posBuf, repBuf, readback]) b.destroy();
  }
}
