/**
 * One training experiment, worker-side: split the rows (seeded), then for every fold fit the
 * notebook on the fold's training rows only (NotebookPlanner with `trainRows`), build X/y from its
 * output, and fit + score every model on that fold. The notebook runs once per fold, whatever the
 * number of models, so a grid search over 30 candidates costs 30 model fits per fold and one
 * preprocessing pass. Per-fold metrics are summarised (mean ± std, 95% t-interval) and every pair
 * of models is compared on the same folds (corrected resampled t-test; McNemar on a hold-out).
 *
 * Filter steps drop rows, which would shift the fold indices under the steps after them: filters
 * at the start of the notebook run once on all rows before splitting (they are fitted on all rows
 * anyway); a filter after a transform is refused with a message.
 */

import type { Table } from 'apache-arrow';
import { cooperate } from '../../core/cooperate';
import { EngineError, throwIfAborted } from '../../core/errors';
import { column, logicalType, readLabels, readNumeric } from '../../core/frame';
import type { Progress } from '../../core/job';
import { createRng, type Rng } from '../../core/rng';
import { FEATURE_TYPES } from '../../core/types';
import type { Compute } from '../../gpu/device';
import { accuracy, r2 } from '../../models/metrics';
import {
  type AnyModelDef,
  buildDataset,
  inferTask,
  type Matrix,
  takeMatrixRows,
  takeTarget,
  validateModelParams,
} from '../../models/model';

import { getModel } from '../../models/registry';
import {
  type Fold,
  groupKFold,
  holdout,
  kFold,
  repeatedKFold,
  repeatedStratifiedKFold,
  shuffleInPlace,
  stratifiedKFold,
} from '../../models/split';
import { correctedTTest, mcnemar, summarize, verdict } from '../../models/stats';
import { NotebookPlanner } from '../../pipeline/plan';
import { getStep } from '../../pipeline/registry';
import type { RunContext } from '../../pipeline/step';
import {
  classificationMetrics,
  classificationPlots,
  clusteringMetrics,
  LOWER_IS_BETTER,
  PRIMARY_METRIC,
  regressionMetrics,
  regressionPlots,
} from './evaluate';
import { splitReport } from './split-report';
import type {
  CompareOptions,
  CurvePoint,
  EvaluationPlots,
  ExperimentResult,
  MetricSummary,
  ModelRunResult,
  PairComparison,
  RunScores,
  SplitSpec,
  TrainParamValue,
  TrainSpec,
  TrainTask,
} from './types';

export interface ExperimentContext {
  table: Table;
  datasetId: string;
  /** Identifies the data version (notebook caches). */
  dataKey: string;
  compute: Compute | null;
  signal: AbortSignal;
  progress(p: Progress): void;
}

export interface ExperimentOptions {
  /** Plot data for every model (default), or none (tuning computes them for the best only). */
  plots?: boolean;
  /** Learning curves: train on this seeded share of each fold's training rows (0 < f ≤ 1). */
  trainFraction?: number;
  /** Fit candidates that can share training passes (`batchGroups`) together, per fold. */
  batch?: boolean;
}

const MAX_CURVE = 500;
const LOSS = /(?:^|[ ,:])loss ([-+0-9.eE]+|NaN|-?Infinity)/;
const VALIDATION = /validation(?: loss)? ([-+0-9.eE]+)/;

interface ResolvedModel {
  label: string;
  def: AnyModelDef;
  params: Record<string, TrainParamValue>;
  changed: Record<string, TrainParamValue>;
}

/**
 * Candidates that can be fitted together in shared passes (same model with `fitBatch`, same
 * `batchKey`): groups of two or more model indices. The rest are fitted one after another.
 */
export function batchGroups(
  models: readonly { def: AnyModelDef; params: Record<string, TrainParamValue> }[],
): number[][] {
  const groups = new Map<string, number[]>();
  models.forEach(({ def, params }, m) => {
    const key = def.fitBatch ? (def.batchKey?.(params) ?? null) : null;
    if (key === null) return;
    const id = `${def.name}|${key}`;
    groups.set(id, [...(groups.get(id) ?? []), m]);
  });
  return [...groups.values()].filter((g) => g.length > 1);
}

/** Validates the models against the task before anything runs, so a typo fails in milliseconds. */
export function resolveModels(models: TrainSpec['models'], task: TrainTask): ResolvedModel[] {
  if (models.length === 0) throw new EngineError('InvalidArgument', 'Pick at least one model to train.');
  const seen = new Map<string, number>();
  return models.map((m) => {
    const def = getModel(m.name);
    if (!def) throw new EngineError('InvalidArgument', `There is no model called "${m.name}".`);
    if (!def.tasks.includes(task)) {
      throw new EngineError(
        'InvalidArgument',
        `${m.name} does not do ${task}; it does ${def.tasks.join(' and ')}.`,
        { hint: 'Pick a model for this task, or change the task.' },
      );
    }
    const params = validateModelParams(def, m.params as Record<string, unknown>) as Record<
      string,
      TrainParamValue
    >;
    const count = (seen.get(m.name) ?? 0) + 1;
    seen.set(m.name, count);
    return { label: count > 1 ? `${m.name} #${count}` : m.name, def, params, changed: { ...m.params } };
  });
}

export function taskFor(table: Table, spec: Pick<TrainSpec, 'target' | 'task'>): TrainTask {
  if (spec.target === null) {
    if (spec.task && spec.task !== 'clustering') {
      throw new EngineError('InvalidArgument', `Pick a target column for ${spec.task}.`);
    }
    return 'clustering';
  }
  return spec.task ?? inferTask(table, spec.target);
}

/** Per-row target facts the split needs (stratification), with the bad-target errors up front. */
function readTarget(table: Table, target: string | null, task: TrainTask): Int32Array | null {
  if (target === null || task === 'clustering') return null;
  const field = table.schema.fields.find((f) => f.name === target);
  if (!field) throw new EngineError('SchemaError', `Target column "${target}" does not exist.`);
  const type = logicalType(field);
  if (task === 'regression') {
    if (!FEATURE_TYPES.has(type)) {
      throw new EngineError('SchemaError', `Regression needs a numeric target, but "${target}" is ${type}.`, {
        columnName: target,
        hint: 'Choose classification, or pick a numeric target.',
      });
    }
    if (readNumeric(column(table, target)).some(Number.isNaN)) {
      throw new EngineError('SchemaError', `The target "${target}" has missing values.`, {
        columnName: target,
        hint: 'Drop the rows with a missing target before training.',
      });
    }
    return null;
  }
  const { codes, labels } = readLabels(column(table, target));
  if (codes.includes(-1)) {
    throw new EngineError('SchemaError', `The target "${target}" has missing values.`, {
      columnName: target,
      hint: 'Drop the rows with a missing target before training.',
    });
  }
  if (labels.length < 2) {
    throw new EngineError(
      'InvalidArgument',
      `The target "${target}" has only one class ("${labels[0] ?? ''}"), so there is nothing to predict.`,
      { columnName: target, hint: 'Pick another target column.' },
    );
  }
  return codes;
}

function groupsOf(table: Table, name: string): Int32Array {
  if (!table.schema.fields.some((f) => f.name === name)) {
    throw new EngineError('SchemaError', `Group column "${name}" does not exist.`);
  }
  const { codes } = readLabels(column(table, name));
  if (codes.includes(-1)) {
    throw new EngineError('SchemaError', `The group column "${name}" has missing values.`, {
      columnName: name,
    });
  }
  return codes;
}

export function makeFolds(table: Table, split: SplitSpec, y: Int32Array | null, rng: Rng): Fold[] {
  const n = table.numRows;
  if (split.kind === 'holdout') {
    const testSize = split.testSize;
    if (split.group) return [holdout(n, { testSize, rng, groups: groupsOf(table, split.group) })];
    if (split.timeColumn) {
      if (!table.schema.fields.some((f) => f.name === split.timeColumn)) {
        throw new EngineError('SchemaError', `Time column "${split.timeColumn}" does not exist.`);
      }
      const time = readNumeric(column(table, split.timeColumn));
      return [holdout(n, { testSize, rng, time })];
    }
    if (split.shuffle === false) {
      return [holdout(n, { testSize, rng, time: Float64Array.from({ length: n }, (_, i) => i) })];
    }
    if (split.stratify) {
      if (!y) throw new EngineError('InvalidArgument', 'Only a classification target can be stratified.');
      return [holdout(n, { testSize, rng, stratify: y })];
    }
    return [holdout(n, { testSize, rng })];
  }
  const k = split.k;
  const repeats = Math.max(1, Math.floor(split.repeats ?? 1));
  if (split.kind === 'group-kfold') {
    if (!split.group) throw new EngineError('InvalidArgument', 'Group k-fold needs a group column.');
    if (repeats > 1)
      throw new EngineError('InvalidArgument', 'Group k-fold cannot be repeated: its folds are fixed.');
    return groupKFold(groupsOf(table, split.group), { nSplits: k });
  }
  if (split.kind === 'stratified-kfold') {
    if (!y) throw new EngineError('InvalidArgument', 'Stratified k-fold needs a classification target.');
    if (repeats > 1) return repeatedStratifiedKFold(y, { nSplits: k, nRepeats: repeats, rng });
    return stratifiedKFold(y, { nSplits: k, shuffle: split.shuffle ?? true, rng });
  }
  if (repeats > 1) return repeatedKFold(n, { nSplits: k, nRepeats: repeats, rng });
  return kFold(n, { nSplits: k, shuffle: split.shuffle ?? true, rng });
}

function checkClassesPerFold(folds: Fold[], classes: number): void {
  const smallest = Math.min(...folds.map((f) => f.test.length));
  if (classes > smallest) {
    throw new EngineError(
      'InvalidArgument',
      `The target has ${classes} classes but a test fold has only ${smallest} rows, so most classes cannot be scored.`,
      { hint: 'Use fewer folds, merge rare classes, or choose regression for a numeric target.' },
    );
  }
}

function defaultFeatures(table: Table, exclude: ReadonlySet<string>): string[] {
  return table.schema.fields
    .filter((f) => !exclude.has(f.name) && FEATURE_TYPES.has(logicalType(f)))
    .map((f) => f.name);
}

/** Records which backends a model really touched (tfjs, or our WGSL kernels on a GPU). */
function recordingCompute(c: Compute, used: Set<string>): Compute {
  return {
    get gpu() {
      return c.gpu;
    },
    info: () => c.info(),
    run: (job) =>
      c.run((gpu) => {
        if (gpu) used.add('webgpu');
        return job(gpu);
      }),
    tf: async () => {
      const rt = await c.tf();
      used.add(`tfjs-${rt.backend}`);
      return rt;
    },
    loseDevice: () => c.loseDevice(),
    dispose: () => c.dispose(),
  };
}

function mixSeed(seed: number, ...parts: number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const p of parts) h = Math.imul(h ^ (p + 0x7f4a7c15), 0x01000193) >>> 0;
  return h;
}

function summary(values: number[]): MetricSummary {
  const present = values.filter((v) => Number.isFinite(v));
  if (present.length === 0)
    return { mean: Number.NaN, std: Number.NaN, n: 0, ciLow: Number.NaN, ciHigh: Number.NaN };
  return summarize(present);
}

interface ModelAccumulator {
  folds: Record<string, number>[];
  foldMs: number[];
  backends: Set<string>;
  curves: CurvePoint[][];
  oofPred: Float64Array;
  oofProba: Float64Array | null;
  probaCols: number;
  /** Per fold (first repeat): test predictions, kept for McNemar on a hold-out. */
  testPreds: Float64Array[];
  /** Per fold: the mean metric drop per feature when it is shuffled. */
  importance: number[][];
}

export async function runExperiment(
  ctx: ExperimentContext,
  spec: TrainSpec,
  options: ExperimentOptions = {},
): Promise<ExperimentResult> {
  const started = Date.now();
  const { signal } = ctx;
  const input = ctx.table;
  const target = spec.target;
  if (target !== null && !input.schema.fields.some((f) => f.name === target)) {
    throw new EngineError('SchemaError', `Target column "${target}" does not exist.`);
  }
  const task = taskFor(input, spec);
  const models = resolveModels(spec.models, task);
  // Reading the target, making folds and checking the split take seconds on millions of rows.
  ctx.progress({ fraction: 0, phase: 'Preparing the data' });

  const planner = new NotebookPlanner();
  const noProgress = () => undefined;
  const { base, lead } = await leadingFilters(ctx, spec.notebook, target, planner);
  const transforms = spec.notebook.steps.slice(lead);
  await cooperate(signal);
  const y = readTarget(base, target, task);
  await cooperate(signal);
  const rng = createRng(spec.seed);
  const allFolds = makeFolds(base, spec.split, y, rng);
  await cooperate(signal);
  const folds =
    options.trainFraction === undefined ? allFolds : subsample(allFolds, options.trainFraction, spec.seed);
  const classes = target && task === 'classification' ? new Set(y).size : 0;
  if (classes > 0) checkClassesPerFold(folds, classes);
  const n = base.numRows;
  const k = spec.split.kind === 'holdout' ? 1 : spec.split.k;
  const firstRepeat = folds.slice(0, k);

  ctx.progress({ fraction: 0, phase: 'Checking the split' });
  const report = await splitReport(base, target, task, folds[0]!.train, folds[0]!.test, signal);
  const exclude = new Set([
    ...(target ? [target] : []),
    ...(spec.split.kind !== 'holdout' && spec.split.group ? [spec.split.group] : []),
    ...(spec.split.kind === 'holdout' && spec.split.group ? [spec.split.group] : []),
    ...(spec.split.kind === 'holdout' && spec.split.timeColumn ? [spec.split.timeColumn] : []),
  ]);

  const acc: ModelAccumulator[] = models.map(() => ({
    folds: [],
    foldMs: [],
    backends: new Set(),
    curves: [],
    oofPred: new Float64Array(n).fill(Number.NaN),
    oofProba: null,
    probaCols: 0,
    testPreds: [],
    importance: [],
  }));
  let features: string[] = [];
  let classNames: string[] | null = null;
  let truthAll: Float64Array | null = null;
  const oofFold = new Int32Array(n).fill(-1);
  const totalWork = folds.length * models.length;
  const groups = options.batch ? batchGroups(models) : [];

  for (const [f, fold] of folds.entries()) {
    await cooperate(signal);
    const where = folds.length > 1 ? ` · fold ${f + 1}/${folds.length}` : '';
    let table = base;
    if (transforms.length > 0) {
      ctx.progress({ fraction: (f * models.length) / totalWork, phase: `Preprocessing${where}` });
      const out = await planner.run(
        {
          table: base,
          dataKey: `${ctx.dataKey}|lead=${lead}`,
          steps: transforms,
          seed: spec.notebook.seed,
          target,
          trainRows: fold.train,
        },
        { compute: ctx.compute, signal, progress: noProgress },
      );
      failOnStepError(out.runs, folds.length > 1 ? f : null);
      table = out.table;
      if (table.numRows !== n) {
        throw new EngineError('InternalError', 'A transform step changed the number of rows.');
      }
    }
    if (f === 0) {
      features =
        spec.features && spec.features.length > 0 ? [...spec.features] : defaultFeatures(table, exclude);
      if (features.length === 0) {
        throw new EngineError('SchemaError', 'There are no numeric feature columns to train on.', {
          hint: 'Encode text columns (OneHotEncoder or OrdinalEncoder) in the notebook first.',
        });
      }
    }
    if (f === 0) checkNotEmpty(table, features);
    await cooperate(signal);
    const ds = buildDataset(table, features, target, task);
    await cooperate(signal);
    if (f === 0) {
      if (ds.y.task === 'classification') {
        classNames = [...ds.y.classes];
        truthAll = Float64Array.from(ds.y.codes);
      } else if (ds.y.task === 'regression') {
        truthAll = ds.y.values;
      }
    }
    const Xtr = takeMatrixRows(ds.X, fold.train);
    const Xte = takeMatrixRows(ds.X, fold.test);
    await cooperate(signal);
    const ytr = takeTarget(ds.y, fold.train);
    const yte = takeTarget(ds.y, fold.test);
    const recordOof = f < firstRepeat.length;
    if (recordOof) for (const i of fold.test) oofFold[i] = f;

    const runs = models.map((model, m) => {
      const a = acc[m]!;
      const series = `${model.label}${where}`;
      const curve: CurvePoint[] = [];
      let step = 0;
      // A batched group reports progress over the span of all its members.
      const group = groups.find((g) => g.includes(m));
      const done = f * models.length + (group ? group[0]! : m);
      const span = group ? group.length : 1;
      const runCtx = {
        rng: createRng(mixSeed(spec.seed, f, m)),
        compute: ctx.compute ? recordingCompute(ctx.compute, a.backends) : null,
        signal,
        progress: (fraction: number, note?: string) => {
          const loss = note ? LOSS.exec(note) : null;
          const point: CurvePoint | null = loss ? { step: ++step, loss: Number(loss[1]) } : null;
          const val = note ? VALIDATION.exec(note) : null;
          if (point && val) point.validation = Number(val[1]);
          if (point && curve.length < MAX_CURVE) curve.push(point);
          const metrics: Record<string, number> | undefined = point
            ? {
                loss: point.loss,
                ...(point.validation !== undefined ? { validation: point.validation } : {}),
              }
            : undefined;
          ctx.progress({
            fraction: (done + span * Math.min(1, Math.max(0, fraction))) / totalWork,
            phase: `${series}${note ? `: ${note}` : ''}`,
            ...(metrics && point ? { metrics, curve: { series, step: point.step } } : {}),
          });
        },
      };
      return { runCtx, series, curve, done };
    });
    // Grouped candidates first, each group in one fitBatch call (its time shared out evenly).
    const shared = new Map<number, { state: unknown; ms: number }>();
    for (const group of groups) {
      throwIfAborted(signal);
      const { def } = models[group[0]!]!;
      ctx.progress({
        fraction: runs[group[0]!]!.done / totalWork,
        phase: `${group.length} × ${def.name} in one batch${where}`,
      });
      const t0 = Date.now();
      const states = await def.fitBatch!(
        Xtr,
        ytr,
        group.map((m) => models[m]!.params),
        group.map((m) => runs[m]!.runCtx),
      );
      const ms = Math.round((Date.now() - t0) / group.length);
      group.forEach((m, i) => {
        shared.set(m, { state: states[i], ms });
      });
    }

    for (const [m, model] of models.entries()) {
      throwIfAborted(signal);
      const a = acc[m]!;
      const { runCtx, series, curve } = runs[m]!;
      const done = f * models.length + m;
      ctx.progress({ fraction: done / totalWork, phase: `${series}` });
      const t0 = Date.now();
      const fitted = shared.get(m);
      const state = fitted ? fitted.state : await model.def.fit(Xtr, ytr, model.params, runCtx);
      throwIfAborted(signal);
      const pred = await model.def.predict(Xte, state, runCtx);
      const proba =
        task === 'classification' && model.def.predictProba
          ? await model.def.predictProba(Xte, state, runCtx)
          : null;
      a.foldMs.push(Date.now() - t0 + (fitted?.ms ?? 0));
      checkFinite(model.label, pred, proba);
      a.curves.push(curve);
      let scores: Record<string, number>;
      if (yte.task === 'classification') scores = classificationMetrics(yte.codes, pred, proba);
      else if (yte.task === 'regression') scores = regressionMetrics(yte.values, pred);
      else scores = clusteringMetrics(Xte, pred, state);
      a.folds.push(scores);
      if (spec.importance && task !== 'clustering') {
        a.importance.push(
          await permutationDrops(
            model.def,
            state,
            Xte,
            yte,
            scores,
            PRIMARY_METRIC[task],
            spec.importance.repeats,
            runCtx,
          ),
        );
      }
      if (recordOof) {
        a.testPreds.push(pred);
        fold.test.forEach((row, r) => {
          a.oofPred[row] = pred[r]!;
        });
        if (proba) {
          a.probaCols = proba.cols;
          a.oofProba ??= new Float64Array(n * proba.cols).fill(Number.NaN);
          fold.test.forEach((row, r) => {
            a.oofProba!.set(proba.data.subarray(r * proba.cols, (r + 1) * proba.cols), row * proba.cols);
          });
        }
      }
      ctx.progress({ fraction: (done + 1) / totalWork, phase: `${series}: done` });
    }
  }

  const primary = PRIMARY_METRIC[task];
  const higherIsBetter = !LOWER_IS_BETTER.has(primary);
  const oofRows = Array.from(oofFold.keys()).filter((i) => oofFold[i]! >= 0);
  const results: ModelRunResult[] = models.map((model, m) => {
    const a = acc[m]!;
    const keys = [...new Set(a.folds.flatMap((s) => Object.keys(s)))];
    const foldMetrics: Record<string, number[]> = {};
    const metrics: Record<string, MetricSummary> = {};
    for (const key of keys) {
      foldMetrics[key] = a.folds.map((s) => s[key] ?? Number.NaN);
      metrics[key] = summary(foldMetrics[key]!);
    }
    const plots: EvaluationPlots =
      options.plots === false ? {} : plotsFor(task, oofRows, truthAll, a, classNames);
    return {
      label: model.label,
      name: model.def.name,
      params: model.params,
      changed: model.changed,
      metrics,
      foldMetrics,
      foldMs: a.foldMs,
      fitMs: a.foldMs.reduce((s, t) => s + t, 0),
      backend: a.backends.size > 0 ? [...a.backends].sort().join('+') : 'cpu',
      curves: a.curves,
      oof: {
        rows: oofRows,
        truth: truthAll ? oofRows.map((i) => truthAll![i]!) : [],
        predicted: oofRows.map((i) => a.oofPred[i]!),
        fold: oofRows.map((i) => oofFold[i]!),
        ...(a.oofProba && truthAll && a.probaCols === classNames?.length
          ? { probability: oofProbability(a.oofProba, a.probaCols, oofRows, truthAll, a.oofPred) }
          : {}),
      },
      plots,
      ...(a.importance.length > 0
        ? {
            importance: features
              .map((feature, j) => ({ feature, drop: summary(a.importance.map((fold) => fold[j]!)) }))
              .sort((x, y) => y.drop.mean - x.drop.mean),
          }
        : {}),
    };
  });

  const ratio = testTrainRatio(folds);
  const comparisons = compare(results, acc, folds, primary, higherIsBetter, task, truthAll);
  return {
    id: `${ctx.datasetId}:${started.toString(36)}`,
    datasetId: ctx.datasetId,
    target,
    task,
    features,
    classes: classNames,
    split: spec.split,
    seed: spec.seed,
    rows: n,
    folds: folds.length,
    testTrainRatio: ratio,
    primary,
    higherIsBetter,
    models: results,
    comparisons,
    splitReport: report,
    ms: Date.now() - started,
  };
}

/**
 * Per out-of-fold row, the probability the model gave its predicted class and the true class
 * (what ranks "wrong with high confidence"), rounded to 4 decimals: two numbers a row whatever the
 * number of classes, since runs are autosaved as JSON.
 */
function oofProbability(
  proba: Float64Array,
  cols: number,
  rows: readonly number[],
  truth: Float64Array,
  predicted: Float64Array,
): { predicted: number[]; truth: number[] } {
  const at = (i: number, code: number) => Math.round((proba[i * cols + code] ?? Number.NaN) * 1e4) / 1e4;
  return {
    predicted: rows.map((i) => at(i, predicted[i]!)),
    truth: rows.map((i) => at(i, truth[i]!)),
  };
}

/**
 * The notebook's leading filter steps, run once on all rows (they are fitted on all rows anyway)
 * before any split; `lead` counts them (with disabled steps among them). A filter after a
 * transform would shift the fold indices under the steps after it, so it is refused.
 */
export async function leadingFilters(
  ctx: Pick<ExperimentContext, 'table' | 'dataKey' | 'compute' | 'signal'>,
  notebook: TrainSpec['notebook'],
  target: string | null,
  planner: NotebookPlanner = new NotebookPlanner(),
): Promise<{ base: Table; lead: number }> {
  const steps = notebook.steps;
  let lead = 0;
  while (lead < steps.length && (!steps[lead]!.enabled || getStep(steps[lead]!.step)?.kind === 'filter'))
    lead++;
  const later = steps.slice(lead).find((s) => s.enabled && getStep(s.step)?.kind === 'filter');
  if (later) {
    throw new EngineError(
      'InvalidArgument',
      `The filter step ${later.step} comes after a transform; training needs filters first, since it fits the transforms per fold.`,
      { hint: `Move ${later.step} to the top of the notebook.` },
    );
  }
  if (lead === 0) return { base: ctx.table, lead };
  const out = await planner.run(
    { table: ctx.table, dataKey: ctx.dataKey, steps: steps.slice(0, lead), seed: notebook.seed, target },
    { compute: ctx.compute, signal: ctx.signal, progress: () => undefined },
  );
  failOnStepError(out.runs, null);
  return { base: out.table, lead };
}

function plotsFor(
  task: TrainTask,
  rows: number[],
  truthAll: Float64Array | null,
  a: ModelAccumulator,
  classes: string[] | null,
): EvaluationPlots {
  if (!truthAll || rows.length === 0) return {};
  const pred = Float64Array.from(rows, (i) => a.oofPred[i]!);
  if (task === 'regression')
    return regressionPlots(
      Float64Array.from(rows, (i) => truthAll[i]!),
      pred,
    );
  if (task !== 'classification' || !classes) return {};
  const truth = Int32Array.from(rows, (i) => truthAll[i]!);
  let proba: Matrix | null = null;
  if (a.oofProba && a.probaCols === classes.length) {
    const cols = a.probaCols;
    const data = new Float64Array(rows.length * cols);
    rows.forEach((i, r) => {
      data.set(a.oofProba!.subarray(i * cols, (i + 1) * cols), r * cols);
    });
    proba = { data, rows: rows.length, cols };
  }
  return classificationPlots(truth, pred, proba, classes);
}

function compare(
  results: ModelRunResult[],
  acc: ModelAccumulator[],
  folds: Fold[],
  primary: string,
  higherIsBetter: boolean,
  task: TrainTask,
  truthAll: Float64Array | null,
): PairComparison[] {
  const out: PairComparison[] = [];
  const ratio = testTrainRatio(folds);
  for (let i = 0; i < results.length; i++) {
    for (let j = i + 1; j < results.length; j++) {
      const A = results[i]!;
      const B = results[j]!;
      let test: ReturnType<typeof correctedTTest> | null = null;
      if (folds.length > 1) {
        const sa = A.foldMetrics[primary] ?? [];
        const sb = B.foldMetrics[primary] ?? [];
        if (sa.every(Number.isFinite) && sb.every(Number.isFinite)) test = correctedTTest(sa, sb, ratio);
      } else if (task === 'classification' && truthAll) {
        const rows = folds[0]!.test;
        test = mcnemar(
          Float64Array.from(rows, (r) => truthAll[r]!),
          acc[i]!.testPreds[0]!,
          acc[j]!.testPreds[0]!,
        );
      }
      if (!test) continue;
      out.push({
        a: A.label,
        b: B.label,
        metric: primary,
        test: test.test,
        statistic: test.statistic,
        pValue: test.pValue,
        difference: test.difference,
        significant: test.pValue < 0.05 && test.difference !== 0,
        verdict: verdict(A.label, B.label, test, 0.05, higherIsBetter),
      });
    }
  }
  return out;
}

/** An all-missing column reads as text; say what is really wrong with it. */
function checkNotEmpty(table: Table, features: readonly string[]): void {
  for (const name of features) {
    const v = table.getChild(name);
    if (v && table.numRows > 0 && v.nullCount === table.numRows) {
      throw new EngineError('SchemaError', `Feature "${name}" has no values at all (every row is missing).`, {
        columnName: name,
        hint: 'Drop the column, or leave it out of the features.',
      });
    }
  }
}

/** The first `fraction` of each fold's training rows in a seeded order (the same rows for every model). */
function subsample(folds: Fold[], fraction: number, seed: number): Fold[] {
  if (!(fraction > 0 && fraction <= 1)) {
    throw new EngineError('InvalidArgument', `A training fraction must be in (0, 1], got ${fraction}.`);
  }
  return folds.map((fold, f) => {
    const keep = Math.max(2, Math.round(fold.train.length * fraction));
    const order = shuffleInPlace(Int32Array.from(fold.train), createRng(mixSeed(seed, 0x1c, f)));
    return { train: order.subarray(0, keep).sort(), test: fold.test };
  });
}

/** Permutation importance on one test fold: the primary metric's drop per shuffled feature. */
async function permutationDrops(
  def: AnyModelDef,
  state: unknown,
  X: Matrix,
  y: ReturnType<typeof takeTarget>,
  scores: Record<string, number>,
  metric: string,
  repeats: number,
  ctx: RunContext,
): Promise<number[]> {
  const base = scores[metric]!;
  const drops: number[] = [];
  const n = Math.max(1, Math.min(20, Math.floor(repeats)));
  for (let j = 0; j < X.cols; j++) {
    let total = 0;
    for (let r = 0; r < n; r++) {
      throwIfAborted(ctx.signal);
      const data = X.data.slice();
      const column = Float64Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols + j]!);
      shuffleInPlace(column, ctx.rng);
      for (let i = 0; i < X.rows; i++) data[i * X.cols + j] = column[i]!;
      const shuffled = { data, rows: X.rows, cols: X.cols };
      const pred = await def.predict(shuffled, state, ctx);
      const score =
        y.task === 'classification'
          ? accuracy(y.codes, pred)
          : y.task === 'regression'
            ? r2(y.values, pred)
            : base;
      total += LOWER_IS_BETTER.has(metric) ? score - base : base - score;
    }
    drops.push(total / n);
  }
  return drops;
}

function testTrainRatio(folds: readonly Fold[]): number {
  return (
    folds.reduce((s, f) => s + f.test.length / Math.max(1, f.train.length), 0) / Math.max(1, folds.length)
  );
}

/** Two runs on the same folds: corrected t-test across folds, or McNemar on a hold-out. */
export function compareRuns(a: RunScores, b: RunScores, options: CompareOptions): PairComparison {
  let test: ReturnType<typeof correctedTTest>;
  if (a.scores.length >= 2 && a.scores.length === b.scores.length) {
    test = correctedTTest(a.scores, b.scores, options.testTrainRatio);
  } else if (a.truth && a.predicted && b.predicted && a.predicted.length === b.predicted.length) {
    test = mcnemar(a.truth, a.predicted, b.predicted);
  } else {
    throw new EngineError(
      'InvalidArgument',
      'These runs were not scored on the same folds, so they cannot be compared.',
      { hint: 'Train both models with the same split and seed (or in one experiment).' },
    );
  }
  return {
    a: a.label,
    b: b.label,
    metric: options.metric,
    test: test.test,
    statistic: test.statistic,
    pValue: test.pValue,
    difference: test.difference,
    significant: test.pValue < 0.05 && test.difference !== 0,
    verdict: verdict(a.label, b.label, test, 0.05, options.higherIsBetter),
  };
}

function checkFinite(model: string, pred: Float64Array, proba: Matrix | null): void {
  const bad = pred.some((v) => !Number.isFinite(v)) || (proba?.data.some((v) => Number.isNaN(v)) ?? false);
  if (bad) {
    throw new EngineError(
      'InvalidArgument',
      `${model} diverged: its predictions are not finite numbers (NaN).`,
      {
        hint: 'Lower the learning rate, scale the features (StandardScaler), or add regularisation.',
      },
    );
  }
}

function failOnStepError(
  runs: { step: string; status: string; error?: { name: string; message: string } }[],
  fold: number | null,
): void {
  const failed = runs.find((r) => r.status === 'error');
  if (!failed?.error) return;
  throw new EngineError(
    'InvalidArgument',
    `The notebook step ${failed.step} failed${fold === null ? '' : ` in fold ${fold + 1}`}: ${failed.error.message}`,
    { hint: 'Fix the step in the notebook (its card shows the error), then train again.' },
  );
}
