/** The synthetic columns (./generate.ts) as UTF-8 CSV bytes. */
import { EngineError, throwIfAborted } from '../../core/errors';
import { civilFromDays } from '../dates';
import type { SyntheticOptions } from '../types';
import { type Column, generate, MAX_WORDS, MS_PER_DAY, type TextColumn, WORDS } from './generate';

const encoder = new TextEncoder();
// ---------------------------------------------------------------------------------------------
// CSV, written as bytes straight into one buffer: formatting 20M cells through strings is ~5×
// slower than writing their digits.

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const QUOTE = 0x22;
const MINUS = 0x2d;
const DOT = 0x2e;
const COLON = 0x3a;
const ZERO = 0x30;
const LETTER_T = 0x54;
const LETTER_Z = 0x5a;
const SPACE = 0x20;

const needsQuotes = (s: string): boolean => /[",\n\r]/.test(s);
const csvField = (s: string): string => (needsQuotes(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** Writes a non-negative integer (< 2^53) as exactly `width` digits, zero-padded; returns the end. */
function writePadded(out: Uint8Array, at: number, n: number, width: number): number {
  let rest = n;
  for (let k = at + width - 1; k >= at; k--) {
    const q = Math.floor(rest / 10);
    out[k] = ZERO + (rest - q * 10);
    rest = q;
  }
  return at + width;
}

function writeDigits(out: Uint8Array, at: number, n: number): number {
  let width = 1;
  for (let p = 10; p <= n; p *= 10) width++;
  return writePadded(out, at, n, width);
}

function writeInteger(out: Uint8Array, at: number, n: number): number {
  if (n < 0) {
    out[at] = MINUS;
    return writeDigits(out, at + 1, -n);
  }
  return writeDigits(out, at, n);
}

/**
 * `v` is a multiple of 10^-decimals (see `round`); writes it as that decimal without trailing
 * zeros. It parses back to exactly `v`: both are the double nearest to the same decimal.
 */
function writeFixed(out: Uint8Array, at: number, v: number, decimals: number): number {
  const scale = 10 ** decimals;
  let k = Math.round(v * scale);
  let pos = at;
  if (k < 0) {
    out[pos++] = MINUS;
    k = -k;
  }
  const whole = Math.floor(k / scale);
  let fraction = k - whole * scale;
  pos = writeDigits(out, pos, whole);
  if (fraction === 0) return pos;
  let width = decimals;
  while (fraction % 10 === 0) {
    fraction /= 10;
    width--;
  }
  out[pos++] = DOT;
  return writePadded(out, pos, fraction, width);
}

const civil = { year: 0, month: 0, day: 0 };

/** `YYYY-MM-DD` of a day count since 1970-01-01, for years 0–9999. */
function writeDate(out: Uint8Array, at: number, days: number): number {
  const { year, month, day } = civilFromDays(days, civil);
  let pos = writePadded(out, at, year, 4);
  out[pos++] = MINUS;
  pos = writePadded(out, pos, month, 2);
  out[pos++] = MINUS;
  return writePadded(out, pos, day, 2);
}

/** `YYYY-MM-DDTHH:MM:SSZ` (UTC), with `.sss` before the Z only when the milliseconds are not zero. */
function writeDatetime(out: Uint8Array, at: number, ms: number): number {
  const days = Math.floor(ms / MS_PER_DAY);
  const inDay = ms - days * MS_PER_DAY;
  const seconds = Math.floor(inDay / 1000);
  const millis = inDay - seconds * 1000;
  let pos = writeDate(out, at, days);
  out[pos++] = LETTER_T;
  pos = writePadded(out, pos, Math.floor(seconds / 3600), 2);
  out[pos++] = COLON;
  pos = writePadded(out, pos, Math.floor(seconds / 60) % 60, 2);
  out[pos++] = COLON;
  pos = writePadded(out, pos, seconds % 60, 2);
  if (millis) {
    out[pos++] = DOT;
    pos = writePadded(out, pos, millis, 3);
  }
  out[pos++] = LETTER_Z;
  return pos;
}

function writeBytes(out: Uint8Array, at: number, bytes: Uint8Array): number {
  // A loop beats `set` for the short byte strings here.
  for (let k = 0; k < bytes.length; k++) out[at + k] = bytes[k]!;
  return at + bytes.length;
}

/** How each column is written; one row loop with a switch stays monomorphic (closures per column did not). */
enum Cell {
  Float,
  Integer,
  Boolean,
  Date,
  Datetime,
  Bytes,
  Text,
}

interface CsvColumn {
  cell: Cell;
  valid: Uint8Array | null;
  floats: Float64Array;
  ints: Int32Array;
  flags: Uint8Array;
  decimals: number;
  /** Bytes: the encoded, already quoted dictionary entries. */
  entries: Uint8Array[];
  text: TextColumn | null;
  /** Upper bound of one field's bytes. */
  maxBytes: number;
}

const TRUE_BYTES = encoder.encode('true');
const FALSE_BYTES = encoder.encode('false');
const PLAIN_WORDS = WORDS.map((w) => encoder.encode(w));
const ESCAPED_WORDS = WORDS.map((w) => encoder.encode(w.replaceAll('"', '""')));
const QUOTED_WORDS = Uint8Array.from(WORDS, (w) => (needsQuotes(w) ? 1 : 0));

function csvColumn(column: Column): CsvColumn {
  const base: CsvColumn = {
    cell: Cell.Integer,
    valid: column.valid,
    floats: new Float64Array(0),
    ints: new Int32Array(0),
    flags: new Uint8Array(0),
    decimals: column.decimals ?? 0,
    entries: [],
    text: null,
    maxBytes: 11,
  };
  switch (column.type) {
    case 'float':
      return {
        ...base,
        cell: Cell.Float,
        floats: column.values as Float64Array,
        maxBytes: 24 + base.decimals,
      };
    case 'integer':
      return { ...base, cell: Cell.Integer, ints: column.values as Int32Array, maxBytes: 11 };
    case 'boolean':
      return { ...base, cell: Cell.Boolean, flags: column.values as Uint8Array, maxBytes: 5 };
    case 'date':
      return { ...base, cell: Cell.Date, ints: column.values as Int32Array, maxBytes: 10 };
    case 'datetime':
      return { ...base, cell: Cell.Datetime, floats: column.values as Float64Array, maxBytes: 24 };
    case 'categorical': {
      const entries = (column.dictionary ?? []).map((s) => encoder.encode(csvField(s)));
      const maxBytes = Math.max(0, ...entries.map((e) => e.length));
      return { ...base, cell: Cell.Bytes, ints: column.values as Int32Array, entries, maxBytes };
    }
    case 'text':
      return {
        ...base,
        cell: Cell.Text,
        text: column.text ?? null,
        maxBytes: 2 + MAX_WORDS * (1 + Math.max(...ESCAPED_WORDS.map((e) => e.length))),
      };
    default:
      throw new EngineError('InternalError', `No CSV format for column type ${column.type}.`);
  }
}

function writeText(out: Uint8Array, at: number, text: TextColumn, i: number): number {
  const count = text.counts[i]!;
  const first = i * MAX_WORDS;
  let quoted = false;
  for (let w = 0; w < count; w++) if (QUOTED_WORDS[text.words[first + w]!]) quoted = true;
  const bytes = quoted ? ESCAPED_WORDS : PLAIN_WORDS;
  let pos = at;
  if (quoted) out[pos++] = QUOTE;
  for (let w = 0; w < count; w++) {
    if (w > 0) out[pos++] = SPACE;
    pos = writeBytes(out, pos, bytes[text.words[first + w]!]!);
  }
  if (quoted) out[pos++] = QUOTE;
  return pos;
}

function writeCell(out: Uint8Array, at: number, c: CsvColumn, i: number): number {
  if (c.valid !== null && c.valid[i] === 0) return at;
  switch (c.cell) {
    case Cell.Float:
      return writeFixed(out, at, c.floats[i]!, c.decimals);
    case Cell.Integer:
      return writeInteger(out, at, c.ints[i]!);
    case Cell.Boolean:
      return writeBytes(out, at, c.flags[i] ? TRUE_BYTES : FALSE_BYTES);
    case Cell.Date:
      return writeDate(out, at, c.ints[i]!);
    case Cell.Datetime:
      return writeDatetime(out, at, c.floats[i]!);
    case Cell.Bytes:
      return writeBytes(out, at, c.entries[c.ints[i]!]!);
    case Cell.Text:
      return writeText(out, at, c.text!, i);
  }
}

const CSV_CHUNK_ROWS = 4096;

/**
 * The same data as `syntheticTable(options)` as UTF-8 CSV: a header line, one line per row, `\n`
 * line ends, empty fields for missing values, RFC 4180 quoting where a field needs it, floats as
 * plain decimals, dates as `YYYY-MM-DD`, datetimes as `YYYY-MM-DDTHH:MM:SSZ`, booleans as
 * `true`/`false`. 1M rows × 20 columns ≈ 155 MB.
 */
export function syntheticCsv(
  options: SyntheticOptions,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Uint8Array {
  throwIfAborted(signal);
  const columns = generate(options, (done, total) => {
    throwIfAborted(signal);
    onProgress?.((0.4 * done) / total);
  });
  const rows = options.rows;
  const cells = columns.map(csvColumn);
  const rowMax = cells.reduce((sum, c) => sum + c.maxBytes + 1, 0);
  const header = encoder.encode(`${columns.map((c) => csvField(c.name)).join(',')}\n`);
  let out = new Uint8Array(header.length + Math.min(rows, CSV_CHUNK_ROWS) * rowMax);
  out.set(header);
  let at = header.length;
  const last = cells.length - 1;
  for (let start = 0; start < rows; start += CSV_CHUNK_ROWS) {
    throwIfAborted(signal);
    const end = Math.min(rows, start + CSV_CHUNK_ROWS);
    const needed = at + (end - start) * rowMax;
    if (needed > out.length) {
      // Grow to the projected total (from the bytes per row so far), so the copy happens ~once.
      const projected =
        start > 0 ? Math.ceil(((at - header.length) / start) * rows * 1.02) + header.length : 0;
      const grown = new Uint8Array(Math.max(needed, projected, Math.ceil(out.length * 1.5)));
      grown.set(out.subarray(0, at));
      out = grown;
    }
    for (let i = start; i < end; i++) {
      for (let j = 0; j < last; j++) {
        at = writeCell(out, at, cells[j]!, i);
        out[at++] = COMMA;
      }
      at = writeCell(out, at, cells[last]!, i);
      out[at++] = NEWLINE;
    }
    onProgress?.(0.4 + (0.6 * end) / rows);
  }
  onProgress?.(1);
  // A view when little space is unused: copying 150 MB is not free.
  return out.length - at <= at / 8 ? out.subarray(0, at) : out.slice(0, at);
}
