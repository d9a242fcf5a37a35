/**
 * Seeded synthetic data: ./generate.ts draws the columns, ./table.ts builds the Arrow table and
 * ./csv.ts writes the same data as CSV bytes.
 */

export { syntheticCsv } from './csv';
export { DEFAULT_SYNTHETIC_COLUMNS, MAX_SYNTHETIC_COLUMNS, MAX_SYNTHETIC_ROWS } from './generate';
export { syntheticTable, syntheticTableAsync } from './table';
