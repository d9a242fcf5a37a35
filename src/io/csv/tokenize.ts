/**
 * RFC 4180 tokenizer over UTF-8 bytes. It makes no strings: it records where each field ends in a
 * rectangular Uint32Array (row-major, `columns` slots per record), so field (r, c) spans
 * [c === 0 ? rowStarts[r] : ends[r*columns + c - 1] + 1, ends[r*columns + c]). Quoted fields keep
 * their quotes (the column builders strip them). Short records are padded with PAD (missing),
 * long records are truncated; both are reported as ragged with their 1-based line.
 *
 * Blank lines are skipped (like pandas' skip_blank_lines). Line ends may be LF, CRLF or CR.
 */

import { EngineError } from '../../core/errors';
import { MAX_COLUMNS, maxRowsFor, tooManyColumns, tooSparse } from '../limits';
import type { RaggedRow } from '../types';

export const PAD = 0xffffffff;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const MAX_RAGGED_LISTED = 100;

export interface Tokens {
  columns: number;
  rows: number;
  ends: Uint32Array;
  rowStarts: Uint32Array;
  raggedRows: RaggedRow[];
  raggedCount: number;
}

/** Count the fields of each of the first `maxLines` records of `bytes` for one delimiter,
 * ignoring delimiters inside quotes. Stops at the first unterminated quote. */
export function sampleFieldCounts(bytes: Uint8Array, delimiter: number, maxLines: number): number[] {
  const counts: number[] = [];
  const n = bytes.length;
  let i = 0;
  let fields = 1;
  let lineHasContent = false;
  let atFieldStart = true;
  while (i < n && counts.length < maxLines) {
    const b = bytes[i]!;
    if (b === QUOTE && atFieldStart) {
      const close = findClosingQuote(bytes, i + 1);
      if (close < 0) break;
      i = close + 1;
      lineHasContent = true;
      atFieldStart = false;
      continue;
    }
    if (b === LF || b === CR) {
      if (lineHasContent) counts.push(fields);
      fields = 1;
      lineHasContent = false;
      atFieldStart = true;
      i += b === CR && bytes[i + 1] === LF ? 2 : 1;
      continue;
    }
    lineHasContent = true;
    if (b === delimiter) {
      fields++;
      atFieldStart = true;
    } else atFieldStart = false;
    i++;
  }
  if (lineHasContent && counts.length < maxLines && i >= n) counts.push(fields);
  return counts;
}

/** Index of the quote closing a quoted field whose content starts at `from` ("" is an escape), or -1. */
function findClosingQuote(bytes: Uint8Array, from: number): number {
  let i = from;
  for (;;) {
    const q = bytes.indexOf(QUOTE, i);
    if (q < 0) return -1;
    if (bytes[q + 1] === QUOTE) {
      i = q + 2;
      continue;
    }
    return q;
  }
}

/** Pick the delimiter among `, ; \t |` whose field counts are most consistent over the first lines. */
export function detectDelimiter(bytes: Uint8Array, preferTab: boolean): string {
  const sample = bytes.subarray(0, Math.min(bytes.length, 1 << 16));
  let best = ',';
  let bestScore = 0;
  for (const d of preferTab ? ['\t', ',', ';', '|'] : [',', ';', '\t', '|']) {
    const counts = sampleFieldCounts(sample, d.charCodeAt(0), 50);
    if (counts.length === 0) continue;
    const freq = new Map<number, number>();
    for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
    let mode = 1;
    let modeCount = 0;
    for (const [c, f] of freq) if (f > modeCount || (f === modeCount && c > mode)) [mode, modeCount] = [c, f];
    if (mode < 2) continue;
    // Consistency first (share of lines with the modal count), then more columns.
    const score = (modeCount / counts.length) * 1000 + Math.min(mode, 999) / 1000;
    if (score > bestScore + 1e-9) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

export interface TokenizerOptions {
  fileName: string;
  delimiter: string;
}

/** Resumable tokenizer: `run(limit)` consumes whole records until the position passes `limit`,
 * so callers can report progress and yield between chunks. */
export class Tokenizer {
  private pos = 0;
  private line = 1;
  private rows = 0;
  private columns = -1;
  private ends: Uint32Array;
  private rowStarts: Uint32Array;
  private raggedRows: RaggedRow[] = [];
  private raggedCount = 0;
  private readonly stop = new Uint8Array(256);
  private readonly delimiter: number;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly options: TokenizerOptions,
  ) {
    this.delimiter = options.delimiter.charCodeAt(0);
    this.stop[this.delimiter] = 1;
    this.stop[LF] = 1;
    this.stop[CR] = 1;
    this.ends = new Uint32Array(0);
    this.rowStarts = new Uint32Array(0);
  }

  get position(): number {
    return this.pos;
  }
  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** Rows to allocate for up front: from the line length in the first 64 KB, capped by the fact
   * that a record of `columns` fields takes at least `columns` bytes. Too few only costs a copy. */
  private estimateRows(): number {
    const sample = Math.max(1, Math.min(this.bytes.length, 1 << 16));
    let lines = 0;
    for (let i = 0; i < sample; i++) if (this.bytes[i] === LF || this.bytes[i] === CR) lines++;
    const perLine = lines > 0 ? sample / lines : sample;
    const estimate = Math.ceil((this.bytes.length / perLine) * 1.05) + 16;
    return Math.min(estimate, Math.ceil(this.bytes.length / Math.max(1, this.columns)) + 16);
  }

  private grow(minRows: number): void {
    // Short records are padded to the first record's width: a narrow tail under a wide first line
    // must not make a table far larger than the file, so rows stop at the cell budget.
    const maxRows = maxRowsFor(this.columns, this.bytes.length);
    if (minRows > maxRows) {
      throw tooSparse(
        this.options.fileName,
        minRows,
        this.columns,
        `its first line has ${this.columns.toLocaleString('en-US')} fields, but ${this.raggedCount.toLocaleString('en-US')} lines below it are shorter and would be padded`,
        'Check the first line and the delimiter: the first line sets the number of columns.',
      );
    }
    const capacity = Math.min(maxRows, Math.max(minRows, Math.ceil(this.rowStarts.length * 1.5) + 16));
    const ends = new Uint32Array(capacity * this.columns);
    ends.set(this.ends.subarray(0, this.rows * this.columns));
    this.ends = ends;
    const starts = new Uint32Array(capacity);
    starts.set(this.rowStarts.subarray(0, this.rows));
    this.rowStarts = starts;
  }

  private unbalanced(line: number): never {
    const { fileName } = this.options;
    throw new EngineError('ParseError', `${fileName}: a quote opened on line ${line} is never closed.`, {
      file: fileName,
      line,
      hint: `Check line ${line}: a field starting with " must end with " (write "" for a quote inside it).`,
    });
  }

  /** Tokenize records until the position passes `limit` (or the end of the input). */
  run(limit: number): void {
    const b = this.bytes;
    const n = b.length;
    const stop = this.stop;
    const delimiter = this.delimiter;
    const maxSpecial = Math.max(delimiter, CR);
    let i = this.pos;
    let line = this.line;
    while (i < n && i < limit) {
      const first = b[i]!;
      if (first === LF || first === CR) {
        i += first === CR && b[i + 1] === LF ? 2 : 1;
        line++;
        continue;
      }
      const recordLine = line;
      const rowStart = i;
      if (this.columns < 0) {
        // The first record fixes the column count; allocate for the estimated number of rows.
        this.columns = sampleFieldCounts(b.subarray(i), delimiter, 1)[0] ?? 1;
        if (this.columns > MAX_COLUMNS) throw tooManyColumns(this.options.fileName, this.columns);
        this.grow(this.estimateRows());
      }
      const columns = this.columns;
      if (this.rows >= this.rowStarts.length) this.grow(this.rows + 1);
      const ends = this.ends;
      const base = this.rows * columns;
      let c = 0;
      for (;;) {
        if (b[i] === QUOTE) {
          const openLine = line;
          let j = i + 1;
          for (;;) {
            const q = b.indexOf(QUOTE, j);
            if (q < 0) this.unbalanced(openLine);
            // Count line ends inside the quotes so later line numbers stay right.
            for (let k = j; k < q; k++) {
              const ch = b[k];
              if (ch === LF || (ch === CR && b[k + 1] !== LF)) line++;
            }
            if (b[q + 1] === QUOTE) {
              j = q + 2;
              continue;
            }
            i = q + 1;
            break;
          }
          // Tolerate stray bytes after the closing quote (`"a"b`): they stay part of the field.
          while (i < n && stop[b[i]!] === 0) i++;
        } else {
          // Bytes above every special byte (digits, letters, '.', '-' for commas) take one compare;
          // past the end b[i] is undefined and the loop stops.
          let ch = b[i]!;
          while (ch > maxSpecial || (stop[ch] === 0 && i < n)) ch = b[++i]!;
        }
        if (c < columns) ends[base + c] = i;
        c++;
        if (i < n && b[i] === delimiter) {
          i++;
          continue;
        }
        break;
      }
      if (i < n) {
        i += b[i] === CR && b[i + 1] === LF ? 2 : 1;
        line++;
      }
      if (c !== columns) {
        this.raggedCount++;
        if (this.raggedRows.length < MAX_RAGGED_LISTED) this.raggedRows.push({ line: recordLine, fields: c });
        for (let k = c; k < columns; k++) ends[base + k] = PAD;
      }
      this.rowStarts[this.rows] = rowStart;
      this.rows++;
    }
    this.pos = i;
    this.line = line;
  }

  result(): Tokens {
    return {
      columns: Math.max(this.columns, 0),
      rows: this.rows,
      ends: this.ends,
      rowStarts: this.rowStarts,
      raggedRows: this.raggedRows,
      raggedCount: this.raggedCount,
    };
  }
}
