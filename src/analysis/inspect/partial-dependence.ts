/**
 * Partial dependence and ICE curves of a deployed model (sklearn.inspection.partial_dependence,
 * method 'brute'): every row of a dataset predicted at every grid value of one feature, in batches
 * of rows × grid.
 */
import type { Table } from 'apache-arrow';
import { cooperate } from '../../core/cooperate';
import { EngineError } from '../../core/errors';
import {
  boolData,
  floatData,
  frameFrom,
  labelData,
  logicalType,
  type OutColumn,
  outColumn,
  readLabels,
  readNumeric,
  rebuild,
  takeRows,
} from '../../core/frame';
import { linspace } from '../../core/percentile';
import { createRng } from '../../core/rng';
import type { FeatureContract, Predictor } from '../../runtime';
import type { PartialDependenceOptions, PartialDependenceResult } from '../deploy/types';
import { type InspectContext, isCategorical, sampleRows } from './common';

/** Predictions per batch: bounds memory (probabilities are per-row arrays) and the time to cancel. */
const BATCH_PREDICTIONS = 60_000;

/**
 * scipy.stats.mstats.mquantiles with its defaults (alphap = betap = 0.4), which sklearn's
 * `_grid_from_X` uses for the ends of the grid — not numpy's linear percentile.
 */
export function mquantiles(sorted: ArrayLike<number>, probs: readonly number[]): number[] {
  const n = sorted.length;
  return probs.map((p) => {
    if (n === 0) return Number.NaN;
    if (n === 1) return sorted[0]!;
    const m = 0.4 + p * (1 - 0.4 - 0.4);
    const aleph = n * p + m;
    const k = Math.floor(Math.min(Math.max(aleph, 1), n - 1));
    const gamma = Math.min(Math.max(aleph - k, 0), 1);
    return (1 - gamma) * sorted[k - 1]! + gamma * sorted[k]!;
  });
}

function sortedFinite(values: Float64Array): Float64Array {
  return values.filter((v) => Number.isFinite(v)).sort();
}

function distinctSorted(sorted: Float64Array): number[] {
  const out: number[] = [];
  for (const v of sorted) if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  return out;
}

/**
 * The grid of one feature, as sklearn builds it: the distinct values when there are fewer than
 * `resolution` (or the feature is categorical), else `resolution` evenly spaced values between
 * the two percentiles. An integer feature's grid is rounded to integers (the runtime refuses
 * fractions there), so it can be shorter than sklearn's.
 */
export function featureGrid(
  f: FeatureContract,
  table: Table,
  resolution: number,
  percentiles: [number, number],
): (number | string | boolean)[] {
  const vector = table.getChild(f.name)!;
  if (f.type === 'boolean') return [false, true];
  if (isCategorical(f)) {
    const labels = f.categories ?? [...readLabels(vector).labels].sort();
    if (labels.length === 0) throw noGrid(f.name, 'it has no values');
    return [...labels];
  }
  const sorted = sortedFinite(readNumeric(vector));
  const uniques = distinctSorted(sorted);
  if (uniques.length === 0) throw noGrid(f.name, 'every value is missing');
  if (uniques.length < resolution) return uniques;
  const [lo, hi] = mquantiles(sorted, percentiles) as [number, number];
  // np.allclose's test, as sklearn: the grid would be one point.
  if (Math.abs(lo - hi) <= 1e-8 + 1e-5 * Math.abs(hi)) {
    throw noGrid(
      f.name,
      `its ${percentiles[0] * 100}th and ${percentiles[1] * 100}th percentiles are equal`,
      {
        hint: 'Choose percentiles further apart.',
      },
    );
  }
  const grid = linspace(lo, hi, resolution);
  return f.type === 'integer' ? distinctSorted(Float64Array.from(grid, Math.round)) : grid;
}

function noGrid(feature: string, why: string, detail: { hint?: string } = {}): EngineError {
  return new EngineError('InvalidArgument', `Cannot build a grid for "${feature}": ${why}.`, detail);
}

function checkPdpOptions(o: PartialDependenceOptions): Required<PartialDependenceOptions> {
  const resolution = o.gridResolution ?? 100;
  const percentiles = o.percentiles ?? [0.05, 0.95];
  const iceRows = o.iceRows ?? 50;
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > 1000)
    throw new EngineError(
      'InvalidArgument',
      `The grid resolution must be an integer from 2 to 1000, got ${resolution}.`,
    );
  const [lo, hi] = percentiles;
  if (!(lo >= 0 && hi <= 1 && lo < hi))
    throw new EngineError(
      'InvalidArgument',
      `The percentiles must satisfy 0 ≤ low < high ≤ 1, got (${lo}, ${hi}).`,
    );
  if (!Number.isInteger(iceRows) || iceRows < 0)
    throw new EngineError(
      'InvalidArgument',
      `The number of ICE curves must be a whole number ≥ 0, got ${iceRows}.`,
    );
  return { gridResolution: resolution, percentiles: [lo, hi], iceRows, seed: o.seed ?? 0 };
}

/** The grid column: one grid value per block of `rows` rows, the grid's order outside. */
function gridColumn(f: FeatureContract, grid: (number | string | boolean)[], rows: number): OutColumn {
  const n = grid.length * rows;
  if (f.type === 'boolean')
    return outColumn(
      f.name,
      'boolean',
      boolData(Uint8Array.from({ length: n }, (_, i) => (grid[Math.floor(i / rows)] ? 1 : 0))),
    );
  if (isCategorical(f)) {
    const labels = grid.map(String);
    return outColumn(
      f.name,
      'categorical',
      labelData(
        Int32Array.from({ length: n }, (_, i) => Math.floor(i / rows)),
        labels,
      ),
    );
  }
  return outColumn(
    f.name,
    'float',
    floatData(Float64Array.from({ length: n }, (_, i) => grid[Math.floor(i / rows)] as number)),
  );
}

/**
 * Partial dependence of `feature` over every row of `table`, and ICE curves of a seeded sample of
 * rows. Classifiers: the mean probability of each class (the share predicted, for a model without
 * probabilities); regressors: the mean prediction. Rows the runtime cannot score at a grid value
 * are left out of that value's mean.
 */
export async function partialDependence(
  predictor: Predictor,
  table: Table,
  feature: string,
  options: PartialDependenceOptions,
  ctx: InspectContext,
): Promise<PartialDependenceResult> {
  const started = Date.now();
  const o = checkPdpOptions(options);
  const a = predictor.artifact;
  if (a.task === 'clustering')
    throw new EngineError(
      'InvalidArgument',
      'Partial dependence needs a classifier or a regressor, not a clustering.',
    );
  const contract = a.contract.features;
  const f = contract.find((x) => x.name === feature);
  if (!f) {
    throw new EngineError('InvalidArgument', `"${feature}" is not an input of this model.`, {
      hint: `Pick one of: ${contract.map((x) => x.name).join(', ')}.`,
    });
  }
  const names = new Set(table.schema.fields.map((x) => x.name));
  const absent = contract.filter((x) => !names.has(x.name)).map((x) => `"${x.name}"`);
  if (absent.length > 0) {
    throw new EngineError(
      'SchemaError',
      `The dataset lacks the model's input ${absent.length === 1 ? 'column' : 'columns'} ${absent.join(', ')}.`,
      {
        hint: 'Compute partial dependence on the dataset the model was fitted on.',
      },
    );
  }
  const grid = featureGrid(f, table, o.gridResolution, o.percentiles);
  const classes = a.task === 'classification' ? (a.contract.target?.classes ?? []) : null;
  const outputs = classes ?? [a.contract.target?.name ?? 'prediction'];
  const n = table.numRows;
  const G = grid.length;
  const K = outputs.length;
  const inputs = frameFrom(
    contract.map((c) => ({
      name: c.name,
      type: logicalType(table.schema.fields.find((x) => x.name === c.name)!),
      vector: table.getChild(c.name)!,
    })),
    n,
    'partial dependence',
  );
  const iceRows = sampleRows(n, o.iceRows, createRng(o.seed));
  const iceIndex = new Map(iceRows.map((r, k) => [r, k]));
  const ice = outputs.map(() => iceRows.map(() => new Array<number>(G).fill(Number.NaN)));
  const sums = new Float64Array(K * G);
  const counts = new Float64Array(G);
  const scoredAny = new Uint8Array(n);
  const rowsPerBatch = Math.max(1, Math.floor(BATCH_PREDICTIONS / G));

  for (let start = 0; start < n; start += rowsPerBatch) {
    await cooperate(ctx.signal);
    const m = Math.min(rowsPerBatch, n - start);
    // Rows start..start+m, once per grid value (grid-major), with the feature set to that value.
    const indices = Int32Array.from({ length: m * G }, (_, i) => start + (i % m));
    const repeated = rebuild(
      takeRows(inputs, indices, 'partial dependence'),
      'partial dependence',
      new Map([[f.name, [gridColumn(f, grid, m)]]]),
    );
    const res = await predictor.predict(repeated, { compute: ctx.compute, signal: ctx.signal });
    for (let g = 0; g < G; g++) {
      for (let i = 0; i < m; i++) {
        const at = g * m + i;
        const pred = res.predictions[at];
        if (pred === null || pred === undefined) continue;
        const row = start + i;
        scoredAny[row] = 1;
        counts[g]! += 1;
        const curve = iceIndex.get(row);
        for (let k = 0; k < K; k++) {
          const v = classes
            ? (res.probabilities?.[at]?.[k] ?? (pred === classes[k] ? 1 : 0))
            : (pred as number);
          sums[k * G + g]! += v;
          if (curve !== undefined) ice[k]![curve]![g] = v;
        }
      }
    }
    ctx.progress((start + m) / n, `Predicted ${start + m} of ${n} rows at ${G} values of ${feature}`);
  }
  let unscored = 0;
  for (const s of scoredAny) if (!s) unscored++;
  const deciles = isCategorical(f)
    ? []
    : mquantiles(
        sortedFinite(readNumeric(table.getChild(f.name)!)),
        Array.from({ length: 9 }, (_, i) => (i + 1) / 10),
      );
  return {
    feature,
    kind: isCategorical(f) ? 'categorical' : 'numeric',
    grid,
    outputs,
    average: outputs.map((_, k) =>
      Array.from({ length: G }, (_, g) => (counts[g]! > 0 ? sums[k * G + g]! / counts[g]! : Number.NaN)),
    ),
    iceRows,
    ice,
    rows: n,
    unscoredRows: unscored,
    deciles,
    predictions: n * G,
    ms: Date.now() - started,
  };
}
