import { describe, expect, it } from 'vitest';
import * as M from '../../src/models/metrics';
import { matrix } from '../../src/models/model';
import { fixture, fromRows } from './helpers';

interface Fx {
  binary: { y: number[]; score: number[]; pred: number[] };
  multi: { y: number[]; proba: number[][]; pred: number[] };
  regression: { y: number[]; pred: number[] };
  cluster: { X: number[][]; labels: number[]; centers: number[][] };
  expected: Record<string, number & number[] & number[][]>;
}
const fx = fixture<Fx>('metrics');
const e = (key: string) => fx.expected[key]!;
const close = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 10);
};

describe('classification metrics match scikit-learn', () => {
  const { y: yb, score: sb, pred: pb } = fx.binary;
  const { y: ym, proba, pred: pm } = fx.multi;
  const P = fromRows(proba);

  it('accuracy, balanced accuracy, confusion matrix', () => {
    expect(M.accuracy(yb, pb)).toBeCloseTo(e('accuracy_binary'), 12);
    expect(M.accuracy(ym, pm)).toBeCloseTo(e('accuracy_multi'), 12);
    expect(M.balancedAccuracy(ym, pm)).toBeCloseTo(e('balanced_accuracy_multi'), 12);
    expect(M.confusionMatrix(ym, pm)).toEqual(e('confusion_multi'));
  });

  it.each(['binary', 'macro', 'weighted', 'micro'] as const)('precision/recall/F1 %s', (avg) => {
    const got = M.precisionRecallF1(avg === 'binary' ? yb : ym, avg === 'binary' ? pb : pm, avg);
    close([got.precision, got.recall, got.f1], e(`prf_${avg}`));
  });

  it('ROC AUC (binary with tied scores, OvR macro) and the ROC curve', () => {
    expect(M.rocAuc(yb, sb)).toBeCloseTo(e('roc_auc_binary'), 12);
    expect(M.rocAucOvr(ym, P)).toBeCloseTo(e('roc_auc_ovr_macro'), 12);
    const roc = M.rocCurve(yb, sb);
    close(roc.fpr, e('roc_fpr'));
    close(roc.tpr, e('roc_tpr'));
  });

  it('precision-recall curve', () => {
    const pr = M.precisionRecallCurve(yb, sb);
    close(pr.precision, e('pr_precision'));
    close(pr.recall, e('pr_recall'));
    close(pr.thresholds, e('pr_thresholds'));
  });

  it('calibration curve (5 and 10 uniform bins)', () => {
    const c5 = M.calibrationCurve(yb, sb, 5);
    close(c5.probTrue, e('calibration_true'));
    close(c5.probPred, e('calibration_pred'));
    const c10 = M.calibrationCurve(yb, sb, 10);
    close(c10.probTrue, e('calibration10_true'));
    close(c10.probPred, e('calibration10_pred'));
  });

  it('log loss (multiclass and binary)', () => {
    expect(M.logLoss(ym, P)).toBeCloseTo(e('log_loss_multi'), 12);
    const B = matrix(sb.length, 2, Float64Array.from(sb.flatMap((s) => [1 - s, s])));
    expect(M.logLoss(yb, B)).toBeCloseTo(e('log_loss_binary'), 10);
  });

  it('rejects mismatched lengths and one-class ROC', () => {
    expect(() => M.accuracy([0, 1], [0])).toThrow(/2 true values but 1 predictions/);
    expect(() => M.rocAuc([1, 1, 1], [0.1, 0.2, 0.3])).toThrow(/both positive and negative/);
  });
});

describe('regression and clustering metrics match scikit-learn', () => {
  it('MAE, RMSE, R²', () => {
    const { y, pred } = fx.regression;
    expect(M.meanAbsoluteError(y, pred)).toBeCloseTo(e('mae'), 12);
    expect(M.rootMeanSquaredError(y, pred)).toBeCloseTo(e('rmse'), 12);
    expect(M.r2(y, pred)).toBeCloseTo(e('r2'), 12);
    expect(M.r2([2, 2, 2], [2, 2, 2])).toBe(1);
  });

  it('silhouette and inertia', () => {
    const X = fromRows(fx.cluster.X);
    expect(M.silhouetteScore(X, fx.cluster.labels)).toBeCloseTo(e('silhouette'), 12);
    expect(M.inertia(X, fx.cluster.labels, fromRows(fx.cluster.centers))).toBeCloseTo(e('inertia'), 9);
    expect(() => M.silhouetteScore(X, new Array(X.rows).fill(0))).toThrow(/between 2 and/);
  });
});
