/**
 * initCompute() without `tfjs` must not download tfjs: the engine starts (and profiles data) long
 * before any model needs it. Its own file, so that no other test has loaded tfjs into this page.
 */
import { expect, it } from 'vitest';
import { initCompute } from '../../src/gpu/device';
import { colStatsAll } from '../../src/gpu/kernels/colstats/colstats';

const tfjsRequests = () =>
  performance
    .getEntriesByType('resource')
    .map((e) => e.name)
    .filter((url) => /tensorflow|tfjs/i.test(url));

it('does not load tfjs until compute.tf() is called', async () => {
  const compute = await initCompute();
  expect(compute.info().kernels).toBe('webgpu');
  await colStatsAll(compute, [Float32Array.of(1, 2, 3)]);
  expect(compute.info().tfjs).toBe('none');
  expect(tfjsRequests()).toEqual([]);
  const { backend } = await compute.tf();
  expect(compute.info().tfjs).toBe(backend);
  expect(tfjsRequests().length).toBeGreaterThan(0); // the check above can see tfjs when it loads
  compute.dispose();
});
