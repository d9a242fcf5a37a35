/**
 * Datasets kept between sessions: the store's index logic on an in-memory folder (the same logic
 * the worker runs on OPFS), and the engine keeping, restoring and forgetting file datasets.
 */
import { describe, expect, it } from 'vitest';
import { createDatasetStore, fileNameOf, isQuotaError, memoryFolder } from '../../src/io/opfs';
import { createNodeEngine } from '../../workers/engine.node';

const report = { format: 'csv' as const, raggedRows: [], raggedCount: 0, warnings: [], parseMs: 1 };
const entry = (fingerprint: string, name = `${fingerprint}.csv`) => ({
  fingerprint,
  name,
  source: { kind: 'file' as const, name },
  rows: 2,
  columns: 1,
  report,
  columnTypes: {},
});
const bytes = (n: number) => new Uint8Array(n).fill(7);
const CSV = 'name,age,score\nAda,36,91.5\nGrace,45,\nLinus,28,77.25\n';

describe('dataset store', () => {
  it('lists what was put, with size and date, and reads the bytes back', async () => {
    const folder = memoryFolder();
    const store = createDatasetStore(folder, () => new Date('2025-01-02T03:04:05Z'));
    await store.put(entry('aa11-3'), bytes(100));
    await store.put(entry('bb22-4'), bytes(40));
    const list = await store.list();
    expect(list.map((e) => [e.fingerprint, e.bytes, e.storedAt])).toEqual([
      ['aa11-3', 100, '2025-01-02T03:04:05.000Z'],
      ['bb22-4', 40, '2025-01-02T03:04:05.000Z'],
    ]);
    const read = await store.read('bb22-4');
    expect(read?.ipc).toEqual(bytes(40));
    expect(read?.entry.name).toBe('bb22-4.csv');
    // The index survives a new store on the same folder (a reload).
    expect((await createDatasetStore(folder).list()).length).toBe(2);
  });

  it('replaces an entry with the same fingerprint instead of listing it twice', async () => {
    const store = createDatasetStore(memoryFolder());
    await store.put(entry('aa11-3', 'first'), bytes(10));
    await store.put(entry('aa11-3', 'second'), bytes(20));
    const list = await store.list();
    expect(list.map((e) => [e.name, e.bytes])).toEqual([['second', 20]]);
  });

  it('deletes the entry and its file', async () => {
    const folder = memoryFolder();
    const store = createDatasetStore(folder);
    await store.put(entry('aa11-3'), bytes(10));
    expect(await store.delete('aa11-3')).toBe(true);
    expect(await store.list()).toEqual([]);
    expect(folder.files.has(fileNameOf('aa11-3'))).toBe(false);
    expect(await store.read('aa11-3')).toBeNull();
    expect(await store.delete('aa11-3')).toBe(false);
  });

  it('leaves no entry and no partial file behind when the quota is exceeded', async () => {
    const folder = memoryFolder(1000);
    const store = createDatasetStore(folder);
    await store.put(entry('aa11-3'), bytes(600));
    const error = await store.put(entry('bb22-4'), bytes(600)).catch((e: unknown) => e);
    expect(isQuotaError(error)).toBe(true);
    expect((await store.list()).map((e) => e.fingerprint)).toEqual(['aa11-3']);
    expect(folder.files.has(fileNameOf('bb22-4'))).toBe(false);
    expect(await store.estimate()).toEqual({ usage: expect.any(Number), quota: 1000 });
  });

  it('keeps every entry when puts overlap', async () => {
    const store = createDatasetStore(memoryFolder());
    await Promise.all(['a1', 'b2', 'c3', 'd4'].map((fp) => store.put(entry(fp), bytes(5))));
    expect((await store.list()).map((e) => e.fingerprint).sort()).toEqual(['a1', 'b2', 'c3', 'd4']);
  });

  it('starts over from a corrupt index instead of failing', async () => {
    const folder = memoryFolder();
    await folder.write('index.json', new TextEncoder().encode('{"version":1,"entr'));
    expect(await createDatasetStore(folder).list()).toEqual([]);
  });

  it('refuses fingerprints that are not file-name safe', () => {
    expect(() => fileNameOf('../index.json')).toThrow();
    expect(fileNameOf('0a1b2c3d+nb')).toBe('0a1b2c3d_nb.arrow');
  });
});

describe('engine with a dataset store', () => {
  const file = () => new Blob([CSV]);

  it('keeps a loaded file and restores it, with the column types the user chose, in a new engine', async () => {
    const store = createDatasetStore(memoryFolder());
    const first = createNodeEngine({ store });
    const info = await first.loadFile(file(), 'people.csv');
    expect(info.storage).toEqual({ kind: 'stored', bytes: expect.any(Number) });
    await first.setColumnType(info.id, 'age', 'text');

    const listed = await first.storedDatasets();
    expect(listed).toEqual([
      expect.objectContaining({ fingerprint: info.fingerprint, name: 'people.csv', rows: 3, columns: 3 }),
    ]);

    // A new engine (a reload or a restarted worker) on the same storage.
    const second = createNodeEngine({ store });
    expect(await second.datasets()).toEqual([]);
    const back = await second.restoreDataset(info.fingerprint!);
    expect(back.name).toBe('people.csv');
    expect(back.source).toEqual({ kind: 'file', name: 'people.csv' });
    expect(back.rows).toBe(3);
    expect(back.fileBytes).toBe(CSV.length);
    expect(back.columns.map((c) => [c.name, c.type, c.inferredType, c.missing])).toEqual([
      ['name', 'text', 'text', 0],
      ['age', 'text', 'integer', 0],
      ['score', 'float', 'float', 1],
    ]);
    const rows = second.table(back.id);
    expect(rows.getChild('name')?.get(1)).toBe('Grace');
    expect(rows.getChild('score')?.get(2)).toBe(77.25);
    // Restoring what is already loaded does not load it twice.
    expect((await second.restoreDataset(info.fingerprint!)).id).toBe(back.id);
    expect((await second.datasets()).length).toBe(1);
  });

  it('says the dataset is memory-only when the quota is exceeded, and the dataset still works', async () => {
    const store = createDatasetStore(memoryFolder(64));
    const engine = createNodeEngine({ store });
    const info = await engine.loadFile(file(), 'people.csv');
    expect(info.storage).toMatchObject({ kind: 'memory', reason: 'quota' });
    expect(info.storage?.kind === 'memory' && info.storage.message).toMatch(
      /storage is full.*people\.csv.*works for this session/,
    );
    expect(await engine.storedDatasets()).toEqual([]);
    expect((await engine.datasets()).map((d) => d.rows)).toEqual([3]);
    expect(engine.table(info.id).getChild('age')?.get(0)).toBe(36);
  });

  it('does not store samples or synthetic data, which are rebuilt instead', async () => {
    const engine = createNodeEngine({ store: createDatasetStore(memoryFolder()) });
    expect((await engine.loadSample('iris')).storage).toEqual({ kind: 'regenerated' });
    expect((await engine.generateSynthetic({ rows: 10, seed: 1 })).storage).toEqual({ kind: 'regenerated' });
    expect(await engine.storedDatasets()).toEqual([]);
  });

  it('forgets the stored copy when the last dataset using it is removed', async () => {
    const store = createDatasetStore(memoryFolder());
    const engine = createNodeEngine({ store });
    const a = await engine.loadFile(file(), 'people.csv');
    const b = await engine.loadFile(file(), 'people.csv');
    await engine.removeDataset(a.id);
    expect((await engine.storedDatasets()).length).toBe(1);
    await engine.removeDataset(b.id);
    expect(await engine.storedDatasets()).toEqual([]);
  });

  it('deletes a stored copy on request and keeps the loaded dataset for the session', async () => {
    const engine = createNodeEngine({ store: createDatasetStore(memoryFolder()) });
    const info = await engine.loadFile(file(), 'people.csv');
    await engine.deleteStored(info.fingerprint!);
    expect(await engine.storedDatasets()).toEqual([]);
    const [still] = await engine.datasets();
    expect(still?.storage?.kind).toBe('memory');
    await expect(engine.restoreDataset(info.fingerprint!)).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('without a store, datasets live in memory and the estimate says storage is unavailable', async () => {
    const engine = createNodeEngine();
    const info = await engine.loadFile(file(), 'people.csv');
    expect(info.storage).toMatchObject({ kind: 'memory', reason: 'unavailable' });
    expect(await engine.storageEstimate()).toEqual({ usage: null, quota: null, available: false });
  });
});
