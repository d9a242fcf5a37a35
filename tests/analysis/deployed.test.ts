/**
 * Deployed models in the engine: deployModel fits on every row, predictRows goes through
 * benchtop-runtime, and the artifact the app hands out predicts exactly what the app showed.
 * Imports of bad artifacts fail with a specific error and leave the other models in place.
 */
import { describe, expect, it } from 'vitest';
import type { EngineError } from '../../src/core/errors';
import { loadArtifact } from '../../src/runtime/index';
import type { Notebook } from '../../src/spec/notebook';
import { createNodeEngine } from '../../workers/engine.node';

const notebook: Notebook = {
  version: 1,
  seed: 3,
  dataset: null,
  target: 'target',
  steps: [{ id: 's', step: 'StandardScaler', params: {}, enabled: true }],
};
const spec = { notebook, target: 'target', model: { name: 'LogisticRegression', params: {} } };

async function deployedIris() {
  const engine = createNodeEngine();
  const ds = await engine.loadSample('iris');
  const info = await engine.deployModel(ds.id, spec);
  return { engine, ds, info };
}

describe('deployed models', () => {
  it('keeps a fitted model with its contract and a typical row of medians', async () => {
    const { engine, ds, info } = await deployedIris();
    expect(info.source).toBe('fitted');
    expect(info.task).toBe('classification');
    expect(info.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(info.datasetId).toBe(ds.id);
    expect(info.contract.features.map((f) => f.name)).toHaveLength(4);
    // iris petal length median is 4.35 (sklearn's load_iris, np.median).
    expect(info.typicalRow['petal length (cm)']).toBeCloseTo(4.35, 10);
    expect(await engine.deployedModels()).toEqual([info]);
  });

  it('predictRows reacts to an edited feature, and the downloaded artifact predicts the same', async () => {
    const { engine, info } = await deployedIris();
    const base = { ...info.typicalRow };
    const small = { ...base, 'petal length (cm)': 1.2, 'petal width (cm)': 0.2 };
    const big = { ...base, 'petal length (cm)': 6.5, 'petal width (cm)': 2.3 };
    const res = await engine.predictRows(info.id, [base, small, big]);
    expect(res.predictions[1]).toBe('setosa');
    expect(res.predictions[2]).toBe('virginica');
    for (const p of res.probabilities ?? []) expect(p?.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    const { json, weights } = await engine.deployedArtifact(info.id);
    const again = await loadArtifact(json, weights).predict([base, small, big]);
    expect(again.predictions).toEqual(res.predictions);
    expect(again.probabilities).toEqual(res.probabilities);
  });

  it('imports an artifact, and rejects corrupted or newer ones with a specific error', async () => {
    const { engine, info } = await deployedIris();
    const { json, weights } = await engine.deployedArtifact(info.id);
    const imported = await engine.importArtifact(json, weights);
    expect(imported.source).toBe('imported');
    expect(imported.id).not.toBe(info.id);
    // Without data, the typical row sits in the middle of the observed range.
    const f = imported.contract.features[0]!;
    expect(imported.typicalRow[f.name]).toBeCloseTo((f.min! + f.max!) / 2, 10);

    const newer = JSON.stringify({ ...JSON.parse(json), version: 99 });
    await expect(engine.importArtifact(newer, weights)).rejects.toMatchObject({
      name: 'UnsupportedFormat',
      message: expect.stringContaining('newer Benchtop'),
    });
    await expect(engine.importArtifact('{"format": "benchtop-model", ', weights)).rejects.toMatchObject({
      name: 'ParseError',
      message: expect.stringContaining('corrupted'),
    });
    const flipped = weights.slice();
    flipped[0] = flipped[0]! ^ 0xff;
    await expect(engine.importArtifact(json, flipped)).rejects.toThrow(/checksum/);
    // Nothing else was lost.
    expect((await engine.deployedModels()).map((m) => m.id)).toEqual([info.id, imported.id]);
  });

  it('says which columns a row set lacks', async () => {
    const { engine, info } = await deployedIris();
    const { 'petal width (cm)': _, ...partial } = info.typicalRow;
    const err = await engine.predictRows(info.id, [partial]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as EngineError).name).toBe('SchemaError');
    expect((err as EngineError).message).toContain('petal width (cm)');
  });

  it('removing a model makes its id unknown', async () => {
    const { engine, info } = await deployedIris();
    await engine.removeDeployed(info.id);
    await expect(engine.predictRows(info.id, [info.typicalRow])).rejects.toMatchObject({ name: 'NotFound' });
  });
});
