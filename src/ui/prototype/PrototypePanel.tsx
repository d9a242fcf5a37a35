/**
 * The Prototype tab: pick a deployed model (a trained run fitted on every row, or an imported
 * artifact), play with a what-if row and watch the prediction, and ask why — partial dependence
 * over all rows and the nearest counterfactual. Every prediction runs in the worker through
 * benchtop-runtime on the artifact a download would give.
 */
import { createEffect, createMemo, createSignal, For, type JSX, Show } from 'solid-js';
import { paramsText } from '../../report/format';
import type { DeployStore } from '../../state/deploy';
import type { PrototypeStore } from '../../state/prototype';
import type { TrainStore } from '../../state/train';
import { useWorkbench } from '../context';
import { distinctTitles } from '../format';
import { SelectField } from '../SelectField';
import { CounterfactualSection } from './Counterfactual';
import { ProgressBar } from './JobProgress';
import { PartialDependenceSection } from './PartialDependence';
import { PredictionCard, WhatIfForm } from './WhatIf';
import '../train/train.css';
import './prototype.css';

function ModelBar(props: { deploy: DeployStore; train?: TrainStore | undefined }): JSX.Element {
  const wb = useWorkbench();
  const deploy = props.deploy;
  const runs = () => [...(props.train?.runs() ?? [])].reverse();
  const runTitles = createMemo(() =>
    distinctTitles(
      runs(),
      (r) =>
        `${r.model.label}${Object.keys(r.model.changed).length > 0 ? ` · ${paramsText(r.model.changed)}` : ''}`,
      (r) => r.at,
    ),
  );
  const [runId, setRunId] = createSignal<string | null>(null);
  const job = () => wb.state.jobs.find((j) => j.id === deploy.state.jobId) ?? null;
  const fitRun = () => {
    const run = props.train?.runById(runId() ?? runs()[0]?.id ?? null);
    const spec = run ? props.train?.deploySpec(run.id) : null;
    if (run && spec) void deploy.deployRun(run.id, run.model.label, spec);
  };
  return (
    <section class="train-section proto-bar" aria-label="Model">
      <div class="train-row">
        <SelectField
          label="Model"
          selectClass="proto-model"
          testid="proto-model"
          disabled={deploy.models().length === 0}
          onPick={(value) => deploy.setActive(value || null)}
        >
          <Show when={deploy.models().length === 0}>
            <option value="">no model yet</option>
          </Show>
          <For each={deploy.models()}>
            {(m) => (
              <option value={m.id} selected={m.id === deploy.active()?.id}>
                {m.label} · {m.source === 'fitted' ? 'fitted on every row' : 'imported'}
              </option>
            )}
          </For>
        </SelectField>
        <Show when={runs().length > 0}>
          <SelectField label="Trained run" testid="proto-run" onPick={(value) => setRunId(value || null)}>
            <For each={runs()}>
              {(r) => (
                <option value={r.id} selected={r.id === runId()}>
                  {runTitles().get(r)}
                </option>
              )}
            </For>
          </SelectField>
          <button
            type="button"
            class="button"
            disabled={deploy.busy()}
            onClick={fitRun}
            data-testid="proto-fit"
          >
            Fit on every row
          </button>
        </Show>
        <Show when={deploy.active()}>
          {(m) => (
            <button type="button" class="button" onClick={() => void deploy.remove(m().id)}>
              Remove
            </button>
          )}
        </Show>
      </div>
      <Show when={job()}>
        {(j) => (
          <div class="train-progress" data-testid="proto-fitting">
            <ProgressBar fraction={j().progress?.fraction} />
            <span class="small">{j().progress?.phase ?? j().label}</span>
            <button type="button" class="button" onClick={() => j().cancel()}>
              Cancel
            </button>
          </div>
        )}
      </Show>
      <Show when={deploy.state.error}>
        {(e) => (
          <div class="train-error small" role="alert" data-testid="proto-error">
            <span>
              {e().name === 'Cancelled' ? 'Fitting was cancelled.' : e().message}
              {e().hint ? ` ${e().hint}` : ''}
            </span>
            <button type="button" class="button" onClick={() => deploy.dismissError()}>
              Dismiss
            </button>
          </div>
        )}
      </Show>
    </section>
  );
}

export function PrototypePanel(props: {
  deploy: DeployStore;
  store: PrototypeStore;
  train?: TrainStore | undefined;
}): JSX.Element {
  const wb = useWorkbench();
  const store = props.store;
  createEffect(() => store.open(props.deploy.active()));
  // Rows come from the dataset the model was fitted on; an imported model uses the selected one.
  const dataset = () => {
    const m = props.deploy.active();
    const id = m?.datasetId ?? wb.selected()?.id ?? null;
    const d = id ? wb.state.datasets.find((x) => x.id === id) : null;
    return d ? { id: d.id, name: d.name, rows: d.rows } : null;
  };
  return (
    <div class="train-view proto-view" data-testid="prototype-panel">
      <ModelBar deploy={props.deploy} train={props.train} />
      <Show
        when={props.deploy.active()}
        fallback={
          <div class="coming-next">
            <h2>Prototype</h2>
            <p class="muted">
              {props.deploy.busy()
                ? 'Fitting the model on every row…'
                : 'Train a model in the Train tab and press “Prototype” on its run (models imported in the Export tab are listed here too). Then change a row’s values and watch the prediction.'}
            </p>
          </div>
        }
      >
        {(m) => (
          <>
            <div class="proto-grid">
              <div class="proto-main">
                <WhatIfForm store={store} model={m()} dataset={dataset()} />
                <PartialDependenceSection store={store} model={m()} dataset={dataset()} />
              </div>
              <div class="proto-side">
                <PredictionCard store={store} model={m()} />
                <Show when={m().task === 'classification'}>
                  <CounterfactualSection store={store} model={m()} />
                </Show>
              </div>
            </div>
          </>
        )}
      </Show>
    </div>
  );
}
