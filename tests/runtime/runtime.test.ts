/**
 * benchtop-runtime on artifacts exported by the in-process engine: its predictions must equal the
 * engine's own (same steps, same model code) on JSON rows and on an Arrow table, and bad inputs
 * and bad artifacts must give the specified errors and drift flags.
 */
import { readFile } from 'node:fs/promises';
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { loadArtifact } from '../../src/runtime/index';
import { exported, notebook, step } from '../support/exported';

const IRIS_NUMERIC = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];

const CASES = [
  {
    sample: 'iris_missing',
    notebook: notebook(
      [
        step('a', 'SimpleImputer', { columns: IRIS_NUMERIC }),
        step('b', 'OneHotEncoder', { columns: ['site'], handle_unknown: 'ignore' }),
        step('c', 'StandardScaler'),
      ],
      7,
    ),
    model: { name: 'LogisticRegression', params: {} },
  },
  {
    sample: 'diabetes',
    notebook: notebook([step('a', 'StandardScaler')], 7),
    model: { name: 'Ridge', params: { alpha: 0.5 } },
  },
] as const;

/** The CSV's rows as JSON objects, values as text (what a client posting a form would send). */
async function csvRows(sample: string): Promise<Record<string, string>[]> {
  const text = await readFile(new URL(`../../public/samples/${sample}.csv`, import.meta.url), 'utf8');
  const [head, ...lines] = text.trim().split('\n');
  const names = head!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, j) => [names[j]!, v])));
}

describe('benchtop-runtime', () => {
  for (const c of CASES) {
    it(`${c.sample}: predictions on JSON rows and on an Arrow table equal the engine's`, async () => {
      const { json, weights, expected, table } = await exported(c);
      expect(json.length).toBeLessThan(20_000);
      const predictor = loadArtifact(json, weights);
      const rows = await csvRows(c.sample);
      const fromRows = await predictor.predict(rows);
      expect(fromRows.predictions).toEqual(expected);
      const fromTable = await predictor.predict(table);
      expect(fromTable.predictions).toEqual(expected);
      expect(fromTable.drift).toEqual([]);
      if (c.sample === 'iris_missing') {
        expect(fromRows.classes).toEqual(['setosa', 'versicolor', 'virginica']);
        expect(fromRows.probabilities?.[0]?.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
        const contract = predictor.artifact.contract.features;
        expect(contract.find((f) => f.name === 'site')?.categories).toContain('north meadow');
        expect(contract.find((f) => f.name === 'petal width (cm)')?.missing).toBe('imputed');
        expect(contract.some((f) => f.name === 'measured_on')).toBe(false);
      } else {
        expect(predictor.artifact.contract.features.find((f) => f.name === 'bmi')?.missing).toBe('rejected');
      }
    });
  }

  it('flags unseen categories and out-of-range values but still scores those rows', async () => {
    const { json, weights, expected } = await exported(CASES[0]);
    const predictor = loadArtifact(json, weights);
    const rows = (await csvRows('iris_missing')).slice(0, 3);
    const res = await predictor.predict([
      { ...rows[0], site: 'moon base' },
      { ...rows[1], 'sepal length (cm)': 99 },
      rows[2]!,
    ]);
    expect(res.drift).toEqual([
      { row: 0, column: 'site', issue: 'unseen-category', value: 'moon base' },
      { row: 1, column: 'sepal length (cm)', issue: 'out-of-range', value: 99 },
    ]);
    expect(res.predictions.every((p) => typeof p === 'string')).toBe(true);
    expect(res.predictions[2]).toBe(expected[2]);
  });

  it('does not score a row missing a value the pipeline cannot fill, and says why', async () => {
    const { json, weights, expected } = await exported(CASES[1]);
    const predictor = loadArtifact(json, weights);
    const rows = (await csvRows('diabetes')).slice(0, 3);
    const res = await predictor.predict([rows[0]!, { ...rows[1], bmi: '' }, { ...rows[2], bp: 'high' }]);
    expect(res.predictions).toEqual([expected[0], null, null]);
    expect(res.drift).toEqual([
      { row: 1, column: 'bmi', issue: 'missing', value: '' },
      { row: 2, column: 'bp', issue: 'wrong-type', value: 'high' },
      { row: 2, column: 'bp', issue: 'missing', value: 'high' },
    ]);
  });

  it('names the required columns an input lacks', async () => {
    const { json, weights } = await exported(CASES[1]);
    const rows = (await csvRows('diabetes')).slice(0, 2).map(({ bmi: _b, s5: _s, ...rest }) => rest);
    await expect(loadArtifact(json, weights).predict(rows)).rejects.toThrow(
      'The input is missing required columns: "bmi", "s5".',
    );
    const t = tableFromArrays({ age: new Float64Array([50]) });
    await expect(loadArtifact(json, weights).predict(t)).rejects.toThrow(
      /missing required columns: "sex", "bmi"/,
    );
  });

  it('rejects artifacts from a newer Benchtop, truncated weights, bad JSON and unknown models', async () => {
    const { json, weights } = await exported(CASES[1]);
    const doc = JSON.parse(json);
    expect(() => loadArtifact({ ...doc, version: 2 }, weights)).toThrow(
      'This model was made by a newer Benchtop (v2); update benchtop-runtime',
    );
    expect(() => loadArtifact(json, weights.subarray(0, weights.length - 8))).toThrow(
      /corrupted: the weights file has \d+ bytes, but the model expects \d+/,
    );
    const flipped = weights.slice();
    flipped[0] = flipped[0]! ^ 1;
    expect(() => loadArtifact(json, flipped)).toThrow(/checksum differs/);
    expect(() => loadArtifact(json.slice(0, -10), weights)).toThrow(/corrupted: its JSON does not parse/);
    expect(() => loadArtifact({ ...doc, model: { ...doc.model, name: 'Nope' } }, weights)).toThrow(
      /the model is "Nope", which this benchtop-runtime does not know/,
    );
    expect(() => loadArtifact({ ...doc, steps: [{ name: 'Frobnicate', state: {} }] }, weights)).toThrow(
      /step 1 is "Frobnicate"/,
    );
  });
});
