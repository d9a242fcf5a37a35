/**
 * The data-quality report: findings about a table and its profile (src/analysis/profile), each with
 * a one-sentence explanation and, where a step can fix it, that step. Thresholds:
 *   missing values — any; info < 5 %, warning < 30 %, else error; > 50 % suggests dropping.
 *   duplicates — rows equal in every column, found by a 53-bit hash of the row (a false match
 *     needs two different rows with the same hash: probability ~ rows² / 2^54).
 *   constant — one distinct value; near-constant — one value holds ≥ 99 % of present values.
 *   mixed types — a text/categorical column whose values mostly (≥ 50 %) read as numbers or
 *     dates: its values (dictionary entries weighted by count, or up to 10,000 evenly spaced text
 *     cells) are classified with the same patterns as the CSV reader's number/date syntax.
 *   high cardinality — more than 50 categories in a categorical column, or in a text column of
 *     short repeated labels (distinct ≤ half the values, ≤ 40 characters on average).
 *   ID-like — an integer column with all values distinct and strictly monotonic, or named like an
 *     id with more than half of its values distinct; a categorical column with ≥ 95 % of its present values distinct, or a text column of
 *     short codes without spaces (≤ 40 characters) more than half of whose values are distinct;
 *     missing values allowed.
 *   free text — a text column that is neither ID-like nor short repeated labels (prose, titles,
 *     names): models read numbers and categories, so the fix drops it.
 *   placeholders — values of a categorical/text column that stand for "missing": punctuation
 *     alone (".", "?", "-", "--") in ≤ 10 % of present values, or words such as "unknown", "n/a",
 *     "missing", "not available" in < 50 %; fixed by MarkMissing (pandas' na_values).
 *   missing-value fixes by column kind — numbers: median; low-cardinality categories with < 10 %
 *     missing: the most frequent value; other categories: a new "missing" category (sklearn's
 *     constant fill); ID-like columns: drop; free text: a MissingIndicator (never a mode fill,
 *     which would invent thousands of copies of one title or name).
 *   outliers — IQR (k = 1.5, the default), z-score (|z| > 3, ddof = 1) or MAD (modified z-score
 *     |0.6745·(x − median)/MAD| > 3.5, Iglewicz & Hoaglin), chosen by the caller.
 *   correlated pairs — |Pearson r| ≥ 0.95 on pairwise-complete rows (pandas' corr()), computed
 *     on the CPU over the first 50 numeric columns and ≤ 200,000 evenly spaced rows.
 *   class imbalance — the rarest class of a discrete target has < 10 % of rows; classes of a
 *     categorical target with fewer rows than 5 (sklearn's default number of folds) are named,
 *     with a filter that drops their rows as the fix: stratified 5-fold CV cannot place them in
 *     every fold (it stops), and no model learns a class from 4 rows.
 *   target leakage — |r| ≥ 0.98 with a numeric or binary target, or a discrete feature (≤ one
 *     value per 20 rows) whose values each map to one target class for ≥ 98 % of rows, when the
 *     majority class alone covers < 90 %.
 */

import { type Table, Type } from 'apache-arrow';
import { cooperate } from '../../core/cooperate';
import { codeOf } from '../../core/frame';
import { pearson } from '../../core/stats';
import { type ColumnType, isIdName, isRepeatedLabels } from '../../core/types';
import { dropClassesFilter, keepRowsWithTarget } from '../../pipeline/target';
import { columnOf, countLabels, forEachUtf8, isValid, readFloat64 } from '../profile/columns';
import { fmix32, hashBytes, hashKey, hashWords0, hashWords1 } from '../profile/hash';
import { quantilesInPlace } from '../profile/quantiles';
import type { ColumnProfile } from '../profile/types';
import type { OutlierMethod, QualityFix, QualityOptions, QualityWarning, Severity } from './types';

export type * from './types';

const NEAR_CONSTANT_SHARE = 0.99;
const HIGH_CARDINALITY = 50;
const CORRELATED = 0.95;
const LEAKAGE_CORRELATION = 0.98;
const LEAKAGE_PURITY = 0.98;
const IMBALANCE_SHARE = 0.1;
/** A class with fewer rows than this cannot be in each of 5 stratified folds (sklearn's default). */
export const RARE_CLASS_ROWS = 5;
/** Rare classes are looked for in categorical targets of at most this many classes. */
const RARE_CLASS_MAX_CLASSES = 200;
const MIXED_SAMPLE = 10_000;
const ID_MIN_ROWS = 20;
const ID_DISTINCT_SHARE = 0.95;
/** Missing shares up to this are filled with the most frequent category; above, with "missing". */
const MODE_FILL_MAX_MISSING = 0.1;
const PLACEHOLDER_PUNCTUATION_SHARE = 0.1;
const PLACEHOLDER_WORD_SHARE = 0.5;

const fmt = (n: number) => n.toLocaleString('en-US');
/** "9.2%"; a share that rounds to 0.0% or 100.0% but is not says so ("<0.1%", ">99.9%"), as the profile does. */
const pct = (part: number, whole: number) => {
  const p = (100 * part) / whole;
  if (p > 0 && p < 0.05) return '<0.1%';
  if (p < 100 && p >= 99.95) return '>99.9%';
  return `${p.toFixed(1)}%`;
};
const num = (x: number) => (Number.isInteger(x) ? fmt(x) : Number(x.toPrecision(4)).toString());
const isNumeric = (t: ColumnType) => t === 'integer' || t === 'float';

export const DEFAULT_OUTLIER_METHOD: OutlierMethod = 'iqr';

export async function qualityReport(
  table: Table,
  profiles: readonly ColumnProfile[],
  options: QualityOptions = {},
  /** Cancels the report; the checks yield between columns (src/core/cooperate.ts). */
  signal?: AbortSignal,
): Promise<QualityWarning[]> {
  const target = options.target ?? null;
  const method = options.outlierMethod ?? DEFAULT_OUTLIER_METHOD;
  const out: QualityWarning[] = [];
  const warn = (
    kind: QualityWarning['kind'],
    severity: Severity,
    columns: string[],
    message: string,
    fix?: QualityFix,
  ) =>
    out.push({
      id: `${kind}:${columns.join(',')}`,
      kind,
      severity,
      columns,
      message,
      ...(fix ? { fix } : {}),
    });
  const drop = (columns: string[], label = `Drop ${quoteList(columns)}`): QualityFix => ({
    label,
    step: { step: 'DropColumns', params: {}, columns },
  });

  const idLike = new Set<string>();
  for (const p of profiles) {
    await cooperate(signal);
    // Missing values.
    if (p.missing > 0 && p.rows > 0) {
      const share = p.missing / p.rows;
      const severity: Severity = share < 0.05 ? 'info' : share < 0.3 ? 'warning' : 'error';
      warn(
        'missing',
        severity,
        [p.name],
        `"${p.name}" is missing ${fmt(p.missing)} of ${fmt(p.rows)} values (${pct(p.missing, p.rows)}).`,
        p.name === target ? missingTargetFix(p) : missingFix(p, share, drop),
      );
    }
    if (p.count === 0) continue;
    // Placeholders for missing values (also in the target: its rows would train a fake class).
    if (p.type === 'categorical' || p.type === 'text') {
      const found = placeholders(table, p);
      if (found) warn('placeholder', 'warning', [p.name], found.message, found.fix);
    }
    if (p.name === target) continue;
    // Constant and near-constant.
    if (p.distinct === 1 && !p.distinctApprox) {
      warn(
        'constant',
        'warning',
        [p.name],
        `"${p.name}" has a single value${p.dominant ? ` (${p.dominant.value})` : ''} in all ${fmt(p.count)} present rows, so it carries no information.`,
        drop([p.name]),
      );
      continue;
    }
    if (p.dominant && p.dominant.count / p.count >= NEAR_CONSTANT_SHARE) {
      warn(
        'near-constant',
        'info',
        [p.name],
        `"${p.name}" is ${p.dominant.value} in ${pct(p.dominant.count, p.count)} of its ${fmt(p.count)} present values, so it carries almost no information.`,
        drop([p.name]),
      );
    }
    // ID-like.
    if (isIdLike(p)) {
      idLike.add(p.name);
      const distinct =
        p.distinct >= p.count && !p.distinctApprox
          ? `all ${fmt(p.count)} values are distinct`
          : `${p.distinctApprox ? 'about ' : ''}${fmt(Math.min(p.distinct, p.count))} of its ${fmt(p.count)} values are distinct`;
      warn(
        'id-like',
        'warning',
        [p.name],
        `"${p.name}" looks like an identifier: ${distinct}${p.numeric?.monotonic ? ` and ${p.numeric.monotonic}` : ''}, so a model can only memorise it.`,
        drop([p.name]),
      );
    } else if (isFreeText(p)) {
      warn(
        'free-text',
        'info',
        [p.name],
        `"${p.name}" is free text (${p.distinctApprox ? 'about ' : ''}${fmt(p.distinct)} distinct values in ${fmt(p.count)} rows, ${num(p.text?.meanLength ?? 0)} characters on average); models read numbers and categories, so it is not a feature as it is.`,
        drop([p.name], `Drop "${p.name}" (free text)`),
      );
    } else if (isCategoryLike(p) && p.distinct > HIGH_CARDINALITY) {
      warn(
        'high-cardinality',
        'warning',
        [p.name],
        `"${p.name}" has ${p.distinctApprox ? 'about ' : ''}${fmt(p.distinct)} categories; one-hot encoding it would add as many columns.`,
        {
          label: `Encode "${p.name}" as integers`,
          // Categories seen only in a test fold get their own code instead of failing the fold.
          step: {
            step: 'OrdinalEncoder',
            params: { handle_unknown: 'use_encoded_value', unknown_value: -1 },
            columns: [p.name],
          },
        },
      );
    }
    // Mixed types. Not for identifiers: digits are an id's spelling, not a quantity (an 18-digit
    // tweet id read as text to keep its digits would be rounded by the cast to float).
    if ((p.type === 'categorical' || p.type === 'text') && !idLike.has(p.name)) {
      const mixed = mixedTypes(table, p);
      if (mixed) warn('mixed-types', mixed.severity, [p.name], mixed.message, mixed.fix);
    }
  }

  await rowsWithMissing(table, profiles, warn, signal);
  await duplicates(table, warn, signal);
  const numeric = profiles.filter(
    (p) => isNumeric(p.type) && p.name !== target && !idLike.has(p.name) && p.distinct > 1 && p.numeric,
  );
  for (const p of numeric) {
    await cooperate(signal);
    const o = outliers(table, p, method);
    if (o) warn('outliers', o.severity, [p.name], o.message, o.fix);
  }
  await correlatedPairs(table, numeric, options, warn, drop, signal);
  if (target !== null) await targetChecks(table, profiles, target, idLike, warn, drop, signal);
  return out;
}

type Warn = (
  kind: QualityWarning['kind'],
  severity: Severity,
  columns: string[],
  message: string,
  fix?: QualityFix,
) => void;
type Drop = (columns: string[], label?: string) => QualityFix;

const quoteList = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/** Training needs a target in every row: keep the rows that have one (a filter, first in the notebook). */
function missingTargetFix(p: ColumnProfile): QualityFix | undefined {
  const step = keepRowsWithTarget(p.name);
  if (!step) return undefined;
  return {
    label: `Drop the ${fmt(p.missing)} row${p.missing === 1 ? '' : 's'} where the target "${p.name}" is missing`,
    step,
  };
}

function missingFix(p: ColumnProfile, share: number, drop: Drop): QualityFix | undefined {
  if (share > 0.5) return drop([p.name], `Drop "${p.name}" (mostly missing)`);
  if (isNumeric(p.type))
    return {
      label: `Fill "${p.name}" with its median`,
      step: { step: 'SimpleImputer', params: { strategy: 'median' }, columns: [p.name] },
    };
  if (p.type === 'boolean')
    return {
      label: `Fill "${p.name}" with its most frequent value`,
      step: { step: 'SimpleImputer', params: { strategy: 'most_frequent' }, columns: [p.name] },
    };
  if (p.type !== 'categorical' && p.type !== 'text') return undefined; // dates: SimpleImputer does not take them
  // A mode fill would copy one identifier or one title into every gap.
  if (isIdLike(p)) return drop([p.name], `Drop "${p.name}" (an identifier)`);
  if (isFreeText(p))
    return {
      label: `Mark where "${p.name}" is missing (MissingIndicator)`,
      step: { step: 'MissingIndicator', params: { features: 'all' }, columns: [p.name] },
    };
  if (share < MODE_FILL_MAX_MISSING && p.distinct <= HIGH_CARDINALITY)
    return {
      label: `Fill "${p.name}" with its most frequent value`,
      step: { step: 'SimpleImputer', params: { strategy: 'most_frequent' }, columns: [p.name] },
    };
  return {
    label: `Fill "${p.name}" with a new category "missing"`,
    step: {
      step: 'SimpleImputer',
      params: { strategy: 'constant', fill_value: 'missing' },
      columns: [p.name],
    },
  };
}

/** Categorical, or text whose values repeat (labels the reader left as text, not prose). */
const isCategoryLike = (p: ColumnProfile) =>
  p.type === 'categorical' ||
  (p.type === 'text' && isRepeatedLabels(p.distinct, p.count, p.text?.meanLength ?? 99));

/** Text that is neither short repeated labels nor an identifier: prose, titles, names. */
const isFreeText = (p: ColumnProfile) =>
  p.type === 'text' && p.count >= ID_MIN_ROWS && !isCategoryLike(p) && !isIdLike(p);

function isIdLike(p: ColumnProfile): boolean {
  if (p.count < ID_MIN_ROWS) return false;
  if (p.type === 'integer') {
    // Integers: every value distinct and monotonic, or named like an id and mostly distinct (the
    // same patient or customer may appear in several rows).
    const allDistinct = p.distinctApprox ? p.distinct >= 0.98 * p.count : p.distinct === p.count;
    const named = isIdName(p.name);
    return (
      (p.missing === 0 && allDistinct && p.numeric?.monotonic != null) || (named && p.distinct * 2 > p.count)
    );
  }
  // Categories: near-unique among the present values.
  if (p.type === 'categorical') return p.distinct >= ID_DISTINCT_SHARE * p.count;
  // Text: short codes without spaces that mostly differ (IDs, SKUs, individual tags).
  if (p.type === 'text')
    return (
      (p.distinct >= ID_DISTINCT_SHARE * p.count || p.distinct * 2 > p.count) &&
      (p.text?.maxLength ?? 99) <= 40 &&
      !(p.categories?.top ?? []).some((c) => /\s/.test(c.value))
    );
  return false;
}

/** Words that stand for "no value" (compared trimmed, lower-case). "none" is left out: it is often
 * a real answer ("air bags: none"), and the reader already treats "None" as missing. */
const PLACEHOLDER_WORDS = new Set([
  'unknown',
  'unk',
  'n/a',
  'n.a.',
  'na',
  'nan',
  'null',
  'nil',
  'missing',
  'not available',
  'not applicable',
  'not known',
  'not stated',
  'undefined',
  'blank',
  '(blank)',
  'empty',
  '#n/a',
  'tbd',
]);
/** Only punctuation and symbols (".", "?", "-", "--", "*"). */
const PUNCTUATION_ONLY = /^[\p{P}\p{S}]+$/u;

function placeholderKind(value: string): 'punctuation' | 'word' | null {
  const v = value.trim();
  if (v === '' || PUNCTUATION_ONLY.test(v)) return 'punctuation';
  return PLACEHOLDER_WORDS.has(v.toLowerCase()) ? 'word' : null;
}

/** Placeholder values of a categorical/text column and their counts, with the MarkMissing fix. */
function placeholders(table: Table, p: ColumnProfile): { message: string; fix: QualityFix } | null {
  const vector = columnOf(table, p.name);
  const counts = new Map<string, number>();
  let present = 0;
  if (vector.data.some((d) => d.dictionary)) {
    for (const [value, c] of countLabels(vector).counts) {
      present += c;
      if (c > 0 && placeholderKind(value) !== null) counts.set(value, c);
    }
  } else {
    const decoder = new TextDecoder();
    forEachUtf8(vector, (bytes, s, e) => {
      present++;
      if (e - s > 20) return; // no placeholder is this long
      const value = decoder.decode(bytes.subarray(s, e));
      if (placeholderKind(value) !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
    });
  }
  const found = [...counts]
    .filter(([value, c]) => {
      const limit =
        placeholderKind(value) === 'punctuation' ? PLACEHOLDER_PUNCTUATION_SHARE : PLACEHOLDER_WORD_SHARE;
      // MarkMissing lists values comma-separated, so a value with a comma cannot be named.
      return c <= limit * present && c < present && !value.includes(',');
    })
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (found.length === 0) return null;
  const total = found.reduce((sum, [, c]) => sum + c, 0);
  const listed = found.map(([v, c]) => `"${v}" (${fmt(c)}×)`).join(', ');
  const rare = found.some(([, c]) => c < 5)
    ? '; as a category it is too rare to learn from and can be absent from a training fold'
    : '';
  const values = found.map(([v]) => v.trim());
  return {
    message: `${found.length === 1 ? 'The value' : 'The values'} ${listed} in "${p.name}" look${found.length === 1 ? 's' : ''} like ${found.length === 1 ? 'a placeholder' : 'placeholders'} for a missing value (${pct(total, present)} of present values)${rare}.`,
    fix: {
      label: `Treat ${values.map((v) => `"${v}"`).join(', ')} in "${p.name}" as missing`,
      step: { step: 'MarkMissing', params: { values: values.join(', ') }, columns: [p.name] },
    },
  };
}

// The CSV reader's syntax for numbers (with optional thousands separators) and ISO dates.
const NUMBER = /^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function mixedTypes(
  table: Table,
  p: ColumnProfile,
): { severity: Severity; message: string; fix?: QualityFix } | null {
  const vector = columnOf(table, p.name);
  const weighted: [string, number][] = [];
  if (vector.data.some((d) => d.dictionary)) {
    for (const [value, c] of countLabels(vector).counts) weighted.push([value, c]);
  } else {
    const step = Math.max(1, Math.floor(vector.length / MIXED_SAMPLE));
    for (let i = 0; i < vector.length; i += step) {
      const v = vector.get(i) as unknown;
      if (v !== null && v !== undefined) weighted.push([String(v), 1]);
    }
  }
  let numbers = 0;
  let dates = 0;
  let total = 0;
  const others: string[] = [];
  for (const [raw, c] of weighted) {
    const v = raw.trim();
    total += c;
    if (v !== '' && NUMBER.test(v) && /\d/.test(v)) numbers += c;
    else if (DATE.test(v)) dates += c;
    else if (others.length < 3 && !others.includes(v)) others.push(v);
  }
  if (total === 0) return null;
  const [kind, share, to] =
    numbers >= dates ? (['numbers', numbers, 'float'] as const) : (['dates', dates, 'date'] as const);
  if (share / total < 0.5) return null;
  const rest = total - share;
  const examples = others.map((o) => `"${o}"`).join(', ');
  const message =
    rest === 0
      ? `Every value of "${p.name}" reads as ${kind === 'numbers' ? 'a number' : 'a date'}, but the column is ${p.type}.`
      : `${pct(share, total)} of the values of "${p.name}" read as ${kind} and ${pct(rest, total)} do not (e.g. ${examples}).`;
  const severity: Severity = rest === 0 ? 'info' : 'warning';
  // CastType reads numbers, not dates: a date column is re-typed where it is loaded.
  if (to === 'date') return { severity, message: `${message} Re-type the column as date to read them.` };
  return {
    severity,
    message,
    fix: {
      label: `Convert "${p.name}" to ${to}${rest === 0 ? '' : ' (other values become missing)'}`,
      step: { step: 'CastType', params: { column: p.name, to, errors: 'coerce' } },
    },
  };
}

async function rowsWithMissing(
  table: Table,
  profiles: readonly ColumnProfile[],
  warn: Warn,
  signal: AbortSignal | undefined,
): Promise<void> {
  const withMissing = profiles.filter((p) => p.missing > 0);
  if (withMissing.length < 2) return; // one column: its own warning says it all
  const any = new Uint8Array(table.numRows);
  for (const p of withMissing) {
    await cooperate(signal);
    const vector = columnOf(table, p.name);
    if (isNumeric(p.type) || p.type === 'date' || p.type === 'datetime') {
      const x = readFloat64(vector);
      for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i])) any[i] = 1;
    } else {
      let pos = 0;
      for (const d of vector.data) {
        for (let i = 0; i < d.length; i++) if (!isValid(d, i)) any[pos + i] = 1;
        pos += d.length;
      }
      if (p.type === 'categorical')
        // Dictionary entries that are themselves null.
        for (let i = 0; i < vector.length; i++) if (!any[i] && vector.get(i) == null) any[i] = 1;
    }
  }
  let rows = 0;
  for (let i = 0; i < any.length; i++) rows += any[i] as number;
  if (rows === 0) return;
  warn(
    'rows-with-missing',
    rows / table.numRows < 0.05 ? 'info' : 'warning',
    withMissing.map((p) => p.name),
    `${fmt(rows)} of ${fmt(table.numRows)} rows (${pct(rows, table.numRows)}) have at least one missing value, across ${withMissing.length} columns.`,
  );
}

/** Per-row 2×32-bit hash of all cells (missing hashes as its own value). */
async function rowHashes(table: Table, signal: AbortSignal | undefined): Promise<[Uint32Array, Uint32Array]> {
  const n = table.numRows;
  const a = new Uint32Array(n);
  const b = new Uint32Array(n);
  const h = new Uint32Array(2);
  const mix = (i: number, h0: number, h1: number) => {
    a[i] = fmix32(Math.imul((a[i] as number) ^ h0, 0x9e3779b1) + 0x7f4a7c15);
    b[i] = fmix32(Math.imul((b[i] as number) ^ h1, 0x85ebca77) + 0x165667b1);
  };
  for (const field of table.schema.fields) {
    await cooperate(signal);
    const vector = columnOf(table, field.name);
    const t = field.type.typeId;
    if (vector.data.every((d) => d.dictionary)) {
      let pos = 0;
      for (const d of vector.data) {
        const dict = d.dictionary!;
        const hd = new Uint32Array(dict.length * 2);
        for (let k = 0; k < dict.length; k++) {
          const bytes = new TextEncoder().encode(String(dict.get(k)));
          hashBytes(bytes, 0, bytes.length, h);
          hd[2 * k] = h[0] as number;
          hd[2 * k + 1] = h[1] as number;
        }
        const keys = d.values as ArrayLike<number>;
        for (let i = 0; i < d.length; i++) {
          const k = keys[i] as number;
          if (isValid(d, i) && dict.get(k) != null)
            mix(pos + i, hd[2 * k] as number, hd[2 * k + 1] as number);
          else mix(pos + i, 0x5bd1e995, 0x1b873593);
        }
        pos += d.length;
      }
    } else if (t === Type.Utf8 || t === Type.Binary) {
      const missing = new Uint8Array(n).fill(1);
      forEachUtf8(vector, (bytes, s, e, row) => {
        hashBytes(bytes, s, e, h);
        missing[row] = 0;
        mix(row, h[0] as number, h[1] as number);
      });
      for (let i = 0; i < n; i++) if (missing[i]) mix(i, 0x5bd1e995, 0x1b873593);
    } else {
      const x = readFloat64(vector);
      const w = new Uint32Array(x.buffer);
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        const lo = v === 0 ? 0 : Number.isNaN(v) ? 0x7ff80000 : (w[2 * i] as number);
        const hi = v === 0 ? 0 : Number.isNaN(v) ? 0x7ff80000 : (w[2 * i + 1] as number);
        mix(i, hashWords0(lo, hi), hashWords1(lo, hi));
      }
    }
  }
  return [a, b];
}

async function duplicates(table: Table, warn: Warn, signal: AbortSignal | undefined): Promise<void> {
  const n = table.numRows;
  if (n < 2) return;
  const [a, b] = await rowHashes(table, signal);
  await cooperate(signal);
  const seen = new Set<number>();
  const h = new Uint32Array(2);
  let dup = 0;
  for (let i = 0; i < n; i++) {
    h[0] = a[i] as number;
    h[1] = b[i] as number;
    const key = hashKey(h);
    if (seen.has(key)) dup++;
    else seen.add(key);
  }
  if (dup === 0) return;
  warn(
    'duplicates',
    'warning',
    [],
    `${fmt(dup)} of ${fmt(n)} rows (${pct(dup, n)}) repeat an earlier row exactly; duplicates over-weight those rows and leak between train and test splits.`,
    { label: 'Drop duplicate rows', step: { step: 'DropDuplicates', params: { keep: 'first' } } },
  );
}

/** Median of the finite values (reorders a copy). */
function medianOf(x: Float64Array): number {
  const finite = x.filter((v) => v - v === 0);
  return quantilesInPlace(finite, [0.5])[0] as number;
}

export function outlierBounds(
  values: Float64Array,
  p: ColumnProfile,
  method: OutlierMethod,
): { lo: number; hi: number; rule: string } | null {
  const s = p.numeric;
  if (!s) return null;
  if (method === 'iqr') {
    if (s.q25 === null || s.q75 === null || !(s.q75 > s.q25)) return null;
    const iqr = s.q75 - s.q25;
    return {
      lo: s.q25 - 1.5 * iqr,
      hi: s.q75 + 1.5 * iqr,
      rule: 'the IQR rule (1.5 × IQR beyond the quartiles; the default)',
    };
  }
  if (method === 'zscore') {
    if (s.mean === null || s.std === null || !(s.std > 0)) return null;
    return {
      lo: s.mean - 3 * s.std,
      hi: s.mean + 3 * s.std,
      rule: 'the z-score rule (|z| > 3; the default is IQR)',
    };
  }
  const median = s.median ?? medianOf(values);
  const dev = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (x - x === 0) dev[k++] = Math.abs(x - median);
  }
  const mad = quantilesInPlace(dev.subarray(0, k), [0.5])[0] as number;
  if (!(mad > 0)) return null;
  const r = (3.5 * mad) / 0.6745;
  return {
    lo: median - r,
    hi: median + r,
    rule: 'the MAD rule (modified z-score > 3.5; the default is IQR)',
  };
}

function outliers(table: Table, p: ColumnProfile, method: OutlierMethod) {
  const values = readFloat64(columnOf(table, p.name));
  const bounds = outlierBounds(values, p, method);
  if (!bounds) return null;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (x < bounds.lo || x > bounds.hi) count++; // NaN compares false; ±Infinity count
  }
  if (count === 0) return null;
  return {
    severity: (count / p.count < 0.01 ? 'info' : 'warning') as Severity,
    message: `${fmt(count)} values of "${p.name}" (${pct(count, p.count)}) lie outside [${num(bounds.lo)}, ${num(bounds.hi)}] by ${bounds.rule}.`,
    fix: {
      label: `Clip the outliers of "${p.name}"`,
      step: { step: 'OutlierClipper', params: { method }, columns: [p.name] },
    } satisfies QualityFix,
  };
}

/** Numeric values of a column at evenly spaced rows (all rows when `step` is 1). */
function sampled(table: Table, name: string, step: number): Float64Array {
  const all = readFloat64(columnOf(table, name));
  if (step === 1) return all;
  const out = new Float64Array(Math.ceil(all.length / step));
  for (let i = 0, k = 0; i < all.length; i += step) out[k++] = all[i] as number;
  return out;
}

async function correlatedPairs(
  table: Table,
  numeric: readonly ColumnProfile[],
  options: QualityOptions,
  warn: Warn,
  drop: Drop,
  signal: AbortSignal | undefined,
): Promise<void> {
  const cols = numeric.slice(0, options.maxCorrelationColumns ?? 50);
  const maxRows = options.maxCorrelationRows ?? 200_000;
  const step = Math.max(1, Math.ceil(table.numRows / maxRows));
  const data: Float64Array[] = [];
  for (const p of cols) {
    await cooperate(signal);
    data.push(sampled(table, p.name, step));
  }
  const sample = step > 1 ? ` on every ${num(step)}th row` : '';
  for (let i = 0; i < cols.length; i++) {
    for (let j = i + 1; j < cols.length; j++) {
      await cooperate(signal);
      const { r, n } = pearson(data[i] as Float64Array, data[j] as Float64Array);
      if (!(Math.abs(r) >= CORRELATED)) continue;
      const a = (cols[i] as ColumnProfile).name;
      const b = (cols[j] as ColumnProfile).name;
      warn(
        'correlated',
        'warning',
        [a, b],
        `"${a}" and "${b}" are almost collinear (Pearson r = ${r.toFixed(3)} over ${fmt(n)} rows${sample}), so "${b}" adds little beyond "${a}".`,
        drop([b], `Drop "${b}"`),
      );
    }
  }
}

/** Class labels of a discrete column per row (-1 = missing) and how many classes, or null when the
 * column is not discrete (floats, dates, or more distinct values than `maxClasses`). */
function classCodes(
  table: Table,
  p: ColumnProfile,
  maxClasses: number,
): { codes: Int32Array; labels: string[] } | null {
  if (p.type === 'float' || p.type === 'date' || p.type === 'datetime' || p.distinct > maxClasses)
    return null;
  const vector = columnOf(table, p.name);
  const codes = new Int32Array(vector.length);
  const labels: string[] = [];
  const index = new Map<string, number>();
  if (p.type === 'integer') {
    const x = readFloat64(vector);
    for (let i = 0; i < x.length; i++) {
      const v = x[i] as number;
      if (Number.isNaN(v)) codes[i] = -1;
      else codes[i] = codeOf(String(v), index, labels);
    }
  } else {
    for (let i = 0; i < vector.length; i++) {
      const v = vector.get(i) as unknown;
      codes[i] =
        v === null || v === undefined
          ? -1
          : codeOf(typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v), index, labels);
    }
  }
  return { codes, labels };
}

/**
 * Classes of a categorical target with fewer than RARE_CLASS_ROWS rows, with the filter that
 * drops them (missing targets are kept: their own fix drops them). Null when there are none.
 */
function rareClasses(table: Table, tp: ColumnProfile): { message: string; fix?: QualityFix } | null {
  if (tp.type !== 'categorical' && tp.type !== 'text') return null;
  const classes = classCodes(table, tp, RARE_CLASS_MAX_CLASSES);
  if (!classes || classes.labels.length < 3) return null; // two classes: nothing left to drop to
  const counts = new Array<number>(classes.labels.length).fill(0);
  for (const c of classes.codes) if (c >= 0) counts[c]!++;
  const rare = classes.labels
    .map((label, k) => ({ label, n: counts[k]! }))
    .filter((c) => c.n < RARE_CLASS_ROWS)
    .sort((a, b) => a.n - b.n || (a.label < b.label ? -1 : 1));
  if (rare.length === 0 || rare.length > classes.labels.length - 2) return null;
  const rows = rare.reduce((sum, c) => sum + c.n, 0);
  const listed = rare
    .slice(0, 5)
    .map((c) => `${c.label} (${fmt(c.n)})`)
    .join(', ');
  const more = rare.length > 5 ? ` and ${rare.length - 5} more` : '';
  const message = `${rare.length === 1 ? 'A class' : `${rare.length} classes`} of the target "${tp.name}" ${rare.length === 1 ? 'has' : 'have'} fewer than ${RARE_CLASS_ROWS} rows: ${listed}${more}; stratified ${RARE_CLASS_ROWS}-fold cross-validation cannot put ${rare.length === 1 ? 'it' : 'them'} in every fold, and no model learns a class from so few rows.`;
  const step = dropClassesFilter(
    tp.name,
    rare.map((c) => c.label),
  );
  if (!step) return { message };
  return {
    message,
    fix: {
      label: `Drop the ${fmt(rows)} row${rows === 1 ? '' : 's'} of the ${rare.length === 1 ? 'rare class' : `${rare.length} rare classes`} of "${tp.name}"`,
      step,
    },
  };
}

async function targetChecks(
  table: Table,
  profiles: readonly ColumnProfile[],
  target: string,
  idLike: Set<string>,
  warn: Warn,
  drop: Drop,
  signal: AbortSignal | undefined,
): Promise<void> {
  const tp = profiles.find((p) => p.name === target);
  if (!tp || tp.count === 0) return;
  const classes = classCodes(table, tp, 20);
  const rare = rareClasses(table, tp);
  if (rare) warn('class-imbalance', 'warning', [target], rare.message, rare.fix);
  // Class imbalance.
  else if (classes && classes.labels.length >= 2) {
    const counts = new Float64Array(classes.labels.length);
    for (const c of classes.codes) if (c >= 0) counts[c]!++;
    let min = 0;
    for (let k = 1; k < counts.length; k++) if ((counts[k] as number) < (counts[min] as number)) min = k;
    const share = (counts[min] as number) / tp.count;
    if (share < IMBALANCE_SHARE) {
      warn(
        'class-imbalance',
        'warning',
        [target],
        `The rarest class of "${target}", ${classes.labels[min]}, has only ${fmt(counts[min] as number)} of ${fmt(tp.count)} rows (${pct(counts[min] as number, tp.count)}), so accuracy can look high for a model that never predicts it.`,
      );
    }
  }
  // Leakage: numeric (or binary) target vs numeric features.
  const binary = classes?.labels.length === 2;
  const y = isNumeric(tp.type)
    ? readFloat64(columnOf(table, target))
    : binary
      ? Float64Array.from(classes!.codes, (c) => (c < 0 ? Number.NaN : c))
      : null;
  for (const p of profiles) {
    await cooperate(signal);
    if (p.name === target || idLike.has(p.name) || p.count === 0 || p.distinct < 2) continue;
    if (y && isNumeric(p.type)) {
      const { r, n } = pearson(readFloat64(columnOf(table, p.name)), y);
      if (Math.abs(r) >= LEAKAGE_CORRELATION) {
        warn(
          'target-leakage',
          'error',
          [p.name, target],
          `"${p.name}" predicts the target "${target}" almost perfectly (Pearson r = ${r.toFixed(3)} over ${fmt(n)} rows); it may be derived from the target and would not be known at prediction time.`,
          drop([p.name]),
        );
        continue;
      }
    }
    if (!classes) continue;
    const groups = classCodes(table, p, Math.max(2, Math.floor(p.count / 20)));
    if (!groups || groups.labels.length < 2) continue;
    const purity = groupPurity(groups.codes, groups.labels.length, classes.codes, classes.labels.length);
    if (purity.share >= LEAKAGE_PURITY && purity.baseline < 0.9) {
      warn(
        'target-leakage',
        'error',
        [p.name, target],
        `"${p.name}" predicts the target "${target}" almost perfectly: within each of its ${groups.labels.length} values, ${pct(purity.share * purity.n, purity.n)} of rows share one class (the majority class alone covers ${pct(purity.baseline * purity.n, purity.n)}); it may be derived from the target.`,
        drop([p.name]),
      );
    }
  }
}

/** Share of rows whose class is their group's most common class, and the same for no groups. */
function groupPurity(groups: Int32Array, g: number, classes: Int32Array, k: number) {
  const table = new Float64Array(g * k);
  const totals = new Float64Array(k);
  let n = 0;
  for (let i = 0; i < groups.length; i++) {
    const a = groups[i] as number;
    const c = classes[i] as number;
    if (a < 0 || c < 0) continue;
    table[a * k + c]!++;
    totals[c]!++;
    n++;
  }
  let pure = 0;
  for (let a = 0; a < g; a++) {
    let best = 0;
    for (let c = 0; c < k; c++) best = Math.max(best, table[a * k + c] as number);
    pure += best;
  }
  return { share: n ? pure / n : 0, baseline: n ? Math.max(...totals) / n : 1, n };
}
