/**
 * The notebook store's shapes and small helpers, shared by its parts: notebook.ts (the store),
 * notebook-run.ts (running it), notebook-slots.ts (one notebook per dataset) and
 * notebook-edits.ts (the edits the panel makes).
 */
import type { ColumnType } from '../core/types';
import type { DatasetInfo, EngineApi, JobOptions, Progress, StepInfo, StepRun } from '../protocol/api';
import type { DatasetRef, Notebook, StepSpec } from '../spec/notebook';
import { emptyNotebook } from '../spec/notebook';
import type { Job } from './client';
import type { History } from './history';
import type { StepFailure } from './step-failure';
import type { ColumnTyped, ColumnTypesApplied } from './workbench';

/** The part of the engine client the notebook uses (the real client satisfies it). */
export interface NotebookClient {
  api: Pick<EngineApi, 'stepCatalog' | 'runNotebook' | 'exportDataset'> &
    // Absent (a test's fake engine): "standard preprocessing" adds nothing.
    Partial<Pick<EngineApi, 'standardPreprocessing'>>;
}

/** What the host offers for column types (the workbench does; a test's fake host may not). */
export interface ColumnTypeHost {
  onColumnTyped?(listener: (event: ColumnTyped) => void): () => void;
  applyColumnTypes?(
    datasetId: string,
    choices: readonly { column: string; type: ColumnType; dateFormat?: string }[],
  ): Promise<ColumnTypesApplied>;
}

/** The part of the workbench the notebook uses (the real workbench satisfies it). */
export interface NotebookHost extends ColumnTypeHost {
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

/** A step failure from training, remembered with the step's key so an edit to the step clears it. */
export interface MarkedFailure extends StepFailure {
  datasetId: string;
  key: string;
}

export interface NotebookState {
  notebook: Notebook;
  catalog: StepInfo[];
  catalogError: string | null;
  /** The workbench dataset the notebook runs on; null while its data is not loaded. */
  datasetId: string | null;
  /** A dataset a waiting notebook refers to that is not loaded yet (from a link or autosave). */
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
  /** The last step that failed in training (a fold), shown on its card with its fixes. */
  failure: MarkedFailure | null;
}

/** One dataset's notebook while another is on screen. */
export interface Slot {
  notebook: Notebook;
  history: History<Notebook>;
  runs: Record<string, StepRun>;
  runKeys: Record<string, string>;
  output: DatasetInfo | null;
  runError: RunFailure | null;
  warning: string | null;
}

export function initialState(): NotebookState {
  return {
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
    failure: null,
  };
}

export { copy } from './plain';

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A key per step id that changes when the step or anything that feeds it changes: the seed, the
 * target, the column types and every step up to it. Comparing it with the key of the last run tells what is stale.
 */
export function stepKeys(nb: Notebook): Record<string, string> {
  const keys: Record<string, string> = {};
  // The column types change the data every step reads.
  let prefix = JSON.stringify([nb.seed, nb.target, nb.columnTypes ?? null]);
  for (const s of nb.steps) {
    prefix += JSON.stringify([s.step, s.enabled, s.params, s.columns ?? null]);
    keys[s.id] = prefix;
  }
  return keys;
}

/** A short id not used by any step yet: s1, s2, … */
export function nextStepId(steps: readonly StepSpec[]): string {
  let max = 0;
  for (const s of steps) {
    const m = /^s(\d{1,9})$/.exec(s.id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `s${max + 1}`;
}
