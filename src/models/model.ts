/**
 * The Model contract: the Step contract (sklearn names, a parameter schema with sklearn's
 * defaults, plain-data state) plus prediction. Models work on a dense row-major Float64 matrix
 * (`Matrix`) built once from the Arrow table by `buildDataset`, so every model, split and metric
 * shares one representation and the engine converts the table only once per run.
 */
import type { Table } from 'apache-arrow';
import { EngineError } from '../core/errors';
import { column, logicalType, readLabels, readNumeric } from '../core/frame';
import { FEATURE_TYPES } from '../core/types';
import { type ParamDef, type Params, type RunContext, type StepDef, validateParams } from '../pipeline/step';
import { missingTargetError } from '../pipeline/target';

export type Task = 'classification' | 'regression' | 'clustering';

/** Dense row-major matrix: element (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

export type Target =
  /** `codes[i]` indexes `classes`; every code is in [0, classes.length). */
  | { task: 'classification'; codes: Int32Array; classes: readonly string[] }
  | { task: 'regression'; values: Float64Array }
  | { task: 'clustering' };

export interface ModelDef<P extends Params, S> {
  /** scikit-learn's class name. */
  name: string;
  kind: 'model';
  tasks: readonly Task[];
  /** One sentence for the UI. */
  description: string;
  params: { [K in keyof P]: ParamDef };
  /** Sees training rows only. The state is plain data (JSON values and typed arrays). */
  fit(X: Matrix, y: Target, params: P, ctx: RunContext): Promise<S>;
  /**
   * Fits several parameter sets on the same rows in shared passes (the candidates of a tuning
   * grid), one context each; returns one state per set, the state `fit` returns for that set and
   * context (up to the rounding of the batched arithmetic on a GPU).
   */
  fitBatch?(X: Matrix, y: Target, params: readonly P[], ctxs: readonly RunContext[]): Promise<S[]>;
  /** Parameter sets with the same non-null key can go to one `fitBatch` call. */
  batchKey?(params: P): string | null;
  /** Class codes (classification), values (regression) or cluster labels (clustering). */
  predict(X: Matrix, state: S, ctx: RunContext): Promise<Float64Array>;
  /** Class probabilities, rows × classes (columns in the order of the fitted `classes`). */
  predictProba?(X: Matrix, state: S, ctx: RunContext): Promise<Matrix>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds models of every parameter/state type
export type AnyModelDef = ModelDef<any, any>;

export function defineModel<P extends Params, S>(def: ModelDef<P, S>): ModelDef<P, S> {
  return def;
}

/** Fills defaults and rejects unknown keys and bad values, with the same messages as steps. */
export function validateModelParams<P extends Params, S>(
  def: ModelDef<P, S>,
  raw: Readonly<Record<string, unknown>> = {},
): P {
  // validateParams reads only `name` and `params`, which the two contracts share.
  return validateParams(def as unknown as StepDef<P, never>, raw);
}

export function matrix(rows: number, cols: number, data = new Float64Array(rows * cols)): Matrix {
  if (data.length !== rows * cols) {
    throw new EngineError('InternalError', `A ${rows}×${cols} matrix needs ${rows * cols} values.`);
  }
  return { data, rows, cols };
}

/** The rows at `indices`, in that order. */
export function takeMatrixRows(X: Matrix, indices: ArrayLike<number>): Matrix {
  const { cols } = X;
  const out = new Float64Array(indices.length * cols);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    out.set(X.data.subarray(i * cols, (i + 1) * cols), k * cols);
  }
  return { data: out, rows: indices.length, cols };
}

export function takeTarget(y: Target, indices: ArrayLike<number>): Target {
  if (y.task === 'classification') {
    return { ...y, codes: Int32Array.from({ length: indices.length }, (_, k) => y.codes[indices[k]!]!) };
  }
  if (y.task === 'regression') {
    return { ...y, values: Float64Array.from({ length: indices.length }, (_, k) => y.values[indices[k]!]!) };
  }
  return y;
}

/** Number of classes, or a clear error when the target is not a classification target. */
export function classCount(y: Target, model: string): number {
  if (y.task !== 'classification') {
    throw new EngineError('InvalidArgument', `${model} is a classifier and needs a categorical target.`);
  }
  if (y.classes.length < 2) {
    throw new EngineError(
      'InvalidArgument',
      `${model} needs at least two classes in the target, but the training rows have only "${y.classes[0] ?? ''}".`,
      { hint: 'Pick another target column, or check the filter steps that ran before.' },
    );
  }
  return y.classes.length;
}

export function regressionValues(y: Target, model: string): Float64Array {
  if (y.task !== 'regression') {
    throw new EngineError('InvalidArgument', `${model} is a regressor and needs a numeric target.`);
  }
  return y.values;
}

/** Fails with a Cancelled error when the job was cancelled; call between iterations. */
export function checkCancelled(ctx: RunContext): void {
  if (ctx.signal.aborted) throw new EngineError('Cancelled', 'The job was cancelled.');
}

/** A loss that is no longer finite means the optimiser diverged: stop with a message. */
export function checkFiniteLoss(model: string, loss: number, iteration: number): void {
  if (!Number.isFinite(loss)) {
    throw new EngineError(
      'InvalidArgument',
      `${model} diverged: the loss became ${loss} at iteration ${iteration}.`,
      {
        hint: 'Lower the learning rate, scale the features (StandardScaler), or add regularisation.',
      },
    );
  }
}

/** An integer target with at most this many distinct values is read as classes. */
const MAX_INTEGER_CLASSES = 20;

/** The task a target column suggests: text/categorical/boolean → classes; integers with few
 * distinct values → classes; other numbers → regression. */
export function inferTask(table: Table, target: string): Task {
  const field = table.schema.fields.find((f) => f.name === target);
  if (!field) throw new EngineError('SchemaError', `Target column "${target}" does not exist.`);
  const type = logicalType(field);
  if (type === 'float') return 'regression';
  if (type === 'integer') {
    const values = readNumeric(column(table, target));
    const distinct = new Set<number>();
    for (const v of values) {
      if (!Number.isNaN(v)) distinct.add(v);
      if (distinct.size > MAX_INTEGER_CLASSES) return 'regression';
    }
    return 'classification';
  }
  return 'classification';
}

export interface Dataset {
  X: Matrix;
  y: Target;
  features: string[];
}

/**
 * X (numeric features, row-major) and y from a table. Models need complete numbers: a feature
 * with missing values is an error that names the imputer; a text feature names the encoders.
 * Rows whose target is missing are an error too (drop them with a filter step first).
 */
export function buildDataset(
  table: Table,
  features: readonly string[],
  target: string | null,
  task: Task = target === null ? 'clustering' : inferTask(table, target),
): Dataset {
  if (features.length === 0) throw new EngineError('InvalidArgument', 'Pick at least one feature column.');
  const n = table.numRows;
  const d = features.length;
  const data = new Float64Array(n * d);
  const withMissing: { name: string; missing: number }[] = [];
  features.forEach((name, j) => {
    if (name === target) {
      throw new EngineError('InvalidArgument', `The target "${name}" cannot also be a feature.`);
    }
    const field = table.schema.fields.find((f) => f.name === name);
    if (!field) throw new EngineError('SchemaError', `Feature column "${name}" does not exist.`);
    const type = logicalType(field);
    if (!FEATURE_TYPES.has(type)) {
      throw new EngineError('SchemaError', `Feature "${name}" is ${type}, but models need numbers.`, {
        columnName: name,
        hint: 'Add a OneHotEncoder or OrdinalEncoder step, or drop the column.',
      });
    }
    const values = readNumeric(column(table, name));
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) missing++;
      data[i * d + j] = v;
    }
    if (missing === n && n > 0) {
      throw new EngineError('SchemaError', `Feature "${name}" has no values at all (every row is missing).`, {
        columnName: name,
        hint: 'Drop the column.',
      });
    }
    if (missing > 0) withMissing.push({ name, missing });
  });
  if (withMissing.length > 0) throw missingFeatures(withMissing);
  const X = { data, rows: n, cols: d };
  if (task === 'clustering' || target === null)
    return { X, y: { task: 'clustering' }, features: [...features] };
  const vector = column(table, target);
  const type = typeOf(table, target);
  if (task === 'regression') {
    if (!FEATURE_TYPES.has(type)) {
      throw new EngineError('SchemaError', `Regression needs a numeric target, but "${target}" is ${type}.`, {
        columnName: target,
        hint: 'Choose classification, or pick a numeric target.',
      });
    }
    const values = readNumeric(vector);
    const missing = values.reduce((k, v) => k + (Number.isNaN(v) ? 1 : 0), 0);
    if (missing > 0) throw missingTargetError(target, missing);
    return { X, y: { task: 'regression', values }, features: [...features] };
  }
  const { codes, labels } = readLabels(vector);
  const missing = codes.reduce((k, c) => k + (c < 0 ? 1 : 0), 0);
  if (missing > 0) throw missingTargetError(target, missing);
  // Classes in sorted order, as sklearn's LabelEncoder (numerically when every label is a number).
  const numeric = labels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  const order = labels.map((_, k) => k);
  order.sort((a, b) =>
    numeric
      ? Number(labels[a]) - Number(labels[b])
      : labels[a]! < labels[b]!
        ? -1
        : labels[a]! > labels[b]!
          ? 1
          : 0,
  );
  const rank = new Int32Array(labels.length);
  order.forEach((k, r) => {
    rank[k] = r;
  });
  const sorted = Int32Array.from(codes, (c) => rank[c]!);
  const y: Target = { task: 'classification', codes: sorted, classes: order.map((k) => labels[k]!) };
  if (y.classes.length < 2) {
    throw new EngineError(
      'InvalidArgument',
      `The target "${target}" has only one class ("${y.classes[0] ?? ''}"), so there is nothing to predict.`,
      { columnName: target, hint: 'Pick another target column.' },
    );
  }
  return { X, y, features: [...features] };
}

function typeOf(table: Table, name: string) {
  return logicalType(table.schema.fields.find((f) => f.name === name)!);
}

/**
 * Features with missing values, all named in one error (not one per attempt), with the fix as a
 * button (detail.fix, a NotebookFix as the fold check in analysis/experiment/features gives): a
 * median SimpleImputer over exactly those columns, added at the end of the notebook.
 */
function missingFeatures(columns: readonly { name: string; missing: number }[]): EngineError {
  const [first] = columns;
  const message =
    columns.length === 1
      ? `Feature "${first!.name}" has ${first!.missing} missing values.`
      : `${columns.length} features have missing values: ${columns
          .slice(0, 5)
          .map((c) => `"${c.name}" (${c.missing})`)
          .join(', ')}${columns.length > 5 ? ` and ${columns.length - 5} more` : ''}.`;
  const names = columns.map((c) => c.name);
  return new EngineError('SchemaError', message, {
    columnName: first!.name,
    columns: names,
    hint: 'Add a SimpleImputer step before training, or drop the rows.',
    fix: {
      label: `Fill ${names.length === 1 ? `"${first!.name}"` : `these ${names.length} columns`} with the median (SimpleImputer)`,
      step: 'SimpleImputer',
      params: { strategy: 'median' },
      columns: names,
      at: 'end',
    },
  });
}
