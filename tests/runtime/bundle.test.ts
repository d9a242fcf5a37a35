/**
 * The single-file artifact (.benchtop) and the training distribution in the data contract: a
 * bundle loads to the same predictor as its .json + .bin, damaged or newer bundles say so, and the
 * contract's shares describe the training rows.
 */
import { describe, expect, it } from 'vitest';
import { column, readLabels, readNumeric } from '../../src/core/frame';
import { binOf } from '../../src/runtime/format';
import { isBundle, loadArtifact, packBundle, unpackBundle } from '../../src/runtime/index';
import type { Notebook } from '../../src/spec/notebook';
import { createNodeEngine } from '../../workers/engine.node';

const notebook: Notebook = {
  version: 1,
  seed: 1,
  dataset: null,
  target: 'target',
  steps: [
    {
      id: 'a',
      step: 'SimpleImputer',
      params: {
        columns: ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'],
      },
      enabled: true,
    },
    {
      id: 'b',
      step: 'OneHotEncoder',
      params: { columns: ['site'], handle_unknown: 'ignore' },
      enabled: true,
    },
  ],
};

async function irisMissingArtifact() {
  const engine = createNodeEngine();
  const ds = await engine.loadSample('iris_missing');
  const spec = { notebook, target: 'target', model: { name: 'LogisticRegression', params: {} } };
  return { engine, ds, ...(await engine.exportArtifact(ds.id, spec)) };
}

const rounded = (count: number, total: number) => Number((count / total).toPrecision(6));

describe('single-file artifact', () => {
  it('round-trips and predicts exactly what the .json + .bin predict', async () => {
    const { engine, ds, json, weights } = await irisMissingArtifact();
    const bundle = packBundle(json, weights);
    expect(isBundle(bundle)).toBe(true);
    expect(isBundle(new TextEncoder().encode(json))).toBe(false);
    const parts = unpackBundle(bundle);
    expect(parts.json).toBe(json);
    expect(Array.from(parts.weights)).toEqual(Array.from(weights));
    const table = engine.table(ds.id);
    const a = await loadArtifact(json, weights).predict(table);
    const b = await loadArtifact(bundle).predict(table);
    expect(b).toEqual(a);
  });

  it('rejects truncated, newer, foreign and misused bundles with a message', async () => {
    const { json, weights } = await irisMissingArtifact();
    const bundle = packBundle(json, weights);
    expect(() => loadArtifact(bundle.subarray(0, 40))).toThrow(/corrupted: .*truncated/);
    // Cut inside the weights: the artifact's own size check names it.
    expect(() => loadArtifact(bundle.subarray(0, bundle.length - 3))).toThrow(
      /the weights file has \d+ bytes/,
    );
    const newer = bundle.slice();
    new DataView(newer.buffer).setUint32(8, 2, true);
    expect(() => loadArtifact(newer)).toThrow(/newer Benchtop \(file format v2\)/);
    expect(() => loadArtifact(new TextEncoder().encode('PK\u0003\u0004 a zip file'))).toThrow(
      /does not start like a \.benchtop model file/,
    );
    expect(() => loadArtifact(bundle, weights)).toThrow(/holds its weights/);
    expect(() => loadArtifact(json)).toThrow(/needs the weights/);
    const badUtf8 = bundle.slice();
    badUtf8[16] = 0xff;
    expect(() => loadArtifact(badUtf8)).toThrow(/not valid UTF-8/);
  });
});

describe('training distribution in the contract', () => {
  it('numeric deciles as cuts with the share of training values per bin; category shares', async () => {
    const { engine, ds, json } = await irisMissingArtifact();
    const features = JSON.parse(json).contract.features as {
      name: string;
      categories?: string[];
      distribution?: { cuts?: number[]; shares: number[] };
    }[];
    const table = engine.table(ds.id);
    const petal = features.find((f) => f.name === 'petal length (cm)')!;
    const { cuts, shares } = petal.distribution as { cuts: number[]; shares: number[] };
    expect(cuts.length).toBeGreaterThan(5);
    expect(cuts).toEqual([...cuts].sort((x, y) => x - y));
    expect(shares).toHaveLength(cuts.length + 1);
    // Recount from the table: bin k holds cuts[k-1] ≤ x < cuts[k]; missing values are not counted.
    const finite = Array.from(readNumeric(column(table, 'petal length (cm)'))).filter(
      (v) => !Number.isNaN(v),
    );
    expect(finite.length).toBeLessThan(table.numRows);
    const counts = new Array<number>(cuts.length + 1).fill(0);
    for (const v of finite) counts[binOf(cuts, v)]! += 1;
    expect(shares).toEqual(counts.map((c) => rounded(c, finite.length)));

    const site = features.find((f) => f.name === 'site')!;
    const { labels, codes } = readLabels(column(table, 'site'));
    const present = Array.from(codes).filter((c) => c >= 0);
    expect(site.distribution?.cuts).toBeUndefined();
    expect(site.distribution?.shares).toEqual(
      site.categories!.map((c) => rounded(present.filter((k) => labels[k] === c).length, present.length)),
    );
  });
});
