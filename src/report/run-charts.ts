/**
 * The charts of one run — confusion matrix, ROC, precision–recall and calibration curves, fit and
 * residuals, loss per fold — as a list of SVG builders, for any page that shows a run: the HTML
 * report (Export tab) renders them with a fixed light theme into a standalone document. The line
 * charts' series and options are exported too: the Evaluate tab draws the same ones.
 */
import type { ExperimentResult, ModelRunResult } from '../protocol/api';
import { confusion } from '../viz/confusion';
import { type LineSeries, type LinesOptions, lines } from '../viz/lines';
import { residuals } from '../viz/residuals';
import type { ThemeOption } from '../viz/theme';

export interface ChartOptions {
  theme: ThemeOption;
  /** Where to create the elements (default the page's document). */
  document?: Document;
  width?: number;
  height?: number;
}

export interface RunChart {
  /** Stable id ("roc", "confusion"…), for tests and anchors. */
  label: string;
  title: string;
  render(options: ChartOptions): SVGSVGElement;
}

/** What the line charts read of a run. */
type RunCurves = Pick<ModelRunResult, 'plots' | 'curves'>;
type TitledOptions = LinesOptions & { title: string };

export function rocSeries(run: RunCurves): LineSeries[] {
  return (run.plots.roc ?? []).map((c) => ({
    label: `${c.label} (${c.auc.toFixed(3)})`,
    x: c.fpr,
    y: c.tpr,
  }));
}

export const ROC_OPTIONS: TitledOptions = {
  xDomain: [0, 1],
  yDomain: [0, 1],
  diagonal: true,
  xLabel: 'false positive rate',
  yLabel: 'true positive rate',
  title: 'ROC curves, one vs rest (AUC in brackets)',
};

export function prSeries(run: RunCurves): LineSeries[] {
  return (run.plots.pr ?? []).map((c) => ({ label: c.label, x: c.recall, y: c.precision }));
}

export const PR_OPTIONS: TitledOptions = {
  xDomain: [0, 1],
  yDomain: [0, 1.02],
  xLabel: 'recall',
  yLabel: 'precision',
  title: 'Precision–recall curves',
};

export function calibrationSeries(run: RunCurves): LineSeries[] {
  return (run.plots.calibration ?? []).map((c) => ({
    label: c.label,
    x: c.probPred,
    y: c.probTrue,
    markers: true,
  }));
}

export const CALIBRATION_OPTIONS: TitledOptions = {
  xDomain: [0, 1],
  yDomain: [0, 1],
  diagonal: true,
  xLabel: 'mean predicted probability',
  yLabel: 'fraction of positives',
  title: 'Calibration',
};

/** The training loss of each fold (up to 10) that logged more than one step. */
export function lossSeries(run: RunCurves): LineSeries[] {
  return run.curves
    .map((c, f) => ({
      label: `fold ${f + 1}`,
      x: c.map((p) => p.step),
      y: c.map((p) => p.loss),
    }))
    .filter((s) => s.x.length > 1)
    .slice(0, 10);
}

export const LOSS_OPTIONS: TitledOptions = {
  xLabel: 'iteration',
  yLabel: 'training loss',
  title: 'Loss per fold',
};

/** A line chart of `series` drawn with `options` at the chart size `o` asks for. */
function lineChart(label: string, series: LineSeries[], options: TitledOptions): RunChart {
  return {
    label,
    title: options.title,
    render: (o) => lines(series, { ...options, ...base(o, options.title) }),
  };
}

const WIDTH = 320;
const HEIGHT = 280;

function base(o: ChartOptions, title: string) {
  return {
    theme: o.theme,
    width: o.width ?? WIDTH,
    height: o.height ?? HEIGHT,
    title,
    ...(o.document ? { document: o.document } : {}),
  };
}

/** Every chart the run's results can draw, in the Evaluate tab's order. */
export function runCharts(run: ModelRunResult, experiment: ExperimentResult | null): RunChart[] {
  const plots = run.plots;
  const charts: RunChart[] = [];
  const target = experiment?.target ?? 'target';
  const cm = plots.confusion;
  if (cm) {
    charts.push({
      label: 'confusion',
      title: 'Confusion matrix',
      render: (o) => confusion(cm, { ...base(o, 'Confusion matrix'), height: undefined }),
    });
  }
  if (plots.roc?.length) charts.push(lineChart('roc', rocSeries(run), ROC_OPTIONS));
  if (plots.pr?.length) charts.push(lineChart('pr', prSeries(run), PR_OPTIONS));
  if (plots.calibration?.length)
    charts.push(lineChart('calibration', calibrationSeries(run), CALIBRATION_OPTIONS));
  const res = plots.residuals;
  if (res) {
    charts.push(
      {
        label: 'fit',
        title: 'Predicted vs actual',
        render: (o) => residuals(res, { ...base(o, 'Predicted vs actual'), mode: 'fit', target }),
      },
      {
        label: 'residuals',
        title: 'Residuals',
        render: (o) => residuals(res, { ...base(o, 'Residuals'), mode: 'residuals', target }),
      },
    );
  }
  const loss = lossSeries(run);
  if (loss.length > 0) charts.push(lineChart('loss', loss, LOSS_OPTIONS));
  return charts;
}
