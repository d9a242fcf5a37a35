/**
 * Issue 15: a named slice saved in Explore is kept by the engine with its dataset; after a restart
 * (a new engine on the same storage, the dataset restored under a new id) the store lists it again
 * and selects its rows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDatasetStore, memoryFolder } from '../../src/io/opfs';
import { createExploreStore } from '../../src/state/explore';
import { createNodeEngine } from '../../workers/engine.node';

const IRIS = new Uint8Array(readFileSync(new URL('../../public/samples/iris.csv', import.meta.url)));

describe('named slices in the Explore store', () => {
  it('are kept by the engine and come back under the restored dataset id', async () => {
    const folder = memoryFolder();
    const engine = createNodeEngine({ store: createDatasetStore(folder), idPrefix: 'a' });
    const ds = await engine.loadBytes(IRIS, 'iris.csv', {});
    const explore = createExploreStore(engine);
    await explore.setFilter(ds.id, 'hist', { kind: 'range', column: 'petal width (cm)', range: [2, 3] });
    const saved = explore.saveSlice('wide petals');
    expect(saved?.count).toBeGreaterThan(0);
    explore.addSlice({
      name: 'three',
      datasetId: ds.id,
      rows: Uint32Array.of(0, 1, 2),
      datasetRows: 150,
      expression: null,
    });
    explore.addSlice({
      name: 'gone',
      datasetId: ds.id,
      rows: Uint32Array.of(7),
      datasetRows: 150,
      expression: null,
    });
    explore.removeSlice('gone');
    await new Promise((r) => setTimeout(r, 20));
    expect((await engine.keptSlices(ds.id)).map((s) => s.name)).toEqual(['wide petals', 'three']);

    const restarted = createNodeEngine({ store: createDatasetStore(folder), idPrefix: 'b' });
    const back = await restarted.restoreDataset(ds.fingerprint!);
    const fresh = createExploreStore(restarted);
    await fresh.syncSlices(back.id, back.rows);
    expect(fresh.state.slices.map((s) => [s.name, s.datasetId, s.count, s.expression])).toEqual([
      ['wide petals', back.id, saved!.count, saved!.expression],
      ['three', back.id, 3, null],
    ]);
    const selection = await fresh.selectSlice('wide petals');
    expect(selection?.count).toBe(saved!.count);
    expect(Array.from(await restarted.selectedRows(back.id, 0, 1000))).toEqual(Array.from(saved!.rows));
  });
});
