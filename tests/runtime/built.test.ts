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
import { loadArtifact as loadFromSource } from '../../src/runtime/index';
import { exported, notebook, step } from '../support/exported';
import { buildRuntime, importRuntime } from '../support/runtime-build';

const outDir = await mkdtemp(join(tmpdir(), 'benchtop-runtime-'));
const started = Date.now();
const built = await buildRuntime(outDir);
const buildMs = Date.now() - started;
const runtime = await importRuntime(built.file);
afterAll(() => rm(outDir, { recursive: true, force: true }));

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const IRIS = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];

const CASES = [
  {
    sample: 'iris_missing',
    notebook: notebook(
      [
        step('a', 'SimpleImputer', { columns: IRIS }),
        step('b', 'OneHotEncoder', { columns: ['site'], handle_unknown: 'ignore' }),
        step('c', 'StandardScaler'),
      ],
      11,
    ),
    model: { name: 'LogisticRegression', params: {} },
  },
  {
    sample: 'wine',
    notebook: notebook([step('a', 'StandardScaler')], 11),
    model: { name: 'RandomForestClassifier', params: { n_estimators: 20 } },
  },
  { sample: 'breast_cancer', notebook: notebook([], 11), model: { name: 'GaussianNB', params: {} } },
  {
    sample: 'diabetes',
    notebook: notebook([step('a', 'PCA', { n_components: 5 })], 11),
    model: { name: 'HistGradientBoostingRegressor', params: { max_iter: 30 } },
  },
] as const;

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
