// @vitest-environment happy-dom
/**
 * The Export tab's model work over the real engine in-process: the HTML report of a trained run is
 * one self-contained document (metrics with CIs, inline SVG charts, parameters, split, seed, link,
 * backend; nothing fetched, no script); picked files become the right importArtifact call; the
 * model-export store scores a dataset, keeps its last good report when a file lacks a column, and
 * lists a file loaded for scoring without selecting it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { initCompute } from '../../src/gpu/device';
import type { DatasetInfo, JobOptions } from '../../src/protocol/api';
import { runReportHtml } from '../../src/report/report';
import { emptyNotebook, type Notebook } from '../../src/spec/notebook';
import { artifactFromFiles, createModelExportStore, type PickedFile } from '../../src/state/model-export';
import { driftNotes } from '../../src/ui/export/ScoreSection';
import { createEngine } from '../../workers/engine';

function engine() {
  // Built here: happy-dom's URL cannot make the file URL engine.node.ts uses.
  return createEngine({
    fetchSample: async (file) => new Uint8Array(readFileSync(resolve('public/samples', file))),
    initCompute: () => initCompute({ webgpu: false, tfjs: false }),
  });
}

const notebook: Notebook = {
  ...emptyNotebook(),
  target: 'target',
  steps: [{ id: 's', step: 'StandardScaler', params: {}, enabled: true }],
};

function picked(name: string, bytes: Uint8Array): PickedFile {
  return {
    name,
    text: async () => new TextDecoder().decode(bytes),
    arrayBuffer: async () => bytes.slice().buffer,
  };
}

describe('HTML report', { timeout: 60_000 }, () => {
  it('is one self-contained document with metrics, CIs, charts, parameters, split, seed and link', async () => {
    const e = engine();
    const ds = await e.loadSample('iris');
    const experiment = await e.trainModels(ds.id, {
      notebook,
      target: 'target',
      split: { kind: 'stratified-kfold', k: 5 },
      models: [
        { name: 'LogisticRegression', params: { C: 0.5 } },
        { name: 'GaussianNB', params: {} },
      ],
      seed: 42,
    });
    const run = experiment.models[0]!;
    const link = 'https://example.org/benchtop/#nb=v1.abc<&>';
    const html = runReportHtml({
      run,
      experiment,
      dataset: { name: 'Iris flowers', rows: 150 },
      notebook,
      notebookLink: link,
      backend: { kernels: 'cpu', tfjs: 'cpu', adapter: null, fallbacks: [], deviceLosses: 0 },
      createdAt: new Date('2026-01-02T03:04:05Z'),
    });
    const doc = new DOMParser().parseFromString(html, 'text/html');
    // Offline: nothing to fetch and nothing to run.
    expect(doc.querySelectorAll('script, link, img, iframe, [src]')).toHaveLength(0);
    expect(html).not.toMatch(/url\(|@import/);
    expect(doc.title).toBe('LogisticRegression → target — Benchtop report');
    const metrics = doc.querySelector('[data-testid="report-metrics"]')!;
    const accuracy = [...metrics.querySelectorAll('tbody tr')].find((r) =>
      r.textContent?.startsWith('accuracy'),
    )!;
    expect(accuracy.textContent).toMatch(/0\.\d{3} ± 0\.\d{3}\[0\.\d{3}, [01]\.\d{3}\]/);
    const charts = [...doc.querySelectorAll('figure[data-chart]')].map((f) => f.getAttribute('data-chart'));
    expect(charts).toEqual(expect.arrayContaining(['confusion', 'roc', 'pr', 'calibration']));
    for (const f of doc.querySelectorAll('figure[data-chart]')) expect(f.querySelector('svg')).not.toBeNull();
    expect(doc.querySelectorAll('figure[data-chart="confusion"] svg .cell')).toHaveLength(9);
    const text = doc.body.textContent ?? '';
    expect(text).toContain('5 folds (stratified), seed 42');
    expect(text).toContain('2026-01-02 03:04 UTC');
    expect(text).toContain('model ran on cpu · kernels: CPU · tfjs: cpu');
    expect(text).toMatch(/GaussianNB/); // the comparison verdict
    expect(doc.querySelector('a.link')?.getAttribute('href')).toBe(link);
    expect(doc.querySelector('code.changed')?.textContent).toBe('C');
    expect(text).toContain('StandardScaler');
  });
});

describe('artifactFromFiles', () => {
  it('takes one .benchtop file alone, or a .json with its .bin, and says what is missing otherwise', async () => {
    const bundle = new Uint8Array([66, 84, 77, 79, 68, 69, 76, 0, 1]);
    expect(await artifactFromFiles([picked('m.benchtop', bundle)])).toEqual({ json: bundle });
    const parts = await artifactFromFiles([
      picked('m.bin', bundle),
      picked('m.json', new TextEncoder().encode('{}')),
    ]);
    expect(parts).toEqual({ json: '{}', weights: bundle });
    await expect(artifactFromFiles([picked('m.json', bundle)])).rejects.toMatchObject({
      detail: { hint: expect.stringContaining('.bin weights file') },
    });
    await expect(artifactFromFiles([picked('a.json', bundle), picked('b.json', bundle)])).rejects.toThrow(
      'Cannot import a.json, b.json as a model.',
    );
  });
});

describe('model-export store', { timeout: 60_000 }, () => {
  it('scores, keeps the last good report on a bad file, and loads a file to score without selecting it', async () => {
    const e = engine();
    const train = await e.loadSample('iris');
    const model = await e.deployModel(train.id, {
      notebook,
      target: 'target',
      model: { name: 'LogisticRegression', params: {} },
    });
    const adopted: DatasetInfo[] = [];
    let n = 0;
    const store = createRoot(() =>
      createModelExportStore(
        { api: e },
        {
          startJob<T>(_label: string, run: (job: JobOptions) => Promise<T>) {
            const id = `j${++n}`;
            return { id, promise: run({ id }), cancel: () => void e.cancel(id) };
          },
          adopt: (info) => adopted.push(info),
        },
      ),
    );
    const report = await store.score(model.id, train);
    expect(report?.scored).toBe(150);
    expect(store.state.score.report?.rows).toBe(150);
    expect(store.state.score.busy).toBeNull();
    expect(report!.columns.flatMap(driftNotes)).toEqual([]);

    const csv = 'sepal length (cm),sepal width (cm),petal length (cm)\n5.1,3.5,1.4\n6.2,2.9,4.3\n';
    const file = new File([csv], 'no-petal-width.csv', { type: 'text/csv' });
    const info = await store.loadFile(file);
    expect(info?.name).toBe('no-petal-width.csv');
    expect(adopted.map((d) => d.id)).toEqual([info!.id]);
    expect(await store.score(model.id, info!)).toBeNull();
    expect(store.state.score.error?.message).toBe(
      'no-petal-width.csv is missing a column the model needs: "petal width (cm)".',
    );
    // The previous report stays; the models and datasets too.
    expect(store.state.score.report?.datasetId).toBe(train.id);
    expect((await e.deployedModels()).map((m) => m.id)).toEqual([model.id]);

    const csvBytes = await store.predictionsCsv('model', model.id, train);
    expect(new TextDecoder().decode(csvBytes!).split('\n')[0]).toMatch(/,prediction,probability_setosa,/);
    expect(store.state.model.error).toBeNull();
  });
});

describe('model-export store: the Dask script', { timeout: 60_000 }, () => {
  it('returns the script, or shows why the run cannot go to Dask (each step and model by name) and downloads nothing', async () => {
    const e = engine();
    const data = await e.loadSample('iris');
    let n = 0;
    const store = createRoot(() =>
      createModelExportStore(
        { api: e },
        {
          startJob<T>(_label: string, run: (job: JobOptions) => Promise<T>) {
            const id = `j${++n}`;
            return { id, promise: run({ id }), cancel: () => void e.cancel(id) };
          },
          adopt: () => undefined,
        },
      ),
    );
    const base = {
      notebook,
      target: 'target',
      split: { kind: 'kfold' as const, k: 3 },
      seed: 0,
      dataFile: 'iris.csv',
    };
    const script = await store.daskScript(data.id, {
      ...base,
      models: [{ name: 'HistGradientBoostingClassifier', params: {} }],
    });
    expect(script).toMatch(/xgboost\.dask\.DaskXGBClassifier/);
    expect(store.state.model.error).toBeNull();

    const refused = await store.daskScript(data.id, {
      ...base,
      notebook: {
        ...notebook,
        steps: [...notebook.steps, { id: 'k', step: 'KNNImputer', params: {}, enabled: true }],
      },
      models: [{ name: 'DecisionTreeClassifier', params: {} }],
    });
    expect(refused).toBeNull();
    expect(store.state.model.error?.message).toBe(
      'The Dask export cannot reproduce KNNImputer (every imputation searches all training rows for neighbours); DecisionTreeClassifier (one exact CART tree needs every training row in one place).',
    );
    expect(store.state.model.error?.hint).toMatch(/nothing is approximated silently/);
  });
});

describe('model-export store: what the Python script cannot reproduce, before download', {
  timeout: 60_000,
}, () => {
  it('is empty for a script that reproduces the run and names an approximate step', async () => {
    const e = engine();
    const data = await e.loadSample('iris');
    const store = createRoot(() =>
      createModelExportStore(
        { api: e },
        {
          startJob<T>(_label: string, run: (job: JobOptions) => Promise<T>) {
            return { id: 'j', promise: run({ id: 'j' }), cancel: () => undefined };
          },
          adopt: () => undefined,
        },
      ),
    );
    const model = { name: 'LogisticRegression', params: {} };
    expect(await store.pythonIssues(data.id, { notebook, model, target: 'target' })).toEqual([]);
    const svd = {
      ...notebook,
      steps: [
        ...notebook.steps,
        { id: 'svd', step: 'TruncatedSVD', params: { n_components: 2 }, enabled: true },
      ],
    };
    const issues = await store.pythonIssues(data.id, { notebook: svd, model, target: 'target' });
    expect(issues.map((i) => [i.severity, i.name])).toEqual([['approximate', 'TruncatedSVD']]);
    expect(issues[0]!.message).toMatch(/numpy's generator/);
  });
});
