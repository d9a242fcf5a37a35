/**
 * Partial dependence + ICE of one feature over every row of the dataset, around the what-if row:
 * computed in the worker as a cancellable job, drawn as the mean curve over thin per-row curves.
 */
import { type Accessor, createEffect, createSignal, For, type JSX, on, Show } from 'solid-js';
import type { DeployedModelInfo, PartialDependenceResult } from '../../protocol/api';
import type { PrototypeStore } from '../../state/prototype';
import { partialDependencePlot } from '../../viz/pdp';
import { SelectField } from '../SelectField';
import { Chart } from '../train/Chart';
import { JobError, JobProgress } from './JobProgress';

type PdpDataset = { id: string; name: string; rows: number };

/** Feature, class, grid size and the Compute button. */
function PdpControls(props: {
  model: DeployedModelInfo;
  dataset: PdpDataset;
  feature: string;
  onFeature: (name: string) => void;
  output: string | null;
  onOutput: (name: string | null) => void;
  gridText: string;
  onGridText: (text: string) => void;
  gridOk: boolean;
  running: boolean;
  onCompute: () => void;
}): JSX.Element {
  return (
    <div class="train-row">
      <SelectField label="Feature" testid="pdp-feature" onPick={(value) => props.onFeature(value)}>
        <For each={props.model.contract.features}>
          {(f) => (
            <option value={f.name} selected={f.name === props.feature}>
              {f.name}
            </option>
          )}
        </For>
      </SelectField>
      <Show when={props.model.classes}>
        <SelectField
          label="Probability of"
          testid="pdp-class"
          onPick={(value) => props.onOutput(value || null)}
        >
          <option value="">the predicted class</option>
          <For each={props.model.classes ?? []}>
            {(c) => (
              <option value={c} selected={c === props.output}>
                {c}
              </option>
            )}
          </For>
        </SelectField>
      </Show>
      <label class="train-field narrow">
        <span>Grid points</span>
        <input
          class="input"
          type="number"
          min="2"
          max="100"
          value={props.gridText}
          aria-invalid={!props.gridOk}
          data-testid="pdp-grid"
          onInput={(e) => props.onGridText(e.currentTarget.value)}
        />
      </label>
      <button
        type="button"
        class="button primary"
        disabled={props.running || !props.gridOk}
        onClick={() => props.onCompute()}
        data-testid="pdp-compute"
      >
        Compute over {props.dataset.rows.toLocaleString('en-US')} rows
      </button>
    </div>
  );
}

/** The curves of one output (a class's probability, or the prediction) and how they were made. */
function PdpChart(props: {
  store: PrototypeStore;
  model: DeployedModelInfo;
  result: PartialDependenceResult;
  outputIndex: Accessor<number>;
  outputs: Accessor<string[]>;
}): JSX.Element {
  const r = () => props.result;
  return (
    <>
      <Chart
        label="pdp"
        class="proto-pdp-chart"
        render={() =>
          partialDependencePlot(
            {
              kind: r().kind,
              grid: r().grid,
              average: r().average[props.outputIndex()]!,
              ice: r().ice[props.outputIndex()]!,
              deciles: r().deciles,
              current: props.store.state.values[r().feature] as number | string | boolean | null,
            },
            {
              feature: r().feature,
              yLabel: props.model.classes
                ? `P(${props.outputs()[props.outputIndex()]})`
                : (props.outputs()[0] ?? 'prediction'),
              ...(props.model.classes ? { yDomain: [0, 1] as [number, number] } : {}),
              theme: 'auto',
              width: 560,
              height: 300,
            },
          )
        }
      />
      <p class="small muted" data-testid="pdp-caption">
        Orange: the mean over all {r().rows.toLocaleString('en-US')} rows; blue: {r().iceRows.length} rows
        drawn at random (ICE); ticks: the feature's deciles. {r().predictions.toLocaleString('en-US')}{' '}
        predictions in {r().ms < 1000 ? `${r().ms} ms` : `${(r().ms / 1000).toFixed(1)} s`}.
        {r().unscoredRows > 0 ? ` ${r().unscoredRows} rows could not be scored and are left out.` : ''}
      </p>
    </>
  );
}

export function PartialDependenceSection(props: {
  store: PrototypeStore;
  model: DeployedModelInfo;
  dataset: PdpDataset | null;
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
          <PdpControls
            model={props.model}
            dataset={d()}
            feature={feature()}
            onFeature={setFeature}
            output={output()}
            onOutput={setOutput}
            gridText={gridText()}
            onGridText={setGridText}
            gridOk={gridOk()}
            running={running()}
            onCompute={compute}
          />
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
      <JobError error={store.state.pdp.error} testid="pdp-error" />
      <Show when={result()}>
        {(r) => (
          <PdpChart
            store={store}
            model={props.model}
            result={r()}
            outputIndex={outputIndex}
            outputs={outputs}
          />
        )}
      </Show>
    </section>
  );
}
