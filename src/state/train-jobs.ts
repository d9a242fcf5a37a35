/**
 * The Train tab's running job: one at a time (a new one cancels the old), its live loss curves
 * from progress events, and the failure it ended with — including, when a step of the notebook
 * failed inside a fold, that step and the fixes the engine offers.
 */
import { createEffect, on } from 'solid-js';
import { createStore } from 'solid-js/store';
import { toEngineError } from '../core/errors';
import type { JobOptions, Progress } from '../protocol/api';
import type { Job, JobHost } from './client';
import { notebookFixesOf, type StepFailure, type StepFix, stepFailureOf } from './step-failure';
import type { TrainRun } from './train-runs';

export type JobsHost = JobHost;

export interface TrainFailure {
  name: string;
  message: string;
  hint?: string;
  /** The notebook step that failed in a fold, with its fixes. */
  step?: StepFailure;
  /** Steps to add to the notebook when no step failed (a target with missing values). */
  fixes?: StepFix[];
}

export interface LiveCurve {
  series: string;
  points: { step: number; loss: number; validation?: number }[];
}

interface JobsState {
  jobId: string | null;
  jobKind: TrainRun['kind'] | null;
  jobStartedAt: number;
  live: LiveCurve[];
  error: TrainFailure | null;
}

const MAX_LIVE_POINTS = 400;

/** An engine error as the Train tab shows it. */
export function trainFailure(e: unknown): TrainFailure {
  const err = toEngineError(e);
  const step = stepFailureOf(err);
  const fixes = step ? [] : notebookFixesOf(err);
  return {
    name: err.name,
    message: err.message,
    ...(err.detail.hint ? { hint: err.detail.hint } : {}),
    ...(step ? { step } : {}),
    ...(fixes.length ? { fixes } : {}),
  };
}

export type TrainJobsStore = ReturnType<typeof createTrainJobs>;

export function createTrainJobs(host: JobsHost, onFailure?: (failure: TrainFailure) => void) {
  const [state, setState] = createStore<JobsState>({
    jobId: null,
    jobKind: null,
    jobStartedAt: 0,
    live: [],
    error: null,
  });
  let current: Job<unknown> | null = null;

  // Live curves: every progress event that carries a loss point. The workbench merges each event
  // into one progress object, so read the fields (not the object) and skip repeated steps.
  createEffect(
    on(
      () => {
        const p = state.jobId ? host.jobProgress(state.jobId) : null;
        const curve = p?.curve;
        const metrics = p?.metrics;
        if (!curve || !metrics || metrics.loss === undefined) return null;
        return { series: curve.series, step: curve.step, loss: metrics.loss, validation: metrics.validation };
      },
      (p) => {
        if (!p) return;
        const point = {
          step: p.step,
          loss: p.loss,
          ...(p.validation !== undefined ? { validation: p.validation } : {}),
        };
        const index = state.live.findIndex((c) => c.series === p.series);
        if (index < 0) {
          setState('live', state.live.length, { series: p.series, points: [point] });
          return;
        }
        const points = state.live[index]!.points;
        if (points.length < MAX_LIVE_POINTS && point.step > (points.at(-1)?.step ?? -1)) {
          setState('live', index, 'points', points.length, point);
        }
      },
    ),
  );

  /** Starts `run` as the Train tab's job; `done` gets its answer unless a newer job replaced it. */
  function start<T>(
    kind: TrainRun['kind'],
    label: string,
    run: (job: JobOptions) => Promise<T>,
    done: (result: T) => void,
  ): Job<T> {
    current?.cancel();
    const job = host.startJob(label, run);
    current = job as Job<unknown>;
    setState({ jobId: job.id, jobKind: kind, jobStartedAt: Date.now(), live: [], error: null });
    job.promise.then(
      (result) => {
        if (current !== (job as Job<unknown>)) return;
        current = null;
        done(result);
        setState({ jobId: null, jobKind: null });
      },
      (e: unknown) => {
        if (current !== (job as Job<unknown>)) return;
        current = null;
        const failure = trainFailure(e);
        setState({ jobId: null, jobKind: null, error: failure });
        onFailure?.(failure);
      },
    );
    return job;
  }

  return {
    state,
    start,
    running: () => state.jobId !== null,
    /** The running job's latest progress. */
    progress: (): Progress | null => (state.jobId ? host.jobProgress(state.jobId) : null),
    fail(error: TrainFailure): void {
      setState('error', error);
    },
    cancel(): void {
      current?.cancel();
    },
    dismissError(): void {
      setState('error', null);
    },
  };
}
