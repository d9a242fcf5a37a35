/**
 * The engine in-process in Node (no DOM, no worker, CPU kernels): for unit tests and scripts.
 *   const engine = createNodeEngine(); const info = await engine.loadSample('iris');
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { initCompute } from '../src/gpu/device';
import { installNodeDecodeWorkers } from './decode.node.ts';
import { createEngine, type Engine, type EngineEnv } from './engine';
import { installNodePool } from './pool.node.ts';

let poolInstalled = false;

const samplesDir = fileURLToPath(new URL('../public/samples/', import.meta.url));

export function createNodeEngine(overrides: Partial<EngineEnv> = {}): Engine {
  // Every core for the data-parallel kernels (BENCHTOP_THREADS=1: one thread); the threads start
  // at the first large call, small data stays on this thread.
  if (!poolInstalled) {
    poolInstalled = true;
    installNodePool();
    // Arrow, Parquet and JSON documents are read in sub-workers that cancel can end.
    installNodeDecodeWorkers();
  }
  return createEngine({
    fetchSample: async (file) => new Uint8Array(await readFile(samplesDir + file)),
    initCompute: () => initCompute({ webgpu: false, tfjs: false }),
    ...overrides,
  });
}
