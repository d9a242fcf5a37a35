/**
 * Arrow IPC, Parquet and JSON documents read in a sub-worker (src/io/decode-worker.ts, Node's
 * worker_threads through workers/decode.node.ts): the same tables and the same named errors as the
 * readers on the calling thread, cancel and the time limit end the sub-worker, and without a
 * sub-worker (none can be spawned, or it does not start) the read runs on the calling thread.
 */
import { readFileSync } from 'node:fs';
import type { Table } from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import type { Progress } from '../../src/core/job';
import {
  type DecodeHost,
  type DecodeReply,
  type DecodeWorker,
  installDecodeWorkers,
} from '../../src/io/decode-worker';
import { loadParquetWasm } from '../../src/io/parquet';
import { readTableWithReport } from '../../src/io/read';
import { spawnNodeDecodeWorker } from '../../workers/decode.node.ts';
import { arrowBases, FUZZ_SEED, jsonBases, mutatedArb, parquetBases } from '../support/fuzz';
import { cancelSlowArrowRead, jsonDocument, listsParquet, smallBatchesIpc } from '../support/slow-reads';

/** Node sub-workers that count how many were spawned and terminated. */
function countingHost(options: Omit<DecodeHost, 'spawn'> = {}) {
  const counts = { spawned: 0, terminated: 0 };
  const host: DecodeHost = {
    ...options,
    spawn: () => {
      const worker = spawnNodeDecodeWorker();
      counts.spawned++;
      return {
        ...worker,
        terminate: () => {
          counts.terminated++;
          worker.terminate();
        },
      };
    },
  };
  return { host, counts };
}

type Outcome = { ok: true; table: unknown; report: unknown } | { ok: false; error: unknown };

/** Every field's name, Arrow type, metadata and values, and the chunking (dictionary ids are
 * numbered per thread, so IPC bytes differ only in them). */
function contents(table: Table): unknown {
  return {
    batches: table.batches.map((b) => b.numRows),
    fields: table.schema.fields.map((f) => {
      const column = table.getChild(f.name)!;
      return [f.name, String(f.type), Object.fromEntries(f.metadata), column.nullCount, [...column]];
    }),
  };
}

/** What a read gives, comparable across threads: the table's contents and report, or the error. */
async function outcome(bytes: Uint8Array, fileName: string): Promise<Outcome> {
  try {
    const { table, report } = await readTableWithReport(bytes, fileName);
    return { ok: true, table: contents(table), report: { ...report, parseMs: 0 } };
  } catch (e) {
    const err = e as Error & { detail?: unknown };
    return {
      ok: false,
      error: { cls: e instanceof EngineError, name: err.name, message: err.message, detail: err.detail },
    };
  }
}

afterEach(() => {
  installDecodeWorkers(null);
});
afterAll(() => {
  installDecodeWorkers(null);
});

describe('reading in a sub-worker', () => {
  it('gives the same tables, reports and named errors as reading on this thread', async () => {
    const { host, counts } = countingHost();
    const wasm = await loadParquetWasm();
    const cases: [Uint8Array, string][] = [
      ...arrowBases().map((b, i): [Uint8Array, string] => [b, `base${i}.arrow`]),
      ...parquetBases(wasm).map((b, i): [Uint8Array, string] => [b, `base${i}.parquet`]),
      ...jsonBases().map((b, i): [Uint8Array, string] => [b, `base${i}.json`]),
      [
        new Uint8Array(readFileSync(new URL('fuzz-regressions/decoder-trap.parquet', import.meta.url))),
        'decoder-trap.parquet',
      ],
      [new TextEncoder().encode('[{"a": 1},'), 'cut.json'],
      [new TextEncoder().encode(`${'['.repeat(5000)}${']'.repeat(5000)}`), 'deep.json'],
      [new TextEncoder().encode('42'), 'value.json'],
      [new TextEncoder().encode('  \n'), 'blank.json'],
    ];
    // Seeded mutations of the valid files: damaged files must fail the same way off this thread.
    const mutated = [
      ...fc
        .sample(mutatedArb(arrowBases()), { seed: FUZZ_SEED, numRuns: 40 })
        .map((b) => [b, 'm.arrow'] as const),
      ...fc
        .sample(mutatedArb(parquetBases(wasm)), { seed: FUZZ_SEED, numRuns: 40 })
        .map((b) => [b, 'm.parquet'] as const),
      ...fc
        .sample(mutatedArb(jsonBases()), { seed: FUZZ_SEED, numRuns: 40 })
        .map((b) => [b, 'm.json'] as const),
    ];
    const all = [...cases, ...mutated];
    installDecodeWorkers(null);
    const here: Outcome[] = [];
    for (const [bytes, name] of all) here.push(await outcome(bytes, name));
    installDecodeWorkers(host);
    let failures = 0;
    let tables = 0;
    for (const [k, [bytes, name]] of all.entries()) {
      expect(await outcome(bytes, name), name).toEqual(here[k]);
      if (here[k]!.ok) tables++;
      else failures++;
    }
    // Both kinds were compared, and the reads really ran in sub-workers (one kept between reads).
    expect(tables).toBeGreaterThan(15);
    expect(failures).toBeGreaterThan(15);
    expect(counts.spawned).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('passes the load options (column types, date formats) to the sub-worker', async () => {
    const json = new TextEncoder().encode('[{"a": "01/02/2024", "b": "7"}, {"a": "03/04/2024", "b": "x"}]');
    const options = { columnTypes: { b: 'integer' as const }, dateFormats: { a: '%d/%m/%Y' } };
    const here = await readTableWithReport(json, 'o.json', options);
    installDecodeWorkers(countingHost().host);
    const there = await readTableWithReport(json, 'o.json', options);
    expect(contents(there.table)).toEqual(contents(here.table));
    expect(there.report.warnings).toEqual(here.report.warnings);
    expect(there.table.getChild('b')?.get(1)).toBeNull();
  });

  it('keeps one sub-worker for the next read, and ends it once it has been idle for idleMs', async () => {
    const { host, counts } = countingHost({ idleMs: 300 });
    installDecodeWorkers(host);
    const doc = (v: number) => new TextEncoder().encode(`[{"a": ${v}}]`);
    await readTableWithReport(doc(1), 'one.json');
    await readTableWithReport(doc(2), 'two.json');
    expect(counts).toEqual({ spawned: 1, terminated: 0 });
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(counts).toEqual({ spawned: 1, terminated: 1 });
    const { table } = await readTableWithReport(doc(3), 'three.json');
    expect(table.getChild('a')?.get(0)).toBe(3);
    expect(counts.spawned).toBe(2);
  }, 60_000);

  it('cancel ends the sub-worker at once, and the next read starts a new one', async () => {
    const { host, counts } = countingHost();
    installDecodeWorkers(host);
    // A warm sub-worker first, so the cancel lands in the read itself, not in the start-up.
    await readTableWithReport(new TextEncoder().encode('[{"a": 1}]'), 'warm.json');
    expect(counts).toEqual({ spawned: 1, terminated: 0 });
    const { msAfterCancel, error } = await cancelSlowArrowRead();
    expect(msAfterCancel).toBeLessThan(1000);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).name).toBe('Cancelled');
    expect(counts.terminated).toBe(1);
    const { table } = await readTableWithReport(new TextEncoder().encode('[{"a": 2}]'), 'next.json');
    expect(table.getChild('a')?.get(0)).toBe(2);
    expect(counts.spawned).toBe(2);
  }, 60_000);

  // The readers report their progress from inside the read ('Parsing': rows or bytes read; JSON
  // then 'Building columns'); the sub-worker forwards each phase's first report, then at most 10
  // a second.
  it("forwards the reader's progress while it reads, rising, with the phases of a read on this thread", async () => {
    const files: [string, Uint8Array][] = [
      // 1–2 s each on this machine at load 5, more when loaded.
      ['slow.arrows', smallBatchesIpc(16, 8_000)],
      ['rows.json', jsonDocument(600_000)],
      ['lists.parquet', await listsParquet(300_000, 30_000)],
    ];
    const read = async (bytes: Uint8Array, fileName: string) => {
      const events: (Progress & { ms: number })[] = [];
      const t0 = performance.now();
      await readTableWithReport(bytes, fileName, {
        onProgress: (p) => events.push({ ...p, ms: performance.now() - t0 }),
      });
      return { events, doneMs: performance.now() - t0 };
    };
    const here = new Map<string, Set<string>>();
    for (const [fileName, bytes] of files) {
      here.set(fileName, new Set((await read(bytes, fileName)).events.map((e) => e.phase)));
    }
    const { host, counts } = countingHost();
    installDecodeWorkers(host);
    await readTableWithReport(new TextEncoder().encode('[{"a": 1}]'), 'warm.json');
    for (const [fileName, bytes] of files) {
      const { events, doneMs } = await read(bytes, fileName);
      // The read's own start and end events, and between them the reader's.
      expect(events[0], fileName).toMatchObject({ phase: 'Reading', fraction: 0 });
      expect(events.at(-1), fileName).toMatchObject({ phase: 'Reading', fraction: 1 });
      const inside = events.slice(1, -1);
      expect(inside.length, `${fileName}: ${JSON.stringify(events)}`).toBeGreaterThanOrEqual(2);
      for (const e of inside) {
        expect(e.fraction, fileName).not.toBeNull();
        expect(e.fraction!, fileName).toBeGreaterThan(0);
        expect(e.fraction!, fileName).toBeLessThan(1);
      }
      for (let i = 1; i < inside.length; i++)
        expect(inside[i]!.fraction!, fileName).toBeGreaterThanOrEqual(inside[i - 1]!.fraction!);
      expect(inside.at(-1)!.fraction!, fileName).toBeGreaterThan(inside[0]!.fraction!);
      // Progress moved well before the read finished, not all at the end.
      expect(inside[0]!.ms, `${fileName} read in ${doneMs.toFixed(0)} ms`).toBeLessThan(doneMs / 2);
      // Throttled: each phase's first, then at most one per 100 ms.
      const phases = new Set(inside.map((e) => e.phase)).size;
      expect(inside.length, fileName).toBeLessThanOrEqual(doneMs / 100 + phases);
      // The phases a read on this thread reports.
      expect(new Set(inside.map((e) => e.phase)), fileName).toEqual(
        new Set([...here.get(fileName)!].filter((p) => p !== 'Reading')),
      );
    }
    expect(counts.spawned).toBe(1);
  }, 120_000);

  it('a read past the time limit is ended with a ParseError naming the file', async () => {
    const { host, counts } = countingHost({ timeLimitMs: () => 300 });
    installDecodeWorkers(host);
    await readTableWithReport(new TextEncoder().encode('[{"a": 1}]'), 'warm.json');
    const error = await readTableWithReport(smallBatchesIpc(16, 20_000), 'slow.arrows').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).name).toBe('ParseError');
    expect((error as EngineError).message).toMatch(/^slow\.arrows was still being read after 0 s/);
    expect((error as EngineError).detail.file).toBe('slow.arrows');
    expect(counts.terminated).toBe(1);
  }, 60_000);

  it('a sub-worker that dies mid-read gives a named error (OutOfMemory for memory)', async () => {
    const crashing = (message: string): DecodeWorker => {
      let reply: (r: DecodeReply) => void = () => {};
      let fail: (m: string) => void = () => {};
      setTimeout(() => reply({ ready: true }), 0);
      return {
        post: () => setTimeout(() => fail(message), 0),
        onReply: (h) => {
          reply = h;
        },
        onFailure: (h) => {
          fail = h;
        },
        terminate: () => {},
      };
    };
    const json = new TextEncoder().encode('[{"a": 1}]');
    installDecodeWorkers({
      spawn: () => crashing('Worker terminated due to reaching memory limit: JS heap out of memory'),
    });
    const oom = await readTableWithReport(json, 'big.json').catch((e: unknown) => e);
    expect(oom).toMatchObject({ name: 'OutOfMemory', detail: { file: 'big.json' } });
    installDecodeWorkers({ spawn: () => crashing('the reading thread exited with code 7') });
    const crash = await readTableWithReport(json, 'x.json').catch((e: unknown) => e);
    expect(crash).toMatchObject({ name: 'InternalError', detail: { file: 'x.json' } });
  });
});

describe('without a sub-worker, the read runs on this thread', () => {
  const json = new TextEncoder().encode('[{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]');
  const check = (table: Table) => {
    expect(table.numRows).toBe(2);
    expect(table.getChild('b')?.get(1)).toBe('y');
  };

  it('when none can be spawned (spawn throws)', async () => {
    let tries = 0;
    installDecodeWorkers({
      spawn: () => {
        tries++;
        throw new Error('Worker is not defined');
      },
    });
    check((await readTableWithReport(json, 'a.json')).table);
    // Not tried again for the next read.
    check((await readTableWithReport(json, 'b.json')).table);
    expect(tries).toBe(1);
  });

  it('when the sub-worker fails to start (its script does not load)', async () => {
    let terminated = 0;
    installDecodeWorkers({
      spawn: () => {
        let fail: (m: string) => void = () => {};
        setTimeout(() => fail('Cannot find module decode.node-worker.mjs'), 0);
        return {
          post: () => {},
          onReply: () => {},
          onFailure: (h) => {
            fail = h;
          },
          terminate: () => {
            terminated++;
          },
        };
      },
    });
    check((await readTableWithReport(json, 'a.json')).table);
    expect(terminated).toBe(1);
  });

  it('when it does not answer within its start timeout', async () => {
    installDecodeWorkers({
      startTimeoutMs: 50,
      spawn: () => ({ post: () => {}, onReply: () => {}, onFailure: () => {}, terminate: () => {} }),
    });
    check((await readTableWithReport(json, 'a.json')).table);
  });
});
