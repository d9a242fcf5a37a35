/**
 * Inspecting a deployed model (worker side), always through benchtop-runtime's predictor so the
 * numbers are the deployment's own:
 * - partial dependence and ICE curves (sklearn.inspection.partial_dependence, method 'brute'):
 *   every row of a dataset predicted at every grid value of one feature, in batches of rows × grid;
 * - the nearest counterfactual of a classified row: the smallest change (L1 over numeric features
 *   scaled by their observed range, plus 1 per changed category) that flips the prediction, found
 *   by a seeded growing-spheres search (Laugel et al. 2017) plus exact one-feature sweeps, then
 *   made sparse and shrunk feature by feature.
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
import { createRng, type Rng } from '../../core/rng';
import type { Compute } from '../../gpu/device';
import type { FeatureContract, Predictor } from '../../runtime';
import type {
  CellValue,
  CounterfactualChange,
  CounterfactualOptions,
  CounterfactualResult,
  PartialDependenceOptions,
  PartialDependenceResult,
} from '../deploy/types';

export interface InspectContext {
  compute: Compute | null;
  signal: AbortSignal;
  /** Fraction done in [0, 1] and what is happening. */
  progress(fraction: number, note: string): void;
}

/** Predictions per batch: bounds memory (probabilities are per-row arrays) and the time to cancel. */
const BATCH_PREDICTIONS = 60_000;
const NUMERIC: ReadonlySet<string> = new Set(['integer', 'float', 'date', 'datetime']);

// ── Partial dependence ────────────────────────────────────────────────────────────────────────

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

const isCategorical = (f: FeatureContract) => !NUMERIC.has(f.type);

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

/** `k` distinct indexes of [0, n), drawn with `rng` (partial Fisher–Yates), ascending. */
export function sampleRows(n: number, k: number, rng: Rng): number[] {
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  const pool = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    out.push(pool.get(j) ?? j);
    pool.set(j, pool.get(i) ?? i);
  }
  return out.sort((a, b) => a - b);
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

// ── Nearest counterfactual ────────────────────────────────────────────────────────────────────

type Row = Record<string, CellValue>;

interface NumericAxis {
  name: string;
  integer: boolean;
  x0: number;
  /** Observed range (the distance's scale) and the search box: the range, widened to hold x0. */
  range: number;
  lo: number;
  hi: number;
}

interface CategoricalAxis {
  name: string;
  x0: CellValue;
  /** The values it may take other than x0. */
  others: CellValue[];
}

interface Candidate {
  row: Row;
  distance: number;
}

interface Scored {
  flipped: boolean;
  prediction: string | null;
  probability: number | null;
}

function numberOf(v: CellValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return Number.NaN;
}

function sameValue(a: CellValue, b: CellValue): boolean {
  return a === b || (a !== null && b !== null && String(a) === String(b));
}

/**
 * The nearest row to `row` (see the module comment for the distance) that the model classifies as
 * `targetClass`, or as any other class than `row`'s; within the contract's observed ranges and
 * categories, changing only the allowed features. Deterministic for a seed.
 */
export async function counterfactual(
  predictor: Predictor,
  row: Row,
  options: CounterfactualOptions,
  ctx: InspectContext,
): Promise<CounterfactualResult> {
  const a = predictor.artifact;
  const classes = a.task === 'classification' ? (a.contract.target?.classes ?? null) : null;
  if (!classes) {
    throw new EngineError(
      'InvalidArgument',
      'A counterfactual flips a predicted class: it needs a classifier.',
      {
        hint: 'For a regressor, move the fields in the what-if form and watch the prediction.',
      },
    );
  }
  if (typeof row !== 'object' || row === null || Array.isArray(row))
    throw new EngineError('InvalidArgument', 'counterfactual takes one row as an object of feature values.');
  const rng = createRng(options.seed ?? 0);
  const perLayer = options.samplesPerLayer ?? 400;
  if (!Number.isInteger(perLayer) || perLayer < 10 || perLayer > 20_000)
    throw new EngineError(
      'InvalidArgument',
      `samplesPerLayer must be an integer from 10 to 20000, got ${perLayer}.`,
    );
  const contract = a.contract.features;
  const allowed = options.features ?? null;
  if (allowed) {
    const unknown = allowed.filter((x) => !contract.some((f) => f.name === x));
    if (unknown.length > 0)
      throw new EngineError(
        'InvalidArgument',
        `Not inputs of this model: ${unknown.map((x) => `"${x}"`).join(', ')}.`,
      );
  }

  let evaluated = 0;
  const predict = async (rows: Row[]) => {
    await cooperate(ctx.signal);
    evaluated += rows.length;
    return predictor.predict(rows, { compute: ctx.compute, signal: ctx.signal });
  };
  const first = await predict([row]);
  const original = first.predictions[0] as string | null;
  if (original === null) {
    const why = first.drift.filter((d) => d.issue === 'missing').map((d) => `"${d.column}"`);
    throw new EngineError(
      'InvalidArgument',
      `The model cannot score this row${why.length ? `: ${why.join(', ')} ${why.length === 1 ? 'is' : 'are'} missing` : ''}.`,
      {
        hint: 'Fill the missing values first.',
      },
    );
  }
  const target = options.targetClass ?? null;
  if (target !== null) {
    if (!classes.includes(target))
      throw new EngineError(
        'InvalidArgument',
        `"${target}" is not a class of this model (${classes.join(', ')}).`,
      );
    if (target === original)
      throw new EngineError(
        'InvalidArgument',
        `The row is already predicted as "${target}"; pick another class.`,
      );
  }
  const isFlip = (p: string | number | null | undefined) =>
    target !== null ? p === target : p !== null && p !== undefined && p !== original;

  const numeric: NumericAxis[] = [];
  const categorical: CategoricalAxis[] = [];
  const fixed: string[] = [];
  for (const f of contract) {
    const may = allowed === null || allowed.includes(f.name);
    const x = row[f.name] ?? null;
    if (may && (f.type === 'integer' || f.type === 'float')) {
      const x0 = numberOf(x);
      if (Number.isFinite(x0) && f.min !== undefined && f.max !== undefined && f.max > f.min) {
        numeric.push({
          name: f.name,
          integer: f.type === 'integer',
          x0,
          range: f.max - f.min,
          lo: Math.min(f.min, x0),
          hi: Math.max(f.max, x0),
        });
        continue;
      }
    } else if (may && f.type === 'boolean') {
      const b = x === true || x === 'true' || x === 'True' || x === 1;
      categorical.push({ name: f.name, x0: x, others: [!b] });
      continue;
    } else if (may && isCategorical(f) && f.categories && f.categories.length > 0) {
      const others = f.categories.filter((c) => !sameValue(c, x));
      if (others.length > 0) {
        categorical.push({ name: f.name, x0: x, others });
        continue;
      }
    }
    fixed.push(f.name);
  }
  const notFound = (message: string): CounterfactualResult => ({
    found: false,
    message,
    originalPrediction: original,
    row: null,
    prediction: null,
    probability: null,
    changes: [],
    distance: Number.NaN,
    evaluated,
    fixed,
  });
  if (numeric.length === 0 && categorical.length === 0)
    return notFound('No feature may change: allow at least one numeric or categorical feature.');

  const distance = (r: Row) => {
    let d = 0;
    for (const ax of numeric) d += Math.abs((r[ax.name] as number) - ax.x0) / ax.range;
    for (const ax of categorical) if (!sameValue(r[ax.name] ?? null, ax.x0)) d += 1;
    return d;
  };
  const clampValue = (ax: NumericAxis, v: number) => {
    const c = Math.min(ax.hi, Math.max(ax.lo, v));
    return ax.integer ? Math.min(ax.hi, Math.max(ax.lo, Math.round(c))) : c;
  };
  const base: Row = { ...row };
  for (const ax of numeric) base[ax.name] = ax.x0;
  const withChanges = (from: Row, changes: Row): Row => ({ ...from, ...changes });

  /** Predicts candidate rows in batches; flags and the prediction of each. */
  const score = async (rows: Row[]): Promise<Scored[]> => {
    const out: Scored[] = [];
    for (let s = 0; s < rows.length; s += 2000) {
      const res = await predict(rows.slice(s, s + 2000));
      res.predictions.forEach((p, i) => {
        const k = typeof p === 'string' ? classes.indexOf(p) : -1;
        out.push({
          flipped: isFlip(p),
          prediction: (p as string | null) ?? null,
          probability: k >= 0 ? (res.probabilities?.[i]?.[k] ?? null) : null,
        });
      });
    }
    return out;
  };
  let best: Candidate | null = null;
  const consider = (r: Row) => {
    const d = distance(r);
    if (!best || d < best.distance - 1e-12) best = { row: r, distance: d };
  };

  // 1. One feature at a time: a ray from x0 to each end of its range (refined three times around
  // the first flip), and every other value of each category. Exact for the sparse answers.
  const STEPS = 24;
  ctx.progress(0, 'Changing one feature at a time');
  type Ray = { ax: NumericAxis; from: number; to: number };
  let rays: Ray[] = numeric
    .flatMap((ax) => [
      { ax, from: ax.x0, to: ax.lo },
      { ax, from: ax.x0, to: ax.hi },
    ])
    .filter((r) => r.to !== r.from);
  const singles: Row[] = categorical.flatMap((ax) =>
    ax.others.map((v) => withChanges(base, { [ax.name]: v })),
  );
  for (let round = 0; round < 4 && (rays.length > 0 || singles.length > 0); round++) {
    const points = rays.map((r) => {
      const vs: number[] = [];
      for (let s = 1; s <= STEPS; s++) {
        const v = clampValue(r.ax, r.from + ((r.to - r.from) * s) / STEPS);
        if (vs[vs.length - 1] !== v) vs.push(v);
      }
      return vs;
    });
    const rows = [
      ...singles,
      ...rays.flatMap((r, k) => points[k]!.map((v) => withChanges(base, { [r.ax.name]: v }))),
    ];
    const scored = await score(rows);
    singles.forEach((r, i) => {
      if (scored[i]!.flipped) consider(r);
    });
    singles.length = 0;
    let at = rows.length - rays.reduce((t, _, k) => t + points[k]!.length, 0);
    const next: Ray[] = [];
    rays.forEach((r, k) => {
      const vs = points[k]!;
      const hit = vs.findIndex((_, i) => scored[at + i]!.flipped);
      if (hit >= 0) {
        consider(withChanges(base, { [r.ax.name]: vs[hit]! }));
        const before = hit === 0 ? r.from : vs[hit - 1]!;
        // Narrow the bracket (previous point, first flip) while it is wider than an integer step.
        if (!r.ax.integer || Math.abs(vs[hit]! - before) > 1)
          next.push({ ax: r.ax, from: before, to: vs[hit]! });
      }
      at += vs.length;
    });
    rays = next;
  }

  // 2. Growing spheres: candidates in L1 shells around x0 (numeric changes in range units, each
  // category change costs 1), first shrinking the ball until it holds no flip, then growing it.
  const maxRadius =
    numeric.reduce((t, ax) => t + Math.max(ax.x0 - ax.lo, ax.hi - ax.x0) / ax.range, 0) + categorical.length;
  const draw = (rLow: number, rHigh: number): Row => {
    const dims = Math.max(1, numeric.length);
    const u = rng.next();
    let rho = (rLow ** dims + u * (rHigh ** dims - rLow ** dims)) ** (1 / dims);
    const changes: Row = {};
    const maxCats = Math.min(categorical.length, Math.floor(rho));
    const cats =
      numeric.length === 0
        ? Math.max(1, Math.min(categorical.length, Math.round(rho)))
        : rng.int(maxCats + 1);
    const order = sampleRows(categorical.length, cats, rng);
    for (const k of order) {
      const ax = categorical[k]!;
      changes[ax.name] = ax.others[rng.int(ax.others.length)]!;
    }
    rho -= cats;
    if (numeric.length > 0 && rho > 0) {
      const e = numeric.map(() => -Math.log(1 - rng.next()));
      const total = e.reduce((t, x) => t + x, 0);
      numeric.forEach((ax, j) => {
        const sign = rng.next() < 0.5 ? -1 : 1;
        changes[ax.name] = clampValue(ax, ax.x0 + sign * ((rho * e[j]!) / total) * ax.range);
      });
    }
    return withChanges(base, changes);
  };
  const sphere = async (rLow: number, rHigh: number): Promise<Row[]> => {
    const rows = Array.from({ length: perLayer }, () => draw(rLow, rHigh));
    const scored = await score(rows);
    return rows.filter((_, i) => scored[i]!.flipped);
  };
  let radius = Math.min(0.1, maxRadius);
  let enemies = await sphere(0, radius);
  for (let halvings = 0; enemies.length > 0 && halvings < 8; halvings++) {
    radius /= 2;
    const inner = await sphere(0, radius);
    if (inner.length === 0) break;
    enemies = inner;
  }
  const step = Math.max(radius, maxRadius / 60);
  let low = radius;
  while (enemies.length === 0 && low < maxRadius) {
    const high = Math.min(maxRadius, low + step);
    ctx.progress(Math.min(0.9, high / maxRadius), `Searching changes up to distance ${high.toFixed(2)}`);
    enemies = await sphere(low, high);
    low = high;
  }

  // 3. Make the nearest enemy sparse (undo changes that are not needed) and shrink each change.
  if (enemies.length > 0) {
    let current = enemies.reduce((b, r) => (distance(r) < distance(b) ? r : b));
    const changed = () =>
      [...numeric, ...categorical].filter((ax) => !sameValue(current[ax.name] ?? null, ax.x0));
    for (;;) {
      const undo = changed().map((ax) => withChanges(current, { [ax.name]: ax.x0 }));
      if (undo.length === 0) break;
      const scored = await score(undo);
      const keep = undo.filter((_, i) => scored[i]!.flipped);
      if (keep.length === 0) break;
      current = keep.reduce((b, r) => (distance(r) < distance(b) ? r : b));
    }
    for (let sweep = 0; sweep < 2; sweep++) {
      for (const ax of numeric) {
        let far = current[ax.name] as number;
        let near = ax.x0;
        if (far === near) continue;
        // Bisect in batches: the flip is at `far`; find the point nearest x0 that still flips.
        for (let round = 0; round < 3 && Math.abs(far - near) > (ax.integer ? 1 : ax.range * 1e-9); round++) {
          const vs = Array.from({ length: STEPS }, (_, s) =>
            clampValue(ax, near + ((far - near) * s) / STEPS),
          );
          const scored = await score(vs.map((v) => withChanges(current, { [ax.name]: v })));
          const hit = scored.findIndex((s) => s.flipped);
          if (hit < 0) {
            near = vs[STEPS - 1]!;
            continue;
          }
          far = vs[hit]!;
          near = hit === 0 ? near : vs[hit - 1]!;
          if (hit === 0) break;
        }
        current = withChanges(current, { [ax.name]: far });
      }
    }
    consider(current);
  }

  const found = best as Candidate | null;
  if (!found) {
    const what = target !== null ? `"${target}"` : 'another class';
    return notFound(
      `No change within the observed ranges${allowed ? ' of the allowed features' : ''} makes the model predict ${what}.`,
    );
  }
  const [last] = await score([found.row]);
  const changes: CounterfactualChange[] = [];
  for (const ax of numeric) {
    const to = found.row[ax.name] as number;
    if (to !== ax.x0)
      changes.push({
        feature: ax.name,
        from: row[ax.name] ?? null,
        to,
        cost: Math.abs(to - ax.x0) / ax.range,
      });
  }
  for (const ax of categorical) {
    const to = found.row[ax.name] ?? null;
    if (!sameValue(to, ax.x0)) changes.push({ feature: ax.name, from: ax.x0, to, cost: 1 });
  }
  changes.sort((p, q) => q.cost - p.cost);
  ctx.progress(1, 'Done');
  return {
    found: true,
    message: null,
    originalPrediction: original,
    row: found.row,
    prediction: last!.prediction,
    probability: last!.probability,
    changes,
    distance: found.distance,
    evaluated,
    fixed,
  };
}
