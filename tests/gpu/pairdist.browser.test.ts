/**
 * The pairdist kernel on a real WebGPU device against the float64 reference, and the neighbour
 * steps run through it against their CPU path. Must fail, not skip, without WebGPU.
 *
 * Tolerance (derived in pairdist.ts): |D − D_ref| ≤ PAIRDIST_TOLERANCE(d)·(‖a‖² + ‖b‖²) over the
 * present coordinates; shared-coordinate counts are exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floatData, frameFrom, outColumn, readNumeric } from '../../src/core/frame';
import { createRng } from '../../src/core/rng';
import { type Compute, initCompute } from '../../src/gpu/device';
import { PAIRDIST_TOLERANCE, pairdist, pairdistRef } from '../../src/gpu/kernels/pairdist/pairdist';
import { TILE } from '../../src/gpu/kernels/pairdist/pairdist.wgsl';
import { type RunContext, validateParams } from '../../src/pipeline/step';
import KNNImputer from '../../src/pipeline/steps/KNNImputer';
import LocalOutlierFactor from '../../src/pipeline/steps/LocalOutlierFactor';

let compute: Compute;
beforeAll(async () => {
  compute = await initCompute();
});
afterAll(() => compute?.dispose());

function gpu() {
  if (!compute.gpu) throw new Error(`no GPU device: ${JSON.stringify(compute.info().fallbacks)}`);
  return compute.gpu;
}

/** rows×d normal values, `holes` of them missing. */
function rows(n: number, d: number, seed: number, holes = 0): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * d }, () => (rng.next() < holes ? Number.NaN : rng.normal() * 3));
}

function expectClose(q: Float64Array, r: Float64Array, d: number, got: ReturnType<typeof pairdistRef>): void {
  expect(got.fallback, 'the GPU path ran (no silent fallback to the reference)').toBeUndefined();
  const want = pairdistRef(q, r, d);
  expect(Array.from(got.count)).toEqual(Array.from(want.count));
  const nq = q.length / d;
  const nr = r.length / d;
  let worst = 0;
  for (let i = 0; i < nq; i++) {
    for (let j = 0; j < nr; j++) {
      let norms = 0;
      for (let k = 0; k < d; k++) {
        const a = q[i * d + k]!;
        const b = r[j * d + k]!;
        if (!Number.isNaN(a) && !Number.isNaN(b)) norms += a * a + b * b;
      }
      const err = Math.abs(got.sum[i * nr + j]! - want.sum[i * nr + j]!);
      const bound = PAIRDIST_TOLERANCE(d) * norms;
      worst = Math.max(worst, bound > 0 ? err / bound : err === 0 ? 0 : Infinity);
    }
  }
  expect(worst, 'largest error as a fraction of the tolerance').toBeLessThanOrEqual(1);
}

const context = (c: Compute | null): RunContext => ({
  rng: createRng(1),
  compute: c,
  signal: new AbortController().signal,
  progress: () => {},
});

function frame(values: Float64Array, n: number, d: number) {
  return frameFrom(
    Array.from({ length: d }, (_, j) =>
      outColumn(`f${j}`, 'float', floatData(Float64Array.from({ length: n }, (_, i) => values[i * d + j]!))),
    ),
    n,
    'test',
  );
}

describe('pairdist on WebGPU', () => {
  it('has a real WebGPU device', () => {
    expect(compute.info().kernels).toBe('webgpu');
  });

  it('matches the float64 reference for sizes around the tile, with missing values', async () => {
    for (const [nq, nr, d] of [
      [1, 1, 1],
      [TILE - 1, TILE + 1, 3],
      [TILE + 1, 3 * TILE - 1, 7],
      [37, 101, 13],
    ] as const) {
      const q = rows(nq, d, nq, 0.1);
      const r = rows(nr, d, nr + 1, 0.1);
      expectClose(q, r, d, await pairdist(gpu(), q, r, d));
    }
  });

  it('chunks queries and references', async () => {
    const q = rows(50, 5, 1, 0.05);
    const r = rows(70, 5, 2, 0.05);
    for (const maxBindingElements of [5 * 70, 5 * 9, 64]) {
      expectClose(q, r, 5, await pairdist(gpu(), q, r, 5, { maxBindingElements }));
    }
  });

  it('falls back to the reference when f32 distances overflow, and says so', async () => {
    const q = Float64Array.of(1e20, 0);
    const r = Float64Array.of(-1e20, 1);
    expect(await pairdist(gpu(), q, r, 2)).toEqual({
      ...pairdistRef(q, r, 2),
      fallback: 'the float32 distances overflowed',
    });
  });

  it('KNNImputer and LocalOutlierFactor give exactly the CPU output through the GPU', async () => {
    const n = 300;
    const d = 6;
    const withHoles = frame(rows(n, d, 7, 0.08), n, d);
    const knn = validateParams(KNNImputer, { weights: 'distance' });
    const knnState = await KNNImputer.fit(withHoles, knn, context(null));
    const onGpu = await KNNImputer.transform(withHoles, knnState, context(compute));
    const onCpu = await KNNImputer.transform(withHoles, knnState, context(null));
    for (let j = 0; j < d; j++) {
      expect(Array.from(readNumeric(onGpu.getChild(`f${j}`)!))).toEqual(
        Array.from(readNumeric(onCpu.getChild(`f${j}`)!)),
      );
    }
    const full = frame(rows(n, d, 8), n, d);
    const lof = validateParams(LocalOutlierFactor, {});
    const gpuState = await LocalOutlierFactor.fit(full, lof, context(compute));
    const cpuState = await LocalOutlierFactor.fit(full, lof, context(null));
    expect(gpuState).toEqual(cpuState);
    const scoredGpu = await LocalOutlierFactor.transform(full, cpuState, context(compute));
    const scoredCpu = await LocalOutlierFactor.transform(full, cpuState, context(null));
    expect(Array.from(readNumeric(scoredGpu.getChild('lof_score')!))).toEqual(
      Array.from(readNumeric(scoredCpu.getChild('lof_score')!)),
    );
  });
});
