/**
 * Inspecting deployed models (src/analysis/inspect/ (partial-dependence.ts, counterfactual.ts)), always through benchtop-runtime:
 * - partial dependence and ICE equal sklearn.inspection.partial_dependence (scikit-learn 1.2.1,
 *   tests/fixtures/sklearn/inspect/) on the same grid — for a LinearRegression we fit (OLS is exact)
 *   and for sklearn's own fitted LogisticRegression deployed as an artifact;
 * - counterfactuals really flip the runtime's prediction, are as near as a brute-force search on a
 *   2-feature model, respect the allowed features, and are the same for a seed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CellValue, DeployedModelInfo } from '../../src/analysis/deploy/types';
import { sampleRows } from '../../src/analysis/inspect/common';
import { counterfactual } from '../../src/analysis/inspect/counterfactual';
import { featureGrid, mquantiles, partialDependence } from '../../src/analysis/inspect/partial-dependence';
import type { EngineError } from '../../src/core/errors';
import { createRng } from '../../src/core/rng';
import type { ModelSpec } from '../../src/protocol/api';
import { ARTIFACT_VERSION, fnv1a, packWeights } from '../../src/runtime/format';
import { loadArtifact } from '../../src/runtime/index';
import type { Notebook } from '../../src/spec/notebook';
import { createNodeEngine } from '../../workers/engine.node';

interface PdpCase {
  feature: string;
  grid_resolution: number;
  percentiles: [number, number];
  grid: number[];
  average: number[][];
  individual_rows?: number[];
  individual?: number[][][];
}
interface Fixture {
  generator: string;
  diabetes: { features: string[]; coef: number[]; intercept: number; cases: PdpCase[] };
  iris: { features: string[]; classes: string[]; coef: number[][]; intercept: number[]; cases: PdpCase[] };
}
const fx = JSON.parse(
  readFileSync(new URL('../fixtures/sklearn/inspect/partial_dependence.json', import.meta.url), 'utf8'),
) as Fixture;

const notebook = (steps: Notebook['steps'] = []): Notebook => ({
  version: 1,
  seed: 0,
  dataset: null,
  target: 'target',
  steps,
});
const quiet = () => ({ compute: null, signal: new AbortController().signal, progress: () => undefined });

/** |a − b| ≤ tol · max(1, |b|) elementwise. */
function expectClose(actual: readonly number[], expected: readonly number[], tol: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    if (Math.abs(a - e) > tol * Math.max(1, Math.abs(e)))
      expect.fail(`index ${i}: ${a} differs from ${e} by more than ${tol} (relative)`);
  });
}

async function deployed(sample: string, model: ModelSpec, steps?: Notebook['steps']) {
  const engine = createNodeEngine();
  const ds = await engine.loadSample(sample);
  const info = await engine.deployModel(ds.id, { notebook: notebook(steps), target: 'target', model });
  return { engine, ds, info };
}

describe('partial dependence grid', () => {
  it('mquantiles follows scipy (alphap = betap = 0.4)', () => {
    // scipy.stats.mstats.mquantiles([1, 2, 3, 4, 10], prob=[0.05, 0.5, 0.95]) → [1., 3., 10.]
    expect(mquantiles([1, 2, 3, 4, 10], [0.05, 0.5, 0.95])).toEqual([1, 3, 10]);
    // mquantiles(np.arange(1, 11), prob=[0.25, 0.75]) → [2.95, 8.05]
    expectClose(mquantiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0.25, 0.75]), [2.95, 8.05], 1e-12);
  });

  it('draws distinct ICE rows, ascending, the same for a seed', () => {
    const a = sampleRows(1000, 50, createRng(4));
    expect(new Set(a).size).toBe(50);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(sampleRows(1000, 50, createRng(4))).toEqual(a);
    expect(sampleRows(10, 50, createRng(4))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('rounds an integer feature’s percentile grid to whole numbers and refuses a flat one', async () => {
    const engine = createNodeEngine();
    const ds = await engine.loadSample('diabetes');
    const table = engine.table(ds.id);
    const grid = featureGrid({ name: 's1', type: 'integer', missing: 'rejected' }, table, 20, [0.05, 0.95]);
    expect(grid.every((v) => Number.isInteger(v))).toBe(true);
    expect(grid.length).toBeGreaterThan(10);
    expect(() =>
      featureGrid({ name: 'sex', type: 'float', missing: 'rejected' }, table, 2, [0.3, 0.4]),
    ).toThrow(/percentiles are equal/);
  });
});

describe('partial dependence vs scikit-learn', { timeout: 60_000 }, () => {
  it(`LinearRegression on diabetes: same grid, same average, same ICE curves (${fx.generator})`, async () => {
    const { engine, ds, info } = await deployed('diabetes', { name: 'LinearRegression', params: {} });
    for (const c of fx.diabetes.cases) {
      const res = await engine.partialDependence(info.id, ds.id, c.feature, {
        gridResolution: c.grid_resolution,
        percentiles: c.percentiles,
        iceRows: c.individual ? 442 : 5,
      });
      expect(res.kind).toBe('numeric');
      expect(res.outputs).toEqual(['target']);
      expectClose(res.grid as number[], c.grid, 1e-12);
      // OLS fitted by us and by sklearn agree to ~1e-10; the means of 442 predictions with them.
      expectClose(res.average[0]!, c.average[0]!, 1e-9);
      expect(res.rows).toBe(442);
      expect(res.unscoredRows).toBe(0);
      expect(res.predictions).toBe(442 * c.grid.length);
      c.individual_rows?.forEach((row, k) => {
        expectClose(res.ice[0]![res.iceRows.indexOf(row)]!, c.individual![0]![k]!, 1e-9);
      });
    }
  });

  it('LogisticRegression on iris (sklearn’s own coefficients): per-class probabilities and ICE', async () => {
    const { engine, ds, info } = await deployed('iris', { name: 'LogisticRegression', params: {} });
    // Deploy sklearn's fitted model itself: our artifact's contract, sklearn's coef_ and intercept_.
    const { json } = await engine.deployedArtifact(info.id);
    const doc = JSON.parse(json);
    const k = fx.iris.classes.length;
    const d = fx.iris.features.length;
    expect(doc.contract.target.classes).toEqual(fx.iris.classes);
    expect(doc.model.features).toEqual(fx.iris.features);
    const coef = new Float64Array(d * k);
    for (let j = 0; j < d; j++) for (let c = 0; c < k; c++) coef[j * k + c] = fx.iris.coef[c]![j]!;
    const packed = packWeights({
      model: { coef, intercept: Float64Array.from(fx.iris.intercept), nClasses: k, nIter: 0, backend: 'cpu' },
    });
    const bytes = packed.weights;
    const artifact = {
      ...doc,
      version: ARTIFACT_VERSION,
      steps: [],
      model: { ...doc.model, state: (packed.json as { model: unknown }).model },
      weights: { bytes: bytes.byteLength, fnv1a: fnv1a(bytes) },
    };
    const predictor = loadArtifact(JSON.stringify(artifact), bytes);
    const table = engine.table(ds.id);
    for (const c of fx.iris.cases) {
      const res = await partialDependence(
        predictor,
        table,
        c.feature,
        { gridResolution: c.grid_resolution, percentiles: c.percentiles, iceRows: 150 },
        quiet(),
      );
      expect(res.outputs).toEqual(fx.iris.classes);
      expectClose(res.grid as number[], c.grid, 1e-12);
      for (let cls = 0; cls < k; cls++) expectClose(res.average[cls]!, c.average[cls]!, 1e-10);
      c.individual_rows?.forEach((row, r) => {
        for (let cls = 0; cls < k; cls++) expectClose(res.ice[cls]![row]!, c.individual![cls]![r]!, 1e-10);
      });
    }
  });

  it('our own fitted LogisticRegression is close to sklearn’s curves (the fits differ slightly)', async () => {
    const { engine, ds, info } = await deployed('iris', {
      name: 'LogisticRegression',
      params: { max_iter: 10000, tol: 1e-10 },
    });
    const c = fx.iris.cases[0]!;
    const res = await engine.partialDependence(info.id, ds.id, c.feature, { gridResolution: 20, iceRows: 0 });
    for (let cls = 0; cls < 3; cls++) expectClose(res.average[cls]!, c.average[cls]!, 1e-4);
    expect(res.ice).toEqual([[], [], []]);
  });
});

describe('partial dependence in the engine', { timeout: 60_000 }, () => {
  it('uses the categories as the grid, leaves rows out that a grid value cannot score, and reports deciles', async () => {
    const IRIS = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];
    const { engine, ds, info } = await deployed('iris_missing', { name: 'LogisticRegression', params: {} }, [
      { id: 'a', step: 'SimpleImputer', params: { columns: IRIS }, enabled: true },
      {
        id: 'b',
        step: 'OneHotEncoder',
        params: { columns: ['site'], handle_unknown: 'ignore' },
        enabled: true,
      },
    ]);
    const site = info.contract.features.find((f) => f.name === 'site')!;
    const res = await engine.partialDependence(info.id, ds.id, 'site', { iceRows: 10, seed: 1 });
    expect(res.kind).toBe('categorical');
    expect(res.grid).toEqual(site.categories);
    expect(res.deciles).toEqual([]);
    for (const g of res.grid.keys()) {
      const total = res.average.reduce((s, a) => s + a[g]!, 0);
      expect(total).toBeCloseTo(1, 12);
    }
    expect(res.iceRows).toHaveLength(10);
    const num = await engine.partialDependence(info.id, ds.id, 'petal width (cm)', { gridResolution: 10 });
    expect(num.deciles).toHaveLength(9);
    expect(num.unscoredRows).toBe(0);
  });

  it('reports progress in batches, can be cancelled, and names bad input', async () => {
    const engine = createNodeEngine();
    const ds = await engine.generateSynthetic({ rows: 12_000, seed: 2, columns: 4 });
    const table = engine.table(ds.id);
    const numeric = table.schema.fields
      .filter((f) => f.type.toString().startsWith('Float'))
      .map((f) => f.name);
    const [target, x] = [numeric[0]!, numeric[1]!];
    const info = await engine.deployModel(ds.id, {
      notebook: { ...notebook([{ id: 'i', step: 'SimpleImputer', params: {}, enabled: true }]), target },
      target,
      task: 'regression',
      features: numeric.slice(1),
      model: { name: 'Ridge', params: {} },
    });
    const fractions: number[] = [];
    const res = await engine.partialDependence(
      info.id,
      ds.id,
      x,
      { gridResolution: 10 },
      {
        id: 'pdp',
        onProgress: (p) => void (p.fraction !== null && fractions.push(p.fraction)),
      },
    );
    expect(res.average[0]!.every(Number.isFinite)).toBe(true);
    expect(fractions.at(-1)).toBe(1);

    const job = engine.partialDependence(info.id, ds.id, x, { gridResolution: 50 }, { id: 'slow' });
    void engine.cancel('slow');
    await expect(job).rejects.toMatchObject({ name: 'Cancelled' });

    await expect(engine.partialDependence(info.id, ds.id, 'nope')).rejects.toMatchObject({
      name: 'InvalidArgument',
      message: expect.stringContaining('"nope" is not an input'),
    });
    await expect(engine.partialDependence(info.id, ds.id, x, { gridResolution: 1 })).rejects.toThrow(
      /gridResolution must be a whole number from 2 to 1,000, not 1/,
    );
    const iris = await engine.loadSample('iris');
    await expect(engine.partialDependence(info.id, iris.id, x)).rejects.toMatchObject({
      name: 'SchemaError',
    });
  });
});

/** A 2-feature binary problem whose classes split along a line (logistic) or boxes (tree). */
function twoFeatureCsv(): string {
  const rng = createRng(11);
  const lines = ['a,b,target'];
  for (let i = 0; i < 300; i++) {
    const a = Math.round(rng.next() * 10_000) / 1000;
    const b = Math.round(rng.next() * 4_000) / 1000;
    lines.push(`${a},${b},${a + 2 * b + rng.normal() * 0.3 > 9 ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}

async function twoFeatureModel(model: ModelSpec) {
  const engine = createNodeEngine();
  const ds = await engine.loadBytes(new TextEncoder().encode(twoFeatureCsv()), 'two.csv');
  const info = await engine.deployModel(ds.id, { notebook: notebook(), target: 'target', model });
  return { engine, ds, info };
}

/** The nearest flipping point on an (n+1)² grid over the observed ranges, by the same distance. */
async function bruteForce(
  engine: ReturnType<typeof createNodeEngine>,
  info: DeployedModelInfo,
  row: Record<string, CellValue>,
  n: number,
) {
  const [fa, fb] = info.contract.features as unknown as [
    { min: number; max: number },
    { min: number; max: number },
  ];
  const rows: Record<string, CellValue>[] = [];
  for (let i = 0; i <= n; i++)
    for (let j = 0; j <= n; j++)
      rows.push({ a: fa.min + ((fa.max - fa.min) * i) / n, b: fb.min + ((fb.max - fb.min) * j) / n });
  const original = (await engine.predictRows(info.id, [row])).predictions[0];
  const res = await engine.predictRows(info.id, rows);
  let best = Number.POSITIVE_INFINITY;
  res.predictions.forEach((p, k) => {
    if (p === original) return;
    const r = rows[k]!;
    const d =
      Math.abs((r.a as number) - (row.a as number)) / (fa.max - fa.min) +
      Math.abs((r.b as number) - (row.b as number)) / (fb.max - fb.min);
    best = Math.min(best, d);
  });
  return best;
}

describe('nearest counterfactual', { timeout: 120_000 }, () => {
  for (const model of [
    { name: 'LogisticRegression', params: {} } as ModelSpec,
    { name: 'DecisionTreeClassifier', params: { max_depth: 3 } },
  ]) {
    it(`flips the runtime's prediction at the brute-force minimum distance (${model.name}, 2 features)`, async () => {
      const { engine, info } = await twoFeatureModel(model);
      for (const row of [
        { a: 2, b: 1 },
        { a: 8, b: 3 },
        { a: 4.5, b: 2.2 },
      ]) {
        const cf = await engine.counterfactual(info.id, row, { seed: 1 });
        expect(cf.found).toBe(true);
        const again = await engine.predictRows(info.id, [cf.row!]);
        expect(again.predictions[0]).toBe(cf.prediction);
        expect(cf.prediction).not.toBe(cf.originalPrediction);
        const brute = await bruteForce(engine, info, row, 200);
        // A grid point is within half a cell (1/400 per feature) of the true minimum, so ours may
        // be below the grid's; it must not be above it by more than the search's precision.
        expect(cf.distance).toBeLessThanOrEqual(brute + 1e-3);
        expect(cf.distance).toBeGreaterThanOrEqual(brute - 2 / 200);
        const sum = cf.changes.reduce((s, c) => s + c.cost, 0);
        expect(sum).toBeCloseTo(cf.distance, 12);
      }
    });
  }

  it('is deterministic for a seed, honours a target class and the allowed features', async () => {
    const { engine, info } = await deployed('iris', { name: 'LogisticRegression', params: {} });
    const row = { ...info.typicalRow };
    const a = await engine.counterfactual(info.id, row, { seed: 7 });
    const b = await engine.counterfactual(info.id, row, { seed: 7 });
    expect(b).toEqual(a);
    expect(a.found).toBe(true);
    expect(a.originalPrediction).toBe('versicolor');

    const toSetosa = await engine.counterfactual(info.id, row, { targetClass: 'setosa', seed: 7 });
    expect(toSetosa.prediction).toBe('setosa');
    expect((await engine.predictRows(info.id, [toSetosa.row!])).predictions[0]).toBe('setosa');
    expect(toSetosa.probability).toBeGreaterThan(0.3);

    const only = await engine.counterfactual(info.id, row, { features: ['sepal width (cm)'], seed: 7 });
    for (const c of (only.found ? only.changes : []).map((x) => x.feature))
      expect(c).toBe('sepal width (cm)');
    expect(only.fixed).toHaveLength(3);
    if (!only.found)
      expect(only.message).toMatch(/No change within the observed ranges of the allowed features/);

    // Every change stays within the contract's observed ranges.
    for (const c of a.changes) {
      const f = info.contract.features.find((x) => x.name === c.feature)!;
      expect(c.to as number).toBeGreaterThanOrEqual(f.min!);
      expect(c.to as number).toBeLessThanOrEqual(f.max!);
    }
  });

  it('says so when no change within the ranges flips it, and refuses bad requests by name', async () => {
    const { engine, info } = await twoFeatureModel({
      name: 'DecisionTreeClassifier',
      params: { max_depth: 1 },
    });
    const root = info.contract.features;
    // A depth-1 tree splits on one feature: the other alone can never flip it.
    const probe = await engine.counterfactual(info.id, { a: 2, b: 1 }, { seed: 0 });
    expect(probe.changes).toHaveLength(1);
    const other = root.map((f) => f.name).find((f) => f !== probe.changes[0]!.feature)!;
    const none = await engine.counterfactual(info.id, { a: 2, b: 1 }, { features: [other], seed: 0 });
    expect(none.found).toBe(false);
    expect(none.message).toMatch(
      /No change within the observed ranges of the allowed features makes the model predict another class/,
    );
    expect(none.row).toBeNull();

    await expect(
      engine.counterfactual(info.id, { a: 2, b: 1 }, { targetClass: 'maybe' }),
    ).rejects.toMatchObject({
      name: 'InvalidArgument',
      message: expect.stringContaining('"maybe" is not a class'),
    });
    await expect(engine.counterfactual(info.id, { a: 2, b: 1 }, { features: ['c'] })).rejects.toThrow(
      /Not inputs/,
    );
    await expect(engine.counterfactual(info.id, { a: null, b: 1 })).rejects.toThrow(
      /cannot score this row: "a" is missing/,
    );
    const reg = await deployed('diabetes', { name: 'LinearRegression', params: {} });
    const err = (await reg.engine
      .counterfactual(reg.info.id, reg.info.typicalRow)
      .catch((e: unknown) => e)) as EngineError;
    expect(err.name).toBe('InvalidArgument');
    expect(err.message).toMatch(/needs a classifier/);
  });

  it('stops when cancelled', async () => {
    const { info, engine } = await twoFeatureModel({ name: 'LogisticRegression', params: {} });
    const { json, weights } = await engine.deployedArtifact(info.id);
    const controller = new AbortController();
    controller.abort();
    await expect(
      counterfactual(
        loadArtifact(json, weights),
        { a: 2, b: 1 },
        {},
        { ...quiet(), signal: controller.signal },
      ),
    ).rejects.toMatchObject({ name: 'Cancelled' });
  });
});
