/**
 * The engine in-process in Node (no DOM, no worker, CPU kernels): for unit tests and scripts.
 *   const engine = createNodeEngine(); const info = await engine.loadSample('iris');
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { initCompute } from '../src/gpu/device';
import { createEngine, type Engine, type EngineEnv } from './engine';

const samplesDir = fileURLToPath(new URL('../public/samples/', import.meta.url));

export function createNodeEngine(overrides: Partial<EngineEnv> = {}): Engine {
  return createEngine({
    fetchSample: async (file) => new Uint8Array(await readFile(samplesDir + file)),
    initCompute: () => initCompute({ webgpu: false, tfjs: false }),
    ...overrides,
  });
}
