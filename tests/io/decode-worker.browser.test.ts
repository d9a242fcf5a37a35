/**
 * The readers' sub-workers in a real browser (workers/decode.web.ts: Web Workers served by Vite):
 * JSON and Parquet (its wasm loaded inside the sub-worker) come back as the same tables, the
 * reader's progress reaches the caller during the read, and a cancel terminates the sub-worker
 * mid-read and rejects at once.
 */
import { Table as ArrowTable, type Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { installDecodeWorkers } from '../../src/io/decode-worker';
import { loadParquetWasm } from '../../src/io/parquet';
import { readTableWithReport } from '../../src/io/read';
import { spawnWebDecodeWorker } from '../../workers/decode.web';
import { cancelSlowArrowRead, smallBatchesIpc } from '../support/slow-reads';

/** Web sub-workers that count how many were spawned and terminated. */
function install() {
  const counts = { spawned: 0, terminated: 0 };
  installDecodeWorkers({
    spawn: () => {
      const worker = spawnWebDecodeWorker();
      counts.spawned++;
      return {
        ...worker,
        terminate: () => {
          counts.terminated++;
          worker.terminate();
        },
      };
    },
  });
  return counts;
}

const rows = (t: Table) => t.toArray().map((r) => r.toJSON());

afterEach(() => {
  installDecodeWorkers(null);
});

describe('reading in a Web Worker', () => {
  it('reads JSON and Parquet in the sub-worker, the same as on this thread', async () => {
    const json = new TextEncoder().encode(
      '[{"a": 1, "b": "x", "d": "2024-01-02"}, {"a": 2.5, "b": null, "d": null}]',
    );
    const wasm = await loadParquetWasm();
    const source = new ArrowTable({
      n: vectorFromArray(Int32Array.from([1, 2, 3])),
      s: vectorFromArray(['x', 'y', 'z'], new Utf8()),
    });
    const parquet = wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(source, 'stream')));
    const here = [await readTableWithReport(json, 'a.json'), await readTableWithReport(parquet, 'a.parquet')];
    const counts = install();
    const there = [
      await readTableWithReport(json, 'a.json'),
      await readTableWithReport(parquet, 'a.parquet'),
    ];
    for (const k of [0, 1]) {
      expect(rows(there[k]!.table)).toEqual(rows(here[k]!.table));
      expect(String(there[k]!.table.schema.fields)).toBe(String(here[k]!.table.schema.fields));
    }
    // One sub-worker, kept between the two reads.
    expect(counts).toEqual({ spawned: 1, terminated: 0 });
  });

  it("forwards the reader's progress from the sub-worker while it reads", async () => {
    install();
    await readTableWithReport(new TextEncoder().encode('[{"a": 1}]'), 'warm.json');
    const events: { phase: string; fraction: number | null; ms: number }[] = [];
    const t0 = performance.now();
    await readTableWithReport(smallBatchesIpc(16, 6_000), 'slow.arrows', {
      onProgress: (p) => events.push({ phase: p.phase, fraction: p.fraction, ms: performance.now() - t0 }),
    });
    const doneMs = performance.now() - t0;
    const inside = events.filter((e) => e.phase !== 'Reading');
    expect(inside.length, JSON.stringify(events)).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < inside.length; i++)
      expect(inside[i]!.fraction!).toBeGreaterThanOrEqual(inside[i - 1]!.fraction!);
    expect(inside.at(-1)!.fraction!).toBeGreaterThan(inside[0]!.fraction!);
    expect(inside[0]!.ms).toBeLessThan(doneMs / 2);
    expect(new Set(inside.map((e) => e.phase))).toEqual(
      new Set(['Checking', 'Parsing', 'Converting columns']),
    );
  });

  it('cancel terminates the sub-worker mid-read; the next read starts a new one', async () => {
    const counts = install();
    await readTableWithReport(new TextEncoder().encode('[{"a": 1}]'), 'warm.json');
    const { msAfterCancel, error } = await cancelSlowArrowRead();
    expect(msAfterCancel).toBeLessThan(1000);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).name).toBe('Cancelled');
    expect(counts).toEqual({ spawned: 1, terminated: 1 });
    const { table } = await readTableWithReport(new TextEncoder().encode('[{"a": 2}]'), 'next.json');
    expect(table.getChild('a')?.get(0)).toBe(2);
    expect(counts.spawned).toBe(2);
  });
});
