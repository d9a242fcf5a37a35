/**
 * Category handling shared by the encoders and imputers: the sorted categories of a column (as
 * np.unique sorts them: numerically for integer columns, by code point for strings) and the
 * mapping of each row to a category index.
 */
import type { Vector } from 'apache-arrow';
import {
  column,
  type Frame,
  LABEL_TYPES,
  logicalType,
  readLabels,
  resolveColumns,
  typeOf,
} from '../core/frame';
import type { ColumnType } from '../core/types';
import type { ParamDef } from './step';

export function sortCategories(labels: readonly string[], type: ColumnType): string[] {
  const out = [...labels];
  if (type === 'integer' || type === 'float') out.sort((a, b) => Number(a) - Number(b));
  else out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return out;
}

/** The sorted categories of a frame's column (what an encoder fits). */
export function columnCategories(frame: Frame, name: string): string[] {
  return sortCategories(readLabels(column(frame, name)).labels, typeOf(frame, name));
}

/** Per row: the index of its value in `categories`, -1 where missing, -2 where not a known category. */
export function codesIn(vector: Vector, categories: readonly string[]): Int32Array {
  const { codes, labels } = readLabels(vector);
  const index = new Map(categories.map((c, k) => [c, k]));
  const remap = labels.map((l) => index.get(l) ?? -2);
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    out[i] = c < 0 ? -1 : remap[c]!;
  }
  return out;
}

/** Present values per category of `labels` (same order). */
export function countCodes(codes: Int32Array, n: number): Float64Array {
  const counts = new Float64Array(n);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= 0) counts[c]!++;
  }
  return counts;
}

/** The first unknown value in a column, for error messages. */
export function firstUnknown(vector: Vector, codes: Int32Array): string | null {
  for (let i = 0; i < codes.length; i++) if (codes[i] === -2) return String(vector.get(i));
  return null;
}

/** `columns` of the encoders (default: encodedColumns). */
export const ENCODED_COLUMNS_PARAM: ParamDef = {
  type: 'columns',
  default: null,
  description: 'Columns to encode; null means every categorical column.',
};

/** The categorical columns of a frame (the encoders' default selection). */
export function categoricalColumns(frame: Frame, except: string | null = null): string[] {
  return frame.schema.fields
    .filter((f) => f.name !== except && logicalType(f) === 'categorical')
    .map((f) => f.name);
}

/**
 * The columns an encoder encodes: the chosen ones, or by default every categorical column but
 * `except` (a frame without any falls back to every column of a label type, as before).
 */
export function encodedColumns(
  frame: Frame,
  step: string,
  chosen: readonly string[] | null,
  except: string | null = null,
): string[] {
  const selected = chosen ?? categoricalColumns(frame, except);
  return resolveColumns(
    frame,
    step,
    'encode',
    LABEL_TYPES,
    chosen === null && selected.length === 0 ? null : selected,
  );
}

/** An encoder's transform: the columns it was fitted on must still be there, of a label type. */
export function requireEncodedColumns(frame: Frame, step: string, names: readonly string[]): void {
  resolveColumns(frame, step, 'encode', LABEL_TYPES, names);
}
