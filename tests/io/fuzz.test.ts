/**
 * Property-based fuzzing of every reader (seeded, shrinking; see tests/support/fuzz.ts): thousands
 * of mutated valid files and generated hostile inputs per format, each of which must load as a
 * usable table or fail with a named, non-internal error naming the file, within a CPU budget
 * proportional to its size. FUZZ_SEED replays another seed, FUZZ_SCALE multiplies the case counts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadParquetWasm } from '../../src/io/parquet';
import {
  arrowBases,
  arrowGenerated,
  arrowGeneratedArb,
  checkReader,
  csvBases,
  csvTextArb,
  FUZZ_SEED,
  jsonBases,
  jsonTextArb,
  mutatedArb,
  ndjsonBases,
  ndjsonTextArb,
  parquetBases,
  runs,
} from '../support/fuzz';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

async function fuzz(arb: fc.Arbitrary<Uint8Array>, fileName: string, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arb, async (bytes) => {
      await checkReader(bytes, fileName);
    }),
    { seed: FUZZ_SEED, numRuns },
  );
}

// The budget is for a quiet 2-core machine; a run takes about a minute.
describe('reader fuzzing', { timeout: 600_000 }, () => {
  it('CSV/TSV: mutated files', () => fuzz(mutatedArb(csvBases()), 'fuzz.csv', runs(2000)));
  it('CSV/TSV: generated text', () => fuzz(csvTextArb.map(utf8), 'fuzz.csv', runs(1500)));
  it('JSON: mutated files', () => fuzz(mutatedArb(jsonBases()), 'fuzz.json', runs(1500)));
  it('JSON: generated documents', () => fuzz(jsonTextArb.map(utf8), 'fuzz.json', runs(1500)));
  it('NDJSON: mutated and generated', async () => {
    await fuzz(mutatedArb(ndjsonBases()), 'fuzz.ndjson', runs(1000));
    await fuzz(ndjsonTextArb.map(utf8), 'fuzz.ndjson', runs(1000));
  });
  it('Arrow IPC (file and stream): mutated files', () =>
    fuzz(mutatedArb(arrowBases()), 'fuzz.arrow', runs(4000)));
  it('Arrow IPC: generated tables, some mutated', () => fuzz(arrowGeneratedArb, 'fuzz.arrow', runs(1500)));
  it('Arrow IPC: every valid generated table loads (the checks reject no real file)', async () => {
    await fc.assert(
      fc.asyncProperty(arrowGenerated(0), async (bytes) => {
        const { table } = await checkReader(bytes, 'valid.arrow');
        expect(table?.numRows).toBe(tableFromIPC(bytes).numRows);
      }),
      { seed: FUZZ_SEED, numRuns: runs(300) },
    );
  });
  it('Parquet: every valid generated table written by parquet-wasm loads', async () => {
    const wasm = await loadParquetWasm();
    await fc.assert(
      fc.asyncProperty(arrowGenerated(0), async (ipc) => {
        const source = tableFromIPC(ipc);
        const bytes = wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(source, 'stream')));
        const { table } = await checkReader(bytes, 'valid.parquet');
        expect(table?.numRows).toBe(source.numRows);
      }),
      { seed: FUZZ_SEED, numRuns: runs(300) },
    );
  });
  it('Parquet: mutated files', async () => {
    const bases = parquetBases(await loadParquetWasm());
    await fuzz(mutatedArb(bases), 'fuzz.parquet', runs(4000));
  });
});

/** Inputs the fuzzer once broke (shrunk), replayed every run. */
describe('fuzz regressions', () => {
  const dir = new URL('./fuzz-regressions/', import.meta.url);
  const files = readdirSync(dir).filter((f) => !f.endsWith('.md'));
  it.each(files)('%s', async (name) => {
    const outcome = await checkReader(new Uint8Array(readFileSync(new URL(name, dir))), name);
    expect(outcome.table !== null || outcome.error !== null).toBe(true);
  });
});
