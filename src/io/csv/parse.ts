/**
 * Delimited text → Arrow table, in phases: decode to UTF-8 bytes → detect the delimiter →
 * tokenize to field offsets (chunked, with progress and cancel) → detect the header → build each
 * column (infer + parse from bytes).
 */
import type { Table } from 'apache-arrow';
import { EngineError, throwIfAborted } from '../../core/errors';
import { type BuiltColumn, tableFromColumns, uniqueNames } from '../build';
import { recordDateFormats, unfitValuesWarning } from '../dates';
import { decodeToUtf8 } from '../encoding';
import { classifyBytes, Kind, MissingMatcher } from '../infer';
import type { ReadOptions } from '../read-options';
import type { LoadReport } from '../types';
import { ColumnBuilder, ColumnScratch } from './columns';
import { detectDelimiter, PAD, Tokenizer, type Tokens } from './tokenize';

const CHUNK_BYTES = 8 << 20;
const HEADER_SAMPLE_ROWS = 200;
const BLOCK_ROWS = 4096;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Yield at most every 50 ms: often enough for cancel messages to arrive in a worker, rarely
 * enough that timer clamping (≥ 1-4 ms per setTimeout) costs nothing, even with 20,000 columns. */
function createYielder(): () => Promise<void> | undefined {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < 50) return undefined;
    last = now;
    return yieldToEventLoop();
  };
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The text of field (r, c), unquoted and unescaped ('' for a padded field). */
export function fieldText(bytes: Uint8Array, t: Tokens, r: number, c: number): string {
  const fi = r * t.columns + c;
  const e = t.ends[fi]!;
  if (e === PAD) return '';
  const s = c === 0 ? t.rowStarts[r]! : t.ends[fi - 1]! + 1;
  const raw = decoder.decode(bytes.subarray(s, e));
  if (raw.startsWith('"')) {
    const close = raw.lastIndexOf('"');
    return (close > 0 ? raw.slice(1, close) : raw.slice(1)).replaceAll('""', '"');
  }
  return raw;
}

/** Kind of the trimmed field (r, c); Missing for missing markers. */
function fieldKind(bytes: Uint8Array, t: Tokens, r: number, c: number, missing: MissingMatcher): Kind {
  const text = fieldText(bytes, t, r, c).trim();
  const b = encoder.encode(text);
  if (missing.matches(b, 0, b.length)) return Kind.Missing;
  return classifyBytes(b, 0, b.length);
}

/**
 * The first record is a header when none of its fields looks like a number or date, and
 * either some column below it is typed (numbers, dates…), or — all text — its values are distinct
 * and none repeats in its column below.
 */
export function detectHeader(bytes: Uint8Array, t: Tokens, missing: MissingMatcher): boolean {
  if (t.rows < 2) return t.rows === 1 && firstRowAllText(bytes, t, missing);
  if (!firstRowAllText(bytes, t, missing)) return false;
  const last = Math.min(t.rows, HEADER_SAMPLE_ROWS + 1);
  for (let c = 0; c < t.columns; c++) {
    for (let r = 1; r < last; r++) {
      const k = fieldKind(bytes, t, r, c, missing);
      if (k !== Kind.Missing && k !== Kind.Text) return true;
    }
  }
  const names = new Set<string>();
  for (let c = 0; c < t.columns; c++) {
    const name = fieldText(bytes, t, 0, c).trim();
    if (name === '' || names.has(name)) return false;
    names.add(name);
    for (let r = 1; r < last; r++) if (fieldText(bytes, t, r, c).trim() === name) return false;
  }
  return true;
}

/** No field of the first record is a number or a date (a lone "t"/"f" name counts as text). */
function firstRowAllText(bytes: Uint8Array, t: Tokens, missing: MissingMatcher): boolean {
  let text = 0;
  for (let c = 0; c < t.columns; c++) {
    const k = fieldKind(bytes, t, 0, c, missing);
    if (k === Kind.Text) text++;
    else if (k !== Kind.Missing && k !== Kind.Bool) return false;
  }
  return text > 0;
}

/** Trim, fill empty names as column_<n>, dedupe as name_2, name_3… */
export function cleanHeaderNames(raw: readonly string[]): string[] {
  return uniqueNames(raw.map((r) => r.trim()));
}

export async function parseDelimited(
  input: Uint8Array,
  fileName: string,
  options: ReadOptions = {},
): Promise<{ table: Table; report: LoadReport }> {
  const started = performance.now();
  const { signal, onProgress } = options;
  const decoded = decodeToUtf8(input, fileName, options.encoding);
  const bytes = decoded.bytes;
  if (isBlank(bytes)) {
    throw new EngineError('EmptyFile', `${fileName} is empty.`, {
      file: fileName,
      hint: 'Choose a file with a header line and at least one row.',
    });
  }
  const delimiter = options.delimiter ?? detectDelimiter(bytes, /\.(tsv|tab)$/i.test(fileName));
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new EngineError(
      'InvalidArgument',
      `The delimiter must be one character other than a quote or line end.`,
      {
        file: fileName,
        hint: 'Use , ; | or a tab.',
      },
    );
  }

  const tokenizer = new Tokenizer(bytes, { fileName, delimiter });
  while (!tokenizer.done) {
    throwIfAborted(signal);
    tokenizer.run(tokenizer.position + CHUNK_BYTES);
    onProgress?.({
      phase: 'Parsing',
      fraction: 0.6 * (tokenizer.position / bytes.length),
      done: tokenizer.position,
      total: bytes.length,
    });
    if (!tokenizer.done) await yieldToEventLoop();
  }
  const tokens = tokenizer.result();
  throwIfAborted(signal);

  const missing = new MissingMatcher(options.missingMarkers);
  const header = options.header ?? detectHeader(bytes, tokens, missing);
  const names = cleanHeaderNames(
    Array.from({ length: tokens.columns }, (_, c) => (header ? fieldText(bytes, tokens, 0, c) : '')),
  );
  const firstRow = header && tokens.rows > 0 ? 1 : 0;
  const rows = tokens.rows - firstRow;
  const warnings: string[] = [];
  // The header row itself is never ragged against itself; data rows are.
  if (tokens.raggedCount > 0) {
    const first = tokens.raggedRows[0]!;
    warnings.push(
      `${tokens.raggedCount} row${tokens.raggedCount === 1 ? '' : 's'} had a different number of fields than the ${tokens.columns} columns (first on line ${first.line}); short rows were padded with missing values and long rows were cut.`,
    );
  }

  const maybeYield = createYielder();
  // Classify in blocks of rows, every column in turn, so a block's offsets and bytes stay in cache.
  const builders = names.map(
    (name, c) =>
      new ColumnBuilder(
        bytes,
        tokens,
        firstRow,
        c,
        name,
        options.columnTypes?.[name],
        missing,
        options.dateFormats?.[name],
        // ";" between fields is the spreadsheet convention where the comma is the decimal mark.
        delimiter === ';',
      ),
  );
  for (let from = 0; from < rows; from += BLOCK_ROWS) {
    const to = Math.min(rows, from + BLOCK_ROWS);
    for (const builder of builders) builder.consume(from, to);
    const pause = maybeYield();
    if (pause) {
      onProgress?.({ phase: 'Inferring types', fraction: 0.6 + 0.25 * (to / rows) });
      await pause;
      throwIfAborted(signal);
    }
  }
  const scratch = new ColumnScratch(rows);
  const columns: BuiltColumn[] = [];
  const dateFormats = new Map<string, string>();
  const dateAlternatives = new Map<string, string>();
  const decimalComma: string[] = [];
  for (let c = 0; c < builders.length; c++) {
    throwIfAborted(signal);
    const result = builders[c]!.finish(scratch);
    const name = names[c]!;
    columns.push({ ...result.column, inferred: result.inferred });
    if (result.dateFormat !== undefined) dateFormats.set(name, result.dateFormat);
    if (result.dateAlternative !== undefined) dateAlternatives.set(name, result.dateAlternative);
    if (result.decimalComma) decimalComma.push(name);
    if (result.note !== undefined) warnings.push(result.note);
    if (result.failed > 0) {
      const format = options.dateFormats?.[name];
      warnings.push(unfitValuesWarning(name, result.failed, options.columnTypes?.[name], format));
    }
    const pause = maybeYield();
    if (pause || c === builders.length - 1) {
      onProgress?.({ phase: 'Building columns', fraction: 0.85 + 0.15 * ((c + 1) / builders.length) });
    }
    if (pause) await pause;
  }
  const table = tableFromColumns(columns, rows);
  recordDateFormats(table.schema.fields, dateFormats, dateAlternatives);
  if (decimalComma.length > 0) {
    warnings.push(
      `Read ${decimalComma.length === 1 ? 'the numbers of' : `${decimalComma.length} columns of numbers,`} ${decimalComma
        .slice(0, 3)
        .map((c) => `"${c}"`)
        .join(
          ', ',
        )}${decimalComma.length > 3 ? ', …' : ''} with a decimal comma ("10,75" is 10.75), as the ";" between fields suggests.`,
    );
  }
  const report: LoadReport = {
    format: 'csv',
    encoding: decoded.encoding,
    delimiter,
    ...(decimalComma.length > 0 ? { decimal: ',' as const } : {}),
    header,
    raggedRows: tokens.raggedRows,
    raggedCount: tokens.raggedCount,
    warnings,
    parseMs: performance.now() - started,
  };
  return { table, report };
}

function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b !== 32 && b !== 9 && b !== 10 && b !== 13 && b !== 0x0c) return false;
  }
  return true;
}
