/**
 * The seeded 1M × 20 mixed CSV of the csv and profile cases (src/io/synthetic.ts), written once to
 * the bench folder, and the logical type our reader gives each column — stored beside it as JSON,
 * so that a peer's process (and Python) learns them without importing our modules.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ColumnType } from '../src/core/types';
import { benchPath } from './data';

export interface SyntheticCsv {
  path: string;
  bytes: Uint8Array;
  rows: number;
  types: Record<string, ColumnType>;
}

export async function syntheticCsvFile(rows: number): Promise<SyntheticCsv> {
  const path = benchPath(`synthetic-${rows}x20-seed42.csv`);
  const typesPath = `${path}.types.json`;
  if (!existsSync(path)) {
    const { syntheticCsv } = await import('../src/io/synthetic');
    writeFileSync(path, syntheticCsv({ rows, seed: 42 }));
  }
  const bytes = new Uint8Array(readFileSync(path));
  if (!existsSync(typesPath)) {
    const { readTable } = await import('../src/io/read');
    const { logicalType } = await import('../src/core/frame');
    const table = await readTable(bytes, 'bench.csv');
    writeFileSync(
      typesPath,
      JSON.stringify(Object.fromEntries(table.schema.fields.map((f) => [f.name, logicalType(f)]))),
    );
  }
  return { path, bytes, rows, types: JSON.parse(readFileSync(typesPath, 'utf8')) };
}
