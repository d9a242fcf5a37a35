/**
 * Embeddings on the CPU path (Node has no WebGPU, so the kernels run their references):
 * trustworthiness against sklearn, UMAP's building blocks against umap-learn's definitions, and
 * the quality of full t-SNE / UMAP runs on digits against the reference numbers in
 * tests/fixtures/sklearn/embedding (sklearn 1.2.1 t-SNE; umap-js 1.4.0 for UMAP — see there why).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import type { Compute } from '../../src/gpu/device';
import { knnRef } from '../../src/gpu/kernels/knn/knn.ref';
import { powFast, umapLayoutRef } from '../../src/gpu/kernels/umap/umap.ref';
import { embed, embedPlan } from '../../src/models/embedding/embed';
import { APPROXIMATE_ABOVE, knnGraph } from '../../src/models/embedding/knn-graph';
import { nnDescent } from '../../src/models/embedding/nn-descent';
import { trustworthiness } from '../../src/models/embedding/trustworthiness';
import { conditionalP, jointProbabilities } from '../../src/models/embedding/tsne';
import {
  defaultEpochs,
  findAbParams,
  fuzzySimplicialSet,
  layoutInput,
  spectralInit,
} from '../../src/models/embedding/umap';

interface EmbeddingFixture {
  trustworthiness: { X: number[][]; Y: number[][]; values: Record<string, number> };
  umap_ab: { spread: number; min_dist: number; a: number; b: number }[];
  tsne: Record<string, { rows: number; mean: number; runs: { trustworthiness_k10: number }[] }>;
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/sklearn/embedding/embedding.json', import.meta.url), 'utf8'),
) as EmbeddingFixture;
const umapReference = JSON.parse(
  readFileSync(new URL('../fixtures/sklearn/embedding/umap-reference.json', import.meta.url), 'utf8'),
) as { mean: number; runs: { trustworthiness_k10: number }[] };

function digits(): { X: Float32Array; n: number } {
  const lines = readFileSync(new URL('../../public/samples/digits.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const X = new Float32Array(lines.length * 64);
  lines.forEach((line, i) => {
    line
      .split(',')
      .slice(0, 64)
      .forEach((v, j) => {
        X[i * 64 + j] = Number(v);
      });
  });
  return { X, n: lines.length };
}

function blobs(n: number, d: number, centers: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const c = Array.from({ length: centers * d }, () => 10 * rng.normal());
  return Float32Array.from(
    { length: n * d },
    (_, k) => c[(Math.floor(k / d) % centers) * d + (k % d)]! + rng.normal(),
  );
}

describe('trustworthiness', () => {
  const { X, Y, values } = fixture.trustworthiness;
  const n = X.length;
  it('equals sklearn.manifold.trustworthiness on a fixed input for several k', () => {
    for (const [k, want] of Object.entries(values)) {
      const got = trustworthiness(
        Float64Array.from(X.flat()),
        Float64Array.from(Y.flat()),
        n,
        6,
        2,
        Number(k),
      );
      expect(got, `k=${k}`).toBeCloseTo(want, 12);
    }
  });
  it('is 1 for an isometric embedding and rejects k ≥ n/2', () => {
    const flat = Float64Array.from(X.flat());
    expect(trustworthiness(flat, flat, n, 6, 6, 5)).toBe(1);
    expect(() => trustworthiness(flat, flat, n, 6, 6, n / 2)).toThrow(/less than n_samples/);
  });
});

describe('UMAP building blocks', () => {
  it("fits a, b like umap-learn's find_ab_params (scipy curve_fit)", () => {
    for (const { spread, min_dist, a, b } of fixture.umap_ab) {
      const got = findAbParams(spread, min_dist);
      expect(Math.abs(got.a - a) / a, `a at ${spread}/${min_dist}`).toBeLessThan(1e-5);
      expect(Math.abs(got.b - b) / b, `b at ${spread}/${min_dist}`).toBeLessThan(1e-5);
    }
  });

  it('builds a symmetric fuzzy graph without self loops, weights in (0, 1], each row ≥ one weight 1', async () => {
    const n = 300;
    const X = blobs(n, 5, 4, 1);
    const graph = await knnGraph(null, X, n, 5, 15, true);
    expect(graph.indices[0]).toBe(0); // itself first, at distance 0
    const g = fuzzySimplicialSet(graph, n);
    const w = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      let maxRow = 0;
      for (let e = g.rowStart[i]!; e < g.rowStart[i + 1]!; e++) {
        expect(g.col[e]).not.toBe(i);
        expect(g.weight[e]).toBeGreaterThan(0);
        expect(g.weight[e]).toBeLessThanOrEqual(1);
        if (e > g.rowStart[i]!) expect(g.col[e]!).toBeGreaterThan(g.col[e - 1]!);
        w.set(`${i},${g.col[e]}`, g.weight[e]!);
        maxRow = Math.max(maxRow, g.weight[e]!);
      }
      expect(maxRow).toBeCloseTo(1, 12); // the nearest neighbour sits at rho: membership exp(0)
    }
    for (const [key, v] of w) {
      const [i, j] = key.split(',');
      expect(w.get(`${j},${i}`)).toBe(v);
    }
  });

  it("powFast (the layout's d²ᵇ) is Math.pow to float32 accuracy over the layout's range", () => {
    const rng = createRng(11);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      // x log-uniform over 1e-18 … 1e18 as float32 (the layout passes d² of float32 positions; x^b
      // stays inside float32's range), b over the exponents umap-learn's (a, b) fit gives for
      // min_dist 0 … 0.99 and spread 0.5 … 3.
      const x = Math.fround(10 ** (-18 + 36 * rng.next()));
      const b = 0.5 + 1.5 * rng.next();
      worst = Math.max(worst, Math.abs(powFast(x, b) / x ** b - 1));
    }
    expect(worst).toBeLessThan(3e-7);
    expect(worst).toBeGreaterThan(0); // it is an approximation, not Math.pow under another name
    for (const b of [0.5, 0.895, 1.93]) {
      expect(powFast(1, b)).toBeCloseTo(1, 6);
      expect(powFast(4, 0.5)).toBeCloseTo(2, 6);
      // Below float32's normal range and above it: finite, non-negative, no NaN.
      for (const x of [1e-45, 1e-40, 3e38]) {
        const y = powFast(x, b);
        expect(Number.isFinite(y) && y >= 0, `${x}^${b} = ${y}`).toBe(true);
      }
    }
  });

  it('the layout is seeded, reports positions, stops on abort', async () => {
    const n = 200;
    const X = blobs(n, 4, 3, 2);
    const g = fuzzySimplicialSet(await knnGraph(null, X, n, 4, 10, true), n);
    const init = await spectralInit(g, createRng(3));
    const input = layoutInput(g, init, {
      ...findAbParams(1, 0.1),
      nEpochs: 50,
      negativeSampleRate: 5,
      gamma: 1,
      alpha: 1,
      seed: 7,
    });
    const reports: number[] = [];
    const a = await umapLayoutRef(input, {
      reportEvery: 10,
      onEpoch: (done, pos) => reports.push(done, pos.length),
    });
    const b = await umapLayoutRef(input);
    const c = await umapLayoutRef({ ...input, seed: 8 });
    expect(reports).toEqual([10, 2 * n, 20, 2 * n, 30, 2 * n, 40, 2 * n, 50, 2 * n]);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(a).not.toEqual(init);
    const controller = new AbortController();
    const run = umapLayoutRef(input, {
      signal: controller.signal,
      reportEvery: 1,
      onEpoch: (done) => done === 3 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'Cancelled' });
    expect(defaultEpochs(10_000)).toBe(500);
    expect(defaultEpochs(10_001)).toBe(200);
  });
});

it('the spectral initialisation yields to a cancel sent while it runs', async () => {
  // A ring of 100k vertices: its eigenvalues are so close that the power steps never meet the
  // stopping rule, so all 300 run (hundreds of ms). The abort comes from a timer, which can only
  // run if spectralInit gives the event loop a turn before it is done.
  const n = 100_000;
  const rowStart = Uint32Array.from({ length: n + 1 }, (_, i) => 2 * i);
  const col = new Uint32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const [a, b] = [(i + n - 1) % n, (i + 1) % n].sort((x, y) => x - y);
    col[2 * i] = a!;
    col[2 * i + 1] = b!;
  }
  const ring = { n, rowStart, col, weight: new Float64Array(2 * n).fill(1) };
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 0);
  await expect(spectralInit(ring, createRng(1), controller.signal)).rejects.toMatchObject({
    name: 'Cancelled',
  });
});

describe('NN-descent (the CPU kNN above 4096 rows)', () => {
  it('recalls most exact neighbours, seeded', async () => {
    const n = 2000;
    const d = 8;
    const k = 10;
    const X = blobs(n, d, 6, 9);
    const approx = await nnDescent(X, n, d, k, createRng(1));
    const again = await nnDescent(X, n, d, k, createRng(1));
    expect(again.indices).toEqual(approx.indices);
    const exact = knnRef(X, X, d, k + 1);
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const truth = new Set(exact.indices.subarray(i * (k + 1), (i + 1) * (k + 1)));
      for (let s = 0; s < k; s++) {
        const j = approx.indices[i * k + s]!;
        expect(j).not.toBe(i);
        if (truth.has(j)) hits++;
        if (s > 0)
          expect(approx.distances[i * k + s]!).toBeGreaterThanOrEqual(approx.distances[i * k + s - 1]!);
      }
    }
    // Observed 0.99+ here; pynndescent's typical recall is 0.9–0.99.
    expect(hits / (n * k)).toBeGreaterThan(0.95);
  });

  it('knnGraph switches to it above APPROXIMATE_ABOVE rows without a GPU, self first', async () => {
    const n = APPROXIMATE_ABOVE + 10;
    const X = blobs(n, 3, 4, 2);
    const g = await knnGraph(null, X, n, 3, 15, true, undefined, createRng(3));
    expect(g.k).toBe(15);
    for (const i of [0, 1, n - 1]) {
      expect(g.indices[i * 15]).toBe(i);
      expect(g.distances[i * 15]).toBe(0);
      expect(g.distances[i * 15 + 1]).toBeGreaterThan(0);
    }
  });
});

describe('t-SNE building blocks', () => {
  it('finds the precision giving the requested perplexity', () => {
    const rng = createRng(4);
    const d2 = Float32Array.from({ length: 91 }, () => 10 * rng.next());
    const p = new Float64Array(91);
    conditionalP(d2, 30, p);
    let entropy = 0;
    let sum = 0;
    for (const v of p) {
      sum += v;
      if (v > 0) entropy -= v * Math.log(v);
    }
    expect(sum).toBeCloseTo(1, 12);
    expect(Math.exp(entropy)).toBeCloseTo(30, 3);
  });

  it('joint probabilities are symmetric and sum to 1', () => {
    const indices = Int32Array.from([1, 2, 0, 2, 0, 1]);
    const distances = Float64Array.from([1, 2, 1, 1.5, 2, 1.5]);
    const P = jointProbabilities(indices, distances, 3, 2, 1.5);
    let total = 0;
    const at = (i: number, j: number) => {
      for (let e = P.rowStart[i]!; e < P.rowStart[i + 1]!; e++) if (P.col[e] === j) return P.val[e]!;
      return 0;
    };
    for (let e = 0; e < P.val.length; e++) total += P.val[e]!;
    expect(total).toBeCloseTo(1, 6);
    expect(at(0, 1)).toBeCloseTo(at(1, 0), 7);
    expect(at(0, 2)).toBeCloseTo(at(2, 0), 7);
  });
});

describe('embed', () => {
  it('pca gives uncorrelated axes with decreasing variance', async () => {
    const n = 400;
    const X = blobs(n, 6, 5, 5);
    const Y = await embed(X, n, 6, { method: 'pca' }, null);
    let v0 = 0;
    let v1 = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      v0 += Y[2 * i]! ** 2;
      v1 += Y[2 * i + 1]! ** 2;
      c += Y[2 * i]! * Y[2 * i + 1]!;
    }
    expect(v0).toBeGreaterThan(v1);
    expect(Math.abs(c) / Math.sqrt(v0 * v1)).toBeLessThan(1e-5);
  });

  it('rejects missing values and unknown methods; a pre-aborted signal cancels', async () => {
    await expect(
      embed(Float32Array.from([1, Number.NaN, 2, 3]), 2, 2, { method: 'pca' }, null),
    ).rejects.toMatchObject({
      name: 'InvalidArgument',
    });
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong method
    await expect(embed(new Float32Array(4), 2, 2, { method: 'mds' as any }, null)).rejects.toMatchObject({
      name: 'InvalidArgument',
    });
    const controller = new AbortController();
    controller.abort();
    await expect(
      embed(blobs(50, 3, 2, 1), 50, 3, { method: 'umap' }, null, { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'Cancelled' });
  });

  it('t-SNE and UMAP are seeded and stream positions while they optimize', async () => {
    const n = 150;
    const X = blobs(n, 5, 3, 6);
    for (const method of ['tsne', 'umap'] as const) {
      const frames: number[] = [];
      const options = { method, seed: 1, nIter: 300, nEpochs: 60 };
      const a = await embed(X, n, 5, options, null, {
        onProgress: (f, pos) => {
          frames.push(f);
          if (pos) expect(pos.length).toBe(2 * n);
        },
      });
      const b = await embed(X, n, 5, options, null);
      expect(b, method).toEqual(a);
      expect(frames.length, method).toBeGreaterThan(5);
      expect(frames.at(-1), method).toBeCloseTo(1, 9);
      for (let i = 1; i < frames.length; i++) expect(frames[i]!).toBeGreaterThanOrEqual(frames[i - 1]!);
      expect(trustworthiness(X, a, n, 5, 2, 10), method).toBeGreaterThan(0.9);
    }
  });
});

// Full digits (1797 × 64, raw pixels as sklearn's and umap-learn's examples use them), CPU path.
describe('quality on digits (trustworthiness, k = 10)', () => {
  const { X, n } = digits();
  it('t-SNE is within 0.01 of sklearn 1.2.1 TSNE', async () => {
    const Y = await embed(X, n, 64, { method: 'tsne', seed: 0 }, null);
    const ours = trustworthiness(X, Y, n, 64, 2, 10);
    const ref = fixture.tsne.digits!.mean;
    expect(ref).toBeGreaterThan(0.98);
    expect(Math.abs(ours - ref), `ours ${ours}, sklearn ${ref}`).toBeLessThan(0.01);
  }, 180_000);

  it('UMAP is within 0.01 of the UMAP reference (umap-js 1.4.0)', async () => {
    const Y = await embed(X, n, 64, { method: 'umap', seed: 0 }, null);
    const ours = trustworthiness(X, Y, n, 64, 2, 10);
    const ref = umapReference.mean;
    expect(ref).toBeGreaterThan(0.98);
    expect(Math.abs(ours - ref), `ours ${ours}, reference ${ref}`).toBeLessThan(0.01);
  }, 180_000);
});

describe('embedPlan: where t-SNE/UMAP run', () => {
  const withAdapter = (vendor: string, architecture: string, isFallbackAdapter = false): Compute =>
    ({
      gpu: { adapter: { vendor, architecture, device: '', description: '', isFallbackAdapter }, limits: {} },
    }) as unknown as Compute;
  it('uses a hardware GPU, passes over a software one by default, and follows an explicit choice', () => {
    const hw = withAdapter('nvidia', 'ampere');
    const sw = withAdapter('google', 'swiftshader');
    expect(embedPlan(hw, 'umap', 5000)).toEqual({
      compute: hw,
      plan: { device: 'webgpu', threads: 1, why: 'WebGPU (nvidia ampere)' },
    });
    expect(embedPlan(hw, 'tsne', 5000, 'cpu')).toEqual({
      compute: null,
      plan: { device: 'cpu', threads: 1, why: 'CPU chosen' },
    });
    const soft = embedPlan(sw, 'umap', 5000);
    expect(soft.compute).toBeNull();
    expect(soft.plan).toMatchObject({ device: 'cpu', threads: 1 }); // Node: no Web Workers, one thread
    expect(soft.plan.why).toMatch(/software \(swiftshader\)/);
    expect(embedPlan(withAdapter('', '', true), 'tsne', 5000).plan.device).toBe('cpu');
    expect(embedPlan(sw, 'umap', 5000, 'gpu').compute).toBe(sw);
    expect(embedPlan(null, 'umap', 5000)).toEqual({
      compute: null,
      plan: { device: 'cpu', threads: 1, why: 'no WebGPU device' },
    });
  });
});
