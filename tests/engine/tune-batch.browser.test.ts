/**
 * Batched tuning on the GPU (tfjs on a real WebGPU device; SwiftShader in CI): a LogisticRegression
 * C grid with backend 'tfjs' runs one matMul of X with the candidates' weight matrices side by side
 * per optimiser round. The candidates must get the fits they get one by one on the same device —
 * within f32 rounding — and tuneModel the same ranking. MLP networks differing in random_state
 * train stacked ([K, fanIn, fanOut] weights, batched matMuls) and match their one-by-one fits.
 */
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExperimentContext, runExperiment } from '../../src/analysis/experiment/experiment';
import { candidatesOf, tuneModel } from '../../src/analysis/experiment/search';
import { createRng } from '../../src/core/rng';
import { type Compute, initCompute } from '../../src/gpu/device';
import { LogisticRegression } from '../../src/models/linear';
import { MLPClassifier } from '../../src/models/mlp';
import { validateModelParams } from '../../src/models/model';
import type { TuneSpec } from '../../src/protocol/api';
import { emptyNotebook } from '../../src/spec/notebook';

let compute: Compute;
beforeAll(async () => {
  compute = await initCompute({ tfjs: ['webgpu'] }); // explicit: on SwiftShader the default is wasm
});
afterAll(() => compute?.dispose());

/** Seeded 3-class data: noisy linear scores over d standard-normal features. */
function dataset(n: number, d: number, seed: number) {
  const rng = createRng(seed);
  const W = Float64Array.from({ length: d * 3 }, () => rng.normal());
  const columns: Float64Array[] = Array.from({ length: d }, () => new Float64Array(n));
  const data = new Float64Array(n * d);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) data[i * d + j] = columns[j]![i] = rng.normal();
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < 3; c++) {
      let s = rng.normal();
      for (let j = 0; j < d; j++) s += data[i * d + j]! * W[j * 3 + c]!;
      if (s > bestScore) [best, bestScore] = [c, s];
    }
    codes[i] = best;
  }
  const table = tableFromArrays({
    ...Object.fromEntries(columns.map((col, j) => [`f${j}`, col])),
    target: Int32Array.from(codes),
  });
  return {
    table,
    X: { data, rows: n, cols: d },
    y: { task: 'classification' as const, codes, classes: ['0', '1', '2'] },
  };
}

const { table, X, y } = dataset(600, 6, 21);
const context = (): ExperimentContext => ({
  table,
  datasetId: 'synthetic',
  dataKey: 'synthetic',
  compute,
  signal: new AbortController().signal,
  progress: () => {},
});
const spec: TuneSpec = {
  notebook: { ...emptyNotebook(), target: 'target', steps: [] },
  target: 'target',
  split: { kind: 'stratified-kfold', k: 3 },
  seed: 5,
  model: 'LogisticRegression',
  params: { backend: 'tfjs' },
  grid: { C: [0.003, 0.1, 3] },
};

describe('batched LogisticRegression tuning on tfjs-webgpu', () => {
  // SwiftShader is a CPU: every tfjs dispatch and readback is slow, so these get room to run.
  it('fitBatch gives each candidate its one-by-one fit within f32 rounding', {
    timeout: 300_000,
  }, async () => {
    const { tf } = await compute.tf();
    expect(tf.getBackend()).toBe('webgpu');
    const list = [0.01, 0.1, 1].map((C) =>
      validateModelParams(LogisticRegression, {
        C,
        backend: 'tfjs',
        penalty: C === 0.1 ? 'l1' : 'l2',
        solver: 'saga',
      }),
    );
    const run = (i: number) => ({
      rng: createRng(i),
      signal: new AbortController().signal,
      progress: () => {},
      compute,
    });
    const batched = await LogisticRegression.fitBatch!(
      X,
      y,
      list,
      list.map((_, i) => run(i)),
    );
    for (const [i, p] of list.entries()) {
      const single = await LogisticRegression.fit(X, y, p, run(i));
      expect(batched[i]!.backend).toBe('tfjs');
      for (let t = 0; t < single.coef.length; t++)
        expect(Math.abs(batched[i]!.coef[t]! - single.coef[t]!)).toBeLessThan(1e-3);
    }
    // The L1 candidate is sparse on the GPU too.
    expect(batched[1]!.coef.filter((v) => v === 0).length).toBeGreaterThan(0);
  });

  it('tuneModel: batched scores equal the sequential ones within f32 rounding, same ranking', {
    timeout: 300_000,
  }, async () => {
    const batched = await tuneModel(context(), spec);
    const sequential = await tuneModel(context(), { ...spec, batch: false });
    expect(batched.batched).toBe(true);
    expect(sequential.batched).toBe(false);
    expect(batched.candidates.map((c) => c.params.C)).toEqual(sequential.candidates.map((c) => c.params.C));
    batched.candidates.forEach((c, r) => {
      // Accuracy over 200-row test folds: f32 rounding may move a row on the decision boundary.
      expect(Math.abs(c.score.mean - sequential.candidates[r]!.score.mean)).toBeLessThanOrEqual(
        1 / 200 + 1e-12,
      );
    });
    expect(batched.best.models[0]!.backend).toContain('tfjs-webgpu');
  });

  it('every fold metric of every candidate, log loss included, agrees to f32 precision', {
    timeout: 300_000,
  }, async () => {
    const models = candidatesOf(spec).map((params) => ({ name: spec.model, params }));
    const batched = await runExperiment(context(), { ...spec, models }, { batch: true });
    const sequential = await runExperiment(context(), { ...spec, models }, { batch: false });
    for (const [i, m] of batched.models.entries()) {
      const other = sequential.models[i]!;
      m.foldMetrics.log_loss!.forEach((v, f) => {
        expect(Math.abs(v - other.foldMetrics.log_loss![f]!)).toBeLessThan(1e-3 * Math.max(1, v));
      });
    }
  });
});

describe('batched MLP training on tfjs-webgpu', () => {
  it('networks of different seeds trained stacked match their one-by-one fits', {
    timeout: 300_000,
  }, async () => {
    const { tf } = await compute.tf();
    expect(tf.getBackend()).toBe('webgpu');
    const grid = [0, 1, 2].map((seed) =>
      validateModelParams(MLPClassifier, {
        hidden_layer_sizes: '8',
        max_iter: 8,
        batch_size: 100,
        learning_rate_init: 0.01,
        random_state: seed,
      }),
    );
    const run = (i: number) => ({
      rng: createRng(i),
      signal: new AbortController().signal,
      progress: () => {},
      compute,
    });
    const batched = await MLPClassifier.fitBatch!(
      X,
      y,
      grid,
      grid.map((_, i) => run(i)),
    );
    for (const [k, p] of grid.entries()) {
      const single = await MLPClassifier.fit(X, y, p, run(k));
      let maxDiff = 0;
      single.weights.forEach((w, l) => {
        for (let t = 0; t < w.length; t++)
          maxDiff = Math.max(maxDiff, Math.abs(w[t]! - batched[k]!.weights[l]![t]!));
      });
      expect(maxDiff).toBeLessThan(1e-5); // 1.2e-7 on SwiftShader
      single.lossCurve.forEach((loss, e) => {
        expect(Math.abs(loss - batched[k]!.lossCurve[e]!)).toBeLessThan(1e-5);
      });
    }
  });
});
