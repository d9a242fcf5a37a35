/**
 * t-SNE's approximate repulsion on the CPU (Node has no WebGPU): Barnes–Hut (sklearn's method,
 * src/models/embedding/barnes-hut.ts) and the FFT interpolation (FIt-SNE; the CPU reference of the
 * tsne-fft kernels) against the exact sums on seeded layouts; whole runs on digits against the
 * sklearn 1.2.1 fixture (tests/fixtures/sklearn/embedding/embedding.json, made by make_fixtures.py
 * there with sklearn's default method='barnes_hut', angle=0.5); seeding, progress and cancel.
 *
 * Error bounds are about twice what these inputs give (measured when the tests were written): BH at
 * angle 0.5 ≤ 0.8% (Z) and 1.5% (forces / Z, relative L2); the interpolation is ~1e-4 while boxes
 * are narrow and a few % once the grid's boxes reach FIt-SNE's width of 1 (span ≥ 85 units).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { exactRepulsion, type Repulsion } from '../../src/gpu/kernels/tsne/tsne.ref';
import {
  boxesFor,
  boxWidthFor,
  Fft,
  fftRepulsion,
  fftSizeFor,
  lagrange3,
  MAX_L,
  MIN_L,
  selfInteraction,
} from '../../src/gpu/kernels/tsne-fft/tsne-fft.ref';
import { barnesHutRepulsion, QuadTree } from '../../src/models/embedding/barnes-hut';
import { embed } from '../../src/models/embedding/embed';
import { trustworthiness } from '../../src/models/embedding/trustworthiness';
import { EXACT_BELOW, resolveTsneMethod } from '../../src/models/embedding/tsne';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/sklearn/embedding/embedding.json', import.meta.url), 'utf8'),
) as { tsne: Record<string, { mean: number }> };

/** n points in 8 Gaussian clusters over a square of side `span` (a t-SNE-like layout). */
function layout(n: number, span: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const c = Array.from({ length: 16 }, () => span * (rng.next() - 0.5));
  const Y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const k = rng.int(8);
    Y[2 * i] = c[2 * k]! + (rng.normal() * span) / 15;
    Y[2 * i + 1] = c[2 * k + 1]! + (rng.normal() * span) / 15;
  }
  return Y;
}

/** Relative errors of an approximate repulsion against the exact one: Z, and the relative L2 error of F/Z. */
function errors(rep: Repulsion, Y: Float64Array): { z: number; force: number } {
  const n = Y.length / 2;
  const want = new Float64Array(2 * n);
  const got = new Float64Array(2 * n);
  const zWant = exactRepulsion()(Y, n, want);
  const zGot = rep(Y, n, got);
  let num = 0;
  let den = 0;
  for (let e = 0; e < 2 * n; e++) {
    num += (want[e]! / zWant - got[e]! / zGot) ** 2;
    den += (want[e]! / zWant) ** 2;
  }
  return { z: Math.abs(zGot - zWant) / zWant, force: Math.sqrt(num / den) };
}

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

describe('Barnes–Hut repulsion', () => {
  it('builds sklearn’s tree: sizes add up, duplicates share a leaf', () => {
    const Y = Float64Array.from([0, 0, 1, 1, 1, 1, 0.5, 0.25, 1 + 5e-7, 1, -2, 3]);
    const tree = new QuadTree();
    tree.build(Y, 6);
    expect(tree.size[0]).toBe(6);
    let leafPoints = 0;
    let biggestLeaf = 0;
    for (let c = 0; c < tree.count; c++) {
      if (!tree.leaf[c]) {
        let children = 0;
        for (let s = 0; s < 4; s++)
          if (tree.child[4 * c + s]! >= 0) children += tree.size[tree.child[4 * c + s]!]!;
        expect(children, `cell ${c}`).toBe(tree.size[c]);
      } else {
        leafPoints += tree.size[c]!;
        biggestLeaf = Math.max(biggestLeaf, tree.size[c]!);
      }
    }
    expect(leafPoints).toBe(6);
    expect(biggestLeaf).toBe(3); // (1, 1) twice and (1 + 5e-7, 1): within 1e-6, one leaf
  });

  it('angle 0 gives the exact sums; angle 0.5 stays within 1.5% (Z) and 3% (forces)', () => {
    for (const span of [5, 30, 80]) {
      const Y = layout(800, span, span);
      const exact = errors(barnesHutRepulsion(0), Y);
      expect(exact.z, `span ${span}`).toBeLessThan(1e-12);
      expect(exact.force, `span ${span}`).toBeLessThan(1e-12);
      const e2 = errors(barnesHutRepulsion(0.2), Y);
      const e5 = errors(barnesHutRepulsion(0.5), Y);
      const e8 = errors(barnesHutRepulsion(0.8), Y);
      expect(e5.z, `span ${span}`).toBeLessThan(0.015);
      expect(e5.force, `span ${span}`).toBeLessThan(0.03);
      // A coarser angle summarises more: the error grows with it.
      expect(e2.force).toBeLessThan(e5.force);
      expect(e5.force).toBeLessThan(e8.force);
      expect(e5.force).toBeGreaterThan(1e-4); // and 0.5 does summarise
    }
  });
});

describe('FFT-interpolated repulsion (CPU reference of the tsne-fft kernels)', () => {
  it('the radix-2 FFT equals a direct DFT', () => {
    const L = 16;
    const rng = createRng(3);
    const re = Float64Array.from({ length: L }, () => rng.normal());
    const im = Float64Array.from({ length: L }, () => rng.normal());
    const fft = new Fft(L);
    const outRe = re.slice();
    const outIm = im.slice();
    fft.transform(outRe, outIm, 0, -1);
    for (let k = 0; k < L; k++) {
      let sr = 0;
      let si = 0;
      for (let t = 0; t < L; t++) {
        const a = (-2 * Math.PI * k * t) / L;
        sr += re[t]! * Math.cos(a) - im[t]! * Math.sin(a);
        si += re[t]! * Math.sin(a) + im[t]! * Math.cos(a);
      }
      expect(outRe[k]).toBeCloseTo(sr, 10);
      expect(outIm[k]).toBeCloseTo(si, 10);
    }
    fft.transform(outRe, outIm, 0, 1);
    for (let t = 0; t < L; t++) expect(outRe[t]! / L).toBeCloseTo(re[t]!, 12);
  });

  it('grid: power-of-two boxes covering the span, L grows to keep boxes ≤ 1 wide', () => {
    for (const span of [1e-4, 0.3, 7, 85, 100, 500]) {
      for (const L of [MIN_L, 1024, MAX_L]) {
        const W = boxWidthFor(span, L);
        expect(Number.isInteger(Math.log2(W))).toBe(true);
        expect(W * boxesFor(L)).toBeGreaterThanOrEqual(span);
        expect((W / 2) * boxesFor(L)).toBeLessThan(span);
      }
    }
    expect(fftSizeFor(80, 1)).toBe(MIN_L);
    expect(fftSizeFor(100, 1)).toBe(1024);
    expect(fftSizeFor(1000, 1)).toBe(MAX_L);
    const w = new Float64Array(3);
    for (const u of [0, 0.3, 1]) {
      lagrange3(u, w);
      expect(w[0]! + w[1]! + w[2]!).toBeCloseTo(1, 14);
    }
    // At a box centre the point sits on its middle node: its self-interaction is exactly K(0) = 1.
    lagrange3(0.5, w);
    expect(selfInteraction(w, w, 0, 0.3)).toBeCloseTo(1, 14);
  });

  it('matches the exact sums: ~1e-4 with narrow boxes, within a few % at width 1', () => {
    const bounds = [
      { span: 5, z: 1e-6, force: 2e-4 },
      { span: 30, z: 1e-4, force: 1e-2 },
      { span: 80, z: 1e-4, force: 0.12 },
    ];
    for (const b of bounds) {
      const Y = layout(800, b.span, b.span);
      const e = errors(fftRepulsion(), Y);
      expect(e.z, `span ${b.span}`).toBeLessThan(b.z);
      expect(e.force, `span ${b.span}`).toBeLessThan(b.force);
    }
    // Narrower boxes (a bigger grid) at span 80: under 2%.
    const fine = errors(fftRepulsion({ maxBoxWidth: 0.5 }), layout(800, 80, 80));
    expect(fine.force).toBeLessThan(0.02);
  });
});

describe('t-SNE method choice, seeding, progress and cancel', () => {
  it("'auto' is exact below EXACT_BELOW rows, else fft with a GPU and barnes_hut without", async () => {
    expect(resolveTsneMethod('auto', EXACT_BELOW - 1, true)).toBe('exact');
    expect(resolveTsneMethod('auto', EXACT_BELOW, true)).toBe('fft');
    expect(resolveTsneMethod('auto', EXACT_BELOW, false)).toBe('barnes_hut');
    expect(resolveTsneMethod('barnes_hut', 10, true)).toBe('barnes_hut');
    const n = 120;
    const X = blobs(n, 4, 3, 8);
    const auto = await embed(X, n, 4, { method: 'tsne', nIter: 60 }, null);
    const exact = await embed(X, n, 4, { method: 'tsne', nIter: 60, tsneMethod: 'exact' }, null);
    expect(auto).toEqual(exact);
    await expect(embed(X, n, 4, { method: 'tsne', angle: -1 }, null)).rejects.toMatchObject({
      name: 'InvalidArgument',
    });
  });

  it('approximate runs stream positions, are seeded (NN-descent above 4096 rows) and cancel', async () => {
    const n = 4200;
    const X = blobs(n, 6, 5, 9);
    const options = {
      method: 'tsne' as const,
      tsneMethod: 'barnes_hut' as const,
      nIter: 60,
      reportEvery: 20,
    };
    const frames: number[] = [];
    const a = await embed(X, n, 6, { ...options, seed: 1 }, null, {
      onProgress: (f, pos) => {
        if (pos) frames.push(f);
      },
    });
    const b = await embed(X, n, 6, { ...options, seed: 1 }, null);
    const c = await embed(X, n, 6, { ...options, seed: 2 }, null);
    expect(frames.length).toBe(3);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a); // other NN-descent samples
    for (const tsneMethod of ['barnes_hut', 'fft'] as const) {
      const controller = new AbortController();
      const run = embed(blobs(300, 4, 3, 1), 300, 4, { method: 'tsne', tsneMethod, reportEvery: 5 }, null, {
        signal: controller.signal,
        onProgress: (_f, pos) => pos && controller.abort(),
      });
      await expect(run, tsneMethod).rejects.toMatchObject({ name: 'Cancelled' });
    }
  }, 120_000);
});

// Full digits (1797 × 64, raw pixels), as the fixture's sklearn runs.
describe('approximate t-SNE on digits (trustworthiness, k = 10)', () => {
  const { X, n } = digits();
  const ref = fixture.tsne.digits!.mean;
  it.each(['barnes_hut', 'fft'] as const)(
    '%s is within 0.01 of sklearn 1.2.1 TSNE (barnes_hut, angle 0.5)',
    async (tsneMethod) => {
      const Y = await embed(X, n, 64, { method: 'tsne', tsneMethod, seed: 0 }, null);
      const ours = trustworthiness(X, Y, n, 64, 2, 10);
      expect(ref).toBeGreaterThan(0.98);
      expect(Math.abs(ours - ref), `ours ${ours}, sklearn ${ref}`).toBeLessThan(0.01);
    },
    300_000,
  );
});
