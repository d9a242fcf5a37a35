/**
 * Evaluate's error analysis: per run, the worker's answer (worst rows and error slices, computed
 * from the run's out-of-fold predictions and the notebook's leading filters), and the rows the
 * user picked (a slice, a confusion cell or the worst rows), as ids in the dataset as loaded so
 * the Explore and Data views can select the same rows. Results are not saved: they are derived
 * from the saved runs and quick to compute again.
 */
import { createStore, reconcile } from 'solid-js/store';
import { toEngineError } from '../core/errors';
import type {
  EngineApi,
  ErrorAnalysisResult,
  ErrorAnalysisSpec,
  ErrorRowsQuery,
  JobOptions,
} from '../protocol/api';
import type { Notebook } from '../spec/notebook';
import type { Job } from './client';
import { copy } from './plain';
import type { TrainStore } from './train';

export interface ErrorAnalysisClient {
  api: Pick<EngineApi, 'errorAnalysis' | 'errorRows'>;
}

export interface ErrorAnalysisHost {
  startJob<T>(label: string, run: (job: JobOptions) => Promise<T>): Job<T>;
  /** The current notebook: its leading filters give the rows the run saw. */
  notebook(): Notebook;
  /**
   * The dataset on screen, whose runs Evaluate lists. A run saved in an earlier session names the
   * id its dataset had then; after a reload the same file has a new id ("No dataset with id … is
   * loaded" was all Evaluate said). Absent: the run's own id.
   */
  datasetId?(): string | null;
}

export interface AnalysisEntry {
  status: 'running' | 'done' | 'error';
  result?: ErrorAnalysisResult;
  error?: string;
  hint?: string;
}

/** Rows picked from a run's errors: what they are and their ids in the dataset as loaded. */
export interface PickedRows {
  runId: string;
  datasetId: string;
  query: ErrorRowsQuery;
  /** "petal width ≤ 0.8 and site = north", "true versicolor, predicted virginica" */
  label: string;
  rows: Uint32Array;
  datasetRows: number;
}

interface ErrorAnalysisState {
  byRun: Record<string, AnalysisEntry>;
  picked: PickedRows | null;
  pickError: string | null;
}

export type ErrorAnalysisStore = ReturnType<typeof createErrorAnalysisStore>;

export function createErrorAnalysisStore(
  client: ErrorAnalysisClient,
  host: ErrorAnalysisHost,
  train: Pick<TrainStore, 'runById' | 'experimentOf'>,
) {
  const [state, setState] = createStore<ErrorAnalysisState>({ byRun: {}, picked: null, pickError: null });

  /** What the worker needs for a run (null for clustering runs and unknown ids). */
  function specFor(runId: string): { datasetId: string; spec: ErrorAnalysisSpec } | null {
    const run = train.runById(runId);
    const e = train.experimentOf(run);
    if (!run || !e?.target || e.task === 'clustering') return null;
    return {
      datasetId: host.datasetId?.() ?? e.datasetId,
      spec: {
        notebook: copy(host.notebook()),
        target: e.target,
        task: e.task,
        classes: e.classes ? [...e.classes] : null,
        rows: e.rows,
        oof: copy(run.model.oof),
      },
    };
  }

  return {
    state,
    /** Whether a run can be analysed (it has a target). */
    available: (runId: string) => specFor(runId) !== null,
    entry: (runId: string): AnalysisEntry | undefined => state.byRun[runId],
    /** Analyses a run in the worker, once (again with `force`, e.g. after the notebook changed). */
    analyze(runId: string, force = false): Job<ErrorAnalysisResult> | null {
      const current = state.byRun[runId];
      if (!force && current && current.status !== 'error') return null;
      const target = specFor(runId);
      if (!target) return null;
      const label = train.runById(runId)?.model.label ?? runId;
      setState('byRun', runId, reconcile({ status: 'running' }));
      const job = host.startJob(`Error analysis of ${label}`, (j) =>
        client.api.errorAnalysis(target.datasetId, target.spec, j),
      );
      job.promise.then(
        (result) => setState('byRun', runId, reconcile({ status: 'done', result })),
        (e: unknown) => {
          const err = toEngineError(e);
          setState(
            'byRun',
            runId,
            reconcile({
              status: 'error',
              error: err.message,
              ...(err.detail.hint ? { hint: err.detail.hint } : {}),
            }),
          );
        },
      );
      return job;
    },
    /** Lists a slice's, a confusion cell's or the worst rows (dataset ids) and keeps them as picked. */
    async pick(runId: string, query: ErrorRowsQuery, label: string): Promise<PickedRows | null> {
      const target = specFor(runId);
      if (!target) return null;
      setState('pickError', null);
      try {
        const rows = await client.api.errorRows(target.datasetId, target.spec, query);
        const datasetRows = state.byRun[runId]?.result?.datasetRows;
        if (datasetRows === undefined) return null;
        const picked: PickedRows = { runId, datasetId: target.datasetId, query, label, rows, datasetRows };
        // Replaced, not merged: a store merges an object into the one it holds, and the caller
        // keeps this one.
        setState('picked', null);
        setState('picked', picked);
        return picked;
      } catch (e) {
        setState('pickError', toEngineError(e).message);
        return null;
      }
    },
    clearPick(): void {
      setState({ picked: null, pickError: null });
    },
  };
}
