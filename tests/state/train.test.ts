/**
 * The train store over the real engine in-process: settings written into the notebook (so links
 * carry them), runs kept with their metrics, live curves from progress, cancel, errors that leave
 * the runs alone, comparisons across experiments, and restoring settings from a notebook.
 */
import { createRoot } from 'solid-js';
import { createStore } from 'solid-js/store';
import { describe, expect, it } from 'vitest';
import type { JobOptions, Progress } from '../../src/protocol/api';
import { emptyNotebook, type Notebook, type TrainSettings } from '../../src/spec/notebook';
import { createMemoryStore } from '../../src/state/autosave';
import { createTrainStore, splitFor } from '../../src/state/train';
import { createNodeEngine } from '../../workers/engine.node';

let jobCounter = 0;

async function setup(initial: Partial<Notebook> = {}) {
  const engine = createNodeEngine();
  const ds = await engine.loadSample('iris');
  const [host, setHost] = createStore({
    notebook: { ...emptyNotebook(), target: 'target', ...initial } as Notebook,
    progress: {} as Record<string, Progress>,
    jobs: [] as string[],
  });
  const storage = createMemoryStore();
  const store = createRoot(() =>
    createTrainStore(
      { api: engine },
      {
        startJob<T>(_label: string, run: (job: JobOptions) => Promise<T>) {
          const id = `j${++jobCounter}`;
          const promise = run({ id, onProgress: (p) => setHost('progress', id, { ...p }) });
          setHost('jobs', (j) => [...j, id]);
          return { id, promise, cancel: () => void engine.cancel(id) };
        },
        jobProgress: (id) => host.progress[id] ?? null,
        datasetId: () => ds.id,
        notebook: () => host.notebook,
        setTarget: (column) => setHost('notebook', 'target', column),
        setTrainSettings: (settings: TrainSettings) => setHost('notebook', 'train', settings),
      },
      storage,
    ),
  );
  await until(() => store.state.catalog.length > 0 && store.state.inferredTask !== null);
  return { engine, ds, host, setHost, store, storage };
}

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('train store', { timeout: 60_000 }, () => {
  it('trains the chosen models, writes the settings into the notebook and keeps the runs', async () => {
    const { host, store, storage } = await setup();
    expect(store.task()).toBe('classification');
    store.addModel('DecisionTreeClassifier');
    store.setModelParam(1, 'max_depth', 3);
    store.setModelParam(0, 'C', 1); // the default: not stored
    const job = store.train();
    expect(job).not.toBeNull();
    expect(store.running()).toBe(true);
    const result = await job!.promise;
    await until(() => !store.running());
    expect(host.notebook.train).toEqual({
      split: { kind: 'stratified-kfold', k: 5 },
      models: [
        { name: 'LogisticRegression', params: {} },
        { name: 'DecisionTreeClassifier', params: { max_depth: 3 } },
      ],
    });
    expect(store.runs().map((r) => r.model.label)).toEqual(['LogisticRegression', 'DecisionTreeClassifier']);
    expect(store.runs()[0]!.model.metrics.accuracy!.mean).toBe(result.models[0]!.metrics.accuracy!.mean);
    // The experiment's own verdict for the pair it trained together.
    expect(store.state.selected).toBe(store.runs()[0]!.id);
    const cmp = await store.compare();
    expect(cmp?.verdict).toBe(result.comparisons[0]!.verdict);
    // Autosaved.
    await until(() => storage.data.has('train-runs'));
    expect((storage.data.get('train-runs') as { experiments: unknown[] }).experiments).toHaveLength(1);
  });

  it('compares runs of two experiments on the same folds, and refuses different folds', async () => {
    const { store } = await setup();
    await store.train()!.promise;
    store.setModelName(0, 'GaussianNB');
    await store.train()!.promise;
    await until(() => store.runs().length === 2);
    const [lr, nb] = store.runs();
    store.select(lr!.id);
    store.selectCompare(nb!.id);
    const same = await store.compare();
    expect(same?.test).toBe('corrected t-test');
    expect(same?.verdict).toMatch(/LogisticRegression|GaussianNB/);
    store.setSplit({ k: 3 });
    await store.train()!.promise;
    await until(() => store.runs().length === 3);
    store.select(lr!.id);
    store.selectCompare(store.runs()[2]!.id);
    expect(await store.compare()).toBeNull();
    expect(store.state.comparisonError).toMatch(/different data, splits or seeds/);
  });

  it('shows an engine error and keeps earlier runs and the notebook steps', async () => {
    const { host, store } = await setup({
      steps: [{ id: 's1', step: 'StandardScaler', params: {}, enabled: true }],
    });
    await store.train()!.promise;
    await until(() => store.runs().length === 1);
    store.setTask('regression');
    store.setModelName(0, 'Ridge');
    await store.train()!.promise.catch(() => undefined);
    await until(() => store.state.error !== null);
    expect(store.state.error?.name).toBe('SchemaError');
    expect(store.state.error?.message).toMatch(/Regression needs a numeric target/);
    expect(store.runs()).toHaveLength(1);
    expect(host.notebook.steps).toHaveLength(1);
  });

  it('collects live loss points from progress, one per step, in order', async () => {
    const { store } = await setup();
    store.setModelName(0, 'MLPClassifier');
    store.setModelParam(0, 'max_iter', 150);
    store.setModelParam(0, 'tol', 0);
    await store.train()!.promise;
    await until(() => !store.running());
    const curve = store.state.live.find((c) => c.points.length > 2);
    expect(curve?.series).toMatch(/^MLPClassifier · fold \d\/5$/);
    const steps = curve!.points.map((p) => p.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(steps).size).toBe(steps.length);
    expect(store.progress()).toBeNull();
  });

  it('cancels a running job: a Cancelled notice, no run added', async () => {
    const { store } = await setup();
    store.setModelName(0, 'RandomForestClassifier');
    store.setModelParam(0, 'n_estimators', 500);
    const job = store.train()!;
    expect(store.running()).toBe(true);
    setTimeout(() => store.cancel(), 50);
    await job.promise.catch(() => undefined);
    await until(() => !store.running());
    expect(store.state.error?.name).toBe('Cancelled');
    expect(store.runs()).toHaveLength(0);
  });

  it('explains a run (permutation importance) and draws its learning curve on the same split', async () => {
    const { store } = await setup();
    await store.train()!.promise;
    await until(() => store.runs().length === 1);
    const id = store.runs()[0]!.id;
    await store.explain(id)!.promise;
    await until(() => store.state.importance[id] !== undefined);
    expect(store.state.importance[id]![0]!.feature).toMatch(/^petal/);
    expect(store.runs()).toHaveLength(1);
    await store.learningCurve(id)!.promise;
    await until(() => store.state.learning[id] !== undefined);
    const points = store.state.learning[id]!.points;
    expect(points.map((p) => p.fraction)).toEqual([0.1, 0.25, 0.5, 0.75, 1]);
    expect(points.at(-1)!.scores.LogisticRegression!.mean).toBe(
      store.runs()[0]!.model.metrics.accuracy!.mean,
    );
  });

  it('restores the settings of a notebook (a link) and searches its grid', async () => {
    const train: TrainSettings = {
      split: { kind: 'kfold', k: 3 },
      models: [{ name: 'KNeighborsClassifier', params: { n_neighbors: 7 } }],
      tune: { model: 'LogisticRegression', grid: { C: [0.01, 1] } },
    };
    const { store, setHost } = await setup();
    setHost('notebook', 'train', train);
    expect(store.state.settings).toEqual(train);
    const result = await store.tune()!.promise;
    await until(() => store.state.tune !== null);
    expect(result.candidates.map((c) => c.params.C)).toEqual([1, 0.01]);
    expect(store.runs()[0]!.kind).toBe('tune');
    expect(splitFor(train, 'regression')).toEqual({ kind: 'kfold', k: 3 });
    expect(splitFor({ ...train, split: { kind: 'stratified-kfold', k: 4 } }, 'regression')).toEqual({
      kind: 'kfold',
      k: 4,
    });
  });
});

describe('train settings in a notebook link', () => {
  it('survive parsing (a link round trip) and bad settings are refused', async () => {
    const { parseNotebook } = await import('../../src/spec/parse');
    const train: TrainSettings = {
      task: 'classification',
      split: { kind: 'holdout', testSize: 0.3, stratify: true },
      models: [{ name: 'LogisticRegression', params: { C: 10 } }],
      tune: { model: 'LogisticRegression', grid: { C: [0.1, 1, 10] } },
    };
    const nb: Notebook = { ...emptyNotebook(), target: 'target', train };
    const parsed = parseNotebook(JSON.parse(JSON.stringify(nb)));
    expect(parsed.ok && parsed.notebook.train).toEqual(train);
    // Old notebooks (no train) stay valid and gain nothing.
    const old = parseNotebook(JSON.parse(JSON.stringify(emptyNotebook())));
    expect(old.ok && 'train' in old.notebook).toBe(false);
    const bad = parseNotebook({ ...nb, train: { ...train, split: { kind: 'kfold', k: 1 } } });
    expect(bad.ok).toBe(false);
  });
});
