/**
 * Evaluate's "Plots" section: the plot grid of the run's out-of-fold predictions, then permutation
 * importance and the learning curve on demand, and the compared run's primary metric.
 */
import { For, type JSX, Show } from 'solid-js';
import type { ExperimentResult } from '../../protocol/api';
import { ci, meanStd, metricName, num } from '../../report/format';
import type { TrainRun, TrainStore } from '../../state/train';
import { lines } from '../../viz/lines';
import { Chart } from '../train/Chart';
import type { ErrorsContext } from './errors-context';
import { PlotCharts } from './PlotCharts';
import { learningSeries } from './plots';

type Experiment = ExperimentResult | null | undefined;
type Importance = TrainStore['state']['importance'][string];

function ImportanceTable(props: { importance: Importance; experiment: Experiment }): JSX.Element {
  const max = () => Math.max(1e-9, ...props.importance.map((i) => Math.abs(i.drop.mean)));
  return (
    <table class="runs-table importance-table" data-testid="eval-importance-table">
      <caption class="small muted">
        Drop in {metricName(props.experiment?.primary ?? '')} when the feature is shuffled (mean over folds,
        95% CI)
      </caption>
      <tbody>
        <For each={props.importance}>
          {(i) => (
            <tr data-feature={i.feature}>
              <th scope="row">{i.feature}</th>
              <td class="importance-bar-cell">
                <span
                  class="importance-bar"
                  style={{ width: `${Math.max(0, (i.drop.mean / max()) * 100)}%` }}
                />
              </td>
              <td class="num">
                {num(i.drop.mean)} <span class="muted small">{ci(i.drop)}</span>
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

/** Permutation importance and learning curve: the buttons, the progress and the last error. */
function OnDemandActions(props: { store: TrainStore; run: TrainRun; experiment: Experiment }): JSX.Element {
  const store = props.store;
  return (
    <>
      <div class="train-actions">
        <button
          type="button"
          class="button"
          data-testid="eval-importance"
          disabled={store.running() || props.experiment?.task === 'clustering'}
          onClick={() => store.explain(props.run.id)}
        >
          Permutation importance
        </button>
        <button
          type="button"
          class="button"
          data-testid="eval-learning"
          disabled={store.running()}
          onClick={() => store.learningCurve(props.run.id)}
        >
          Learning curve
        </button>
        <Show when={store.running()}>
          <span class="small muted">{store.progress()?.phase ?? 'Working…'}</span>
        </Show>
      </div>
      <Show when={store.state.error}>
        {(err) => (
          <p class="train-error" role="alert">
            {err().message}
          </p>
        )}
      </Show>
    </>
  );
}

export function PlotsSection(props: {
  store: TrainStore;
  run: TrainRun;
  experiment: Experiment;
  other: TrainRun | null;
  errors: ErrorsContext | undefined;
}): JSX.Element {
  const store = props.store;
  const r = () => props.run;
  const primary = () => props.experiment?.primary ?? '';
  return (
    <section class="train-section" aria-labelledby="plots-title">
      <h2 id="plots-title" class="train-h2">
        Plots <span class="muted small">out-of-fold predictions</span>
      </h2>
      <PlotCharts run={r()} experiment={props.experiment} errors={props.errors} />
      <OnDemandActions store={store} run={r()} experiment={props.experiment} />
      <div class="chart-row">
        <Show when={store.state.importance[r().id]}>
          {(imp) => <ImportanceTable importance={imp()} experiment={props.experiment} />}
        </Show>
        <Show when={store.state.learning[r().id]}>
          {(lc) => (
            <Chart
              label="learning-curve"
              render={() =>
                lines(learningSeries(lc(), r().model.name), {
                  xLabel: 'training rows',
                  yLabel: `test ${metricName(lc().metric)}`,
                  width: 360,
                  height: 260,
                  theme: 'auto',
                  title: 'Learning curve (95% CI band)',
                })
              }
            />
          )}
        </Show>
      </div>
      <Show when={props.other && props.other.id !== r().id}>
        <p class="small muted">
          Comparing with {props.other!.model.label}: {metricName(primary())}{' '}
          {meanStd(props.other!.model.metrics[primary()])}{' '}
          {ci(props.other!.model.metrics[primary()], props.experiment?.primary)}
        </p>
      </Show>
    </section>
  );
}
