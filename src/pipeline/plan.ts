/**
 * Runs a notebook's steps over a table, incrementally: each step's output is cached under a key made
 * of its input's key and its own spec, so after an edit only the edited step and those after it
 * run again. A step that fails is reported (its card shows the message) and passed over — the
 * steps after it still run on its input, so one bad step never breaks the rest of the notebook.
 */

import type { Table } from 'apache-arrow';
import { cooperate } from '../core/cooperate';
import { EngineError, serializeError, throwIfAborted } from '../core/errors';
import {
  columnsOf,
  floatData,
  logicalType,
  type OutColumn,
  outColumn,
  readNumeric,
  rebuild,
  sourceRows,
  takeRowsCooperatively,
} from '../core/frame';
import { createRng } from '../core/rng';
import type { Compute } from '../gpu/device';
import { canonicalJson } from '../spec/canonical';
import type { StepSpec } from '../spec/notebook';
import { getStep } from './registry';
import { type AnyStepDef, type Params, type RunContext, type StepCategory, validateParams } from './step';
import type { StepDiff, StepRun } from './types';

export interface PlanInput {
  table: Table;
  /** Identifies the input data (dataset id + version); part of every cache key. */
  dataKey: string;
  steps: readonly StepSpec[];
  seed: number;
  /** The target column: steps leave it alone unless their `columns` name it explicitly. */
  target: string | null;
  /** Rows the steps are fitted on (the training split); all rows when absent. */
  trainRows?: Int32Array | null;
}

export interface PlanOutput {
  table: Table;
  runs: StepRun[];
  /** Fitted state per step id (plain JSON data): what an export needs. */
  states: Map<string, unknown>;
  /** Per output row, its row in the input table; null when the filter steps kept every row. */
  rows: Int32Array | null;
}

interface CacheEntry {
  table: Table;
  state: unknown;
  run: StepRun;
  rows: Int32Array | null;
}

export interface PlanOptions {
  compute: Compute | null;
  signal: AbortSignal;
  progress(fraction: number, note: string): void;
}

/** Keeps the outputs of the latest run only, so memory stays bounded by one pass of the notebook. */
export class NotebookPlanner {
  private cache = new Map<string, CacheEntry>();

  async run(input: PlanInput, options: PlanOptions): Promise<PlanOutput> {
    const keep = new Map<string, CacheEntry>();
    const runs: StepRun[] = [];
    const states = new Map<string, unknown>();
    let current = input.table;
    let rows: Int32Array | null = null;
    // Columns an earlier step's fit dropped for what the training rows held (a column with no
    // value there, a constant one): steps after it that name them skip them, as the next step of
    // a scikit-learn Pipeline reads what the last one produced.
    const learned = new Set<string>();
    let key = `${input.dataKey}|seed=${input.seed}|target=${input.target ?? ''}|train=${trainKey(input.trainRows)}`;
    const total = input.steps.length;
    for (const [index, spec] of input.steps.entries()) {
      await cooperate(options.signal);
      options.progress(index / Math.max(1, total), `${spec.step} (${index + 1}/${total})`);
      if (!spec.enabled) {
        runs.push({ id: spec.id, step: spec.step, status: 'disabled', ms: 0 });
        continue;
      }
      key = `${key}>${canonicalJson({ step: spec.step, params: spec.params, columns: spec.columns ?? null })}`;
      const hit = this.cache.get(key);
      if (hit) {
        keep.set(key, hit);
        runs.push({ ...hit.run, status: hit.run.status === 'error' ? 'error' : 'cached' });
        if (hit.run.status !== 'error') {
          current = hit.table;
          rows = hit.rows;
          states.set(spec.id, hit.state);
          for (const c of learnedDrops(hit.state)) learned.add(c);
        }
        continue;
      }
      const started = Date.now();
      try {
        const { table, state, kept } = await runStep(current, spec, input, options, learned);
        const run: StepRun = {
          id: spec.id,
          step: spec.step,
          status: 'ok',
          ms: Date.now() - started,
          // The card's numbers come from the notebook's own run; a fold's run only needs errors
          // (the diff reads every changed column: a second of work on a million rows).
          ...(input.trainRows ? {} : { diff: await diffTables(current, table, options.signal) }),
        };
        if (kept) rows = rows ? Int32Array.from(kept, (i) => rows![i]!) : kept;
        keep.set(key, { table, state, run, rows });
        runs.push(run);
        states.set(spec.id, state);
        for (const c of learnedDrops(state)) learned.add(c);
        current = table;
      } catch (e) {
        if (options.signal.aborted || (e instanceof EngineError && e.name === 'Cancelled')) throw e;
        const run: StepRun = {
          id: spec.id,
          step: spec.step,
          status: 'error',
          ms: Date.now() - started,
          error: serializeError(e),
        };
        keep.set(key, { table: current, state: null, run, rows });
        runs.push(run);
      }
    }
    options.progress(1, 'Done');
    this.cache = keep;
    return { table: current, runs, states, rows };
  }

  clear(): void {
    this.cache.clear();
  }
}

/** The `dropped` columns of a fitted state (SimpleImputer, VarianceThreshold, CorrelationFilter). */
function learnedDrops(state: unknown): string[] {
  const dropped = (state as { dropped?: unknown } | null)?.dropped;
  return Array.isArray(dropped) ? dropped.filter((c): c is string => typeof c === 'string') : [];
}

async function runStep(
  table: Table,
  spec: StepSpec,
  input: PlanInput,
  options: PlanOptions,
  learned: ReadonlySet<string>,
): Promise<{ table: Table; state: unknown; kept: Int32Array | null }> {
  const def = getStep(spec.step);
  if (!def) throw new EngineError('InvalidArgument', `There is no step called "${spec.step}".`);
  const params = resolveParams(def, spec, table, input.target, learned);
  const ctx: RunContext = {
    rng: createRng(mixSeed(input.seed, spec.id)),
    compute: options.compute,
    signal: options.signal,
    progress: () => undefined,
  };
  if (def.kind === 'filter') {
    // Filters are fitted on every row (a row filter is data cleaning, not a learned transform).
    // A fresh frame (same buffers) makes sourceRows() of the output relative to this step's input.
    const state = await def.fit(table, params, ctx);
    throwIfAborted(options.signal);
    const fresh = rebuild(table, spec.step, new Map());
    const out = await def.transform(fresh, state, ctx);
    if (out === fresh) return { table, state, kept: null };
    return { table: out, state, kept: sourceRows(out) };
  }
  if (def.fitTransform && !input.trainRows) {
    // Every row is a training row: use the step's fit_transform, which may differ from
    // fit().transform() on purpose (TargetEncoder cross-fits so no row sees its own target).
    const { state, output } = await def.fitTransform(table, params, ctx);
    return { table: output, state, kept: null };
  }
  if (def.fitTransform && input.trainRows) {
    // Inside a fold, the same: fit_transform on the training rows (cross-fitted), and the other
    // rows transformed with the state fitted on the training rows, as sklearn's cross_validate
    // does with a Pipeline.
    const train = await takeRowsCooperatively(table, input.trainRows, spec.step, () =>
      cooperate(options.signal),
    );
    const { state, output } = await def.fitTransform(train, params, ctx);
    throwIfAborted(options.signal);
    const out = await def.transform(table, state, ctx);
    return { table: withTrainingRows(out, output, input.trainRows, table, spec.step), state, kept: null };
  }
  const train = input.trainRows
    ? await takeRowsCooperatively(table, input.trainRows, spec.step, () => cooperate(options.signal))
    : table;
  const state = await def.fit(train, params, ctx);
  throwIfAborted(options.signal);
  const out = await def.transform(table, state, ctx);
  return { table: out, state, kept: null };
}

/**
 * The step's parameters with its `columns` resolved: the card's column choice when it has one;
 * with a target, the step's own default selection minus the target (so scaling "all numeric
 * columns" never rescales y, and an encoder never encodes it); otherwise the step's default.
 */
export function resolveParams(
  def: AnyStepDef,
  spec: StepSpec,
  table: Table,
  target: string | null,
  /** Columns earlier steps dropped for what the training rows held (skipped when named here). */
  learned: ReadonlySet<string> = new Set(),
): Params {
  const raw: Params = { ...spec.params };
  const hasColumns = 'columns' in def.params;
  if (hasColumns && spec.columns && spec.columns.length > 0) {
    const present = new Set(table.schema.fields.map((f) => f.name));
    const kept = spec.columns.filter((c) => present.has(c) || !learned.has(c));
    if (kept.length === 0) {
      throw new EngineError(
        'SchemaError',
        `${spec.step} has no column left: an earlier step dropped ${spec.columns.map((c) => `"${c}"`).join(', ')} (no value, or a single value, in the rows it was fitted on).`,
        {
          columnName: spec.columns[0],
          hint: 'Drop those columns before the earlier step, or remove this step.',
          fixes: [{ kind: 'remove-step', label: `Remove ${spec.step} (its columns are gone)` }],
        },
      );
    }
    raw.columns = kept;
  }
  const params = validateParams(def, raw) as Params;
  if (hasColumns && params.columns === null && target !== null) {
    params.columns = defaultColumns(def, table, params).filter((c) => c !== target);
  } else if (hasColumns && target !== null && X_ONLY.has(def.category) && Array.isArray(params.columns)) {
    // As in scikit-learn, where encoders and projections only ever see X: a card that names the
    // target (say, standard preprocessing added before the target was chosen) leaves it alone,
    // so the run keeps its target instead of failing on a missing column.
    const kept = (params.columns as string[]).filter((c) => c !== target);
    if (kept.length > 0) params.columns = kept;
  }
  return params;
}

/**
 * Steps that replace their input columns by new ones (encoders, projections): given the target
 * they would remove it. Scalers and extractors may be meant for the target (log of a price), so
 * an explicit choice there stands.
 */
const X_ONLY: ReadonlySet<StepCategory> = new Set<StepCategory>(['Encoding', 'Dimensionality reduction']);

/** What a step selects when its `columns` is null: its own rule, or every column of an accepted type. */
export function defaultColumns(def: AnyStepDef, table: Table, params: Params): string[] {
  if (def.defaultColumns) return def.defaultColumns(table, params);
  return table.schema.fields.filter((f) => def.accepts.includes(logicalType(f))).map((f) => f.name);
}

/**
 * `out` (every row) with the rows at `rows` taken from `trainOut` (the training rows' own output,
 * in the order of `rows`). Columns passed through unchanged (the input's own data) are kept; the
 * others must be numeric, which is what fit_transform steps produce.
 */
function withTrainingRows(out: Table, trainOut: Table, rows: Int32Array, input: Table, step: string): Table {
  const replace = new Map<string, OutColumn[]>();
  for (const c of columnsOf(out)) {
    const original = input.getChild(c.name);
    if (
      original &&
      original.data.length === c.vector.data.length &&
      original.data.every((d, i) => d === c.vector.data[i])
    )
      continue;
    const own = trainOut.getChild(c.name);
    if (!own || (c.type !== 'float' && c.type !== 'integer')) {
      throw new EngineError(
        'InternalError',
        `${step}: its output on the training rows cannot be merged (column "${c.name}").`,
      );
    }
    const values = readNumeric(c.vector);
    const trained = readNumeric(own);
    for (let k = 0; k < rows.length; k++) values[rows[k]!] = trained[k]!;
    replace.set(c.name, [outColumn(c.name, 'float', floatData(values))]);
  }
  return replace.size === 0 ? out : rebuild(out, step, replace);
}

/** A per-step seed: the notebook seed mixed with the step id, stable under reordering. */
function mixSeed(seed: number, id: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function trainKey(rows: Int32Array | null | undefined): string {
  if (!rows) return 'all';
  let h = 0x811c9dc5;
  for (let i = 0; i < rows.length; i++) h = Math.imul(h ^ rows[i]!, 0x01000193) >>> 0;
  return `${rows.length}:${h.toString(16)}`;
}

function totalMissing(table: Table): number {
  let n = 0;
  for (const f of table.schema.fields) n += table.getChild(f.name)?.nullCount ?? 0;
  return n;
}

function numericRange(table: Table, name: string): [number, number] | null {
  const v = table.getChild(name);
  const field = table.schema.fields.find((f) => f.name === name);
  if (!v || !field) return null;
  const type = logicalType(field);
  if (type !== 'float' && type !== 'integer') return null;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const data of v.data) {
    const values = data.values as ArrayLike<number>;
    const bitmap = data.nullCount > 0 ? data.nullBitmap : undefined;
    for (let i = 0; i < data.length; i++) {
      const j = data.offset + i;
      if (bitmap && (bitmap[j >> 3]! & (1 << (j & 7))) === 0) continue;
      const x = Number(values[j]);
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** What a step changed: the numbers its card shows. Reads each changed column (a turn for cancel before each). */
export async function diffTables(before: Table, after: Table, signal: AbortSignal): Promise<StepDiff> {
  const namesBefore = before.schema.fields.map((f) => f.name);
  const namesAfter = after.schema.fields.map((f) => f.name);
  const setBefore = new Set(namesBefore);
  const setAfter = new Set(namesAfter);
  const ranges: StepDiff['ranges'] = [];
  for (const name of namesAfter) {
    const a = after.getChild(name);
    const b = setBefore.has(name) ? before.getChild(name) : null;
    // Passed-through columns share their Arrow data with the input: nothing changed there.
    if (a && b && a.data.length === b.data.length && a.data.every((d, i) => d === b.data[i])) continue;
    await cooperate(signal);
    const rb = b ? numericRange(before, name) : null;
    const ra = numericRange(after, name);
    if (!ra && !rb) continue;
    if (rb && ra && rb[0] === ra[0] && rb[1] === ra[1]) continue;
    if (ranges.length < 50) ranges.push({ column: name, before: rb, after: ra });
  }
  return {
    rowsBefore: before.numRows,
    rowsAfter: after.numRows,
    columnsBefore: namesBefore.length,
    columnsAfter: namesAfter.length,
    added: namesAfter.filter((n) => !setBefore.has(n)),
    removed: namesBefore.filter((n) => !setAfter.has(n)),
    missingBefore: totalMissing(before),
    missingAfter: totalMissing(after),
    ranges,
  };
}
