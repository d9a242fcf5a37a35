/**
 * The Export tab's "Model" section: pick a trained run or a deployed/imported model, then download
 * the model (one .benchtop file, or .json + .bin), the Python or Dask script, the predictions CSV of the
 * notebook's dataset, or an offline HTML report of the run. A run is fitted on every row the first
 * time one of its files is asked for (a job in the status bar, with progress and Cancel).
 */
import { createMemo, createSignal, For, type JSX, Show } from 'solid-js';
import { unwrap } from 'solid-js/store';
import type { DatasetInfo } from '../../protocol/api';
import { ci, meanStd, metricName } from '../../report/format';
import { runReportHtml } from '../../report/report';
import type { DeployStore } from '../../state/deploy';
import type { ModelExportStore } from '../../state/model-export';
import type { TrainStore } from '../../state/train';
import { shareUrl } from '../../state/url-sync';
import { useWorkbench } from '../context';
import { useNotebook } from '../notebook/context';
import { download } from './download';
import { FailureNote, JobLine } from './JobLine';
import { createModelChoices, fileSafe, isFailure, type ModelChoices } from './model-choice';

export function ModelSection(props: {
  train: TrainStore | undefined;
  deploy: DeployStore;
  store: ModelExportStore;
}): JSX.Element {
  const nb = useNotebook();
  const wb = useWorkbench();
  const choices: ModelChoices = createModelChoices(props.train, props.deploy, nb);
  const [picked, setPicked] = createSignal('');
  const choice = createMemo(() => {
    const p = picked();
    return p && choices.options().some((o) => o.value === p) ? p : choices.preferred();
  });
  const run = () => choices.run(choice());
  const model = () => choices.model(choice());
  const experiment = () => props.train?.experimentOf(run()) ?? null;
  const busy = () =>
    props.store.state.model.jobId !== null || (props.deploy.busy() && props.deploy.state.jobId !== null);
  const dataset = () => nb.dataset();

  /** The deployed model of the choice, or null with the message shown. */
  const resolved = async () => {
    props.store.dismiss('model');
    const info = await choices.resolve(choice());
    if (!isFailure(info)) return info;
    props.store.setFailure('model', info);
    return null;
  };

  const downloadBundle = async () => {
    const info = await resolved();
    const bytes = info && (await props.store.bundle(info.id));
    if (bytes)
      download(new Blob([bytes as Uint8Array<ArrayBuffer>]), `${choices.fileName(choice())}.benchtop`);
  };

  const downloadFiles = async () => {
    const info = await resolved();
    const files = info && (await props.store.files(info.id));
    if (!files) return;
    const name = choices.fileName(choice());
    download(new Blob([files.json], { type: 'application/json' }), `${name}.json`);
    download(new Blob([files.weights as Uint8Array<ArrayBuffer>]), `${name}.bin`);
  };

  /** The file a script reads by default: the dataset's own CSV, else the CSV the Data section exports. */
  const csvFile = (d: DatasetInfo): string => {
    const source = d.source;
    if (source.kind === 'sample') return `${source.sample}.csv`;
    if (source.kind === 'file' && /\.csv$/i.test(source.name)) return source.name;
    return `${fileSafe(source.kind === 'file' ? source.name : d.name, 'data')}.csv`;
  };

  const downloadPython = async () => {
    const r = run();
    const e = experiment();
    const spec = r && props.train?.deploySpec(r.id);
    const d = dataset();
    if (!r || !e || !spec || !d) return;
    const { notebookLink: _link, metrics: _metrics, ...rest } = spec;
    props.store.dismiss('model');
    // The split is part of a store: a plain copy crosses to the worker.
    const split = JSON.parse(JSON.stringify(e.split)) as typeof e.split;
    const script = await props.store.pythonScript(d.id, {
      ...rest,
      split,
      seed: e.seed,
      csvFile: csvFile(d),
    });
    if (script) download(new Blob([script], { type: 'text/x-python' }), `${choices.fileName(choice())}.py`);
  };

  const downloadDask = async () => {
    const r = run();
    const e = experiment();
    const spec = r && props.train?.deploySpec(r.id);
    const d = dataset();
    if (!r || !e || !spec || !d) return;
    props.store.dismiss('model');
    // Plain copies cross to the worker; the columns each step reads are resolved on this dataset.
    const { split, model } = JSON.parse(JSON.stringify({ split: e.split, model: spec.model })) as {
      split: typeof e.split;
      model: typeof spec.model;
    };
    const script = await props.store.daskScript(d.id, {
      notebook: spec.notebook,
      target: spec.target,
      ...(spec.task ? { task: spec.task } : {}),
      models: [model],
      split,
      seed: e.seed,
      dataFile: csvFile(d),
    });
    if (script)
      download(new Blob([script], { type: 'text/x-python' }), `${choices.fileName(choice())}-dask.py`);
  };

  const downloadPredictions = async () => {
    const d = dataset();
    if (!d) return;
    const info = await resolved();
    const bytes = info && (await props.store.predictionsCsv('model', info.id, d));
    if (bytes) {
      download(
        new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'text/csv' }),
        `${fileSafe(d.name)}-predictions-${choices.fileName(choice())}.csv`,
      );
    }
  };

  const downloadReport = async () => {
    const r = run();
    const e = experiment();
    if (!r || !e) return;
    props.store.dismiss('model');
    const notebook = structuredClone(unwrap(nb.state.notebook));
    let link: string | null = null;
    try {
      link = await shareUrl(notebook, location.href);
    } catch {
      link = null;
    }
    try {
      const html = runReportHtml({
        run: r.model,
        experiment: e,
        dataset: dataset(),
        notebook,
        notebookLink: link,
        backend: wb.state.backend,
        importance: props.train?.state.importance[r.id] ?? null,
        createdAt: new Date(),
      });
      download(new Blob([html], { type: 'text/html' }), `${choices.fileName(choice())}-report.html`);
    } catch (err) {
      props.store.setError('model', err);
    }
  };

  const primary = () => {
    const r = run();
    const key = experiment()?.primary;
    const s = key ? r?.model.metrics[key] : undefined;
    return r && key && s ? `${metricName(key)} ${meanStd(s)} ${ci(s, key)}` : '';
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
        <div class="export-row">
          <label class="export-field">
            <span>Run or model</span>
            <select
              class="input"
              data-testid="export-model-select"
              value={choice()}
              onChange={(e) => setPicked(e.currentTarget.value)}
            >
              <For each={['run', 'model'] as const}>
                {(group) => (
                  <Show when={choices.options().some((o) => o.group === group)}>
                    <optgroup label={group === 'run' ? 'Trained runs' : 'Deployed and imported models'}>
                      <For each={choices.options().filter((o) => o.group === group)}>
                        {(o) => (
                          <option value={o.value} selected={o.value === choice()}>
                            {o.label}
                          </option>
                        )}
                      </For>
                    </optgroup>
                  </Show>
                )}
              </For>
            </select>
          </label>
        </div>
        <p class="muted small" data-testid="export-model-about">
          <Show when={run()}>
            {primary()} · the files hold the notebook and the model fitted on every row of{' '}
            {dataset()?.name ?? 'the dataset'}.
          </Show>
          <Show when={model()}>
            {(m) => (
              <>
                {m().source === 'imported' ? 'Imported' : 'Fitted'} model · {m().contract.features.length}{' '}
                input columns · made by Benchtop {m().benchtopVersion} on {m().createdAt.slice(0, 10)} ·{' '}
                {(m().weightBytes / 1024).toFixed(1)} KB of weights.
              </>
            )}
          </Show>
        </p>
        <div class="export-buttons">
          <button
            type="button"
            class="button primary"
            data-testid="export-download-bundle"
            disabled={busy()}
            title="One file with the model and its weights; benchtop-runtime and this tab load it"
            onClick={() => void downloadBundle()}
          >
            Download model (.benchtop)
          </button>
          <button
            type="button"
            class="button"
            data-testid="export-download-files"
            disabled={busy()}
            title="The artifact as a readable JSON document plus its binary weights"
            onClick={() => void downloadFiles()}
          >
            JSON + weights (.bin)
          </button>
          <button
            type="button"
            class="button"
            data-testid="export-download-python"
            disabled={busy() || !run()}
            title={
              run()
                ? 'pandas + scikit-learn script that reproduces the notebook, model and CV metrics'
                : 'Needs a trained run'
            }
            onClick={() => void downloadPython()}
          >
            Python script
          </button>
          <button
            type="button"
            class="button"
            data-testid="export-download-dask"
            disabled={busy() || !run()}
            title={
              run()
                ? 'Python script that runs the notebook and the model on a Dask cluster (partitioned CSV or Parquet; xgboost.dask or scikit-learn incremental learners); steps or models without a faithful distributed form are refused with the reason'
                : 'Needs a trained run'
            }
            onClick={() => void downloadDask()}
          >
            Dask script
          </button>
          <button
            type="button"
            class="button"
            data-testid="export-download-predictions"
            disabled={busy() || !dataset()}
            title={`Every row of ${dataset()?.name ?? 'the dataset'} with the prediction and one probability per class`}
            onClick={() => void downloadPredictions()}
          >
            Predictions CSV
          </button>
          <button
            type="button"
            class="button"
            data-testid="export-download-report"
            disabled={busy() || !run()}
            title={
              run() ? 'One HTML file that opens offline: metrics, charts, parameters' : 'Needs a trained run'
            }
            onClick={() => void downloadReport()}
          >
            HTML report
          </button>
        </div>
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
