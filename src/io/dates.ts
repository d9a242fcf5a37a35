/**
 * Dates written in other ways than ISO 8601 ("Jun 12 1998", "12/06/1998", "June 12, 1998 1:45 PM"):
 * formats in strftime notation (what Python's strptime and pandas' `to_datetime(format=…)` take,
 * so an export can reuse the very string), a parser for them on UTF-8 bytes, and detection of the
 * one format every value of a column fits.
 *
 * The CSV reader's fast path (`classifyBytes`) already reads zero-padded ISO dates; this module
 * runs only on columns that path left as text, and on columns the user gave a format for.
 *
 * Parsing follows strptime: %d %m %H %I %M %S take one or two digits, %Y four, %y two (69–99 →
 * 19xx, 00–68 → 20xx), %b/%B English month abbreviations/names in any case, %p AM/PM, %f one to
 * six fraction digits; a space in the format matches one or more spaces; anything else must match
 * exactly and the whole value must be used. Dates without a zone are UTC, as in the fast path.
 *
 * Day-first or month-first ("12/06/1998") is decided from the data: a first number above 12 means
 * day-first, a second above 12 month-first. When no value decides it, the column is read
 * month-first — pandas' default (dayfirst=False) — and the result says the other reading was
 * possible, so the reader can tell the user.
 */
import { EngineError } from '../core/errors';
import { daysFromCivil } from './infer';

/** Field metadata key holding the format a date/datetime column was read with. */
export const DATE_FORMAT_METADATA_KEY = 'benchtop.dateFormat';
/** Field metadata key holding the day/month-swapped format the values also fit (the order was a guess). */
export const DATE_ALTERNATIVE_METADATA_KEY = 'benchtop.dateAlternative';
/** The format recorded for dates and datetimes the fast path read (ISO 8601, with or without zone). */
export const ISO_DATE_FORMAT = '%Y-%m-%d';
export const ISO_DATETIME_FORMAT = 'ISO8601';

const DAY_MS = 86_400_000;
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const Op = {
  Literal: 0,
  Space: 1,
  Day: 2,
  Month: 3,
  Year4: 4,
  Year2: 5,
  MonthAbbr: 6,
  MonthName: 7,
  Hour24: 8,
  Hour12: 9,
  Minute: 10,
  Second: 11,
  Fraction: 12,
  AmPm: 13,
} as const;
type Op = (typeof Op)[keyof typeof Op];

export interface CompiledDateFormat {
  readonly format: string;
  readonly ops: readonly Op[];
  /** Byte of each Literal op (0 for other ops). */
  readonly literals: Uint8Array;
  /** Whether the format has a time of day (then the column is a datetime). */
  readonly hasTime: boolean;
}

const DIRECTIVES: Record<string, Op> = {
  d: Op.Day,
  m: Op.Month,
  Y: Op.Year4,
  y: Op.Year2,
  b: Op.MonthAbbr,
  h: Op.MonthAbbr,
  B: Op.MonthName,
  H: Op.Hour24,
  I: Op.Hour12,
  M: Op.Minute,
  S: Op.Second,
  f: Op.Fraction,
  p: Op.AmPm,
};
const TIME_OPS = new Set<Op>([Op.Hour24, Op.Hour12, Op.Minute, Op.Second, Op.Fraction, Op.AmPm]);

/** Compile a strftime-style format; unsupported directives are an InvalidArgument error. */
export function compileDateFormat(format: string): CompiledDateFormat {
  const ops: Op[] = [];
  const literals: number[] = [];
  const fail = (why: string) =>
    new EngineError('InvalidArgument', `The date format "${format}" ${why}.`, {
      hint: 'Use %Y %y %m %d %b %B %H %I %M %S %f %p and literal separators, e.g. "%d/%m/%Y" or "%b %d %Y".',
    });
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch === '%') {
      const d = format[++i];
      if (d === '%') {
        ops.push(Op.Literal);
        literals.push(37);
        continue;
      }
      const op = d === undefined ? undefined : DIRECTIVES[d];
      if (op === undefined)
        throw fail(d === undefined ? 'ends with a lone %' : `uses %${d}, which is not supported`);
      ops.push(op);
      literals.push(0);
    } else if (ch === ' ' || ch === '\t') {
      if (ops[ops.length - 1] !== Op.Space) {
        ops.push(Op.Space);
        literals.push(0);
      }
    } else {
      const code = ch.charCodeAt(0);
      if (code > 127) throw fail(`has the non-ASCII character "${ch}"`);
      ops.push(Op.Literal);
      literals.push(code);
    }
  }
  const has = (op: Op) => ops.includes(op);
  if (!(has(Op.Year4) || has(Op.Year2)) || !(has(Op.Month) || has(Op.MonthAbbr) || has(Op.MonthName)))
    throw fail('needs a year (%Y or %y) and a month (%m, %b or %B)');
  if (has(Op.Hour12) !== has(Op.AmPm)) throw fail('needs %I and %p together (12-hour clock)');
  return { format, ops, literals: Uint8Array.from(literals), hasTime: ops.some((op) => TIME_OPS.has(op)) };
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 48 && b <= 57;
}
function isLetter(b: number | undefined): boolean {
  return b !== undefined && (b | 0x20) >= 97 && (b | 0x20) <= 122;
}
function isBlank(b: number | undefined): boolean {
  return b === 32 || b === 9;
}

// Scanner state of the last `number` call: the position after the digits.
let pos = 0;

/** One or two digits at bytes[i] (two when the second is a digit); -1 when none. */
function oneOrTwo(bytes: Uint8Array, i: number, e: number): number {
  if (i >= e || !isDigit(bytes[i])) return -1;
  let v = bytes[i]! - 48;
  i++;
  if (i < e && isDigit(bytes[i])) {
    v = v * 10 + bytes[i]! - 48;
    i++;
  }
  pos = i;
  return v;
}
function exactly(bytes: Uint8Array, i: number, e: number, n: number): number {
  if (i + n > e) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const b = bytes[i + k];
    if (!isDigit(b)) return -1;
    v = v * 10 + b! - 48;
  }
  pos = i + n;
  return v;
}
/** Month (1–12) of the English name or 3-letter abbreviation at bytes[i]; 0 when none. */
function monthWord(bytes: Uint8Array, i: number, e: number, full: boolean): number {
  let j = i;
  while (j < e && isLetter(bytes[j])) j++;
  const len = j - i;
  if (len < 3) return 0;
  for (let m = 0; m < 12; m++) {
    const name = MONTHS[m]!;
    if (full ? len !== name.length : len !== 3) continue;
    let same = true;
    for (let k = 0; k < len; k++) {
      if ((bytes[i + k]! | 0x20) !== name.charCodeAt(k)) {
        same = false;
        break;
      }
    }
    if (same) {
      pos = j;
      return m + 1;
    }
  }
  return 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Milliseconds since the epoch (UTC) of bytes[s, e) read with `f`, or NaN when it does not fit. */
export function parseDateBytes(f: CompiledDateFormat, bytes: Uint8Array, s: number, e: number): number {
  while (s < e && isBlank(bytes[s])) s++;
  while (e > s && isBlank(bytes[e - 1])) e--;
  let year = -1;
  let month = -1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let pm = -1;
  let i = s;
  const { ops, literals } = f;
  for (let k = 0; k < ops.length; k++) {
    let v: number;
    switch (ops[k]) {
      case Op.Literal:
        if (bytes[i] !== literals[k]) return Number.NaN;
        i++;
        continue;
      case Op.Space:
        if (!isBlank(bytes[i])) return Number.NaN;
        while (isBlank(bytes[i])) i++;
        continue;
      case Op.Day:
        v = oneOrTwo(bytes, i, e);
        if (v < 1 || v > 31) return Number.NaN;
        day = v;
        break;
      case Op.Month:
        v = oneOrTwo(bytes, i, e);
        if (v < 1 || v > 12) return Number.NaN;
        month = v;
        break;
      case Op.Year4:
        v = exactly(bytes, i, e, 4);
        if (v < 0) return Number.NaN;
        year = v;
        break;
      case Op.Year2:
        v = exactly(bytes, i, e, 2);
        if (v < 0) return Number.NaN;
        year = v < 69 ? 2000 + v : 1900 + v;
        break;
      case Op.MonthAbbr:
      case Op.MonthName:
        v = monthWord(bytes, i, e, ops[k] === Op.MonthName);
        if (v === 0) return Number.NaN;
        month = v;
        break;
      case Op.Hour24:
        v = oneOrTwo(bytes, i, e);
        if (v < 0 || v > 23) return Number.NaN;
        hour = v;
        break;
      case Op.Hour12:
        v = oneOrTwo(bytes, i, e);
        if (v < 1 || v > 12) return Number.NaN;
        hour = v;
        break;
      case Op.Minute:
        v = oneOrTwo(bytes, i, e);
        if (v < 0 || v > 59) return Number.NaN;
        minute = v;
        break;
      case Op.Second:
        v = oneOrTwo(bytes, i, e);
        if (v < 0 || v > 61) return Number.NaN;
        second = v;
        break;
      case Op.Fraction: {
        let j = i;
        let frac = 0;
        let scale = 100;
        while (j < e && j - i < 6 && isDigit(bytes[j])) {
          frac += (bytes[j]! - 48) * scale;
          scale /= 10;
          j++;
        }
        if (j === i) return Number.NaN;
        ms = Math.floor(frac);
        pos = j;
        break;
      }
      case Op.AmPm: {
        const a = (bytes[i] ?? 0) | 0x20;
        if ((a !== 97 && a !== 112) || ((bytes[i + 1] ?? 0) | 0x20) !== 109) return Number.NaN;
        pm = a === 112 ? 1 : 0;
        pos = i + 2;
        break;
      }
      default:
        return Number.NaN;
    }
    i = pos;
  }
  if (i !== e || year < 0 || month < 0 || day > daysInMonth(year, month)) return Number.NaN;
  if (pm >= 0) hour = (hour % 12) + (pm === 1 ? 12 : 0);
  return daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

/**
 * The formats detection tries, preferred first: month-first before day-first (pandas' default),
 * so that an undecided column is read month-first. Each date part may be followed by a time.
 */
const DATE_PARTS = [
  '%m/%d/%Y',
  '%d/%m/%Y',
  '%m-%d-%Y',
  '%d-%m-%Y',
  '%m.%d.%Y',
  '%d.%m.%Y',
  '%m/%d/%y',
  '%d/%m/%y',
  '%Y-%m-%d',
  '%Y/%m/%d',
  '%Y.%m.%d',
  '%b %d %Y',
  '%b %d, %Y',
  '%B %d %Y',
  '%B %d, %Y',
  '%d %b %Y',
  '%d %B %Y',
  '%d-%b-%Y',
  '%d-%b-%y',
  '%d %b, %Y',
  '%d %B, %Y',
];
const TIME_PARTS = ['', ' %H:%M', ' %H:%M:%S', ' %H:%M:%S.%f', ' %I:%M %p', ' %I:%M:%S %p', 'T%H:%M:%S'];

const CANDIDATES: readonly CompiledDateFormat[] = DATE_PARTS.flatMap((d) =>
  TIME_PARTS.map((t) => compileDateFormat(d + t)),
);

/** The same format with day and month swapped ("%d/%m/%Y" ↔ "%m/%d/%Y"), or null. */
export function swapDayMonth(format: string): string | null {
  const d = format.indexOf('%d');
  const m = format.indexOf('%m');
  if (d < 0 || m < 0) return null;
  return format.replace(/%d|%m/g, (x) => (x === '%d' ? '%m' : '%d'));
}

export interface DetectedDateFormat {
  format: string;
  hasTime: boolean;
  /** Set when the values also fit this other format (day/month order undecided). */
  alternative?: string;
}

/**
 * Finds the format that every value fed to it fits: `add` each non-missing value (trimmed or not);
 * it returns false as soon as no format is left, so a text column costs a value or two.
 */
export class DateFormatDetector {
  private alive: CompiledDateFormat[] = [];
  private started = false;

  add(bytes: Uint8Array, s: number, e: number): boolean {
    if (!this.started) {
      this.started = true;
      // Cheap rejection: a date starts with a digit or a letter and has a digit.
      let t = s;
      while (t < e && isBlank(bytes[t])) t++;
      if (t === e || !(isDigit(bytes[t]) || isLetter(bytes[t])) || e - t > 40) return false;
      this.alive = CANDIDATES.filter((c) => !Number.isNaN(parseDateBytes(c, bytes, s, e)));
      return this.alive.length > 0;
    }
    let n = 0;
    for (const c of this.alive) if (!Number.isNaN(parseDateBytes(c, bytes, s, e))) this.alive[n++] = c;
    this.alive.length = n;
    return n > 0;
  }

  /** The preferred surviving format, or null when none fits every value (or none was fed). */
  result(): DetectedDateFormat | null {
    const best = this.alive[0];
    if (best === undefined) return null;
    const swapped = swapDayMonth(best.format);
    const alternative =
      swapped !== null && this.alive.some((c) => c.format === swapped) ? swapped : undefined;
    return { format: best.format, hasTime: best.hasTime, ...(alternative ? { alternative } : {}) };
  }
}

/** One sentence for the load report when the day/month order was a guess. */
export function ambiguousDateNote(column: string, d: DetectedDateFormat): string | null {
  if (d.alternative === undefined) return null;
  return `Dates in column "${column}" fit both ${d.format} and ${d.alternative}; they were read as ${d.format} (month first, as pandas does). If they are day-first, pick ${d.alternative} from the format in the column's header (or pass dateFormats).`;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(64);

/** UTF-8 bytes of `text` in a shared scratch buffer; returns the byte length. */
function encodeScratch(text: string): number {
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(text.length * 3 + 16);
  return encoder.encodeInto(text, scratch).written;
}

/** `parseDateBytes` for a JS string. */
export function parseDateString(f: CompiledDateFormat, text: string): number {
  const n = encodeScratch(text);
  return parseDateBytes(f, scratch, 0, n);
}

/** Detect the format of string values (null/undefined are skipped; any non-string fails). */
export function detectDateFormatOfStrings(values: Iterable<unknown>): DetectedDateFormat | null {
  const detector = new DateFormatDetector();
  let any = false;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (typeof v !== 'string') return null;
    const n = encodeScratch(v);
    if (!detector.add(scratch, 0, n)) return null;
    any = true;
  }
  return any ? detector.result() : null;
}

/** The load-report sentence for values that did not fit the user's type or date format. */
export function unfitValuesWarning(
  column: string,
  failed: number,
  type: string | undefined,
  dateFormat: string | undefined,
): string {
  const what = dateFormat !== undefined ? `the date format ${dateFormat}` : `the type ${type}`;
  return `${failed} value${failed === 1 ? '' : 's'} in column "${column}" did not fit ${what} and became missing.`;
}

/** Record in a freshly built table's field metadata the format each date column was read with
 * (and, where the day/month order was a guess, the other format the values fit). */
export function recordDateFormats(
  fields: readonly { name: string; metadata: Map<string, string> }[],
  formats: ReadonlyMap<string, string>,
  alternatives?: ReadonlyMap<string, string>,
): void {
  for (const f of fields) {
    const format = formats.get(f.name);
    if (format !== undefined) f.metadata.set(DATE_FORMAT_METADATA_KEY, format);
    const alternative = alternatives?.get(f.name);
    if (format !== undefined && alternative !== undefined)
      f.metadata.set(DATE_ALTERNATIVE_METADATA_KEY, alternative);
  }
}

/** `{ dateFormat, dateAlternative }` of a field read from text as dates (for ColumnInfo), or `{}`. */
export function dateFormatOf(field: { metadata: Map<string, string> }): {
  dateFormat?: string;
  dateAlternative?: string;
} {
  const format = field.metadata.get(DATE_FORMAT_METADATA_KEY);
  if (format === undefined) return {};
  const alternative = field.metadata.get(DATE_ALTERNATIVE_METADATA_KEY);
  return alternative === undefined
    ? { dateFormat: format }
    : { dateFormat: format, dateAlternative: alternative };
}

/** Whether `format` names ISO 8601 (the fast path) rather than a strftime pattern. */
export function isIsoFormat(format: string): boolean {
  return format === ISO_DATETIME_FORMAT;
}

/** Checks a user's date format (a strftime pattern, or "ISO8601"); throws InvalidArgument with a hint. */
export function checkDateFormat(format: string): void {
  if (isIsoFormat(format)) return;
  if (format.trim() === '')
    throw new EngineError('InvalidArgument', 'The date format is empty.', {
      hint: 'Use strftime directives such as "%d/%m/%Y" or "%b %d %Y", or ISO8601.',
    });
  compileDateFormat(format);
}

const MONTH_ABBR = MONTHS.map((m) => m[0]!.toUpperCase() + m.slice(1, 3));
const MONTH_NAME = MONTHS.map((m) => m[0]!.toUpperCase() + m.slice(1));
const pad = (v: number, n = 2): string => String(v).padStart(n, '0');

/** The parts of a moment a format writes (UTC). */
interface Moment {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/**
 * The civil date of a day count since 1970-01-01, written into `into` (Howard Hinnant's
 * civil_from_days; no Date object, so it is cheap per value).
 */
export function civilFromDays<T extends { year: number; month: number; day: number }>(
  days: number,
  into: T,
): T {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  into.day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  into.month = mp < 10 ? mp + 3 : mp - 9;
  into.year = yoe + era * 400 + (into.month <= 2 ? 1 : 0);
  return into;
}

/** Splits `ms` into `into` (UTC). */
function momentOf(ms: number, into: Moment): Moment {
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  civilFromDays(days, into);
  into.hour = Math.floor(rest / 3_600_000);
  rest -= into.hour * 3_600_000;
  into.minute = Math.floor(rest / 60_000);
  rest -= into.minute * 60_000;
  into.second = Math.floor(rest / 1000);
  into.ms = rest - into.second * 1000;
  return into;
}

const WRITERS: Record<string, (t: Moment) => string> = {
  d: (t) => pad(t.day),
  m: (t) => pad(t.month),
  Y: (t) => pad(t.year, 4),
  y: (t) => pad(t.year % 100),
  b: (t) => MONTH_ABBR[t.month - 1]!,
  h: (t) => MONTH_ABBR[t.month - 1]!,
  B: (t) => MONTH_NAME[t.month - 1]!,
  H: (t) => pad(t.hour),
  I: (t) => pad(t.hour % 12 === 0 ? 12 : t.hour % 12),
  M: (t) => pad(t.minute),
  S: (t) => pad(t.second),
  f: (t) => pad(t.ms, 3),
  p: (t) => (t.hour < 12 ? 'AM' : 'PM'),
};

function isoText(ms: number, dateOnly: boolean): string {
  const iso = new Date(ms).toISOString();
  if (dateOnly) return iso.slice(0, 10);
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

/**
 * A writer of milliseconds since the epoch (UTC) in `format` — the inverse of `parseDateString`
 * for every value the format reads (%y writes the two digits it reads back into the same century
 * window, %f milliseconds). "ISO8601" writes ISO text (the date alone when `dateOnly`). Used to get
 * back a date column's text when it was read as dates on load, so it can be read with another
 * format; compiled once per column.
 */
export function dateFormatter(format: string, dateOnly = false): (ms: number) => string {
  if (isIsoFormat(format)) return (ms) => isoText(ms, dateOnly);
  const parts: (string | ((t: Moment) => string))[] = [];
  let literal = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    const writer = ch === '%' ? WRITERS[format[i + 1] ?? ''] : undefined;
    if (writer === undefined) {
      literal += ch === '%' && format[i + 1] === '%' ? format[++i] : ch;
      continue;
    }
    i++;
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(writer);
  }
  if (literal !== '') parts.push(literal);
  const moment: Moment = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, ms: 0 };
  return (ms) => {
    momentOf(ms, moment);
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : part(moment);
    return out;
  };
}

/** `dateFormatter(format, dateOnly)(ms)`, for one value. */
export function formatDate(ms: number, format: string, dateOnly = false): string {
  return dateFormatter(format, dateOnly)(ms);
}
