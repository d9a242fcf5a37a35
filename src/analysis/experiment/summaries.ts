/**
 * What a run reports per model once every fold is scored: metrics summarised over folds (mean ±
 * std, 95% t-interval), the out-of-fold predictions of the first repeat, plot data, importance.
 */
import type { Matrix } from '../../models/model';
import { summarize } from '../../models/stats';
import { classificationPlots, regressionPlots } from './evaluate';
import { importanceSummary } from './importance';
import type { CurvePoint, EvaluationPlots, MetricSummary, ModelRunResult, TrainTask } from './types';

/** What the fold loop collects per model. */
export interface ModelAccumulator {
  folds: Record<string, number>[];
  foldMs: number[];
  backends: Set<string>;
  curves: CurvePoint[][];
  oofPred: Float64Array;
  oofProba: Float64Array | null;
  probaCols: number;
  /** Per fold (first repeat): test predictions, kept for McNemar on a hold-out. */
  testPreds: Float64Array[];
  /** Per fold: the features its model read and the mean metric drop of each when shuffled. */
  importance: { features: string[]; drops: number[] }[];
}

export function newAccumulator(rows: number): ModelAccumulator {
  return {
    folds: [],
    foldMs: [],
    backends: new Set(),
    curves: [],
    oofPred: new Float64Array(rows).fill(Number.NaN),
    oofProba: null,
    probaCols: 0,
    testPreds: [],
    importance: [],
  };
}

/** Keeps a fold's test predictions (and probabilities) at their rows. */
export function recordOutOfFold(
  a: ModelAccumulator,
  rows: Int32Array,
  pred: Float64Array,
  proba: Matrix | null,
): void {
  a.testPreds.push(pred);
  rows.forEach((row, r) => {
    a.oofPred[row] = pred[r]!;
  });
  if (!proba) return;
  const n = a.oofPred.length;
  a.probaCols = proba.cols;
  a.oofProba ??= new Float64Array(n * proba.cols).fill(Number.NaN);
  rows.forEach((row, r) => {
    a.oofProba!.set(proba.data.subarray(r * proba.cols, (r + 1) * proba.cols), row * proba.cols);
  });
}

/** Mean ± std with a 95% t-interval over the finite values (NaN everywhere when there are none). */
export function summary(values: number[]): MetricSummary {
  const present = values.filter((v) => Number.isFinite(v));
  if (present.length === 0)
    return { mean: Number.NaN, std: Number.NaN, n: 0, ciLow: Number.NaN, ciHigh: Number.NaN };
  return summarize(present);
}

export interface RunFacts {
  task: TrainTask;
  /** Rows scored out of fold (first repeat), ascending; the fold of every row (-1: none). */
  oofRows: number[];
  oofFold: Int32Array;
  truthAll: Float64Array | null;
  classNames: string[] | null;
  /** Every feature some fold's model read, in order of first use. */
  features: string[];
  plots: boolean;
  /** A turn for cancel between the plots' curves. */
  between?: () => Promise<void>;
}

export async function modelResult(
  model: {
    label: string;
    name: string;
    params: ModelRunResult['params'];
    changed: ModelRunResult['changed'];
  },
  a: ModelAccumulator,
  facts: RunFacts,
): Promise<ModelRunResult> {
  const keys = [...new Set(a.folds.flatMap((s) => Object.keys(s)))];
  const foldMetrics: Record<string, number[]> = {};
  const metrics: Record<string, MetricSummary> = {};
  for (const key of keys) {
    foldMetrics[key] = a.folds.map((s) => s[key] ?? Number.NaN);
    metrics[key] = summary(foldMetrics[key]!);
  }
  const { oofRows: rows, truthAll, classNames } = facts;
  return {
    label: model.label,
    name: model.name,
    params: model.params,
    changed: model.changed,
    metrics,
    foldMetrics,
    foldMs: a.foldMs,
    fitMs: a.foldMs.reduce((s, t) => s + t, 0),
    backend: a.backends.size > 0 ? [...a.backends].sort().join('+') : 'cpu',
    curves: a.curves,
    oof: {
      rows,
      truth: truthAll ? rows.map((i) => truthAll[i]!) : [],
      predicted: rows.map((i) => a.oofPred[i]!),
      fold: rows.map((i) => facts.oofFold[i]!),
      ...(a.oofProba && truthAll && a.probaCols === classNames?.length
        ? { probability: oofProbability(a.oofProba, a.probaCols, rows, truthAll, a.oofPred) }
        : {}),
    },
    plots: facts.plots ? await plotsFor(facts.task, rows, truthAll, a, classNames, facts.between) : {},
    ...(a.importance.length > 0
      ? { importance: importanceSummary(facts.features, a.importance, summary) }
      : {}),
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

async function plotsFor(
  task: TrainTask,
  rows: number[],
  truthAll: Float64Array | null,
  a: ModelAccumulator,
  classes: string[] | null,
  between?: () => Promise<void>,
): Promise<EvaluationPlots> {
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
  return classificationPlots(truth, pred, proba, classes, between);
}
