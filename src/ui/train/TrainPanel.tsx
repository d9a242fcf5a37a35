/**
 * The Train tab: the target (shared with the notebook), the task (inferred, changeable), the
 * split, the models with their parameter forms, Train / Compare baselines / Cancel, progress with
 * time remaining and live loss curves, the split report, the runs table and the tuning panel.
 */
import { createSignal, For, type JSX, onCleanup, Show } from 'solid-js';
import type { DatasetInfo, TrainTask } from '../../protocol/api';
import { duration, remaining } from '../../report/format';
import type { TrainSplit } from '../../spec/notebook';
import type { TrainRun, TrainStore } from '../../state/train';
import { lines } from '../../viz/lines';
import { Chart } from './Chart';
import { ModelParams } from './ModelParams';
import { RunsTable } from './RunsTable';
import { TunePanel } from './TunePanel';
import './train.css';

const TASKS: TrainTask[] = ['classification', 'regression', 'clustering'];
const SPLITS: { value: TrainSplit['kind']; label: string }[] = [
  { value: 'stratified-kfold', label: 'Stratified k-fold' },
  { value: 'kfold', label: 'k-fold' },
  { value: 'group-kfold', label: 'Group k-fold' },
  { value: 'holdout', label: 'Hold-out' },
];

export function TrainPanel(props: {
  store: TrainStore;
  dataset: DatasetInfo;
  target: string | null;
  onOpenRun?: (run: TrainRun) => void;
  /** Fits a run on every row and opens it in the Prototype tab. */
  onPrototypeRun?: (run: TrainRun) => void;
}): JSX.Element {
  const store = props.store;
  const s = () => store.state.settings;
  const split = () => s().split;
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), 500);
  onCleanup(() => clearInterval(timer));
  const columns = () => props.dataset.columns.map((c) => c.name);
  const progress = () => (store.state.jobId ? store.progress() : null);
  const left = () => remaining(progress()?.fraction ?? null, store.state.jobStartedAt, now());
  const latest = () => store.state.experiments.at(-1) ?? null;
  /** The latest experiment that compared models (a tuning run trains one best model). */
  const compared = () => [...store.state.experiments].reverse().find((e) => e.comparisons.length > 0) ?? null;
  const [adding, setAdding] = createSignal('');
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
    <div class="train-view" data-testid="train-panel">
      <section class="train-section train-setup" aria-labelledby="setup-title">
        <h2 id="setup-title" class="train-h2">
          Setup <span class="muted small">{props.dataset.name}</span>
        </h2>
        <div class="train-row">
          <label class="train-field">
            <span>Target</span>
            <select
              class="input"
              data-testid="train-target"
              value={props.target ?? ''}
              onChange={(e) => store.setTarget(e.currentTarget.value || null)}
            >
              <option value="">none (clustering)</option>
              <For each={columns()}>{(c) => <option value={c}>{c}</option>}</For>
            </select>
          </label>
          <label class="train-field">
            <span>Task</span>
            <select
              class="input"
              data-testid="train-task"
              value={s().task ?? ''}
              onChange={(e) => store.setTask((e.currentTarget.value || null) as TrainTask | null)}
            >
              <option value="">{`inferred: ${store.state.inferredTask ?? (props.target ? '…' : 'clustering')}`}</option>
              <For each={TASKS}>{(t) => <option value={t}>{t}</option>}</For>
            </select>
          </label>
          <label class="train-field">
            <span>Split</span>
            <select
              class="input"
              data-testid="train-split"
              value={split().kind}
              onChange={(e) => store.setSplit({ kind: e.currentTarget.value as TrainSplit['kind'] })}
            >
              <For each={SPLITS}>{(o) => <option value={o.value}>{o.label}</option>}</For>
            </select>
          </label>
          <Show
            when={split().kind === 'holdout'}
            fallback={
              <>
                <label class="train-field narrow">
                  <span>Folds</span>
                  <input
                    class="input"
                    type="number"
                    min="2"
                    max="100"
                    data-testid="train-folds"
                    value={split().k ?? 5}
                    onInput={(e) => {
                      const k = Number(e.currentTarget.value);
                      if (Number.isInteger(k) && k >= 2 && k <= 100) store.setSplit({ k });
                    }}
                  />
                </label>
                <label class="train-field narrow">
                  <span>Repeats</span>
                  <input
                    class="input"
                    type="number"
                    min="1"
                    max="100"
                    value={split().repeats ?? 1}
                    onInput={(e) => {
                      const r = Number(e.currentTarget.value);
                      if (Number.isInteger(r) && r >= 1 && r <= 100)
                        store.setSplit({ repeats: r > 1 ? r : undefined });
                    }}
                  />
                </label>
              </>
            }
          >
            <label class="train-field narrow">
              <span>Test %</span>
              <input
                class="input"
                type="number"
                min="1"
                max="99"
                value={Math.round((split().testSize ?? 0.25) * 100)}
                onInput={(e) => {
                  const p = Number(e.currentTarget.value);
                  if (p >= 1 && p <= 99) store.setSplit({ testSize: p / 100 });
                }}
              />
            </label>
            <label class="param-check">
              <input
                type="checkbox"
                checked={split().stratify === true}
                onChange={(e) => store.setSplit({ stratify: e.currentTarget.checked || undefined })}
              />
              <span>stratify</span>
            </label>
            <label class="train-field">
              <span>Time order</span>
              <select
                class="input"
                value={split().timeColumn ?? ''}
                onChange={(e) => store.setSplit({ timeColumn: e.currentTarget.value || undefined })}
              >
                <option value="">random</option>
                <For each={columns()}>{(c) => <option value={c}>{c}</option>}</For>
              </select>
            </label>
          </Show>
          <Show when={split().kind === 'group-kfold' || split().kind === 'holdout'}>
            <label class="train-field">
              <span>Groups</span>
              <select
                class="input"
                value={split().group ?? ''}
                onChange={(e) => store.setSplit({ group: e.currentTarget.value || undefined })}
              >
                <option value="">none</option>
                <For each={columns()}>{(c) => <option value={c}>{c}</option>}</For>
              </select>
            </label>
          </Show>
        </div>
      </section>

      <section class="train-section" aria-labelledby="models-title">
        <h2 id="models-title" class="train-h2">
          Models
        </h2>
        <div class="train-models">
          <For each={s().models}>
            {(m, i) => (
              <div class="train-model" data-model={m.name}>
                <div class="train-model-head">
                  <select
                    class="input"
                    aria-label={`Model ${i() + 1}`}
                    value={m.name}
                    onChange={(e) => store.setModelName(i(), e.currentTarget.value)}
                  >
                    <For each={store.modelChoices()}>
                      {(info) => <option value={info.name}>{info.name}</option>}
                    </For>
                  </select>
                  <button
                    type="button"
                    class="small-button"
                    aria-label={`Remove ${m.name}`}
                    onClick={() => store.removeModel(i())}
                  >
                    ✕
                  </button>
                </div>
                <Show when={store.modelInfo(m.name)}>
                  {(info) => (
                    <details>
                      <summary class="small muted">{info().description}</summary>
                      <ModelParams
                        idPrefix={`model-${i()}`}
                        info={info()}
                        values={m.params}
                        onValue={(k, v) => store.setModelParam(i(), k, v)}
                      />
                    </details>
                  )}
                </Show>
              </div>
            )}
          </For>
          <label class="train-field">
            <span class="visually-hidden">Add a model</span>
            <select
              class="input"
              data-testid="add-model"
              value={adding()}
              onChange={(e) => {
                const name = e.currentTarget.value;
                if (name) store.addModel(name);
                setAdding('');
                e.currentTarget.value = '';
              }}
            >
              <option value="">+ Add a model…</option>
              <For each={store.modelChoices()}>
                {(info) => <option value={info.name}>{info.name}</option>}
              </For>
            </select>
          </label>
        </div>
        <div class="train-actions">
          <button
            type="button"
            class="button primary"
            data-testid="train-button"
            disabled={store.running() || s().models.length === 0}
            onClick={() => store.train()}
          >
            Train
          </button>
          <button
            type="button"
            class="button"
            data-testid="baselines-button"
            disabled={store.running() || !props.target}
            onClick={() => store.compareBaselines()}
          >
            Compare baselines
          </button>
          <Show when={store.running()}>
            <button type="button" class="button" data-testid="train-cancel" onClick={() => store.cancel()}>
              Cancel
            </button>
          </Show>
        </div>
        <Show when={store.state.error}>
          {(err) => (
            <div class="train-error" role="alert" data-testid="train-error">
              <strong>{err().message}</strong>
              <Show when={err().hint}>
                <span class="muted"> {err().hint}</span>
              </Show>
              <button type="button" class="small-button" onClick={() => store.dismissError()}>
                Dismiss
              </button>
            </div>
          )}
        </Show>
      </section>

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

      <RunsTable
        store={store}
        {...(props.onOpenRun ? { onOpen: props.onOpenRun } : {})}
        {...(props.onPrototypeRun ? { onPrototype: props.onPrototypeRun } : {})}
      />
      <TunePanel store={store} />
    </div>
  );
}
