/**
 * Type inference: what a single value looks like (`classifyBytes`, on UTF-8 bytes so the CSV
 * parser never makes a string for a number), how the kinds of a column combine (`joinKinds`), and
 * when a string column is categorical (`isCategorical`).
 *
 * Rules (pandas-like): integers are plain decimal digits (0/1 stay integers); floats are decimal
 * numbers with a fraction or exponent plus inf/infinity; booleans are true/false, yes/no, t/f in
 * any case; dates are YYYY-MM-DD or YYYY/MM/DD; datetimes are a date, 'T' or a space, HH:MM with
 * optional seconds, fraction and Z/±HH:MM (no zone = UTC). Missing markers are skipped.
 */
import type { ColumnType } from '../core/types';
import { DEFAULT_MISSING_MARKERS } from '../core/types';

/** What one value looks like. Numeric so that per-column state fits in typed arrays. */
export const Kind = {
  Missing: 0,
  Int: 1,
  Float: 2,
  Bool: 3,
  Date: 4,
  DateTime: 5,
  Text: 6,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** Kind of the whole column given the kinds seen so far: int+float → float, date+datetime → datetime,
 * any other mix → text. `Missing` is the identity. */
export function joinKinds(a: Kind, b: Kind): Kind {
  if (a === b || b === Kind.Missing) return a;
  if (a === Kind.Missing) return b;
  if ((a === Kind.Int && b === Kind.Float) || (a === Kind.Float && b === Kind.Int)) return Kind.Float;
  if ((a === Kind.Date && b === Kind.DateTime) || (a === Kind.DateTime && b === Kind.Date))
    return Kind.DateTime;
  return Kind.Text;
}

export function kindToColumnType(kind: Kind): ColumnType {
  switch (kind) {
    case Kind.Int:
      return 'integer';
    case Kind.Float:
      return 'float';
    case Kind.Bool:
      return 'boolean';
    case Kind.Date:
      return 'date';
    case Kind.DateTime:
      return 'datetime';
    default:
      return 'text';
  }
}

/**
 * A string column is categorical when it has few distinct values relative to its size:
 * distinct ≤ max(20, 5% of non-missing values) and non-missing ≥ 2 × distinct (each category
 * repeats on average). So 3 colours over 1000 rows are categorical; 10 unique names over 10 rows
 * are text.
 */
export function categoricalLimit(nonMissing: number): number {
  return Math.min(Math.max(20, Math.floor(nonMissing * 0.05)), Math.floor(nonMissing / 2));
}
export function isCategorical(distinct: number, nonMissing: number): boolean {
  return distinct > 0 && distinct <= categoricalLimit(nonMissing);
}

/** Missing markers grouped by byte length, for allocation-free matching on bytes. */
export class MissingMatcher {
  private readonly byLength: (Uint8Array[] | undefined)[] = [];
  /** Bytes some marker starts with: one load rejects almost every value. */
  private readonly firstBytes = new Uint8Array(256);
  readonly matchesEmpty: boolean;
  constructor(markers: readonly string[] = DEFAULT_MISSING_MARKERS) {
    const enc = new TextEncoder();
    let empty = false;
    for (const m of markers) {
      const b = enc.encode(m.trim());
      if (b.length === 0) {
        empty = true;
        continue;
      }
      this.firstBytes[b[0]!] = 1;
      const list = this.byLength[b.length] ?? [];
      list.push(b);
      this.byLength[b.length] = list;
    }
    this.matchesEmpty = empty;
  }
  /** Whether bytes[s, e) (already trimmed) is a missing marker. */
  matches(bytes: Uint8Array, s: number, e: number): boolean {
    const len = e - s;
    if (len === 0) return this.matchesEmpty;
    if (this.firstBytes[bytes[s]!] === 0 || len >= this.byLength.length) return false;
    const list = this.byLength[len];
    if (list === undefined) return false;
    outer: for (const m of list) {
      for (let k = 0; k < len; k++) if (m[k] !== bytes[s + k]) continue outer;
      return true;
    }
    return false;
  }
}

/** The value of the last numeric/boolean/date classification (ms since epoch for dates). */
export let classifiedValue = 0;

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
];
const DAY_MS = 86_400_000;
const decoder = new TextDecoder();

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function digit(b: number | undefined): number {
  return b !== undefined && b >= 48 && b <= 57 ? b - 48 : -1;
}
function twoDigits(bytes: Uint8Array, i: number): number {
  const a = digit(bytes[i]);
  const b = digit(bytes[i + 1]);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function lower(b: number | undefined): number {
  return b === undefined ? -1 : b | 0x20;
}
function equalsLower(bytes: Uint8Array, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (lower(bytes[s + k]) !== word.charCodeAt(k)) return false;
  return true;
}

/** Parse a date at bytes[s..] (10 bytes); returns days or NaN. */
function parseDateAt(bytes: Uint8Array, s: number): number {
  const sep = bytes[s + 4];
  if ((sep !== 45 && sep !== 47) || bytes[s + 7] !== sep) return Number.NaN;
  const y1 = twoDigits(bytes, s);
  const y2 = twoDigits(bytes, s + 2);
  const m = twoDigits(bytes, s + 5);
  const d = twoDigits(bytes, s + 8);
  if (y1 < 0 || y2 < 0 || m < 1 || m > 12 || d < 1) return Number.NaN;
  const y = y1 * 100 + y2;
  if (d > daysInMonth(y, m)) return Number.NaN;
  return daysFromCivil(y, m, d);
}

/** Time part after the date: HH:MM[:SS[.fff]][Z|±HH[:]MM|±HH]; returns ms in the day, UTC-adjusted, or NaN. */
function parseTimeAt(bytes: Uint8Array, i: number, e: number): number {
  const hh = twoDigits(bytes, i);
  const mm = twoDigits(bytes, i + 3);
  if (hh < 0 || hh > 23 || bytes[i + 2] !== 58 || mm < 0 || mm > 59) return Number.NaN;
  let ms = (hh * 60 + mm) * 60_000;
  i += 5;
  if (i < e && bytes[i] === 58) {
    const ss = twoDigits(bytes, i + 1);
    if (ss < 0 || ss > 60) return Number.NaN;
    ms += ss * 1000;
    i += 3;
    if (i < e && (bytes[i] === 46 || bytes[i] === 44)) {
      i++;
      let scale = 100;
      let frac = 0;
      const start = i;
      while (i < e && digit(bytes[i]) >= 0) {
        frac += digit(bytes[i]) * scale;
        scale /= 10;
        i++;
      }
      if (i === start) return Number.NaN;
      ms += Math.floor(frac);
    }
  }
  if (i === e) return ms;
  const z = bytes[i];
  if ((z === 90 || z === 122) && i + 1 === e) return ms;
  if (z === 43 || z === 45) {
    const oh = twoDigits(bytes, i + 1);
    if (oh < 0 || oh > 23) return Number.NaN;
    let j = i + 3;
    let om = 0;
    if (j < e) {
      if (bytes[j] === 58) j++;
      om = twoDigits(bytes, j);
      if (om < 0 || om > 59) return Number.NaN;
      j += 2;
    }
    if (j !== e) return Number.NaN;
    const offset = (oh * 60 + om) * 60_000;
    return z === 43 ? ms - offset : ms + offset;
  }
  return Number.NaN;
}

/**
 * Classify the trimmed, unquoted value bytes[s, e) (non-empty, not a missing marker). Sets
 * `classifiedValue` for numbers (exactly what `Number(text)` gives), booleans (1/0) and dates
 * (ms since epoch, UTC).
 */
export function classifyBytes(bytes: Uint8Array, s: number, e: number): Kind {
  const first = bytes[s]!;
  // Numbers: [+-]? digits [. digits] [e[+-]digits] — fast path for ≤15 significant digits, where
  // mantissa / 10^k is one correctly rounded IEEE division (Clinger's fast path), so it equals Number().
  if ((first >= 48 && first <= 57) || first === 45 || first === 43 || first === 46) {
    let i = s;
    const negative = first === 45;
    if (first === 45 || first === 43) i++;
    let mantissa = 0;
    let digits = 0;
    let intDigits = 0;
    while (i < e) {
      const d = bytes[i]! - 48;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
      intDigits++;
      i++;
    }
    digits = intDigits;
    if (i === e) {
      if (intDigits === 0) return Kind.Text;
      if (digits <= 15) {
        classifiedValue = negative ? -mantissa : mantissa;
        return Kind.Int;
      }
      classifiedValue = Number(decoder.decode(bytes.subarray(s, e)));
      return Kind.Int;
    }
    let fracDigits = 0;
    let isFloat = false;
    if (bytes[i] === 46) {
      isFloat = true;
      i++;
      while (i < e) {
        const d = bytes[i]! - 48;
        if (d < 0 || d > 9) break;
        mantissa = mantissa * 10 + d;
        fracDigits++;
        i++;
      }
      digits += fracDigits;
      if (digits === 0) return Kind.Text;
      if (i === e) {
        if (digits <= 15) {
          const v = mantissa / POW10[fracDigits]!;
          classifiedValue = negative ? -v : v;
        } else classifiedValue = Number(decoder.decode(bytes.subarray(s, e)));
        return Kind.Float;
      }
    }
    if (digits > 0 && (bytes[i] === 101 || bytes[i] === 69)) {
      i++;
      if (bytes[i] === 43 || bytes[i] === 45) i++;
      const expStart = i;
      while (i < e && digit(bytes[i]) >= 0) i++;
      if (i === e && i > expStart) {
        classifiedValue = Number(decoder.decode(bytes.subarray(s, e)));
        return Kind.Float;
      }
      return Kind.Text;
    }
    // A date starts with four digits and a separator.
    if (!isFloat && intDigits === 4 && !negative && first !== 43 && e - s >= 10) {
      const days = parseDateAt(bytes, s);
      if (!Number.isNaN(days)) {
        if (e - s === 10) {
          classifiedValue = days * DAY_MS;
          return Kind.Date;
        }
        const t = bytes[s + 10];
        if ((t === 84 || t === 32 || t === 116) && e - s >= 16) {
          const ms = parseTimeAt(bytes, s + 11, e);
          if (!Number.isNaN(ms)) {
            classifiedValue = days * DAY_MS + ms;
            return Kind.DateTime;
          }
        }
      }
      return Kind.Text;
    }
    // Signed infinities.
    if ((negative || first === 43) && i === s + 1) {
      if (equalsLower(bytes, s + 1, e, 'inf') || equalsLower(bytes, s + 1, e, 'infinity')) {
        classifiedValue = negative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
        return Kind.Float;
      }
    }
    return Kind.Text;
  }
  const len = e - s;
  if (len <= 8) {
    const l = lower(first);
    if (l === 116 || l === 121) {
      if (len === 1 || equalsLower(bytes, s, e, 'true') || equalsLower(bytes, s, e, 'yes')) {
        if (len === 1 && l === 121) return Kind.Text; // lone "y" is too ambiguous
        classifiedValue = 1;
        return Kind.Bool;
      }
    } else if (l === 102 || l === 110) {
      if (len === 1 || equalsLower(bytes, s, e, 'false') || equalsLower(bytes, s, e, 'no')) {
        if (len === 1 && l === 110) return Kind.Text;
        classifiedValue = 0;
        return Kind.Bool;
      }
    } else if (l === 105) {
      if (equalsLower(bytes, s, e, 'inf') || equalsLower(bytes, s, e, 'infinity')) {
        classifiedValue = Number.POSITIVE_INFINITY;
        return Kind.Float;
      }
    }
  }
  return Kind.Text;
}

const scratchEncoder = new TextEncoder();
let scratch = new Uint8Array(256);

/** `classifyBytes` for a JS string (JSON values, casts). Returns Missing for missing markers. */
export function classifyString(text: string, missing: MissingMatcher): Kind {
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3 + 16);
  const { written } = scratchEncoder.encodeInto(text, scratch);
  let s = 0;
  let e = written;
  while (s < e && (scratch[s] === 32 || scratch[s] === 9)) s++;
  while (e > s && (scratch[e - 1] === 32 || scratch[e - 1] === 9)) e--;
  if (missing.matches(scratch, s, e)) return Kind.Missing;
  if (s === e) return Kind.Text;
  return classifyBytes(scratch, s, e);
}

export const MS_PER_DAY = DAY_MS;

/**
 * A classified value converted to a target type (user overrides, casts), or NaN when it does not
 * fit: integer takes whole numbers and booleans; float takes numbers and booleans; boolean takes
 * booleans and 0/1; date takes dates and datetimes (truncated to the day); datetime takes both.
 */
export function coerceClassified(kind: Kind, value: number, to: ColumnType): number {
  switch (to) {
    case 'integer':
      return kind === Kind.Int || kind === Kind.Bool || (kind === Kind.Float && Number.isInteger(value))
        ? value
        : Number.NaN;
    case 'float':
      return kind === Kind.Int || kind === Kind.Float || kind === Kind.Bool ? value : Number.NaN;
    case 'boolean':
      return kind === Kind.Bool ||
        ((kind === Kind.Int || kind === Kind.Float) && (value === 0 || value === 1))
        ? value
        : Number.NaN;
    case 'date':
      return kind === Kind.Date || kind === Kind.DateTime ? Math.floor(value / DAY_MS) * DAY_MS : Number.NaN;
    case 'datetime':
      return kind === Kind.Date || kind === Kind.DateTime ? value : Number.NaN;
    default:
      return Number.NaN;
  }
}
