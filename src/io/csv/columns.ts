/**
 * Typed Arrow columns straight from tokenized bytes: one column at a time, its field bounds are
 * gathered into reusable scratch arrays, classified (numbers, booleans and dates parsed from the
 * bytes while inferring), and only string columns ever copy bytes — into Arrow's Utf8 buffers or a
 * byte-keyed dictionary. No JS string is made per field.
 */
import type { Data } from 'apache-arrow';
import type { ColumnType } from '../../core/types';
import {
  type BuiltColumn,
  boolData,
  dateDayData,
  dictionaryData,
  numericData,
  timestampData,
  utf8Data,
  Validity,
} from '../build';
import {
  ambiguousDateNote,
  type CompiledDateFormat,
  compileDateFormat,
  DateFormatDetector,
  ISO_DATE_FORMAT,
  ISO_DATETIME_FORMAT,
  parseDateBytes,
} from '../dates';
import { ByteDictionary } from '../dictionary';
import {
  categoricalLimit,
  classifiedValue,
  classifyBytes,
  coerceClassified,
  isCategorical,
  joinKinds,
  Kind,
  kindToColumnType,
  type MissingMatcher,
} from '../infer';
import { PAD, type Tokens } from './tokenize';

const QUOTE = 34;
const FIELD_PLAIN = 0;
const FIELD_QUOTED = 1;
const FIELD_MISSING = 2;

export interface ColumnResult {
  column: BuiltColumn;
  inferred: ColumnType;
  /** Values that did not fit a forced type and became null. */
  failed: number;
  /** The format a date/datetime column was read with (strftime notation, or ISO8601). */
  dateFormat?: string;
  /** …and the day/month-swapped format the values also fit, when the order was a guess. */
  dateAlternative?: string;
  /** A sentence for the load report (e.g. the day/month order of dates was a guess). */
  note?: string;
  /** The numbers were read with a decimal comma. */
  decimalComma?: boolean;
}

const DAY_MS = 86_400_000;

/** Scratch arrays shared by all columns of one parse (sized for the row count). */
export class ColumnScratch {
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  readonly flags: Uint8Array;
  constructor(rows: number) {
    this.starts = new Uint32Array(rows);
    this.ends = new Uint32Array(rows);
    this.flags = new Uint8Array(rows);
  }
}

/** Gather the content bounds of column `c` for the data rows into `scratch` (quotes stripped,
 * escapes kept until copied) and mark missing values. */
function gather(
  bytes: Uint8Array,
  tokens: Tokens,
  firstRow: number,
  c: number,
  scratch: ColumnScratch,
  missing: MissingMatcher,
): Validity {
  const { ends, rowStarts, columns, rows } = tokens;
  const validity = new Validity(rows - firstRow);
  const S = scratch.starts;
  const E = scratch.ends;
  const F = scratch.flags;
  for (let r = firstRow, k = 0; r < rows; r++, k++) {
    const fi = r * columns + c;
    let e = ends[fi]!;
    if (e === PAD) {
      F[k] = FIELD_MISSING;
      validity.setNull(k);
      continue;
    }
    let s = c === 0 ? rowStarts[r]! : ends[fi - 1]! + 1;
    let flag = FIELD_PLAIN;
    if (bytes[s] === QUOTE) {
      let close = e - 1;
      while (close > s && bytes[close] !== QUOTE) close--;
      s++;
      if (close >= s) e = close;
      flag = FIELD_QUOTED;
    }
    S[k] = s;
    E[k] = e;
    let ts = s;
    let te = e;
    while (ts < te && isSpace(bytes[ts])) ts++;
    while (te > ts && isSpace(bytes[te - 1])) te--;
    if (missing.matches(bytes, ts, te)) {
      flag = FIELD_MISSING;
      validity.setNull(k);
    }
    F[k] = flag;
  }
  return validity;
}

function isSpace(b: number | undefined): boolean {
  return b === 32 || b === 9;
}

/**
 * Inference and numeric parsing of one column, fed row blocks by the caller (all columns of a
 * block in turn, so the block's offsets and bytes stay in cache), then `finish()` builds the data.
 */
export class ColumnBuilder {
  private readonly n: number;
  private validity: Validity;
  private values: Float64Array;
  /** Per-value kinds, kept only for forced non-string types (they are coerced one by one). */
  private readonly kinds: Uint8Array | null;
  private kind: Kind = Kind.Missing;
  private classifying = true;
  private readonly storeValues: boolean;
  private readonly dateFormat: CompiledDateFormat | null;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly tokens: Tokens,
    private readonly firstRow: number,
    private readonly c: number,
    private readonly name: string,
    private readonly forced: ColumnType | undefined,
    private readonly missing: MissingMatcher,
    /** The user's date format for this column (LoadOptions.dateFormats); ignored for other forced types. */
    dateFormat?: string,
    /** The file writes decimals with a comma ("10,75"), as spreadsheets in most of Europe do. */
    private readonly decimalComma = false,
  ) {
    this.n = tokens.rows - firstRow;
    this.dateFormat =
      dateFormat !== undefined && (forced === undefined || forced === 'date' || forced === 'datetime')
        ? compileDateFormat(dateFormat)
        : null;
    // Forced string columns (and columns with a date format, parsed from their bytes at the end)
    // are still classified (until the first text value) to report the inferred type, but keep no values.
    const stringTarget = forced === 'text' || forced === 'categorical' || this.dateFormat !== null;
    this.validity = new Validity(stringTarget ? 0 : this.n);
    this.values = new Float64Array(stringTarget ? 0 : this.n);
    this.storeValues = !stringTarget;
    this.kinds = forced !== undefined && !stringTarget ? new Uint8Array(this.n) : null;
  }

  /** Classify records [from, to) (indices into the data rows). */
  consume(from: number, to: number): void {
    if (!this.classifying) return;
    const { bytes, missing, validity, values, kinds, c, storeValues } = this;
    const { ends, rowStarts, columns } = this.tokens;
    const forcedKinds = kinds !== null;
    let kind = this.kind;
    for (let k = from, fi = (from + this.firstRow) * columns + c; k < to; k++, fi += columns) {
      let e = ends[fi]!;
      if (e === PAD) {
        if (storeValues) validity.setNull(k);
        continue;
      }
      let s = c === 0 ? rowStarts[k + this.firstRow]! : ends[fi - 1]! + 1;
      if (bytes[s] === QUOTE) {
        let close = e - 1;
        while (close > s && bytes[close] !== QUOTE) close--;
        s++;
        if (close >= s) e = close;
      }
      if (s < e && (isSpace(bytes[s]) || isSpace(bytes[e - 1]))) {
        while (s < e && isSpace(bytes[s])) s++;
        while (e > s && isSpace(bytes[e - 1])) e--;
      }
      if (missing.matches(bytes, s, e)) {
        if (storeValues) validity.setNull(k);
        continue;
      }
      const vk = s === e ? Kind.Text : classifyBytes(bytes, s, e);
      if (storeValues) values[k] = classifiedValue;
      if (forcedKinds) {
        kinds[k] = vk;
        kind = joinKinds(kind, vk);
      } else if (vk !== kind) {
        kind = joinKinds(kind, vk);
        // Once a column is text only the string pass remains; it re-reads the fields.
        if (kind === Kind.Text) {
          this.classifying = false;
          // The string pass rebuilds validity; free the numeric buffers now (8 bytes a row).
          this.values = new Float64Array(0);
          this.validity = new Validity(0);
          break;
        }
      }
    }
    this.kind = kind;
  }

  finish(scratch: ColumnScratch): ColumnResult {
    const { forced, n, values, kinds } = this;
    if (this.dateFormat !== null) {
      const validity = gather(this.bytes, this.tokens, this.firstRow, this.c, scratch, this.missing);
      return this.finishDates(scratch, validity, this.dateFormat, null)!;
    }
    let inferred: ColumnType = this.kind === Kind.Missing ? 'text' : kindToColumnType(this.kind);
    // Integers beyond 2^53 (18-digit tweet or order ids) would be rounded as numbers, merging ids
    // that differ in their last digits: such a column is read as text, every digit kept.
    const unsafe = forced === undefined && this.kind === Kind.Int && hasUnsafeInteger(values, this.validity);
    if (unsafe) inferred = 'text';
    const target = forced ?? inferred;
    let failed = 0;
    let data: Data;
    let type: ColumnType = target;
    if (target === 'text' || target === 'categorical') {
      const validity = gather(this.bytes, this.tokens, this.firstRow, this.c, scratch, this.missing);
      // Text the fast path could not read may still be dates in another format ("Jun 12 1998").
      if (forced === undefined && this.kind === Kind.Text) {
        const dates = this.finishDates(scratch, validity, null, new DateFormatDetector());
        if (dates !== null) return dates;
        const decimals = this.decimalComma ? this.finishDecimalComma(scratch, validity) : null;
        if (decimals !== null) return decimals;
      }
      const nonMissing = n - validity.nullCount;
      const wantCategorical = forced === 'categorical' || (forced === undefined && nonMissing > 0);
      const dict = wantCategorical
        ? buildDictionary(
            this.bytes,
            scratch,
            validity,
            forced === 'categorical' ? n + 1 : categoricalLimit(n),
          )
        : null;
      if (dict !== null && (forced === 'categorical' || isCategorical(dict.distinct, nonMissing))) {
        data = dict.data;
        type = 'categorical';
      } else {
        data = buildUtf8(this.bytes, scratch, validity);
        type = 'text';
      }
      if (forced === undefined) inferred = type;
      const result: ColumnResult = { column: { name: this.name, type, data }, inferred, failed };
      if (unsafe)
        result.note = `"${this.name}" has integers beyond 2^53 (9,007,199,254,740,992), which a number would round: read as ${type}, every digit kept.`;
      return result;
    }
    if ((target === 'date' || target === 'datetime') && this.kind === Kind.Text) {
      // Forced to a date type but not ISO: read the values in the one format they all fit.
      const fields = gather(this.bytes, this.tokens, this.firstRow, this.c, scratch, this.missing);
      const dates = this.finishDates(scratch, fields, null, new DateFormatDetector());
      if (dates !== null) return dates;
    }
    const validity = this.validity;
    if (kinds !== null) {
      // Forced non-string type: convert each classified value; misfits become null.
      for (let k = 0; k < n; k++) {
        if (!validity.isValid(k)) continue;
        const v = coerceClassified(kinds[k] as Kind, values[k]!, target);
        if (Number.isNaN(v)) {
          validity.setNull(k);
          failed++;
        } else values[k] = v;
      }
    }
    if (target === 'integer' || target === 'float')
      data = numericData(values, validity, target === 'integer');
    else if (target === 'boolean') data = boolData(values, validity);
    else if (target === 'date') data = dateDayData(values, validity);
    else data = timestampData(values, validity);
    const result: ColumnResult = { column: { name: this.name, type, data }, inferred, failed };
    if ((type === 'date' || type === 'datetime') && (this.kind === Kind.Date || this.kind === Kind.DateTime))
      result.dateFormat = this.kind === Kind.Date ? ISO_DATE_FORMAT : ISO_DATETIME_FORMAT;
    return result;
  }

  /**
   * A float column when every present value is a number with a decimal comma ("10,75", "-0,5")
   * or an integer, and at least one has the comma (pandas' `decimal=","`); else null.
   */
  private finishDecimalComma(scratch: ColumnScratch, validity: Validity): ColumnResult | null {
    const { n, bytes } = this;
    const S = scratch.starts;
    const E = scratch.ends;
    const F = scratch.flags;
    const values = new Float64Array(n);
    let commas = 0;
    for (let k = 0; k < n; k++) {
      if (F[k] === FIELD_MISSING) continue;
      let s = S[k]!;
      let e = E[k]!;
      while (s < e && isSpace(bytes[s])) s++;
      while (e > s && isSpace(bytes[e - 1])) e--;
      const text = decimalCommaText(bytes, s, e);
      if (text === null) return null;
      if (text.includes('.')) commas++;
      values[k] = Number(text);
    }
    if (commas === 0) return null;
    const data = numericData(values, validity, false);
    return {
      column: { name: this.name, type: 'float', data },
      inferred: 'float',
      failed: 0,
      decimalComma: true,
    };
  }

  /**
   * A date column from the gathered fields, read with `format`, or with the format `detector`
   * finds that every present value fits (null when there is none). Values that do not fit a
   * given format become missing and count as failed.
   */
  private finishDates(
    scratch: ColumnScratch,
    validity: Validity,
    format: CompiledDateFormat | null,
    detector: DateFormatDetector | null,
  ): ColumnResult | null {
    const { n, bytes, forced } = this;
    const S = scratch.starts;
    const E = scratch.ends;
    const F = scratch.flags;
    let note: string | null = null;
    let alternative: string | undefined;
    if (format === null) {
      if (detector === null) return null;
      for (let k = 0; k < n; k++) {
        if (F[k] !== FIELD_MISSING && !detector.add(bytes, S[k]!, E[k]!)) return null;
      }
      const found = detector.result();
      if (found === null) return null;
      format = compileDateFormat(found.format);
      note = ambiguousDateNote(this.name, found);
      alternative = found.alternative;
    }
    const detected: ColumnType = format.hasTime ? 'datetime' : 'date';
    const type = forced === 'date' || forced === 'datetime' ? forced : detected;
    const values = new Float64Array(n);
    let failed = 0;
    for (let k = 0; k < n; k++) {
      if (F[k] === FIELD_MISSING) continue;
      const v = parseDateBytes(format, bytes, S[k]!, E[k]!);
      if (Number.isNaN(v)) {
        validity.setNull(k);
        failed++;
      } else values[k] = type === 'date' ? Math.floor(v / DAY_MS) * DAY_MS : v;
    }
    const data = type === 'date' ? dateDayData(values, validity) : timestampData(values, validity);
    const result: ColumnResult = {
      column: { name: this.name, type, data },
      inferred: detector === null ? type : detected,
      failed,
      dateFormat: format.format,
    };
    if (note !== null) result.note = note;
    if (alternative !== undefined) result.dateAlternative = alternative;
    return result;
  }
}

function hasUnsafeInteger(values: Float64Array, validity: Validity): boolean {
  for (let k = 0; k < values.length; k++) {
    if (validity.isValid(k) && Math.abs(values[k]!) > Number.MAX_SAFE_INTEGER) return true;
  }
  return false;
}

/** `[+-]digits[,digits]` as JS number text (the comma made a point), or null for anything else. */
function decimalCommaText(bytes: Uint8Array, s: number, e: number): string | null {
  if (e - s > 64) return null; // no number of a spreadsheet is this long
  let i = s;
  if (bytes[i] === 45 || bytes[i] === 43) i++;
  const intStart = i;
  while (i < e && bytes[i]! >= 48 && bytes[i]! <= 57) i++;
  if (i === intStart) return null;
  let text = String.fromCharCode(...bytes.subarray(s, i));
  if (i === e) return text;
  if (bytes[i] !== 44) return null;
  const fracStart = ++i;
  while (i < e && bytes[i]! >= 48 && bytes[i]! <= 57) i++;
  if (i !== e || i === fracStart) return null;
  text += `.${String.fromCharCode(...bytes.subarray(fracStart, e))}`;
  return text;
}

/** Copy bytes[s, e) to out[pos..], turning "" into " when the field was quoted; returns the new pos. */
function copyField(
  bytes: Uint8Array,
  s: number,
  e: number,
  quoted: boolean,
  out: Uint8Array,
  pos: number,
): number {
  if (!quoted) {
    if (e - s > 24) {
      out.set(bytes.subarray(s, e), pos);
      return pos + e - s;
    }
    for (let i = s; i < e; i++) out[pos++] = bytes[i]!;
    return pos;
  }
  for (let i = s; i < e; i++) {
    const b = bytes[i]!;
    out[pos++] = b;
    if (b === QUOTE && bytes[i + 1] === QUOTE) i++;
  }
  return pos;
}

function buildUtf8(bytes: Uint8Array, scratch: ColumnScratch, validity: Validity): Data {
  const n = validity.length;
  const S = scratch.starts;
  const E = scratch.ends;
  const F = scratch.flags;
  let total = 0;
  for (let k = 0; k < n; k++) if (F[k] !== FIELD_MISSING) total += E[k]! - S[k]!;
  const out = new Uint8Array(total);
  const offsets = new Int32Array(n + 1);
  let pos = 0;
  for (let k = 0; k < n; k++) {
    const f = F[k];
    if (f !== FIELD_MISSING) pos = copyField(bytes, S[k]!, E[k]!, f === FIELD_QUOTED, out, pos);
    offsets[k + 1] = pos;
  }
  return utf8Data(offsets, pos === total ? out : out.slice(0, pos), validity);
}

/** Dictionary-encode by bytes; null as soon as there are more than `limit` distinct values. */
function buildDictionary(
  bytes: Uint8Array,
  scratch: ColumnScratch,
  validity: Validity,
  limit: number,
): { data: Data; distinct: number } | null {
  const n = validity.length;
  const S = scratch.starts;
  const E = scratch.ends;
  const F = scratch.flags;
  const dictionary = new ByteDictionary(limit, n);
  const indices = new Int32Array(n);
  let unescaped = new Uint8Array(256);
  for (let k = 0; k < n; k++) {
    const f = F[k];
    if (f === FIELD_MISSING) continue;
    let src = bytes;
    let s = S[k]!;
    let e = E[k]!;
    if (f === FIELD_QUOTED && bytes.subarray(s, e).includes(QUOTE)) {
      if (unescaped.length < e - s) unescaped = new Uint8Array((e - s) * 2);
      const len = copyField(bytes, s, e, true, unescaped, 0);
      src = unescaped;
      s = 0;
      e = len;
    }
    const id = dictionary.add(src, s, e);
    if (id < 0) return null;
    indices[k] = id;
  }
  return { data: dictionaryData(indices, dictionary.values(), validity), distinct: dictionary.distinct };
}
