/**
 * Error slices on seeded synthetic data with errors planted where we know: a high error rate
 * (or large residuals) in one category and a higher one in a two-feature combination, a low rate
 * elsewhere. The planted slices must come out first, with intervals that hold the planted rate;
 * errors spread evenly must give no significant slice. Then the whole path through the engine on
 * iris behind a filter step: the rows named are rows of the dataset as loaded.
 */
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { Analysed } from '../../src/analysis/slices/analysed';
import { quantileEdges } from '../../src/analysis/slices/features';
import { findSlices } from '../../src/analysis/slices/find';
import { describeCondition } from '../../src/analysis/slices/words';
import { floatData, frameFrom, labelData, outColumn } from '../../src/core/frame';
import { createRng } from '../../src/core/rng';
import type { ErrorAnalysisSpec, ErrorSlice, SliceCondition } from '../../src/protocol/api';
import { emptyNotebook, type Notebook } from '../../src/spec/notebook';
import { createNodeEngine } from '../../workers/engine.node';

const SITES = ['north', 'south', 'east', 'west'];

interface Planted {
  table: Table;
  /** Per row: the planted error probability (classification) or residual scale (regression). */
  planted: Float64Array;
  x1: Float64Array;
  x2: Float64Array;
  site: Int32Array;
}

/** 2,000 rows: x1, x2 uniform, x3 normal with 5% missing, a site, an id-like text column, a constant. */
function plantedTable(
  seed: number,
  plant: (x1: number, x2: number, site: string) => number,
  n = 2000,
): Planted {
  const rng = createRng(seed);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const x3 = new Float64Array(n);
  const site = new Int32Array(n);
  const names = new Int32Array(n);
  const planted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x1[i] = rng.next();
    x2[i] = rng.next();
    x3[i] = rng.next() < 0.05 ? Number.NaN : rng.normal();
    site[i] = rng.int(4);
    names[i] = i;
    planted[i] = plant(x1[i]!, x2[i]!, SITES[site[i]!]!);
  }
  const table = frameFrom(
    [
      outColumn('x1', 'float', floatData(x1)),
      outColumn('x2', 'float', floatData(x2)),
      outColumn('x3', 'float', floatData(x3)),
      outColumn('site', 'categorical', labelData(site, SITES)),
      outColumn(
        'name',
        'text',
        labelData(
          names,
          Array.from({ length: n }, (_, i) => `row-${i}`),
        ),
      ),
      outColumn('constant', 'float', floatData(new Float64Array(n).fill(1))),
      outColumn('target', 'float', floatData(new Float64Array(n))),
    ],
    n,
    'test',
  );
  return { table, planted, x1, x2, site };
}

const inCombination = (x1: number, x2: number) => x1 > 0.8 && x2 <= 0.2;

/** Classification: 60% errors where x1 > 0.8 and x2 ≤ 0.2, else 30% at site north, else 5%. */
function plantedErrors(seed: number, n = 2000) {
  const data = plantedTable(
    seed,
    (x1, x2, site) => (inCombination(x1, x2) ? 0.6 : site === 'north' ? 0.3 : 0.05),
    n,
  );
  const rng = createRng(seed + 1);
  const error = Float64Array.from(data.planted, (p) => (rng.next() < p ? 1 : 0));
  return { ...data, analysed: analysed(data.table, error, 'classification') };
}

/** Regression: |residual| of N(0, σ) with σ = 6 in the combination, 3 at north, 1 elsewhere. */
function plantedResiduals(seed: number, n = 2000) {
  const data = plantedTable(
    seed,
    (x1, x2, site) => (inCombination(x1, x2) ? 6 : site === 'north' ? 3 : 1),
    n,
  );
  const rng = createRng(seed + 1);
  const error = Float64Array.from(data.planted, (s) => Math.abs(s * rng.normal()));
  return { ...data, analysed: analysed(data.table, error, 'regression') };
}

function analysed(base: Table, error: Float64Array, task: Analysed['task']): Analysed {
  const n = base.numRows;
  return {
    base,
    baseRows: Int32Array.from({ length: n }, (_, i) => i),
    datasetRows: Uint32Array.from({ length: n }, (_, i) => i),
    error,
    task,
  };
}

/** Rows meeting a slice's conditions (read from the generator's arrays, not the engine's). */
function rowsOf(d: Planted, conditions: readonly SliceCondition[]): number[] {
  const value = (c: SliceCondition, i: number): boolean => {
    if (c.kind === 'category') return SITES[d.site[i]!] === c.value;
    if (c.kind !== 'range') throw new Error(`no planted rows for a ${c.kind} condition`);
    const v = c.column === 'x1' ? d.x1[i]! : d.x2[i]!;
    return (c.low === null || v > c.low) && (c.high === null || v <= c.high);
  };
  return Array.from(d.x1.keys()).filter((i) => conditions.every((c) => value(c, i)));
}

function mean(values: Float64Array, rows: readonly number[], scale = 1): number {
  return (rows.reduce((s, i) => s + values[i]!, 0) / rows.length) * scale;
}

function columnsOf(s: ErrorSlice): string[] {
  return s.conditions.map((c) => c.column).sort();
}

const SEEDS = [7, 11, 2024];
const HALF_NORMAL = Math.sqrt(2 / Math.PI);

/** The planted slices' positions: the combination x1 > ~0.8 and x2 ≤ ~0.2 first, site = north second. */
function expectPlantedFirst(r: ReturnType<typeof findSlices>): [ErrorSlice, ErrorSlice] {
  const [first, second] = r.slices;
  expect(columnsOf(first!)).toEqual(['x1', 'x2']);
  const x1 = first!.conditions.find((c) => c.column === 'x1')!;
  const x2 = first!.conditions.find((c) => c.column === 'x2')!;
  expect(x1).toMatchObject({ kind: 'range', high: null });
  expect(x2).toMatchObject({ kind: 'range', low: null });
  if (x1.kind === 'range' && x2.kind === 'range') {
    expect(x1.low).toBeCloseTo(0.8, 1);
    expect(x2.high).toBeCloseTo(0.2, 1);
  }
  expect(second!.conditions).toEqual([{ column: 'site', kind: 'category', value: 'north' }]);
  expect(first!.significant && second!.significant).toBe(true);
  return [first!, second!];
}

describe('error slices on planted errors', () => {
  it.each(SEEDS)('classification (seed %i): the combination first, then the site', (seed) => {
    const d = plantedErrors(seed);
    const r = findSlices(d.analysed, 'target');
    const [first, second] = expectPlantedFirst(r);
    const firstRows = rowsOf(d, first.conditions);
    expect(first.size).toBe(firstRows.length);
    expect(mean(d.planted, firstRows)).toBeGreaterThan(0.55);
    expect(first.value).toBeCloseTo(mean(d.analysed.error, firstRows), 12);
    expect(second.rest).toBeLessThan(0.15);
    expect(second.sentence).toMatch(
      /^site = north: error \d+% \[\d+%, \d+%\], \d+ rows, vs \d+(\.\d)?% elsewhere$/,
    );
    // The identifier-like text column and the constant are not sliced, and say why.
    expect(r.skipped).toEqual([
      { column: 'name', reason: 'an identifier (almost every row has its own value)' },
      { column: 'constant', reason: 'a single value' },
    ]);
    // Significant slices first, then the others; every slice worse than the rest and big enough.
    const significant = r.slices.filter((s) => s.significant);
    expect(r.slices.slice(0, significant.length)).toEqual(significant);
    expect(r.slices.every((s) => s.difference > 0 && s.size >= r.minSize)).toBe(true);
    // Sub-slices of the planted slices are significant too, but explained by them.
    expect(r.explained).toBeGreaterThan(0);
  });

  it.each(SEEDS)('regression (seed %i): the same slices by mean absolute error', (seed) => {
    const d = plantedResiduals(seed);
    const r = findSlices(d.analysed, 'target');
    const [first, second] = expectPlantedFirst(r);
    expect(first.value).toBeCloseTo(mean(d.analysed.error, rowsOf(d, first.conditions)), 12);
    expect(second.sentence).toMatch(
      /^site = north: MAE [\d.]+ \[[\d.]+, [\d.]+\], \d+ rows, vs [\d.]+ elsewhere$/,
    );
  });

  // A 95% interval misses the truth one time in twenty by design, so one seed proves little:
  // over 40 seeds the planted slices must come first almost always, and the intervals of the two
  // must hold the planted rate (the mean planted probability, or σ √(2/π) for |N(0, σ)|, over the
  // slice's rows) about 95% of the time. Measured with these seeds: classification 38 of 40
  // ranked, 75 of 80 intervals covered; regression 40 and 76.
  it.each([
    ['classification', plantedErrors, 1],
    ['regression', plantedResiduals, HALF_NORMAL],
  ] as const)(
    '%s over 40 seeds: planted slices first, intervals cover the planted value',
    (_task, make, scale) => {
      let ranked = 0;
      let covered = 0;
      let intervals = 0;
      for (let seed = 100; seed < 140; seed++) {
        const d = make(seed, 1000);
        const r = findSlices(d.analysed, 'target');
        const [first, second] = r.slices;
        if (columnsOf(first!).join() === 'x1,x2' && second!.description === 'site = north') ranked++;
        for (const s of [first!, second!]) {
          if (s.conditions.some((c) => c.kind === 'missing')) continue;
          const planted = mean(d.planted, rowsOf(d, s.conditions), scale);
          intervals++;
          if (s.ciLow <= planted && planted <= s.ciHigh) covered++;
        }
      }
      expect(ranked).toBeGreaterThanOrEqual(37);
      expect(covered / intervals).toBeGreaterThanOrEqual(0.87);
    },
  );

  it.each(SEEDS)('errors spread evenly (seed %i): nothing significant after Benjamini–Hochberg', (seed) => {
    const d = plantedTable(seed, () => 0.1);
    const rng = createRng(seed + 1);
    const error = Float64Array.from(d.planted, (p) => (rng.next() < p ? 1 : 0));
    const r = findSlices(analysed(d.table, error, 'classification'), 'target');
    expect(r.tested).toBeGreaterThan(30);
    expect(r.slices.filter((s) => s.significant)).toEqual([]);
  });

  it('honours the minimum size: no slice under max(minSize, minShare × rows)', () => {
    const d = plantedErrors(7);
    const r = findSlices(d.analysed, 'target', { minSize: 150, minShare: 0 });
    expect(r.minSize).toBe(150);
    expect(r.slices.every((s) => s.size >= 150)).toBe(true);
    expect(findSlices(d.analysed, 'target', { minShare: 0.2 }).minSize).toBe(400);
  });
});

describe('bins and words', () => {
  it('quantile edges are data values, deduplicated, below the maximum', () => {
    expect(quantileEdges(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 5)).toEqual([2, 4, 6, 8]);
    expect(quantileEdges(Float64Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 2]), 5)).toEqual([0]);
    expect(quantileEdges(Float64Array.from([3, 3, 3]), 4)).toEqual([]);
  });

  it('describes conditions in words', () => {
    expect(describeCondition({ column: 'petal width', kind: 'range', low: null, high: 0.8 })).toBe(
      'petal width ≤ 0.8',
    );
    expect(describeCondition({ column: 'age', kind: 'range', low: 30, high: 41.123456 })).toBe(
      '30 < age ≤ 41.12',
    );
    expect(describeCondition({ column: 'x', kind: 'range', low: 2.5, high: null })).toBe('x > 2.5');
    expect(describeCondition({ column: 'site', kind: 'category', value: 'north' })).toBe('site = north');
    expect(describeCondition({ column: 'n', kind: 'equals', value: 3 })).toBe('n = 3');
    expect(describeCondition({ column: 'x3', kind: 'missing' })).toBe('x3 is missing');
    expect(
      describeCondition({ column: 'day', kind: 'range', low: null, high: Date.UTC(2024, 2, 5) }, 'date'),
    ).toBe('day ≤ 2024-03-05');
  });
});

describe('error analysis through the engine', { timeout: 60_000 }, () => {
  it('iris behind a filter: worst rows by confidence, rows named in the dataset as loaded', async () => {
    const engine = createNodeEngine();
    const ds = await engine.loadSample('iris');
    const notebook: Notebook = {
      ...emptyNotebook(),
      target: 'target',
      steps: [
        { id: 'f', step: 'FilterRows', params: { expression: '`sepal length (cm)` > 5' }, enabled: true },
        { id: 's', step: 'StandardScaler', params: {}, enabled: true },
      ],
    };
    const e = await engine.trainModels(ds.id, {
      notebook,
      target: 'target',
      split: { kind: 'stratified-kfold', k: 5 },
      models: [{ name: 'GaussianNB', params: {} }],
      seed: 1,
    });
    const run = e.models[0]!;
    expect(e.rows).toBeLessThan(150);
    const probability = run.oof.probability!;
    expect(probability.predicted).toHaveLength(e.rows);
    expect(
      probability.predicted.every((p) => p >= 0 && p <= 1 && Math.abs(Math.round(p * 1e4) - p * 1e4) < 1e-6),
    ).toBe(true);
    // The predicted class is the most probable one, so it is at least as probable as the truth.
    probability.predicted.forEach((p, i) => {
      expect(p).toBeGreaterThanOrEqual(probability.truth[i]!);
    });

    const spec: ErrorAnalysisSpec = {
      notebook,
      target: 'target',
      task: e.task,
      classes: e.classes,
      rows: e.rows,
      oof: run.oof,
      options: { minSize: 10 },
    };
    const result = await engine.errorAnalysis(ds.id, spec);
    const wrong = run.oof.truth.filter((t, i) => t !== run.oof.predicted[i]).length;
    expect(result).toMatchObject({ task: 'classification', rows: e.rows, datasetRows: 150, errors: wrong });
    expect(result.overall.value).toBeCloseTo(wrong / e.rows, 12);
    expect(result.columns).toEqual(ds.columns.map((c) => c.name).filter((c) => c !== 'target'));
    expect(result.worst).toHaveLength(wrong);
    for (let i = 1; i < result.worst.length; i++) {
      expect(result.worst[i - 1]!.confidence!).toBeGreaterThanOrEqual(result.worst[i]!.confidence!);
    }
    // Worst rows carry the values of the dataset's row they name (the filter dropped rows before it).
    const table = await engine
      .rows(ds.id, 0, 150)
      .then((bytes) => import('apache-arrow').then((a) => a.tableFromIPC(bytes)));
    for (const w of result.worst) {
      expect(w.truth).not.toBe(w.predicted);
      expect(w.values[0]).toBe(table.getChild('sepal length (cm)')!.get(w.row));
      expect(w.values[0] as number).toBeGreaterThan(5);
      expect(table.getChild('target')!.get(w.row)).toBe(w.truth);
    }

    // A confusion cell's rows: as many as the matrix counts, all with the truth it names.
    const cm = run.plots.confusion!.matrix;
    const [t, p] = [1, 2];
    const cell = await engine.errorRows(ds.id, spec, { kind: 'cell', truth: t, predicted: p });
    expect(cell.length).toBe(cm[t]![p]!);
    for (const row of cell) expect(table.getChild('target')!.get(row)).toBe(e.classes![t]);
    const worst = await engine.errorRows(ds.id, spec, { kind: 'worst', count: 1000 });
    expect(Array.from(worst)).toEqual(result.worst.map((w) => w.row).sort((a, b) => a - b));

    // A slice's rows: its size, and every row meets its conditions.
    const slice = result.slices[0]!;
    const rows = await engine.errorRows(ds.id, spec, { kind: 'slice', conditions: slice.conditions });
    expect(rows.length).toBe(slice.size);
    for (const row of rows) {
      expect(table.getChild('sepal length (cm)')!.get(row)).toBeGreaterThan(5);
      for (const c of slice.conditions) {
        if (c.kind !== 'range') continue;
        const v = table.getChild(c.column)!.get(row) as number;
        if (c.low !== null) expect(v).toBeGreaterThan(c.low);
        if (c.high !== null) expect(v).toBeLessThanOrEqual(c.high);
      }
    }
  });

  it('diabetes regression: MAE with its t interval, worst rows by absolute residual', async () => {
    const engine = createNodeEngine();
    const ds = await engine.loadSample('diabetes');
    const notebook: Notebook = { ...emptyNotebook(), target: 'target' };
    const e = await engine.trainModels(ds.id, {
      notebook,
      target: 'target',
      split: { kind: 'kfold', k: 5 },
      models: [{ name: 'Ridge', params: {} }],
      seed: 1,
    });
    const { oof } = e.models[0]!;
    expect(oof.probability).toBeUndefined();
    const result = await engine.errorAnalysis(ds.id, {
      notebook,
      target: 'target',
      task: 'regression',
      classes: null,
      rows: e.rows,
      oof,
    });
    const residuals = oof.truth.map((t, i) => Math.abs(t - oof.predicted[i]!));
    const mae = residuals.reduce((s, r) => s + r, 0) / residuals.length;
    expect(result).toMatchObject({ task: 'regression', metric: 'mean absolute error', rows: 442 });
    expect(result.overall.value).toBeCloseTo(mae, 9);
    expect(result.overall.ciLow).toBeLessThan(mae);
    expect(result.overall.ciHigh).toBeGreaterThan(mae);
    expect(result.worst).toHaveLength(50);
    expect(result.worst[0]!.error).toBeCloseTo(Math.max(...residuals), 9);
    for (let i = 1; i < result.worst.length; i++) {
      expect(result.worst[i - 1]!.error).toBeGreaterThanOrEqual(result.worst[i]!.error);
    }
    expect(result.worst[0]!.confidence).toBeNull();
    expect(result.slices.every((s) => s.value > s.rest)).toBe(true);
  });

  it('refuses a run whose filters changed, and clustering runs', async () => {
    const engine = createNodeEngine();
    const ds = await engine.loadSample('iris');
    const oof = { rows: [0, 1], truth: [0, 0], predicted: [0, 1], fold: [0, 0] };
    const spec: ErrorAnalysisSpec = {
      notebook: { ...emptyNotebook(), target: 'target' },
      target: 'target',
      task: 'classification',
      classes: ['setosa', 'versicolor', 'virginica'],
      rows: 120,
      oof,
    };
    await expect(engine.errorAnalysis(ds.id, spec)).rejects.toThrow(/saw 120 rows.*now keep 150/);
    await expect(engine.errorAnalysis(ds.id, { ...spec, rows: 150, task: 'clustering' })).rejects.toThrow(
      /needs a run with a target/,
    );
  });
});
