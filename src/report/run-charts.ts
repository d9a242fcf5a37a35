/**
 * The charts of one run — confusion matrix, ROC, precision–recall and calibration curves, fit and
 * residuals, loss per fold — as a list of SVG builders, for any page that shows a run: the HTML
 * report (Export tab) renders them with a fixed light theme into a standalone document. The same
 * views and options as the Evaluate tab.
 */
import type { ExperimentResult, ModelRunResult } from '../protocol/api';
import { confusion } from '../viz/confusion';
import { lines } from '../viz/lines';
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
  if (plots.roc?.length) {
    const roc = plots.roc;
    const title = 'ROC curves, one vs rest (AUC in brackets)';
    charts.push({
      label: 'roc',
      title,
      render: (o) =>
        lines(
          roc.map((c) => ({ label: `${c.label} (${c.auc.toFixed(3)})`, x: c.fpr, y: c.tpr })),
          {
            ...base(o, title),
            xDomain: [0, 1],
            yDomain: [0, 1],
            diagonal: true,
            xLabel: 'false positive rate',
            yLabel: 'true positive rate',
          },
        ),
    });
  }
  if (plots.pr?.length) {
    const pr = plots.pr;
    const title = 'Precision–recall curves';
    charts.push({
      label: 'pr',
      title,
      render: (o) =>
        lines(
          pr.map((c) => ({ label: c.label, x: c.recall, y: c.precision })),
          { ...base(o, title), xDomain: [0, 1], yDomain: [0, 1.02], xLabel: 'recall', yLabel: 'precision' },
        ),
    });
  }
  if (plots.calibration?.length) {
    const cal = plots.calibration;
    charts.push({
      label: 'calibration',
      title: 'Calibration',
      render: (o) =>
        lines(
          cal.map((c) => ({ label: c.label, x: c.probPred, y: c.probTrue, markers: true })),
          {
            ...base(o, 'Calibration'),
            xDomain: [0, 1],
            yDomain: [0, 1],
            diagonal: true,
            xLabel: 'mean predicted probability',
            yLabel: 'fraction of positives',
          },
        ),
    });
  }
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
  if (run.curves.some((c) => c.length > 1)) {
    charts.push({
      label: 'loss',
      title: 'Loss per fold',
      render: (o) =>
        lines(
          run.curves
            .map((c, f) => ({ label: `fold ${f + 1}`, x: c.map((p) => p.step), y: c.map((p) => p.loss) }))
            .filter((s) => s.x.length > 1)
            .slice(0, 10),
          { ...base(o, 'Loss per fold'), xLabel: 'iteration', yLabel: 'training loss' },
        ),
    });
  }
  return charts;
}
