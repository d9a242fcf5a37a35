/**
 * The FFT-interpolated t-SNE repulsion (src/gpu/kernels/tsne-fft) on a real WebGPU device
 * (SwiftShader here) against its CPU reference (tsne-fft.ref.ts). Must fail, not skip, without
 * WebGPU.
 *
 * Tolerances: the kernels run in f32 and spread in 32.32 fixed point where the reference uses
 * float64. Measured when written: Z within 6e-7 relative; forces within 1e-4 of their RMS at
 * worst (median 1e-6). The bounds below are 10–100× that — a wrong weight, sign, offset or a stale
 * kernel transform moves forces by their own size. Whole runs are compared by trustworthiness.
 * SwiftShader runs an iteration at L = 512 in ~0.3–0.5 s, so whole runs here are short.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { type Compute, initCompute } from '../../src/gpu/device';
import { tsneGpu } from '../../src/gpu/kernels/tsne/tsne';
import { tsneDescent } from '../../src/gpu/kernels/tsne/tsne.ref';
import { fftGpuRepulsion, fftRepulsionGpu } from '../../src/gpu/kernels/tsne-fft/tsne-fft';
import { fftRepulsion } from '../../src/gpu/kernels/tsne-fft/tsne-fft.ref';
import { embed } from '../../src/models/embedding/embed';
import { knnGraph } from '../../src/models/embedding/knn-graph';
import { trustworthiness } from '../../src/models/embedding/trustworthiness';
import { jointProbabilities, pcaInit } from '../../src/models/embedding/tsne';
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

/** n points in 8 Gaussian clusters over a square of side `span`. */
function layout(n: number, span: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const c = Array.from({ length: 16 }, () => span * (rng.next() - 0.5));
  const Y = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const k = rng.int(8);
    Y[2 * i] = c[2 * k]! + (rng.normal() * span) / 15;
    Y[2 * i + 1] = c[2 * k + 1]! + (rng.normal() * span) / 15;
  }
  return Y;
}

function blobs(n: number, d: number, centers: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const c = Array.from({ length: centers * d }, () => 6 * rng.normal());
  return Float32Array.from(
    { length: n * d },
    (_, k) => c[(Math.floor(k / d) % centers) * d + (k % d)]! + rng.normal(),
  );
}

/** GPU result against the reference on the same f32 positions. */
function expectAgrees(got: { force: Float32Array; Z: number }, Y: Float32Array, L: number, label: string) {
  const n = Y.length / 2;
  const want = new Float64Array(2 * n);
  const zWant = fftRepulsion({ fixedL: L })(Float64Array.from(Y), n, want);
  expect(Math.abs(got.Z - zWant) / zWant, `${label}: Z ${got.Z} vs ${zWant}`).toBeLessThan(1e-5);
  let rms = 0;
  for (const v of want) rms += v * v;
  rms = Math.sqrt(rms / (2 * n));
  const diffs = Array.from({ length: n }, (_, i) =>
    Math.hypot(got.force[2 * i]! - want[2 * i]!, got.force[2 * i + 1]! - want[2 * i + 1]!),
  ).sort((a, b) => a - b);
  expect(diffs[Math.floor(0.99 * n)]! / rms, `${label}: 99th percentile`).toBeLessThan(1e-3);
  expect(diffs[n - 1]! / rms, `${label}: largest`).toBeLessThan(1e-2);
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
    explorationIters: Math.min(250, Math.floor(nIter / 3)),
    exaggeration: 12,
    learningRate: Math.max(n / 48, 50),
    minGain: 0.01,
  };
  return { X, input };
}

describe('tsne-fft kernels vs the reference', () => {
  it.each([
    [1e-3, 512],
    [3, 512],
    [40, 512],
    [80, 512],
    [150, 1024],
  ])('one evaluation at span %f on an L = %i grid', async (span, L) => {
    const n = 777; // not a multiple of the workgroup size
    const Y = layout(n, span, Math.round(span * 10));
    const [got] = await fftRepulsionGpu(gpu(), [Y], n, L);
    expectAgrees(got!, Y, L, `span ${span}`);
  });

  it('the kernel transforms are redone exactly when the box width changes, and results repeat bit for bit', async () => {
    const n = 500;
    const a = layout(n, 30, 1);
    const wider = a.map((v) => 2.3 * v); // box width 0.5 → 1: new kernel transforms
    const shifted = wider.map((v) => v + 0.37); // same width: the transforms are reused
    const sets = [a, wider, shifted, a, a];
    const got = await fftRepulsionGpu(gpu(), sets, n, 512);
    for (const [k, Y] of sets.entries()) expectAgrees(got[k]!, Y, 512, `set ${k}`);
    expect(got[4]!.force).toEqual(got[3]!.force); // fixed-point spreading: no float atomics
    expect(got[4]!.Z).toBe(got[3]!.Z);
  });
});

describe('t-SNE with the FFT repulsion on the GPU', () => {
  it('a run has the quality of the CPU reference run, repeats exactly, reports and cancels', async () => {
    const n = 400;
    const { X, input } = await tsneProblem(n, 6, 150);
    const reports: number[] = [];
    const got = await tsneGpu(
      gpu(),
      input,
      { reportEvery: 50, onIteration: (done) => reports.push(done) },
      fftGpuRepulsion(),
    );
    const want = await tsneDescent(input, fftRepulsion());
    expect(reports).toEqual([50, 100, 150]);
    const tg = trustworthiness(X, got, n, 6, 2, 10);
    const tc = trustworthiness(X, want, n, 6, 2, 10);
    expect(Math.abs(tg - tc), `gpu ${tg} cpu ${tc}`).toBeLessThan(0.01);
    expect(tg).toBeGreaterThan(0.9);
    const first = await tsneGpu(gpu(), input, { stopAfter: 15 }, fftGpuRepulsion());
    const second = await tsneGpu(gpu(), input, { stopAfter: 15 }, fftGpuRepulsion());
    expect(second).toEqual(first);
    const controller = new AbortController();
    const run = tsneGpu(
      gpu(),
      input,
      { signal: controller.signal, reportEvery: 5, onIteration: () => controller.abort() },
      fftGpuRepulsion(),
    );
    await expect(run).rejects.toMatchObject({ name: 'Cancelled' });
  }, 600_000);

  it("embed's tsneMethod 'fft' runs on WebGPU and streams positions", async () => {
    const n = 300;
    const X = blobs(n, 5, 5, 3);
    let frames = 0;
    // device 'gpu': by default a software adapter (this SwiftShader) is passed over for the CPU.
    const options = {
      method: 'tsne' as const,
      tsneMethod: 'fft' as const,
      nIter: 120,
      reportEvery: 40,
      device: 'gpu' as const,
    };
    const recorded = recordingCompute(compute);
    const Y = await embed(X, n, 5, options, recorded.compute, {
      onProgress: (_f, pos) => {
        if (pos) frames++;
      },
    });
    expect(compute.info().kernels).toBe('webgpu');
    // The layout ran on the device, not on the CPU reference that compute.run falls back to.
    expect(recorded.runs.gpu).toBeGreaterThan(0);
    expect(recorded.runs.cpu).toBe(0);
    expect(frames).toBe(3);
    expect(trustworthiness(X, Y, n, 5, 2, 10)).toBeGreaterThan(0.9);
  }, 600_000);
});
