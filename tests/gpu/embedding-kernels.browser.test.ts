/**
 * The UMAP layout and t-SNE kernels on a real WebGPU device (SwiftShader here) against their CPU
 * references. Must fail, not skip, without WebGPU.
 *
 * Tolerances: both kernels compute in f32 where the references use float64, and the UMAP kernel
 * uses WGSL's pow (a few ULP). The first epoch agrees exactly here; after that differences grow
 * 10–50× per UMAP epoch (observed at n = 333: 0, 8e-5, 9e-4, 4e-2, 2.9 after epochs 1–5), because
 * the repulsion 2b/((0.001 + d²)(…)) between nearly coincident points amplifies rounding. So we
 * compare at most 3 epochs (5 t-SNE iterations) elementwise, within 1e-3 of the layout's extent —
 * a wrong factor, sign or schedule moves points by far more (the attractive factor 2 → 1 fails
 * it) — and whole runs by trustworthiness (within 0.01).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { isSoftwareAdapter } from '../../src/gpu/adapter';
import { type Compute, initCompute } from '../../src/gpu/device';
import { tsneGpu } from '../../src/gpu/kernels/tsne/tsne';
import { tsneRef } from '../../src/gpu/kernels/tsne/tsne.ref';
import { umapLayout } from '../../src/gpu/kernels/umap/umap';
import { umapLayoutRef } from '../../src/gpu/kernels/umap/umap.ref';
import { type EmbedPlan, embed } from '../../src/models/embedding/embed';
import { knnGraph } from '../../src/models/embedding/knn-graph';
import { trustworthiness } from '../../src/models/embedding/trustworthiness';
import { jointProbabilities, pcaInit } from '../../src/models/embedding/tsne';
import { findAbParams, fuzzySimplicialSet, layoutInput, spectralInit } from '../../src/models/embedding/umap';

let compute: Compute;
beforeAll(async () => {
  compute = await initCompute();
});
afterAll(() => compute?.dispose());

function gpu() {
  if (!compute.gpu) throw new Error(`no GPU device: ${JSON.stringify(compute.info().fallbacks)}`);
  return compute.gpu;
}

function blobs(n: number, d: number, centers: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const c = Array.from({ length: centers * d }, () => 6 * rng.normal());
  return Float32Array.from(
    { length: n * d },
    (_, k) => c[(Math.floor(k / d) % centers) * d + (k % d)]! + rng.normal(),
  );
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function extent(a: Float32Array): number {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of a) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return hi - lo;
}

/** `spread`: start from uniform random positions instead of the spectral layout, whose clusters
 * start nearly collapsed — there the direction of a repulsion between two almost coincident
 * points is decided by rounding, and GPU and CPU part ways within an epoch. */
async function umapProblem(n: number, d: number, nEpochs: number, spread = false) {
  const X = blobs(n, d, 4, n);
  const g = fuzzySimplicialSet(await knnGraph(null, X, n, d, 15, true), n);
  const rng = createRng(1);
  const init = spread
    ? Float32Array.from({ length: 2 * n }, () => 10 * rng.next())
    : await spectralInit(g, rng);
  const input = layoutInput(g, init, {
    ...findAbParams(1, 0.1),
    nEpochs,
    negativeSampleRate: 5,
    gamma: 1,
    alpha: 1,
    seed: 11,
  });
  return { X, input };
}

async function tsneProblem(n: number, d: number, nIter: number) {
  const X = blobs(n, d, 4, n + 1);
  const graph = await knnGraph(null, X, n, d, Math.min(n - 1, 91), false);
  const P = jointProbabilities(graph.indices, graph.distances, n, graph.k, 30);
  const input = {
    n,
    ...P,
    embedding: pcaInit(X, n, d),
    nIter,
    explorationIters: Math.min(250, nIter),
    exaggeration: 12,
    learningRate: Math.max(n / 48, 50),
    minGain: 0.01,
  };
  return { X, input };
}

describe('UMAP layout kernel', () => {
  it.each([
    [67, 3],
    [300, 3],
    [333, 3],
  ])('n=%i: %i epochs agree with the reference', async (n, epochs) => {
    const { input } = await umapProblem(n, 5, 200, true);
    const got = await umapLayout(gpu(), input, { stopAfter: epochs });
    const want = await umapLayoutRef(input, { stopAfter: epochs });
    const moved = maxAbsDiff(want, input.embedding);
    const diff = maxAbsDiff(got, want);
    expect(moved).toBeGreaterThan(1e-2); // the epochs did move points
    expect(diff, `max |gpu − ref| ${diff}, moved ${moved}`).toBeLessThan(1e-3 * extent(want));
  });

  it('a whole run has the quality of the CPU run, with progress and cancel', async () => {
    const n = 500;
    const { X, input } = await umapProblem(n, 6, 200);
    const reports: number[] = [];
    const got = await umapLayout(gpu(), input, { reportEvery: 50, onEpoch: (done) => reports.push(done) });
    const want = await umapLayoutRef(input);
    expect(reports).toEqual([50, 100, 150, 200]);
    const tg = trustworthiness(X, got, n, 6, 2, 10);
    const tc = trustworthiness(X, want, n, 6, 2, 10);
    expect(Math.abs(tg - tc), `gpu ${tg} cpu ${tc}`).toBeLessThan(0.01);
    expect(tg).toBeGreaterThan(0.9);
    const controller = new AbortController();
    const run = umapLayout(gpu(), input, {
      signal: controller.signal,
      reportEvery: 10,
      onEpoch: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'Cancelled' });
  });
});

describe('t-SNE kernel', () => {
  it.each([
    [100, 5],
    [300, 5],
    [257, 5],
  ])('n=%i: %i iterations agree with the reference', async (n, iters) => {
    const { input } = await tsneProblem(n, 5, 1000);
    const got = await tsneGpu(gpu(), input, { stopAfter: iters });
    const want = await tsneRef(input, { stopAfter: iters });
    const moved = maxAbsDiff(want, input.embedding);
    const diff = maxAbsDiff(got, want);
    expect(moved).toBeGreaterThan(0.1 * extent(input.embedding));
    expect(diff, `max |gpu − ref| ${diff}, moved ${moved}`).toBeLessThan(1e-3 * extent(want));
  });

  it('a whole run has the quality of the CPU run', async () => {
    const n = 300;
    const { X, input } = await tsneProblem(n, 6, 400);
    const got = await tsneGpu(gpu(), input);
    const want = await tsneRef(input);
    const tg = trustworthiness(X, got, n, 6, 2, 10);
    const tc = trustworthiness(X, want, n, 6, 2, 10);
    expect(Math.abs(tg - tc), `gpu ${tg} cpu ${tc}`).toBeLessThan(0.01);
    expect(tg).toBeGreaterThan(0.9);
  });
});

describe('embed on the GPU', () => {
  it.each(['umap', 'tsne'] as const)(
    '%s streams positions and gives a trustworthy layout',
    async (method) => {
      const n = 400;
      const X = blobs(n, 5, 5, 3);
      let frames = 0;
      const plans: EmbedPlan[] = [];
      // device 'gpu': the default ('auto') passes over a software adapter such as this SwiftShader.
      const Y = await embed(
        X,
        n,
        5,
        { method, seed: 2, nEpochs: 150, nIter: 300, reportEvery: 25, device: 'gpu' },
        compute,
        {
          onProgress: (_f, pos) => {
            if (pos) frames++;
          },
          onPlan: (p) => plans.push(p),
        },
      );
      expect(compute.info().kernels).toBe('webgpu');
      expect(plans).toEqual([expect.objectContaining({ device: 'webgpu' })]);
      expect(frames).toBeGreaterThan(3);
      expect(trustworthiness(X, Y, n, 5, 2, 10)).toBeGreaterThan(0.9);
    },
  );

  it("by default ('auto') passes over a software adapter for the CPU path, and says why", async () => {
    expect(isSoftwareAdapter(compute.info().adapter)).toBe(true); // this machine: SwiftShader
    const plans: EmbedPlan[] = [];
    const X = blobs(120, 4, 3, 4);
    await embed(X, 120, 4, { method: 'umap', nEpochs: 20 }, compute, { onPlan: (p) => plans.push(p) });
    // 120 rows: below MIN_ROWS one thread is faster than the per-epoch messages.
    expect(plans).toEqual([{ device: 'cpu', threads: 1, why: expect.stringMatching(/software/) }]);
  });
});
