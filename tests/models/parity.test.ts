/**
 * Parity with scikit-learn 1.2.1: 5-fold CV on the sample datasets with the SAME folds (the test
 * indices are stored in the fixture), StandardScaler fitted inside each fold where the fixture
 * says "scaled". Tolerances: mean CV score within 1 percentage point (classification) or 2%
 * relative (regression R²) for the deterministic models. Trees and forests draw their feature
 * order / bootstrap samples from our Rng, not numpy's: equally good splits are broken differently
 * (frequent on digits' integer pixels), which moves a few test rows per fold — a single tree within
 * 3 pp (classification) or 10% relative R² (a depth-4 regression tree), a forest of 100 trees
 * within 2 pp / 5% relative, where averaging damps the tie effects. HistGradientBoosting scans features
 * in order like sklearn (no random tie-breaking): default tolerances.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { crossValidate } from '../../src/analysis/experiment/cross-validate';
import { type Compute, initCompute } from '../../src/gpu/device';
import { KMeans } from '../../src/models/cluster';
import { buildDataset, validateModelParams } from '../../src/models/model';
import { getModel } from '../../src/models/registry';
import { loadSample } from '../pipeline/helpers';
import { ctx, fixture, standardize } from './helpers';

interface ModelFx {
  params: Record<string, unknown>;
  scaled: boolean;
  scores: number[];
  mean: number;
}
interface DatasetFx {
  metric: 'accuracy' | 'r2';
  folds: number[][];
  models: Record<string, ModelFx>;
  kmeans: { k: number; inertia: number };
}
const fx = fixture<{ datasets: Record<string, DatasetFx> }>('parity');
const mlpFx = fixture<{ datasets: Record<string, ModelFx> }>('parity_mlp');
interface PathPoint {
  C: number;
  nonzero: number;
  n_iter: number;
  coef: number[][];
  intercept: number[];
}
const logisticFx = fixture<{
  datasets: Record<string, Record<string, ModelFx & { nonzero: number[] }>>;
  l1_path: Record<string, PathPoint[]>;
}>('parity_logistic');
// Node: tfjs on its cpu backend, for the MLPs.
let compute: Compute;
beforeAll(async () => {
  compute = await initCompute({ webgpu: false });
});

const TOLERANCE: Record<string, { classification: number; regression: number }> = {
  DecisionTreeClassifier: { classification: 0.03, regression: 0 },
  DecisionTreeRegressor: { classification: 0, regression: 0.1 },
  RandomForestClassifier: { classification: 0.02, regression: 0 },
  RandomForestRegressor: { classification: 0, regression: 0.05 },
};
const DEFAULT_TOLERANCE = { classification: 0.01, regression: 0.02 };

async function cvScores(dataset: string, name: string, m: ModelFx): Promise<number[]> {
  const ds = fx.datasets[dataset]!;
  const table = loadSample(dataset);
  const features = table.schema.fields.map((f) => f.name).filter((f) => f !== 'target');
  const { X, y } = buildDataset(
    table,
    features,
    'target',
    ds.metric === 'r2' ? 'regression' : 'classification',
  );
  const model = getModel(name)!;
  const folds = foldsOf(ds.folds, X.rows);
  const cv = await crossValidate(
    model,
    X,
    y,
    folds,
    validateModelParams(model, m.params),
    { ...ctx(0), compute },
    {
      prepare: m.scaled ? standardize : undefined,
    },
  );
  return cv.scores;
}

function foldsOf(tests: number[][], rows: number) {
  return tests.map((test) => {
    const isTest = new Uint8Array(rows);
    for (const i of test) isTest[i] = 1;
    return {
      train: Int32Array.from([...isTest.keys()].filter((i) => !isTest[i])),
      test: Int32Array.from(test),
    };
  });
}

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

describe.each(Object.keys(fx.datasets))('5-fold CV parity with scikit-learn on %s', (dataset) => {
  const ds = fx.datasets[dataset]!;
  const names = Object.keys(ds.models).filter((n) => getModel(n));
  it.each(names)('%s', { timeout: 120_000 }, async (name) => {
    const m = ds.models[name]!;
    const ours = mean(await cvScores(dataset, name, m));
    const tol = (TOLERANCE[name] ?? DEFAULT_TOLERANCE)[ds.metric === 'r2' ? 'regression' : 'classification'];
    const diff = ds.metric === 'r2' ? Math.abs(ours - m.mean) / Math.abs(m.mean) : Math.abs(ours - m.mean);
    if (process.env.PARITY_TABLE)
      console.log(`PARITY ${dataset} ${name} ours=${ours.toFixed(4)} sklearn=${m.mean.toFixed(4)}`);
    expect(
      diff,
      `${name} on ${dataset}: ours ${ours.toFixed(4)} vs sklearn ${m.mean.toFixed(4)}`,
    ).toBeLessThanOrEqual(tol + 1e-12);
  });
});

describe('KMeans inertia matches scikit-learn (n_init=10, standardised data)', () => {
  // Both sides keep the best of 10 k-means++ runs from different random draws, so they may settle
  // in different local optima; observed gap ≤ 0.1% (digits: ours 69503 vs 69437), the tolerance.
  it.each(Object.keys(fx.datasets))('%s', async (dataset) => {
    const ds = fx.datasets[dataset]!;
    const table = loadSample(dataset);
    const features = table.schema.fields.map((f) => f.name).filter((f) => f !== 'target');
    const { X } = buildDataset(table, features, null);
    const [Xs] = standardize(X, X);
    const params = validateModelParams(KMeans, { n_clusters: ds.kmeans.k });
    const state = await KMeans.fit(Xs, { task: 'clustering' }, params, ctx(0));
    if (process.env.PARITY_TABLE)
      console.log(`PARITY ${dataset} KMeans ours=${state.inertia} sklearn=${ds.kmeans.inertia}`);
    expect(Math.abs(state.inertia - ds.kmeans.inertia) / ds.kmeans.inertia).toBeLessThan(1e-3);
  });
});

describe('MLP parity with scikit-learn (same folds, StandardScaler in each fold)', () => {
  // Adam from a different random initialisation and batch order (numpy's RNG vs ours) reaches a
  // different local optimum each fold: on these small sets that moves a few test rows, so the
  // tolerance is 3 pp (classification) and 5% relative R² (diabetes). For scale: sklearn's own
  // mean CV accuracy over random_state 0–4 ranges 0.966–0.983 on wine and 0.975–0.982 on
  // breast_cancer; ours is 0.966 and 0.975.
  it.each(Object.keys(mlpFx.datasets))('%s', { timeout: 300_000 }, async (dataset) => {
    const m = mlpFx.datasets[dataset]!;
    const regression = fx.datasets[dataset]!.metric === 'r2';
    const name = regression ? 'MLPRegressor' : 'MLPClassifier';
    const ours = mean(await cvScores(dataset, name, m));
    if (process.env.PARITY_TABLE)
      console.log(`PARITY ${dataset} ${name} ours=${ours.toFixed(4)} sklearn=${m.mean.toFixed(4)}`);
    const diff = regression ? Math.abs(ours - m.mean) / Math.abs(m.mean) : Math.abs(ours - m.mean);
    expect(diff).toBeLessThanOrEqual(regression ? 0.05 : 0.03);
  });
});

describe('LogisticRegression l1 / elasticnet parity with scikit-learn (saga, same folds, StandardScaler in each fold)', () => {
  // sklearn's saga ran to tol 1e-6 (≤ 10000 epochs) and ours (OWL-QN) to the same tol, so both sit
  // at the penalised optimum: the tolerance of 1 pp on the mean CV accuracy holds.
  const cases = Object.entries(logisticFx.datasets).flatMap(([dataset, models]) =>
    Object.keys(models).map((setting) => [dataset, setting] as const),
  );
  it.each(cases)('%s, %s', { timeout: 120_000 }, async (dataset, setting) => {
    const m = logisticFx.datasets[dataset]![setting]!;
    const ours = mean(await cvScores(dataset, 'LogisticRegression', m));
    if (process.env.PARITY_TABLE)
      console.log(
        `PARITY ${dataset} LogisticRegression ${setting} ours=${ours.toFixed(4)} sklearn=${m.mean.toFixed(4)}`,
      );
    expect(
      Math.abs(ours - m.mean),
      `ours ${ours.toFixed(4)} vs sklearn ${m.mean.toFixed(4)}`,
    ).toBeLessThanOrEqual(0.01 + 1e-12);
  });
});

describe('the L1 penalty zeroes coefficients like scikit-learn (standardised full data, C path)', () => {
  it.each(Object.keys(logisticFx.l1_path))('%s', { timeout: 120_000 }, async (dataset) => {
    const path = logisticFx.l1_path[dataset]!;
    const table = loadSample(dataset);
    const features = table.schema.fields.map((f) => f.name).filter((f) => f !== 'target');
    const { X, y } = buildDataset(table, features, 'target', 'classification');
    const [Xs] = standardize(X, X);
    const counts: number[] = [];
    for (const point of path) {
      const params = validateModelParams(getModel('LogisticRegression')!, {
        penalty: 'l1',
        solver: 'saga',
        C: point.C,
        tol: 1e-8,
        max_iter: 10_000,
      });
      const state = await getModel('LogisticRegression')!.fit(Xs, y, params, ctx(0));
      const coef = state.coef as Float64Array;
      const nonzero = coef.filter((v) => v !== 0).length;
      counts.push(nonzero);
      if (process.env.PARITY_TABLE)
        console.log(`L1PATH ${dataset} C=${point.C} ours=${nonzero} sklearn=${point.nonzero}`);
      expect(nonzero, `non-zero coefficients at C=${point.C}`).toBe(point.nonzero);
      // The same optimum, coefficient by coefficient — where saga itself converged (its epoch
      // budget of 100000 ran out on breast_cancer at C=1, 2e-3 from the optimum ours finds).
      if (point.n_iter < 100_000) {
        const ref = point.coef.flat();
        for (let t = 0; t < ref.length; t++) expect(Math.abs(coef[t]! - ref[t]!)).toBeLessThan(1e-4);
      }
    }
    // Sparsity grows as C shrinks: the counts never fall as C rises, and the path spans a range.
    for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeGreaterThanOrEqual(counts[i - 1]!);
    expect(counts[0]!).toBeLessThan(counts.at(-1)! / 2);
  });
});
