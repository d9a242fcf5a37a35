/**
 * Evaluate's plot grid for one run's out-of-fold predictions: the confusion matrix (its cells
 * select their rows when error analysis is on), ROC, precision–recall and calibration curves,
 * predicted-vs-actual and residuals (regression), and the loss per fold.
 */
import { type JSX, Show } from 'solid-js';
import type { ExperimentResult } from '../../protocol/api';
import {
  CALIBRATION_OPTIONS,
  calibrationSeries,
  LOSS_OPTIONS,
  lossSeries,
  PR_OPTIONS,
  prSeries,
  ROC_OPTIONS,
  rocSeries,
} from '../../report/run-charts';
import type { TrainRun } from '../../state/train';
import { confusion } from '../../viz/confusion';
import { lines } from '../../viz/lines';
import { residuals } from '../../viz/residuals';
import { Chart } from '../train/Chart';
import { type ErrorsContext, selectErrorRows } from './errors-context';
import { PLOT_SIZE } from './plots';

type Experiment = ExperimentResult | null | undefined;

function ConfusionChart(props: {
  run: TrainRun;
  matrix: NonNullable<TrainRun['model']['plots']['confusion']>;
  experiment: Experiment;
  errors: ErrorsContext | undefined;
}): JSX.Element {
  return (
    <Chart
      label="confusion"
      render={() => {
        const errors = props.errors;
        const picked = errors?.errors.state.picked;
        const cell = picked?.runId === props.run.id && picked.query.kind === 'cell' ? picked.query : null;
        const classes = props.experiment?.classes ?? props.matrix.labels;
        return confusion(props.matrix, {
          width: 320,
          theme: 'auto',
          title: 'Confusion matrix',
          ...(errors
            ? {
                selected: cell && { truth: cell.truth, predicted: cell.predicted },
                onCell: (truth: number, predicted: number) =>
                  void selectErrorRows(
                    errors,
                    props.run.id,
                    { kind: 'cell', truth, predicted },
                    `true ${classes[truth]}, predicted ${classes[predicted]}`,
                  ),
              }
            : {}),
        });
      }}
    />
  );
}

export function PlotCharts(props: {
  run: TrainRun;
  experiment: Experiment;
  errors: ErrorsContext | undefined;
}): JSX.Element {
  const model = () => props.run.model;
  const target = () => props.experiment?.target ?? 'target';
  return (
    <div class="chart-row">
      <Show when={model().plots.confusion}>
        {(cm) => (
          <ConfusionChart run={props.run} matrix={cm()} experiment={props.experiment} errors={props.errors} />
        )}
      </Show>
      <Show when={model().plots.roc?.length}>
        <Chart label="roc" render={() => lines(rocSeries(model()), { ...ROC_OPTIONS, ...PLOT_SIZE })} />
      </Show>
      <Show when={model().plots.pr?.length}>
        <Chart label="pr" render={() => lines(prSeries(model()), { ...PR_OPTIONS, ...PLOT_SIZE })} />
      </Show>
      <Show when={model().plots.calibration?.length}>
        <Chart
          label="calibration"
          render={() => lines(calibrationSeries(model()), { ...CALIBRATION_OPTIONS, ...PLOT_SIZE })}
        />
      </Show>
      <Show when={model().plots.residuals}>
        {(res) => (
          <>
            <Chart
              label="fit"
              render={() => residuals(res(), { mode: 'fit', target: target(), ...PLOT_SIZE })}
            />
            <Chart
              label="residuals"
              render={() => residuals(res(), { mode: 'residuals', target: target(), ...PLOT_SIZE })}
            />
          </>
        )}
      </Show>
      <Show when={model().curves.some((c) => c.length > 1)}>
        <Chart label="loss" render={() => lines(lossSeries(model()), { ...LOSS_OPTIONS, ...PLOT_SIZE })} />
      </Show>
    </div>
  );
}
