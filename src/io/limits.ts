/**
 * The shapes the readers refuse, each with the reason: a small hostile file must not turn into a
 * table thousands of times its size (the worker would hang or run out of memory), and the user gets
 * a SchemaError that names the file and says what to change instead.
 */
import { EngineError } from '../core/errors';

/** Columns in one table. Excel stops at 16,384; past this the per-column bookkeeping (an Arrow
 * field and buffers, ~2.5 KB a column) costs more than the data (1M empty columns: 2.5 GB). */
export const MAX_COLUMNS = 100_000;

/** Table cells (rows × columns) the readers may create for every byte of input, above a constant.
 * A dense file spends at least one byte (a delimiter) per cell; padding short CSV rows or missing
 * JSON keys is what makes more. */
export const MAX_CELLS_PER_BYTE = 16;
export const FREE_CELLS = 1 << 22;

/** Nesting depth of JSON objects and arrays (JSON.stringify and flattening go one level per
 * nesting; real data nests a few levels). */
export const MAX_JSON_DEPTH = 256;

const fmt = (n: number): string => n.toLocaleString('en-US');

export function tooManyColumns(fileName: string, columns: number): EngineError {
  return new EngineError(
    'SchemaError',
    `${fileName} has ${fmt(columns)} columns; Benchtop reads at most ${fmt(MAX_COLUMNS)}.`,
    {
      file: fileName,
      columns,
      hint: 'Check the delimiter (a wrong one splits every value), or keep only the columns you need.',
    },
  );
}

/** The most rows a table of `columns` columns may have when read from `inputBytes` bytes. */
export function maxRowsFor(columns: number, inputBytes: number): number {
  return Math.floor((FREE_CELLS + MAX_CELLS_PER_BYTE * inputBytes) / Math.max(1, columns));
}

export function tooSparse(
  fileName: string,
  rows: number,
  columns: number,
  why: string,
  hint: string,
): EngineError {
  return new EngineError(
    'SchemaError',
    `${fileName} would become a table of ${fmt(rows)} rows × ${fmt(columns)} columns, almost all of it empty: ${why}.`,
    { file: fileName, rows, columns, hint },
  );
}
