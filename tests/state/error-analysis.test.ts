/**
 * The error-analysis store over the real engine in-process: a run is analysed once, a slice's and
 * a confusion cell's rows are picked, and the explore store selects exactly those rows (the count
 * the Data and Explore tabs show), keeps them as a named slice and selects the slice again.
 */
import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import type { ExperimentResult, JobOptions } from '../../src/protocol/api';
import { emptyNotebook, type Notebook } from '../../src/spec/notebook';
import { createErrorAnalysisStore } from '../../src/state/error-analysis';
import { createExploreStore } from '../../src/state/explore';
import type { TrainRun } from '../../src/state/train';
import { createNodeEngine } from '../../workers/engine.node';

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('error analysis store', { timeout: 60_000 }, () => {
  it('analyses a run once, picks slice and cell rows, and selects them in the explore store', async () => {
    const engine = createNodeEngine();
    const ds = await engine.loadSample('iris');
    const notebook: Notebook = { ...emptyNotebook(), target: 'target' };
    const e: ExperimentResult = await engine.trainModels(ds.id, {
      notebook,
      target: 'target',
      split: { kind: 'stratified-kfold', k: 5 },
      models: [{ name: 'LogisticRegression', params: {} }],
      seed: 3,
    });
    const run: TrainRun = {
      id: `${e.id}/${e.models[0]!.label}`,
      experimentId: e.id,
      kind: 'train',
      at: 0,
      model: e.models[0]!,
    };
    let jobs = 0;
    const { errors, explore } = createRoot(() => ({
      errors: createErrorAnalysisStore(
        { api: engine },
        {
          startJob<T>(_label: string, go: (job: JobOptions) => Promise<T>) {
            const id = `job${++jobs}`;
            return { id, promise: go({ id }), cancel: () => {} };
          },
          notebook: () => notebook,
        },
        {
          runById: (id) => (id === run.id ? run : null),
          experimentOf: (r) => (r ? e : null),
        },
      ),
      explore: createExploreStore(engine),
    }));

    expect(errors.available(run.id)).toBe(true);
    expect(errors.analyze(run.id)).not.toBeNull();
    expect(errors.analyze(run.id)).toBeNull(); // running already: not started twice
    await until(() => errors.entry(run.id)?.status === 'done');
    const result = errors.entry(run.id)!.result!;
    expect(result.rows).toBe(150);
    expect(result.slices.length).toBeGreaterThan(0);

    const slice = result.slices[0]!;
    const picked = await errors.pick(
      run.id,
      { kind: 'slice', conditions: JSON.parse(JSON.stringify(slice.conditions)) },
      slice.description,
    );
    expect(picked!.rows.length).toBe(slice.size);
    expect(errors.state.picked?.label).toBe(slice.description);

    await explore.selectRows(ds.id, picked!.rows, picked!.datasetRows, slice.description);
    expect(explore.state.count).toBe(slice.size);
    expect(explore.state.label).toBe(slice.description);
    expect(explore.active()).toBe(true);
    expect(Array.from(await engine.selectedRows(ds.id, 0, 1000))).toEqual(Array.from(picked!.rows));

    // A confusion cell: its rows are the matrix's count.
    const cm = e.models[0]!.plots.confusion!.matrix;
    const cell = await errors.pick(run.id, { kind: 'cell', truth: 2, predicted: 2 }, 'true virginica');
    expect(cell!.rows.length).toBe(cm[2]![2]!);

    // Saved as a named slice (unique names), then selected again after another selection.
    const saved = explore.addSlice({
      name: 'worst slice',
      datasetId: ds.id,
      rows: picked!.rows,
      datasetRows: picked!.datasetRows,
      expression: null,
      description: slice.description,
    });
    expect(saved.count).toBe(slice.size);
    expect(explore.addSlice({ ...saved, name: 'worst slice' }).name).toBe('worst slice (2)');
    await explore.selectRows(ds.id, cell!.rows, cell!.datasetRows, 'true virginica');
    expect(explore.state.count).toBe(cm[2]![2]!);
    await explore.selectSlice('worst slice');
    expect(explore.state.count).toBe(slice.size);
    expect(explore.state.label).toBe('slice "worst slice"');

    // A brush on top refines the selection and drops the label (it is no longer the slice alone).
    await explore.setFilter(ds.id, 'hist', { kind: 'range', column: 'sepal length (cm)', range: [0, 100] });
    expect(explore.state.count).toBe(slice.size);
    expect(explore.state.label).toBeNull();
  });
});

describe('error analysis of a run saved in an earlier session', { timeout: 60_000 }, () => {
  // After a reload the same file is loaded under a new id; the saved run still names the old one.
  it('analyses it on the dataset on screen, not the id the run was saved with', async () => {
    const engine = createNodeEngine();
    const ds = await engine.loadSample('iris');
    const notebook: Notebook = { ...emptyNotebook(), target: 'target' };
    const trained = await engine.trainModels(ds.id, {
      notebook,
      target: 'target',
      split: { kind: 'stratified-kfold', k: 5 },
      models: [{ name: 'LogisticRegression', params: {} }],
      seed: 3,
    });
    const e: ExperimentResult = { ...trained, datasetId: 'ds-of-yesterday' };
    const run: TrainRun = { id: 'r', experimentId: e.id, kind: 'train', at: 0, model: e.models[0]! };
    const errors = createRoot(() =>
      createErrorAnalysisStore(
        { api: engine },
        {
          startJob<T>(_label: string, go: (job: JobOptions) => Promise<T>) {
            return { id: 'job', promise: go({ id: 'job' }), cancel: () => {} };
          },
          notebook: () => notebook,
          datasetId: () => ds.id,
        },
        { runById: (id) => (id === run.id ? run : null), experimentOf: (r) => (r ? e : null) },
      ),
    );
    errors.analyze(run.id);
    await until(() => errors.entry(run.id)?.status !== 'running');
    expect(errors.entry(run.id)?.error).toBeUndefined();
    expect(errors.entry(run.id)?.result?.rows).toBe(150);
  });
});
