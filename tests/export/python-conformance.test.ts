/**
 * Python export conformance: for EVERY registered step and model, the generated script runs with
 * Debian's python3 + pandas + scikit-learn and reproduces Benchtop. For a step: each fold's
 * feature names are Benchtop's, and the first fold's model input (training and test matrices)
 * equals Benchtop's — to 1e-6 for deterministic steps, by column correlation for steps that draw
 * random numbers — and LogisticRegression's CV accuracy agrees. For a model: its CV metrics agree
 * (tighter for deterministic models). Plus the data formats and the group column of a split.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Table, tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { prepareFold, splitRun } from '../../src/analysis/experiment/prepare';
import { MODELS } from '../../src/models/registry';
import { STEPS } from '../../src/pipeline/registry';
import type { EngineApi, PythonExportSpec, SplitSpec, TrainTask } from '../../src/protocol/api';
import type { Notebook, StepSpec } from '../../src/spec/notebook';
import { createNodeEngine } from '../../workers/engine.node';
import { messyCsv } from '../engine/train-messy-data';
import { PYTHON } from './python-env';

const HAS_PYARROW =
  PYTHON !== null && spawnSync(PYTHON, ['-c', 'import pyarrow'], { stdio: 'ignore' }).status === 0;

const enc = new TextEncoder();
const dir = mkdtempSync(join(tmpdir(), 'benchtop-py-conf-'));

/** 150 rows: numbers with gaps (x, z correlated with x), whole numbers, a category with gaps, free
 * text, dates, a flag, a binary class target and a group column. */
function mixedCsv(): string {
  const lines = ['x,y,z,cat,word,day,flag,site,target'];
  for (let i = 0; i < 150; i++) {
    const x = i % 13 === 3 ? '' : ((i * 37) % 101) / 10 + 0.5;
    const z = i % 17 === 5 ? '' : Number(x || 5) * 0.8 + ((i * 7) % 11) / 5 + 1;
    const cat = i % 19 === 7 ? '' : ['red', 'green', 'blue'][(i * 5) % 3];
    const word = `${['alpha', 'beta beta', 'gamma delta epsilon'][i % 3]} ${i % 7}`;
    const day = `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 3) % 28)).padStart(2, '0')}`;
    const target = Number(x || 5) + (i % 4) > 6 !== (i % 9 === 0) ? 'b' : 'a';
    lines.push(`${x},${(i * 13) % 21},${z},${cat},${word},${day},${i % 3 === 0},${i % 10},${target}`);
  }
  return lines.join('\n');
}

/** Parameters for steps whose defaults do nothing useful here, or that need a column named. */
const EXAMPLE: Record<string, StepSpec['params']> = {
  CastType: { column: 'y', to: 'text' },
  DropColumns: { columns: ['x'] },
  DropDuplicates: { subset: ['cat', 'word'] },
  FilterRows: { expression: 'cat != "red" and y >= 3 or x is missing' },
  DerivedColumn: { name: 'x2', expression: 'x * 2 + log(z) - `y` ^ 0.5' },
  RenameColumn: { column: 'x', new_name: 'x_renamed' },
  SelectKBest: { target: 'target', k: 2 },
  // Unshuffled cross-fitting folds are Benchtop's exactly (shuffled ones come from numpy's generator).
  TargetEncoder: { target: 'target', columns: ['cat'], shuffle: false },
  MarkMissing: { values: 'red, 7' },
  OneHotEncoder: { handle_unknown: 'ignore' },
  VarianceThreshold: { threshold: 10 },
  CorrelationFilter: { threshold: 0.5 },
  PCA: { n_components: 2 },
  KBinsDiscretizer: { n_bins: 3 },
  OutlierFilter: { method: 'zscore', threshold: 1.5 },
};
/** Steps that draw random numbers: their output agrees by correlation, not value by value. */
const RANDOM_STEPS = new Set(['IsolationForest', 'TruncatedSVD']);
/** Steps whose ties (equally near neighbours, frequent with whole-number columns) numpy and
 * Benchtop break differently: compared by correlation too (tests/pipeline/parity holds them to
 * sklearn's exact values on tie-free data). */
const TIES = new Set(['KNNImputer', 'LocalOutlierFactor']);
/** Steps that work on missing values themselves: no imputation before them. */
const MISSING_STEPS = new Set(['SimpleImputer', 'KNNImputer', 'MissingIndicator', 'MarkMissing']);

const step = (id: string, name: string, params: StepSpec['params'] = {}): StepSpec => ({
  id,
  step: name,
  params,
  enabled: true,
});

function notebookFor(name: string): Notebook {
  const steps = [
    ...(MISSING_STEPS.has(name) ? [] : [step('pre', 'SimpleImputer', { strategy: 'median' })]),
    step('under', name, EXAMPLE[name] ?? {}),
    step('post', 'SimpleImputer', { strategy: 'median' }),
  ];
  return { version: 1, seed: 0, dataset: null, target: 'target', steps };
}

interface ScriptOutput {
  metrics: Record<string, number>;
  folds: Record<string, number>[];
  rows: number;
}
interface Dump {
  features: string[][];
  Xtr: (number | null)[][];
  Xte: (number | null)[][];
}

function runScript(script: string, data: string, name: string): { out: ScriptOutput; dump: Dump } {
  const file = join(dir, `${name}.py`);
  const dumpFile = join(dir, `${name}.dump.json`);
  writeFileSync(file, script);
  const res = spawnSync(PYTHON!, [file, data], {
    encoding: 'utf8',
    env: { ...process.env, BENCHTOP_DUMP: dumpFile, PYTHONWARNINGS: 'ignore' },
  });
  if (res.status !== 0) throw new Error(`${name}: the script failed:\n${res.stderr}`);
  return {
    out: JSON.parse(res.stdout) as ScriptOutput,
    dump: JSON.parse(readFileSync(dumpFile, 'utf8')) as Dump,
  };
}

/** Benchtop's model input per fold, by the same code a run uses. */
async function benchtopFolds(table: Table, spec: PythonExportSpec, task: TrainTask) {
  const signal = new AbortController().signal;
  const ctx = { table, dataKey: 'conformance', compute: null, signal };
  const { folds, inputs } = await splitRun(ctx, spec, task);
  const out = [];
  for (const [f, fold] of folds.entries()) out.push(await prepareFold(inputs, fold, f));
  return out;
}

function matrixRows(m: { data: Float64Array; rows: number; cols: number }): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return aa === 0 && bb === 0 ? 1 : ab / Math.sqrt(aa * bb);
}

function expectSameMatrix(ours: number[][], theirs: (number | null)[][], exact: boolean, what: string): void {
  expect(theirs.length, `${what}: rows`).toBe(ours.length);
  const cols = ours[0]?.length ?? 0;
  for (let j = 0; j < cols; j++) {
    const a = ours.map((r) => r[j]!);
    const b = theirs.map((r) => r[j] ?? Number.NaN);
    if (exact) {
      a.forEach((v, i) => {
        const tolerance = 1e-6 * Math.max(1, Math.abs(v));
        expect(Math.abs(v - b[i]!), `${what}: row ${i}, column ${j}: ${v} vs ${b[i]}`).toBeLessThanOrEqual(
          tolerance,
        );
      });
    } else {
      const flags = [...a, ...b].every((v) => v === 0 || v === 1);
      if (flags) {
        // An outlier flag: the same on (nearly) every row.
        const same = a.filter((v, i) => v === b[i]).length / a.length;
        expect(same, `${what}: column ${j}, share of equal flags`).toBeGreaterThan(0.7);
      } else {
        // Components and scores, possibly with the other sign.
        expect(Math.abs(pearson(a, b)), `${what}: column ${j}`).toBeGreaterThan(0.8);
      }
    }
  }
}

async function loadCsv(engine: EngineApi, csv: string, name: string) {
  const file = join(dir, name);
  writeFileSync(file, csv);
  const info = await engine.loadBytes(enc.encode(csv), name);
  // The table exactly as the engine holds it (types in the field metadata survive IPC).
  const table = tableFromIPC(await engine.rows(info.id, 0, info.rows));
  return { info, file, table };
}

// These three run only where a python3 with scikit-learn and pandas exists (CI installs Debian's):
// without one there is nothing to run the generated scripts on.
describe.skipIf(!PYTHON)('Python export of every step', { timeout: 120_000 }, () => {
  const engine = createNodeEngine();
  const data = loadCsv(engine, mixedCsv(), 'mixed.csv');
  const split: SplitSpec = { kind: 'stratified-kfold', k: 3 };
  for (const name of STEPS.keys()) {
    it(`${name}: the script's features and model input are Benchtop's`, async () => {
      const { info, file, table } = await data;
      const notebook = notebookFor(name);
      const spec: PythonExportSpec = {
        notebook,
        target: 'target',
        split,
        seed: 5,
        model: { name: 'LogisticRegression', params: {} },
        csvFile: 'mixed.csv',
      };
      expect(await engine.pythonExportIssues(info.id, spec)).toEqual(
        RANDOM_STEPS.has(name) ? [expect.objectContaining({ severity: 'approximate', name })] : [],
      );
      const script = await engine.exportPython(info.id, spec);
      const { out, dump } = runScript(script, file, name);
      const ours = await benchtopFolds(table, spec, 'classification');
      expect(dump.features).toEqual(ours.map((f) => f.plan.features));
      const exact = !RANDOM_STEPS.has(name) && !TIES.has(name);
      expectSameMatrix(matrixRows(ours[0]!.data.Xtr), dump.Xtr, exact, `${name} train`);
      expectSameMatrix(matrixRows(ours[0]!.data.Xte), dump.Xte, exact, `${name} test`);
      const run = await engine.trainModels(info.id, { ...spec, models: [spec.model] });
      expect(out.rows).toBe(run.rows);
      const tolerance = exact ? 0.03 : 0.1;
      expect(Math.abs(out.metrics.accuracy! - run.models[0]!.metrics.accuracy!.mean)).toBeLessThanOrEqual(
        tolerance,
      );
    });
  }
});

const sample = (name: string) => fileURLToPath(new URL(`../../public/samples/${name}.csv`, import.meta.url));

/** Deterministic models: within 2 pp (classification), 2% relative (regression); random ones looser. */
const MODEL_CASES: Record<
  string,
  { sample: string; task: TrainTask; params?: Record<string, unknown>; metric: string }
> = {};
for (const m of MODELS.values()) {
  const task = m.tasks[0]!;
  MODEL_CASES[m.name] =
    task === 'classification'
      ? { sample: 'iris', task, metric: 'accuracy' }
      : task === 'regression'
        ? { sample: 'diabetes', task, metric: 'r2' }
        : {
            sample: 'iris',
            task,
            metric: 'silhouette',
            params: m.name === 'KMeans' ? { n_clusters: 3 } : { eps: 0.8 },
          };
}
// Smaller than the defaults, so the suite stays quick on a loaded 2-core machine.
const SMALLER: Record<string, Record<string, unknown>> = {
  HistGradientBoostingClassifier: { max_iter: 20 },
  HistGradientBoostingRegressor: { max_iter: 20 },
  RandomForestClassifier: { n_estimators: 30 },
  RandomForestRegressor: { n_estimators: 30 },
  MLPClassifier: { hidden_layer_sizes: '16', max_iter: 100 },
  MLPRegressor: { hidden_layer_sizes: '16', max_iter: 400, learning_rate_init: 0.05 },
};
for (const [name, params] of Object.entries(SMALLER)) MODEL_CASES[name]!.params = params;
const RANDOM_MODELS = new Set([
  'DecisionTreeClassifier',
  'DecisionTreeRegressor',
  'RandomForestClassifier',
  'RandomForestRegressor',
  'MLPClassifier',
  'MLPRegressor',
  'KMeans',
]);

// Needs python3 with scikit-learn and pandas to run the scripts (see above).
describe.skipIf(!PYTHON)('Python export of every model', { timeout: 180_000 }, () => {
  const engine = createNodeEngine();
  for (const [name, c] of Object.entries(MODEL_CASES)) {
    it(`${name}: the script's CV ${c.metric} is Benchtop's`, async () => {
      const info = await engine.loadSample(c.sample);
      const target = c.task === 'clustering' ? null : 'target';
      const notebook: Notebook = {
        version: 1,
        seed: 0,
        dataset: null,
        target,
        steps: [step('sc', 'StandardScaler')],
      };
      const split: SplitSpec =
        c.task === 'classification' ? { kind: 'stratified-kfold', k: 5 } : { kind: 'kfold', k: 5 };
      const features =
        c.task === 'clustering'
          ? ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)']
          : null;
      const model = { name, params: (c.params ?? {}) as Record<string, never> };
      const spec: PythonExportSpec = {
        notebook,
        target,
        task: c.task,
        features,
        split,
        seed: 2,
        model,
        csvFile: `${c.sample}.csv`,
      };
      const run = await engine.trainModels(info.id, { ...spec, models: [model] });
      const { out } = runScript(await engine.exportPython(info.id, spec), sample(c.sample), name);
      const ours = run.models[0]!.metrics[c.metric]!.mean;
      const theirs = out.metrics[c.metric]!;
      const random = RANDOM_MODELS.has(name);
      // R²: relative, but at least an absolute margin (an R² near 0 has no useful relative scale).
      const tolerance =
        c.metric === 'r2'
          ? Math.max((random ? 0.2 : 0.02) * Math.abs(theirs), random ? 0.05 : 0.01)
          : random
            ? 0.08
            : 0.02;
      expect(Math.abs(ours - theirs), `${c.metric}: ours ${ours}, sklearn ${theirs}`).toBeLessThanOrEqual(
        tolerance,
      );
    });
  }
});

// Needs python3 with scikit-learn and pandas to run the scripts (see above).
describe.skipIf(!PYTHON)('Python export: data formats and split columns', { timeout: 120_000 }, () => {
  const steps = [
    step('imp', 'SimpleImputer'),
    step('mm', 'MarkMissing', { values: '.' }),
    step('ohe', 'OneHotEncoder', { handle_unknown: 'ignore' }),
  ];
  const spec: PythonExportSpec = {
    notebook: { version: 1, seed: 0, dataset: null, target: 'survived', steps },
    target: 'survived',
    split: { kind: 'stratified-kfold', k: 5 },
    seed: 3,
    model: { name: 'LogisticRegression', params: {} },
    csvFile: 'passengers',
  };
  const records = () => {
    const [head, ...rows] = messyCsv().split('\n');
    const names = head!.split(',');
    return rows.map((r) =>
      Object.fromEntries(
        r.split(',').map((v, j) => [names[j]!, v === '' ? null : /^\d+$/.test(v) ? Number(v) : v]),
      ),
    );
  };

  it('reads CSV, JSON and NDJSON as Benchtop loaded them, with the same metrics', async () => {
    const engine = createNodeEngine();
    const files: [string, string][] = [
      ['passengers.csv', messyCsv()],
      ['passengers.json', JSON.stringify({ source: 'test', rows: records() })],
      [
        'passengers.ndjson',
        records()
          .map((r) => JSON.stringify(r))
          .join('\n'),
      ],
    ];
    const accuracy: number[] = [];
    for (const [name, text] of files) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const info = await engine.loadBytes(enc.encode(text), name);
      const run = await engine.trainModels(info.id, { ...spec, models: [spec.model] });
      const script = await engine.exportPython(info.id, { ...spec, csvFile: name });
      expect(script).toContain(`FORMAT = "${name.split('.')[1]}"`);
      const { out } = runScript(script, file, name.replace('.', '-'));
      expect(Math.abs(out.metrics.accuracy! - run.models[0]!.metrics.accuracy!.mean)).toBeLessThanOrEqual(
        0.02,
      );
      accuracy.push(out.metrics.accuracy!);
    }
    expect(new Set(accuracy).size).toBe(1);
  });

  it('Parquet: says before download that pyarrow is needed, and the script says so too', async () => {
    const engine = createNodeEngine();
    const csv = await engine.loadBytes(enc.encode(messyCsv()), 'passengers.csv');
    const bytes = await engine.exportDataset(csv.id, 'parquet');
    const file = join(dir, 'passengers.parquet');
    writeFileSync(file, bytes);
    const info = await engine.loadBytes(bytes, 'passengers.parquet');
    const issues = await engine.pythonExportIssues(info.id, spec);
    expect(issues).toEqual([
      expect.objectContaining({ severity: 'requires', kind: 'data', name: 'parquet' }),
    ]);
    const script = await engine.exportPython(info.id, { ...spec, csvFile: 'passengers.parquet' });
    const res = spawnSync(PYTHON!, ['-c', script.replace('if __name__ == "__main__":', 'if False:'), file]);
    expect(res.status).toBe(0); // the script itself is valid Python
    const full = join(dir, 'parquet.py');
    writeFileSync(full, script);
    const ran = spawnSync(PYTHON!, [full, file], { encoding: 'utf8' });
    if (HAS_PYARROW) expect(ran.status).toBe(0);
    else {
      expect(ran.status).not.toBe(0);
      expect(ran.stderr).toMatch(/pyarrow or fastparquet, and neither is installed/);
    }
  });

  it('never puts the target or the split group into the features (export without explicit features)', async () => {
    const engine = createNodeEngine();
    const { info, file } = await loadCsv(engine, mixedCsv(), 'mixed-group.csv');
    const grouped: PythonExportSpec = {
      notebook: {
        version: 1,
        seed: 0,
        dataset: null,
        target: 'target',
        steps: [step('imp', 'SimpleImputer')],
      },
      target: 'target',
      split: { kind: 'group-kfold', k: 5, group: 'site' },
      seed: 1,
      model: { name: 'LogisticRegression', params: {} },
      csvFile: 'mixed-group.csv',
    };
    const run = await engine.trainModels(info.id, { ...grouped, models: [grouped.model] });
    expect(run.features).not.toContain('site');
    const { out, dump } = runScript(await engine.exportPython(info.id, grouped), file, 'group');
    for (const f of dump.features) expect(f).toEqual(run.features);
    expect(Math.abs(out.metrics.accuracy! - run.models[0]!.metrics.accuracy!.mean)).toBeLessThanOrEqual(0.02);
  });
});
