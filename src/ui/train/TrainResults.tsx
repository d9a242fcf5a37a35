/**
 * What the last job left: progress with time remaining and live loss curves while it runs, the
 * per-fold loss curves and the split report (skew, shared duplicates, leaking features) with the
 * comparisons once it is done.
 */
import { createSignal, For, type JSX, onCleanup, Show } from 'solid-js';
import { duration, remaining } from '../../report/format';
import type { TrainStore } from '../../state/train';
import { lines } from '../../viz/lines';
import { Chart } from './Chart';

export function TrainResults(props: { store: TrainStore }): JSX.Element {
  const store = props.store;
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), 500);
  onCleanup(() => clearInterval(timer));
  const progress = () => (store.state.jobId ? store.progress() : null);
  const left = () => remaining(progress()?.fraction ?? null, store.state.jobStartedAt, now());
  const latest = () => store.state.experiments.at(-1) ?? null;
  /** The latest experiment that compared models (a tuning run trains one best model). */
  const compared = () => [...store.state.experiments].reverse().find((e) => e.comparisons.length > 0) ?? null;
  /** After training: the full loss curves the worker recorded (live ones are throttled). */
  const finishedCurves = () => {
    const e = latest();
    const m = e?.models.find((x) => x.curves.some((c) => c.length > 1));
    if (!m) return null;
    return {
      model: m.label,
      series: m.curves
        .map((c, f) => ({ label: `fold ${f + 1}`, x: c.map((p) => p.step), y: c.map((p) => p.loss) }))
        .filter((x) => x.x.length > 1)
        .slice(0, 10),
    };
  };
  return (
    <div class="train-results-row">
      <Show when={store.running() || finishedCurves()}>
        <section class="train-section train-curves" aria-labelledby="live-title">
          <h2 id="live-title" class="train-h2">
            {store.running() ? 'Training' : `Loss curves · ${finishedCurves()?.model ?? ''}`}
          </h2>
          <Show when={store.running()}>
            <div class="train-progress" data-testid="train-progress">
              <progress max="1" value={progress()?.fraction ?? 0} />
              <span class="small">
                {progress()?.phase ?? 'Starting…'}
                {' · '}
                {Math.round((progress()?.fraction ?? 0) * 100)}%
                {left() !== null ? ` · about ${duration(left()!)} left` : ''}
              </span>
            </div>
          </Show>
          <Show
            when={store.running()}
            fallback={
              <Show when={finishedCurves()}>
                {(c) => (
                  <Chart
                    label="loss-curves"
                    render={() =>
                      lines(c().series, {
                        xLabel: 'iteration',
                        yLabel: 'training loss',
                        width: 560,
                        height: 240,
                        theme: 'auto',
                        title: `${c().model}: loss per fold`,
                      })
                    }
                  />
                )}
              </Show>
            }
          >
            <Show when={store.state.live.length > 0}>
              <Chart
                label="live-loss"
                render={() =>
                  lines(
                    store.state.live.slice(-8).map((c) => ({
                      label: c.series,
                      x: c.points.map((p) => p.step),
                      y: c.points.map((p) => p.loss),
                      markers: c.points.length < 3,
                    })),
                    {
                      xLabel: 'iteration',
                      yLabel: 'loss',
                      width: 560,
                      height: 240,
                      theme: 'auto',
                      title: 'Live loss',
                    },
                  )
                }
              />
            </Show>
          </Show>
        </section>
      </Show>

      <Show when={latest()}>
        {(e) => (
          <Show when={!store.running()}>
            <section class="train-section train-split" aria-labelledby="split-title">
              <h2 id="split-title" class="train-h2">
                Split report{' '}
                <span class="muted small">
                  {e().splitReport.trainRows} train / {e().splitReport.testRows} test rows
                  {e().folds > 1 ? ' (first fold)' : ''}
                </span>
              </h2>
              <Show
                when={e().splitReport.warnings.length > 0}
                fallback={
                  <p class="small muted" data-testid="split-ok">
                    No skew, shared duplicates or leaking features found.
                  </p>
                }
              >
                <ul class="split-warnings small" data-testid="split-warnings">
                  <For each={e().splitReport.warnings}>{(w) => <li>{w}</li>}</For>
                </ul>
              </Show>
              <Show when={compared()}>
                {(c) => (
                  <>
                    <h3 class="train-h3">
                      Comparisons{' '}
                      <span class="muted small">
                        {c().models.length <= 3
                          ? c()
                              .models.map((m) => m.label)
                              .join(' vs ')
                          : `the best, ${c().models[0]!.label}, against each other model`}
                      </span>
                    </h3>
                    <ul class="verdicts small" data-testid="train-verdicts">
                      <For
                        each={c().comparisons.filter(
                          (x) =>
                            c().models.length <= 3 ||
                            x.a === c().models[0]!.label ||
                            x.b === c().models[0]!.label,
                        )}
                      >
                        {(x) => <li classList={{ significant: x.significant }}>{x.verdict}</li>}
                      </For>
                    </ul>
                  </>
                )}
              </Show>
            </section>
          </Show>
        )}
      </Show>
    </div>
  );
}
