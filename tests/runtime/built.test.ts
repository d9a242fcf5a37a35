/**
 * The BUILT benchtop-runtime (vite.runtime.config.ts, the `npm run build:runtime` build, into a
 * temporary folder): imported as a plain ES module, it loads artifacts the engine exported — as
 * .json + .bin and as one .benchtop file — and reproduces the engine's predictions and
 * probabilities exactly. The bundle holds no UI, Solid or d3 code, and stays within a size budget.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/data/rng';
import { fitForExport } from '../../src/export/artifact';
import { buildDataset } from '../../src/models/model';
import { getModel } from '../../src/models/registry';
import { loadArtifact as loadFromSource } from '../../src/runtime/index';
import type { Notebook } from '../../src/spec/notebook';
import { createNodeEngine } from '../../workers/engine.node';
import { buildRuntime, importRuntime } from '../support/runtime-build';

const outDir = await mkdtemp(join(tmpdir(), 'benchtop-runtime-'));
const started = Date.now();
const built = await buildRuntime(outDir);
const buildMs = Date.now() - started;
const runtime = await importRuntime(built.file);
afterAll(() => rm(outDir, { recursive: true, force: true }));

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const step = (id: string, name: string, params: Record<string, unknown> = {}) => ({
  id,
  step: name,
  params: params as Notebook['steps'][number]['params'],
  enabled: true,
});
const notebook = (steps: Notebook['steps']): Notebook => ({
  version: 1,
  seed: 11,
  dataset: null,
  target: 'target',
  steps,
});
const IRIS = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];

const CASES = [
  {
    sample: 'iris_missing',
    notebook: notebook([
      step('a', 'SimpleImputer', { columns: IRIS }),
      step('b', 'OneHotEncoder', { columns: ['site'], handle_unknown: 'ignore' }),
      step('c', 'StandardScaler'),
    ]),
    model: { name: 'LogisticRegression', params: {} },
  },
  {
    sample: 'wine',
    notebook: notebook([step('a', 'StandardScaler')]),
    model: { name: 'RandomForestClassifier', params: { n_estimators: 20 } },
  },
  { sample: 'breast_cancer', notebook: notebook([]), model: { name: 'GaussianNB', params: {} } },
  {
    sample: 'diabetes',
    notebook: notebook([step('a', 'PCA', { n_components: 5 })]),
    model: { name: 'HistGradientBoostingRegressor', params: { max_iter: 30 } },
  },
] as const;

/** The engine's artifact and its own predictions: the same fit, predicted on its own table. */
async function exported(c: (typeof CASES)[number]) {
  const engine = createNodeEngine();
  const info = await engine.loadSample(c.sample);
  const spec = { notebook: c.notebook, target: 'target', model: c.model };
  const { json, weights } = await engine.exportArtifact(info.id, spec);
  const table = engine.table(info.id);
  const signal = new AbortController().signal;
  const fitted = await fitForExport(table, spec, { dataKey: 'check', compute: null, signal });
  const ctx = { rng: createRng(0), compute: null, signal, progress: () => undefined };
  const { X } = buildDataset(fitted.table, fitted.features, null, 'clustering');
  const codes = await getModel(c.model.name)!.predict(X, fitted.modelState, ctx);
  const expected = Array.from(codes, (v) => (fitted.classes ? fitted.classes[v]! : v));
  return { json, weights, expected, table };
}

describe(`built benchtop-runtime (${kb(built.bytes)} KB, ${kb(built.gzipBytes)} KB gzip, built in ${buildMs} ms)`, () => {
  it('is one self-contained ES module with no UI, Solid, d3 or tfjs code', async () => {
    expect(Object.keys(runtime).sort()).toEqual(
      expect.arrayContaining(['ARTIFACT_FORMAT', 'ARTIFACT_VERSION', 'loadArtifact', 'packBundle']),
    );
    // The file itself, not the sources through vitest's transform.
    expect(runtime.loadArtifact).not.toBe(loadFromSource);
    const ours = built.modules.filter((m) => !m.includes('/node_modules/'));
    expect(ours.length).toBeGreaterThan(10);
    expect(ours.filter((m) => /\/src\/(ui|state|viz)\/|\/workers\/|\.tsx$/.test(m))).toEqual([]);
    const packages = new Set(
      built.modules
        .filter((m) => m.includes('/node_modules/'))
        .map((m) => m.split('/node_modules/').pop()!.split('/')[0]),
    );
    expect(
      [...packages].filter((p) => /^(solid-js|d3.*|@tensorflow|comlink|parquet-wasm)$/.test(p!)),
    ).toEqual([]);
    // A regression guard: today ≈ 300 KB (80 KB gzip), mostly apache-arrow.
    expect(built.gzipBytes).toBeLessThan(120 * 1024);
  });

  for (const c of CASES) {
    it(`${c.sample} · ${c.model.name}: equals the engine's predictions, from .json + .bin and from .benchtop`, async () => {
      const { json, weights, expected, table } = await exported(c);
      const fromBuilt = await runtime.loadArtifact(json, weights).predict(table);
      expect(fromBuilt.predictions).toEqual(expected);
      const fromSource = await loadFromSource(json, weights).predict(table);
      // Bit for bit, probabilities included: the built code is the source code.
      expect(fromBuilt).toEqual(fromSource);
      const fromBundle = await runtime.loadArtifact(runtime.packBundle(json, weights)).predict(table);
      expect(fromBundle).toEqual(fromBuilt);
    });
  }

  it('gives the specified errors for bad artifacts and inputs', async () => {
    const { json, weights } = await exported(CASES[0]);
    const flipped = weights.slice();
    flipped[3] = flipped[3]! ^ 0x10;
    expect(() => runtime.loadArtifact(json, flipped)).toThrow(/checksum differs/);
    expect(() => runtime.loadArtifact({ ...JSON.parse(json), version: 7 }, weights)).toThrow(
      /newer Benchtop \(v7\)/,
    );
    await expect(runtime.loadArtifact(json, weights).predict([{ 'sepal length (cm)': 5 }])).rejects.toThrow(
      /missing required columns: "sepal width \(cm\)"/,
    );
  });
});
