/**
 * Trained runs (the runs table, Evaluate, Export): every experiment with the dataset it was
 * trained on, autosaved apart from the notebook (results are large: out-of-fold predictions).
 * Each dataset sees only its own runs — filed by dataset key, which survives reloads where engine
 * ids do not — along with the selected pair, their comparison, and the importance and learning
 * curves computed on demand.
 */
import { batch } from 'solid-js';
import { createStore, type SetStoreFunction, unwrap } from 'solid-js/store';
import { toEngineError } from '../core/errors';
import type {
  EngineApi,
  ExperimentResult,
  LearningCurveResult,
  MetricSummary,
  PairComparison,
  TuneResult,
} from '../protocol/api';
import type { KeyValueStore } from './autosave';
import { LEGACY_KEY, readSavedBook } from './notebook-book';
import { copy } from './plain';

export interface RunsClient {
  api: Pick<EngineApi, 'compareRuns'>;
}

/** One trained model of one experiment: a row of the runs table. */
export interface TrainRun {
  /** `<experiment>/<model label>` */
  id: string;
  experimentId: string;
  kind: 'train' | 'baselines' | 'tune';
  /** When it finished (ms since epoch). */
  at: number;
  model: ExperimentResult['models'][number];
}

interface RunsState {
  /** Every experiment of every dataset, oldest first. */
  all: ExperimentResult[];
  experimentKinds: Record<string, TrainRun['kind']>;
  finishedAt: Record<string, number>;
  /** Experiment id → the key of the dataset it was trained on. */
  datasetOf: Record<string, string>;
  selected: string | null;
  compareWith: string | null;
  comparison: PairComparison | null;
  comparisonError: string | null;
  /** Per run id: permutation importance and learning curves computed on demand (Evaluate). */
  importance: Record<string, { feature: string; drop: MetricSummary }[]>;
  learning: Record<string, LearningCurveResult>;
  /** The last grid search per dataset key. */
  tunes: Record<string, TuneResult>;
}

interface SavedRuns {
  experiments: ExperimentResult[];
  kinds?: Record<string, TrainRun['kind']>;
  at?: Record<string, number>;
  datasets?: Record<string, string>;
}

export const RUNS_KEY = 'train-runs';
/** The runs kept across reloads. */
const KEEP_EXPERIMENTS = 20;
/** The dataset key of runs of a host that does not scope them (tests, a single dataset). */
const ANY = '';

/** The runs of an experiment as table rows. */
function runsOf(e: ExperimentResult, kind: TrainRun['kind'], at: number): TrainRun[] {
  return e.models.map((model) => ({ id: `${e.id}/${model.label}`, experimentId: e.id, kind, at, model }));
}

/**
 * The experiment's runs best first on its primary metric (ties and runs without it keep their
 * order): Evaluate and Export open on the best run, compared with the runner-up. The first model
 * the user listed was taken for the best (diamonds: LinearRegression R² 0.883 over Ridge's 0.907).
 */
function bestFirst(e: ExperimentResult, kind: TrainRun['kind'], at: number): TrainRun[] {
  const score = (r: TrainRun) => {
    const v = r.model.metrics?.[e.primary]?.mean;
    if (v === undefined || !Number.isFinite(v)) return Number.NEGATIVE_INFINITY;
    return e.higherIsBetter ? v : -v;
  };
  return runsOf(e, kind, at)
    .map((r, i) => ({ r, i, s: score(r) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.r);
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

/**
 * Saved runs, validated. Runs saved before they were filed by dataset belong to the dataset the
 * single notebook of that build was on (its record is read for that).
 */
async function loadRuns(storage: KeyValueStore): Promise<Required<SavedRuns> | null> {
  const saved = (await storage.load(RUNS_KEY).catch(() => undefined)) as SavedRuns | undefined;
  if (!saved || !Array.isArray(saved.experiments)) return null;
  const experiments = saved.experiments.filter(
    (e) => e && typeof e.id === 'string' && Array.isArray(e.models) && typeof e.primary === 'string',
  );
  let datasets = saved.datasets && typeof saved.datasets === 'object' ? saved.datasets : null;
  if (!datasets) {
    const legacy = readSavedBook(await storage.load(LEGACY_KEY).catch(() => undefined));
    const key = legacy?.active ?? ANY;
    datasets = Object.fromEntries(experiments.map((e) => [e.id, key]));
  }
  return { experiments, kinds: saved.kinds ?? {}, at: saved.at ?? {}, datasets };
}

export type TrainRunsStore = ReturnType<typeof createTrainRuns>;

/**
 * `datasetKey` names the dataset on screen; without it (or when it answers null) every run is
 * shown, as before runs were filed by dataset.
 */
export function createTrainRuns(
  client: RunsClient,
  datasetKey: () => string | null,
  storage?: KeyValueStore,
) {
  const [state, setState] = createStore<RunsState>({
    all: [],
    experimentKinds: {},
    finishedAt: {},
    datasetOf: {},
    selected: null,
    compareWith: null,
    comparison: null,
    comparisonError: null,
    importance: {},
    learning: {},
    tunes: {},
  });

  if (storage) {
    void loadRuns(storage).then((saved) => {
      if (!saved || state.all.length > 0) return;
      setState({
        all: saved.experiments,
        experimentKinds: saved.kinds,
        finishedAt: saved.at,
        datasetOf: saved.datasets,
      });
    });
  }

  const key = () => datasetKey() ?? ANY;
  // Runs of no known dataset (saved by a build that did not file them) are shown everywhere.
  const mine = (e: ExperimentResult) => {
    const of = state.datasetOf[e.id] ?? ANY;
    return key() === ANY || of === ANY || of === key();
  };
  const experiments = (): ExperimentResult[] => state.all.filter(mine);
  const runs = (): TrainRun[] =>
    experiments().flatMap((e) =>
      runsOf(e, state.experimentKinds[e.id] ?? 'train', state.finishedAt[e.id] ?? 0),
    );
  const runById = (id: string | null) => (id ? (runs().find((r) => r.id === id) ?? null) : null);
  const experimentOf = (run: TrainRun | null) =>
    run ? (state.all.find((e) => e.id === run.experimentId) ?? null) : null;

  function persist(): void {
    if (!storage) return;
    const kept = unwrap(state.all).slice(-KEEP_EXPERIMENTS);
    const datasets = Object.fromEntries(kept.map((e) => [e.id, state.datasetOf[e.id] ?? ANY]));
    void storage
      .save(
        RUNS_KEY,
        copy({ experiments: kept, kinds: state.experimentKinds, at: state.finishedAt, datasets }),
      )
      .catch(() => undefined);
  }

  return {
    state,
    experiments,
    runs,
    runById,
    experimentOf,
    /** The last grid search on the dataset on screen. */
    tune: (): TuneResult | null => state.tunes[key()] ?? null,
    /** Files a finished experiment under the dataset it was trained on and selects its best runs. */
    add(e: ExperimentResult, kind: TrainRun['kind'], dataset: string | null): void {
      batch(() => {
        setState('all', state.all.length, e);
        setState('experimentKinds', e.id, kind);
        setState('finishedAt', e.id, Date.now());
        setState('datasetOf', e.id, dataset ?? ANY);
        const [best, second] = bestFirst(e, kind, 0);
        if (best) {
          setState('selected', best.id);
          setState('compareWith', second?.id ?? null);
        }
      });
      persist();
    },
    setTune(dataset: string | null, result: TuneResult): void {
      setState('tunes', dataset ?? ANY, result);
    },
    setImportance(runId: string, importance: RunsState['importance'][string]): void {
      setState('importance', runId, importance);
    },
    setLearning(runId: string, result: LearningCurveResult): void {
      setState('learning', runId, result);
    },
    removeRun(id: string): void {
      const run = runById(id);
      if (!run) return;
      batch(() => {
        const e = state.all.find((x) => x.id === run.experimentId);
        if (!e) return;
        if (e.models.length <= 1) setState('all', (list) => list.filter((x) => x.id !== e.id));
        else
          setState(
            'all',
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
    /**
     * Evaluate always has a run to show: when no run of the dataset on screen is selected (after a
     * reload, a switch of dataset, a removed run), its newest experiment's best run and runner-up.
     * Without this, Evaluate opened on two empty pickers and a blank page.
     */
    selectLatestIfNone(): void {
      if (runById(state.selected)) return;
      const e = experiments().at(-1);
      if (!e) return;
      const [best, second] = bestFirst(
        e,
        state.experimentKinds[e.id] ?? 'train',
        state.finishedAt[e.id] ?? 0,
      );
      batch(() => {
        setState('selected', best?.id ?? null);
        if (!runById(state.compareWith) || state.compareWith === best?.id)
          setState('compareWith', second?.id ?? null);
      });
    },
    selectCompare(id: string | null): void {
      setState('compareWith', id);
    },
    ...createComparison(client, state, setState, runById, experimentOf),
  };
}

/** The comparison of the selected pair of runs (Evaluate's verdict). */
function createComparison(
  client: RunsClient,
  state: RunsState,
  setState: SetStoreFunction<RunsState>,
  runById: (id: string | null) => TrainRun | null,
  experimentOf: (run: TrainRun | null) => ExperimentResult | null,
) {
  /** Verdict of two runs of different experiments: a fresh test in the worker, same folds only. */
  async function compareAcross(a: TrainRun, b: TrainRun, ea: ExperimentResult): Promise<PairComparison> {
    const metric = ea.primary;
    const holdout = ea.folds === 1;
    return client.api.compareRuns(
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
  }

  /**
   * The verdict for the selected pair: the experiment's own comparison when both come from one
   * experiment, else a fresh test in the worker when their folds are the same.
   */
  async function compare(): Promise<PairComparison | null> {
    const a = runById(state.selected);
    const b = runById(state.compareWith);
    setState({ comparison: null, comparisonError: null });
    if (!a || !b || a.id === b.id) return null;
    const ea = experimentOf(a)!;
    const eb = experimentOf(b)!;
    const own =
      ea.id === eb.id
        ? ea.comparisons.find(
            (c) =>
              (c.a === a.model.label && c.b === b.model.label) ||
              (c.a === b.model.label && c.b === a.model.label),
          )
        : undefined;
    if (own) {
      setState('comparison', own);
      return own;
    }
    if (!sameFolds(ea, eb)) {
      setState(
        'comparisonError',
        'These runs used different data, splits or seeds, so a paired test does not apply. Train them together (or with the same split and seed).',
      );
      return null;
    }
    try {
      const result = await compareAcross(a, b, ea);
      setState('comparison', result);
      return result;
    } catch (e) {
      setState('comparisonError', toEngineError(e).message);
      return null;
    }
  }

  return { compare };
}
