/**
 * One compiled compute pipeline per (device, kernel), shared by every dispatch of that kernel.
 * Compilation failures come back with the WGSL compiler's messages, not only "invalid module".
 */
import { EngineError } from '../core/errors';

const cache = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/** The pipeline for `code` (entry point `main`) on `device`, compiled on first use. `label` names
 * the kernel and is the cache key, so one label must always mean the same WGSL. */
export function cachedPipeline(device: GPUDevice, label: string, code: string): Promise<GPUComputePipeline> {
  let byLabel = cache.get(device);
  if (!byLabel) {
    byLabel = new Map();
    cache.set(device, byLabel);
  }
  let pipeline = byLabel.get(label);
  if (!pipeline) {
    const module = device.createShaderModule({ label, code });
    pipeline = device
      .createComputePipelineAsync({ label, layout: 'auto', compute: { module, entryPoint: 'main' } })
      .catch(async (e: unknown) => {
        byLabel.delete(label); // let a later call retry, e.g. on a replacement device
        const info = await module.getCompilationInfo();
        const messages = info.messages
          .map((m) => `${m.type} ${m.lineNum}:${m.linePos} ${m.message}`)
          .join('\n');
        throw new EngineError(
          'InternalError',
          `The ${label} kernel failed to compile: ${messages || String(e)}`,
        );
      });
    byLabel.set(label, pipeline);
  }
  return pipeline;
}
