/**
 * Explaining the model around the what-if row: partial dependence + ICE of one feature over
 * every row of the dataset, and the nearest counterfactual (the smallest change that flips the
 * prediction), both computed in the worker as cancellable jobs.
 */
import { createEffect, createSignal, For, type JSX, on, Show } from 'solid-js';
import type { CellValue, DeployedModelInfo, Progress } from '../../protocol/api';
import type { PrototypeStore } from '../../state/prototype';
import { partialDependencePlot } from '../../viz/pdp';
import { Chart } from '../train/Chart';
import { valueText } from './fields';

/** 4 significant digits: enough to read a change; Apply uses the exact value. */
const shortValue = (v: CellValue) =>
  typeof v === 'number' ? String(Number(v.toPrecision(4))) : valueText(v);

/** A progress bar; indeterminate (no value) while the fraction is unknown. */
export function ProgressBar(props: { fraction: number | null | undefined }): JSX.Element {
  return (
    <Show when={props.fraction != null} fallback={<progress />}>
      <progress max="1" value={props.fraction!} />
    </Show>
  );
}

function JobProgress(props: {
  progress: Progress | null;
  onCancel: () => void;
  testid: string;
}): JSX.Element {
  return (
    <div class="train-progress" data-testid={props.testid}>
      <ProgressBar fraction={props.progress?.fraction} />
      <span class="small">
        {props.progress?.phase ?? 'Starting…'}
        {props.progress?.fraction != null ? ` · ${Math.round(props.progress.fraction * 100)}%` : ''}
      </span>
      <button type="button" class="button" onClick={() => props.onCancel()}>
        Cancel
      </button>
    </div>
  );
}

export function PartialDependenceSection(props: {
  store: PrototypeStore;
  model: DeployedModelInfo;
  dataset: { id: string; name: string; rows: number } | null;
}): JSX.Element {
  const store = props.store;
  const features = () => props.model.contract.features;
  const [feature, setFeature] = createSignal(features()[0]?.name ?? '');
  const [output, setOutput] = createSignal<string | null>(null);
  const [gridText, setGridText] = createSignal('20');
  const grid = () => Number(gridText());
  const gridOk = () => Number.isInteger(grid()) && grid() >= 2 && grid() <= 100;
  createEffect(on(features, (fs) => setFeature(fs[0]?.name ?? '')));
  const result = () => store.state.pdp.result;
  const outputs = () => result()?.outputs ?? props.model.classes ?? [];
  // The class whose probability is drawn: chosen, else the current prediction, else the first.
  const outputIndex = () => {
    const r = result();
    if (!r) return 0;
    const wanted = output() ?? String(store.state.current?.prediction ?? '');
    return Math.max(0, r.outputs.indexOf(wanted));
  };
  const compute = () => {
    const d = props.dataset;
    if (!d || !gridOk()) return;
    void store.computePdp(d.id, feature(), { gridResolution: grid(), iceRows: 50, seed: 0 });
  };
  const running = () => store.state.pdp.jobId !== null;
  return (
    <section class="proto-pdp train-section" aria-labelledby="proto-pdp-title">
      <h2 id="proto-pdp-title" class="train-h2">
        Partial dependence{' '}
        <span class="muted small">how the prediction moves with one feature, over all rows</span>
      </h2>
      <Show
        when={props.dataset}
        fallback={
          <p class="muted small">Load the dataset the model was fitted on to compute partial dependence.</p>
        }
      >
        {(d) => (
          <div class="train-row">
            <label class="train-field">
              <span>Feature</span>
              <select
                class="input"
                data-testid="pdp-feature"
                onChange={(e) => setFeature(e.currentTarget.value)}
              >
                <For each={features()}>
                  {(f) => (
                    <option value={f.name} selected={f.name === feature()}>
                      {f.name}
                    </option>
                  )}
                </For>
              </select>
            </label>
            <Show when={props.model.classes}>
              <label class="train-field">
                <span>Probability of</span>
                <select
                  class="input"
                  data-testid="pdp-class"
                  onChange={(e) => setOutput(e.currentTarget.value || null)}
                >
                  <option value="">the predicted class</option>
                  <For each={props.model.classes ?? []}>
                    {(c) => (
                      <option value={c} selected={c === output()}>
                        {c}
                      </option>
                    )}
                  </For>
                </select>
              </label>
            </Show>
            <label class="train-field narrow">
              <span>Grid points</span>
              <input
                class="input"
                type="number"
                min="2"
                max="100"
                value={gridText()}
                aria-invalid={!gridOk()}
                data-testid="pdp-grid"
                onInput={(e) => setGridText(e.currentTarget.value)}
              />
            </label>
            <button
              type="button"
              class="button primary"
              disabled={running() || !gridOk()}
              onClick={compute}
              data-testid="pdp-compute"
            >
              Compute over {d().rows.toLocaleString('en-US')} rows
            </button>
          </div>
        )}
      </Show>
      <Show when={!gridOk()}>
        <p class="proto-invalid small">Grid points: a whole number from 2 to 100.</p>
      </Show>
      <Show when={running()}>
        <JobProgress
          progress={store.progress('pdp')}
          onCancel={() => store.cancelPdp()}
          testid="pdp-progress"
        />
      </Show>
      <Show when={store.state.pdp.error}>
        {(e) => (
          <p class="train-error small" role="alert" data-testid="pdp-error">
            {e().name === 'Cancelled' ? 'Cancelled.' : `${e().message} ${e().hint ?? ''}`}
          </p>
        )}
      </Show>
      <Show when={result()}>
        {(r) => (
          <>
            <Chart
              label="pdp"
              class="proto-pdp-chart"
              render={() =>
                partialDependencePlot(
                  {
                    kind: r().kind,
                    grid: r().grid,
                    average: r().average[outputIndex()]!,
                    ice: r().ice[outputIndex()]!,
                    deciles: r().deciles,
                    current: store.state.values[r().feature] as number | string | boolean | null,
                  },
                  {
                    feature: r().feature,
                    yLabel: props.model.classes
                      ? `P(${outputs()[outputIndex()]})`
                      : (outputs()[0] ?? 'prediction'),
                    ...(props.model.classes ? { yDomain: [0, 1] as [number, number] } : {}),
                    theme: 'auto',
                    width: 560,
                    height: 300,
                  },
                )
              }
            />
            <p class="small muted" data-testid="pdp-caption">
              Orange: the mean over all {r().rows.toLocaleString('en-US')} rows; blue: {r().iceRows.length}{' '}
              rows drawn at random (ICE); ticks: the feature's deciles.{' '}
              {r().predictions.toLocaleString('en-US')} predictions in{' '}
              {r().ms < 1000 ? `${r().ms} ms` : `${(r().ms / 1000).toFixed(1)} s`}.
              {r().unscoredRows > 0 ? ` ${r().unscoredRows} rows could not be scored and are left out.` : ''}
            </p>
          </>
        )}
      </Show>
    </section>
  );
}

export function CounterfactualSection(props: {
  store: PrototypeStore;
  model: DeployedModelInfo;
}): JSX.Element {
  const store = props.store;
  const [target, setTarget] = createSignal<string | null>(null);
  const mutable = () =>
    props.model.contract.features.filter(
      (f) => f.type !== 'text' && f.type !== 'date' && f.type !== 'datetime',
    );
  const [locked, setLocked] = createSignal<ReadonlySet<string>>(new Set());
  const allowed = () => mutable().filter((f) => !locked().has(f.name));
  const running = () => store.state.cf.jobId !== null;
  const prediction = () => store.state.current?.prediction ?? null;
  const search = () =>
    void store.findCounterfactual({
      targetClass: target(),
      features: allowed().map((f) => f.name),
    });
  return (
    <section class="proto-cf train-section" aria-labelledby="proto-cf-title">
      <h2 id="proto-cf-title" class="train-h2">
        Counterfactual <span class="muted small">the nearest row the model classifies differently</span>
      </h2>
      <div class="train-row">
        <label class="train-field">
          <span>Flip to</span>
          <select
            class="input"
            data-testid="cf-target"
            onChange={(e) => setTarget(e.currentTarget.value || null)}
          >
            <option value="">any other class</option>
            <For each={(props.model.classes ?? []).filter((c) => c !== prediction())}>
              {(c) => (
                <option value={c} selected={c === target()}>
                  {c}
                </option>
              )}
            </For>
          </select>
        </label>
        <button
          type="button"
          class="button primary"
          disabled={running() || allowed().length === 0 || prediction() === null}
          onClick={search}
          data-testid="cf-search"
        >
          Smallest change that flips the prediction
        </button>
      </div>
      <details class="proto-allowed">
        <summary class="small">
          Features that may change ({allowed().length} of {mutable().length})
        </summary>
        <div class="proto-allowed-list">
          <For each={mutable()}>
            {(f) => (
              <label class="small">
                <input
                  type="checkbox"
                  checked={!locked().has(f.name)}
                  onChange={(e) => {
                    const next = new Set(locked());
                    if (e.currentTarget.checked) next.delete(f.name);
                    else next.add(f.name);
                    setLocked(next);
                  }}
                />{' '}
                {f.name}
              </label>
            )}
          </For>
        </div>
      </details>
      <Show when={running()}>
        <JobProgress
          progress={store.progress('cf')}
          onCancel={() => store.cancelCounterfactual()}
          testid="cf-progress"
        />
      </Show>
      <Show when={store.state.cf.error}>
        {(e) => (
          <p class="train-error small" role="alert" data-testid="cf-error">
            {e().name === 'Cancelled' ? 'Cancelled.' : `${e().message} ${e().hint ?? ''}`}
          </p>
        )}
      </Show>
      <Show when={store.state.cf.result}>
        {(r) => (
          <div class="proto-cf-result" data-testid="cf-result">
            <Show when={r().found} fallback={<p class="proto-flag">{r().message}</p>}>
              <p>
                Predicted <strong>{r().prediction}</strong>
                {r().probability !== null ? ` (p = ${r().probability!.toFixed(3)})` : ''} instead of{' '}
                {r().originalPrediction} after {r().changes.length === 1 ? 'this change' : 'these changes'}:
              </p>
              <table class="runs-table proto-cf-table">
                <thead>
                  <tr>
                    <th scope="col">feature</th>
                    <th scope="col" class="num">
                      from
                    </th>
                    <th scope="col" class="num">
                      to
                    </th>
                    <th scope="col" class="num">
                      share of range
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={r().changes}>
                    {(c) => (
                      <tr data-feature={c.feature}>
                        <th scope="row">{c.feature}</th>
                        <td class="num">{shortValue(c.from)}</td>
                        <td class="num">{shortValue(c.to)}</td>
                        <td class="num">
                          {typeof c.to === 'number' ? `${(c.cost * 100).toFixed(1)}%` : 'category'}
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
              <p class="small muted">
                Distance {r().distance.toFixed(3)} (numeric changes as shares of the observed range, 1 per
                changed category) · {r().evaluated.toLocaleString('en-US')} candidate rows scored.
              </p>
              <button
                type="button"
                class="button"
                onClick={() => store.applyCounterfactual()}
                data-testid="cf-apply"
              >
                Apply to the form
              </button>
            </Show>
          </div>
        )}
      </Show>
    </section>
  );
}
