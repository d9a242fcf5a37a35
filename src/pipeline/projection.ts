/**
 * Shared by the steps that map several input columns to new ones (PCA, TruncatedSVD,
 * PolynomialFeatures): row-major access to the selected columns and the output table, where the
 * new columns take the place of the first input column and the other inputs are removed.
 */
import { type Frame, floatData, type OutColumn, outColumn, rebuild } from '../core/frame';
import { projectColumns } from '../core/project';

/** Columns (each of n values) → one row-major n×d Float64Array, optionally minus a per-column center. */
export function rowMajor(
  columns: readonly Float64Array[],
  center: readonly number[] | null = null,
): Float64Array {
  const d = columns.length;
  const n = d === 0 ? 0 : columns[0]!.length;
  const out = new Float64Array(n * d);
  columns.forEach((col, j) => {
    const c = center ? center[j]! : 0;
    for (let i = 0; i < n; i++) out[i * d + j] = col[i]! - c;
  });
  return out;
}

/** X (n×d columns, minus `center`) · Wᵀ with W k×d row-major: k output columns. */
export function project(
  columns: readonly Float64Array[],
  center: readonly number[] | null,
  w: readonly (readonly number[])[],
): Float64Array[] {
  // Blocked over rows (cache-friendly), the same sums bit for bit as a column-by-column loop.
  return projectColumns(columns, center, w);
}

/** The input with `inputs` replaced by `outputs` (at the first input's position). */
export function replaceColumns(
  frame: Frame,
  step: string,
  inputs: readonly string[],
  outputs: readonly { name: string; values: Float64Array }[],
): Frame {
  const replace = new Map<string, OutColumn[]>();
  inputs.forEach((name, j) => {
    replace.set(name, j === 0 ? outputs.map((o) => outColumn(o.name, 'float', floatData(o.values))) : []);
  });
  return rebuild(frame, step, replace);
}
