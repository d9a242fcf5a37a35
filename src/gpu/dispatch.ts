/**
 * The buffer and dispatch plumbing the kernels share: binding limits, a 2-D workgroup grid,
 * storage/uniform/staging buffers, reading results back, and one error-scope guard that turns
 * WebGPU's out-of-memory and validation errors into EngineErrors and destroys the kernel's buffers.
 */
import { EngineError } from '../core/errors';

/** Largest storage binding in bytes: the binding limit or the buffer limit, whichever is smaller. */
export function bindingLimit(limits: GPUSupportedLimits): number {
  return Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
}

/** `groups` workgroups as an x × y grid within maxComputeWorkgroupsPerDimension (x · y ≥ groups),
 * or null when they do not fit. The shader folds (x, y) back with the x extent it is given. */
export function workgroupGrid(groups: number, limits: GPUSupportedLimits): { x: number; y: number } | null {
  const max = limits.maxComputeWorkgroupsPerDimension;
  if (groups > max * max) return null;
  const x = Math.min(groups, max);
  return { x, y: Math.ceil(groups / x) };
}

/** A STORAGE | COPY_DST buffer of `contents` bytes, or holding a copy of `contents`. */
export function storageBuffer(
  device: GPUDevice,
  label: string,
  contents: number | ArrayBufferView<ArrayBuffer>,
  extraUsage = 0,
): GPUBuffer {
  const size = typeof contents === 'number' ? contents : contents.byteLength;
  const buffer = device.createBuffer({
    label,
    size,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | extraUsage,
  });
  if (typeof contents !== 'number') device.queue.writeBuffer(buffer, 0, contents);
  return buffer;
}

/** A UNIFORM | COPY_DST buffer of `size` bytes. */
export function uniformBuffer(device: GPUDevice, label: string, size: number): GPUBuffer {
  return device.createBuffer({ label, size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
}

/** A MAP_READ | COPY_DST buffer of `size` bytes that results are copied into for `readBack`. */
export function stagingBuffer(device: GPUDevice, label: string, size: number): GPUBuffer {
  return device.createBuffer({ label, size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
}

/** A copy of the first `bytes` of `staging`, after copying them in from `source` when given. */
export async function readBack(
  device: GPUDevice,
  staging: GPUBuffer,
  bytes: number,
  source?: GPUBuffer,
): Promise<ArrayBuffer> {
  if (source) {
    const encoder = device.createCommandEncoder({ label: `${staging.label} copy` });
    encoder.copyBufferToBuffer(source, 0, staging, 0, bytes);
    device.queue.submit([encoder.finish()]);
  }
  await staging.mapAsync(GPUMapMode.READ, 0, bytes);
  const out = staging.getMappedRange(0, bytes).slice(0);
  staging.unmap();
  return out;
}

/** A bind group of `buffers` at bindings 0, 1, 2… of the pipeline's group 0. */
export function bindBuffers(
  device: GPUDevice,
  pipeline: GPUComputePipeline,
  buffers: GPUBuffer[],
): GPUBindGroup {
  return device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
}

/** Encodes one compute pass of `pipeline` with `bindGroup` over x × y workgroups. */
export function encodePass(
  encoder: GPUCommandEncoder,
  label: string,
  pipeline: GPUComputePipeline,
  bindGroup: GPUBindGroup,
  x: number,
  y = 1,
): void {
  const pass = encoder.beginComputePass({ label });
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(x, y);
  pass.end();
}

/** Names for the errors: "The GPU ran out of memory for <task>", "The <kernel> kernel was rejected". */
export interface GuardNames {
  kernel: string;
  task: string;
}

/** The guarded work's device: every buffer made through it is destroyed when the work ends,
 * however it ends. */
export interface Guard {
  /** Registers `buffer` to be destroyed when the guarded work ends, however it ends. */
  track<B extends GPUBuffer>(buffer: B): B;
  /** Closes the error scopes and throws what they caught; call before mapping results. */
  check(): Promise<void>;
  /** `storageBuffer` on the guarded device, tracked. */
  storage(label: string, contents: number | ArrayBufferView<ArrayBuffer>, extraUsage?: number): GPUBuffer;
  /** `uniformBuffer` on the guarded device, tracked. */
  uniform(label: string, size: number): GPUBuffer;
  /** `stagingBuffer` on the guarded device, tracked. */
  staging(label: string, size: number): GPUBuffer;
  /** `bindBuffers` on the guarded device. */
  bind(pipeline: GPUComputePipeline, buffers: GPUBuffer[]): GPUBindGroup;
  /** `readBack` on the guarded device. */
  read(staging: GPUBuffer, bytes: number, source?: GPUBuffer): Promise<ArrayBuffer>;
}

/**
 * Runs `fn` inside out-of-memory and validation error scopes. `guard.check()` (called again after
 * `fn` if it did not) throws OutOfMemory or InternalError for what the scopes caught. On an early
 * exit (cancel, a thrown conversion error) the scopes are still closed, so they never swallow the
 * errors of whatever runs next on the device; tracked buffers are always destroyed.
 */
export async function guarded<T>(
  device: GPUDevice,
  names: GuardNames,
  fn: (guard: Guard) => Promise<T>,
): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let open = true;
  const buffers: GPUBuffer[] = [];
  const track = <B extends GPUBuffer>(buffer: B): B => {
    buffers.push(buffer);
    return buffer;
  };
  const guard: Guard = {
    track,
    storage: (label, contents, extraUsage) => track(storageBuffer(device, label, contents, extraUsage)),
    uniform: (label, size) => track(uniformBuffer(device, label, size)),
    staging: (label, size) => track(stagingBuffer(device, label, size)),
    bind: (pipeline, bufs) => bindBuffers(device, pipeline, bufs),
    read: (staging, bytes, source) => readBack(device, staging, bytes, source),
    async check() {
      if (!open) return;
      open = false;
      const [validation, oom] = await Promise.all([device.popErrorScope(), device.popErrorScope()]);
      if (oom)
        throw new EngineError('OutOfMemory', `The GPU ran out of memory for ${names.task}: ${oom.message}`);
      if (validation)
        throw new EngineError(
          'InternalError',
          `The ${names.kernel} kernel was rejected by WebGPU: ${validation.message}`,
        );
    },
  };
  try {
    const result = await fn(guard);
    await guard.check();
    return result;
  } finally {
    if (open) {
      void device.popErrorScope().catch(() => {});
      void device.popErrorScope().catch(() => {});
    }
    for (const b of buffers) b.destroy();
  }
}
