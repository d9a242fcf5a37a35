/**
 * The gram kernel (PCA's covariance) on a real WebGPU device against the float64 reference, and
 * PCA fitted through the GPU path against the CPU path. Must fail, not skip, without WebGPU.
 *
 * Tolerance (derived in gram.ts): |G − G_ref| ≤ 1e-5·√(GₐₐGᵦᵦ) per entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floatData, frameFrom, outColumn } from '../../src/core/frame';
import { createRng } from '../../src/core/rng';
import { type Compute, initCompute } from '../../src/gpu/device';
import { GRAM_TOLERANCE, type GramResult, gram, gramRef } from '../../src/gpu/kernels/gram/gram';
import { ROWS_PER_GROUP, WORKGROUP_SIZE } from '../../src/gpu/kernels/gram/gram.wgsl';
import { validateParams } from '../../src/pipeline/step';
import PCA, { type PCAState } from '../../src/pipeline/steps/PCA';

let compute: Compute;

beforeAll(async () => {
  compute = await initCompute();
});
afterAll(() => compute?.dispose());

function gpu() {
  if (!compute.gpu) throw new Error(`no GPU device: ${JSON.stringify(compute.info().fallbacks)}`);
  return compute.gpu;
}

/** d correlated columns of n rows around `offset` (column j mixes the first two latent factors). */
function data(n: number, d: number, seed: number, offset = 0): Float64Array[] {
  const rng = createRng(seed);
  const f1 = Float64Array.from({ length: n }, () => rng.normal());
  const f2 = Float64Array.from({ length: n }, () => rng.normal());
  return Array.from({ length: d }, (_, j) =>
    Float64Array.from(
      { length: n },
      (_, i) => offset + (j + 1) * f1[i]! + 0.3 * j * f2[i]! + rng.normal() * 0.5,
    ),
  );
}

const mean = (c: Float64Array) => c.reduce((s, v) => s + v, 0) / c.length;

/** A kernel result checked against the reference; the kernel itself must have computed it. */
function expectClose(result: GramResult, want: Float64Array, d: number): void {
  expect(result.fallback, 'the GPU path ran (no silent fallback to the reference)').toBeUndefined();
  const got = result.gram;
  let worst = 0;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      const bound = GRAM_TOLERANCE * Math.sqrt(want[a * d + a]! * want[b * d + b]!);
      const err = Math.abs(got[a * d + b]! - want[a * d + b]!);
      worst = Math.max(worst, bound > 0 ? err / bound : err === 0 ? 0 : Infinity);
      expect(got[b * d + a]).toBe(got[a * d + b]); // symmetric
    }
  }
  expect(worst, 'largest error as a fraction of the tolerance').toBeLessThanOrEqual(1);
}

describe('gram on WebGPU', () => {
  it('has a real WebGPU device', () => {
    expect(compute.info().kernels).toBe('webgpu');
  });

  it('matches the float64 reference for sizes around the workgroup and row-block sizes', async () => {
    const cases: [number, number][] = [
      [1, 1],
      [7, 3],
      [ROWS_PER_GROUP - 1, 5],
      [ROWS_PER_GROUP + 1, 11],
      [2 * ROWS_PER_GROUP + 37, WORKGROUP_SIZE + 3], // more entries than one workgroup of threads
    ];
    for (const [n, d] of cases) {
      const cols = data(n, d, n + d);
      const center = cols.map(mean);
      expectClose(await gram(gpu(), cols, center), gramRef(cols, center), d);
    }
  });

  it('splits rows into chunks and adds their partials', async () => {
    const cols = data(9_001, 6, 3);
    const center = cols.map(mean);
    const want = gramRef(cols, center);
    for (const maxBindingElements of [6 * ROWS_PER_GROUP, 6 * 1000 + 3, 6 * 257]) {
      expectClose(await gram(gpu(), cols, center, { maxBindingElements }), want, 6);
    }
  });

  it('centres in float64 before f32: data at 1e6 keeps its covariance', async () => {
    const cols = data(5_000, 4, 4, 1e6);
    const center = cols.map(mean);
    expectClose(await gram(gpu(), cols, center), gramRef(cols, center), 4);
  });

  it('falls back to the reference when f32 products overflow, and says so', async () => {
    const cols = [Float64Array.of(1e20, -1e20, 3), Float64Array.of(1, 2, 3)];
    expect(await gram(gpu(), cols, null)).toEqual({
      gram: gramRef(cols, null),
      fallback: 'the float32 sums overflowed',
    });
  });

  it('stops with Cancelled when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(gram(gpu(), data(10, 2, 1), null, { signal: controller.signal })).rejects.toMatchObject({
      name: 'Cancelled',
    });
  });

  it('PCA fitted on the GPU agrees with the CPU fit', async () => {
    const cols = data(3_000, 8, 5);
    const frame = frameFrom(
      cols.map((c, j) => outColumn(`f${j}`, 'float', floatData(c))),
      3_000,
      'test',
    );
    const params = validateParams(PCA, { n_components: 3 });
    const ctx = (c: Compute | null) => ({
      rng: createRng(1),
      compute: c,
      signal: new AbortController().signal,
      progress: () => {},
    });
    const onGpu = (await PCA.fit(frame, params, ctx(compute))) as PCAState;
    const onCpu = (await PCA.fit(frame, params, ctx(null))) as PCAState;
    for (let c = 0; c < 3; c++) {
      expect(onGpu.explained_variance[c]! / onCpu.explained_variance[c]!).toBeCloseTo(1, 4);
      // Same direction and the same sign (svd_flip is applied to both).
      const dot = onGpu.components[c]!.reduce((s, v, p) => s + v * onCpu.components[c]![p]!, 0);
      expect(dot).toBeGreaterThan(1 - 1e-6);
    }
  });
});
