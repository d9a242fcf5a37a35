/**
 * Partial dependence through the real worker in Chromium with WebGPU: every digits row × grid value
 * is one batch large enough for KNeighborsClassifier's GPU path (query × reference × features far
 * above GPU_MIN_WORK), and the curves equal those of an in-page engine on the CPU (pixel distances
 * are integers, exact in f32, and ties break by index on both paths).
 */
import { describe, expect, it } from 'vitest';
import { initCompute } from '../../src/gpu/device';
import type { Notebook } from '../../src/spec/notebook';
import { createEngineClient } from '../../src/state/client';
import { createEngine } from '../../workers/engine';

const notebook: Notebook = { version: 1, seed: 0, dataset: null, target: 'target', steps: [] };
const spec = { notebook, target: 'target', model: { name: 'KNeighborsClassifier', params: {} } };

describe('partial dependence through the worker', { timeout: 240_000 }, () => {
  it('KNN on digits: GPU batches in the worker equal the CPU in the page', async () => {
    const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), {
      type: 'module',
      name: `${location.origin}/`,
    });
    const client = createEngineClient(worker);
    const ds = await client.api.loadSample('digits');
    const model = await client.api.deployModel(ds.id, spec);
    const progress: number[] = [];
    const job = client.start(
      (j) => client.api.partialDependence(model.id, ds.id, 'pixel_4_3', { gridResolution: 4, iceRows: 5 }, j),
      (p) => void (p.fraction !== null && progress.push(p.fraction)),
    );
    const gpu = await job.promise;
    expect((await client.api.backendInfo()).kernels).toBe('webgpu');

    const cpuEngine = createEngine({
      fetchSample: async (file) => new Uint8Array(await (await fetch(`/samples/${file}`)).arrayBuffer()),
      initCompute: () => initCompute({ webgpu: false, tfjs: false }),
    });
    const cds = await cpuEngine.loadSample('digits');
    const cmodel = await cpuEngine.deployModel(cds.id, spec);
    const cpu = await cpuEngine.partialDependence(cmodel.id, cds.id, 'pixel_4_3', {
      gridResolution: 4,
      iceRows: 5,
    });

    expect(gpu.grid).toEqual(cpu.grid);
    expect(gpu.average).toEqual(cpu.average);
    expect(gpu.ice).toEqual(cpu.ice);
    expect(gpu.rows).toBe(1797);
    expect(progress.at(-1)).toBe(1);
    client.terminate();
  });
});
