/**
 * Evaluation metrics with scikit-learn's definitions (1.2): same averaging, same tie handling in
 * the ranking metrics, zero where sklearn's `zero_division` warns and returns 0. Classification
 * inputs are class codes (numbers); labels are the sorted union of true and predicted codes unless
 * given. Each is tested against sklearn's numbers in tests/fixtures/sklearn/models/metrics.json.
 */
import { EngineError } from '../core/errors';
import type { Matrix } from './model';

type Labels = ArrayLike<number>;

function sameLength(a: { length: number }, b: { length: number }, what: string): void {
  if (a.length !== b.length) {
    throw new EngineError('InvalidArgument', `${what}: ${a.length} true values but ${b.length} predictions.`);
  }
  if (a.length === 0) throw new EngineError('InvalidArgument', `${what} needs at least one row.`);
}

function labelsOf(yTrue: Labels, yPred: Labels): number[] {
  const s = new Set<number>();
  for (let i = 0; i < yTrue.length; i++) s.add(yTrue[i]!);
  for (let i = 0; i < yPred.length; i++) s.add(yPred[i]!);
  return [...s].sort((a, b) => a - b);
}

export function accuracy(yTrue: Labels, yPred: Labels): number {
  sameLength(yTrue, yPred, 'accuracy');
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

/** rows = true label, columns = predicted label, both in the order of `labels`. */
export function confusionMatrix(yTrue: Labels, yPred: Labels, labels = labelsOf(yTrue, yPred)): number[][] {
  sameLength(yTrue, yPred, 'confusion matrix');
  const index = new Map(labels.map((l, k) => [l, k]));
  const m = labels.map(() => new Array<number>(labels.length).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i]!);
    const p = index.get(yPred[i]!);
    if (t !== undefined && p !== undefined) m[t]![p]!++;
  }
  return m;
}

/** Mean per-class recall over the classes present in yTrue. */
export function balancedAccuracy(yTrue: Labels, yPred: Labels): number {
  const labels = labelsOf(yTrue, yPred);
  const cm = confusionMatrix(yTrue, yPred, labels);
  let sum = 0;
  let present = 0;
  cm.forEach((row, k) => {
    const support = row.reduce((s, v) => s + v, 0);
    if (support > 0) {
      sum += row[k]! / support;
      present++;
    }
  });
  return sum / present;
}

export type Average = 'binary' | 'macro' | 'weighted' | 'micro';

export interface PrfScores {
  precision: number;
  recall: number;
  f1: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Precision, recall and F1; `binary` scores the class `posLabel` (default 1). */
export function precisionRecallF1(
  yTrue: Labels,
  yPred: Labels,
  average: Average = 'binary',
  posLabel = 1,
): PrfScores {
  const labels = labelsOf(yTrue, yPred);
  const cm = confusionMatrix(yTrue, yPred, labels);
  const k = labels.length;
  const tp = labels.map((_, c) => cm[c]![c]!);
  const predicted = labels.map((_, c) => cm.reduce((s, row) => s + row[c]!, 0));
  const support = cm.map((row) => row.reduce((s, v) => s + v, 0));
  const f1Of = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
  if (average === 'micro') {
    const t = tp.reduce((s, v) => s + v, 0);
    const p = ratio(
      t,
      predicted.reduce((s, v) => s + v, 0),
    );
    const r = ratio(
      t,
      support.reduce((s, v) => s + v, 0),
    );
    return { precision: p, recall: r, f1: f1Of(p, r) };
  }
  if (average === 'binary') {
    if (k > 2) {
      throw new EngineError(
        'InvalidArgument',
        `Binary averaging needs two classes, got ${k}; use macro or weighted.`,
      );
    }
    const c = labels.indexOf(posLabel);
    if (c < 0) return { precision: 0, recall: 0, f1: 0 };
    const p = ratio(tp[c]!, predicted[c]!);
    const r = ratio(tp[c]!, support[c]!);
    return { precision: p, recall: r, f1: f1Of(p, r) };
  }
  const total = support.reduce((s, v) => s + v, 0);
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  for (let c = 0; c < k; c++) {
    const p = ratio(tp[c]!, predicted[c]!);
    const r = ratio(tp[c]!, support[c]!);
    const w = average === 'macro' ? 1 / k : support[c]! / total;
    precision += w * p;
    recall += w * r;
    f1 += w * f1Of(p, r);
  }
  return { precision, recall, f1 };
}

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}

/** sklearn's _binary_clf_curve: cumulative fp/tp at each distinct score, highest first. */
function binaryCurve(yTrue: Labels, score: ArrayLike<number>, posLabel: number) {
  sameLength(yTrue, score, 'ranking metric');
  const order = Array.from({ length: score.length }, (_, i) => i).sort((a, b) => score[b]! - score[a]!);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < order.length; r++) {
    const i = order[r]!;
    if (yTrue[i] === posLabel) tp++;
    else fp++;
    const next = order[r + 1];
    if (next === undefined || score[next] !== score[i]) {
      fps.push(fp);
      tps.push(tp);
      thresholds.push(score[i]!);
    }
  }
  return { fps, tps, thresholds };
}

/** ROC curve with sklearn's drop_intermediate (collinear points removed); the first threshold is
 * +Infinity ("predict nothing positive"). */
export function rocCurve(yTrue: Labels, score: ArrayLike<number>, posLabel = 1): RocCurve {
  const { fps, tps, thresholds } = binaryCurve(yTrue, score, posLabel);
  const keep: number[] = [];
  for (let i = 0; i < fps.length; i++) {
    if (i === 0 || i === fps.length - 1) keep.push(i);
    else if (fps[i - 1]! - 2 * fps[i]! + fps[i + 1]! !== 0 || tps[i - 1]! - 2 * tps[i]! + tps[i + 1]! !== 0) {
      keep.push(i);
    }
  }
  const P = tps[tps.length - 1]!;
  const N = fps[fps.length - 1]!;
  if (P === 0 || N === 0) {
    throw new EngineError('InvalidArgument', 'A ROC curve needs both positive and negative rows.');
  }
  return {
    fpr: [0, ...keep.map((i) => fps[i]! / N)],
    tpr: [0, ...keep.map((i) => tps[i]! / P)],
    thresholds: [Number.POSITIVE_INFINITY, ...keep.map((i) => thresholds[i]!)],
  };
}

/** Area under a curve by the trapezoidal rule (sklearn's auc). */
export function trapezoid(x: number[], y: number[]): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return area;
}

/** Binary ROC AUC from scores of the positive class. */
export function rocAuc(yTrue: Labels, score: ArrayLike<number>, posLabel = 1): number {
  const { fpr, tpr } = rocCurve(yTrue, score, posLabel);
  return trapezoid(fpr, tpr);
}

/** One-vs-rest macro ROC AUC from a probability matrix (columns = classes 0..k-1). */
export function rocAucOvr(yTrue: Labels, proba: Matrix): number {
  let sum = 0;
  for (let c = 0; c < proba.cols; c++) {
    const score = Float64Array.from({ length: proba.rows }, (_, i) => proba.data[i * proba.cols + c]!);
    sum += rocAuc(yTrue, score, c);
  }
  return sum / proba.cols;
}

export interface PrCurve {
  precision: number[];
  recall: number[];
  thresholds: number[];
}

/** sklearn 1.2's precision_recall_curve: recall decreasing, ending at (recall 0, precision 1). */
export function precisionRecallCurve(yTrue: Labels, score: ArrayLike<number>, posLabel = 1): PrCurve {
  const { fps, tps, thresholds } = binaryCurve(yTrue, score, posLabel);
  const P = tps[tps.length - 1]!;
  const precision = tps.map((t, i) => ratio(t, t + fps[i]!));
  const recall = tps.map((t) => (P === 0 ? 1 : t / P));
  return {
    precision: [...precision.reverse(), 1],
    recall: [...recall.reverse(), 0],
    thresholds: [...thresholds].reverse(),
  };
}

/** Mean cross-entropy; probabilities clipped to [eps, 1-eps] and rows renormalised (sklearn 1.2). */
export function logLoss(yTrue: Labels, proba: Matrix): number {
  sameLength(yTrue, { length: proba.rows }, 'log loss');
  const eps = 2.220446049250313e-16;
  const k = proba.cols;
  let total = 0;
  for (let i = 0; i < proba.rows; i++) {
    let rowSum = 0;
    for (let c = 0; c < k; c++) rowSum += Math.min(1 - eps, Math.max(eps, proba.data[i * k + c]!));
    const p = Math.min(1 - eps, Math.max(eps, proba.data[i * k + yTrue[i]!]!)) / rowSum;
    total -= Math.log(p);
  }
  return total / proba.rows;
}

export interface CalibrationCurve {
  probTrue: number[];
  probPred: number[];
}

/** Uniform-bin reliability curve (sklearn's calibration_curve, strategy 'uniform'); empty bins dropped. */
export function calibrationCurve(yTrue: Labels, probPos: ArrayLike<number>, nBins = 5): CalibrationCurve {
  sameLength(yTrue, probPos, 'calibration curve');
  const sums = new Float64Array(nBins);
  const trues = new Float64Array(nBins);
  const totals = new Float64Array(nBins);
  for (let i = 0; i < probPos.length; i++) {
    const p = probPos[i]!;
    // searchsorted(edges[1:-1], p, side='left'): the number of inner edges strictly below p.
    let bin = 0;
    while (bin < nBins - 1 && (bin + 1) / nBins < p) bin++;
    sums[bin]! += p;
    trues[bin]! += yTrue[i] === 1 ? 1 : 0;
    totals[bin]!++;
  }
  const probTrue: number[] = [];
  const probPred: number[] = [];
  for (let b = 0; b < nBins; b++) {
    if (totals[b]! > 0) {
      probTrue.push(trues[b]! / totals[b]!);
      probPred.push(sums[b]! / totals[b]!);
    }
  }
  return { probTrue, probPred };
}

export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  sameLength(yTrue, yPred, 'MAE');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i]! - yPred[i]!);
  return s / yTrue.length;
}

export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  sameLength(yTrue, yPred, 'RMSE');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yTrue[i]! - yPred[i]!) ** 2;
  return Math.sqrt(s / yTrue.length);
}

/** Coefficient of determination; like sklearn, 1 for a perfect fit of a constant target, else 0. */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  sameLength(yTrue, yPred, 'R²');
  let mean = 0;
  for (let i = 0; i < yTrue.length; i++) mean += yTrue[i]!;
  mean /= yTrue.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    ssRes += (yTrue[i]! - yPred[i]!) ** 2;
    ssTot += (yTrue[i]! - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

function rowDistance(X: Matrix, a: number, b: number): number {
  let s = 0;
  for (let j = 0; j < X.cols; j++) {
    const d = X.data[a * X.cols + j]! - X.data[b * X.cols + j]!;
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Mean silhouette coefficient (Euclidean); rows of singleton clusters score 0, as in sklearn. */
export function silhouetteScore(X: Matrix, labels: ArrayLike<number>): number {
  sameLength({ length: X.rows }, labels, 'silhouette');
  const clusters = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  if (clusters.length < 2 || clusters.length > X.rows - 1) {
    throw new EngineError(
      'InvalidArgument',
      `The silhouette needs between 2 and ${X.rows - 1} clusters, got ${clusters.length}.`,
    );
  }
  const index = new Map(clusters.map((c, k) => [c, k]));
  const size = new Float64Array(clusters.length);
  for (let i = 0; i < X.rows; i++) size[index.get(labels[i]!)!]!++;
  const sums = new Float64Array(clusters.length);
  let total = 0;
  for (let i = 0; i < X.rows; i++) {
    sums.fill(0);
    for (let j = 0; j < X.rows; j++) if (j !== i) sums[index.get(labels[j]!)!]! += rowDistance(X, i, j);
    const own = index.get(labels[i]!)!;
    if (size[own]! <= 1) continue;
    const a = sums[own]! / (size[own]! - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let k = 0; k < clusters.length; k++) if (k !== own) b = Math.min(b, sums[k]! / size[k]!);
    total += (b - a) / Math.max(a, b);
  }
  return total / X.rows;
}

/** Sum of squared distances of rows to their cluster's center (`centers` is k × d). */
export function inertia(X: Matrix, labels: ArrayLike<number>, centers: Matrix): number {
  let s = 0;
  for (let i = 0; i < X.rows; i++) {
    const c = labels[i]!;
    for (let j = 0; j < X.cols; j++) s += (X.data[i * X.cols + j]! - centers.data[c * X.cols + j]!) ** 2;
  }
  return s;
}
