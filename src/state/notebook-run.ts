/**
 * Running the notebook on screen: a debounced run after every change; a run still going when the
 * next change arrives is cancelled, and answers of superseded runs are dropped. The last run's
 * result per step id feeds the step cards; a step is "stale" when it, or anything before it,
 * changed since that run.
 */
import type { Accessor } from 'solid-js';
import type { SetStoreFunction } from 'solid-js/store';
import { toEngineError } from '../core/errors';
import type { StepRun } from '../protocol/api';
import type { Notebook } from '../spec/notebook';
import type { Job } from './client';
import {
  type NotebookClient,
  type NotebookHost,
  type NotebookState,
  type StepStatus,
  stepKeys,
} from './notebook-state';

export interface RunDeps {
  state: NotebookState;
  setState: SetStoreFunction<NotebookState>;
  client: NotebookClient;
  host: NotebookHost;
  snapshot: () => Notebook;
  keys: Accessor<Record<string, string>>;
  debounceMs: number;
}

export type NotebookRun = ReturnType<typeof createNotebookRun>;

export function createNotebookRun(deps: RunDeps) {
  const { state, setState, client, host } = deps;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Job<unknown> | null = null;
  // Bumped by every change; a run's answer counts only if no change came after it started.
  let generation = 0;

  function cancel(): void {
    generation += 1;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    setState('scheduled', false);
    current?.cancel();
    current = null;
  }

  function schedule(): void {
    cancel();
    setState('scheduled', true);
    timer = setTimeout(() => {
      timer = undefined;
      setState('scheduled', false);
      void runNow();
    }, deps.debounceMs);
  }

  async function runNow(): Promise<void> {
    const datasetId = state.datasetId;
    const nb = deps.snapshot();
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

  function stepStatus(id: string): StepStatus {
    const spec = state.notebook.steps.find((s) => s.id === id);
    if (spec && !spec.enabled) return 'disabled';
    const run = state.runs[id];
    if (run && state.runKeys[id] === deps.keys()[id]) return run.status;
    if (state.runJobId !== null || state.scheduled) return 'running';
    if (!state.datasetId) return 'no-data';
    return 'stale';
  }

  return {
    cancel,
    schedule,
    stepStatus,
    /** Cancels the running job only (the status bar's Cancel): its results stay, shown as stale. */
    cancelJob(): void {
      current?.cancel();
    },
  };
}
