/**
 * Property-based fuzzing of every reader (seeded, shrinking; see tests/support/fuzz.ts): thousands
 * of mutated valid files and generated hostile inputs per format, each of which must load as a
 * usable table or fail with a named, non-internal error naming the file, within a CPU budget
 * proportional to its size. FUZZ_SEED replays another seed, FUZZ_SCALE multiplies the case counts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadParquetWasm } from '../../src/io/parquet';
import {
  arrowBases,
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
    fuzz(mutatedArb(arrowBases()), 'fuzz.arrow', runs(3000)));
  it('Parquet: mutated files', async () => {
    const bases = parquetBases(await loadParquetWasm());
    await fuzz(mutatedArb(bases), 'fuzz.parquet', runs(2000));
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
