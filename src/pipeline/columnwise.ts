/**
 * The shape most numeric steps share: fit reads each selected numeric column as Float64 (NaN =
 * missing) and computes per-column numbers; transform rewrites each column in place of the
 * original as a Float64 'float' column, missing values staying missing.
 */
import type { Vector } from 'apache-arrow';
import { cooperate } from '../core/cooperate';
import { EngineError } from '../core/errors';
import {
  column,
  type Frame,
  floatData,
  isEncoderOutput,
  NUMERIC_TYPES,
  type OutColumn,
  outColumn,
  readNumeric,
  readNumericView,
  rebuild,
  resolveColumns,
} from '../core/frame';
import type { ColumnType } from '../core/types';
import type { ParamDef } from './step';

export const NUMERIC_COLUMNS_PARAM: ParamDef = {
  type: 'columns',
  default: null,
  description: 'Columns to use; null means every numeric column.',
};

export interface NumericInput {
  names: string[];
  values: Float64Array[];
}

/** The selected numeric columns as Float64 (NaN = missing), copies by default (`read`). */
export function readNumericColumns(
  frame: Frame,
  step: string,
  action: string,
  selected: readonly string[] | null,
  read: (vector: Vector) => Float64Array = readNumeric,
): NumericInput {
  const names = resolveColumns(frame, step, action, NUMERIC_TYPES, selected);
  return { names, values: names.map((n) => read(column(frame, n))) };
}

/**
 * readNumericColumns one column at a time, with a turn for cancel (cooperate) before each: a
 * column of a million rows is a copy of tens of ms.
 */
export async function readNumericColumnsCooperatively(
  frame: Frame,
  step: string,
  action: string,
  selected: readonly string[] | null,
  signal: AbortSignal,
): Promise<NumericInput> {
  const names = resolveColumns(frame, step, action, NUMERIC_TYPES, selected);
  const values: Float64Array[] = [];
  for (const name of names) {
    await cooperate(signal);
    values.push(readNumeric(column(frame, name)));
  }
  return { names, values };
}

/** readNumericColumns without copies where possible: the arrays are READ-ONLY (for `fit`). */
export const viewNumericColumns = (
  frame: Frame,
  step: string,
  action: string,
  selected: readonly string[] | null,
): NumericInput => readNumericColumns(frame, step, action, selected, readNumericView);

/**
 * Replaces each named column by `map(values, j)` (which may rewrite `values` and return it), one
 * column at a time with a turn for cancel before each pass (cooperate).
 */
export async function mapNumericColumns(
  frame: Frame,
  step: string,
  action: string,
  names: readonly string[],
  signal: AbortSignal,
  map: (values: Float64Array, j: number, name: string) => Float64Array,
): Promise<Frame> {
  resolveColumns(frame, step, action, NUMERIC_TYPES, names);
  const mapped: Float64Array[] = [];
  for (const [j, name] of names.entries()) {
    await cooperate(signal);
    const values = readNumeric(column(frame, name));
    await cooperate(signal);
    mapped.push(map(values, j, name));
  }
  return replaceWithFloats(frame, step, names, (_name, j) => mapped[j]!);
}

/** Replaces each named column, in order, by a 'float' column of `values(name, j)`. */
export function replaceWithFloats(
  frame: Frame,
  step: string,
  names: readonly string[],
  values: (name: string, j: number) => Float64Array,
): Frame {
  const replace = new Map<string, OutColumn[]>();
  names.forEach((name, j) => {
    replace.set(name, [outColumn(name, 'float', floatData(values(name, j)))]);
  });
  return rebuild(frame, step, replace);
}

/**
 * readNumericColumns for steps that reject missing values: a SchemaError names the first column
 * with one. `view`: zero-copy, READ-ONLY arrays (viewNumericColumns). `minRows`: the steps that
 * fit on whole rows (PCA, IsolationForest, LocalOutlierFactor) need at least two.
 */
export function readCompleteColumns(
  frame: Frame,
  step: string,
  action: string,
  selected: readonly string[] | null,
  { view = false, minRows = 0 }: { view?: boolean; minRows?: number } = {},
): NumericInput {
  const input = (view ? viewNumericColumns : readNumericColumns)(frame, step, action, selected);
  input.values.forEach((v, j) => {
    rejectMissing(step, input.names[j]!, v);
  });
  const rows = frame.numRows;
  if (rows < minRows) {
    throw new EngineError('SchemaError', `${step} needs at least ${minRows} training rows, got ${rows}.`);
  }
  return input;
}

export function rejectMissing(step: string, name: string, values: Float64Array): void {
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i]!)) {
      throw new EngineError(
        'SchemaError',
        `${step} cannot handle missing values: column "${name}" has some.`,
        {
          columnName: name,
          hint: 'Add a SimpleImputer before this step.',
        },
      );
    }
  }
}

/**
 * `columns` of the steps that rescale or reshape each numeric column (scalers, power and quantile
 * transforms, log1p, clipping, binning): by default they leave alone the 0/1 indicator columns an
 * encoder made (one-hot outputs), as scikit-learn's ColumnTransformer idiom scales the numeric
 * inputs and one-hot encodes the categorical ones side by side.
 */
export const SCALED_COLUMNS_PARAM: ParamDef = {
  type: 'columns',
  default: null,
  description:
    'Columns to use; null means every numeric column except the 0/1 columns an encoder made (one-hot outputs).',
};

/**
 * The default columns of those steps: the numeric columns that are not encoder outputs. A frame
 * with no numeric column at all is the usual "found no column" error; one whose numeric columns
 * are all one-hot outputs gives none (the step then changes nothing).
 */
export function scalableColumns(frame: Frame, step: string, action: string): string[] {
  const numeric = resolveColumns(frame, step, action, NUMERIC_TYPES, null);
  const encoded = new Set(frame.schema.fields.filter(isEncoderOutput).map((f) => f.name));
  return numeric.filter((n) => !encoded.has(n));
}

/**
 * What the rescaling steps share: they take numeric columns, and with `columns: null` every one
 * of them except the encoders' 0/1 outputs (scalableColumns). Spread into the step's definition.
 */
export function rescaling(
  step: string,
  action: string,
): { accepts: readonly ColumnType[]; defaultColumns: (input: Frame) => string[] } {
  return { accepts: NUMERIC_TYPES, defaultColumns: (input) => scalableColumns(input, step, action) };
}

/** The columns a rescaling step fits on: the selected ones, or by default scalableColumns. */
export function scaledColumns(
  frame: Frame,
  step: string,
  action: string,
  selected: readonly string[] | null,
): readonly string[] {
  return selected ?? scalableColumns(frame, step, action);
}

/** readNumericColumns of scaledColumns. */
export function readScaledColumns(
  frame: Frame,
  step: string,
  action: string,
  selected: readonly string[] | null,
): NumericInput {
  return readNumericColumns(frame, step, action, scaledColumns(frame, step, action, selected));
}
