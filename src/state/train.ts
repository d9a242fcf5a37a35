/**
 * The Train and Evaluate tabs' state, made of three focused stores: the settings form
 * (train-settings.ts, kept in the notebook so links reproduce the numbers), the running job with
 * its live curves and failure (train-jobs.ts), and the trained runs of each dataset
 * (train-runs.ts, autosaved apart from the notebook). This module wires them to the engine's
 * training calls and says what the model will read (features.ts). All training runs in the
 * worker; these stores only keep the small JSON answers.
 */
import { createEffect, createSignal, mergeProps, on } from 'solid-js';
import { unwrap } from 'solid-js/store';
import { EngineError } from '../core/errors';
import type {
  ColumnInfo,
  EngineApi,
  ExperimentResult,
  ExportSpec,
  FixStep,
  JobOptions,
  LearningCurveResult,
  Progress,
  TrainParamValue,
  TrainSpec,
  TrainTask,
  TuneResult,
} from '../protocol/api';
import type { Notebook, TrainSettings } from '../spec/notebook';
import type { KeyValueStore } from './autosave';
import type { Job } from './client';
import { engineFeaturePlan, type FeaturePlan, type FeaturePlanSource } from './features';
import { copy } from './plain';
import type { StepFailure, StepFix } from './step-failure';
import { createTrainJobs, type TrainFailure } from './train-jobs';
import { createTrainRuns, type TrainRun, type TrainRunsStore } from './train-runs';
import { createTrainSettings, splitFor, type TrainSettingsStore } from './train-settings';

export type { LiveCurve, TrainFailure } from './train-jobs';
export { sameFolds, type TrainRun } from './train-runs';
export { DEFAULT_SETTINGS, splitFor } from './train-settings';

export interface TrainClient {
  api: Pick<
    EngineApi,
    | 'modelCatalog'
    | 'inferTask'
    | 'trainModels'
    | 'compareBaselines'
    | 'tuneModel'
    | 'compareRuns'
    | 'learningCurve'
  > &
    // Absent (a test's fake engine): no feature list.
    Partial<Pick<EngineApi, 'featurePlan'>>;
}

/** What the train store needs of the workbench and the notebook (the real ones satisfy it). */
export interface TrainHost {
  startJob<T>(label: string, run: (job: JobOptions) => Promise<T>): Job<T>;
  jobProgress(id: string): Progress | null;
  /** The dataset the notebook is bound to (the original data, not the notebook's output). */
  datasetId(): string | null;
  /** The key its runs are filed under (stable across reloads); absent: runs are not scoped. */
  datasetKey?(): string | null;
  notebook(): Notebook;
  setTarget(column: string | null): void;
  /** Writes the experiment settings into the notebook document (undoable, in the link). */
  setTrainSettings(settings: TrainSettings): void;
  /** The columns the notebook produces (for the feature list); absent: no feature list. */
  columns?(): readonly ColumnInfo[];
  /** Marks the notebook step a fold failed in (null clears the mark). */
  markStepFailure?(failure: StepFailure | null): void;
  /** Applies a failed step's fix in the notebook. */
  applyStepFix?(stepId: string, fix: StepFix): void;
  /** Adds a step at the start or the end of the notebook (a training error's NotebookFix). */
  addStepAt?(step: FixStep, at: 'start' | 'end'): void;
}

export type TrainStore = ReturnType<typeof createTrainStore>;

/** The spec that trains one run's model again on its experiment's split and seed. */
function rerunSpec(notebook: TrainSpec['notebook'], run: TrainRun, e: ExperimentResult): TrainSpec {
  return {
    notebook,
    target: e.target,
    task: e.task,
    split: copy(e.split),
    models: [{ name: run.model.name, params: copy(run.model.changed) }],
    seed: e.seed,
  };
}

/** The feature list of the dataset on screen, asked again whenever its inputs change. */
function createFeaturePlan(
  host: TrainHost,
  settings: ReturnType<typeof createTrainSettings>,
  source: FeaturePlanSource | null,
) {
  const [plan, setPlan] = createSignal<FeaturePlan | null>(null);
  createEffect(
    on(
      () => {
        const datasetId = host.datasetId();
        const t = settings.task();
        if (!datasetId || !host.columns || !source) return null;
        const split = t ? splitFor(settings.state.settings, t) : null;
        const notebook = host.notebook();
        return JSON.stringify({
          datasetId,
          notebook,
          columns: host.columns(),
          target: notebook.target,
          split,
        });
      },
      (json) => {
        if (!json || !source) return setPlan(null);
        source(JSON.parse(json)).then(
          (p) => setPlan(p),
          () => setPlan(null),
        );
      },
    ),
  );
  return plan;
}

export function createTrainStore(
  client: TrainClient,
  host: TrainHost,
  storage?: KeyValueStore,
  options: { featurePlan?: FeaturePlanSource } = {},
) {
  const datasetKey = () => (host.datasetKey ? host.datasetKey() : null);
  const settings = createTrainSettings(client, host);
  const runs = createTrainRuns(client, datasetKey, storage);
  const jobs = createTrainJobs(host, (failure) => host.markStepFailure?.(failure.step ?? null));
  const featurePlan = createFeaturePlan(
    host,
    settings,
    options.featurePlan ??
      (client.api.featurePlan ? engineFeaturePlan({ featurePlan: client.api.featurePlan }) : null),
  );

  // A failure belongs to the dataset it happened on.
  createEffect(on(datasetKey, () => jobs.dismissError(), { defer: true }));
  // Evaluate and Export open on a run of the dataset on screen, never on empty pickers.
  createEffect(() => runs.selectLatestIfNone());

  /**
   * Starts a training job on the bound dataset with the notebook as it is now; its answer is
   * filed under that dataset even if the user switches while it runs.
   */
  function start<T>(
    kind: TrainRun['kind'],
    label: string,
    run: (datasetId: string, nb: Notebook, task: TrainTask, job: JobOptions) => Promise<T>,
    done: (result: T, dataset: string | null) => void,
  ): Job<T> | null {
    const datasetId = host.datasetId();
    const t = settings.task();
    if (!datasetId || !t) {
      jobs.fail({
        name: 'InvalidArgument',
        message: datasetId ? 'Pick a target column first.' : 'Load a dataset first.',
      });
      return null;
    }
    settings.commit();
    host.markStepFailure?.(null);
    const nb = copy(host.notebook());
    const dataset = datasetKey();
    return jobs.start(
      kind,
      label,
      (j) => run(datasetId, nb, t, j),
      (result) => done(result, dataset),
    );
  }

  return {
    /** One view of the three stores' state (settings, job, runs) for the panels. */
    state: mergeProps(settings.state, jobs.state, runs.state, {
      get experiments() {
        return runs.experiments();
      },
      get tune() {
        return runs.tune();
      },
    }),
    task: settings.task,
    splitKind: settings.splitKind,
    runs: runs.runs,
    runById: runs.runById,
    experimentOf: runs.experimentOf,
    featurePlan,
    /** What deploys a run's model: the current notebook, the run's target, task, requested
     * features, split and parameters, fitted on every row (the Prototype and Export tabs, the
     * Python export). Null for an unknown run. */
    deploySpec(runId: string): ExportSpec | null {
      const run = runs.runById(runId);
      const e = runs.experimentOf(run);
      if (!run || !e) return null;
      const metrics: Record<string, number> = {};
      for (const [k, v] of Object.entries(run.model.metrics)) metrics[k] = v.mean;
      return {
        notebook: copy(host.notebook()),
        target: e.target,
        task: e.task,
        // The run's own choice (null: the default features, recomputed on the output fitted on
        // every row, never the target or the split's group/time column) and its split. A run
        // saved before requestedFeatures existed keeps its feature list.
        features:
          e.requestedFeatures === undefined
            ? [...e.features]
            : e.requestedFeatures && [...e.requestedFeatures],
        split: copy(e.split),
        model: { name: run.model.name, params: copy(run.model.changed) },
        metrics,
      };
    },
    modelInfo: settings.modelInfo,
    modelChoices: settings.modelChoices,
    running: jobs.running,
    progress: jobs.progress,
    setTarget: (column: string | null) => host.setTarget(column),
    setTask: settings.setTask,
    setSplit: settings.setSplit,
    addModel: settings.addModel,
    removeModel: settings.removeModel,
    setModelName: settings.setModelName,
    setModelParam: settings.setModelParam,
    setTuneGrid: settings.setTuneGrid,
    /** Applies a fix the failed step offers (the step card offers the same buttons). */
    applyFix(fix: StepFix): void {
      const step = jobs.state.error?.step;
      if (!step || !host.applyStepFix) return;
      host.applyStepFix(step.stepId, fix);
      jobs.dismissError();
    },
    /** Adds the step a training error offers (keep the rows with a target, fill gaps). */
    applyNotebookFix(): void {
      const fix = jobs.state.error?.fix;
      if (!fix || !host.addStepAt) return;
      host.addStepAt(fix.step, fix.at);
      jobs.dismissError();
    },

    ...createTrainCalls(client, runs, settings, start, jobs.fail),
    cancel: jobs.cancel,
    dismissError: jobs.dismissError,
    removeRun: runs.removeRun,
    select: runs.select,
    selectCompare: runs.selectCompare,
    compare: runs.compare,
  };
}

/** Starts a training job on the bound dataset (see createTrainStore's `start`). */
type Start = <T>(
  kind: TrainRun['kind'],
  label: string,
  run: (datasetId: string, nb: Notebook, task: TrainTask, job: JobOptions) => Promise<T>,
  done: (result: T, dataset: string | null) => void,
) => Job<T> | null;

/** The engine's training calls: train, baselines, grid search, importance, learning curve. */
function createTrainCalls(
  client: TrainClient,
  runs: TrainRunsStore,
  settings: TrainSettingsStore,
  start: Start,
  fail: (error: TrainFailure) => void,
) {
  const splitNow = (t: TrainTask) => splitFor(settings.state.settings, t);
  /**
   * Starts "<what> of <model>": run `runId`'s model trained again on its experiment's split and
   * seed (`call` gets that spec); null when the run or its experiment is gone.
   */
  function rerun<T>(
    runId: string,
    what: string,
    call: (datasetId: string, spec: TrainSpec, job: JobOptions) => Promise<T>,
    done: (result: T) => void,
  ): Job<T> | null {
    const run = runs.runById(runId);
    const e = runs.experimentOf(run);
    if (!run || !e) return null;
    return start(
      'train',
      `${what} of ${run.model.label}`,
      (id, nb, _t, j) => call(id, rerunSpec(nb, run, e), j),
      (result) => done(result),
    );
  }

  return {
    train(): Job<ExperimentResult> | null {
      const models = copy(unwrap(settings.state.settings.models));
      return start(
        'train',
        `Training ${models.map((m) => m.name).join(', ')}`,
        (id, nb, t, j) =>
          client.api.trainModels(
            id,
            { notebook: nb, target: nb.target, task: t, split: splitNow(t), models, seed: nb.seed },
            j,
          ),
        (e, dataset) => runs.add(e, 'train', dataset),
      );
    },
    compareBaselines(): Job<ExperimentResult> | null {
      return start(
        'baselines',
        'Comparing baselines',
        (id, nb, t, j) => {
          if (!nb.target) {
            return Promise.reject(
              new EngineError('InvalidArgument', 'Baselines need a target column: pick one above.'),
            );
          }
          return client.api.compareBaselines(
            id,
            { notebook: nb, target: nb.target, task: t, seed: nb.seed },
            j,
          );
        },
        (e, dataset) => runs.add(e, 'baselines', dataset),
      );
    },
    tune(): Job<TuneResult> | null {
      const tune = settings.state.settings.tune;
      if (!tune) {
        fail({ name: 'InvalidArgument', message: 'Set up a grid first.' });
        return null;
      }
      const spec = copy(unwrap(tune));
      return start(
        'tune',
        `Searching ${spec.model}`,
        (id, nb, t, j) =>
          client.api.tuneModel(
            id,
            {
              notebook: nb,
              target: nb.target,
              task: t,
              split: splitNow(t),
              seed: nb.seed,
              model: spec.model,
              grid: spec.grid as Record<string, TrainParamValue[]>,
            },
            j,
          ),
        (result, dataset) => {
          runs.setTune(dataset, result);
          runs.add(
            {
              ...result.best,
              id: `${result.best.id}-tuned`,
              models: result.best.models.map((m) => ({ ...m, label: `${m.name} (tuned)` })),
            },
            'tune',
            dataset,
          );
        },
      );
    },
    /** Permutation importance of a run: its model re-trained on the same folds, features shuffled. */
    explain(runId: string): Job<ExperimentResult> | null {
      return rerun(
        runId,
        'Permutation importance',
        (id, spec, j) => client.api.trainModels(id, { ...spec, importance: { repeats: 5 } }, j),
        (result) => {
          const importance = result.models[0]?.importance;
          if (importance) runs.setImportance(runId, importance);
        },
      );
    },
    /** Score against training size for a run's model, on its split and seed. */
    learningCurve(runId: string): Job<LearningCurveResult> | null {
      return rerun(
        runId,
        'Learning curve',
        (id, spec, j) => client.api.learningCurve(id, spec, j),
        (result) => runs.setLearning(runId, result),
      );
    },
  };
}
