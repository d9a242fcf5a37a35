/**
 * Scoring new data with a deployed model (src/analysis/score/score.ts) in Node through the in-process
 * engine: drift counts per column on planted values, PSI near zero on the training rows and large
 * on shifted ones, a dataset without a required column refused by name (nothing else lost), the
 * predictions CSV equal to benchtop-runtime's own predictions, chunking that changes nothing, and
 * cancel.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DeployedModels } from '../../src/analysis/deploy/deployed';
import { scoreDataset } from '../../src/analysis/score/score';
import type { EngineError } from '../../src/core/errors';
import { loadArtifact } from '../../src/runtime/index';
import type { Notebook } from '../../src/spec/notebook';
import { createNodeEngine } from '../../workers/engine.node';

const NUMERIC = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];
const notebook: Notebook = {
  version: 1,
  seed: 5,
  dataset: null,
  target: 'target',
  steps: [
    { id: 'a', step: 'SimpleImputer', params: { columns: NUMERIC }, enabled: true },
    {
      id: 'b',
      step: 'OneHotEncoder',
      params: { columns: ['site'], handle_unknown: 'ignore' },
      enabled: true,
    },
    { id: 'c', step: 'StandardScaler', params: {}, enabled: true },
  ],
};
const spec = { notebook, target: 'target', model: { name: 'LogisticRegression', params: {} } };

/** iris_missing's header and its rows with no missing value (so every planted value is the only one). */
async function completeRows(): Promise<{ header: string[]; rows: string[][] }> {
  const text = await readFile(new URL('../../public/samples/iris_missing.csv', import.meta.url), 'utf8');
  const [head, ...lines] = text.trim().split('\n');
  const rows = lines.map((l) => l.split(',')).filter((r) => r.every((v) => v !== '' && !/^(NA|\?)$/.test(v)));
  return { header: head!.split(','), rows };
}

function csv(header: string[], rows: string[][]): Uint8Array {
  return new TextEncoder().encode([header, ...rows].map((r) => r.join(',')).join('\n'));
}

async function deployed() {
  const engine = createNodeEngine();
  const train = await engine.loadSample('iris_missing');
  const model = await engine.deployModel(train.id, spec);
  return { engine, train, model };
}

describe('scoreDataset', () => {
  it('counts planted out-of-range, unseen, wrong-type and missing values per column', async () => {
    const { engine, model } = await deployed();
    const { header, rows } = await completeRows();
    const col = (name: string) => header.indexOf(name);
    const planted = rows.slice(0, 40).map((r) => [...r]);
    planted[0]![col('sepal length (cm)')] = '99';
    planted[1]![col('sepal length (cm)')] = '-5';
    planted[2]![col('site')] = 'moon base';
    planted[3]![col('site')] = 'moon base';
    planted[4]![col('site')] = 'mars';
    planted[5]![col('sepal width (cm)')] = 'abc';
    for (const i of [6, 7, 8]) planted[i]![col('petal width (cm)')] = '';
    const data = await engine.loadBytes(csv(header, planted), 'planted.csv');

    const report = await engine.scoreDataset(model.id, data.id);
    const by = Object.fromEntries(report.columns.map((c) => [c.column, c]));
    expect(report.rows).toBe(40);
    // Every missing value here is imputed and every odd value still scored.
    expect(report.scored).toBe(40);
    expect(by['sepal length (cm)']).toMatchObject({ outOfRange: 2, wrongType: 0, missing: 0 });
    expect(by['sepal length (cm)']!.examples).toEqual(['99', '-5']);
    expect(by.site).toMatchObject({ unseenCategory: 3, missing: 0, examples: ['moon base', 'mars'] });
    expect(by['sepal width (cm)']).toMatchObject({ wrongType: 1, missing: 0, examples: ['abc'] });
    expect(by['petal width (cm)']).toMatchObject({ missing: 3, missingPolicy: 'imputed', wrongType: 0 });
    expect(by['petal length (cm)']).toMatchObject({
      missing: 0,
      wrongType: 0,
      outOfRange: 0,
      unseenCategory: 0,
    });
    expect(report.ignoredColumns).toEqual(['measured_on']);
    expect(report.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(report.classCounts!.reduce((s, k) => s + k, 0)).toBe(40);
    expect(report.preview).toHaveLength(20);
    expect(report.preview[0]!.values['sepal length (cm)']).toBe(99);
    expect(report.preview[2]!.values.site).toBe('moon base');
    // The preview is the runtime's own answer for those rows.
    const { json, weights } = await engine.deployedArtifact(model.id);
    const direct = await loadArtifact(json, weights).predict(engine.table(data.id));
    expect(report.preview.map((p) => p.prediction)).toEqual(direct.predictions.slice(0, 20));
    expect(report.preview.map((p) => p.probabilities)).toEqual(direct.probabilities!.slice(0, 20));
  });

  it('PSI is near zero on the training rows and flags a shifted column', async () => {
    const { engine, train, model } = await deployed();
    const same = await engine.scoreDataset(model.id, train.id);
    for (const c of same.columns) {
      expect(c.psi).not.toBeNull();
      expect(c.psi!).toBeLessThan(0.01);
      expect(c.shift).toBe('stable');
    }
    const { header, rows } = await completeRows();
    const k = header.indexOf('petal length (cm)');
    const shifted = rows.map((r) => r.map((v, j) => (j === k ? String(Number(v) + 2.5) : v)));
    const data = await engine.loadBytes(csv(header, shifted), 'shifted.csv');
    const report = await engine.scoreDataset(model.id, data.id);
    const petal = report.columns.find((c) => c.column === 'petal length (cm)')!;
    expect(petal.shift).toBe('shifted');
    expect(petal.psi!).toBeGreaterThan(0.25);
    expect(report.columns.find((c) => c.column === 'sepal width (cm)')!.shift).not.toBe('shifted');
  });

  it('refuses a dataset without a required column by name, and keeps every model and dataset', async () => {
    const { engine, train, model } = await deployed();
    const { header, rows } = await completeRows();
    const drop = new Set([header.indexOf('petal width (cm)'), header.indexOf('site')]);
    const data = await engine.loadBytes(
      csv(
        header.filter((_, j) => !drop.has(j)),
        rows.map((r) => r.filter((_, j) => !drop.has(j))),
      ),
      'partial.csv',
    );
    const err = (await engine.scoreDataset(model.id, data.id).catch((e: unknown) => e)) as EngineError;
    expect(err.name).toBe('SchemaError');
    expect(err.message).toBe('partial.csv is missing columns the model needs: "petal width (cm)", "site".');
    expect(err.detail.hint).toContain('sepal length (cm), sepal width (cm)');
    await expect(engine.predictionsCsv(model.id, data.id)).rejects.toMatchObject({ name: 'SchemaError' });
    expect((await engine.deployedModels()).map((m) => m.id)).toEqual([model.id]);
    expect((await engine.datasets()).map((d) => d.id)).toEqual([train.id, data.id]);
  });

  it('chunked scoring equals one pass, and a cancelled job stops', async () => {
    const { engine, train, model } = await deployed();
    const { json, weights } = await engine.deployedArtifact(model.id);
    const models = new DeployedModels();
    const info = models.add(json, weights, 'imported', null, null);
    const table = engine.table(train.id);
    const options = (chunkRows: number) => ({
      signal: new AbortController().signal,
      progress: () => undefined,
      datasetName: 'iris',
      chunkRows,
      previewRows: 150,
    });
    const ids = { modelId: info.id, datasetId: train.id };
    const whole = await scoreDataset(models.get(info.id), table, ids, options(1000));
    const chunked = await scoreDataset(models.get(info.id), table, ids, options(7));
    expect({ ...chunked, ms: 0 }).toEqual({ ...whole, ms: 0 });

    const aborted = new AbortController();
    aborted.abort();
    await expect(
      scoreDataset(models.get(info.id), table, ids, { ...options(7), signal: aborted.signal }),
    ).rejects.toMatchObject({ name: 'Cancelled' });
    const job = { id: 'score-1', onProgress: () => void engine.cancel('score-1') };
    await expect(engine.scoreDataset(model.id, train.id, job)).rejects.toMatchObject({ name: 'Cancelled' });
  });
});

describe('predictionsCsv', () => {
  it('is every input row with the runtime prediction and one probability column per class', async () => {
    const { engine, train, model } = await deployed();
    const bytes = await engine.predictionsCsv(model.id, train.id);
    const [head, ...lines] = new TextDecoder().decode(bytes).trim().split('\n');
    const names = head!.split(',');
    const input = engine.table(train.id).schema.fields.map((f) => f.name);
    expect(names).toEqual([
      ...input,
      'prediction',
      'probability_setosa',
      'probability_versicolor',
      'probability_virginica',
    ]);
    expect(lines).toHaveLength(150);
    const { json, weights } = await engine.deployedArtifact(model.id);
    const direct = await loadArtifact(json, weights).predict(engine.table(train.id));
    const cells = lines.map((l) => l.split(',').slice(-4));
    expect(cells.map((c) => c[0])).toEqual(direct.predictions);
    expect(cells.map((c) => c.slice(1))).toEqual(direct.probabilities!.map((p) => p!.map(String)));
  });

  it('leaves a row the model cannot score empty, and numbers a clashing column name', async () => {
    const engine = createNodeEngine();
    const ds = await engine.loadSample('diabetes');
    const model = await engine.deployModel(ds.id, {
      notebook: { ...notebook, steps: [] },
      target: 'target',
      model: { name: 'Ridge', params: {} },
    });
    const text = await readFile(new URL('../../public/samples/diabetes.csv', import.meta.url), 'utf8');
    const [head, ...lines] = text.trim().split('\n');
    const bmi = head!.split(',').indexOf('bmi');
    const rows = lines.slice(0, 5).map((l) => l.split(','));
    rows[2]![bmi] = '';
    const withClash = [`${head},prediction`, ...rows.map((r) => `${r.join(',')},x`)].join('\n');
    const data = await engine.loadBytes(new TextEncoder().encode(withClash), 'new.csv');
    const out = new TextDecoder()
      .decode(await engine.predictionsCsv(model.id, data.id))
      .trim()
      .split('\n');
    expect(out[0]!.endsWith(',prediction,prediction_2')).toBe(true);
    const last = out.slice(1).map((l) => l.split(',').at(-1));
    expect(last[2]).toBe('');
    expect(last.filter((v) => v !== '' && Number.isFinite(Number(v)))).toHaveLength(4);
  });
});

describe('artifactBundle and importing a .benchtop file', () => {
  it('imports the single file a download gives, and refuses a damaged one leaving the rest', async () => {
    const { engine, train, model } = await deployed();
    const bundle = await engine.artifactBundle(model.id);
    const imported = await engine.importArtifact(bundle);
    expect(imported.source).toBe('imported');
    const a = await engine.scoreDataset(model.id, train.id);
    const b = await engine.scoreDataset(imported.id, train.id);
    expect(b.preview).toEqual(a.preview);
    const damaged = bundle.slice(0, bundle.length - 10);
    await expect(engine.importArtifact(damaged)).rejects.toMatchObject({
      name: 'ParseError',
      message: expect.stringContaining('corrupted'),
    });
    expect((await engine.deployedModels()).map((m) => m.id)).toEqual([model.id, imported.id]);
  });
});
