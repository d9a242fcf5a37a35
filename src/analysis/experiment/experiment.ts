/**
 * One training experiment, worker-side: the rows the filters keep (rows.ts), seeded folds
 * (folds.ts), then the fold loop (fold-loop.ts): for every fold the notebook is fitted on the
 * fold's training rows only and the models read the features THAT fold's output has
 * (prepare.ts); every model is fitted and scored on the fold. The notebook runs once per fold,
 * whatever the number of models, so a grid search over 30 candidates costs 30 model fits per fold
 * and one preprocessing pass. Per-fold metrics are summarised (summaries.ts) and every pair of
 * models is compared on the same folds (comparison.ts).
 */

import type { Table } from 'apache-arrow';
import { cooperate } from '../../core/cooperate';
import { EngineError } from '../../core/errors';
import type { Progress } from '../../core/job';
import { createRng } from '../../core/rng';
import type { Compute } from '../../gpu/device';
import { type AnyModelDef, inferTask, type Matrix, validateModelParams } from '../../models/model';
import { modelForTask } from '../../models/registry';
import type { Fold } from '../../models/split';
import type { RunContext } from '../../pipeline/step';
import { compareModels } from './comparison';
import {
  classificationMetrics,
  clusteringMetrics,
  LOWER_IS_BETTER,
  PRIMARY_METRIC,
  regressionMetrics,
} from './evaluate';
import { unionOf } from './features';
import { type FoldFit, runFolds } from './fold-loop';
import { mixSeed, testTrainRatio } from './folds';
import { permutationDrops } from './importance';
import { type FoldInputs, prepareFold, splitRun } from './prepare';
import type { TrainingRows } from './rows';
import { splitReport } from './split-report';
import { type ModelAccumulator, modelResult, newAccumulator, recordOutOfFold } from './summaries';
import type {
  CurvePoint,
  ExperimentResult,
  FeaturePlan,
  ModelRunResult,
  TrainParamValue,
  TrainSpec,
  TrainTask,
} from './types';

export { compareRuns } from './comparison';
export { makeFolds } from './folds';

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
    const def = modelForTask(m.name, task, 'Pick a model for this task, or change the task.');
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

/** Everything fixed before the first fold: task, models, rows, folds. */
interface Setup {
  task: TrainTask;
  models: ResolvedModel[];
  rows: TrainingRows;
  folds: Fold[];
  inputs: FoldInputs;
}

async function setUp(ctx: ExperimentContext, spec: TrainSpec, options: ExperimentOptions): Promise<Setup> {
  const input = ctx.table;
  const target = spec.target;
  if (target !== null && !input.schema.fields.some((f) => f.name === target)) {
    throw new EngineError('SchemaError', `Target column "${target}" does not exist.`);
  }
  const task = taskFor(input, spec);
  const models = resolveModels(spec.models, task);
  // Reading the target, making folds and checking the split take seconds on millions of rows.
  ctx.progress({ fraction: 0, phase: 'Preparing the data' });
  const { rows, folds, inputs } = await splitRun(ctx, spec, task, options.trainFraction);
  return { task, models, rows, folds, inputs };
}

/** The run context of model m in fold f: its own seeded rng, its backends, its loss curve. */
function modelContext(
  ctx: ExperimentContext,
  a: ModelAccumulator,
  curve: CurvePoint[],
  seed: number,
  f: number,
  m: number,
  series: string,
  span: { done: number; width: number; total: number },
): RunContext {
  let pending: CurvePoint | null = null;
  return {
    rng: createRng(mixSeed(seed, f, m)),
    compute: ctx.compute ? recordingCompute(ctx.compute, a.backends) : null,
    signal: ctx.signal,
    iteration: ({ loss, validation }) => {
      pending = { step: curve.length + 1, loss, ...(validation !== undefined ? { validation } : {}) };
      if (curve.length < MAX_CURVE) curve.push(pending);
    },
    progress: (fraction: number, note?: string) => {
      const point = pending;
      pending = null;
      ctx.progress({
        fraction: (span.done + span.width * Math.min(1, Math.max(0, fraction))) / span.total,
        phase: `${series}${note ? `: ${note}` : ''}`,
        ...(point
          ? {
              metrics: {
                loss: point.loss,
                ...(point.validation !== undefined ? { validation: point.validation } : {}),
              },
              curve: { series, step: point.step },
            }
          : {}),
      });
    },
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

/** Scores one fitted model on its fold and keeps what the summaries need. */
async function score(
  fit: FoldFit,
  model: ResolvedModel,
  a: ModelAccumulator,
  features: readonly string[],
  test: Int32Array,
  recordOof: boolean,
  spec: TrainSpec,
  task: TrainTask,
): Promise<void> {
  const { pred, proba, data, state } = fit;
  a.foldMs.push(fit.ms);
  checkFinite(model.label, pred, proba);
  const { yte, Xte } = data;
  let scores: Record<string, number>;
  if (yte.task === 'classification') scores = classificationMetrics(yte.codes, pred, proba);
  else if (yte.task === 'regression') scores = regressionMetrics(yte.values, pred);
  else scores = clusteringMetrics(Xte, pred, state);
  a.folds.push(scores);
  if (spec.importance && task !== 'clustering') {
    const drops = await permutationDrops(
      model.def,
      state,
      Xte,
      yte,
      scores,
      PRIMARY_METRIC[task],
      spec.importance.repeats,
      fit.ctx,
    );
    a.importance.push({ features: [...features], drops });
  }
  if (recordOof) recordOutOfFold(a, test, pred, proba);
}

/** Per feature, in how many folds it was read, when not in all of them. */
function partialFeatures(perFold: readonly (readonly string[])[]): FeaturePlan['partial'] {
  const counts = new Map<string, number>();
  for (const list of perFold) for (const f of list) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts].filter(([, n]) => n < perFold.length).map(([column, folds]) => ({ column, folds }));
}

export async function runExperiment(
  ctx: ExperimentContext,
  spec: TrainSpec,
  options: ExperimentOptions = {},
): Promise<ExperimentResult> {
  const started = Date.now();
  const { task, models, rows, folds, inputs } = await setUp(ctx, spec, options);
  const base = rows.base;
  const n = base.numRows;
  const k = spec.split.kind === 'holdout' ? 1 : spec.split.k;
  ctx.progress({ fraction: 0, phase: 'Checking the split' });
  const report = await splitReport(base, spec.target, task, folds[0]!.train, folds[0]!.test, ctx.signal);
  const acc = models.map(() => newAccumulator(n));
  const foldFeatures: string[][] = [];
  let firstPlan: FeaturePlan | null = null;
  let classNames: string[] | null = null;
  let truthAll: Float64Array | null = null;
  const oofFold = new Int32Array(n).fill(-1);
  const totalWork = folds.length * models.length;
  const groups = options.batch ? batchGroups(models) : [];
  const where = (f: number) => (folds.length > 1 ? ` · fold ${f + 1}/${folds.length}` : '');
  const series = (f: number, m: number) => `${models[m]!.label}${where(f)}`;

  await runFolds({
    folds,
    models,
    groups,
    proba: task === 'classification',
    signal: ctx.signal,
    async prepare(fold, f) {
      if (rows.steps.length > 0)
        ctx.progress({ fraction: (f * models.length) / totalWork, phase: `Preprocessing${where(f)}` });
      const prepared = await prepareFold(inputs, fold, f);
      foldFeatures.push(prepared.plan.features);
      if (f === 0) {
        firstPlan = prepared.plan;
        if (prepared.y.task === 'classification') {
          classNames = [...prepared.y.classes];
          truthAll = Float64Array.from(prepared.y.codes);
        } else if (prepared.y.task === 'regression') truthAll = prepared.y.values;
      }
      if (f < k) for (const i of fold.test) oofFold[i] = f;
      return prepared.data;
    },
    context(f, m) {
      const curve: CurvePoint[] = [];
      acc[m]!.curves.push(curve);
      // A batched group reports progress over the span of all its members.
      const group = groups.find((g) => g.includes(m));
      const span = {
        done: f * models.length + (group ? group[0]! : m),
        width: group ? group.length : 1,
        total: totalWork,
      };
      return modelContext(ctx, acc[m]!, curve, spec.seed, f, m, series(f, m), span);
    },
    starting(f, members) {
      const m = members[0]!;
      const phase =
        members.length > 1
          ? `${members.length} × ${models[m]!.def.name} in one batch${where(f)}`
          : series(f, m);
      ctx.progress({ fraction: (f * models.length + m) / totalWork, phase });
    },
    async record(fit) {
      const { fold: f, model: m } = fit;
      await score(fit, models[m]!, acc[m]!, foldFeatures[f]!, folds[f]!.test, f < k, spec, task);
      ctx.progress({ fraction: (f * models.length + m + 1) / totalWork, phase: `${series(f, m)}: done` });
    },
  });

  const primary = PRIMARY_METRIC[task];
  const higherIsBetter = !LOWER_IS_BETTER.has(primary);
  const oofRows = Array.from(oofFold.keys()).filter((i) => oofFold[i]! >= 0);
  const features = unionOf(foldFeatures);
  const facts = {
    task,
    oofRows,
    oofFold,
    truthAll,
    classNames,
    features,
    plots: options.plots !== false,
    between: () => cooperate(ctx.signal),
  };
  const results: ModelRunResult[] = [];
  for (const [m, model] of models.entries()) {
    results.push(await modelResult({ ...model, name: model.def.name }, acc[m]!, facts));
  }
  const plan = firstPlan as FeaturePlan | null;
  const partial = partialFeatures(foldFeatures);
  return {
    id: `${ctx.datasetId}:${started.toString(36)}`,
    datasetId: ctx.datasetId,
    target: spec.target,
    task,
    features,
    ...(plan ? { featurePlan: { ...plan, ...(partial && partial.length > 0 ? { partial } : {}) } } : {}),
    requestedFeatures: spec.features && spec.features.length > 0 ? [...spec.features] : null,
    ...(rows.notes.length > 0 ? { notes: rows.notes } : {}),
    classes: classNames,
    split: spec.split,
    seed: spec.seed,
    rows: n,
    folds: folds.length,
    testTrainRatio: testTrainRatio(folds),
    primary,
    higherIsBetter,
    models: results,
    comparisons: compareModels(
      results,
      acc.map((a) => a.testPreds),
      folds,
      primary,
      higherIsBetter,
      task,
      truthAll,
    ),
    splitReport: report,
    ms: Date.now() - started,
  };
}
