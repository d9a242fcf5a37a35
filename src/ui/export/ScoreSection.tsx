/**
 * The Export tab's "Score new data" section: choose a model (a run, a deployed model, or an
 * exported artifact imported from its files) and data (a loaded dataset, or a new file loaded for
 * this without changing the notebook's data); the worker checks the data against the model's
 * contract, reports drift per column, scores every row, and the section shows a preview and offers
 * the predictions CSV. A bad artifact or data file gives a message here and changes nothing else.
 */
import { createMemo, createSignal, For, type JSX, Show } from 'solid-js';
import type { ColumnDrift, ScoreReport } from '../../protocol/api';
import { num } from '../../report/format';
import type { DeployStore } from '../../state/deploy';
import { artifactFromFiles, type ModelExportStore } from '../../state/model-export';
import type { TrainStore } from '../../state/train';
import { useWorkbench } from '../context';
import { formatCount } from '../format';
import { useNotebook } from '../notebook/context';
import { download } from './download';
import { FailureNote, JobLine } from './JobLine';
import { createModelChoices, fileSafe, isFailure } from './model-choice';

const SHIFT_TEXT = { stable: 'stable', moderate: 'moderate shift', shifted: 'shifted' } as const;

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  // Numbers as the data have them (to 6 significant digits), not padded to a fixed width.
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  return String(v);
}

/** One line per column that needs attention; empty when the data look like the training rows. */
export function driftNotes(c: ColumnDrift): string[] {
  const notes: string[] = [];
  const ex = c.examples.length > 0 ? ` (e.g. ${c.examples.join(', ')})` : '';
  if (c.wrongType > 0) notes.push(`${formatCount(c.wrongType)} not ${c.type}${ex}`);
  if (c.outOfRange > 0) notes.push(`${formatCount(c.outOfRange)} outside the training range${ex}`);
  if (c.unseenCategory > 0) notes.push(`${formatCount(c.unseenCategory)} unseen categories${ex}`);
  if (c.missing > 0) {
    notes.push(
      `${formatCount(c.missing)} missing — ${c.missingPolicy === 'rejected' ? 'those rows are not scored' : 'filled by the pipeline'}`,
    );
  }
  return notes;
}

function summary(r: ScoreReport): string {
  const drifted = r.columns.filter((c) => c.shift === 'shifted' || c.shift === 'moderate').length;
  const flagged = r.columns.filter((c) => driftNotes(c).length > 0).length;
  const parts = [`${formatCount(r.scored)} of ${formatCount(r.rows)} rows scored`];
  parts.push(drifted === 0 ? 'no column shifted' : `${drifted} column${drifted === 1 ? '' : 's'} shifted`);
  if (flagged > 0) parts.push(`${flagged} column${flagged === 1 ? '' : 's'} with odd values`);
  return parts.join(' · ');
}

export function ScoreSection(props: {
  train: TrainStore | undefined;
  deploy: DeployStore;
  store: ModelExportStore;
}): JSX.Element {
  const nb = useNotebook();
  const wb = useWorkbench();
  const choices = createModelChoices(props.train, props.deploy, nb);
  const [pickedModel, setPickedModel] = createSignal('');
  const [pickedData, setPickedData] = createSignal('');
  const [note, setNote] = createSignal<string | null>(null);
  const modelChoice = createMemo(() => {
    const p = pickedModel();
    return p && choices.options().some((o) => o.value === p) ? p : choices.preferred();
  });
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
    store.dismiss('score');
    let parts: Awaited<ReturnType<typeof artifactFromFiles>>;
    try {
      parts = await artifactFromFiles(files);
    } catch (e) {
      store.setError('score', e);
      return;
    }
    const info = await props.deploy.importArtifact(parts.json, parts.weights);
    if (!info) {
      const error = props.deploy.state.error;
      if (error) store.setFailure('score', error);
      props.deploy.dismissError();
      return;
    }
    setPickedModel(`model:${info.id}`);
    setNote(
      `Imported ${files.map((f) => f.name).join(' + ')}: ${info.label}, ${info.contract.features.length} input columns.`,
    );
  };

  const loadData = async (file: File) => {
    setNote(null);
    const info = await store.loadFile(file);
    if (info) setPickedData(info.id);
  };

  const resolve = async () => {
    store.dismiss('score');
    const info = await choices.resolve(modelChoice());
    if (!isFailure(info)) return info;
    store.setFailure('score', info);
    return null;
  };

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
    const bytes = info && (await store.predictionsCsv('score', info.id, d));
    if (bytes) {
      download(
        new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'text/csv' }),
        `${fileSafe(d.name)}-predictions-${choices.fileName(modelChoice())}.csv`,
      );
    }
  };

  return (
    <section class="export-section" aria-labelledby="export-score-heading" data-testid="export-score">
      <h2 id="export-score-heading">Score new data</h2>
      <p class="muted">
        Check a dataset against the model's data contract, see how far each column is from the training rows,
        and predict every row — with the same code benchtop-runtime runs after deployment.
      </p>
      <div class="export-row">
        <label class="export-field">
          <span>Model</span>
          <select
            class="input"
            data-testid="score-model"
            value={modelChoice()}
            disabled={choices.options().length === 0}
            onChange={(e) => setPickedModel(e.currentTarget.value)}
          >
            <Show when={choices.options().length === 0}>
              <option value="">No model yet — import one</option>
            </Show>
            <For each={choices.options()}>
              {(o) => (
                <option value={o.value} selected={o.value === modelChoice()}>
                  {o.group === 'run' ? 'Run: ' : ''}
                  {o.label}
                </option>
              )}
            </For>
          </select>
        </label>
        <label class="button">
          Import model…
          <input
            type="file"
            multiple
            accept=".benchtop,.json,.bin,application/json,application/octet-stream"
            class="visually-hidden"
            data-testid="score-import"
            onChange={(e) => {
              const files = [...(e.currentTarget.files ?? [])];
              e.currentTarget.value = '';
              if (files.length > 0) void importFiles(files);
            }}
          />
        </label>
      </div>
      <div class="export-row">
        <label class="export-field">
          <span>Data</span>
          <select
            class="input"
            data-testid="score-dataset"
            value={dataset()?.id ?? ''}
            disabled={datasets().length === 0}
            onChange={(e) => setPickedData(e.currentTarget.value)}
          >
            <Show when={datasets().length === 0}>
              <option value="">No data yet — load a file</option>
            </Show>
            <For each={datasets()}>
              {(d) => (
                <option value={d.id} selected={d.id === dataset()?.id}>
                  {d.name} · {formatCount(d.rows)} rows
                </option>
              )}
            </For>
          </select>
        </label>
        <label class="button">
          Load a file…
          <input
            type="file"
            accept=".csv,.tsv,.txt,.json,.ndjson,.arrow,.feather,.parquet"
            class="visually-hidden"
            data-testid="score-file"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) void loadData(file);
            }}
          />
        </label>
      </div>
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

function ScoreResult(props: { report: ScoreReport }): JSX.Element {
  const r = () => props.report;
  const features = () => r().columns.map((c) => c.column);
  return (
    <div class="score-result" data-testid="score-report">
      <p class="score-summary">
        <strong>{summary(r())}</strong>
        <span class="muted small"> · {r().ms} ms</span>
        <Show when={r().classes && r().classCounts}>
          <span class="muted small">
            {' '}
            · predicted:{' '}
            {r()
              .classes!.map((c, k) => `${c} ${formatCount(r().classCounts![k] ?? 0)}`)
              .join(', ')}
          </span>
        </Show>
      </p>
      <Show when={r().ignoredColumns.length > 0}>
        <p class="muted small">Not read by the model: {r().ignoredColumns.join(', ')}.</p>
      </Show>
      <p class="small muted">
        Per input column: the values the model could not take as they are, and the population stability index
        against the training rows (PSI &lt; 0.1 stable, ≥ 0.25 shifted).
      </p>
      <table class="export-table score-drift" data-testid="score-drift">
        <thead>
          <tr>
            <th scope="col">column</th>
            <th scope="col">type</th>
            <th scope="col" class="num">
              PSI
            </th>
            <th scope="col">drift</th>
            <th scope="col">values</th>
          </tr>
        </thead>
        <tbody>
          <For each={r().columns}>
            {(c) => (
              <tr data-column={c.column} classList={{ flagged: driftNotes(c).length > 0 }}>
                <th scope="row">{c.column}</th>
                <td class="muted">{c.type}</td>
                <td class="num">{c.psi === null ? '–' : num(c.psi)}</td>
                <td>
                  <Show when={c.shift} fallback={<span class="muted">no training distribution</span>}>
                    {(s) => <span class={`shift ${s()}`}>{SHIFT_TEXT[s()]}</span>}
                  </Show>
                </td>
                <td class="small">{driftNotes(c).join('; ') || <span class="muted">as in training</span>}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <div class="score-preview-wrap">
        <table class="export-table score-preview" data-testid="score-preview">
          <caption class="small muted">First {r().preview.length} rows with their predictions</caption>
          <thead>
            <tr>
              <th scope="col" class="num">
                row
              </th>
              <For each={features()}>{(f) => <th scope="col">{f}</th>}</For>
              <th scope="col">prediction</th>
              <Show when={r().classes && r().preview.some((p) => p.probabilities)}>
                <For each={r().classes ?? []}>{(c) => <th scope="col">P({c})</th>}</For>
              </Show>
            </tr>
          </thead>
          <tbody>
            <For each={r().preview}>
              {(p) => (
                <tr>
                  <td class="num muted">{p.row + 1}</td>
                  <For each={features()}>{(f) => <td class="num">{cell(p.values[f])}</td>}</For>
                  <td class="prediction">
                    {p.prediction === null ? <span class="muted">not scored</span> : cell(p.prediction)}
                  </td>
                  <Show when={r().classes && r().preview.some((q) => q.probabilities)}>
                    <For each={r().classes ?? []}>
                      {(_, k) => (
                        <td class="num">{p.probabilities ? num(p.probabilities[k()] ?? Number.NaN) : ''}</td>
                      )}
                    </For>
                  </Show>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </div>
  );
}
