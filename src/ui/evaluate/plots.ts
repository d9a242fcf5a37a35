/**
 * Evaluate's charts as data beyond the run's own (those are src/report/run-charts.ts, shared with
 * the HTML report): the learning curve's series, and the one size of the plot grid.
 */
import type { LearningCurveResult } from '../../protocol/api';
import { metricName } from '../../report/format';
import type { LineSeries } from '../../viz/lines';

/** The size of every chart in the plot grid. */
export const PLOT_SIZE = { width: 320, height: 280, theme: 'auto' } as const;

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
