/**
 * One fold's model input: the notebook fitted on the fold's training rows and applied to all
 * rows (NotebookPlanner with `trainRows`), the features that fold's output has, X and y, split
 * into the fold's training and test rows.
 */
import type { Table } from 'apache-arrow';
import { cooperate } from '../../core/cooperate';
import { EngineError } from '../../core/errors';
import { createRng } from '../../core/rng';
import type { Compute } from '../../gpu/device';
import { buildDataset, type Target, takeMatrixRows, takeTarget } from '../../models/model';
import type { Fold } from '../../models/split';
import { NotebookPlanner } from '../../pipeline/plan';
import { standardPreprocessingFor } from '../../pipeline/standard';
import type { StandardPreprocessing } from '../../pipeline/types';
import type { Notebook } from '../../spec/notebook';
import { checkNotEmpty, encodedOutputs, planFeatures, requireComplete, requireFeatures } from './features';
import type { FoldData } from './fold-loop';
import {
  checkClassesPerFold,
  checkRareClasses,
  makeFolds,
  readTarget,
  splitColumns,
  subsample,
} from './folds';
import { type RowsContext, rowsBeforeSplit, type TrainingRows } from './rows';
import { failOnStepError } from './step-errors';
import type { FeaturePlan, SplitSpec, TrainTask } from './types';

export interface FoldInputs {
  planner: NotebookPlanner;
  rows: TrainingRows;
  seed: number;
  target: string | null;
  task: TrainTask;
  splitColumns: readonly string[];
  requested: readonly string[] | null | undefined;
  compute: Compute | null;
  signal: AbortSignal;
  folds: number;
}

export interface PreparedFold {
  data: FoldData;
  /** The notebook's output for every row (fitted on the fold's training rows). */
  table: Table;
  plan: FeaturePlan;
  /** The target of every row. */
  y: Target;
  /** Fitted state per step id (the columns each step resolved in this fold). */
  states: Map<string, unknown>;
}

export async function prepareFold(inputs: FoldInputs, fold: Fold, f: number): Promise<PreparedFold> {
  const { rows, target, task } = inputs;
  const base = rows.base;
  let table = base;
  let states = new Map<string, unknown>();
  if (rows.steps.length > 0) {
    const out = await inputs.planner.run(
      {
        table: base,
        dataKey: rows.dataKey,
        steps: rows.steps,
        seed: inputs.seed,
        target,
        trainRows: fold.train,
      },
      { compute: inputs.compute, signal: inputs.signal, progress: () => undefined },
    );
    failOnStepError(out.runs, rows.steps, inputs.folds > 1 ? f : null, inputs.folds);
    table = out.table;
    states = out.states;
    if (table.numRows !== base.numRows) {
      throw new EngineError('InternalError', 'A transform step changed the number of rows.');
    }
  }
  const plan = planFeatures(table, {
    target,
    splitColumns: inputs.splitColumns,
    requested: inputs.requested,
    encoded: encodedOutputs(states),
  });
  requireFeatures(plan);
  checkNotEmpty(table, plan.features);
  requireComplete(plan, inputs.folds > 1 ? f : null, inputs.folds);
  await cooperate(inputs.signal);
  const ds = buildDataset(table, plan.features, target, task);
  await cooperate(inputs.signal);
  const Xtr = takeMatrixRows(ds.X, fold.train);
  const Xte = takeMatrixRows(ds.X, fold.test);
  await cooperate(inputs.signal);
  const data: FoldData = { Xtr, Xte, ytr: takeTarget(ds.y, fold.train), yte: takeTarget(ds.y, fold.test) };
  return { data, table, plan, y: ds.y, states };
}

export interface FeaturePlanSpec {
  notebook: Notebook;
  target: string | null;
  features?: string[] | null;
  /** The split a run would use: its group/time column is never a feature. */
  split?: SplitSpec;
}

/** The notebook's output on every row, as training sees it (its filters first), with the states. */
async function outputOnEveryRow(
  ctx: RowsContext,
  notebook: Notebook,
  target: string | null,
): Promise<{ table: Table; states: Map<string, unknown> }> {
  const planner = new NotebookPlanner();
  const rows = await rowsBeforeSplit(ctx, notebook, target, planner);
  if (rows.steps.length === 0) return { table: rows.base, states: new Map() };
  const out = await planner.run(
    { table: rows.base, dataKey: rows.dataKey, steps: rows.steps, seed: notebook.seed, target },
    { compute: ctx.compute, signal: ctx.signal, progress: () => undefined },
  );
  failOnStepError(out.runs, rows.steps, null, 1);
  return { table: out.table, states: out.states };
}

/**
 * The features a run of this spec would read and the columns it would leave out, before
 * training: the notebook fitted on every row (the filters first, as training runs them).
 */
export async function featurePlanFor(ctx: RowsContext, spec: FeaturePlanSpec): Promise<FeaturePlan> {
  const { table, states } = await outputOnEveryRow(ctx, spec.notebook, spec.target);
  return planFeatures(table, {
    target: spec.target,
    splitColumns: spec.split ? splitColumns(spec.split) : [],
    requested: spec.features,
    encoded: encodedOutputs(states),
  });
}

/**
 * "Standard preprocessing" for what the notebook produces (the loaded data when there is no
 * notebook): a column a step already encoded, cast or dropped is judged as it comes out of the
 * notebook, so the proposed steps go at its end.
 */
export async function standardPreprocessingAfter(
  ctx: RowsContext,
  notebook: Notebook | null,
  target: string | null,
): Promise<StandardPreprocessing> {
  const table = notebook?.steps.some((s) => s.enabled)
    ? (await outputOnEveryRow(ctx, notebook, target)).table
    : ctx.table;
  return standardPreprocessingFor(table, target);
}

/** What fixes a run's folds: the notebook, target, features, split and seed. */
export interface FoldsSpec {
  notebook: Notebook;
  target: string | null;
  features?: string[] | null;
  split: SplitSpec;
  seed: number;
}

/**
 * A run before its first fold: the rows the filters keep, the seeded folds over them (a share of
 * each fold's training rows for learning curves) and what prepareFold needs. The experiment, the
 * Python export and their tests all start here, so they see the same folds.
 */
export async function splitRun(
  ctx: RowsContext,
  spec: FoldsSpec,
  task: TrainTask,
  trainFraction?: number,
): Promise<{ rows: TrainingRows; folds: Fold[]; inputs: FoldInputs }> {
  const planner = new NotebookPlanner();
  const rows = await rowsBeforeSplit(ctx, spec.notebook, spec.target, planner);
  // Reading the target and making folds take seconds on millions of rows: stay cancellable.
  await cooperate(ctx.signal);
  const y = readTarget(rows.base, spec.target, task);
  if (y && spec.target) checkRareClasses(rows.base, spec.target, y, spec.split);
  await cooperate(ctx.signal);
  const all = makeFolds(rows.base, spec.split, y, createRng(spec.seed));
  await cooperate(ctx.signal);
  const folds = trainFraction === undefined ? all : subsample(all, trainFraction, spec.seed);
  const classes = spec.target && task === 'classification' ? new Set(y).size : 0;
  if (classes > 0) checkClassesPerFold(folds, classes);
  const inputs: FoldInputs = {
    planner,
    rows,
    seed: spec.notebook.seed,
    target: spec.target,
    task,
    splitColumns: splitColumns(spec.split),
    requested: spec.features,
    compute: ctx.compute,
    signal: ctx.signal,
    folds: folds.length,
  };
  return { rows, folds, inputs };
}
