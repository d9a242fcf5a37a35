/**
 * "Standard tabular preprocessing" in one click: scikit-learn's ColumnTransformer idiom as
 * notebook steps — numbers imputed (median) and standardized, categories imputed (most frequent)
 * and one-hot encoded with unknown categories ignored (many categories: the rare ones grouped as
 * infrequent); booleans are features as they are, their gaps filled with the most frequent value;
 * mostly-missing columns dropped. Identifiers, free text and dates are left out with the reason
 * and what would use
 * them. The steps name their columns explicitly, so the notebook says what each step touches.
 */
import type { Table } from 'apache-arrow';
import { column, isEncoderOutput, logicalType, readLabels } from '../core/frame';
import { type ColumnType, isIdName, isRepeatedLabels } from '../core/types';
import type { LeftOutColumn, StandardPreprocessing, StepSuggestion } from './types';

/** What the recipe needs to know about a column. */
export interface ColumnFacts {
  name: string;
  type: ColumnType;
  /** Distinct present values. */
  distinct: number;
  missing: number;
  /** Integers only: whether the values are 0..n-1 or 1..n in some order (a row number). */
  rowNumber?: boolean;
  /** Text only: the mean length of the present values (short repeated values are categories). */
  meanLength?: number;
}

/** More categories than this are one-hot encoded with the rare ones grouped (max_categories). */
export const MANY_CATEGORIES = 20;
/** A text or categorical column with this share of distinct values (or more) is an identifier. */
const ID_SHARE = 0.9;

/**
 * A text or categorical column that is an identifier: a different value in ≥ 90 % of its present
 * rows (more than 20). Standard preprocessing and Train's feature list both read it by this rule,
 * and both offer to drop it (as the quality report does), never to encode or measure it.
 */
export function isIdentifierLike(distinct: number, present: number): boolean {
  return distinct >= ID_SHARE * present && present > 20;
}

/** A column's labels with its missing values counted (what the identifier rule and the facts read). */
function countedLabels(table: Table, name: string) {
  const { codes, labels } = readLabels(column(table, name));
  let missing = 0;
  for (const c of codes) if (c < 0) missing++;
  return { codes, labels, missing };
}

/** isIdentifierLike for one column of a table (its distinct and present values counted). */
export function isIdentifierColumn(table: Table, name: string): boolean {
  const { codes, labels, missing } = countedLabels(table, name);
  return isIdentifierLike(labels.length, codes.length - missing);
}
/**
 * A column missing in more than this share of rows is left out (the quality report's "mostly
 * missing"): its few values say little, and they can all fall in one test fold (k ≥ 2), leaving
 * that fold's training rows none: its imputer drops the column there (as sklearn's does), so the
 * folds' models would not even read the same features.
 */
const MOSTLY_MISSING = 0.5;

/**
 * Per column: type, distinct and missing counts (what standardPreprocessing reads). An encoder's
 * 0/1 outputs are left out: they are features already, and scaling them would fight the encoder.
 */
export function columnFacts(table: Table): ColumnFacts[] {
  return table.schema.fields
    .filter((f) => !isEncoderOutput(f))
    .map((f) => {
      const type = logicalType(f);
      const { codes, labels, missing } = countedLabels(table, f.name);
      const facts: ColumnFacts = { name: f.name, type, distinct: labels.length, missing };
      if (type === 'integer' && missing === 0 && labels.length === table.numRows && table.numRows > 1) {
        // A loop, not Math.min(...values): a spread of a million arguments overflows the stack.
        let lo = Infinity;
        let hi = -Infinity;
        for (const label of labels) {
          const v = Number(label);
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        facts.rowNumber = (lo === 0 || lo === 1) && hi === lo + table.numRows - 1;
      }
      if (type === 'text') {
        let total = 0;
        for (const c of codes) if (c >= 0) total += labels[c]!.length;
        facts.meanLength = total / Math.max(1, codes.length - missing);
      }
      return facts;
    });
}

export function standardPreprocessing(
  columns: readonly ColumnFacts[],
  rows: number,
  target: string | null = null,
): StandardPreprocessing {
  const numeric: ColumnFacts[] = [];
  const few: ColumnFacts[] = [];
  const many: ColumnFacts[] = [];
  const left: LeftOutColumn[] = [];
  const drop: string[] = [];
  /** Boolean columns with missing values: imputed with the categories, not encoded. */
  const gaps: ColumnFacts[] = [];
  for (const c of columns) {
    if (c.name === target) {
      left.push({
        column: c.name,
        reason: 'target',
        message: 'The target: never preprocessed as a feature.',
      });
      continue;
    }
    if (c.distinct <= 1 && c.type !== 'date' && c.type !== 'datetime') {
      left.push({
        column: c.name,
        reason: 'constant',
        message: `"${c.name}" has a single value: it cannot help a model.`,
      });
      drop.push(c.name);
      continue;
    }
    if (c.missing > MOSTLY_MISSING * rows) {
      left.push({
        column: c.name,
        reason: 'missing',
        message: `"${c.name}" is missing in ${Math.round((100 * c.missing) / Math.max(1, rows))}% of the rows: too few values to fill from (a fold's training rows may have none), so it is dropped; MissingIndicator keeps where it is missing as a feature.`,
        fix: { step: 'MissingIndicator', params: { features: 'all' }, columns: [c.name] },
      });
      drop.push(c.name);
      continue;
    }
    const present = rows - c.missing;
    const idLike = isIdentifierLike(c.distinct, present);
    if (c.type === 'integer' && c.rowNumber) {
      left.push({
        column: c.name,
        reason: 'identifier',
        message: `"${c.name}" numbers the rows (every value unique, 0..n or 1..n): a model would only memorise it, so it is dropped.`,
      });
      drop.push(c.name);
    } else if (c.type === 'integer' && isIdName(c.name) && c.distinct * 2 > present && present > 20) {
      // The quality report's rule for numeric identifiers (a tweet's or a customer's id): a
      // number only by its digits, so scaling it as a measurement would be meaningless.
      left.push({
        column: c.name,
        reason: 'identifier',
        message: `"${c.name}" is an identifier (named like one, ${Math.round((100 * c.distinct) / Math.max(1, present))}% distinct values): a model would only memorise it, so it is dropped.`,
      });
      drop.push(c.name);
    } else if (c.type === 'integer' || c.type === 'float') numeric.push(c);
    else if (c.type === 'boolean') {
      // Booleans are features as they are (true = 1); a gap needs the most frequent value.
      if (c.missing > 0) gaps.push(c);
    } else if (
      !idLike &&
      (c.type === 'categorical' ||
        (c.type === 'text' && isRepeatedLabels(c.distinct, present, c.meanLength ?? Infinity)))
    )
      // Text whose values repeat (a country per row of a panel) is categories, as the quality
      // report reads it — not prose for TextFeatures.
      (c.distinct > MANY_CATEGORIES ? many : few).push(c);
    else if (c.type === 'date' || c.type === 'datetime')
      left.push({
        column: c.name,
        reason: 'date',
        message: `"${c.name}" is a ${c.type}: DateParts turns it into year, month and day numbers.`,
        fix: { step: 'DateParts', params: {}, columns: [c.name] },
      });
    else if (c.type === 'categorical' || c.type === 'text') {
      left.push(
        idLike
          ? {
              column: c.name,
              reason: 'identifier',
              message: `"${c.name}" has a different value in ${Math.round((100 * c.distinct) / Math.max(1, rows - c.missing))}% of the rows (an identifier): a model would only memorise it, so drop it.`,
              fix: { step: 'DropColumns', params: {}, columns: [c.name] },
            }
          : {
              column: c.name,
              reason: 'text',
              message: `"${c.name}" is free text: TextFeatures measures its length and words.`,
              fix: { step: 'TextFeatures', params: {}, columns: [c.name] },
            },
      );
    }
  }
  const names = (cs: readonly ColumnFacts[]) => cs.map((c) => c.name);
  const steps: StepSuggestion[] = [];
  if (drop.length > 0) steps.push({ step: 'DropColumns', params: {}, columns: drop });
  if (numeric.length > 0) {
    steps.push({ step: 'SimpleImputer', params: { strategy: 'median' }, columns: names(numeric) });
    steps.push({ step: 'StandardScaler', params: {}, columns: names(numeric) });
  }
  const categorical = [...few, ...many, ...gaps];
  if (categorical.length > 0) {
    steps.push({ step: 'SimpleImputer', params: { strategy: 'most_frequent' }, columns: names(categorical) });
  }
  if (few.length > 0) {
    steps.push({ step: 'OneHotEncoder', params: { handle_unknown: 'ignore' }, columns: names(few) });
  }
  if (many.length > 0) {
    steps.push({
      step: 'OneHotEncoder',
      params: { handle_unknown: 'infrequent_if_exist', max_categories: MANY_CATEGORIES },
      columns: names(many),
    });
  }
  return { steps, left };
}

/** The recipe for a loaded table (what EngineApi.standardPreprocessing answers). */
export function standardPreprocessingFor(table: Table, target: string | null): StandardPreprocessing {
  return standardPreprocessing(columnFacts(table), table.numRows, target);
}
