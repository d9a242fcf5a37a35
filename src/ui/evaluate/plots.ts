/**
 * Evaluate's line charts as data: the series of the ROC, precision–recall, calibration, loss and
 * learning curves of a run, and the options they are drawn with (one size for the plot grid).
 */
import type { LearningCurveResult } from '../../protocol/api';
import { metricName } from '../../report/format';
import type { TrainRun } from '../../state/train';
import type { LineSeries, LinesOptions } from '../../viz/lines';

type RunModel = TrainRun['model'];

/** The size of every chart in the plot grid. */
export const PLOT_SIZE = { width: 320, height: 280, theme: 'auto' } as const;

export function rocSeries(model: RunModel): LineSeries[] {
  return (model.plots.roc ?? []).map((c) => ({
    label: `${c.label} (${c.auc.toFixed(3)})`,
    x: c.fpr,
    y: c.tpr,
  }));
}

export const ROC_OPTIONS: LinesOptions = {
  xDomain: [0, 1],
  yDomain: [0, 1],
  diagonal: true,
  xLabel: 'false positive rate',
  yLabel: 'true positive rate',
  title: 'ROC curves, one vs rest (AUC in brackets)',
};

export function prSeries(model: RunModel): LineSeries[] {
  return (model.plots.pr ?? []).map((c) => ({ label: c.label, x: c.recall, y: c.precision }));
}

export const PR_OPTIONS: LinesOptions = {
  xDomain: [0, 1],
  yDomain: [0, 1.02],
  xLabel: 'recall',
  yLabel: 'precision',
  title: 'Precision–recall curves',
};

export function calibrationSeries(model: RunModel): LineSeries[] {
  return (model.plots.calibration ?? []).map((c) => ({
    label: c.label,
    x: c.probPred,
    y: c.probTrue,
    markers: true,
  }));
}

export const CALIBRATION_OPTIONS: LinesOptions = {
  xDomain: [0, 1],
  yDomain: [0, 1],
  diagonal: true,
  xLabel: 'mean predicted probability',
  yLabel: 'fraction of positives',
  title: 'Calibration',
};

/** The training loss of each fold (up to 10) that logged more than one step. */
export function lossSeries(model: RunModel): LineSeries[] {
  return model.curves
    .map((c, f) => ({
      label: `fold ${f + 1}`,
      x: c.map((p) => p.step),
      y: c.map((p) => p.loss),
    }))
    .filter((s) => s.x.length > 1)
    .slice(0, 10);
}

export const LOSS_OPTIONS: LinesOptions = {
  xLabel: 'iteration',
  yLabel: 'training loss',
  title: 'Loss per fold',
};

/** The test score of `modelName` against the training rows, with its 95% CI band. */
export function learningSeries(lc: LearningCurveResult, modelName: string): LineSeries[] {
  const pts = lc.points;
  return [
    {
      label: metricName(lc.metric),
      x: pts.map((p) => p.trainRows),
      y: pts.map((p) => p.scores[modelName]?.mean ?? Number.NaN),
      low: pts.map((p) => p.scores[modelName]?.ciLow ?? Number.NaN),
      high: pts.map((p) => p.scores[modelName]?.ciHigh ?? Number.NaN),
      markers: true,
    },
  ];
}
