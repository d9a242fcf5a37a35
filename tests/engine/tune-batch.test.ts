/**
 * Batched tuning: tuneModel fits the candidates that can share training passes (a
 * LogisticRegression grid) together, per fold, and must give the scores and the ranking of
 * fitting them one after another — bit for bit on the float64 CPU path, within f32 rounding on
 * tfjs (its cpu backend in Node; WebGPU in tune-batch.browser.test.ts). An MLP grid over
 * random_state and alpha trains its networks stacked, bit for bit as alone on tfjs's cpu backend.
 * Models without fitBatch, or candidates of different shapes, keep the sequential path and say so.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type ExperimentContext, runExperiment } from '../../src/analysis/experiment/experiment';
import { candidatesOf, tuneModel } from '../../src/analysis/experiment/search';
import { type Compute, initCompute } from '../../src/gpu/device';
import type { Progress, TuneSpec } from '../../src/protocol/api';
import { emptyNotebook } from '../../src/spec/notebook';
import { loadSample } from '../pipeline/helpers';

let compute: Compute;
beforeAll(async () => {
  compute = await initCompute({ webgpu: false });
});

function context(dataset: string, withCompute = false, progress: (p: Progress) => void = () => {}) {
  return {
    table: loadSample(dataset),
    datasetId: dataset,
    dataKey: dataset,
    compute: withCompute ? compute : null,
    signal: new AbortController().signal,
    progress,
  } satisfies ExperimentContext;
}

function spec(overrides: Partial<TuneSpec>): TuneSpec {
  return {
    notebook: {
      ...emptyNotebook(),
      target: 'target',
      steps: [{ id: 'sc', step: 'StandardScaler', params: {}, enabled: true }],
    },
    target: 'target',
    split: { kind: 'stratified-kfold', k: 5 },
    seed: 42,
    model: 'LogisticRegression',
    ...overrides,
  };
}

/** Ten values of C from 1e-3 to 100 (log-spaced), the bench's grid. */
const C_GRID = Array.from({ length: 10 }, (_, i) => Number((10 ** (-3 + (5 * i) / 9)).toPrecision(6)));

describe('tuneModel fits a LogisticRegression grid in one batched pass per fold', () => {
  it.each(['wine', 'breast_cancer'])(
    '%s, 10 values of C: the scores and ranking of one-by-one fits, bit for bit',
    { timeout: 120_000 },
    async (dataset) => {
      const s = spec({ grid: { C: C_GRID } });
      const batched = await tuneModel(context(dataset), s);
      const sequential = await tuneModel(context(dataset), { ...s, batch: false });
      expect(batched.batched).toBe(true);
      expect(sequential.batched).toBe(false);
      expect(batched.candidates.map((c) => c.params)).toEqual(sequential.candidates.map((c) => c.params));
      expect(batched.candidates.map((c) => c.score)).toEqual(sequential.candidates.map((c) => c.score));
      expect(batched.best.models[0]!.metrics).toEqual(sequential.best.models[0]!.metrics);
      expect(batched.best.models[0]!.oof).toEqual(sequential.best.models[0]!.oof);
      // The grid spans over- to under-regularised: the scores differ, so the ranking means something.
      const means = batched.candidates.map((c) => c.score.mean);
      expect(means[0]!).toBeGreaterThan(means.at(-1)! + 0.02);
      for (const c of batched.candidates) expect(c.fitMs).toBeGreaterThanOrEqual(0);
    },
  );

  it('mixed penalties (saga: l1, l2, elasticnet) batch together: every metric of every fold is unchanged', {
    timeout: 120_000,
  }, async () => {
    const s = spec({
      params: { solver: 'saga', l1_ratio: 0.5 },
      grid: { penalty: ['l1', 'l2', 'elasticnet'], C: [0.05, 0.5, 5] },
    });
    const models = candidatesOf(s).map((params) => ({ name: s.model, params }));
    const run = (batch: boolean) => runExperiment(context('wine'), { ...s, models }, { batch });
    const [batched, sequential] = [await run(true), await run(false)];
    expect(batched.models.map((m) => m.foldMetrics)).toEqual(sequential.models.map((m) => m.foldMetrics));
    expect(batched.models.map((m) => m.curves)).toEqual(sequential.models.map((m) => m.curves));
    expect(batched.comparisons).toEqual(sequential.comparisons);
  });

  it('tfjs (cpu backend in Node): one matMul per round for the grid, scores within f32 rounding', {
    timeout: 300_000,
  }, async () => {
    const s = spec({ params: { backend: 'tfjs' }, grid: { C: [0.01, 0.1, 1, 10] } });
    const models = candidatesOf(s).map((params) => ({ name: s.model, params }));
    const run = (batch: boolean) => runExperiment(context('wine', true), { ...s, models }, { batch });
    const [batched, sequential] = [await run(true), await run(false)];
    for (const [i, m] of batched.models.entries()) {
      const other = sequential.models[i]!;
      expect(m.backend).toBe('tfjs-cpu');
      expect(m.foldMetrics.accuracy).toEqual(other.foldMetrics.accuracy);
      m.foldMetrics.log_loss!.forEach((v, f) => {
        expect(Math.abs(v - other.foldMetrics.log_loss![f]!)).toBeLessThan(1e-4 * Math.max(1, v));
      });
    }
  });

  it('reports the batch in progress and cancels it', { timeout: 60_000 }, async () => {
    const phases: string[] = [];
    const controller = new AbortController();
    const ctx = {
      ...context('wine', false, (p) => {
        phases.push(p.phase);
        if (p.phase.includes('iteration 2:')) controller.abort();
      }),
      signal: controller.signal,
    };
    const error = await tuneModel(ctx, spec({ grid: { C: C_GRID } })).catch((e: unknown) => e);
    expect(phases.some((p) => p.startsWith('10 × LogisticRegression in one batch · fold 1/5'))).toBe(true);
    expect((error as Error).name).toBe('Cancelled');
  });
});

describe('tuneModel trains an MLP grid over random_state and alpha as one stacked network per fold', () => {
  it('wine: the scores and ranking of one-by-one fits, bit for bit (tfjs cpu backend)', {
    timeout: 300_000,
  }, async () => {
    const s = spec({
      model: 'MLPClassifier',
      params: { hidden_layer_sizes: '16', max_iter: 40, learning_rate_init: 0.01 },
      grid: { random_state: [0, 1, 2], alpha: [0.0001, 1] },
    });
    const batched = await tuneModel(context('wine', true), s);
    const sequential = await tuneModel(context('wine', true), { ...s, batch: false });
    expect(batched.batched).toBe(true);
    expect(sequential.batched).toBe(false);
    expect(batched.candidates.map((c) => c.params)).toEqual(sequential.candidates.map((c) => c.params));
    expect(batched.candidates.map((c) => c.score)).toEqual(sequential.candidates.map((c) => c.score));
    expect(batched.best.models[0]!.curves).toEqual(sequential.best.models[0]!.curves);
  });
});

describe('models that cannot batch keep the sequential path', () => {
  it('KNeighborsClassifier, or LogisticRegression candidates of different shapes', async () => {
    const knn = await tuneModel(
      context('iris'),
      spec({ model: 'KNeighborsClassifier', grid: { n_neighbors: [3, 5, 9] } }),
    );
    expect(knn.batched).toBe(false);
    expect(knn.candidates).toHaveLength(3);
    // fit_intercept changes the shape of the weights: each candidate is its own group of one.
    const shapes = await tuneModel(context('iris'), spec({ grid: { fit_intercept: [true, false] } }));
    expect(shapes.batched).toBe(false);
    const layers = await tuneModel(
      context('iris', true),
      spec({ model: 'MLPClassifier', params: { max_iter: 5 }, grid: { hidden_layer_sizes: ['4', '8'] } }),
    );
    expect(layers.batched).toBe(false);
  });
});
