/**
 * Parse a seeded 1M × 20 mixed-column CSV (≈150 MB; BENCH_ROWS to shrink) from bytes to typed
 * columns. Every implementation starts from the same bytes, so the JS peers' times include the
 * UTF-8 decode to a string they need (TextDecoder, ~0.1 s for 150 MB); pandas reads the file
 * (from the page cache). Quality: rows read and how many columns came out numeric / as dates.
 */
import type { BenchCase } from '../harness';
import { type SyntheticCsv, syntheticCsvFile } from '../synthetic-csv';

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const rowsRead = (n: number) => `${n.toLocaleString('en')} rows`;

export function csvParseCase(rows: number): BenchCase<SyntheticCsv> {
  return {
    name: `csv parse ${rows.toLocaleString('en')} × 20`,
    bytes: (c) => c.bytes.length,
    setup: () => syntheticCsvFile(rows),
    impls: [
      {
        name: 'benchtop readTable',
        ours: true,
        async prepare(c: SyntheticCsv) {
          const { readTable } = await import('../../src/io/read');
          const { logicalType } = await import('../../src/core/frame');
          return { read: () => readTable(c.bytes, 'bench.csv'), logicalType };
        },
        run: (p: { read: () => Promise<unknown> }) => p.read(),
        quality: (_c, t) => {
          const table = t as import('apache-arrow').Table;
          const kinds = table.schema.fields.map((f) => f.type.toString());
          const numeric = kinds.filter((k) => /^(Int|Uint|Float)/.test(k)).length;
          const dates = kinds.filter((k) => /^(Date|Timestamp)/.test(k)).length;
          return `${rowsRead(table.numRows)}, ${numeric} numeric, ${dates} date columns`;
        },
      },
      {
        name: 'udsv 0.7.3 typedCols',
        async prepare(c: SyntheticCsv) {
          const { inferSchema, initParser } = await import('udsv');
          return () => {
            const text = decode(c.bytes);
            return initParser(inferSchema(text)).typedCols(text);
          };
        },
        run: (parse: () => unknown[][]) => parse(),
        quality: (_c, r) => rowsRead((r as unknown[][])[0]!.length),
      },
      {
        name: 'd3-dsv 3.0.2 csvParse+autoType',
        async prepare(c: SyntheticCsv) {
          const { autoType, csvParse } = await import('d3-dsv');
          return () => csvParse(decode(c.bytes), autoType);
        },
        run: (parse: () => unknown[]) => parse(),
        quality: (_c, r) => rowsRead((r as unknown[]).length),
      },
      {
        name: 'papaparse 5.7.1 dynamicTyping',
        async prepare(c: SyntheticCsv) {
          const Papa = (await import('papaparse')).default;
          return () =>
            Papa.parse(decode(c.bytes), { header: true, dynamicTyping: true, skipEmptyLines: true }).data;
        },
        run: (parse: () => unknown[]) => parse(),
        quality: (_c, r) => rowsRead((r as unknown[]).length),
      },
    ],
    native: (c) => [
      { name: 'pandas read_csv', task: 'csv', args: { impl: 'plain', csv: c.path, types: c.types } },
      {
        name: 'pandas read_csv, parse_dates',
        task: 'csv',
        args: { impl: 'dates', csv: c.path, types: c.types },
      },
    ],
  };
}
