/**
 * The notebook being edited: the document (src/spec) as a Solid store, bound to the selected
 * dataset, with undo/redo and a debounced run after every change. Each change records the
 * document before it in the history, then schedules a run; a run still going when the next
 * change arrives is cancelled, and answers of superseded runs are dropped. The last run's
 * result per step id feeds the step cards; a step is "stale" when it, or anything before it,
 * changed since that run.
 */

import { batch, createEffect, createMemo, on } from 'solid-js';
import { createStore, reconcile, unwrap } from 'solid-js/store';
import { toEngineError } from '../core/errors';
import type { DatasetInfo, EngineApi, JobOptions, Progress, StepInfo, StepRun } from '../protocol/api';
import type { DatasetRef, Notebook, ParamValue, StepSpec } from '../spec/notebook';
import { emptyNotebook } from '../spec/notebook';
import type { ParamSchemas } from '../spec/params';
import type { Job } from './client';
import { createHistory } from './history';

/** The part of the engine client the notebook uses (the real client satisfies it). */
export interface NotebookClient {
  api: Pick<EngineApi, 'stepCatalog' | 'runNotebook' | 'exportDataset'>;
}

/** The part of the workbench the notebook uses (the real workbench satisfies it). */
export interface NotebookHost {
  state: {
    readonly datasets: readonly DatasetInfo[];
    readonly selectedId: string | null;
    readonly jobs: readonly { id: string; progress: Progress | null }[];
  };
  startJob<T>(label: string, run: (job: JobOptions) => Promise<T>): Job<T>;
}

export type StepStatus = StepRun['status'] | 'running' | 'stale' | 'no-data';

export interface RunFailure {
  name: string;
  message: string;
  hint?: string;
}

interface NotebookState {
  notebook: Notebook;
  catalog: StepInfo[];
  catalogError: string | null;
  /** The workbench dataset the notebook runs on; null while its data is not loaded. */
  datasetId: string | null;
  /** A dataset the notebook refers to that is not loaded yet (from a link or autosave). */
  pending: DatasetRef | null;
  /** One sentence shown above the steps, e.g. a fingerprint mismatch; null when all is well. */
  warning: string | null;
  runs: Record<string, StepRun>;
  /** The key of each step when `runs` was made (see stepKeys). */
  runKeys: Record<string, string>;
  output: DatasetInfo | null;
  /** Bumped with every new output, so row caches of the table drop. */
  outputRevision: number;
  runJobId: string | null;
  /** A run is waiting for the edits to settle. */
  scheduled: boolean;
  runError: RunFailure | null;
}

export interface NotebookStoreOptions {
  /** Quiet time after the last change before the notebook runs. */
  debounceMs?: number;
  historyLimit?: number;
}

export type NotebookStore = ReturnType<typeof createNotebookStore>;

/** A deep copy as plain JSON (the notebook is JSON by definition). */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const FINGERPRINT = /^[A-Za-z0-9._:+/=-]{1,128}$/;
// Control and text-direction characters are not allowed in a notebook's display text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const UNSAFE_TEXT = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

/** The reference a notebook keeps to a dataset: where it came from plus a fingerprint, never data. */
export function datasetRefFor(info: DatasetInfo): DatasetRef | null {
  const fp = info.fingerprint && FINGERPRINT.test(info.fingerprint) ? { fingerprint: info.fingerprint } : {};
  const s = info.source;
  switch (s.kind) {
    case 'sample':
      return { kind: 'sample', sample: s.sample, ...fp };
    case 'url':
      return { kind: 'url', url: s.url, ...fp };
    case 'synthetic':
      return { kind: 'synthetic', rows: s.rows, seed: s.seed, ...fp };
    case 'file':
      return {
        kind: 'file',
        name: s.name.replace(UNSAFE_TEXT, ' ').slice(0, 200),
        ...fp,
        rows: info.rows,
        columns: info.columns.length,
      };
    case 'derived':
      return null;
  }
}

/** Whether a loaded dataset is the one `ref` names (files by name: their content is checked apart). */
export function refMatches(ref: DatasetRef, info: DatasetInfo): boolean {
  const s = info.source;
  switch (ref.kind) {
    case 'sample':
      return s.kind === 'sample' && s.sample === ref.sample;
    case 'url':
      return s.kind === 'url' && s.url === ref.url;
    case 'synthetic':
      return s.kind === 'synthetic' && s.rows === ref.rows && s.seed === ref.seed;
    case 'file':
      return (
        s.kind === 'file' &&
        s.name === ref.name &&
        (!ref.fingerprint || !info.fingerprint || ref.fingerprint === info.fingerprint)
      );
  }
}

/** "iris.csv (150 rows)", for messages about a dataset the notebook refers to. */
export function describeRef(ref: DatasetRef): string {
  switch (ref.kind) {
    case 'sample':
      return `the sample "${ref.sample}"`;
    case 'url':
      return ref.url;
    case 'synthetic':
      return `synthetic data (${ref.rows.toLocaleString('en-US')} rows, seed ${ref.seed})`;
    case 'file':
      return ref.rows === undefined ? ref.name : `${ref.name} (${ref.rows.toLocaleString('en-US')} rows)`;
  }
}

/**
 * A key per step id that changes when the step or anything that feeds it changes: the seed, the
 * target and every step up to it. Comparing it with the key of the last run tells what is stale.
 */
export function stepKeys(nb: Notebook): Record<string, string> {
  const keys: Record<string, string> = {};
  let prefix = JSON.stringify([nb.seed, nb.target]);
  for (const s of nb.steps) {
    prefix += JSON.stringify([s.step, s.enabled, s.params, s.columns ?? null]);
    keys[s.id] = prefix;
  }
  return keys;
}

/** A short id not used by any step yet: s1, s2, … */
function nextStepId(steps: readonly StepSpec[]): string {
  let max = 0;
  for (const s of steps) {
    const m = /^s(\d{1,9})$/.exec(s.id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `s${max + 1}`;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function createNotebookStore(
  client: NotebookClient,
  host: NotebookHost,
  options: NotebookStoreOptions = {},
) {
  const debounceMs = options.debounceMs ?? 300;
  const [state, setState] = createStore<NotebookState>({
    notebook: emptyNotebook(),
    catalog: [],
    catalogError: null,
    datasetId: null,
    pending: null,
    warning: null,
    runs: {},
    runKeys: {},
    output: null,
    outputRevision: 0,
    runJobId: null,
    scheduled: false,
    runError: null,
  });
  const history = createHistory<Notebook>({ limit: options.historyLimit ?? 100 });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Job<unknown> | null = null;
  // Bumped by every change; a run's answer counts only if no change came after it started.
  let generation = 0;

  const snapshot = (): Notebook => copy(unwrap(state.notebook));
  const keys = createMemo(() => stepKeys(state.notebook));
  const dataset = () => host.state.datasets.find((d) => d.id === state.datasetId) ?? null;
  const stepInfo = (name: string) => state.catalog.find((s) => s.name === name);

  function setNotebook(next: Notebook): void {
    // Keyed by step id, so a card keeps its DOM (and focus) when its step is edited or moved.
    setState('notebook', reconcile(next, { key: 'id', merge: false }));
  }

  /** Applies `recipe` to a copy of the notebook; records undo and schedules a run if it changed. */
  function change(recipe: (nb: Notebook) => void, mergeKey?: string): void {
    const before = snapshot();
    const next = snapshot();
    recipe(next);
    if (sameValue(before, next)) return;
    history.record(before, mergeKey);
    setNotebook(next);
    scheduleRun();
  }

  function cancelRun(): void {
    generation += 1;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    setState('scheduled', false);
    current?.cancel();
    current = null;
  }

  function scheduleRun(): void {
    cancelRun();
    setState('scheduled', true);
    timer = setTimeout(() => {
      timer = undefined;
      setState('scheduled', false);
      void runNow();
    }, debounceMs);
  }

  async function runNow(): Promise<void> {
    const datasetId = state.datasetId;
    const nb = snapshot();
    if (!datasetId) return;
    if (nb.steps.length === 0) {
      setState({ runs: {}, runKeys: {}, output: null, runError: null });
      return;
    }
    const mine = generation;
    const job = host.startJob('Running the notebook', (j) => client.api.runNotebook(datasetId, nb, j));
    current = job;
    setState('runJobId', job.id);
    try {
      const result = await job.promise;
      if (mine !== generation) return;
      const runs: Record<string, StepRun> = {};
      for (const r of result.steps) runs[r.id] = r;
      setState({
        runs,
        runKeys: stepKeys(nb),
        output: result.output,
        outputRevision: state.outputRevision + 1,
        runError: null,
      });
    } catch (e) {
      if (mine !== generation) return;
      const error = toEngineError(e);
      // A cancel from the status bar leaves the previous results, shown as stale.
      setState('runError', error.name === 'Cancelled' ? null : error);
    } finally {
      if (current === job) {
        current = null;
        setState('runJobId', null);
      }
    }
  }

  /** Runs the notebook on `info` from now on; the document's dataset reference follows it. */
  function bind(info: DatasetInfo): void {
    const ref = datasetRefFor(info);
    if (!ref) return;
    const previous = state.notebook.dataset;
    let warning: string | null = null;
    if (
      previous?.kind === 'file' &&
      previous.fingerprint &&
      info.fingerprint !== previous.fingerprint &&
      state.notebook.steps.length > 0
    ) {
      warning = `This notebook was made on ${describeRef(previous)}; ${info.name} (${info.rows.toLocaleString('en-US')} rows) holds different data, so its results will differ.`;
    }
    const target = state.notebook.target;
    batch(() => {
      setState({ datasetId: info.id, pending: null, warning, runs: {}, runKeys: {}, output: null });
      setState('notebook', 'dataset', reconcile(ref));
      if (target !== null && !info.columns.some((c) => c.name === target)) {
        setState('notebook', 'target', null);
      }
    });
    scheduleRun();
  }

  function unbind(): void {
    cancelRun();
    setState({ datasetId: null, runs: {}, runKeys: {}, output: null, runError: null });
  }

  // The notebook follows the selected dataset (never a notebook's own output).
  createEffect(
    on(
      () => host.state.selectedId,
      (id) => {
        const info = host.state.datasets.find((d) => d.id === id);
        if (info && info.source.kind !== 'derived') {
          if (info.id !== state.datasetId) bind(info);
        } else if (!info) unbind();
      },
    ),
  );

  /** Undo/redo restore the steps and settings; the dataset keeps following the selection. */
  function restoreFrom(next: Notebook | undefined): void {
    if (!next) return;
    next.dataset = copy(unwrap(state.notebook.dataset));
    setNotebook(next);
    scheduleRun();
  }

  /** The data to export: the notebook's output when it has steps, else the dataset itself. */
  function exportSource(): DatasetInfo | null {
    const d = dataset();
    if (!d) return null;
    return state.output && state.notebook.steps.length > 0 ? state.output : d;
  }

  function stepStatus(id: string): StepStatus {
    const spec = state.notebook.steps.find((s) => s.id === id);
    if (spec && !spec.enabled) return 'disabled';
    const run = state.runs[id];
    if (run && state.runKeys[id] === keys()[id]) return run.status;
    if (state.runJobId !== null || state.scheduled) return 'running';
    if (!state.datasetId) return 'no-data';
    return 'stale';
  }

  return {
    state,
    stepInfo,
    dataset,
    knownSteps: () => new Set(state.catalog.map((s) => s.name)),
    /** Step parameter schemas from the catalogue, for checking links (models: not known here). */
    paramSchemas: (kind: 'step' | 'model', name: string): ParamSchemas | undefined =>
      kind === 'step' ? state.catalog.find((s) => s.name === name)?.params : undefined,
    canUndo: history.canUndo,
    canRedo: history.canRedo,
    stepStatus,
    /** Progress of the running notebook job, from the workbench's job list. */
    runProgress: (): Progress | null =>
      host.state.jobs.find((j) => j.id === state.runJobId)?.progress ?? null,
    cancelRun() {
      current?.cancel();
    },
    exportSource,
    /** The export source as a file; rejects with the engine's error (Cancelled included). */
    exportData(format: 'csv' | 'arrow' | 'parquet'): Promise<Uint8Array> {
      const source = exportSource();
      if (!source) return Promise.reject(new Error('No dataset is selected.'));
      return host.startJob(`Exporting ${source.name} as ${format.toUpperCase()}`, (j) =>
        client.api.exportDataset(source.id, format, j),
      ).promise;
    },

    async loadCatalog(): Promise<void> {
      try {
        const catalog = await client.api.stepCatalog();
        setState({ catalog, catalogError: null });
      } catch (e) {
        setState('catalogError', toEngineError(e).message);
      }
    },

    /** Adds a step with its default parameters at the end; returns its id. */
    addStep(name: string): string | null {
      if (!stepInfo(name)) return null;
      const id = nextStepId(state.notebook.steps);
      change((nb) => {
        nb.steps.push({ id, step: name, params: {}, enabled: true });
      });
      return id;
    },
    removeStep(id: string): void {
      change((nb) => {
        nb.steps = nb.steps.filter((s) => s.id !== id);
      });
    },
    /** Moves a step to `index` (clamped), for the move buttons and drag and drop. */
    moveStep(id: string, index: number): void {
      change((nb) => {
        const from = nb.steps.findIndex((s) => s.id === id);
        if (from < 0) return;
        const [step] = nb.steps.splice(from, 1);
        const to = Math.max(0, Math.min(nb.steps.length, index));
        nb.steps.splice(to, 0, step as StepSpec);
      });
    },
    setEnabled(id: string, enabled: boolean): void {
      change((nb) => {
        const s = nb.steps.find((x) => x.id === id);
        if (s) s.enabled = enabled;
      });
    },
    setLabel(id: string, label: string): void {
      change((nb) => {
        const s = nb.steps.find((x) => x.id === id);
        if (!s) return;
        const text = label.replace(UNSAFE_TEXT, ' ').slice(0, 200).trim();
        if (text) s.label = text;
        else delete s.label;
      }, `label:${id}`);
    },
    /**
     * Sets one parameter. A value equal to the default is removed: the document keeps only what
     * differs from sklearn's defaults, which keeps links short.
     */
    setParam(id: string, key: string, value: ParamValue): void {
      change((nb) => {
        const s = nb.steps.find((x) => x.id === id);
        const info = s && stepInfo(s.step)?.params[key];
        if (!s || !info) return;
        if (sameValue(info.default, value)) delete s.params[key];
        else s.params[key] = copy(value);
      }, `param:${id}:${key}`);
    },
    /** The columns a step applies to; null or [] restores the step's default choice. */
    setColumns(id: string, columns: readonly string[] | null): void {
      change((nb) => {
        const s = nb.steps.find((x) => x.id === id);
        if (!s) return;
        if (columns && columns.length > 0) s.columns = [...columns];
        else delete s.columns;
      });
    },
    setTarget(column: string | null): void {
      change((nb) => {
        nb.target = column;
      });
    },
    setSeed(seed: number): void {
      if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) return;
      change((nb) => {
        nb.seed = seed;
      }, 'seed');
    },
    setTitle(title: string): void {
      change((nb) => {
        const text = title.replace(UNSAFE_TEXT, ' ').slice(0, 200);
        if (text.trim()) nb.title = text;
        else delete nb.title;
      }, 'title');
    },

    /**
     * Replaces the whole document (a link, an autosave, an imported file); undoable. Binds to a
     * loaded dataset the notebook names and returns it; otherwise the reference stays pending
     * until that data is loaded.
     */
    replace(incoming: Notebook): DatasetInfo | null {
      const next = copy(incoming);
      history.record(snapshot());
      // A notebook without data applies to the data at hand.
      const bound = dataset();
      if (!next.dataset && bound) next.dataset = datasetRefFor(bound);
      const match = next.dataset
        ? (host.state.datasets.find((d) => refMatches(next.dataset!, d)) ?? null)
        : null;
      batch(() => {
        setNotebook(next);
        setState({ warning: null, pending: match || !next.dataset ? null : next.dataset });
        if (match) {
          setState({ datasetId: match.id, runs: {}, runKeys: {}, output: null });
        } else if (next.dataset) {
          cancelRun();
          setState({ datasetId: null, runs: {}, runKeys: {}, output: null, runError: null });
        }
      });
      scheduleRun();
      return match;
    },
    /** Forgets a pending dataset reference (the user chose not to load it). */
    dismissPending(): void {
      setState('pending', null);
    },
    dismissWarning(): void {
      setState('warning', null);
    },
    undo(): void {
      restoreFrom(history.undo(snapshot()));
    },
    redo(): void {
      restoreFrom(history.redo(snapshot()));
    },
    dispose(): void {
      cancelRun();
    },
  };
}
