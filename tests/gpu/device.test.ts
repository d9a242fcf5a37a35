import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { initCompute } from '../../src/gpu/device';
import { chunkElements, colStatsAll, colStatsRef } from '../../src/gpu/kernels/colstats/colstats';
import { TILE } from '../../src/gpu/kernels/colstats/colstats.wgsl';

describe('initCompute in Node', () => {
  it('runs kernels on the CPU and says why WebGPU was refused, without loading tfjs', async () => {
    const compute = await initCompute();
    const info = compute.info();
    expect(compute.gpu).toBeNull();
    expect(info.kernels).toBe('cpu');
    expect(info.tfjs).toBe('none');
    expect(info.adapter).toBeNull();
    expect(info.fallbacks).toEqual([{ backend: 'webgpu', reason: expect.stringContaining('navigator.gpu') }]);
    expect(info.deviceLosses).toBe(0);
  });

  it('colStatsAll uses the reference on the CPU', async () => {
    const rng = createRng(5);
    const cols = [
      Float64Array.from({ length: 1000 }, () => rng.normal()),
      new Float32Array(0),
      Float32Array.of(NaN, 2),
    ];
    const compute = await initCompute();
    const fractions: number[] = [];
    const got = await colStatsAll(compute, cols, { onProgress: (f) => fractions.push(f) });
    expect(got).toEqual(cols.map(colStatsRef));
    expect(fractions.at(-1)).toBe(1);
  });

  it('colStatsAll stops with Cancelled when the signal is aborted', async () => {
    const compute = await initCompute({ webgpu: false });
    const controller = new AbortController();
    controller.abort();
    await expect(
      colStatsAll(compute, [Float64Array.of(1)], { signal: controller.signal }),
    ).rejects.toMatchObject({
      name: 'Cancelled',
    });
  });

  it('loads tfjs on request and settles on the cpu backend', async () => {
    const compute = await initCompute({ tfjs: true });
    const { tf, backend } = await compute.tf();
    expect(backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(compute.info().tfjs).toBe('cpu');
  }, 60_000);

  it('records every refused tfjs backend when asked for an order Node cannot serve', async () => {
    const compute = await initCompute({ tfjs: ['webgpu', 'webgl', 'cpu'] });
    expect(compute.info().tfjs).toBe('cpu');
    expect(compute.info().fallbacks.map((f) => f.backend)).toEqual(['webgpu', 'webgpu', 'webgl']);
  }, 60_000);
});

describe('chunkElements', () => {
  const limits = (binding: number, buffer = binding, groups = 65535) =>
    ({
      maxStorageBufferBindingSize: binding,
      maxBufferSize: buffer,
      maxComputeWorkgroupsPerDimension: groups,
    }) as GPUSupportedLimits;

  it('respects the binding size, the buffer size and the dispatch limit, in whole tiles', () => {
    expect(chunkElements(limits(128 * 2 ** 20))).toBe((128 * 2 ** 20) / 4);
    expect(chunkElements(limits(2 ** 30, 2 ** 28))).toBe(2 ** 26);
    expect(chunkElements(limits(2 ** 30, 2 ** 30, 100))).toBe(100 * TILE);
    expect(chunkElements(limits(4 * TILE + 4 * 100)) % TILE).toBe(0);
  });

  it('honours a smaller override, even below one tile', () => {
    expect(chunkElements(limits(2 ** 30), 1000)).toBe(1000);
    expect(chunkElements(limits(2 ** 30), 3 * TILE + 5)).toBe(3 * TILE);
    expect(() => chunkElements(limits(2 ** 30), 0)).toThrow(/maxBindingElements/);
  });
});
