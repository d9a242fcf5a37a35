/**
 * Where computation runs. `initCompute()` acquires one WebGPU device for our WGSL kernels (or
 * reports why it could not: then kernels run their TypeScript references) and, on request, picks
 * a tfjs backend (see tf-backend.ts). `Compute.run` is the one way jobs reach the GPU: it survives
 * device loss by re-acquiring a device once, then falling back to the CPU, and re-running the job.
 * Works in a module Web Worker, on the main thread and in Node (no navigator.gpu → CPU).
 */

import { EngineError } from '../core/errors';
import { isSoftwareAdapter } from './adapter';
import { BROWSER_TF_ORDER, initTf, isNode, NODE_TF_ORDER, type TfRuntime } from './tf-backend';
import type { AdapterSummary, BackendInfo, BackendKind } from './types';

export interface Gpu {
  device: GPUDevice;
  adapter: AdapterSummary;
  limits: GPUSupportedLimits;
}

export interface Compute {
  /** null → kernels run their CPU references. */
  readonly gpu: Gpu | null;
  info(): BackendInfo;
  /** Runs job with the current gpu; if the device is lost during it, falls back (re-acquire a
   * device once, else CPU), counts the loss, and re-runs the job. Other errors propagate. */
  run<T>(job: (gpu: Gpu | null) => Promise<T>): Promise<T>;
  /** The tfjs runtime, loaded on first call (or by initCompute when `tfjs` was requested). */
  tf(): Promise<TfRuntime>;
  /** Test hook: simulate loss (device.destroy()). */
  loseDevice(): void;
  /** Releases the device; the Compute then runs everything on the CPU. */
  dispose(): void;
}

/**
 * `onGpu` on `compute`'s GPU; `onCpu` without a compute or a GPU, or once a device loss leaves
 * none (compute.run re-runs the job).
 */
export function gpuOrCpu<T>(
  compute: Compute | null,
  onGpu: (gpu: Gpu) => Promise<T>,
  onCpu: () => Promise<T>,
): Promise<T> {
  if (!compute) return onCpu();
  return compute.run((gpu) => (gpu ? onGpu(gpu) : onCpu()));
}

export interface ComputeOptions {
  /** Try WebGPU for our kernels (default true). */
  webgpu?: boolean;
  /** Load tfjs now: true → default order, a list → that order. Default false: tfjs is loaded
   * lazily by `compute.tf()`, so an engine that never trains never downloads it. */
  tfjs?: boolean | BackendKind[];
  /** Let tfjs use a software WebGPU adapter (SwiftShader) when no order is given. Default false:
   * on a software adapter tfjs starts on wasm, which trains 10–25× faster there (bench/README.md). */
  tfjsOnSoftwareGpu?: boolean;
}

type Fallback = BackendInfo['fallbacks'][number];

interface Acquired {
  gpu: Gpu | null;
  reason?: string;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message || e.name : String(e);
}

/** Requests an adapter and a device with the adapter's largest storage-binding and buffer sizes. */
export async function acquireGpu(): Promise<Acquired> {
  const gpuApi = (globalThis as { navigator?: Navigator }).navigator?.gpu;
  if (!gpuApi)
    return { gpu: null, reason: 'navigator.gpu is missing (no WebGPU in this browser or runtime)' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpuApi.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { gpu: null, reason: `requestAdapter failed: ${errorText(e)}` };
  }
  if (!adapter)
    return { gpu: null, reason: 'requestAdapter returned null (WebGPU disabled or no suitable GPU)' };
  const al = adapter.limits;
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: al.maxStorageBufferBindingSize,
        maxBufferSize: al.maxBufferSize,
        maxComputeWorkgroupsPerDimension: al.maxComputeWorkgroupsPerDimension,
      },
    });
  } catch (e) {
    return { gpu: null, reason: `requestDevice failed: ${errorText(e)}` };
  }
  const info = adapter.info;
  const summary: AdapterSummary = {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    // Moved from GPUAdapter to GPUAdapterInfo in Chrome 136; read both.
    isFallbackAdapter: Boolean(
      (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ??
        (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter,
    ),
    maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
    maxBufferSize: device.limits.maxBufferSize,
  };
  return { gpu: { device, adapter: summary, limits: device.limits } };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class ComputeImpl implements Compute {
  gpu: Gpu | null = null;
  private lost = new WeakSet<GPUDevice>();
  private disposed = new WeakSet<GPUDevice>();
  private reacquired = false;
  private deviceLosses = 0;
  private kernelFallbacks: Fallback[] = [];
  private tfFallbacks: Fallback[] = [];
  /** Backends passed over by policy before tfjs loaded (a software adapter). */
  private tfSkipped: Fallback[] = [];
  private tfBackend: BackendKind | 'none' = 'none';
  private tfPending: Promise<TfRuntime> | undefined;
  private recovering: Promise<void> | undefined;

  constructor(private tfOrder: readonly BackendKind[] | undefined) {}

  /** Before tfjs loads: start it on `order` instead of the default, saying why. */
  preferTfOrder(order: readonly BackendKind[], skipped: Fallback): void {
    if (this.tfPending) return;
    this.tfOrder = order;
    this.tfSkipped.push(skipped);
  }

  adopt(acquired: Acquired): void {
    if (acquired.gpu) {
      const device = acquired.gpu.device;
      this.gpu = acquired.gpu;
      void device.lost.then(() => {
        if (!this.disposed.has(device)) this.lost.add(device);
      });
    } else if (acquired.reason) {
      this.kernelFallbacks.push({ backend: 'webgpu', reason: acquired.reason });
    }
  }

  info(): BackendInfo {
    return {
      kernels: this.gpu ? 'webgpu' : 'cpu',
      tfjs: this.tfBackend,
      adapter: this.gpu?.adapter ?? null,
      fallbacks: [...this.kernelFallbacks, ...this.tfSkipped, ...this.tfFallbacks],
      deviceLosses: this.deviceLosses,
    };
  }

  async run<T>(job: (gpu: Gpu | null) => Promise<T>): Promise<T> {
    for (;;) {
      if (this.gpu && this.lost.has(this.gpu.device)) await this.recover(this.gpu);
      const gpu = this.gpu;
      try {
        return await job(gpu);
      } catch (e) {
        if (!gpu || this.disposed.has(gpu.device)) throw e;
        // `device.lost` settles a little after the failing call; give it a moment to tell.
        if (!this.lost.has(gpu.device)) await Promise.race([gpu.device.lost, sleep(200)]);
        await sleep(0);
        if (!this.lost.has(gpu.device)) throw e;
        await this.recover(gpu);
      }
    }
  }

  /** Replaces a lost device: once by a fresh one, after that by the CPU. Concurrent jobs that
   * saw the same loss share one recovery and count it once. */
  private recover(lostGpu: Gpu): Promise<void> {
    if (this.gpu !== lostGpu) return this.recovering ?? Promise.resolve();
    this.recovering ??= (async () => {
      this.deviceLosses++;
      this.gpu = null;
      if (!this.reacquired) {
        this.reacquired = true;
        const again = await acquireGpu();
        if (again.gpu) {
          this.adopt(again);
          return;
        }
        this.kernelFallbacks.push({
          backend: 'webgpu',
          reason: `device lost; re-acquiring failed: ${again.reason}`,
        });
      } else {
        this.kernelFallbacks.push({ backend: 'webgpu', reason: 'device lost twice; kernels run on the CPU' });
      }
    })().finally(() => {
      this.recovering = undefined;
    });
    return this.recovering;
  }

  tf(): Promise<TfRuntime> {
    this.tfPending ??= initTf(this.tfOrder).then((rt) => {
      this.tfBackend = rt.backend;
      this.tfFallbacks = rt.fallbacks;
      return rt;
    });
    return this.tfPending;
  }

  loseDevice(): void {
    if (!this.gpu) throw new EngineError('GpuUnavailable', 'There is no GPU device to lose.');
    this.gpu.device.destroy();
  }

  dispose(): void {
    if (!this.gpu) return;
    this.disposed.add(this.gpu.device);
    this.gpu.device.destroy();
    this.gpu = null;
  }
}

export async function initCompute(options: ComputeOptions = {}): Promise<Compute> {
  // webgpu: false means no WebGPU at all, also for tfjs (unless an explicit order says otherwise).
  const tfOrder = Array.isArray(options.tfjs)
    ? options.tfjs
    : options.webgpu === false
      ? (isNode() ? NODE_TF_ORDER : BROWSER_TF_ORDER).filter((b) => b !== 'webgpu')
      : undefined;
  const compute = new ComputeImpl(tfOrder);
  if (options.webgpu === false) {
    compute.adopt({ gpu: null, reason: 'disabled by option (webgpu: false)' });
  } else {
    compute.adopt(await acquireGpu());
    const adapter = compute.info().adapter;
    if (tfOrder === undefined && !options.tfjsOnSoftwareGpu && isSoftwareAdapter(adapter)) {
      compute.preferTfOrder(['wasm', 'cpu'], {
        backend: 'webgpu',
        reason: `the WebGPU adapter is software (${adapter?.architecture || adapter?.vendor || 'fallback'}): tfjs runs on wasm, which trains faster there`,
      });
    }
  }
  if (options.tfjs) await compute.tf();
  return compute;
}
