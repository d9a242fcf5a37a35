/** Every trained model: name, parameters, metrics with their CIs, time and backend. */
import { For, type JSX, Show } from 'solid-js';
import { ci, duration, meanStd, metricName, paramsText, splitText } from '../../report/format';
import type { TrainRun, TrainStore } from '../../state/train';

export { splitText } from '../../report/format';

/** The metrics the table shows per task (the Evaluate tab shows all). */
const TABLE_METRICS: Record<string, string[]> = {
  classification: ['accuracy', 'f1_macro', 'roc_auc'],
  regression: ['r2', 'rmse', 'mae'],
  clustering: ['silhouette', 'inertia'],
};

export function RunsTable(props: {
  store: TrainStore;
  onOpen?: (run: TrainRun) => void;
  /** "Prototype": fit the run on every row and open the Prototype tab (models with a target). */
  onPrototype?: (run: TrainRun) => void;
}): JSX.Element {
  const store = props.store;
  // Newest experiment first; models of one experiment in the order they were trained.
  const runs = () => {
    const order = store.state.experiments.map((e) => e.id).reverse();
    return [...store.runs()].sort((a, b) => order.indexOf(a.experimentId) - order.indexOf(b.experimentId));
  };
  const metrics = () => {
    const first = runs()[0];
    const task = first ? store.experimentOf(first)?.task : null;
    return TABLE_METRICS[task ?? 'classification']!;
  };
  return (
    <section class="train-section" aria-labelledby="runs-title">
      <h2 id="runs-title" class="train-h2">
        Runs <span class="muted small">({runs().length})</span>
      </h2>
      <Show when={runs().length > 0} fallback={<p class="muted small">Trained models appear here.</p>}>
        <div class="runs-scroll">
          <table class="runs-table" data-testid="runs-table">
            <thead>
              <tr>
                <th scope="col">model</th>
                <th scope="col">parameters</th>
                <th scope="col">split</th>
                <For each={metrics()}>
                  {(m) => (
                    <th scope="col" class="num">
                      {metricName(m)}
                      <span class="muted small th-sub">mean ± std, 95% CI</span>
                    </th>
                  )}
                </For>
                <th scope="col" class="num">
                  time
                </th>
                <th scope="col">backend</th>
                <th scope="col">
                  <span class="visually-hidden">actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={runs()}>
                {(run) => {
                  const e = () => store.experimentOf(run);
                  return (
                    <tr
                      data-run={run.model.label}
                      classList={{ selected: store.state.selected === run.id }}
                      onClick={() => store.select(run.id)}
                    >
                      <th scope="row">
                        {run.model.label}
                        <Show when={run.kind === 'baselines'}>
                          <span class="run-kind small muted"> · baseline</span>
                        </Show>
                      </th>
                      <td class="small">{paramsText(run.model.changed)}</td>
                      <td class="small muted">{splitText(e()?.split, e()?.folds ?? 0)}</td>
                      <For each={metrics()}>
                        {(m) => (
                          <td class="num" data-metric={m}>
                            <span class="metric-mean">{meanStd(run.model.metrics[m])}</span>{' '}
                            <span class="muted small metric-ci">{ci(run.model.metrics[m], m)}</span>
                          </td>
                        )}
                      </For>
                      <td class="num small">{duration(run.model.fitMs)}</td>
                      <td class="small">{run.model.backend}</td>
                      <td class="run-actions">
                        <Show when={props.onOpen}>
                          <button
                            type="button"
                            class="small-button"
                            onClick={(ev) => {
                              ev.stopPropagation();
                              props.onOpen?.(run);
                            }}
                          >
                            Evaluate
                          </button>
                        </Show>
                        <Show when={props.onPrototype && e()?.task !== 'clustering'}>
                          <button
                            type="button"
                            class="small-button"
                            onClick={(ev) => {
                              ev.stopPropagation();
                              props.onPrototype?.(run);
                            }}
                          >
                            Prototype
                          </button>
                        </Show>
                        <button
                          type="button"
                          class="small-button"
                          aria-label={`Remove run ${run.model.label}`}
                          onClick={(ev) => {
                            ev.stopPropagation();
                            store.removeRun(run.id);
                          }}
                        >
                          ✕
                        </button>
                      </td>
                    </tr>
                  );
                }}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}
