/**
 * The Train and Evaluate tabs' state: the experiment settings (task, split, models, grid), the
 * running job with its live loss curves, and every trained run. The settings live in the notebook
 * document (`notebook.train`), so a share link reopens the same experiment and reproduces its
 * numbers (same seed → same folds); the runs are results, autosaved apart from the notebook.
 * All training runs in the worker; this module only keeps the small JSON answers.
 */
import { batch, createEffect, on } from 'solid-js';
import { createStore, reconcile, unwrap } from 'solid-js/store';
import { EngineError, toEngineError } from '../core/errors';
import type {
  EngineApi,
  ExperimentResult,
  ExportSpec,
  JobOptions,
  LearningCurveResult,
  MetricSummary,
  ModelInfo,
  ModelRunResult,
  PairComparison,
  Progress,
  TrainParamValue,
  TrainSpec,
  TrainTask,
  TuneResult,
} from '../protocol/api';
import { DEFAULT_SETTINGS, declaredTask, splitFor, trainSpecOf } from '../protocol/train-spec';
import type { Notebook, TrainSettings } from '../spec/notebook';
import type { KeyValueStore } from './autosave';
import type { Job } from './client';

export { DEFAULT_SETTINGS, splitFor } from '../protocol/train-spec';

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
  >;
}

/** What the train store needs of the workbench and the notebook (the real ones satisfy it). */
export interface TrainHost {
  startJob<T>(label: string, run: (job: JobOptions) => Promise<T>): Job<T>;
  jobProgress(id: string): Progress | null;
  /** The dataset the notebook is bound to (the original data, not the notebook's output). */
  datasetId(): string | null;
  notebook(): Notebook;
  setTarget(column: string | null): void;
  /** Writes the experiment settings into the notebook document (undoable, in the link). */
  setTrainSettings(settings: TrainSettings): void;
}

export interface TrainFailure {
  name: string;
  message: string;
  hint?: string;
}

/** One trained model of one experiment: a row of the runs table. */
export interface TrainRun {
  /** `<experiment>/<model label>` */
  id: string;
  experimentId: string;
  kind: 'train' | 'baselines' | 'tune';
  /** When it finished (ms since epoch). */
  at: number;
  model: ModelRunResult;
}

export interface LiveCurve {
  series: string;
  points: { step: number; loss: number; validation?: number }[];
}

interface TrainState {
  catalog: ModelInfo[];
  catalogError: string | null;
  inferredTask: TrainTask | null;
  settings: TrainSettings;
  experiments: ExperimentResult[];
  /** Run ids in training order, newest last. */
  experimentKinds: Record<string, TrainRun['kind']>;
  finishedAt: Record<string, number>;
  jobId: string | null;
  jobKind: TrainRun['kind'] | null;
  jobStartedAt: number;
  live: LiveCurve[];
  error: TrainFailure | null;
  tune: TuneResult | null;
  selected: string | null;
  compareWith: string | null;
  comparison: PairComparison | null;
  comparisonError: string | null;
  /** Per run id: permutation importance and learning curves computed on demand (Evaluate). */
  importance: Record<string, { feature: string; drop: MetricSummary }[]>;
  learning: Record<string, LearningCurveResult>;
}

const RUNS_KEY = 'train-runs';
/** The runs kept across reloads (results are large: out-of-fold predictions). */
const KEEP_EXPERIMENTS = 20;
const MAX_LIVE_POINTS = 400;

export type TrainStore = ReturnType<typeof createTrainStore>;

function copy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** The runs of an experiment as table rows. */
function runsOf(e: ExperimentResult, kind: TrainRun['kind'], at: number): TrainRun[] {
  return e.models.map((model) => ({ id: `${e.id}/${model.label}`, experimentId: e.id, kind, at, model }));
}

/** Whether two runs were scored on the same folds (so a paired test is valid). */
export function sameFolds(a: ExperimentResult, b: ExperimentResult): boolean {
  return (
    a.datasetId === b.datasetId &&
    a.seed === b.seed &&
    a.rows === b.rows &&
    a.folds === b.folds &&
    JSON.stringify(a.split) === JSON.stringify(b.split) &&
    a.target === b.target
  );
}

export function createTrainStore(client: TrainClient, host: TrainHost, storage?: KeyValueStore) {
  const [state, setState] = createStore<TrainState>({
    catalog: [],
    catalogError: null,
    inferredTask: null,
    settings: copy(host.notebook().train ?? DEFAULT_SETTINGS),
    experiments: [],
    experimentKinds: {},
    finishedAt: {},
    jobId: null,
    jobKind: null,
    jobStartedAt: 0,
    live: [],
    error: null,
    tune: null,
    selected: null,
    compareWith: null,
    comparison: null,
    comparisonError: null,
    importance: {},
    learning: {},
  });
  let current: Job<unknown> | null = null;

  void client.api.modelCatalog().then(
    (catalog) => setState('catalog', catalog),
    (e: unknown) => setState('catalogError', toEngineError(e).message),
  );

  // A link or undo changes notebook.train: the form follows the document.
  createEffect(
    on(
      () => JSON.stringify(host.notebook().train ?? null),
      (json) => {
        const train = JSON.parse(json) as TrainSettings | null;
        if (train && JSON.stringify(unwrap(state.settings)) !== json) setState('settings', reconcile(train));
      },
    ),
  );

  // The task the target suggests, re-asked when the target or the data changes.
  createEffect(
    on(
      () => [host.datasetId(), host.notebook().target] as const,
      ([datasetId, target]) => {
        if (!datasetId) {
          setState('inferredTask', null);
          return;
        }
        client.api.inferTask(datasetId, target).then(
          (task) => {
            if (host.datasetId() === datasetId && host.notebook().target === target)
              setState('inferredTask', task);
          },
          () => setState('inferredTask', null),
        );
      },
    ),
  );

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

  if (storage) {
    void storage.load(RUNS_KEY).then((saved) => {
      const list = Array.isArray((saved as { experiments?: unknown } | undefined)?.experiments)
        ? (saved as {
            experiments: ExperimentResult[];
            kinds?: Record<string, TrainRun['kind']>;
            at?: Record<string, number>;
          })
        : null;
      if (!list || state.experiments.length > 0) return;
      const valid = list.experiments.filter(
        (e) => e && typeof e.id === 'string' && Array.isArray(e.models) && typeof e.primary === 'string',
      );
      setState({ experiments: valid, experimentKinds: list.kinds ?? {}, finishedAt: list.at ?? {} });
    });
  }

  const task = (): TrainTask | null => declaredTask(host.notebook(), state.settings) ?? state.inferredTask;

  const runs = (): TrainRun[] =>
    state.experiments.flatMap((e) =>
      runsOf(e, state.experimentKinds[e.id] ?? 'train', state.finishedAt[e.id] ?? 0),
    );

  const runById = (id: string | null) => (id ? (runs().find((r) => r.id === id) ?? null) : null);
  const experimentOf = (run: TrainRun | null) =>
    run ? (state.experiments.find((e) => e.id === run.experimentId) ?? null) : null;

  /** The spec that trains one run's model again on its experiment's split and seed. */
  const rerunSpec = (
    notebook: TrainSpec['notebook'],
    run: TrainRun,
    e: NonNullable<ReturnType<typeof experimentOf>>,
  ): TrainSpec => ({
    notebook,
    target: e.target,
    task: e.task,
    split: copy(e.split),
    models: [{ name: run.model.name, params: copy(run.model.changed) }],
    seed: e.seed,
  });

  function persist(): void {
    if (!storage) return;
    const experiments = unwrap(state.experiments).slice(-KEEP_EXPERIMENTS);
    void storage
      .save(RUNS_KEY, copy({ experiments, kinds: state.experimentKinds, at: state.finishedAt }))
      .catch(() => undefined);
  }

  function updateSettings(recipe: (s: TrainSettings) => void): void {
    const next = copy(unwrap(state.settings));
    recipe(next);
    setState('settings', reconcile(next));
  }

  function commitSettings(): void {
    const nb = host.notebook();
    if (JSON.stringify(nb.train ?? null) !== JSON.stringify(unwrap(state.settings))) {
      host.setTrainSettings(copy(unwrap(state.settings)));
    }
  }

  function start<T>(
    kind: TrainRun['kind'],
    label: string,
    run: (datasetId: string, nb: Notebook, task: TrainTask, job: JobOptions) => Promise<T>,
    done: (result: T) => void,
  ): Job<T> | null {
    const datasetId = host.datasetId();
    const t = task();
    if (!datasetId || !t) {
      setState('error', {
        name: 'InvalidArgument',
        message: datasetId ? 'Pick a target column first.' : 'Load a dataset first.',
      });
      return null;
    }
    current?.cancel();
    commitSettings();
    const nb = copy(host.notebook());
    const job = host.startJob(label, (j) => run(datasetId, nb, t, j));
    current = job as Job<unknown>;
    setState({ jobId: job.id, jobKind: kind, jobStartedAt: Date.now(), live: [], error: null });
    job.promise.then(
      (result) => {
        if (current !== (job as Job<unknown>)) return;
        batch(() => {
          done(result);
          setState({ jobId: null, jobKind: null });
        });
        current = null;
        persist();
      },
      (e: unknown) => {
        if (current !== (job as Job<unknown>)) return;
        const err = toEngineError(e);
        setState({
          jobId: null,
          jobKind: null,
          error: {
            name: err.name,
            message: err.message,
            ...(err.detail.hint ? { hint: err.detail.hint } : {}),
          },
        });
        current = null;
      },
    );
    return job;
  }

  function addExperiment(e: ExperimentResult, kind: TrainRun['kind']): void {
    setState('experiments', state.experiments.length, e);
    setState('experimentKinds', e.id, kind);
    setState('finishedAt', e.id, Date.now());
    const best = runsOf(e, kind, 0)[0];
    if (best) {
      setState('selected', best.id);
      const second = runsOf(e, kind, 0)[1];
      setState('compareWith', second?.id ?? null);
    }
  }

  return {
    state,
    task,
    runs,
    runById,
    experimentOf,
    /** What deploys a run's model: the current notebook, the run's target, task, features and
     * parameters, fitted on every row (the Prototype and Export tabs). Null for an unknown run. */
    deploySpec(runId: string): ExportSpec | null {
      const run = runById(runId);
      const e = experimentOf(run);
      if (!run || !e) return null;
      const metrics: Record<string, number> = {};
      for (const [k, v] of Object.entries(run.model.metrics)) metrics[k] = v.mean;
      return {
        notebook: copy(host.notebook()),
        target: e.target,
        task: e.task,
        features: [...e.features],
        model: { name: run.model.name, params: copy(run.model.changed) },
        metrics,
      };
    },
    modelInfo: (name: string) => state.catalog.find((m) => m.name === name),
    /** Models that fit the current task. */
    modelChoices: (): ModelInfo[] => {
      const t = task();
      return state.catalog.filter((m) => !t || m.tasks.includes(t));
    },
    running: () => state.jobId !== null,
    /** The running job's latest progress. */
    progress: (): Progress | null => (state.jobId ? host.jobProgress(state.jobId) : null),
    setTarget: (column: string | null) => host.setTarget(column),
    setTask(t: TrainTask | null): void {
      updateSettings((s) => {
        if (t) s.task = t;
        else delete s.task;
      });
    },
    setSplit(patch: Partial<TrainSettings['split']>): void {
      updateSettings((s) => {
        s.split = { ...s.split, ...patch };
        for (const [k, v] of Object.entries(s.split)) {
          if (v === undefined || v === null || v === '')
            delete (s.split as unknown as Record<string, unknown>)[k];
        }
      });
    },
    addModel(name: string): void {
      updateSettings((s) => {
        s.models.push({ name, params: {} });
      });
    },
    removeModel(index: number): void {
      updateSettings((s) => {
        s.models.splice(index, 1);
      });
    },
    setModelName(index: number, name: string): void {
      updateSettings((s) => {
        if (s.models[index]) s.models[index] = { name, params: {} };
      });
    },
    /** Sets a parameter; the default value removes it (the notebook keeps only changes). */
    setModelParam(index: number, key: string, value: TrainParamValue): void {
      const info = state.catalog.find((m) => m.name === state.settings.models[index]?.name);
      updateSettings((s) => {
        const m = s.models[index];
        if (!m) return;
        if (info && JSON.stringify(info.params[key]?.default) === JSON.stringify(value)) delete m.params[key];
        else m.params[key] = value as never;
      });
    },
    setTuneGrid(model: string, grid: Record<string, TrainParamValue[]>): void {
      updateSettings((s) => {
        s.tune = { model, grid: grid as never };
      });
    },

    train(): Job<ExperimentResult> | null {
      const settings = copy(unwrap(state.settings));
      return start(
        'train',
        `Training ${settings.models.map((m) => m.name).join(', ')}`,
        (id, nb, t, j) => client.api.trainModels(id, trainSpecOf(nb, settings, t), j),
        (e) => addExperiment(e, 'train'),
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
        (e) => addExperiment(e, 'baselines'),
      );
    },
    tune(): Job<TuneResult> | null {
      const tune = state.settings.tune;
      if (!tune) {
        setState('error', { name: 'InvalidArgument', message: 'Set up a grid first.' });
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
              split: splitFor(state.settings, t),
              seed: nb.seed,
              model: spec.model,
              grid: spec.grid as Record<string, TrainParamValue[]>,
            },
            j,
          ),
        (result) => {
          setState('tune', result);
          addExperiment(
            {
              ...result.best,
              id: `${result.best.id}-tuned`,
              models: result.best.models.map((m) => ({ ...m, label: `${m.name} (tuned)` })),
            },
            'tune',
          );
        },
      );
    },
    /** Permutation importance of a run: its model re-trained on the same folds, features shuffled. */
    explain(runId: string): Job<ExperimentResult> | null {
      const run = runById(runId);
      const e = experimentOf(run);
      if (!run || !e) return null;
      return start(
        'train',
        `Permutation importance of ${run.model.label}`,
        (id, nb, _t, j) =>
          client.api.trainModels(id, { ...rerunSpec(nb, run, e), importance: { repeats: 5 } }, j),
        (result) => {
          const importance = result.models[0]?.importance;
          if (importance) setState('importance', runId, importance);
        },
      );
    },
    /** Score against training size for a run's model, on its split and seed. */
    learningCurve(runId: string): Job<LearningCurveResult> | null {
      const run = runById(runId);
      const e = experimentOf(run);
      if (!run || !e) return null;
      return start(
        'train',
        `Learning curve of ${run.model.label}`,
        (id, nb, _t, j) => client.api.learningCurve(id, rerunSpec(nb, run, e), j),
        (result) => setState('learning', runId, result),
      );
    },
    cancel(): void {
      current?.cancel();
    },
    dismissError(): void {
      setState('error', null);
    },
    removeRun(id: string): void {
      const run = runById(id);
      if (!run) return;
      batch(() => {
        const e = state.experiments.find((x) => x.id === run.experimentId);
        if (!e) return;
        if (e.models.length <= 1) setState('experiments', (list) => list.filter((x) => x.id !== e.id));
        else
          setState(
            'experiments',
            (x) => x.id === e.id,
            'models',
            (ms) => ms.filter((m) => m.label !== run.model.label),
          );
        if (state.selected === id) setState('selected', null);
        if (state.compareWith === id) setState('compareWith', null);
      });
      persist();
    },
    select(id: string | null): void {
      setState('selected', id);
    },
    selectCompare(id: string | null): void {
      setState('compareWith', id);
    },

    /**
     * The verdict for the selected pair: the experiment's own comparison when both come from one
     * experiment, else a fresh test in the worker when their folds are the same.
     */
    async compare(): Promise<PairComparison | null> {
      const a = runById(state.selected);
      const b = runById(state.compareWith);
      setState({ comparison: null, comparisonError: null });
      if (!a || !b || a.id === b.id) return null;
      const ea = experimentOf(a)!;
      const eb = experimentOf(b)!;
      if (ea.id === eb.id) {
        const found = ea.comparisons.find(
          (c) =>
            (c.a === a.model.label && c.b === b.model.label) ||
            (c.a === b.model.label && c.b === a.model.label),
        );
        if (found) {
          setState('comparison', found);
          return found;
        }
      }
      if (!sameFolds(ea, eb)) {
        setState(
          'comparisonError',
          'These runs used different data, splits or seeds, so a paired test does not apply. Train them together (or with the same split and seed).',
        );
        return null;
      }
      const metric = ea.primary;
      const holdout = ea.folds === 1;
      try {
        const result = await client.api.compareRuns(
          {
            label: a.model.label,
            scores: a.model.foldMetrics[metric] ?? [],
            ...(holdout ? { truth: a.model.oof.truth, predicted: a.model.oof.predicted } : {}),
          },
          {
            label: b.model.label,
            scores: b.model.foldMetrics[metric] ?? [],
            ...(holdout ? { predicted: b.model.oof.predicted } : {}),
          },
          { metric, higherIsBetter: ea.higherIsBetter, testTrainRatio: ea.testTrainRatio },
        );
        setState('comparison', result);
        return result;
      } catch (e) {
        setState('comparisonError', toEngineError(e).message);
        return null;
      }
    },
  };
}
