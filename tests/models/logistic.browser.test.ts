/**
 * LogisticRegression's tfjs path on the WebGPU backend (real device, SwiftShader in CI): the same
 * objective as the float64 CPU path, so on a small seeded set the accuracy matches within 0.5 pp.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { type Compute, initCompute } from '../../src/gpu/device';
import { LogisticRegression } from '../../src/models/linear';
import { accuracy } from '../../src/models/metrics';
import { validateModelParams } from '../../src/models/model';

let compute: Compute;
beforeAll(async () => {
  compute = await initCompute({ tfjs: ['webgpu'] }); // explicit: on SwiftShader the default is wasm
});
afterAll(() => compute?.dispose());

function dataset(n: number, d: number, k: number, seed: number) {
  const rng = createRng(seed);
  const W = Float64Array.from({ length: d * k }, () => rng.normal());
  const data = new Float64Array(n * d);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let j = 0; j < d; j++) data[i * d + j] = rng.normal();
    for (let c = 0; c < k; c++) {
      let s = rng.normal() * 0.8; // label noise, so the problem is not separable
      for (let j = 0; j < d; j++) s += data[i * d + j]! * W[j * k + c]!;
      if (s > bestScore) [best, bestScore] = [c, s];
    }
    codes[i] = best;
  }
  return {
    X: { data, rows: n, cols: d },
    y: { task: 'classification' as const, codes, classes: ['a', 'b', 'c'].slice(0, k) },
  };
}

describe('LogisticRegression on tfjs (webgpu)', () => {
  it.each([2, 3])('%i classes: accuracy within 0.5 pp of the float64 CPU fit', async (k) => {
    const { tf } = await compute.tf();
    expect(tf.getBackend()).toBe('webgpu');
    const { X, y } = dataset(1200, 6, k, 11 + k);
    const c = { rng: createRng(0), signal: new AbortController().signal, progress: () => {}, compute };
    const cpu = await LogisticRegression.fit(
      X,
      y,
      validateModelParams(LogisticRegression, { backend: 'cpu' }),
      c,
    );
    const gpu = await LogisticRegression.fit(
      X,
      y,
      validateModelParams(LogisticRegression, { backend: 'tfjs' }),
      c,
    );
    expect(gpu.backend).toBe('tfjs');
    const accCpu = accuracy(y.codes, await LogisticRegression.predict(X, cpu, c));
    const accGpu = accuracy(y.codes, await LogisticRegression.predict(X, gpu, c));
    expect(accCpu).toBeGreaterThan(0.6);
    expect(Math.abs(accGpu - accCpu)).toBeLessThanOrEqual(0.005);
    // Same optimum: coefficients agree to f32 optimisation accuracy.
    for (let t = 0; t < cpu.coef.length; t++) expect(gpu.coef[t]!).toBeCloseTo(cpu.coef[t]!, 2);
  });
});
