/**
 * Issue 15: deployed models and named slices are kept with the datasets, so a restarted engine (a
 * worker crash or a reload: a new engine on the same browser storage) has them back and usable.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { createDatasetStore, memoryFolder } from '../../src/io/opfs';
import { emptyNotebook } from '../../src/spec/notebook';
import { createNodeEngine } from '../../workers/engine.node';
import { decodeSlices, encodeSlices } from '../../workers/kept';

const IRIS = new Uint8Array(readFileSync(new URL('../../public/samples/iris.csv', import.meta.url)));
const FEATURES = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];
const spec = {
  notebook: { ...emptyNotebook(), target: 'target' },
  target: 'target',
  features: FEATURES,
  model: { name: 'LogisticRegression', params: {} },
};

/** What a score says, without its timing. */
const scored = (r: { ms: number; modelId: string; datasetId: string }) => ({
  ...r,
  ms: 0,
  datasetId: '',
});

describe('deployed models and named slices survive an engine restart', () => {
  it('a new engine on the same storage has the model (same id, usable) and the slices back', async () => {
    const folder = memoryFolder();
    const first = createNodeEngine({ store: createDatasetStore(folder), idPrefix: 'a' });
    const data = await first.loadBytes(IRIS, 'iris.csv', {});
    expect(data.storage?.kind).toBe('stored');
    const model = await first.deployModel(data.id, spec);
    const rows = Uint32Array.of(0, 5, 50, 149);
    const kept = await first.keepSlice(data.id, { name: 'odd ones', expression: null, rows });
    const second = await first.keepSlice(data.id, {
      name: 'odd ones',
      expression: '`petal width (cm)` > 2',
      rows: Uint32Array.of(1),
      description: 'from Explore',
    });
    expect([kept.name, second.name]).toEqual(['odd ones', 'odd ones (2)']);
    const before = await first.scoreDataset(model.id, data.id);
    const whatIf = await first.predictRows(model.id, [
      {
        'sepal length (cm)': 6.1,
        'sepal width (cm)': 2.8,
        'petal length (cm)': 4.7,
        'petal width (cm)': 1.2,
      },
    ]);

    // The worker dies; the fresh engine reads the same storage and the UI restores the dataset.
    const restarted = createNodeEngine({ store: createDatasetStore(folder), idPrefix: 'b' });
    const back = await restarted.restoreDataset(data.fingerprint!);
    expect(back.id).not.toBe(data.id);
    const models = await restarted.deployedModels();
    expect(models).toEqual([{ ...model, datasetId: back.id }]);
    const after = await restarted.scoreDataset(model.id, back.id);
    expect(scored(after)).toEqual(scored(before));
    expect(
      await restarted.predictRows(model.id, [
        {
          'sepal length (cm)': 6.1,
          'sepal width (cm)': 2.8,
          'petal length (cm)': 4.7,
          'petal width (cm)': 1.2,
        },
      ]),
    ).toEqual(whatIf);
    const pd = await restarted.partialDependence(model.id, back.id, 'petal width (cm)', {
      gridResolution: 5,
    });
    expect(pd.grid.length).toBe(5);

    const slices = await restarted.keptSlices(back.id);
    expect(slices.map((s) => [s.name, s.expression, [...s.rows], s.description])).toEqual([
      ['odd ones', null, [0, 5, 50, 149], undefined],
      ['odd ones (2)', '`petal width (cm)` > 2', [1], 'from Explore'],
    ]);
    // A slice's rows select in the restored dataset.
    const mask = new Uint8Array(back.rows);
    for (const r of slices[0]!.rows) mask[r] = 1;
    const selection = await restarted.setSelection(back.id, [{ kind: 'mask', mask }]);
    expect(selection.count).toBe(4);

    // A new model does not take a kept model's id; removals are kept too.
    const other = await restarted.deployModel(back.id, spec);
    expect(other.id).not.toBe(model.id);
    await restarted.removeDeployed(model.id);
    await restarted.forgetSlice(back.id, 'odd ones');
    const third = createNodeEngine({ store: createDatasetStore(folder), idPrefix: 'c' });
    expect((await third.deployedModels()).map((m) => m.id)).toEqual([other.id]);
    // Before its dataset is back, the model names no dataset of this engine.
    expect((await third.deployedModels())[0]!.datasetId).toBeNull();
    const again = await third.restoreDataset(data.fingerprint!);
    expect((await third.keptSlices(again.id)).map((s) => s.name)).toEqual(['odd ones (2)']);
    await expect(third.scoreDataset(model.id, again.id)).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('slices of a sample come back when the sample is loaded again (same fingerprint)', async () => {
    const folder = memoryFolder();
    const first = createNodeEngine({ store: createDatasetStore(folder), idPrefix: 'a' });
    const iris = await first.loadSample('iris');
    await first.keepSlice(iris.id, { name: 'setosa', expression: null, rows: Uint32Array.of(0, 1, 2) });
    const restarted = createNodeEngine({ store: createDatasetStore(folder), idPrefix: 'b' });
    const rebuilt = await restarted.loadSample('iris');
    expect((await restarted.keptSlices(rebuilt.id)).map((s) => [s.name, [...s.rows]])).toEqual([
      ['setosa', [0, 1, 2]],
    ]);
  });

  it('without storage the model and slices work for the session; bad rows are refused by name', async () => {
    const engine = createNodeEngine();
    const iris = await engine.loadSample('iris');
    const model = await engine.deployModel(iris.id, spec);
    expect((await engine.deployedModels()).map((m) => m.id)).toEqual([model.id]);
    await engine.keepSlice(iris.id, { name: 'a', expression: null, rows: Uint32Array.of(3) });
    expect((await engine.keptSlices(iris.id)).length).toBe(1);
    for (const rows of [Uint32Array.of(150), Uint32Array.of(4, 4), Uint32Array.of(5, 2)]) {
      const e = await engine.keepSlice(iris.id, { name: 'b', expression: null, rows }).catch((x) => x);
      expect(e).toBeInstanceOf(EngineError);
      expect((e as EngineError).name).toBe('InvalidArgument');
    }
    const e = await engine
      .keepSlice(iris.id, { name: '', expression: null, rows: [1] as never })
      .catch((x) => x);
    expect((e as EngineError).name).toBe('InvalidArgument');
  });

  it('a slices file round-trips, empty slices and odd header lengths included', () => {
    for (const name of ['a', 'ab', 'abc', 'abcd']) {
      const list = [
        { name, expression: null, rows: new Uint32Array(0) },
        { name: `${name}2`, expression: 'x > 1', rows: Uint32Array.of(7, 9, 4_000_000_000) },
      ];
      const back = decodeSlices(encodeSlices(list));
      expect(back.map((s) => [s.name, s.expression, [...s.rows]])).toEqual(
        list.map((s) => [s.name, s.expression, [...s.rows]]),
      );
    }
  });
});
