/**
 * KMeans' CPU path skips rows with Hamerly's bounds; it must give Lloyd's result exactly: the same
 * labels every iteration, so the same centers, inertia and iteration count as plain Lloyd (the
 * GPU path's loop, which in Node assigns with the knn CPU reference).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { type KMeansParams, lloydCpu, lloydGpu } from '../../src/models/cluster';

function blobs(n: number, d: number, centers: number, spread: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const mu = Float64Array.from({ length: centers * d }, () => rng.normal() * spread);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.int(centers);
    for (let j = 0; j < d; j++) out[i * d + j] = mu[c * d + j]! + rng.normal();
  }
  return out;
}

const ctx = () => ({
  rng: createRng(0),
  compute: null,
  signal: new AbortController().signal,
  progress: () => {},
});

describe('KMeans with Hamerly bounds', () => {
  it.each([
    { n: 3000, d: 5, k: 8, spread: 4, seed: 1 },
    { n: 2000, d: 12, k: 16, spread: 1, seed: 2 }, // heavily overlapping: many rows change cluster
    { n: 500, d: 2, k: 40, spread: 10, seed: 3 },
  ])('equals plain Lloyd on $n × $d, k = $k (spread $spread)', async ({ n, d, k, spread, seed }) => {
    const X = { data: blobs(n, d, 10, spread, seed), rows: n, cols: d };
    const rng = createRng(seed + 100);
    const init = new Float64Array(k * d);
    for (let c = 0; c < k; c++) {
      const row = rng.int(n);
      init.set(X.data.subarray(row * d, row * d + d), c * d);
    }
    const p: KMeansParams = { n_clusters: k, n_init: 1, max_iter: 300, tol: 0 };
    const plainCenters = init.slice();
    const fastCenters = init.slice();
    const plain = await lloydGpu(X, plainCenters, k, p, ctx(), 0);
    const fast = await lloydCpu(X, fastCenters, k, p, ctx(), 0);
    expect(fast.nIter).toBe(plain.nIter);
    expect(plain.nIter).toBeGreaterThan(2);
    expect(fast.inertia).toBeCloseTo(plain.inertia, 6);
    for (let i = 0; i < plainCenters.length; i++) expect(fastCenters[i]).toBeCloseTo(plainCenters[i]!, 9);
  });

  it('relocates an empty cluster the way plain Lloyd does', async () => {
    // Two identical starting centers: the second gets no rows in the first assignment.
    const n = 400;
    const X = { data: blobs(n, 3, 4, 5, 9), rows: n, cols: 3 };
    const init = new Float64Array(9);
    init.set(X.data.subarray(0, 3), 0);
    init.set(X.data.subarray(0, 3), 3);
    init.set(X.data.subarray(30, 33), 6);
    const p: KMeansParams = { n_clusters: 3, n_init: 1, max_iter: 100, tol: 0 };
    const a = init.slice();
    const b = init.slice();
    const plain = await lloydGpu(X, a, 3, p, ctx(), 0);
    const fast = await lloydCpu(X, b, 3, p, ctx(), 0);
    expect(fast.nIter).toBe(plain.nIter);
    expect(fast.inertia).toBeCloseTo(plain.inertia, 6);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 9);
  });
});
