/**
 * Backend selection in a real browser: device loss and recovery, WebGPU disabled, and the tfjs
 * backend order. tfjs is a process-wide singleton, so the tfjs tests run in sequence and each one
 * asserts the backend it set up.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { initCompute } from '../../src/gpu/device';
import { colStats, colStatsAll, colStatsRef } from '../../src/gpu/kernels/colstats/colstats';
import { initTf } from '../../src/gpu/tf-backend';

function randomColumn(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal() * 2 + 1);
}

describe('device loss', () => {
  it('re-acquires a device once, re-runs the job and counts the loss', async () => {
    const compute = await initCompute();
    expect(compute.info().kernels).toBe('webgpu');
    const first = compute.gpu;
    const col = randomColumn(10_000, 1);
    const want = colStatsRef(col);
    const seen: (GPUDevice | null)[] = [];
    const got = await compute.run(async (gpu) => {
      seen.push(gpu?.device ?? null);
      if (seen.length === 1) compute.loseDevice(); // lost while the job runs
      return gpu ? colStats(gpu, col) : colStatsRef(col);
    });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(first?.device);
    expect(seen[1]).not.toBeNull();
    expect(seen[1]).not.toBe(seen[0]);
    expect(got.count).toBe(want.count);
    expect(Math.abs(got.mean - want.mean)).toBeLessThan(1e-5 * Math.sqrt(want.variance));
    expect(Math.abs(got.variance - want.variance)).toBeLessThan(1e-5 * want.variance);
    const info = compute.info();
    expect(info.deviceLosses).toBe(1);
    expect(info.kernels).toBe('webgpu');
    compute.dispose();
  });

  it('falls back to the CPU after a second loss, and the job still returns the right result', async () => {
    const compute = await initCompute();
    const col = randomColumn(3000, 2);
    let attempts = 0;
    const job = (gpu: Parameters<Parameters<typeof compute.run>[0]>[0]) => {
      attempts++;
      if (gpu) compute.loseDevice();
      return gpu ? colStats(gpu, col) : Promise.resolve(colStatsRef(col));
    };
    const got = await compute.run(job); // loss 1 → new device → loss 2 → CPU
    expect(attempts).toBe(3);
    expect(got).toEqual(colStatsRef(col));
    const info = compute.info();
    expect(info.deviceLosses).toBe(2);
    expect(info.kernels).toBe('cpu');
    expect(compute.gpu).toBeNull();
    expect(info.fallbacks.some((f) => f.backend === 'webgpu' && /lost/.test(f.reason))).toBe(true);
  });

  it('does not mistake an ordinary error for a device loss', async () => {
    const compute = await initCompute();
    await expect(compute.run(async () => Promise.reject(new RangeError('boom')))).rejects.toThrow('boom');
    expect(compute.info().deviceLosses).toBe(0);
    compute.dispose();
  });
});

describe('WebGPU disabled', () => {
  it('runs kernels on the CPU references and says why', async () => {
    const compute = await initCompute({ webgpu: false });
    expect(compute.gpu).toBeNull();
    expect(compute.info().kernels).toBe('cpu');
    expect(compute.info().fallbacks[0]).toEqual({
      backend: 'webgpu',
      reason: expect.stringContaining('disabled'),
    });
    const col = randomColumn(1000, 3);
    expect(await colStatsAll(compute, [col])).toEqual([colStatsRef(col)]);
  });
});

describe('tfjs backends', () => {
  it('on a software adapter (SwiftShader here) starts tfjs on wasm by default, and says why', async () => {
    const compute = await initCompute({ tfjs: true });
    expect(
      compute.info().adapter?.isFallbackAdapter ||
        /swiftshader/i.test(compute.info().adapter?.architecture ?? ''),
    ).toBe(true);
    const { backend } = await compute.tf();
    expect(backend).toBe('wasm');
    expect(compute.info().fallbacks).toContainEqual({
      backend: 'webgpu',
      reason: expect.stringContaining('software'),
    });
    compute.dispose();
  });

  it('activates webgpu for real when asked, and a matMul agrees with the cpu backend', async () => {
    const compute = await initCompute({ tfjs: ['webgpu'] });
    const { tf, backend } = await compute.tf();
    expect(backend).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(compute.info().tfjs).toBe('webgpu');
    const rng = createRng(4);
    const a = Float32Array.from({ length: 64 * 48 }, () => rng.normal());
    const b = Float32Array.from({ length: 48 * 32 }, () => rng.normal());
    const product = async () => {
      const c = tf.tidy(() => tf.matMul(tf.tensor2d(a, [64, 48]), tf.tensor2d(b, [48, 32])));
      const data = await c.data();
      c.dispose();
      return data;
    };
    const onGpu = await product();
    await tf.setBackend('cpu');
    const onCpu = await product();
    expect(onGpu).toHaveLength(64 * 32);
    let worst = 0;
    for (let i = 0; i < onCpu.length; i++)
      worst = Math.max(worst, Math.abs((onGpu[i] as number) - (onCpu[i] as number)));
    expect(worst).toBeLessThan(1e-4); // sums of 48 products of N(0,1) values, f32
    compute.dispose();
  });

  it('falls to webgl when WebGPU is disabled', async () => {
    const compute = await initCompute({ webgpu: false, tfjs: true });
    const { tf, backend } = await compute.tf();
    expect(backend).toBe('webgl');
    expect(tf.getBackend()).toBe('webgl');
    expect(compute.info().tfjs).toBe('webgl');
  });

  it('serves the wasm binaries through vite and runs the wasm backend', async () => {
    const { tf, backend, fallbacks } = await initTf(['wasm', 'cpu']);
    expect(fallbacks).toEqual([]);
    expect(backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('fails with GpuUnavailable when no backend of the order works', async () => {
    await expect(initTf([])).rejects.toMatchObject({ name: 'GpuUnavailable' });
  });
});
