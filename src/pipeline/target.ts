/**
 * The target column of supervised steps (SelectKBest, TargetEncoder): named by a `target`
 * parameter, read as class labels or as numbers, with clear errors when it is missing or unsuitable.
 */
import { EngineError } from '../core/errors';
import { column, type Frame, type Labels, readLabels, readNumeric, typeOf } from '../core/frame';
import { MAX_EXPRESSION_LENGTH } from './expr';
import { sortCategories } from './labels';
import type { ParamDef } from './step';
import type { NotebookFix, StepSuggestion } from './types';

export const TARGET_PARAM: ParamDef = {
  type: 'string',
  default: '',
  maxLength: 500,
  description: 'The column to predict (the target), which this step learns from.',
};

export function requireTarget(frame: Frame, step: string, name: string): void {
  if (name === '') {
    throw new EngineError(
      'InvalidArgument',
      `${step} needs a target: set the parameter "target" to a column name.`,
      {
        param: 'target',
      },
    );
  }
  if (!frame.schema.fields.some((f) => f.name === name)) {
    throw new EngineError('SchemaError', `${step} cannot find the target column "${name}".`, {
      columnName: name,
      hint: 'Pick the target again: an earlier step may have renamed or dropped it.',
    });
  }
}

/** Class labels of the target, codes into sorted class names (as np.unique); -1 where missing. */
export function targetClasses(frame: Frame, step: string, name: string): Labels {
  requireTarget(frame, step, name);
  const { codes, labels } = readLabels(column(frame, name));
  const sorted = sortCategories(labels, typeOf(frame, name));
  const remap = labels.map((l) => sorted.indexOf(l));
  return { codes: codes.map((c) => (c < 0 ? -1 : remap[c]!)), labels: sorted };
}

/** A numeric target as Float64 (NaN where missing). */
export function targetNumbers(frame: Frame, step: string, name: string): Float64Array {
  requireTarget(frame, step, name);
  const type = typeOf(frame, name);
  if (type !== 'integer' && type !== 'float' && type !== 'boolean') {
    throw new EngineError(
      'SchemaError',
      `${step} needs a numeric target, but "${name}" (type ${type}) is not numeric.`,
      { columnName: name, type },
    );
  }
  return readNumeric(column(frame, name));
}

export function rejectMissingTarget(step: string, name: string, missing: boolean): void {
  if (missing) {
    throw new EngineError(
      'SchemaError',
      `${step} cannot learn from missing values in the target "${name}".`,
      {
        columnName: name,
        hint: 'Drop the rows without a target first (FilterRows with `target is not missing`).',
      },
    );
  }
}

/**
 * The one-click fix for a target with missing values: a FilterRows step (first in the notebook)
 * keeping the rows that have one; null for a name FilterRows cannot quote (it has a backtick).
 */
export function keepRowsWithTarget(name: string): StepSuggestion | null {
  if (name.includes('`')) return null;
  return { step: 'FilterRows', params: { expression: `\`${name}\` is not missing` } };
}

/**
 * Training on a target with missing values: a SchemaError whose detail carries that filter
 * (`fix`, a NotebookFix) for the Train tab to add at the top of the notebook.
 */
export function missingTargetError(name: string, missing?: number): EngineError {
  const step = keepRowsWithTarget(name);
  const rows = missing === undefined ? 'the rows' : `the ${missing} row${missing === 1 ? '' : 's'}`;
  const fix: NotebookFix | null = step
    ? { ...step, label: `Drop ${rows} where "${name}" is missing`, at: 'start' }
    : null;
  return new EngineError(
    'SchemaError',
    `The target "${name}" has missing values${missing === undefined ? '' : ` (${missing} rows)`}.`,
    {
      columnName: name,
      hint: `Drop ${rows} with a missing target before training (FilterRows, first in the notebook).`,
      ...(fix ? { fix } : {}),
    },
  );
}

/**
 * The one-click fix for target classes too rare to learn from or to stratify: a FilterRows step
 * dropping their rows (rows without a target are kept: their own fix drops them). Null when the
 * name cannot be quoted (a backtick) or the expression would be too long.
 */
export function dropClassesFilter(
  name: string,
  labels: readonly string[],
  /** A numeric target: its labels are written as numbers (a number never equals text). */
  numeric = false,
): StepSuggestion | null {
  if (name.includes('`')) return null;
  if (numeric && labels.some((l) => !Number.isFinite(Number(l)) || l.trim() === '')) return null;
  // Expression literals double their quote character.
  const quoted = (label: string) => (numeric ? String(Number(label)) : `"${label.replaceAll('"', '""')}"`);
  const expression = labels.map((label) => `\`${name}\` != ${quoted(label)}`).join(' and ');
  if (expression.length > MAX_EXPRESSION_LENGTH) return null;
  return { step: 'FilterRows', params: { expression } };
}
