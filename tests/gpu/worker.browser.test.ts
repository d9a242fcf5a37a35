/** The engine runs in a module Web Worker: WebGPU kernels and tfjs-webgl (OffscreenCanvas) must work there. */
import { expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { type ColStats, colStatsRef } from '../../src/gpu/kernels/colstats/colstats';
import type { BackendInfo } from '../../src/protocol/api';

it('runs colstats on WebGPU and tfjs on webgl inside a module worker', async () => {
  const rng = createRng(21);
  const col = Float32Array.from({ length: 5000 }, () => (rng.next() < 0.1 ? NaN : rng.normal()));
  const want = colStatsRef(col);
  const worker = new Worker(new URL('./support/compute.worker.ts', import.meta.url), { type: 'module' });
  try {
    const reply = await new Promise<{
      info?: BackendInfo;
      stats?: ColStats[];
      tfActive?: string;
      error?: string;
    }>((resolve, reject) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => reject(new Error(e.message));
      worker.postMessage({ cols: [col], tfjs: ['webgl'] });
    });
    expect(reply.error).toBeUndefined();
    expect(reply.info?.kernels).toBe('webgpu');
    expect(reply.info?.tfjs).toBe('webgl');
    expect(reply.tfActive).toBe('webgl');
    const got = reply.stats?.[0];
    expect(got?.count).toBe(want.count);
    expect(got?.nan).toBe(want.nan);
    expect(got?.min).toBe(want.min);
    expect(got?.max).toBe(want.max);
    expect(Math.abs((got?.variance ?? NaN) - want.variance)).toBeLessThan(1e-5 * want.variance);
  } finally {
    worker.terminate();
  }
});
