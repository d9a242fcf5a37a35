/**
 * The notebook being edited: the document (src/spec) as a Solid store, with undo/redo and a
 * debounced run after every change (notebook-run.ts). Each dataset keeps its own notebook
 * (notebook-slots.ts): selecting a dataset shows its notebook, loading another never re-applies
 * this one, and a notebook from a link waits for its data. The edits live in notebook-edits.ts.
 */
import { createEffect, createMemo, on } from 'solid-js';
import { createStore, reconcile, unwrap } from 'solid-js/store';
import { toEngineError } from '../core/errors';
import type { ColumnInfo, DatasetInfo, Progress } from '../protocol/api';
import type { Notebook } from '../spec/notebook';
import type { ParamSchemas } from '../spec/params';
import { refKey } from './dataset-ref';
import { enginePreprocessing, type PreprocessingSource } from './features';
import { createNotebookBook, type NotebookBook } from './notebook-book';
import { type Change, createFailureMarks, createSettingsEdits, createStepEdits } from './notebook-edits';
import { createNotebookRun } from './notebook-run';
import { createNotebookSlots } from './notebook-slots';
import {
  copy,
  initialState,
  type NotebookClient,
  type NotebookHost,
  type NotebookState,
  sameValue,
  stepKeys,
} from './notebook-state';
import { createTypeSync } from './notebook-types';

export type { NotebookClient, NotebookHost, RunFailure, StepStatus } from './notebook-state';
export { stepKeys } from './notebook-state';

export interface NotebookStoreOptions {
  /** Quiet time after the last change before the notebook runs. */
  debounceMs?: number;
  historyLimit?: number;
  /** Where notebooks are filed by dataset (a fresh book by default). */
  book?: NotebookBook;
  /** Where the standard preprocessing steps come from (default: the engine). */
  preprocessing?: PreprocessingSource;
}

export type NotebookStore = ReturnType<typeof createNotebookStore>;

export function createNotebookStore(
  client: NotebookClient,
  host: NotebookHost,
  options: NotebookStoreOptions = {},
) {
  const [state, setState] = createStore<NotebookState>(initialState());
  const book = options.book ?? createNotebookBook();
  const snapshot = (): Notebook => copy(unwrap(state.notebook));
  const keys = createMemo(() => stepKeys(state.notebook));
  const dataset = () => host.state.datasets.find((d) => d.id === state.datasetId) ?? null;
  const stepInfo = (name: string) => state.catalog.find((s) => s.name === name);
  const run = createNotebookRun({
    state,
    setState,
    client,
    host,
    snapshot,
    keys,
    debounceMs: options.debounceMs ?? 300,
  });
  const types = createTypeSync({
    state,
    setState,
    host,
    snapshot,
    put: (nb) => setNotebook(nb),
    file: () => slots.file(),
    schedule: () => run.schedule(),
  });
  const slots = createNotebookSlots({
    state,
    setState,
    host,
    book,
    run,
    snapshot,
    historyLimit: options.historyLimit ?? 100,
    applyTypes: types.apply,
  });
  // A type picked in the Data tab is recorded in the notebook of its dataset.
  const stopRecording = host.onColumnTyped?.(types.record);

  /** The columns the notebook's last run produced, or the dataset's when it has no steps. */
  const columnsNow = (): readonly ColumnInfo[] =>
    (state.notebook.steps.length > 0 ? state.output?.columns : undefined) ?? dataset()?.columns ?? [];

  function setNotebook(next: Notebook): void {
    // Keyed by step id, so a card keeps its DOM (and focus) when its step is edited or moved.
    setState('notebook', reconcile(next, { key: 'id', merge: false }));
  }

  const change: Change = (recipe, mergeKey, rerun = true) => {
    const before = snapshot();
    const next = snapshot();
    recipe(next);
    if (sameValue(before, next)) return;
    slots.history().record(before, mergeKey);
    setNotebook(next);
    slots.file();
    if (rerun) run.schedule();
  };

  const edits = createStepEdits(change, stepInfo);

  // The notebook follows the selected dataset (never a notebook's own output).
  createEffect(
    on(
      () => host.state.selectedId,
      (id) => {
        const info = host.state.datasets.find((d) => d.id === id);
        if (info && info.source.kind !== 'derived') {
          if (info.id !== state.datasetId) slots.bind(info);
        } else if (!info && state.datasetId !== null) slots.unbind();
      },
    ),
  );

  // A notebook waiting for its data files itself under that data once it is loaded or restored.
  createEffect(
    on(
      () => host.state.datasets.map((d) => d.id).join('\n'),
      () => slots.settleIncoming(),
    ),
  );

  /** Undo/redo restore the steps and settings; the dataset and its column types keep following
   * the data. */
  function restoreFrom(next: Notebook | undefined): void {
    if (!next) return;
    next.dataset = copy(unwrap(state.notebook.dataset));
    const columnTypes = unwrap(state.notebook.columnTypes);
    if (columnTypes) next.columnTypes = copy(columnTypes);
    else delete next.columnTypes;
    setNotebook(next);
    slots.file();
    run.schedule();
  }

  return {
    state,
    stepInfo,
    dataset,
    knownSteps: () => new Set(state.catalog.map((s) => s.name)),
    /** Step parameter schemas from the catalogue, for checking links (models: not known here). */
    paramSchemas: (kind: 'step' | 'model', name: string): ParamSchemas | undefined =>
      kind === 'step' ? state.catalog.find((s) => s.name === name)?.params : undefined,
    canUndo: () => slots.history().canUndo(),
    canRedo: () => slots.history().canRedo(),
    stepStatus: run.stepStatus,
    /** The key the bound dataset's notebook and runs are filed under (null when unbound). */
    datasetKey: (): string | null =>
      state.datasetId && state.notebook.dataset ? refKey(state.notebook.dataset) : null,
    /** Progress of the running notebook job, from the workbench's job list. */
    runProgress: (): Progress | null =>
      host.state.jobs.find((j) => j.id === state.runJobId)?.progress ?? null,
    cancelRun: run.cancelJob,
    columnsNow,
    ...createExport(state, client, host, dataset),
    async loadCatalog(): Promise<void> {
      try {
        setState({ catalog: await client.api.stepCatalog(), catalogError: null });
      } catch (e) {
        setState('catalogError', toEngineError(e).message);
      }
    },
    ...edits,
    ...createPreprocessingEdit(state, client, options, dataset, snapshot, edits),
    ...createSettingsEdits(change),

    ...createFailureMarks(state, setState, keys),

    /**
     * Replaces the whole document (a link, an autosave, an imported file); undoable. A notebook
     * for a loaded dataset becomes that dataset's notebook and is returned; one whose data is not
     * loaded waits (`pending`) until it is.
     */
    replace: (nb: Notebook): DatasetInfo | null => slots.receive(nb, setNotebook),
    /** Forgets the notebook waiting for its data (the user chose not to load it). */
    dismissPending: slots.dismissIncoming,
    dismissWarning(): void {
      setState('warning', null);
    },
    fitOn: slots.fitOn,
    applyTo: slots.applyTo,
    /** Files notebooks restored from storage (each under its dataset). */
    fileAll(notebooks: readonly Notebook[]): void {
      for (const nb of notebooks) book.put(nb);
    },
    /** What autosave keeps: every dataset's notebook, which one is on screen, the waiting one. */
    persisted: slots.persisted,
    undo(): void {
      restoreFrom(slots.history().undo(snapshot()));
    },
    redo(): void {
      restoreFrom(slots.history().redo(snapshot()));
    },
    dispose(): void {
      stopRecording?.();
      run.cancel();
    },
  };
}

/** Exporting the data on screen: the notebook's output when it has steps, else the dataset. */
function createExport(
  state: NotebookState,
  client: NotebookClient,
  host: NotebookHost,
  dataset: () => DatasetInfo | null,
) {
  /** The data to export: the notebook's output when it has steps, else the dataset itself. */
  function exportSource(): DatasetInfo | null {
    const d = dataset();
    if (!d) return null;
    return state.output && state.notebook.steps.length > 0 ? state.output : d;
  }

  return {
    exportSource,
    /** The export source as a file; rejects with the engine's error (Cancelled included). */
    exportData(format: 'csv' | 'arrow' | 'parquet'): Promise<Uint8Array> {
      const source = exportSource();
      if (!source) return Promise.reject(new Error('No dataset is selected.'));
      return host.startJob(`Exporting ${source.name} as ${format.toUpperCase()}`, (j) =>
        client.api.exportDataset(source.id, format, j),
      ).promise;
    },
  };
}

/**
 * Adds scikit-learn's ColumnTransformer idiom as one change: impute + scale the numeric columns,
 * impute + one-hot the categorical ones, as the engine proposes them for the notebook's output
 * (columns a step already encoded or made are judged as they come out).
 */
function createPreprocessingEdit(
  state: NotebookState,
  client: NotebookClient,
  options: NotebookStoreOptions,
  dataset: () => DatasetInfo | null,
  snapshot: () => Notebook,
  edits: Pick<ReturnType<typeof createStepEdits>, 'addSteps'>,
) {
  return {
    async addStandardPreprocessing(): Promise<string[]> {
      const d = dataset();
      if (!d) return [];
      const api = client.api.standardPreprocessing;
      const source =
        options.preprocessing ?? (api ? enginePreprocessing({ standardPreprocessing: api }) : null);
      if (!source) return [];
      const steps = await source({ datasetId: d.id, notebook: snapshot(), target: state.notebook.target });
      return state.datasetId === d.id ? edits.addSteps(steps) : [];
    },
  };
}
