/**
 * The model contract for every registered model (defaults validate, state survives a structured
 * clone, seeded fits repeat, predictions have the right shape, probabilities sum to 1) and the
 * bad inputs of issue 6, each a clear EngineError.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { createRng } from '../../src/core/rng';
import { type Compute, initCompute } from '../../src/gpu/device';
import { DBSCAN } from '../../src/models/cluster';
import { HistGradientBoostingRegressor } from '../../src/models/hgb';
import { LogisticRegression } from '../../src/models/linear';
import { MLPClassifier, MLPRegressor } from '../../src/models/mlp';
import {
  buildDataset,
  inferTask,
  type Matrix,
  type Target,
  validateModelParams,
} from '../../src/models/model';
import { MODELS, modelsFor } from '../../src/models/registry';
import { stratifiedKFold } from '../../src/models/split';
import { col, table } from '../pipeline/helpers';
import { ctx, fixture, fromRows } from './helpers';

function blobs(n: number, seed: number) {
  const rng = createRng(seed);
  const data = new Float64Array(n * 3);
  const codes = new Int32Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    codes[i] = c;
    for (let j = 0; j < 3; j++) data[i * 3 + j] = rng.normal() + (j === c ? 3 : 0);
    values[i] = data[i * 3]! * 2 - data[i * 3 + 1]! + 0.1 * rng.normal();
  }
  return {
    X: { data, rows: n, cols: 3 } as Matrix,
    cls: { task: 'classification', codes, classes: ['a', 'b', 'c'] } as const,
    reg: { task: 'regression', values } as const,
  };
}

const { X, cls, reg } = blobs(90, 1);
// In Node: no WebGPU, tfjs on its cpu backend (for the MLPs).
let compute: Compute;
beforeAll(async () => {
  compute = await initCompute({ webgpu: false });
});
const run = (seed: number) => ({ ...ctx(seed), compute });

describe.each([...MODELS.values()])('$name follows the model contract', (model) => {
  const task = model.tasks[0]!;
  const y = task === 'classification' ? cls : task === 'regression' ? reg : ({ task: 'clustering' } as const);
  const raw = model.name === 'KMeans' ? { n_clusters: 3 } : model.name === 'DBSCAN' ? { eps: 1.5 } : {};
  const params = validateModelParams(model, raw);

  it('fits, predicts one value per row, and repeats with the same seed', { timeout: 60_000 }, async () => {
    const a = await model.fit(X, y, params, run(3));
    const b = await model.fit(X, y, params, run(3));
    const pa = await model.predict(X, a, run(3));
    expect(pa).toHaveLength(X.rows);
    expect([...(await model.predict(X, b, run(3)))]).toEqual([...pa]);
    // The state is plain data: a structured clone predicts the same.
    expect([...(await model.predict(X, structuredClone(a), run(3)))]).toEqual([...pa]);
    if (task === 'classification')
      expect(pa.filter((v, i) => v === cls.codes[i]).length / X.rows).toBeGreaterThan(0.85);
    if (model.predictProba) {
      const P = await model.predictProba(X, a, run(3));
      expect(P.cols).toBe(3);
      for (let i = 0; i < P.rows; i++)
        expect(P.data[i * 3]! + P.data[i * 3 + 1]! + P.data[i * 3 + 2]!).toBeCloseTo(1, 10);
    }
  });

  it('rejects unknown parameters', () => {
    expect(() => validateModelParams(model, { nope: 1 })).toThrow(/has no parameter "nope"/);
  });
});

describe('registry', () => {
  it('lists models per task', () => {
    expect(modelsFor('regression').map((m) => m.name)).toContain('Ridge');
    expect(modelsFor('classification').map((m) => m.name)).toContain('LogisticRegression');
    expect(modelsFor('clustering').map((m) => m.name)).toEqual(['KMeans', 'DBSCAN']);
  });
});

describe('building X and y from a table', () => {
  const t = table(
    col('a', 'float', [1, 2, 3, 4]),
    col('b', 'integer', [0, 1, 0, 1]),
    col('label', 'categorical', ['y', 'x', 'y', 'x']),
    col('num', 'float', [0.5, 1.5, 2.5, 3.5]),
  );
  it('reads features row-major and sorts class labels like LabelEncoder', () => {
    const ds = buildDataset(t, ['a', 'b'], 'label');
    expect([...ds.X.data]).toEqual([1, 0, 2, 1, 3, 0, 4, 1]);
    expect(ds.y).toMatchObject({ task: 'classification', classes: ['x', 'y'] });
    expect([...(ds.y as { codes: Int32Array }).codes]).toEqual([1, 0, 1, 0]);
    expect(inferTask(t, 'num')).toBe('regression');
    expect(inferTask(t, 'b')).toBe('classification');
  });
});

describe('bad input gives one clear EngineError', () => {
  const expectEngineError = async (f: () => unknown, message: RegExp) => {
    let error: unknown;
    try {
      await f();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as Error).message).toMatch(message);
  };

  it('a target with one class', async () => {
    const t = table(col('a', 'float', [1, 2, 3]), col('y', 'categorical', ['k', 'k', 'k']));
    await expectEngineError(() => buildDataset(t, ['a'], 'y'), /only one class \("k"\)/);
    const one: Target = { task: 'classification', codes: new Int32Array(3), classes: ['k'] };
    await expectEngineError(
      () => LogisticRegression.fit(X, one, validateModelParams(LogisticRegression), ctx()),
      /needs at least two classes/,
    );
  });

  it('regression on a text target', async () => {
    const t = table(col('a', 'float', [1, 2, 3]), col('y', 'text', ['p', 'q', 'r']));
    await expectEngineError(
      () => buildDataset(t, ['a'], 'y', 'regression'),
      /Regression needs a numeric target, but "y" is text/,
    );
  });

  it('all-missing and partly missing features', async () => {
    const t = table(
      col('a', 'float', [null, null, null]),
      col('b', 'float', [1, null, 3]),
      col('y', 'categorical', ['p', 'q', 'p']),
    );
    await expectEngineError(() => buildDataset(t, ['a'], 'y'), /Feature "a" has no values at all/);
    await expectEngineError(() => buildDataset(t, ['b'], 'y'), /Feature "b" has 1 missing values/);
  });

  it('more folds than rows of a class', async () => {
    await expectEngineError(
      () => stratifiedKFold([0, 0, 1, 1, 1, 1, 1, 1], { nSplits: 5 }),
      /A class has only 2 rows/,
    );
  });

  it('a diverging model (NaN loss)', async () => {
    const bad = { ...X, data: X.data.map((v, i) => (i === 5 ? Number.POSITIVE_INFINITY : v)) };
    await expectEngineError(
      () => LogisticRegression.fit(bad, cls, validateModelParams(LogisticRegression), ctx()),
      /LogisticRegression diverged: the loss became NaN/,
    );
  });

  it('cancelling stops a fit', async () => {
    const c = ctx();
    const controller = new AbortController();
    controller.abort();
    await expectEngineError(
      () =>
        LogisticRegression.fit(X, cls, validateModelParams(LogisticRegression), {
          ...c,
          signal: controller.signal,
        }),
      /cancelled/,
    );
  });

  it('reports per-iteration loss through ctx.progress', async () => {
    const notes: string[] = [];
    await LogisticRegression.fit(
      X,
      cls,
      validateModelParams(LogisticRegression),
      ctx(0, (_f, note) => notes.push(note ?? '')),
    );
    expect(notes.length).toBeGreaterThan(2);
    expect(notes[0]).toMatch(/^iteration 1: loss \d/);
  });
});

describe('MLP', () => {
  it('reports each epoch, stops early without improvement, and learns', async () => {
    const notes: string[] = [];
    const params = validateModelParams(MLPClassifier, {
      hidden_layer_sizes: '16',
      max_iter: 300,
      learning_rate_init: 0.01,
    });
    const s = await MLPClassifier.fit(X, cls, params, {
      ...run(1),
      progress: (_f, note) => notes.push(note ?? ''),
    });
    expect(notes[0]).toMatch(/^epoch 1: loss \d/);
    expect(s.lossCurve).toHaveLength(s.nIter);
    expect(s.lossCurve.at(-1)!).toBeLessThan(s.lossCurve[0]!);
    expect(s.nIter).toBeLessThan(300);
    const pred = await MLPClassifier.predict(X, s, run(1));
    expect(pred.filter((v, i) => v === cls.codes[i]).length / X.rows).toBeGreaterThan(0.9);
  });

  it('early_stopping keeps the best validation weights', async () => {
    const notes: string[] = [];
    const params = validateModelParams(MLPRegressor, {
      hidden_layer_sizes: '8, 8',
      early_stopping: true,
      max_iter: 50,
    });
    await MLPRegressor.fit(X, reg, params, { ...run(2), progress: (_f, note) => notes.push(note ?? '') });
    expect(notes[0]).toMatch(/validation -?\d/);
  });

  it('a diverging network stops with a clear error', async () => {
    const huge = { ...X, data: X.data.map((v) => v * 1e30) };
    const params = validateModelParams(MLPRegressor, {
      hidden_layer_sizes: '4',
      learning_rate_init: 10,
      max_iter: 5,
    });
    await expect(MLPRegressor.fit(huge, reg, params, run(0))).rejects.toThrow(/MLPRegressor diverged/);
  });

  it('rejects malformed hidden_layer_sizes', async () => {
    const params = validateModelParams(MLPClassifier, { hidden_layer_sizes: '10, x' });
    await expect(MLPClassifier.fit(X, cls, params, run(0))).rejects.toThrow(
      /hidden_layer_sizes must list whole numbers/,
    );
  });
});

describe('DBSCAN matches scikit-learn', () => {
  const fx = fixture<{ X: number[][]; dbscan: { eps: number; min_samples: number; labels: number[] }[] }>(
    'clusters',
  );
  it.each(fx.dbscan.map((c) => [c.eps, c.min_samples, c.labels] as const))(
    'eps %s, min_samples %s: identical labels (clusters numbered in row order, noise −1)',
    async (eps, minSamples, labels) => {
      const X = fromRows(fx.X);
      const params = validateModelParams(DBSCAN, { eps, min_samples: minSamples });
      const s = await DBSCAN.fit(X, { task: 'clustering' }, params, ctx());
      expect([...s.labels]).toEqual(labels);
      // Noise rows have no core row within eps, so they predict noise; core rows predict their cluster.
      const pred = await DBSCAN.predict(X, s, ctx());
      labels.forEach((l, i) => {
        if (l === -1) expect(pred[i]).toBe(-1);
      });
      expect(pred.filter((p, i) => p === labels[i]).length).toBeGreaterThanOrEqual(s.coreLabels.length);
      expect(s.coreLabels.length).toBeGreaterThan(0);
    },
  );
});

describe('HistGradientBoosting with features of very different bin counts', () => {
  it('a 2-bin one-hot column beside 255-bin numbers: same model whatever the column order', async () => {
    // Histograms are packed per feature (its own bin count): a wrong offset would mix features,
    // and then the column order would change the model.
    const n = 400;
    const rows = Array.from({ length: n }, (_v, i) => [
      ((i * 7919) % 1000) / 10,
      i % 2,
      ((i * 104729) % 997) / 7,
    ]);
    const y: Target = {
      task: 'regression',
      values: Float64Array.from(rows, (r) => 10 * r[1]! + 0.1 * r[0]! - 0.05 * r[2]!),
    };
    const params = validateModelParams(HistGradientBoostingRegressor, { max_iter: 20 });
    const probe = [
      [50, 0, 70],
      [50, 1, 70],
      [12.5, 1, 3],
      [99, 0, 140],
    ];
    const fitted = async (order: number[]) => {
      const pick = (r: number[]) => order.map((j) => r[j]!);
      const state = await HistGradientBoostingRegressor.fit(fromRows(rows.map(pick)), y, params, ctx());
      return HistGradientBoostingRegressor.predict(fromRows(probe.map(pick)), state, ctx());
    };
    const asIs = await fitted([0, 1, 2]);
    expect(asIs[1]! - asIs[0]!).toBeGreaterThan(6);
    const reordered = await fitted([2, 0, 1]);
    for (let i = 0; i < probe.length; i++) expect(reordered[i]).toBeCloseTo(asIs[i]!, 9);
  });
});
