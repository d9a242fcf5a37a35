/**
 * Typed Arrow columns from JS values (JSON records, casts, Arrow/Parquet columns in other types):
 * the same inference and coercion rules as the CSV parser, applied to numbers, booleans, strings,
 * bigints and Dates instead of bytes.
 */
import type { Data } from 'apache-arrow';
import type { ColumnType } from '../core/types';
import {
  boolData,
  dateDayData,
  dictionaryFromStrings,
  numericData,
  timestampData,
  utf8FromStrings,
  Validity,
} from './build';
import {
  compileDateFormat,
  detectDateFormatOfStrings,
  ISO_DATE_FORMAT,
  ISO_DATETIME_FORMAT,
  isIsoFormat,
  parseDateString,
} from './dates';
import {
  classifiedValue,
  classifyString,
  coerceClassified,
  isCategorical,
  joinKinds,
  Kind,
  kindToColumnType,
  MissingMatcher,
} from './infer';

export interface ValuesColumn {
  type: ColumnType;
  inferred: ColumnType;
  data: Data;
  /** Present values that did not fit the forced type and became null. */
  failed: number;
  /** Date columns read from strings: the format (strftime notation) the values were read with… */
  dateFormat?: string;
  /** …and the day/month-swapped format they also fit, when the order was a guess. */
  dateAlternative?: string;
}

const DAY_MS = 86_400_000;

/** Text for a value in a text/categorical column: dates as ISO, objects as JSON. */
export function valueToText(v: unknown, sourceType?: ColumnType): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (sourceType === 'date' || sourceType === 'datetime') return formatMs(v, sourceType);
    return String(v);
  }
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return formatMs(v.getTime(), sourceType === 'date' ? 'date' : 'datetime');
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));
}

function formatMs(ms: number, type: 'date' | 'datetime'): string {
  if (!Number.isFinite(ms)) return String(ms);
  const iso = new Date(ms).toISOString();
  if (type === 'date') return iso.slice(0, 10);
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

/** Kind and numeric value of one JS value (`sourceType` says how to read numbers: dates are ms). */
function classifyValue(v: unknown, missing: MissingMatcher, sourceType?: ColumnType): [Kind, number] {
  if (v === null || v === undefined) return [Kind.Missing, 0];
  switch (typeof v) {
    case 'number':
      if (Number.isNaN(v)) return [Kind.Missing, 0];
      if (sourceType === 'date') return [Kind.Date, Math.floor(v / DAY_MS) * DAY_MS];
      if (sourceType === 'datetime') return [Kind.DateTime, v];
      return [Number.isInteger(v) && sourceType !== 'float' ? Kind.Int : Kind.Float, v];
    case 'bigint':
      return [Kind.Int, Number(v)];
    case 'boolean':
      return [Kind.Bool, v ? 1 : 0];
    case 'string': {
      const k = classifyString(v, missing);
      return [k, k === Kind.Missing || k === Kind.Text ? 0 : classifiedValue];
    }
    default:
      if (v instanceof Date) return [Kind.DateTime, v.getTime()];
      return [Kind.Text, 0];
  }
}

export interface ValuesOptions {
  forced?: ColumnType;
  sourceType?: ColumnType;
  missing?: MissingMatcher;
  /** Sparse input: `values[j]` belongs to row `rows[j]` (increasing) of a column of `length` rows;
   * the rows not listed are missing. Without it `values` holds every row. */
  rows?: ArrayLike<number>;
  length?: number;
  /** Read the strings as dates with this strftime format (ignored when forced to a non-date type). */
  dateFormat?: string;
}

function hasUnsafeDigitString(values: readonly unknown[], kinds: Uint8Array, nums: Float64Array): boolean {
  for (let j = 0; j < values.length; j++) {
    if (
      kinds[j] === Kind.Int &&
      typeof values[j] === 'string' &&
      Math.abs(nums[j]!) > Number.MAX_SAFE_INTEGER
    )
      return true;
  }
  return false;
}

/**
 * Build a column from values, inferring its type or forcing `forced`. `sourceType` is the type the
 * values came from (for casts), so that e.g. date milliseconds are not read as integers. Work and
 * scratch memory are proportional to the values given (sparse columns pay only for their values
 * and the output buffers).
 */
export function columnFromValues(values: readonly unknown[], options: ValuesOptions = {}): ValuesColumn {
  const missing = options.missing ?? new MissingMatcher();
  const { forced, sourceType, rows } = options;
  const dateTarget = forced === undefined || forced === 'date' || forced === 'datetime';
  const m = values.length;
  const n = rows === undefined ? m : (options.length ?? m);
  const rowOf = (j: number): number => (rows === undefined ? j : rows[j]!);
  const kinds = new Uint8Array(m);
  const nums = new Float64Array(m);
  let kind: Kind = Kind.Missing;
  let nonMissing = 0;
  for (let j = 0; j < m; j++) {
    const [k, v] = classifyValue(values[j], missing, sourceType);
    kinds[j] = k;
    nums[j] = v;
    if (k !== Kind.Missing) nonMissing++;
    kind = joinKinds(kind, k);
  }
  // "ISO8601" names the fast path's reading (done by classifyValue above), not a pattern.
  const iso = options.dateFormat !== undefined && isIsoFormat(options.dateFormat);
  const pattern = iso ? undefined : options.dateFormat;
  if (dateTarget && !iso && (pattern !== undefined || kind === Kind.Text)) {
    const dates = datesFromStrings(values, kinds, forced, pattern, {
      n,
      rowOf,
      dense: rows === undefined,
    });
    if (dates !== null) return dates;
  }
  let inferred: ColumnType = kind === Kind.Missing ? 'text' : kindToColumnType(kind);
  // Digit strings beyond 2^53 (ids in JSON strings) stay text, every digit kept, as the CSV
  // reader keeps them; JSON numbers that large were rounded by the parser already.
  if (forced === undefined && kind === Kind.Int && hasUnsafeDigitString(values, kinds, nums))
    inferred = 'text';
  let strings: (string | null)[] | null = null;
  const textOf = (): (string | null)[] => {
    strings ??= values.map((v, j) => (kinds[j] === Kind.Missing ? null : valueToText(v, sourceType)));
    return strings;
  };
  if (inferred === 'text' && nonMissing > 0) {
    const distinct = new Set(textOf()).size - (nonMissing < m ? 1 : 0);
    if (isCategorical(distinct, nonMissing)) inferred = 'categorical';
  }
  const type = forced ?? inferred;
  let failed = 0;
  if (type === 'text' || type === 'categorical') {
    const text = textOf();
    return {
      type,
      inferred,
      data: type === 'text' ? utf8FromStrings(text, rows, n) : dictionaryFromStrings(text, rows, n),
      failed,
    };
  }
  const validity = new Validity(n, rows === undefined);
  const out = rows === undefined ? nums : new Float64Array(n);
  for (let j = 0; j < m; j++) {
    const k = kinds[j] as Kind;
    if (k === Kind.Missing) {
      if (rows === undefined) validity.setNull(j);
      continue;
    }
    const v = type === inferred && forced === undefined ? nums[j]! : coerceClassified(k, nums[j]!, type);
    if (Number.isNaN(v)) {
      if (rows === undefined) validity.setNull(j);
      failed++;
    } else {
      const at = rowOf(j);
      out[at] = v;
      if (rows !== undefined) validity.setValid(at);
    }
  }
  let data: Data;
  if (type === 'integer' || type === 'float') data = numericData(out, validity, type === 'integer');
  else if (type === 'boolean') data = boolData(out, validity);
  else if (type === 'date') data = dateDayData(out, validity);
  else data = timestampData(out, validity);
  const result: ValuesColumn = { type, inferred, data, failed };
  if (type === 'date' || type === 'datetime') {
    if (iso) result.dateFormat = ISO_DATETIME_FORMAT;
    else if ((kind === Kind.Date || kind === Kind.DateTime) && sourceType === undefined)
      result.dateFormat = kind === Kind.Date ? ISO_DATE_FORMAT : ISO_DATETIME_FORMAT;
  }
  return result;
}

/**
 * A date column from string values: read with `format`, or with the one format every present
 * value fits (null when there is none, or when a present value is not a string). Values that
 * do not fit a given format become missing and count as failed.
 */
function datesFromStrings(
  values: readonly unknown[],
  kinds: Uint8Array,
  forced: ColumnType | undefined,
  format: string | undefined,
  layout: { n: number; rowOf: (j: number) => number; dense: boolean },
): ValuesColumn | null {
  const present = (function* () {
    for (let i = 0; i < values.length; i++) if (kinds[i] !== Kind.Missing) yield values[i];
  })();
  const detected = format === undefined ? detectDateFormatOfStrings(present) : null;
  if (format === undefined && detected === null) return null;
  const compiled = compileDateFormat(format ?? detected!.format);
  const found: ColumnType = compiled.hasTime ? 'datetime' : 'date';
  const type = forced === 'date' || forced === 'datetime' ? forced : found;
  const { n, rowOf, dense } = layout;
  const nums = new Float64Array(n);
  const validity = new Validity(n, dense);
  let failed = 0;
  for (let j = 0; j < values.length; j++) {
    const at = rowOf(j);
    if (kinds[j] === Kind.Missing) {
      if (dense) validity.setNull(at);
      continue;
    }
    const v = values[j];
    const ms = typeof v === 'string' ? parseDateString(compiled, v) : Number.NaN;
    if (Number.isNaN(ms)) {
      if (dense) validity.setNull(at);
      failed++;
    } else {
      nums[at] = type === 'date' ? Math.floor(ms / DAY_MS) * DAY_MS : ms;
      if (!dense) validity.setValid(at);
    }
  }
  const data = type === 'date' ? dateDayData(nums, validity) : timestampData(nums, validity);
  const result: ValuesColumn = {
    type,
    inferred: detected === null ? type : found,
    data,
    failed,
    dateFormat: compiled.format,
  };
  if (detected?.alternative !== undefined) result.dateAlternative = detected.alternative;
  return result;
}
