import { expect, it } from 'vitest';
import { initCompute } from '../../src/gpu/device';
import { cachedPipeline } from '../../src/gpu/pipelines';

const ok =
  '@group(0) @binding(0) var<storage, read_write> a: array<f32>;\n@compute @workgroup_size(1) fn main() { a[0] = 1.0; }';

it('compiles a kernel once per device and explains a compile failure', async () => {
  const compute = await initCompute();
  const device = compute.gpu?.device;
  if (!device) throw new Error('no WebGPU device');
  const first = cachedPipeline(device, 'test-ok', ok);
  expect(cachedPipeline(device, 'test-ok', ok)).toBe(first);
  await expect(first).resolves.toBeDefined();
  const broken = cachedPipeline(device, 'test-broken', ok.replace('1.0', 'undefined_name'));
  await expect(broken).rejects.toMatchObject({
    name: 'InternalError',
    message: expect.stringMatching(/test-broken.*undefined_name/s),
  });
  // A failed compile is not cached: the next call tries again.
  expect(cachedPipeline(device, 'test-broken', ok)).not.toBe(broken);
  compute.dispose();
});
