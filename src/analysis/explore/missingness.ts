/**
 * Which cells are missing: a bitmap of an evenly spaced sample of rows (the matrix view) and the
 * missing-value patterns over all rows with their counts, most frequent first.
 */
import type { Table } from 'apache-arrow';
import { missingMask } from '../../core/frame';
import { evenSample } from './columns';
import type { MissingnessResult } from './types';

export const MISSINGNESS_SAMPLE_ROWS = 2000;
const MAX_PATTERNS = 20;

export function missingness(table: Table, sampleRows = MISSINGNESS_SAMPLE_ROWS): MissingnessResult {
  const columns = table.schema.fields.map((f) => f.name);
  const masks = columns.map((c) => missingMask(table.getChild(c)!));
  const n = table.numRows;
  const d = columns.length;
  const sample = evenSample(n, sampleRows);
  const rows = sample ? sample.length : n;
  const bitmap = new Uint8Array(rows * d);
  for (let r = 0; r < rows; r++) {
    const i = sample ? sample[r]! : r;
    for (let j = 0; j < d; j++) bitmap[r * d + j] = masks[j]![i]!;
  }
  const missingPerColumn = masks.map((m) => m.reduce((s, x) => s + x, 0));
  // Patterns only vary over the columns that have a missing value; key them by those bits.
  const holed = missingPerColumn.map((m, j) => (m > 0 ? j : -1)).filter((j) => j >= 0);
  const counts = new Map<string, number>();
  const key = new Uint8Array(holed.length);
  const decoder = new TextDecoder('latin1');
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < holed.length; k++) key[k] = 48 + masks[holed[k]!]![i]!;
    const s = holed.length ? decoder.decode(key) : '';
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const patterns = [...counts.entries()]
    .map(([s, count]) => {
      const missing = new Array<number>(d).fill(0);
      for (let k = 0; k < holed.length; k++) missing[holed[k]!] = s.charCodeAt(k) - 48;
      return { missing, count };
    })
    .sort((a, b) => b.count - a.count)
    .slice(0, MAX_PATTERNS);
  return { columns, rows, bitmap, totalRows: n, patterns, missingPerColumn };
}

export type { MissingnessResult };
