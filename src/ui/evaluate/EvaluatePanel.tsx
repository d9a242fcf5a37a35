/**
 * The Evaluate tab: for the selected run, every metric as mean ± std with its 95% CI and the
 * per-fold values; the confusion matrix, ROC, precision–recall and calibration curves
 * (classification) or predicted-vs-actual and residuals (regression); a comparison of two runs
 * with the verdict in words; and the error analysis (ErrorsSection): worst rows and error slices,
 * whose rows — like a confusion-matrix cell's — are selected in the Explore and Data views.
 * One file per section: RunPicker (run, compared run, verdict), MetricsSection, PlotsSection.
 */
import { createEffect, type JSX, on, Show } from 'solid-js';
import type { TrainStore } from '../../state/train';
import { type ErrorsContext, ErrorsSection } from './ErrorsSection';
import { MetricsSection } from './MetricsSection';
import { PlotsSection } from './PlotsSection';
import { ComparisonSection } from './RunPicker';
import '../train/train.css';

export function EvaluatePanel(props: {
  store: TrainStore;
  /** Error analysis (slices, worst rows, clickable confusion cells); the section is left out without it. */
  errors?: ErrorsContext;
}): JSX.Element {
  const store = props.store;
  const run = () => store.runById(store.state.selected);
  const experiment = () => store.experimentOf(run());
  const other = () => store.runById(store.state.compareWith);
  createEffect(
    on(
      () => [store.state.selected, store.state.compareWith],
      () => void store.compare(),
    ),
  );

  return (
    <div class="train-view evaluate-view" data-testid="evaluate-panel">
      <Show
        when={store.runs().length > 0}
        fallback={
          <div class="coming-next">
            <h2>Evaluate</h2>
            <p class="muted">Train a model in the Train tab; its metrics, plots and comparisons show here.</p>
          </div>
        }
      >
        <ComparisonSection store={store} />
        <Show when={run()}>
          {(r) => (
            <>
              <MetricsSection run={r()} experiment={experiment()} />
              <PlotsSection
                store={store}
                run={r()}
                experiment={experiment()}
                other={other()}
                errors={props.errors}
              />
              <Show when={props.errors && experiment()?.target && experiment()?.task !== 'clustering'}>
                <ErrorsSection ctx={props.errors!} run={r()} experiment={experiment()!} />
              </Show>
            </>
          )}
        </Show>
      </Show>
    </div>
  );
}
