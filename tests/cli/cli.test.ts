/**
 * The `benchtop` command in-process (main() with captured streams): arguments and exit codes
 * (0 ok, 1 a named run failure, 2 bad arguments), the outputs of run/score/export, and — the
 * point of the command — the same metrics as the in-process engine for the same link and data.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { unpackBundle } from '../../src/runtime/bundle';
import { encodeNotebookLink } from '../../src/spec/link';
import type { Notebook } from '../../src/spec/notebook';
import { createNodeEngine } from '../../workers/engine.node';

const SAMPLES = fileURLToPath(new URL('../../public/samples/', import.meta.url));

function capture(cwd: string, tty = false) {
  const streams = { out: '', err: '' };
  const io = {
    stdout: {
      write: (s: string) => {
        streams.out += s;
        return true;
      },
    },
    stderr: {
      write: (s: string) => {
        streams.err += s;
        return true;
      },
      isTTY: tty,
      columns: 120,
    },
    cwd,
  };
  return { io, streams };
}

async function cli(argv: string[], cwd = mkdtempSync(join(tmpdir(), 'benchtop-cli-')), tty = false) {
  const { io, streams } = capture(cwd, tty);
  const code = await main(argv, io, () => createNodeEngine());
  return { code, ...streams, cwd };
}

/** The notebook of the tests: cleaning iris_missing, two models, stratified 5-fold, seed 11. */
const NOTEBOOK: Notebook = {
  version: 1,
  title: 'iris cleaning',
  seed: 11,
  dataset: { kind: 'sample', sample: 'iris_missing' },
  target: 'target',
  steps: [
    {
      id: 's0',
      step: 'SimpleImputer',
      params: { strategy: 'median' },
      enabled: true,
      columns: ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'],
    },
    { id: 's1', step: 'StandardScaler', params: {}, enabled: true },
    {
      id: 's2',
      step: 'OneHotEncoder',
      params: { handle_unknown: 'ignore' },
      enabled: true,
      columns: ['site'],
    },
  ],
  train: {
    split: { kind: 'stratified-kfold', k: 5 },
    models: [
      { name: 'LogisticRegression', params: { C: 0.5 } },
      { name: 'HistGradientBoostingClassifier', params: { max_iter: 30 } },
    ],
  },
};

function writeNotebook(dir: string, nb: Notebook = NOTEBOOK): string {
  const file = join(dir, 'notebook.json');
  writeFileSync(file, JSON.stringify(nb, null, 2));
  return file;
}

describe('benchtop: arguments and exit codes', () => {
  it('prints help with --help (exit 0) and without a command (exit 2)', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/benchtop run <notebook\.json \| share link>/);
    expect(help.out).toMatch(/Exit codes: 0 ok, 1 the run failed/);
    const sub = await cli(['run', '--help']);
    expect(sub.code).toBe(0);
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/Usage:/);
  });

  it.each([
    [['frobnicate'], /"frobnicate" is not a command/],
    [['run'], /benchtop run needs <notebook \| link>/],
    [['run', 'notebook.json', '--bogus'], /Unknown option '--bogus'/],
    [['run', 'notebook.json', '--seed', 'abc'], /--seed must be a whole number/],
    [['run', 'missing.json'], /"missing.json" is neither a notebook file nor a share link/],
    [['run', '#nb=v1.@@@'], /The share link is not a notebook Benchtop can open: The link contains "@"/],
    [['run', 'notebook.json', 'no-such-data.csv'], /The data file "no-such-data.csv" does not exist/],
    [['run', 'notebook.json', 'a.csv', 'b.csv'], /"b.csv" is one too many/],
    [['run', 'notebook.json', '--target', 'nope'], /--target "nope" is not a column/],
    [['score', 'model.benchtop'], /benchtop score needs <data file>/],
    [['export', 'notebook.json'], /needs --target dask or --target python/],
    [['export', '--target', 'spark', 'notebook.json'], /--target must be dask or python, not "spark"/],
    [['export', '--target', 'python', 'notebook.json'], /pick one with --model/],
    [['export', '--target', 'dask', '--model', 'SVC', 'notebook.json'], /trains no model called "SVC"/],
  ])('%j is a bad argument: exit 2, the reason and a pointer to --help', async (argv, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'benchtop-cli-'));
    writeNotebook(dir);
    const r = await cli(argv, dir);
    expect(r.err).toMatch(message);
    expect(r.err).toContain('Run "benchtop --help" for usage.');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
  });

  it('a notebook made on a file needs that file named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'benchtop-cli-'));
    writeNotebook(dir, { ...NOTEBOOK, dataset: { kind: 'file', name: 'sales.csv' } });
    const r = await cli(['run', 'notebook.json'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Give the data file (the notebook was made on "sales.csv").');
  });

  it('a run that fails exits 1 with the error named: unreadable data, a failing step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'benchtop-cli-'));
    writeNotebook(dir);
    writeFileSync(join(dir, 'broken.csv'), 'a,b\n1,2\n3,"4\n5,6\n');
    const parse = await cli(['run', 'notebook.json', 'broken.csv'], dir);
    expect(parse.code).toBe(1);
    expect(parse.err).toMatch(/^benchtop: ParseError: .*broken\.csv/m);

    // Mean imputation asked of the categorical "site" (the default picks numeric columns only):
    // the app's error.
    writeNotebook(dir, {
      ...NOTEBOOK,
      steps: [{ id: 'x', step: 'SimpleImputer', params: {}, enabled: true, columns: ['site'] }],
    });
    const step = await cli(['run', 'notebook.json'], dir);
    expect(step.code).toBe(1);
    expect(step.err).toMatch(/^benchtop: SchemaError: Step SimpleImputer \(x\) failed: .*"site"/m);
    expect(step.out).toBe('');
  });
});

describe('benchtop run', () => {
  it('reproduces the in-process engine’s metrics exactly from a share link and the data file', async () => {
    const link = `https://benchtop.example/app/${await encodeNotebookLink(NOTEBOOK)}`;
    const r = await cli(['run', link, join(SAMPLES, 'iris_missing.csv'), '--json']);
    expect(r.err).toMatch(/backend: Node, kernels cpu/);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as {
      models: {
        label: string;
        metrics: Record<string, unknown>;
        foldMetrics: Record<string, number[]>;
        backend: string;
      }[];
      split: unknown;
      features: string[];
      backend: { kernels: string };
    };

    const engine = createNodeEngine();
    const info = await engine.loadBytes(
      new Uint8Array(readFileSync(join(SAMPLES, 'iris_missing.csv'))),
      'iris_missing.csv',
    );
    const app = await engine.trainModels(info.id, {
      notebook: NOTEBOOK,
      target: 'target',
      task: 'classification',
      split: { kind: 'stratified-kfold', k: 5 },
      models: NOTEBOOK.train!.models,
      seed: 11,
    });
    expect(json.split).toEqual(app.split);
    expect(json.features).toEqual(app.features);
    expect(json.models.map((m) => m.label)).toEqual(['LogisticRegression', 'HistGradientBoostingClassifier']);
    json.models.forEach((m, k) => {
      expect(m.metrics).toEqual(app.models[k]!.metrics);
      expect(m.foldMetrics).toEqual(app.models[k]!.foldMetrics);
      expect(m.backend).toBe(app.models[k]!.backend);
    });
    expect(json.backend.kernels).toBe('cpu');
  });

  it("applies the notebook's column types before the steps, as the app does, and names what does not apply", async () => {
    const nb: Notebook = {
      version: 1,
      seed: 5,
      dataset: { kind: 'sample', sample: 'iris' },
      target: 'target',
      steps: [],
      train: {
        split: { kind: 'stratified-kfold', k: 3 },
        models: [{ name: 'LogisticRegression', params: {} }],
      },
      columnTypes: {
        'petal length (cm)': { type: 'categorical' },
        'petal width (cm)': { type: 'categorical' },
        nope: { type: 'integer' },
        'sepal width (cm)': { type: 'date', dateFormat: '%d' },
      },
    };
    const r = await cli(['run', await encodeNotebookLink(nb), '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      'warning: the notebook reads "nope" as integer, but Iris flowers has no such column.',
    );
    expect(r.err).toMatch(
      /warning: the notebook reads "sepal width \(cm\)" as date \(format %d\), which Iris flowers refused: The date format "%d" needs a year/,
    );
    const json = JSON.parse(r.out) as { features: string[]; models: { metrics: unknown }[] };
    expect(json.features).toEqual(['sepal length (cm)', 'sepal width (cm)']);

    const engine = createNodeEngine();
    const info = await engine.loadSample('iris');
    await engine.setColumnType(info.id, 'petal length (cm)', 'categorical');
    await engine.setColumnType(info.id, 'petal width (cm)', 'categorical');
    const app = await engine.trainModels(info.id, {
      notebook: nb,
      target: 'target',
      task: 'classification',
      split: { kind: 'stratified-kfold', k: 3 },
      models: nb.train!.models,
      seed: 5,
    });
    expect(json.models[0]!.metrics).toEqual(app.models[0]!.metrics);
  });

  it('prints the metrics table with intervals, and --seed and --target change the run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'benchtop-cli-'));
    writeNotebook(dir);
    // No data file: the notebook's own sample.
    const r = await cli(['run', 'notebook.json'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^classification of target · 150 rows · 9 features · 5 folds \(stratified\) · seed 11/,
    );
    expect(r.out).toMatch(/LogisticRegression \(C=0\.5\) · ran on cpu/);
    expect(r.out).toMatch(/ {2}accuracy {2,}0\.\d{3} ± 0\.\d{3} {2,}\[0\.\d{3}, [01]\.\d{3}\]/);
    expect(r.err).toMatch(/notebook: 3 steps \(SimpleImputer ok, StandardScaler ok, OneHotEncoder ok\)/);
    const seeded = await cli(['run', 'notebook.json', '--seed', '3', '--json'], dir);
    expect(JSON.parse(seeded.out).seed).toBe(3);
    // "site" has missing values, which the app refuses in a target.
    const targeted = await cli(['run', 'notebook.json', '--target', 'site', '--json'], dir);
    expect(targeted.code).toBe(1);
    expect(targeted.err).toMatch(/SchemaError: The target "site" has missing values/);
  });

  it('--out writes metrics.json and, per model, the artifact, predictions, report and Python script', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'benchtop-cli-'));
    writeNotebook(dir);
    const r = await cli(['run', 'notebook.json', join(SAMPLES, 'iris_missing.csv'), '--out', 'results'], dir);
    expect(r.code).toBe(0);
    const out = join(dir, 'results');
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.models).toHaveLength(2);
    expect(metrics.dataset).toMatchObject({ name: 'iris_missing.csv', rows: 150 });
    expect(metrics.outputs.filter((o: { file: string | null }) => o.file)).toHaveLength(8);

    const bundle = unpackBundle(new Uint8Array(readFileSync(join(out, 'LogisticRegression.benchtop'))));
    expect(JSON.parse(bundle.json).model.name).toBe('LogisticRegression');
    const engine = createNodeEngine();
    const model = await engine.importArtifact(
      new Uint8Array(readFileSync(join(out, 'LogisticRegression.benchtop'))),
    );
    expect(model.metrics?.accuracy).toBeCloseTo(metrics.models[0].metrics.accuracy.mean, 12);

    const csv = readFileSync(join(out, 'LogisticRegression.predictions.csv'), 'utf8').trimEnd().split('\n');
    expect(csv).toHaveLength(151);
    expect(csv[0]).toMatch(/prediction/);
    const html = readFileSync(join(out, 'HistGradientBoostingClassifier.report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('data-testid="report-metrics"');
    expect(html.match(/<svg/g)?.length ?? 0).toBeGreaterThan(1);
    expect(html).toContain('#nb=v2.');
    const py = readFileSync(join(out, 'LogisticRegression.py'), 'utf8');
    expect(py).toMatch(/from sklearn\.linear_model import LogisticRegression/);
    expect(existsSync(join(out, 'HistGradientBoostingClassifier.py'))).toBe(true);
  });

  it('draws a progress bar on a terminal and plain lines elsewhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'benchtop-cli-'));
    writeNotebook(dir, { ...NOTEBOOK, train: { ...NOTEBOOK.train!, models: [NOTEBOOK.train!.models[0]!] } });
    const tty = await cli(['run', 'notebook.json'], dir, true);
    expect(tty.err).toContain('\r\x1b[2K[');
    expect(tty.err).toMatch(/\[#*-*\] +\d+%/);
    const plain = await cli(['run', 'notebook.json'], dir, false);
    expect(plain.err).not.toContain('\r');
    // Progress is throttled (10 reports a second), so which folds get a line depends on speed.
    expect(plain.err).toMatch(/^LogisticRegression · fold [1-5]\/5 \(\d+%\)$/m);
  });
});

describe('benchtop score', () => {
  it('scores new data with an exported model and reports drift per column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'benchtop-cli-'));
    writeNotebook(dir, { ...NOTEBOOK, train: { ...NOTEBOOK.train!, models: [NOTEBOOK.train!.models[0]!] } });
    expect((await cli(['run', 'notebook.json', '--out', 'm'], dir)).code).toBe(0);
    // New data: iris without the missing values, one column shifted.
    const rows = readFileSync(join(SAMPLES, 'iris.csv'), 'utf8').trimEnd().split('\n');
    const shifted = rows.map((line, i) => {
      if (i === 0) return `${line.replace(/,target$/, '')},site`;
      const cells = line.split(',');
      cells[0] = String(Number(cells[0]) + 3);
      return `${cells.slice(0, -1).join(',')},north meadow`;
    });
    writeFileSync(join(dir, 'new.csv'), `${shifted.join('\n')}\n`);
    const r = await cli(['score', 'm/LogisticRegression.benchtop', 'new.csv', '--out', 'scored'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/scored 150 of 150 rows/);
    expect(r.out).toMatch(/sepal length \(cm\) +float .* shifted/);
    const json = JSON.parse(readFileSync(join(dir, 'scored', 'score.json'), 'utf8'));
    expect(json.columns.find((c: { column: string }) => c.column === 'sepal length (cm)').shift).toBe(
      'shifted',
    );
    expect(
      readFileSync(join(dir, 'scored', 'predictions.csv'), 'utf8')
        .trimEnd()
        .split('\n'),
    ).toHaveLength(151);

    writeFileSync(join(dir, 'not-a-model.benchtop'), 'hello');
    const bad = await cli(['score', 'not-a-model.benchtop', 'new.csv'], dir);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^benchtop: \w+: .*\.benchtop model file/m);
  });
});

describe('benchtop export', () => {
  it('writes the Dask script, and refuses by name what has no faithful distributed form (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'benchtop-cli-'));
    const nb = {
      ...NOTEBOOK,
      steps: NOTEBOOK.steps.map((s) => (s.step === 'SimpleImputer' ? { ...s, params: {} } : s)),
    };
    writeNotebook(dir, nb);
    const ok = await cli(['export', '--target', 'dask', 'notebook.json', '--out', 'dask/run.py'], dir);
    expect(ok.code).toBe(0);
    const script = readFileSync(join(dir, 'dask', 'run.py'), 'utf8');
    expect(script).toMatch(/^#!\/usr\/bin\/env python3/);
    expect(script).toContain('LogisticRegression → sklearn SGDClassifier');
    expect(script).toContain('DATA_FILE = "iris_missing.csv"');
    const python = await cli(
      ['export', '--target', 'python', '--model', 'LogisticRegression', 'notebook.json'],
      dir,
    );
    expect(python.code).toBe(0);
    expect(python.out).toMatch(/from sklearn\.linear_model import LogisticRegression/);

    // The median imputer of NOTEBOOK and a nearest-neighbour model: both named, nothing written.
    writeNotebook(dir, {
      ...NOTEBOOK,
      train: {
        ...NOTEBOOK.train!,
        models: [...NOTEBOOK.train!.models, { name: 'KNeighborsClassifier', params: {} }],
      },
    });
    const refused = await cli(['export', '--target', 'dask', 'notebook.json', '--out', 'refused.py'], dir);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^benchtop: InvalidArgument: The Dask export cannot reproduce /m);
    expect(refused.err).toContain('SimpleImputer(strategy="median")');
    expect(refused.err).toContain('KNeighborsClassifier (every prediction searches all training rows)');
    expect(refused.err).toMatch(/hint: /);
    expect(existsSync(join(dir, 'refused.py'))).toBe(false);
  });
});
