/**
 * Which columns of the notebook's output a model reads, and why the others are left out. By
 * default every numeric or boolean column except the target and the split's group/time column;
 * categorical, text and date columns are dropped with the step that would make them usable.
 * Computed per fold from that fold's output, so a one-hot column only some folds produce (a
 * category absent from a fold's training rows) is read by the folds that have it.
 */
import type { Table } from 'apache-arrow';
import { EngineError } from '../../core/errors';
import { logicalType } from '../../core/frame';
import { type ColumnType, FEATURE_TYPES } from '../../core/types';
import { isIdentifierColumn } from '../../pipeline/standard';
import type { NotebookFix, StepSuggestion } from '../../pipeline/types';
import type { DroppedColumn, FeaturePlan } from './types';

export interface FeatureOptions {
  target: string | null;
  /** Columns the split reads (group, time): never features. */
  splitColumns: readonly string[];
  /** An explicit choice (TrainSpec.features); null or [] for the default. */
  requested: readonly string[] | null | undefined;
  /** Input column → the output columns an encoder replaced it with (in this fold). */
  encoded?: ReadonlyMap<string, readonly string[]>;
}

/** Input column → output columns, from the fitted states of one-hot style encoders. */
export function encodedOutputs(states: ReadonlyMap<string, unknown>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const state of states.values()) {
    const columns = (state as { columns?: unknown } | null)?.columns;
    if (!Array.isArray(columns)) continue;
    for (const c of columns) {
      const { name, output_names } = (c ?? {}) as { name?: unknown; output_names?: unknown };
      if (typeof name === 'string' && Array.isArray(output_names))
        out.set(
          name,
          output_names.filter((n): n is string => typeof n === 'string'),
        );
    }
  }
  return out;
}

function suggestion(step: string, column: string, params: StepSuggestion['params'] = {}): StepSuggestion {
  return { step, params, columns: [column] };
}

/** Why a column of this type is not a feature, and the step that would make it one (for an
 * identifier, dropping it: what standard preprocessing and the quality report say too). */
function unusable(table: Table, column: string, type: ColumnType): DroppedColumn {
  if ((type === 'categorical' || type === 'text') && isIdentifierColumn(table, column))
    return {
      column,
      reason: type,
      message: `"${column}" has a different value in almost every row (an identifier): a model would only memorise it, so drop it.`,
      fix: suggestion('DropColumns', column),
    };
  if (type === 'categorical')
    return {
      column,
      reason: 'categorical',
      message: `"${column}" is categorical and not encoded: add a OneHotEncoder (or OrdinalEncoder) to use it.`,
      fix: suggestion('OneHotEncoder', column, { handle_unknown: 'ignore' }),
    };
  if (type === 'date' || type === 'datetime')
    return {
      column,
      reason: 'date',
      message: `"${column}" is a ${type}: add DateParts to use its year, month and day as numbers.`,
      fix: suggestion('DateParts', column),
    };
  return {
    column,
    reason: 'text',
    message: `"${column}" is free text: models read numbers, so it is left out; TextFeatures measures it.`,
    fix: suggestion('TextFeatures', column),
  };
}

/** The features of one notebook output (one fold's, or all rows'), with what is left out and why. */
export function planFeatures(table: Table, options: FeatureOptions): FeaturePlan {
  const { target } = options;
  const split = new Set(options.splitColumns);
  const dropped: DroppedColumn[] = [];
  const fields = table.schema.fields;
  for (const f of fields) {
    if (f.name === target) dropped.push({ column: f.name, reason: 'target', message: 'The target.' });
    else if (split.has(f.name))
      dropped.push({
        column: f.name,
        reason: 'split',
        message: `"${f.name}" decides the split (group or time column), so it is not a feature.`,
      });
  }
  const candidates = fields.filter((f) => f.name !== target && !split.has(f.name));
  const requested = options.requested && options.requested.length > 0 ? options.requested : null;
  let features: string[];
  if (requested) {
    features = chosen(table, requested, options);
    const used = new Set(features);
    for (const f of candidates) {
      if (!used.has(f.name))
        dropped.push({
          column: f.name,
          reason: 'not-chosen',
          message: `"${f.name}" is not among the chosen features.`,
        });
    }
  } else {
    features = [];
    for (const f of candidates) {
      const type = logicalType(f);
      if (FEATURE_TYPES.has(type)) features.push(f.name);
      else dropped.push(unusable(table, f.name, type));
    }
  }
  return { features, dropped, missing: missingIn(table, features) };
}

/**
 * An explicit feature list as this output has it: an input column an encoder replaced stands for
 * its outputs; an encoder output this fold did not produce (a category its training rows lack)
 * is left out of this fold; any other unknown name is an error.
 */
function chosen(table: Table, requested: readonly string[], options: FeatureOptions): string[] {
  const present = new Set(table.schema.fields.map((f) => f.name));
  const encoded = options.encoded ?? new Map<string, readonly string[]>();
  const out: string[] = [];
  for (const name of requested) {
    if (present.has(name)) out.push(name);
    else if (encoded.has(name)) out.push(...encoded.get(name)!.filter((n) => present.has(n)));
    else if (![...encoded.keys()].some((source) => name.startsWith(`${source}_`))) {
      throw new EngineError('SchemaError', `Feature column "${name}" does not exist.`, {
        columnName: name,
        hint: 'Pick the features again: a notebook step may have renamed, dropped or encoded it.',
      });
    }
  }
  return [...new Set(out)];
}

/** Features with gaps, each with the step that fills them (booleans, which SimpleImputer does not
 * take: one-hot encoded with "missing" as a category of its own). */
function missingIn(table: Table, features: readonly string[]): FeaturePlan['missing'] {
  const out: FeaturePlan['missing'] = [];
  for (const name of features) {
    const count = table.getChild(name)?.nullCount ?? 0;
    if (count > 0 && count < table.numRows) {
      const flag = logicalType(table.schema.fields.find((f) => f.name === name)!) === 'boolean';
      const fix = flag
        ? suggestion('OneHotEncoder', name, { handle_unknown: 'ignore' })
        : suggestion('SimpleImputer', name, { strategy: 'median' });
      out.push({ column: name, count, fix });
    }
  }
  return out;
}

/**
 * Models need a value in every row. A feature the notebook leaves gaps in (no imputer took it, an
 * encoder's code for a missing category, a boolean) fails the run, naming the fold, with the step
 * that fills it (a NotebookFix for the end of the notebook; booleans after the numbers).
 */
export function requireComplete(plan: FeaturePlan, fold: number | null, folds: number): void {
  if (plan.missing.length === 0) return;
  const numbers = plan.missing.filter((m) => m.fix.step === 'SimpleImputer');
  const group = numbers.length > 0 ? numbers : plan.missing.filter((m) => m.fix.step === 'OneHotEncoder');
  const columns = group.map((m) => m.column);
  const first = plan.missing[0]!;
  const others = plan.missing.length - 1;
  const names = columns.map((c) => `"${c}"`).join(', ');
  // The numbers: one SimpleImputer on every numeric column (its default choice), not on these
  // names: a column can be absent from another fold's output (an encoder or imputer dropped it
  // there), and a step naming it would fail in that fold.
  const fix: NotebookFix =
    group[0]!.fix.step === 'SimpleImputer'
      ? {
          step: 'SimpleImputer',
          params: { strategy: 'median' },
          label: `Fill the gaps in ${names} with the median (SimpleImputer on the numbers, at the end)`,
          at: 'end',
        }
      : {
          ...group[0]!.fix,
          columns,
          label: `One-hot encode ${names} with missing as a category (at the end)`,
          at: 'end',
        };
  throw new EngineError(
    'SchemaError',
    `Feature "${first.column}" has ${first.count} missing value${first.count === 1 ? '' : 's'}` +
      `${others > 0 ? ` (and ${others} more feature${others === 1 ? ' has' : 's have'} gaps)` : ''}` +
      `${fold === null ? '' : ` in fold ${fold + 1} of ${folds}`} after the notebook: models need a value in every row.`,
    {
      kind: 'missing-features',
      fold,
      folds,
      columnName: first.column,
      columns: plan.missing.map((m) => m.column),
      hint: `${fix.label}, then train again.`,
      fix,
    },
  );
}

/** The run's feature list: every feature some fold read, in order of first use. */
export function unionOf(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}

/** An output with nothing to train on is a mistake worth a message that says what to add. */
export function requireFeatures(plan: FeaturePlan): void {
  if (plan.features.length > 0) return;
  throw new EngineError('SchemaError', 'There are no numeric feature columns to train on.', {
    hint: 'Encode text columns (OneHotEncoder or OrdinalEncoder) in the notebook first.',
    dropped: plan.dropped.filter((d) => d.fix).map((d) => d.column),
  });
}

/** An all-missing column reads as text; say what is really wrong with a chosen one. */
export function checkNotEmpty(table: Table, features: readonly string[]): void {
  for (const name of features) {
    const v = table.getChild(name);
    if (v && table.numRows > 0 && v.nullCount === table.numRows) {
      throw new EngineError('SchemaError', `Feature "${name}" has no values at all (every row is missing).`, {
        columnName: name,
        hint: 'Drop the column, or leave it out of the features.',
      });
    }
  }
}
