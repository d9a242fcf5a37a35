/**
 * The nearest counterfactual of a classified row: the smallest change (L1 over numeric features
 * scaled by their observed range, plus 1 per changed category) that flips the prediction, found by
 * exact one-feature sweeps and a seeded growing-spheres search (Laugel et al. 2017), then made
 * sparse and shrunk feature by feature. Always predicted through benchtop-runtime's predictor.
 */
import { cooperate } from '../../core/cooperate';
import { EngineError } from '../../core/errors';
import { createRng, type Rng } from '../../core/rng';
import type { FeatureContract, Predictor } from '../../runtime';
import type {
  CellValue,
  CounterfactualChange,
  CounterfactualOptions,
  CounterfactualResult,
} from '../deploy/types';
import { type InspectContext, isCategorical, sampleRows } from './common';

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

interface Axes {
  numeric: NumericAxis[];
  categorical: CategoricalAxis[];
  /** Features that may not (or cannot) change. */
  fixed: string[];
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

/** Points per ray in the one-feature sweeps and per bisection round. */
const STEPS = 24;

function numberOf(v: CellValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return Number.NaN;
}

function sameValue(a: CellValue, b: CellValue): boolean {
  return a === b || (a !== null && b !== null && String(a) === String(b));
}

const withChanges = (from: Row, changes: Row): Row => ({ ...from, ...changes });

/** The classes of a classifier, the samples per shell and the allowed features, or a named error. */
function checkRequest(predictor: Predictor, row: Row, options: CounterfactualOptions) {
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
  const perLayer = options.samplesPerLayer ?? 400;
  if (!Number.isInteger(perLayer) || perLayer < 10 || perLayer > 20_000)
    throw new EngineError(
      'InvalidArgument',
      `samplesPerLayer must be an integer from 10 to 20000, got ${perLayer}.`,
    );
  const allowed = options.features ?? null;
  if (allowed) {
    const unknown = allowed.filter((x) => !a.contract.features.some((f) => f.name === x));
    if (unknown.length > 0)
      throw new EngineError(
        'InvalidArgument',
        `Not inputs of this model: ${unknown.map((x) => `"${x}"`).join(', ')}.`,
      );
  }
  return { classes, perLayer, allowed };
}

/** The axes the search may move along: numeric ranges and the other values of each category. */
function searchAxes(contract: readonly FeatureContract[], row: Row, allowed: readonly string[] | null): Axes {
  const axes: Axes = { numeric: [], categorical: [], fixed: [] };
  for (const f of contract) {
    const may = allowed === null || allowed.includes(f.name);
    const x = row[f.name] ?? null;
    if (may && (f.type === 'integer' || f.type === 'float')) {
      const x0 = numberOf(x);
      if (Number.isFinite(x0) && f.min !== undefined && f.max !== undefined && f.max > f.min) {
        const { name } = f;
        const range = f.max - f.min;
        axes.numeric.push({
          name,
          integer: f.type === 'integer',
          x0,
          range,
          lo: Math.min(f.min, x0),
          hi: Math.max(f.max, x0),
        });
        continue;
      }
    } else if (may && f.type === 'boolean') {
      const b = x === true || x === 'true' || x === 'True' || x === 1;
      axes.categorical.push({ name: f.name, x0: x, others: [!b] });
      continue;
    } else if (may && isCategorical(f) && f.categories && f.categories.length > 0) {
      const others = f.categories.filter((c) => !sameValue(c, x));
      if (others.length > 0) {
        axes.categorical.push({ name: f.name, x0: x, others });
        continue;
      }
    }
    axes.fixed.push(f.name);
  }
  return axes;
}

/** The search state: scoring candidates through the predictor and keeping the nearest flip. */
class Search {
  evaluated = 0;
  best: Candidate | null = null;
  readonly base: Row;

  constructor(
    private readonly predictor: Predictor,
    private readonly ctx: InspectContext,
    private readonly classes: readonly string[],
    readonly axes: Axes,
    private readonly isFlip: (p: string | number | null | undefined) => boolean,
    row: Row,
  ) {
    this.base = { ...row };
    for (const ax of axes.numeric) this.base[ax.name] = ax.x0;
  }

  distance(r: Row): number {
    let d = 0;
    for (const ax of this.axes.numeric) d += Math.abs((r[ax.name] as number) - ax.x0) / ax.range;
    for (const ax of this.axes.categorical) if (!sameValue(r[ax.name] ?? null, ax.x0)) d += 1;
    return d;
  }

  clamp(ax: NumericAxis, v: number): number {
    const c = Math.min(ax.hi, Math.max(ax.lo, v));
    return ax.integer ? Math.min(ax.hi, Math.max(ax.lo, Math.round(c))) : c;
  }

  consider(r: Row): void {
    const d = this.distance(r);
    if (!this.best || d < this.best.distance - 1e-12) this.best = { row: r, distance: d };
  }

  nearest(rows: Row[]): Row {
    return rows.reduce((b, r) => (this.distance(r) < this.distance(b) ? r : b));
  }

  /** Predicts candidate rows in batches; flags and the prediction of each. */
  async score(rows: Row[]): Promise<Scored[]> {
    const out: Scored[] = [];
    for (let s = 0; s < rows.length; s += 2000) {
      await cooperate(this.ctx.signal);
      const batch = rows.slice(s, s + 2000);
      this.evaluated += batch.length;
      const res = await this.predictor.predict(batch, { compute: this.ctx.compute, signal: this.ctx.signal });
      res.predictions.forEach((p, i) => {
        const k = typeof p === 'string' ? this.classes.indexOf(p) : -1;
        out.push({
          flipped: this.isFlip(p),
          prediction: (p as string | null) ?? null,
          probability: k >= 0 ? (res.probabilities?.[i]?.[k] ?? null) : null,
        });
      });
    }
    return out;
  }
}

type Ray = { ax: NumericAxis; from: number; to: number };

/**
 * 1. One feature at a time: a ray from x0 to each end of its range (refined three times around
 * the first flip), and every other value of each category. Exact for the sparse answers.
 */
async function oneFeatureSweeps(search: Search): Promise<void> {
  const { numeric, categorical } = search.axes;
  let rays: Ray[] = numeric
    .flatMap((ax) => [
      { ax, from: ax.x0, to: ax.lo },
      { ax, from: ax.x0, to: ax.hi },
    ])
    .filter((r) => r.to !== r.from);
  const singles: Row[] = categorical.flatMap((ax) =>
    ax.others.map((v) => withChanges(search.base, { [ax.name]: v })),
  );
  for (let round = 0; round < 4 && (rays.length > 0 || singles.length > 0); round++) {
    const points = rays.map((r) => {
      const vs: number[] = [];
      for (let s = 1; s <= STEPS; s++) {
        const v = search.clamp(r.ax, r.from + ((r.to - r.from) * s) / STEPS);
        if (vs[vs.length - 1] !== v) vs.push(v);
      }
      return vs;
    });
    const rows = [
      ...singles,
      ...rays.flatMap((r, k) => points[k]!.map((v) => withChanges(search.base, { [r.ax.name]: v }))),
    ];
    const scored = await search.score(rows);
    singles.forEach((r, i) => {
      if (scored[i]!.flipped) search.consider(r);
    });
    let at = singles.length;
    singles.length = 0;
    const next: Ray[] = [];
    rays.forEach((r, k) => {
      const vs = points[k]!;
      const hit = vs.findIndex((_, i) => scored[at + i]!.flipped);
      if (hit >= 0) {
        search.consider(withChanges(search.base, { [r.ax.name]: vs[hit]! }));
        const before = hit === 0 ? r.from : vs[hit - 1]!;
        // Narrow the bracket (previous point, first flip) while it is wider than an integer step.
        if (!r.ax.integer || Math.abs(vs[hit]! - before) > 1)
          next.push({ ax: r.ax, from: before, to: vs[hit]! });
      }
      at += vs.length;
    });
    rays = next;
  }
}

/** A random row in the L1 shell [rLow, rHigh) around x0 (numeric changes in range units, each
 * category change costing 1). */
function drawInShell(search: Search, rng: Rng, rLow: number, rHigh: number): Row {
  const { numeric, categorical } = search.axes;
  const dims = Math.max(1, numeric.length);
  let rho = (rLow ** dims + rng.next() * (rHigh ** dims - rLow ** dims)) ** (1 / dims);
  const changes: Row = {};
  const maxCats = Math.min(categorical.length, Math.floor(rho));
  const cats =
    numeric.length === 0 ? Math.max(1, Math.min(categorical.length, Math.round(rho))) : rng.int(maxCats + 1);
  for (const k of sampleRows(categorical.length, cats, rng)) {
    const ax = categorical[k]!;
    changes[ax.name] = ax.others[rng.int(ax.others.length)]!;
  }
  rho -= cats;
  if (numeric.length > 0 && rho > 0) {
    const e = numeric.map(() => -Math.log(1 - rng.next()));
    const total = e.reduce((t, x) => t + x, 0);
    numeric.forEach((ax, j) => {
      const sign = rng.next() < 0.5 ? -1 : 1;
      changes[ax.name] = search.clamp(ax, ax.x0 + sign * ((rho * e[j]!) / total) * ax.range);
    });
  }
  return withChanges(search.base, changes);
}

/** 2. Growing spheres: shrink the ball until it holds no flip, then grow it shell by shell. */
async function growingSpheres(
  search: Search,
  rng: Rng,
  perLayer: number,
  ctx: InspectContext,
): Promise<Row[]> {
  const { numeric, categorical } = search.axes;
  const maxRadius =
    numeric.reduce((t, ax) => t + Math.max(ax.x0 - ax.lo, ax.hi - ax.x0) / ax.range, 0) + categorical.length;
  const sphere = async (rLow: number, rHigh: number): Promise<Row[]> => {
    const rows = Array.from({ length: perLayer }, () => drawInShell(search, rng, rLow, rHigh));
    const scored = await search.score(rows);
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
  return enemies;
}

/** 3. Makes the nearest enemy sparse (undoes changes that are not needed) and shrinks each change. */
async function sparsify(search: Search, enemies: Row[]): Promise<Row> {
  const { numeric, categorical } = search.axes;
  let current = search.nearest(enemies);
  for (;;) {
    const changed = [...numeric, ...categorical].filter((ax) => !sameValue(current[ax.name] ?? null, ax.x0));
    const undo = changed.map((ax) => withChanges(current, { [ax.name]: ax.x0 }));
    if (undo.length === 0) break;
    const scored = await search.score(undo);
    const keep = undo.filter((_, i) => scored[i]!.flipped);
    if (keep.length === 0) break;
    current = search.nearest(keep);
  }
  for (let sweep = 0; sweep < 2; sweep++) {
    for (const ax of numeric) current = await shrinkChange(search, current, ax);
  }
  return current;
}

/** Bisects in batches between x0 and the current value of `ax`: the point nearest x0 that still flips. */
async function shrinkChange(search: Search, current: Row, ax: NumericAxis): Promise<Row> {
  let far = current[ax.name] as number;
  let near = ax.x0;
  if (far === near) return current;
  for (let round = 0; round < 3 && Math.abs(far - near) > (ax.integer ? 1 : ax.range * 1e-9); round++) {
    const vs = Array.from({ length: STEPS }, (_, s) => search.clamp(ax, near + ((far - near) * s) / STEPS));
    const scored = await search.score(vs.map((v) => withChanges(current, { [ax.name]: v })));
    const hit = scored.findIndex((s) => s.flipped);
    if (hit < 0) {
      near = vs[STEPS - 1]!;
      continue;
    }
    far = vs[hit]!;
    near = hit === 0 ? near : vs[hit - 1]!;
    if (hit === 0) break;
  }
  return withChanges(current, { [ax.name]: far });
}

/** The changes from `row` to `found`, largest cost first. */
function changesOf(axes: Axes, row: Row, found: Row): CounterfactualChange[] {
  const changes: CounterfactualChange[] = [];
  for (const ax of axes.numeric) {
    const to = found[ax.name] as number;
    if (to !== ax.x0)
      changes.push({
        feature: ax.name,
        from: row[ax.name] ?? null,
        to,
        cost: Math.abs(to - ax.x0) / ax.range,
      });
  }
  for (const ax of axes.categorical) {
    const to = found[ax.name] ?? null;
    if (!sameValue(to, ax.x0)) changes.push({ feature: ax.name, from: ax.x0, to, cost: 1 });
  }
  return changes.sort((p, q) => q.cost - p.cost);
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
  const { classes, perLayer, allowed } = checkRequest(predictor, row, options);
  const first = await predictor.predict([row], { compute: ctx.compute, signal: ctx.signal });
  const original = first.predictions[0] as string | null;
  if (original === null) {
    const why = first.drift.filter((d) => d.issue === 'missing').map((d) => `"${d.column}"`);
    const which = why.length ? `: ${why.join(', ')} ${why.length === 1 ? 'is' : 'are'} missing` : '';
    throw new EngineError('InvalidArgument', `The model cannot score this row${which}.`, {
      hint: 'Fill the missing values first.',
    });
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
  const axes = searchAxes(predictor.artifact.contract.features, row, allowed);
  const search = new Search(predictor, ctx, classes, axes, isFlip, row);
  search.evaluated = 1;
  const result = { originalPrediction: original, fixed: axes.fixed };
  const notFound = (message: string): CounterfactualResult => ({
    ...result,
    found: false,
    message,
    row: null,
    prediction: null,
    probability: null,
    changes: [],
    distance: Number.NaN,
    evaluated: search.evaluated,
  });
  if (axes.numeric.length === 0 && axes.categorical.length === 0)
    return notFound('No feature may change: allow at least one numeric or categorical feature.');

  ctx.progress(0, 'Changing one feature at a time');
  await oneFeatureSweeps(search);
  const enemies = await growingSpheres(search, createRng(options.seed ?? 0), perLayer, ctx);
  if (enemies.length > 0) search.consider(await sparsify(search, enemies));

  const found = search.best;
  if (!found) {
    const what = target !== null ? `"${target}"` : 'another class';
    return notFound(
      `No change within the observed ranges${allowed ? ' of the allowed features' : ''} makes the model predict ${what}.`,
    );
  }
  const [last] = await search.score([found.row]);
  ctx.progress(1, 'Done');
  return {
    ...result,
    found: true,
    message: null,
    row: found.row,
    prediction: last!.prediction,
    probability: last!.probability,
    changes: changesOf(axes, row, found.row),
    distance: found.distance,
    evaluated: search.evaluated,
  };
}
