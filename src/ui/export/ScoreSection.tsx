/**
 * The Export tab's "Score new data" section: choose a model (a run, a deployed model, or an
 * exported artifact imported from its files) and data (a loaded dataset, or a new file loaded for
 * this without changing the notebook's data); the worker checks the data against the model's
 * contract, reports drift per column, scores every row, and the section shows a preview and offers
 * the predictions CSV (ScoreResult). A bad artifact or data file gives a message here and changes
 * nothing else.
 */
import { createMemo, createSignal, For, type JSX, Show } from 'solid-js';
import type { DatasetInfo } from '../../protocol/api';
import type { DeployStore } from '../../state/deploy';
import { artifactFromFiles, type ModelExportStore } from '../../state/model-export';
import { useWorkbench } from '../context';
import { formatCount } from '../format';
import { useNotebook } from '../notebook/context';
import { SelectField } from '../SelectField';
import { FileButton } from './FileButton';
import { FailureNote, JobLine } from './JobLine';
import { createModelChoice, type ModelChoices, type ModelSectionProps } from './model-choice';
import { downloadPredictions, resolveChoice } from './model-files';
import { ScoreResult } from './ScoreResult';

export { driftNotes } from './ScoreResult';

const MODEL_FILES = '.benchtop,.json,.bin,application/json,application/octet-stream';
const DATA_FILES = '.csv,.tsv,.txt,.json,.ndjson,.arrow,.feather,.parquet';

/** The model to score with (or none yet) and the button that imports an exported one. */
function ScoreModelField(props: {
  choices: ModelChoices;
  choice: string;
  onPick: (value: string) => void;
  onImport: (files: File[]) => void;
}): JSX.Element {
  const options = () => props.choices.options();
  return (
    <div class="export-row">
      <SelectField
        label="Model"
        class="export-field"
        testid="score-model"
        value={props.choice}
        disabled={options().length === 0}
        onPick={(value) => props.onPick(value)}
      >
        <Show when={options().length === 0}>
          <option value="">No model yet — import one</option>
        </Show>
        <For each={options()}>
          {(o) => (
            <option value={o.value} selected={o.value === props.choice}>
              {o.group === 'run' ? 'Run: ' : ''}
              {o.label}
            </option>
          )}
        </For>
      </SelectField>
      <FileButton
        label="Import model…"
        multiple
        accept={MODEL_FILES}
        testid="score-import"
        onFiles={props.onImport}
      />
    </div>
  );
}

/** The dataset to score (any loaded one but derived views) and the button that loads a new file. */
function ScoreDataField(props: {
  datasets: DatasetInfo[];
  dataset: DatasetInfo | null;
  onPick: (id: string) => void;
  onLoad: (file: File) => void;
}): JSX.Element {
  return (
    <div class="export-row">
      <SelectField
        label="Data"
        class="export-field"
        testid="score-dataset"
        value={props.dataset?.id ?? ''}
        disabled={props.datasets.length === 0}
        onPick={(value) => props.onPick(value)}
      >
        <Show when={props.datasets.length === 0}>
          <option value="">No data yet — load a file</option>
        </Show>
        <For each={props.datasets}>
          {(d) => (
            <option value={d.id} selected={d.id === props.dataset?.id}>
              {d.name} · {formatCount(d.rows)} rows
            </option>
          )}
        </For>
      </SelectField>
      <FileButton
        label="Load a file…"
        accept={DATA_FILES}
        testid="score-file"
        onFiles={(f) => props.onLoad(f[0]!)}
      />
    </div>
  );
}

/** Reads an exported artifact's files and adds the model; a message on success, a failure note otherwise. */
async function importArtifact(
  store: ModelExportStore,
  deploy: DeployStore,
  files: File[],
): Promise<{ id: string; note: string } | null> {
  store.dismiss('score');
  let parts: Awaited<ReturnType<typeof artifactFromFiles>>;
  try {
    parts = await artifactFromFiles(files);
  } catch (e) {
    store.setError('score', e);
    return null;
  }
  const info = await deploy.importArtifact(parts.json, parts.weights);
  if (!info) {
    const error = deploy.state.error;
    if (error) store.setFailure('score', error);
    deploy.dismissError();
    return null;
  }
  const note = `Imported ${files.map((f) => f.name).join(' + ')}: ${info.label}, ${info.contract.features.length} input columns.`;
  return { id: info.id, note };
}

export function ScoreSection(props: ModelSectionProps): JSX.Element {
  const nb = useNotebook();
  const wb = useWorkbench();
  const {
    choices,
    choice: modelChoice,
    pick: setPickedModel,
  } = createModelChoice(props.train, props.deploy, nb);
  const [pickedData, setPickedData] = createSignal('');
  const [note, setNote] = createSignal<string | null>(null);
  const datasets = () => wb.state.datasets.filter((d) => d.source.kind !== 'derived');
  const dataset = createMemo(() => {
    const p = pickedData();
    return datasets().find((d) => d.id === p) ?? nb.dataset() ?? datasets()[0] ?? null;
  });
  const store = props.store;
  const busy = () => store.state.score.jobId !== null || props.deploy.busy();
  const report = () => {
    const r = store.state.score.report;
    return r && wb.state.datasets.some((d) => d.id === r.datasetId) ? r : null;
  };

  const importFiles = async (files: File[]) => {
    setNote(null);
    const imported = await importArtifact(store, props.deploy, files);
    if (!imported) return;
    setPickedModel(`model:${imported.id}`);
    setNote(imported.note);
  };

  const loadData = async (file: File) => {
    setNote(null);
    const info = await store.loadFile(file);
    if (info) setPickedData(info.id);
  };

  const resolve = () => resolveChoice(store, choices, modelChoice(), 'score');

  const score = async () => {
    const d = dataset();
    if (!d) return;
    setNote(null);
    const info = await resolve();
    if (info) await store.score(info.id, d);
  };

  const downloadCsv = async () => {
    const d = dataset();
    if (!d) return;
    const info = await resolve();
    await downloadPredictions(store, 'score', info, d, () => choices.fileName(modelChoice()));
  };

  return (
    <section class="export-section" aria-labelledby="export-score-heading" data-testid="export-score">
      <h2 id="export-score-heading">Score new data</h2>
      <p class="muted">
        Check a dataset against the model's data contract, see how far each column is from the training rows,
        and predict every row — with the same code benchtop-runtime runs after deployment.
      </p>
      <ScoreModelField
        choices={choices}
        choice={modelChoice()}
        onPick={setPickedModel}
        onImport={(files) => void importFiles(files)}
      />
      <ScoreDataField
        datasets={datasets()}
        dataset={dataset()}
        onPick={setPickedData}
        onLoad={(file) => void loadData(file)}
      />
      <div class="export-buttons">
        <button
          type="button"
          class="button primary"
          data-testid="score-button"
          disabled={busy() || !dataset() || choices.options().length === 0}
          onClick={() => void score()}
        >
          Check and score
        </button>
        <button
          type="button"
          class="button"
          data-testid="score-download"
          disabled={busy() || !dataset() || choices.options().length === 0}
          onClick={() => void downloadCsv()}
        >
          Predictions CSV
        </button>
      </div>
      <Show when={note()}>
        {(text) => (
          <p class="small" role="status" data-testid="score-note">
            {text()}
          </p>
        )}
      </Show>
      <JobLine jobIds={[store.state.score.jobId, props.deploy.state.jobId]} testid="score-job" />
      <FailureNote
        failure={store.state.score.error}
        testid="score-error"
        onDismiss={() => store.dismiss('score')}
      />
      <Show when={report()}>{(r) => <ScoreResult report={r()} />}</Show>
    </section>
  );
}
