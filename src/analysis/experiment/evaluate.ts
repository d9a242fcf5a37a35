/**
 * Scores of one fold and the plot data of a run's out-of-fold predictions, with scikit-learn's
 * metric definitions (src/models/metrics). Metric keys are sklearn's scorer names without the
 * `neg_` sign flip: `accuracy`, `f1_macro`, `roc_auc`, `log_loss`, `mae`, `rmse`, `r2`, …
 */

import {
  accuracy,
  balancedAccuracy,
  calibrationCurve,
  confusionMatrix,
  inertia,
  logLoss,
  meanAbsoluteError,
  precisionRecallCurve,
  precisionRecallF1,
  r2,
  rocAuc,
  rocAucOvr,
  rocCurve,
  rootMeanSquaredError,
  silhouetteScore,
  trapezoid,
} from '../../models/metrics';
import { type Matrix, takeMatrixRows } from '../../models/model';
import type { EvaluationPlots, TrainTask } from './types';

/** Metrics where lower is better; every other metric is higher-is-better. */
export const LOWER_IS_BETTER = new Set(['log_loss', 'mae', 'rmse', 'inertia']);

export const PRIMARY_METRIC: Record<TrainTask, string> = {
  classification: 'accuracy',
  regression: 'r2',
  clustering: 'silhouette',
};

/** The silhouette is O(n²): score it on at most this many test rows. */
const SILHOUETTE_ROWS = 2000;
const MAX_CURVE_POINTS = 300;

function tryMetric(f: () => number): number {
  try {
    const v = f();
    return Number.isFinite(v) ? v : Number.NaN;
  } catch {
    // e.g. ROC AUC on a fold where a class is missing: the metric is undefined there.
    return Number.NaN;
  }
}

export function classificationMetrics(
  truth: Int32Array,
  pred: Float64Array,
  proba: Matrix | null,
): Record<string, number> {
  const out: Record<string, number> = {
    accuracy: accuracy(truth, pred),
    balanced_accuracy: balancedAccuracy(truth, pred),
  };
  for (const average of ['macro', 'weighted'] as const) {
    const s = precisionRecallF1(truth, pred, average);
    out[`precision_${average}`] = s.precision;
    out[`recall_${average}`] = s.recall;
    out[`f1_${average}`] = s.f1;
  }
  if (proba) {
    out.roc_auc = tryMetric(() =>
      proba.cols === 2
        ? rocAuc(
            truth,
            Float64Array.from({ length: proba.rows }, (_, i) => proba.data[i * 2 + 1]!),
          )
        : rocAucOvr(truth, proba),
    );
    out.log_loss = tryMetric(() => logLoss(truth, proba));
  }
  return out;
}

export function regressionMetrics(truth: Float64Array, pred: Float64Array): Record<string, number> {
  return {
    mae: meanAbsoluteError(truth, pred),
    rmse: rootMeanSquaredError(truth, pred),
    r2: r2(truth, pred),
  };
}

export function clusteringMetrics(X: Matrix, labels: Float64Array, state: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  const rows = Math.min(X.rows, SILHOUETTE_ROWS);
  const step = X.rows / rows;
  const idx = Int32Array.from({ length: rows }, (_, k) => Math.floor(k * step));
  const sub = takeMatrixRows(X, idx);
  out.silhouette = tryMetric(() =>
    silhouetteScore(
      sub,
      Float64Array.from(idx, (i) => labels[i]!),
    ),
  );
  const centers = (state as { centers?: Float64Array } | null)?.centers;
  if (centers instanceof Float64Array && centers.length % X.cols === 0) {
    out.inertia = inertia(X, labels, { data: centers, rows: centers.length / X.cols, cols: X.cols });
  }
  return out;
}

/** Keeps at most `max` points of a curve (evenly spaced, ends kept). */
function thin(n: number, max = MAX_CURVE_POINTS): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, k) => Math.round((k * (n - 1)) / (max - 1)));
}

function pick(values: readonly number[], idx: readonly number[]): number[] {
  return idx.map((i) => values[i]!);
}

/** Confusion matrix, one-vs-rest ROC/PR/calibration (binary: the positive class only). */
export async function classificationPlots(
  truth: Int32Array,
  pred: Float64Array,
  proba: Matrix | null,
  classes: readonly string[],
  /** A turn for cancel between curves (each sorts every out-of-fold row). */
  between: () => Promise<void> = async () => undefined,
): Promise<EvaluationPlots> {
  const k = classes.length;
  const labels = Array.from({ length: k }, (_, c) => c);
  const plots: EvaluationPlots = {
    confusion: { labels: [...classes], matrix: confusionMatrix(truth, pred, labels) },
  };
  if (!proba) return plots;
  const shown = k === 2 ? [1] : labels.slice(0, 10);
  plots.roc = [];
  plots.pr = [];
  plots.calibration = [];
  for (const c of shown) {
    const score = Float64Array.from({ length: proba.rows }, (_, i) => proba.data[i * proba.cols + c]!);
    const positives = truth.reduce((s, t) => s + (t === c ? 1 : 0), 0);
    if (positives === 0 || positives === truth.length) continue;
    await between();
    const roc = rocCurve(truth, score, c);
    const rocIdx = thin(roc.fpr.length);
    plots.roc.push({
      label: classes[c]!,
      fpr: pick(roc.fpr, rocIdx),
      tpr: pick(roc.tpr, rocIdx),
      // rocAuc would sort the scores again for the same curve.
      auc: trapezoid(roc.fpr, roc.tpr),
    });
    await between();
    const pr = precisionRecallCurve(truth, score, c);
    const prIdx = thin(pr.recall.length);
    plots.pr.push({
      label: classes[c]!,
      precision: pick(pr.precision, prIdx),
      recall: pick(pr.recall, prIdx),
    });
    await between();
    const binary = Int32Array.from(truth, (t) => (t === c ? 1 : 0));
    const cal = calibrationCurve(binary, score, 10);
    plots.calibration.push({ label: classes[c]!, probPred: cal.probPred, probTrue: cal.probTrue });
  }
  return plots;
}

export function regressionPlots(truth: Float64Array, pred: Float64Array): EvaluationPlots {
  const idx = thin(truth.length, 2000);
  return { residuals: { actual: idx.map((i) => truth[i]!), predicted: idx.map((i) => pred[i]!) } };
}
