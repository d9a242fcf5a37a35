/**
 * Parse a seeded 1M × 20 mixed-column CSV (≈100-150 MB; BENCH_ROWS to shrink) from bytes to typed
 * columns. Every implementation starts from the same bytes, so the peers' times include the
 * UTF-8 decode to a string they need (TextDecoder, ~0.1 s for 150 MB).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autoType, csvParse } from 'd3-dsv';
import Papa from 'papaparse';
import { inferSchema, initParser } from 'udsv';
import { readTable } from '../../src/io/read';
import { syntheticCsv } from '../../src/io/synthetic';
import type { BenchCase } from '../harness';

interface CsvContext {
  bytes: Uint8Array;
  rows: number;
}

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

export function csvParseCase(rows: number): BenchCase<CsvContext> {
  return {
    name: `csv parse ${rows.toLocaleString('en')} × 20`,
    bytes: (c) => c.bytes.length,
    async setup() {
      const path = join(tmpdir(), `benchtop-bench-${rows}x20-seed42.csv`);
      if (!existsSync(path)) writeFileSync(path, syntheticCsv({ rows, seed: 42 }));
      const bytes = new Uint8Array(readFileSync(path));
      process.stderr.write(`  ${path}: ${(bytes.length / 1e6).toFixed(1)} MB\n`);
      return { bytes, rows };
    },
    impls: [
      {
        name: 'benchtop readTable',
        ours: true,
        run: async (c) => {
          const table = await readTable(c.bytes, 'bench.csv');
          if (table.numRows !== c.rows) throw new Error(`read ${table.numRows} rows, expected ${c.rows}`);
          return table;
        },
      },
      {
        name: 'udsv typedCols',
        run: (c) => {
          const text = decode(c.bytes);
          const parser = initParser(inferSchema(text));
          return parser.typedCols(text);
        },
      },
      {
        name: 'd3-dsv csvParse+autoType',
        run: (c) => csvParse(decode(c.bytes), autoType),
      },
      {
        name: 'papaparse dynamicTyping',
        run: (c) =>
          Papa.parse(decode(c.bytes), { header: true, dynamicTyping: true, skipEmptyLines: true }).data,
      },
    ],
  };
}
