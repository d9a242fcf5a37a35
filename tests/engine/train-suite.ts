/**
 * Training through the engine contract: the same suite in-process (engine.test.ts, Node) and
 * through the worker (engine.browser.test.ts, Chromium). The expected iris numbers are fixed
 * constants, so the two paths are held to the same numbers, not merely to plausible ones.
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import type { ExperimentResult, Progress, TrainSpec } from '../../src/protocol/api';
import { emptyNotebook, type Notebook } from '../../src/spec/notebook';
import type { TestClient } from '../support/engine-harness';

const enc = new TextEncoder();

async function expectEngineError(p: Promise<unknown>, name: string, message: RegExp): Promise<EngineError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(EngineError);
    expect((e as EngineError).name).toBe(name);
    expect((e as EngineError).message).toMatch(message);
    return e as EngineError;
  }
  throw new Error(`expected ${name}, but the call succeeded`);
}

function scaled(target: string): Notebook {
  return {
    ...emptyNotebook(),
    target,
    steps: [{ id: 'sc', step: 'StandardScaler', params: {}, enabled: true }],
  };
}

function irisSpec(overrides: Partial<TrainSpec> = {}): TrainSpec {
  return {
    notebook: scaled('target'),
    target: 'target',
    split: { kind: 'stratified-kfold', k: 5 },
    models: [
      { name: 'LogisticRegression', params: {} },
      { name: 'DecisionTreeClassifier', params: {} },
    ],
    seed: 42,
    ...overrides,
  };
}

/** Recorded from the first run in Node: both paths must reproduce it (deterministic CPU models). */
const IRIS_LOGISTIC_ACCURACY = 143 / 150;

export function trainSuite(label: string, makeClient: () => TestClient) {
  describe(`training (${label})`, { timeout: 120_000 }, () => {
    it('lists the models with their sklearn parameter schema and infers the task', async () => {
      const { api } = makeClient();
      const catalog = await api.modelCatalog();
      const logistic = catalog.find((m) => m.name === 'LogisticRegression');
      expect(logistic?.tasks).toEqual(['classification']);
      expect(logistic?.params.C).toMatchObject({ type: 'number', default: 1 });
      const ds = await api.loadSample('iris');
      expect(await api.inferTask(ds.id, 'target')).toBe('classification');
      expect(await api.inferTask(ds.id, 'petal length (cm)')).toBe('regression');
      expect(await api.inferTask(ds.id, null)).toBe('clustering');
    });

    let first: ExperimentResult;
    it('trains two models with 5-fold CV on iris: metrics with CIs, plots, a verdict', async () => {
      const client = makeClient();
      const ds = await client.api.loadSample('iris');
      const progress: Progress[] = [];
      const job = client.start(
        (j) => client.api.trainModels(ds.id, irisSpec(), j),
        (p) => progress.push(p),
      );
      first = await job.promise;
      expect(first.task).toBe('classification');
      expect(first.folds).toBe(5);
      expect(first.classes).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(first.features).toHaveLength(4);
      const [lr, tree] = first.models;
      const acc = lr!.metrics.accuracy!;
      expect(acc.mean).toBeCloseTo(IRIS_LOGISTIC_ACCURACY, 10);
      expect(tree!.metrics.accuracy!.mean).toBeGreaterThan(0.88);
      expect(acc.n).toBe(5);
      expect(acc.ciLow).toBeLessThan(acc.mean);
      expect(acc.ciHigh).toBeGreaterThan(acc.mean);
      expect(lr!.foldMetrics.accuracy).toHaveLength(5);
      for (const key of ['balanced_accuracy', 'f1_macro', 'precision_weighted', 'roc_auc', 'log_loss']) {
        expect(Number.isFinite(lr!.metrics[key]!.mean), key).toBe(true);
      }
      expect(lr!.metrics.roc_auc!.mean).toBeGreaterThan(0.95);
      expect(lr!.backend).toBe('cpu');
      // The loss curve of every fold, as lbfgs reported it.
      expect(lr!.curves).toHaveLength(5);
      expect(lr!.curves[0]!.length).toBeGreaterThan(3);
      expect(lr!.curves[0]!.at(-1)!.loss).toBeLessThan(lr!.curves[0]![0]!.loss);
      // Out-of-fold: every row once, each in the fold that tested it.
      expect(lr!.oof.rows).toHaveLength(150);
      expect(new Set(lr!.oof.fold)).toEqual(new Set([0, 1, 2, 3, 4]));
      const cm = lr!.plots.confusion!;
      expect(cm.matrix.flat().reduce((s, v) => s + v, 0)).toBe(150);
      expect(cm.matrix[0]![0]).toBe(50);
      expect(lr!.plots.roc).toHaveLength(3);
      expect(lr!.plots.calibration!.length).toBe(3);
      const [cmp] = first.comparisons;
      expect(cmp?.test).toBe('corrected t-test');
      expect(cmp?.verdict).toMatch(/^(No significant difference between|.+ is better than)/);
      expect(cmp?.pValue).toBeGreaterThan(0);
      expect(first.splitReport.features).toHaveLength(4);
      expect(first.splitReport.sharedDuplicates).toBeGreaterThanOrEqual(0);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)?.fraction).toBe(1);
    });

    it('reproduces the folds from the seed, and other seeds give other folds', async () => {
      const client = makeClient();
      const ds = await client.api.loadSample('iris');
      const again = await client.api.trainModels(ds.id, irisSpec());
      expect(again.models[0]!.foldMetrics).toEqual(first.models[0]!.foldMetrics);
      expect(again.models[0]!.oof.fold).toEqual(first.models[0]!.oof.fold);
      const other = await client.api.trainModels(ds.id, irisSpec({ seed: 7 }));
      expect(other.models[0]!.oof.fold).not.toEqual(first.models[0]!.oof.fold);
    });

    it('compares two runs of the same folds like the experiment does, and refuses other folds', async () => {
      const { api } = makeClient();
      const [lr, tree] = first.models;
      const options = { metric: 'accuracy', higherIsBetter: true, testTrainRatio: first.testTrainRatio };
      expect(first.testTrainRatio).toBeCloseTo(30 / 120, 10);
      const cmp = await api.compareRuns(
        { label: lr!.label, scores: lr!.foldMetrics.accuracy! },
        { label: tree!.label, scores: tree!.foldMetrics.accuracy! },
        options,
      );
      expect(cmp.pValue).toBeCloseTo(first.comparisons[0]!.pValue, 12);
      expect(cmp.verdict).toBe(first.comparisons[0]!.verdict);
      await expectEngineError(
        api.compareRuns({ label: 'a', scores: [0.9] }, { label: 'b', scores: [0.8, 0.7] }, options),
        'InvalidArgument',
        /not scored on the same folds/,
      );
    });

    it('compares on a hold-out with McNemar and reports duplicates and a leaked feature', async () => {
      const client = makeClient();
      // y is a noisy function of x; "leak" is the label itself as a number; rows 0-19 repeat.
      const lines = ['x,noise,leak,y'];
      for (let i = 0; i < 200; i++) {
        const r = i % 180;
        const y = (r * 7) % 3 === 0 ? 'a' : 'b';
        lines.push(`${(r * 37) % 101},${(r * 13) % 17},${y === 'a' ? 1 : 0},${y}`);
      }
      const ds = await client.api.loadBytes(enc.encode(lines.join('\n')), 'leaky.csv');
      const result = await client.api.trainModels(ds.id, {
        notebook: emptyNotebook(),
        target: 'y',
        split: { kind: 'holdout', testSize: 0.3, stratify: true },
        models: [
          { name: 'GaussianNB', params: {} },
          { name: 'DecisionTreeClassifier', params: {} },
        ],
        seed: 1,
      });
      expect(result.folds).toBe(1);
      expect(result.splitReport.testRows).toBe(60);
      expect(result.splitReport.leakage.map((l) => l.feature)).toEqual(['leak']);
      expect(result.splitReport.sharedDuplicates).toBeGreaterThan(0);
      expect(result.splitReport.warnings.join(' ')).toMatch(/duplicates/);
      expect(result.comparisons[0]?.test).toMatch(/^McNemar/);
      expect(result.comparisons[0]?.verdict).toMatch(/McNemar/);
      expect(result.models[1]!.metrics.accuracy!.mean).toBe(1);
    });

    it('ranks the baselines and searches a grid, best first with CIs', async () => {
      const client = makeClient();
      const ds = await client.api.loadSample('iris');
      const base = await client.api.compareBaselines(ds.id, {
        notebook: scaled('target'),
        target: 'target',
        seed: 0,
      });
      expect(base.models.map((m) => m.name).sort()).toEqual(
        [
          'DecisionTreeClassifier',
          'GaussianNB',
          'HistGradientBoostingClassifier',
          'KNeighborsClassifier',
          'LogisticRegression',
          'RandomForestClassifier',
        ].sort(),
      );
      const means = base.models.map((m) => m.metrics.accuracy!.mean);
      expect(means).toEqual([...means].sort((a, b) => b - a));
      expect(base.comparisons).toHaveLength(15);
      const tuned = await client.api.tuneModel(ds.id, {
        ...irisSpec(),
        model: 'LogisticRegression',
        grid: { C: [0.01, 1, 100] },
      });
      expect(tuned.candidates.map((c) => c.rank)).toEqual([1, 2, 3]);
      const scores = tuned.candidates.map((c) => c.score.mean);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      // C = 0.01 over-regularises iris: it must rank last.
      expect(tuned.candidates[2]!.params.C).toBe(0.01);
      expect(tuned.best.models[0]!.metrics.accuracy!.mean).toBe(scores[0]);
      const random = await client.api.tuneModel(ds.id, {
        ...irisSpec(),
        model: 'KNeighborsClassifier',
        random: { n: 4, ranges: { n_neighbors: { type: 'uniform', low: 1, high: 30, integer: true } } },
      });
      expect(random.candidates).toHaveLength(4);
      for (const c of random.candidates) expect(Number.isInteger(c.params.n_neighbors)).toBe(true);
    });

    it('permutation importance puts the petal measurements first; the learning curve rises', async () => {
      const { api } = makeClient();
      const ds = await api.loadSample('iris');
      const spec = irisSpec({
        models: [{ name: 'LogisticRegression', params: {} }],
        importance: { repeats: 3 },
      });
      const result = await api.trainModels(ds.id, spec);
      const importance = result.models[0]!.importance!;
      expect(importance).toHaveLength(4);
      expect(
        importance
          .slice(0, 2)
          .map((i) => i.feature)
          .sort(),
      ).toEqual(['petal length (cm)', 'petal width (cm)']);
      expect(importance[0]!.drop.mean).toBeGreaterThan(0.1);
      expect(importance[0]!.drop.n).toBe(5);
      // The same fits: importance does not change the scores.
      expect(result.models[0]!.metrics.accuracy!.mean).toBeCloseTo(IRIS_LOGISTIC_ACCURACY, 10);
      const curve = await api.learningCurve(ds.id, { ...spec, fractions: [0.05, 0.5, 1] });
      expect(curve.metric).toBe('accuracy');
      expect(curve.points.map((p) => p.trainRows)).toEqual([6, 60, 120]);
      const means = curve.points.map((p) => p.scores.LogisticRegression!.mean);
      expect(means[2]).toBeCloseTo(IRIS_LOGISTIC_ACCURACY, 10);
      expect(means[0]).toBeLessThan(means[2]!);
    });

    it('regression: MAE, RMSE and R² with residual plots', async () => {
      const client = makeClient();
      const ds = await client.api.loadSample('diabetes');
      const result = await client.api.trainModels(ds.id, {
        notebook: emptyNotebook(),
        target: 'target',
        task: 'regression',
        split: { kind: 'kfold', k: 5 },
        models: [{ name: 'Ridge', params: { alpha: 0.1 } }],
        seed: 0,
      });
      const r2 = result.models[0]!.metrics.r2!.mean;
      expect(r2).toBeGreaterThan(0.35);
      expect(r2).toBeLessThan(0.6);
      expect(result.models[0]!.metrics.rmse!.mean).toBeGreaterThan(result.models[0]!.metrics.mae!.mean);
      expect(result.models[0]!.plots.residuals!.actual).toHaveLength(ds.rows);
    });

    it('cancels a running training job', async () => {
      const client = makeClient();
      const ds = await client.api.loadSample('digits');
      const job = client.start((j) =>
        client.api.trainModels(
          ds.id,
          irisSpec({
            notebook: emptyNotebook(),
            models: [{ name: 'RandomForestClassifier', params: { n_estimators: 300 } }],
          }),
          j,
        ),
      );
      setTimeout(() => job.cancel(), 300);
      await expectEngineError(job.promise, 'Cancelled', /cancelled/);
    });

    it('refuses bad input with clear errors and keeps working afterwards', async () => {
      const client = makeClient();
      const load = (name: string, text: string) => client.api.loadBytes(enc.encode(text), name);
      const spec = (target: string, extra: Partial<TrainSpec> = {}): TrainSpec => ({
        notebook: emptyNotebook(),
        target,
        split: { kind: 'kfold', k: 3 },
        models: [{ name: 'LogisticRegression', params: {} }],
        seed: 0,
        ...extra,
      });
      const oneClass = await load(
        'one.csv',
        `x,y\n${Array.from({ length: 12 }, (_, i) => `${i},same`).join('\n')}`,
      );
      await expectEngineError(
        client.api.trainModels(oneClass.id, spec('y')),
        'InvalidArgument',
        /only one class/,
      );

      const text = await load(
        'text.csv',
        `x,y\n${Array.from({ length: 12 }, (_, i) => `${i},w${i % 3}`).join('\n')}`,
      );
      await expectEngineError(
        client.api.trainModels(
          text.id,
          spec('y', { task: 'regression', models: [{ name: 'Ridge', params: {} }] }),
        ),
        'SchemaError',
        /Regression needs a numeric target/,
      );

      const empty = await load(
        'empty.csv',
        `x,gone,y\n${Array.from({ length: 12 }, (_, i) => `${i},,${i % 2 ? 'a' : 'b'}`).join('\n')}`,
      );
      await expectEngineError(
        client.api.trainModels(empty.id, spec('y', { features: ['x', 'gone'] })),
        'SchemaError',
        /"gone" has no values at all/,
      );

      const many = await load(
        'many.csv',
        `x,y\n${Array.from({ length: 12 }, (_, i) => `${i},c${i % 6}`).join('\n')}`,
      );
      await expectEngineError(
        client.api.trainModels(many.id, spec('y')),
        'InvalidArgument',
        /6 classes but a test fold has only 4 rows/,
      );

      const huge = await load(
        'huge.csv',
        `x,y\n${Array.from({ length: 30 }, (_, i) => `${i % 2 ? 1e300 : -1e300},${i % 2 ? 'a' : 'b'}`).join('\n')}`,
      );
      await expectEngineError(
        client.api.trainModels(huge.id, spec('y', { models: [{ name: 'MLPClassifier', params: {} }] })),
        'InvalidArgument',
        /MLPClassifier diverged: the loss became NaN/,
      );

      await expectEngineError(
        client.api.trainModels(oneClass.id, spec('y', { models: [{ name: 'Nope', params: {} }] })),
        'InvalidArgument',
        /no model called "Nope"/,
      );
      // The engine and its datasets are fine after all that.
      const ds = await client.api.loadSample('iris');
      const ok = await client.api.trainModels(
        ds.id,
        irisSpec({ models: [{ name: 'GaussianNB', params: {} }] }),
      );
      expect(ok.models[0]!.metrics.accuracy!.mean).toBeGreaterThan(0.9);
    });
  });
}
