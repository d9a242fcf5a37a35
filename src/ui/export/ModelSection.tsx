/**
 * The Export tab's "Model" section: pick a trained run or a deployed/imported model, then download
 * the model (one .benchtop file, or .json + .bin), the Python or Dask script, the predictions CSV of the
 * notebook's dataset, or an offline HTML report of the run. A run is fitted on every row the first
 * time one of its files is asked for (a job in the status bar, with progress and Cancel).
 */
import { createResource, For, type JSX, Show } from 'solid-js';
import type { DeployedModelInfo, PythonExportIssue } from '../../protocol/api';
import { ci, meanStd, metricName } from '../../report/format';
import { useWorkbench } from '../context';
import { useNotebook } from '../notebook/context';
import { SelectField } from '../SelectField';
import { FailureNote, JobLine } from './JobLine';
import { createModelChoice, type ModelChoices, type ModelSectionProps } from './model-choice';
import {
  downloadBundle,
  downloadDask,
  downloadFiles,
  downloadModelPredictions,
  downloadPython,
  downloadReport,
  type ModelFilesContext,
} from './model-files';

/** The run or model to export: trained runs first, then deployed and imported models. */
function ModelPicker(props: {
  choices: ModelChoices;
  choice: string;
  onPick: (value: string) => void;
}): JSX.Element {
  const options = () => props.choices.options();
  return (
    <div class="export-row">
      <SelectField
        label="Run or model"
        class="export-field"
        testid="export-model-select"
        value={props.choice}
        onPick={(value) => props.onPick(value)}
      >
        <For each={['run', 'model'] as const}>
          {(group) => (
            <Show when={options().some((o) => o.group === group)}>
              <optgroup label={group === 'run' ? 'Trained runs' : 'Deployed and imported models'}>
                <For each={options().filter((o) => o.group === group)}>
                  {(o) => (
                    <option value={o.value} selected={o.value === props.choice}>
                      {o.label}
                    </option>
                  )}
                </For>
              </optgroup>
            </Show>
          )}
        </For>
      </SelectField>
    </div>
  );
}

/** One line about the choice: the run's primary metric, or the model's inputs, origin and size. */
function ModelAbout(props: { ctx: ModelFilesContext; model: DeployedModelInfo | null }): JSX.Element {
  const primary = () => {
    const r = props.ctx.run();
    const key = props.ctx.experiment()?.primary;
    const s = key ? r?.model.metrics[key] : undefined;
    return r && key && s ? `${metricName(key)} ${meanStd(s)} ${ci(s, key)}` : '';
  };
  return (
    <p class="muted small" data-testid="export-model-about">
      <Show when={props.ctx.run()}>
        {primary()} · the files hold the notebook and the model fitted on every row of{' '}
        {props.ctx.dataset()?.name ?? 'the dataset'}.
      </Show>
      <Show when={props.model}>
        {(m) => (
          <>
            {m().source === 'imported' ? 'Imported' : 'Fitted'} model · {m().contract.features.length} input
            columns · made by Benchtop {m().benchtopVersion} on {m().createdAt.slice(0, 10)} ·{' '}
            {(m().weightBytes / 1024).toFixed(1)} KB of weights.
          </>
        )}
      </Show>
    </p>
  );
}

const NEEDS_RUN = 'Needs a trained run';

const SEVERITY: Record<PythonExportIssue['severity'], string> = {
  unsupported: 'Not exported',
  approximate: 'Approximate',
  requires: 'Needs',
};

/**
 * What the Python script cannot reproduce exactly, said before download: steps or a model without
 * a pandas/scikit-learn translation, random draws that agree only statistically, a package the
 * data format needs. Nothing shows when the script reproduces the run.
 */
function PythonNotes(props: { ctx: ModelFilesContext }): JSX.Element {
  const source = () => {
    const r = props.ctx.run();
    const d = props.ctx.dataset();
    const spec = r && props.ctx.train?.deploySpec(r.id);
    return r && d && spec
      ? { datasetId: d.id, notebook: spec.notebook, model: spec.model, target: spec.target }
      : null;
  };
  const [issues] = createResource(source, ({ datasetId, ...spec }) =>
    props.ctx.store.pythonIssues(datasetId, spec),
  );
  return (
    <Show when={(issues() ?? []).length > 0}>
      <ul
        class="export-python-notes small"
        data-testid="export-python-notes"
        aria-label="Python script notes"
      >
        <For each={issues()}>
          {(issue) => (
            <li data-severity={issue.severity}>
              <strong>{SEVERITY[issue.severity]}:</strong> {issue.message}
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

function ModelButtons(props: { ctx: ModelFilesContext; busy: boolean }): JSX.Element {
  const ctx = props.ctx;
  const hasRun = () => Boolean(ctx.run());
  const button = (
    testid: string,
    label: string,
    title: () => string,
    disabled: () => boolean,
    action: (ctx: ModelFilesContext) => Promise<void>,
    primary = false,
  ) => (
    <button
      type="button"
      class={primary ? 'button primary' : 'button'}
      data-testid={testid}
      disabled={disabled()}
      title={title()}
      onClick={() => void action(ctx)}
    >
      {label}
    </button>
  );
  return (
    <div class="export-buttons">
      {button(
        'export-download-bundle',
        'Download model (.benchtop)',
        () => 'One file with the model and its weights; benchtop-runtime and this tab load it',
        () => props.busy,
        downloadBundle,
        true,
      )}
      {button(
        'export-download-files',
        'JSON + weights (.bin)',
        () => 'The artifact as a readable JSON document plus its binary weights',
        () => props.busy,
        downloadFiles,
      )}
      {button(
        'export-download-python',
        'Python script',
        () =>
          hasRun()
            ? 'pandas + scikit-learn script that reproduces the notebook, model and CV metrics'
            : NEEDS_RUN,
        () => props.busy || !hasRun(),
        downloadPython,
      )}
      {button(
        'export-download-dask',
        'Dask script',
        () =>
          hasRun()
            ? 'Python script that runs the notebook and the model on a Dask cluster (partitioned CSV or Parquet; xgboost.dask or scikit-learn incremental learners); steps or models without a faithful distributed form are refused with the reason'
            : NEEDS_RUN,
        () => props.busy || !hasRun(),
        downloadDask,
      )}
      {button(
        'export-download-predictions',
        'Predictions CSV',
        () =>
          `Every row of ${ctx.dataset()?.name ?? 'the dataset'} with the prediction and one probability per class`,
        () => props.busy || !ctx.dataset(),
        downloadModelPredictions,
      )}
      {button(
        'export-download-report',
        'HTML report',
        () => (hasRun() ? 'One HTML file that opens offline: metrics, charts, parameters' : NEEDS_RUN),
        () => props.busy || !hasRun(),
        downloadReport,
      )}
    </div>
  );
}

export function ModelSection(props: ModelSectionProps): JSX.Element {
  const nb = useNotebook();
  const wb = useWorkbench();
  const { choices, choice, pick: setPicked } = createModelChoice(props.train, props.deploy, nb);
  const run = () => choices.run(choice());
  const busy = () =>
    props.store.state.model.jobId !== null || (props.deploy.busy() && props.deploy.state.jobId !== null);
  const ctx: ModelFilesContext = {
    get store() {
      return props.store;
    },
    get train() {
      return props.train;
    },
    choices,
    nb,
    wb,
    choice,
    run,
    experiment: () => props.train?.experimentOf(run()) ?? null,
    dataset: () => nb.dataset(),
  };

  return (
    <section class="export-section" aria-labelledby="export-model-heading" data-testid="export-model">
      <h2 id="export-model-heading">Model</h2>
      <Show
        when={choices.options().length > 0}
        fallback={
          <p class="muted">
            Train a model in the Train tab (or import one under “Score new data”); its files show here.
          </p>
        }
      >
        <ModelPicker choices={choices} choice={choice()} onPick={setPicked} />
        <ModelAbout ctx={ctx} model={choices.model(choice())} />
        <ModelButtons ctx={ctx} busy={busy()} />
        <PythonNotes ctx={ctx} />
        <JobLine
          jobIds={[props.store.state.model.jobId, props.deploy.state.jobId]}
          testid="export-model-job"
        />
        <FailureNote
          failure={props.store.state.model.error}
          testid="export-model-error"
          onDismiss={() => props.store.dismiss('model')}
        />
      </Show>
    </section>
  );
}
