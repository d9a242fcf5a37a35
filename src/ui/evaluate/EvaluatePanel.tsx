/**
 * The Evaluate tab: for the selected run, every metric as mean ± std with its 95% CI and the
 * per-fold values; the confusion matrix, ROC, precision–recall and calibration curves
 * (classification) or predicted-vs-actual and residuals (regression); a comparison of two runs
 * with the verdict in words; and the error analysis (ErrorsSection): worst rows and error slices,
 * whose rows — like a confusion-matrix cell's — are selected in the Explore and Data views.
 */
import { createEffect, For, type JSX, on, Show } from 'solid-js';
import { ci, meanStd, metricName, num, paramsText } from '../../report/format';
import type { TrainStore } from '../../state/train';
import { confusion } from '../../viz/confusion';
import { lines } from '../../viz/lines';
import { residuals } from '../../viz/residuals';
import { Chart } from '../train/Chart';
import { splitText } from '../train/RunsTable';
import { type ErrorsContext, ErrorsSection, selectErrorRows } from './ErrorsSection';
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
  const pickRun = (label: string, value: string | null, set: (id: string | null) => void, testid: string) => (
    <label class="train-field">
      <span>{label}</span>
      <select
        class="input"
        data-testid={testid}
        value={value ?? ''}
        onChange={(e) => set(e.currentTarget.value || null)}
      >
        <option value="">—</option>
        <For each={[...store.runs()].reverse()}>
          {(r) => (
            <option value={r.id} selected={r.id === value}>
              {r.model.label} · {paramsText(r.model.changed)} ·{' '}
              {splitText(store.experimentOf(r)?.split, store.experimentOf(r)?.folds ?? 0)}
            </option>
          )}
        </For>
      </select>
    </label>
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
        <section class="train-section">
          <div class="train-row">
            {pickRun('Run', store.state.selected, (id) => store.select(id), 'eval-run')}
            {pickRun(
              'Compare with',
              store.state.compareWith,
              (id) => store.selectCompare(id),
              'eval-compare',
            )}
          </div>
          <Show when={store.state.comparison}>
            {(c) => (
              <p class="verdict" classList={{ significant: c().significant }} data-testid="eval-verdict">
                {c().verdict}{' '}
                <span class="muted small">
                  (on {metricName(c().metric)};{' '}
                  {c().test === 'corrected t-test'
                    ? 'Nadeau–Bengio corrected resampled t-test across folds'
                    : "McNemar's test on the hold-out rows"}
                  , significant at p &lt; 0.05)
                </span>
              </p>
            )}
          </Show>
          <Show when={store.state.comparisonError}>{(m) => <p class="muted small">{m()}</p>}</Show>
        </section>

        <Show when={run()}>
          {(r) => (
            <>
              <section class="train-section" aria-labelledby="metrics-title">
                <h2 id="metrics-title" class="train-h2">
                  {r().model.label}{' '}
                  <span class="muted small">
                    {paramsText(r().model.changed)} ·{' '}
                    {splitText(experiment()?.split, experiment()?.folds ?? 0)} · {r().model.backend}
                  </span>
                </h2>
                <table class="runs-table metrics-table" data-testid="eval-metrics">
                  <thead>
                    <tr>
                      <th scope="col">metric</th>
                      <th scope="col" class="num">
                        mean ± std
                      </th>
                      <th scope="col" class="num">
                        95% CI
                      </th>
                      <th scope="col">per fold</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={Object.entries(r().model.metrics)}>
                      {([key, s]) => (
                        <tr data-metric={key}>
                          <th scope="row">{metricName(key)}</th>
                          <td class="num">{meanStd(s)}</td>
                          <td class="num">{ci(s, key)}</td>
                          <td class="small muted">
                            {(r().model.foldMetrics[key] ?? [])
                              .slice(0, 10)
                              .map((v) => num(v))
                              .join('  ')}
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </section>

              <section class="train-section" aria-labelledby="plots-title">
                <h2 id="plots-title" class="train-h2">
                  Plots <span class="muted small">out-of-fold predictions</span>
                </h2>
                <div class="chart-row">
                  <Show when={r().model.plots.confusion}>
                    {(cm) => (
                      <Chart
                        label="confusion"
                        render={() => {
                          const errors = props.errors;
                          const picked = errors?.errors.state.picked;
                          const cell =
                            picked?.runId === r().id && picked.query.kind === 'cell' ? picked.query : null;
                          const classes = experiment()?.classes ?? cm().labels;
                          return confusion(cm(), {
                            width: 320,
                            theme: 'auto',
                            title: 'Confusion matrix',
                            ...(errors
                              ? {
                                  selected: cell && { truth: cell.truth, predicted: cell.predicted },
                                  onCell: (truth: number, predicted: number) =>
                                    void selectErrorRows(
                                      errors,
                                      r().id,
                                      { kind: 'cell', truth, predicted },
                                      `true ${classes[truth]}, predicted ${classes[predicted]}`,
                                    ),
                                }
                              : {}),
                          });
                        }}
                      />
                    )}
                  </Show>
                  <Show when={r().model.plots.roc?.length}>
                    <Chart
                      label="roc"
                      render={() =>
                        lines(
                          (r().model.plots.roc ?? []).map((c) => ({
                            label: `${c.label} (${c.auc.toFixed(3)})`,
                            x: c.fpr,
                            y: c.tpr,
                          })),
                          {
                            xDomain: [0, 1],
                            yDomain: [0, 1],
                            diagonal: true,
                            xLabel: 'false positive rate',
                            yLabel: 'true positive rate',
                            width: 320,
                            height: 280,
                            theme: 'auto',
                            title: 'ROC curves, one vs rest (AUC in brackets)',
                          },
                        )
                      }
                    />
                  </Show>
                  <Show when={r().model.plots.pr?.length}>
                    <Chart
                      label="pr"
                      render={() =>
                        lines(
                          (r().model.plots.pr ?? []).map((c) => ({
                            label: c.label,
                            x: c.recall,
                            y: c.precision,
                          })),
                          {
                            xDomain: [0, 1],
                            yDomain: [0, 1.02],
                            xLabel: 'recall',
                            yLabel: 'precision',
                            width: 320,
                            height: 280,
                            theme: 'auto',
                            title: 'Precision–recall curves',
                          },
                        )
                      }
                    />
                  </Show>
                  <Show when={r().model.plots.calibration?.length}>
                    <Chart
                      label="calibration"
                      render={() =>
                        lines(
                          (r().model.plots.calibration ?? []).map((c) => ({
                            label: c.label,
                            x: c.probPred,
                            y: c.probTrue,
                            markers: true,
                          })),
                          {
                            xDomain: [0, 1],
                            yDomain: [0, 1],
                            diagonal: true,
                            xLabel: 'mean predicted probability',
                            yLabel: 'fraction of positives',
                            width: 320,
                            height: 280,
                            theme: 'auto',
                            title: 'Calibration',
                          },
                        )
                      }
                    />
                  </Show>
                  <Show when={r().model.plots.residuals}>
                    {(res) => (
                      <>
                        <Chart
                          label="fit"
                          render={() =>
                            residuals(res(), {
                              mode: 'fit',
                              target: experiment()?.target ?? 'target',
                              width: 320,
                              height: 280,
                              theme: 'auto',
                            })
                          }
                        />
                        <Chart
                          label="residuals"
                          render={() =>
                            residuals(res(), {
                              mode: 'residuals',
                              target: experiment()?.target ?? 'target',
                              width: 320,
                              height: 280,
                              theme: 'auto',
                            })
                          }
                        />
                      </>
                    )}
                  </Show>
                  <Show when={r().model.curves.some((c) => c.length > 1)}>
                    <Chart
                      label="loss"
                      render={() =>
                        lines(
                          r()
                            .model.curves.map((c, f) => ({
                              label: `fold ${f + 1}`,
                              x: c.map((p) => p.step),
                              y: c.map((p) => p.loss),
                            }))
                            .filter((s) => s.x.length > 1)
                            .slice(0, 10),
                          {
                            xLabel: 'iteration',
                            yLabel: 'training loss',
                            width: 320,
                            height: 280,
                            theme: 'auto',
                            title: 'Loss per fold',
                          },
                        )
                      }
                    />
                  </Show>
                </div>
                <div class="train-actions">
                  <button
                    type="button"
                    class="button"
                    data-testid="eval-importance"
                    disabled={store.running() || experiment()?.task === 'clustering'}
                    onClick={() => store.explain(r().id)}
                  >
                    Permutation importance
                  </button>
                  <button
                    type="button"
                    class="button"
                    data-testid="eval-learning"
                    disabled={store.running()}
                    onClick={() => store.learningCurve(r().id)}
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
                <div class="chart-row">
                  <Show when={store.state.importance[r().id]}>
                    {(imp) => {
                      const max = () => Math.max(1e-9, ...imp().map((i) => Math.abs(i.drop.mean)));
                      return (
                        <table class="runs-table importance-table" data-testid="eval-importance-table">
                          <caption class="small muted">
                            Drop in {metricName(experiment()?.primary ?? '')} when the feature is shuffled
                            (mean over folds, 95% CI)
                          </caption>
                          <tbody>
                            <For each={imp()}>
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
                    }}
                  </Show>
                  <Show when={store.state.learning[r().id]}>
                    {(lc) => (
                      <Chart
                        label="learning-curve"
                        render={() => {
                          const key = r().model.name;
                          const pts = lc().points;
                          return lines(
                            [
                              {
                                label: metricName(lc().metric),
                                x: pts.map((p) => p.trainRows),
                                y: pts.map((p) => p.scores[key]?.mean ?? Number.NaN),
                                low: pts.map((p) => p.scores[key]?.ciLow ?? Number.NaN),
                                high: pts.map((p) => p.scores[key]?.ciHigh ?? Number.NaN),
                                markers: true,
                              },
                            ],
                            {
                              xLabel: 'training rows',
                              yLabel: `test ${metricName(lc().metric)}`,
                              width: 360,
                              height: 260,
                              theme: 'auto',
                              title: 'Learning curve (95% CI band)',
                            },
                          );
                        }}
                      />
                    )}
                  </Show>
                </div>
                <Show when={other() && other()!.id !== r().id}>
                  <p class="small muted">
                    Comparing with {other()!.model.label}: {metricName(experiment()?.primary ?? '')}{' '}
                    {meanStd(other()!.model.metrics[experiment()?.primary ?? ''])}{' '}
                    {ci(other()!.model.metrics[experiment()?.primary ?? ''], experiment()?.primary)}
                  </p>
                </Show>
              </section>
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
