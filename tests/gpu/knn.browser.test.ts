/**
 * The knn kernel on a real WebGPU device against its float64 reference, and KMeans' GPU
 * assignment path against the CPU one. Must fail, not skip, without WebGPU.
 *
 * Tolerance (derived in knn.ts): GPU squared distances are within (d + 2)·2⁻²⁴ relative of
 * float64, so neighbour order can only differ between candidates closer than that; indices are
 * compared wherever the reference's next candidate is farther by more than twice the tolerance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { type Compute, initCompute } from '../../src/gpu/device';
import { knn, knnOnGpu, knnRef, knnTolerance } from '../../src/gpu/kernels/knn/knn';
import {
  K_CAPACITIES,
  knnCapacity,
  MAX_K,
  TILE_FLOATS,
  WORKGROUP_SIZE,
} from '../../src/gpu/kernels/knn/knn.wgsl';
import { KMeans } from '../../src/models/cluster';
import { GPU_MIN_WORK } from '../../src/models/gpu-policy';
import { validateModelParams } from '../../src/models/model';
import { recordingCompute } from './support/recording';

let compute: Compute;
beforeAll(async () => {
  compute = await initCompute();
});
afterAll(() => compute?.dispose());

function gpu() {
  if (!compute.gpu) throw new Error(`no GPU device: ${JSON.stringify(compute.info().fallbacks)}`);
  return compute.gpu;
}

function data(n: number, d: number, seed: number, offset = 0): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * d }, () => offset + rng.normal());
}

async function expectMatches(
  nq: number,
  nr: number,
  d: number,
  k: number,
  offset = 0,
  maxQueryRows?: number,
) {
  const q = data(nq, d, 1, offset);
  const r = data(nr, d, 2, offset);
  // The kernel, not its silent fallback to the reference, must produce the answer.
  expect(knnOnGpu(gpu(), nr, d, k), `k=${k} d=${d} runs on the GPU`).toBe(true);
  const got = await knn(gpu(), q, r, d, k, { maxQueryRows });
  expect(got.fallback, 'the GPU path ran (no silent fallback to the reference)').toBeUndefined();
  const want = knnRef(q, r, d, k);
  expect(got.k).toBe(want.k);
  const tol = knnTolerance(d);
  let compared = 0;
  for (let i = 0; i < nq; i++) {
    for (let s = 0; s < want.k; s++) {
      const w = want.distances[i * want.k + s]!;
      // got.distances are float64 recomputations for the chosen rows: equal within the f32 ranking error.
      expect(Math.abs(got.distances[i * want.k + s]! - w)).toBeLessThanOrEqual(2 * tol * w + 1e-12);
      const prev = s > 0 ? want.distances[i * want.k + s - 1]! : -Infinity;
      const next = s + 1 < want.k ? want.distances[i * want.k + s + 1]! : Infinity;
      if (w - prev > 2 * tol * w && next - w > 2 * tol * w) {
        expect(got.indices[i * want.k + s], `query ${i} neighbour ${s}`).toBe(want.indices[i * want.k + s]);
        compared++;
      }
    }
  }
  expect(compared).toBeGreaterThan(0.9 * nq * want.k);
}

describe('knn kernel vs float64 reference', () => {
  it('sizes around the workgroup and tile edges', async () => {
    await expectMatches(WORKGROUP_SIZE + 1, Math.floor(TILE_FLOATS / 3) + 5, 3, 5);
    await expectMatches(7, 3, 4, 5); // k > rows: k becomes the number of rows
    await expectMatches(WORKGROUP_SIZE - 1, 200, 64, 32);
  });
  it('k above 32: each list capacity, at and just past its edge (t-SNE asks for 92)', async () => {
    expect(K_CAPACITIES.map((c) => knnCapacity(c))).toEqual([...K_CAPACITIES]);
    expect(knnCapacity(33)).toBe(64);
    expect(knnCapacity(92)).toBe(128);
    await expectMatches(WORKGROUP_SIZE + 3, 700, 50, 92); // t-SNE: 3·30 + 1 neighbours + the row
    await expectMatches(40, 300, 8, 33);
    await expectMatches(70, 500, 5, 64);
    await expectMatches(20, 600, 3, 129, 0, 16);
    await expectMatches(10, 400, 12, MAX_K);
    expect(knnOnGpu(gpu(), 400, 12, MAX_K + 1)).toBe(false);
  });
  it('offset data keep their small differences (mean shift in float64)', async () => {
    await expectMatches(50, 300, 8, 3, 1e4);
  });
  it('query chunking', async () => {
    await expectMatches(150, 100, 5, 4, 0, 64);
  });
  it('exact ties keep the lower index, like the reference (k = 1 and k = 3)', async () => {
    const r = new Float64Array([0, 0, 1, 1, 0, 0, 1, 1]);
    const q = new Float64Array([0, 0, 1, 1, 0.5, 0.5]);
    const got = await knn(gpu(), q, r, 2, 1);
    expect([...got.indices]).toEqual([...knnRef(q, r, 2, 1).indices]);
    expect([...got.indices]).toEqual([0, 1, 0]);
    // k = 3 over duplicated rows: equal distances keep ascending indices.
    const dup = new Float64Array([1, 1, 0, 0, 1, 1, 0, 0, 1, 1]);
    const three = await knn(gpu(), new Float64Array([0, 0]), dup, 2, 3);
    expect([...three.indices]).toEqual([1, 3, 0]);
    expect([...three.indices]).toEqual([...knnRef(new Float64Array([0, 0]), dup, 2, 3).indices]);
  });
});

describe('KMeans assignment on the GPU', () => {
  it('reaches the same inertia as the CPU path', async () => {
    const n = 4000;
    const d = 8;
    const k = 4;
    const rng = createRng(5);
    const X = Float64Array.from(
      { length: n * d },
      (_, t) => rng.normal() + (Math.floor(t / d) % k) * 4 * (t % d === 0 ? 1 : 0),
    );
    const M = { data: X, rows: n, cols: d };
    const params = validateModelParams(KMeans, { n_clusters: k, n_init: 2 });
    const base = { rng: createRng(0), signal: new AbortController().signal, progress: () => {} };
    const cpu = await KMeans.fit(M, { task: 'clustering' }, params, { ...base, compute: null });
    const threshold = GPU_MIN_WORK.kmeans;
    GPU_MIN_WORK.kmeans = 0; // this small set must take the GPU path
    const recorded = recordingCompute(compute);
    const onGpu = await KMeans.fit(M, { task: 'clustering' }, params, {
      ...base,
      rng: createRng(0),
      compute: recorded.compute,
    }).finally(() => {
      GPU_MIN_WORK.kmeans = threshold;
    });
    // Every assignment ran on the device: a silent CPU fallback would match the CPU path too.
    expect(recorded.runs.gpu).toBeGreaterThan(0);
    expect(recorded.runs.cpu).toBe(0);
    expect(Math.abs(onGpu.inertia - cpu.inertia) / cpu.inertia).toBeLessThan(1e-6);
    expect([...onGpu.centers].map((v) => v.toFixed(6))).toEqual([...cpu.centers].map((v) => v.toFixed(6)));
  });
});
