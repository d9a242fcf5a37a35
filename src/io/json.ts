/**
 * JSON (an array of records, or an object whose largest array holds them) and NDJSON (one record
 * per line) → Arrow table. Nested objects become `a.b` columns; arrays are kept as JSON text.
 *
 * Hostile shapes stay linear: nesting depth is checked on the bytes before anything recurses
 * (JSON.stringify would overflow the stack at a few thousand levels), flattening walks an explicit
 * stack, and each key collects only the rows that have it (sparse), so rows that each add new keys
 * cost their own size instead of one full-length array per key.
 */
import type { Table } from 'apache-arrow';
import { cooperate } from '../core/cooperate';
import { EngineError } from '../core/errors';
import type { Progress } from '../core/job';
import { type BuiltColumn, tableFromColumns } from './build';
import { ambiguousDateNote, recordDateFormats, unfitValuesWarning } from './dates';
import { decodeToUtf8 } from './encoding';
import { MissingMatcher } from './infer';
import { isIndexKey, streamRecords } from './json-stream';
import { MAX_COLUMNS, MAX_JSON_DEPTH, maxRowsFor, tooManyColumns, tooSparse } from './limits';
import type { ReadOptions } from './read-options';
import type { LoadReport } from './types';
import { columnFromValues, type ValuesColumn } from './values';

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lastBreak = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lastBreak = i;
    }
  }
  return { line, column: offset - lastBreak };
}

function syntaxError(fileName: string, text: string, e: unknown, lineOffset = 0): EngineError {
  const message = e instanceof Error ? e.message : String(e);
  let where: { line: number; column: number } | null = null;
  const lc = /line (\d+) column (\d+)/.exec(message);
  const pos = /position (\d+)/.exec(message);
  if (lc) where = { line: Number(lc[1]), column: Number(lc[2]) };
  else if (pos) where = lineColumn(text, Number(pos[1]));
  else if (/Unexpected end of JSON input/.test(message)) where = lineColumn(text, text.length);
  const line = where ? where.line + lineOffset : undefined;
  const at = where ? ` at line ${line}, column ${where.column}` : '';
  return new EngineError(
    'ParseError',
    `${fileName} is not valid JSON${at}: ${message.replace(/\s*\(line.*$/, '')}`,
    {
      file: fileName,
      line,
      column: where?.column,
      hint: 'Fix the JSON there (a missing comma, quote or bracket is the usual cause), or export the data as CSV.',
    },
  );
}

/**
 * Reject nesting deeper than MAX_JSON_DEPTH, on the UTF-8 bytes (one pass, no recursion), before
 * JSON.parse and flattening. NDJSON lines are separate documents, so depth restarts at each line.
 * Returns an upper bound on the records (NDJSON lines, or the top level's elements) that sizes
 * the column stores.
 */
async function checkDepth(
  bytes: Uint8Array,
  fileName: string,
  ndjson: boolean,
  signal: AbortSignal | undefined,
  /** Bytes scanned so far, every 16,384 records (only there: this loop is the hot one). */
  onBytes?: (scanned: number) => void,
): Promise<number> {
  let depth = 0;
  let topLevelCommas = 0;
  let inString = false;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === 0x5c) i++;
      else if (b === 0x22) inString = false;
      else if (b === 0x0a && ndjson) inString = false;
      if (b !== 0x0a) continue;
    }
    if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) {
        const column = new TextDecoder().decode(bytes.subarray(lineStart, i)).length + 1;
        throw new EngineError(
          'ParseError',
          `${fileName} nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep (at line ${line}, column ${column}); Benchtop reads at most ${MAX_JSON_DEPTH} levels.`,
          {
            file: fileName,
            line,
            column,
            hint: 'Flatten the data to records of a few levels (e.g. with jq or pandas.json_normalize) and load that.',
          },
        );
      }
    } else if (b === 0x5d || b === 0x7d) {
      if (depth > 0) depth--;
    } else if (b === 0x2c) {
      if (depth === 1 && (++topLevelCommas & 0x3fff) === 0) {
        onBytes?.(i);
        // A turn for cancel: this pass over a 200 MB NDJSON file is over a second of work.
        await cooperate(signal);
      }
    } else if (b === 0x0a) {
      if ((++line & 0x3fff) === 0) {
        onBytes?.(i);
        await cooperate(signal);
      }
      lineStart = i + 1;
      if (ndjson) depth = 0;
    }
  }
  return (ndjson ? line : topLevelCommas) + 1;
}

/** The share of the progress bar for the first pass over the bytes (`checkDepth`). */
const SCANNED = 0.1;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const count = (n: number): string => n.toLocaleString('en-US');

/** How many elements of an array are records (objects). */
function recordCount(values: readonly unknown[]): number {
  let n = 0;
  for (const v of values) if (isRecord(v)) n++;
  return n;
}

interface Records {
  records: unknown[];
  /** The top-level key the records came from (an object document), or null. */
  key: string | null;
  warning: string | null;
}

/**
 * The records of a parsed document: an array, or in an object the array-valued key with the most
 * records (then the longest array) — `{"scale": [1, 2], "values": [{…}, …]}` reads "values". An
 * object without arrays is one record.
 */
function recordsOf(doc: unknown, fileName: string): Records {
  if (Array.isArray(doc)) return { records: doc, key: null, warning: null };
  if (isRecord(doc)) {
    const arrays = Object.entries(doc).filter((e): e is [string, unknown[]] => Array.isArray(e[1]));
    if (arrays.length === 0) return { records: [doc], key: null, warning: null };
    let best = arrays[0]!;
    let bestRecords = recordCount(best[1]);
    for (const candidate of arrays.slice(1)) {
      const n = recordCount(candidate[1]);
      if (n > bestRecords || (n === bestRecords && candidate[1].length > best[1].length)) {
        best = candidate;
        bestRecords = n;
      }
    }
    const others = arrays.filter((a) => a !== best);
    const warning =
      others.length === 0
        ? null
        : `Read the ${count(best[1].length)} records under the key "${best[0]}"; ${others
            .map(([k, v]) => `"${k}" (${count(v.length)} values)`)
            .join(', ')} ${others.length === 1 ? 'was' : 'were'} not read.`;
    return { records: best[1], key: best[0], warning };
  }
  throw new EngineError('ParseError', `${fileName} holds a single JSON value, not a table.`, {
    file: fileName,
    hint: 'Use an array of objects, e.g. [{"a": 1}, {"a": 2}], or one object per line (NDJSON).',
  });
}

/** One column being collected: the rows that have a value for it, in increasing order. */
interface SparseColumn {
  rows: number[];
  values: unknown[];
}

/** Columns in first-appearance order, each holding only the rows that have the key. */
async function flatten(
  records: readonly unknown[],
  signal: AbortSignal | undefined,
  /** Records flattened so far, every 1,024. */
  onRows?: (row: number) => void,
): Promise<{
  columns: Map<string, SparseColumn>;
  arrays: Set<string>;
  nested: boolean;
}> {
  const columns = new Map<string, SparseColumn>();
  const arrays = new Set<string>();
  let nested = false;
  const put = (name: string, row: number, value: unknown): void => {
    let col = columns.get(name);
    if (col === undefined) {
      col = { rows: [], values: [] };
      columns.set(name, col);
    }
    const last = col.rows.length - 1;
    // `{"a.b": 1, "a": {"b": 2}}` names one column twice in a row: the later value wins.
    if (last >= 0 && col.rows[last] === row) col.values[last] = value;
    else {
      col.rows.push(row);
      col.values.push(value);
    }
  };
  // Depth-first with an explicit stack of (prefix, keys, next index): the same column order as
  // recursion, without a JS frame per level.
  const prefixes: string[] = [];
  const objects: Record<string, unknown>[] = [];
  const keyLists: string[][] = [];
  const next: number[] = [];
  for (let row = 0; row < records.length; row++) {
    if ((row & 1023) === 1023) {
      onRows?.(row);
      await cooperate(signal);
    }
    const r = records[row];
    if (!isRecord(r)) {
      put('value', row, Array.isArray(r) ? JSON.stringify(r) : r);
      continue;
    }
    prefixes.push('');
    objects.push(r);
    keyLists.push(Object.keys(r));
    next.push(0);
    while (objects.length > 0) {
      const top = objects.length - 1;
      const keys = keyLists[top]!;
      const i = next[top]!;
      if (i >= keys.length) {
        prefixes.pop();
        objects.pop();
        keyLists.pop();
        next.pop();
        continue;
      }
      next[top] = i + 1;
      const k = keys[i]!;
      const v = objects[top]![k];
      const prefix = prefixes[top]!;
      const name = prefix === '' ? k : `${prefix}.${k}`;
      if (isRecord(v)) {
        nested = true;
        prefixes.push(name);
        objects.push(v);
        keyLists.push(Object.keys(v));
        next.push(0);
      } else if (Array.isArray(v)) {
        arrays.add(name);
        put(name, row, JSON.stringify(v));
      } else put(name, row, v);
    }
  }
  return { columns, arrays, nested };
}

/**
 * First-appearance order of the flattened keys as written in the file. JS objects list
 * integer-like keys first whatever their place, so when a record has one the columns are put back
 * in file order by this scan of the text (only then: it costs a pass in JS). Records are the
 * objects at `recordDepth` levels of nesting inside the records array (NDJSON: each line's object).
 */
function fileKeyOrder(text: string, recordsKey: string | null, singleRecord: boolean): Map<string, number> {
  const order = new Map<string, number>();
  // Per open container: 'o' object or 'a' array, the flattened name of an object inside a record
  // (null outside records), and whether its elements are records.
  const kinds: string[] = [];
  const names: (string | null)[] = [];
  const holdsRecords: boolean[] = [];
  let key: string | null = null;
  let i = 0;
  const n = text.length;
  const readString = (): string => {
    const start = i;
    i++;
    let escaped = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x5c) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c === 0x22) break;
      i++;
    }
    i++;
    const raw = text.slice(start, i);
    if (!escaped) return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw.slice(1, -1);
    }
  };
  /** Skip a whole array (a leaf inside a record). */
  const skipArray = (): void => {
    let depth = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        readString();
        continue;
      }
      if (c === 0x5b) depth++;
      else if (c === 0x5d && --depth === 0) {
        i++;
        return;
      }
      i++;
    }
  };
  const leaf = (name: string): void => {
    if (!order.has(name)) order.set(name, order.size);
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    const top = kinds.length - 1;
    const parentName = top >= 0 ? names[top]! : null;
    const inRecord = top >= 0 && kinds[top] === 'o' && parentName !== null;
    if (c === 0x22) {
      const s = readString();
      // A string is a key when a colon follows it in an object.
      let j = i;
      while (j < n && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) <= 0x0d)) j++;
      if (top >= 0 && kinds[top] === 'o' && text.charCodeAt(j) === 0x3a) {
        key = s;
        i = j + 1;
      } else {
        if (inRecord && key !== null) leaf(parentName === '' ? key : `${parentName}.${key}`);
        key = null;
      }
      continue;
    }
    if (c === 0x7b) {
      let name: string | null = null;
      if (inRecord && key !== null) name = parentName === '' ? key : `${parentName}.${key}`;
      else if (top < 0 && singleRecord) name = '';
      else if (top >= 0 && kinds[top] === 'a' && holdsRecords[top]) name = '';
      kinds.push('o');
      names.push(name);
      holdsRecords.push(false);
      key = null;
      i++;
      continue;
    }
    if (c === 0x5b) {
      if (inRecord && key !== null) {
        leaf(parentName === '' ? key : `${parentName}.${key}`);
        key = null;
        skipArray();
        continue;
      }
      const records =
        (top < 0 && recordsKey === null && !singleRecord) ||
        (top === 0 && kinds[0] === 'o' && names[0] === null && key === recordsKey && recordsKey !== null);
      kinds.push('a');
      names.push(null);
      holdsRecords.push(records);
      key = null;
      i++;
      continue;
    }
    if (c === 0x7d || c === 0x5d) {
      kinds.pop();
      names.pop();
      holdsRecords.pop();
      key = null;
      i++;
      continue;
    }
    if (c === 0x2c || c === 0x3a || c <= 0x20) {
      i++;
      continue;
    }
    // A bare value (number, true, false, null).
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d === 0x2c || d === 0x7d || d === 0x5d || d <= 0x20) break;
      i++;
    }
    if (inRecord && key !== null) leaf(parentName === '' ? key : `${parentName}.${key}`);
    key = null;
  }
  return order;
}

/** Reads JSON or NDJSON. Cooperates with cancel (options.signal) between NDJSON lines, records
 * and columns; a single JSON document is parsed in one call, which cannot be interrupted. */
export async function parseJson(
  input: Uint8Array,
  fileName: string,
  options: ReadOptions = {},
  ndjson = false,
): Promise<{ table: Table; report: LoadReport }> {
  const { signal } = options;
  const started = performance.now();
  const decoded = decodeToUtf8(input, fileName, options.encoding);
  if (isBlank(decoded.bytes)) throw emptyFile(fileName);
  const { onProgress } = options;
  const total = decoded.bytes.length;
  // A first pass over the bytes (nesting depth, record count), then the records ('Parsing').
  const expectedRows = await checkDepth(
    decoded.bytes,
    fileName,
    ndjson,
    signal,
    onProgress &&
      ((scanned) =>
        onProgress({ phase: 'Scanning', fraction: SCANNED * (scanned / total), done: scanned, total })),
  );
  const streamed = await streamRecords(
    decoded.bytes,
    ndjson,
    expectedRows,
    signal,
    onProgress &&
      ((read) =>
        onProgress({
          phase: 'Parsing',
          fraction: SCANNED + (0.8 - SCANNED) * (read / total),
          done: read,
          total,
        })),
  );
  const collected: Collected =
    streamed ?? (await parseGeneral(decoded.bytes, fileName, ndjson, signal, onProgress));
  const { columns, arrays, nested, rows } = collected;
  const warnings = collected.warnings ?? [];
  if (columns.size > MAX_COLUMNS) throw tooManyColumns(fileName, columns.size);
  if (rows > maxRowsFor(columns.size, input.length)) {
    let present = 0;
    for (const c of columns.values()) present += c.count;
    throw tooSparse(
      fileName,
      rows,
      columns.size,
      `its records use ${count(columns.size)} different keys, ${count(Math.round(present / Math.max(1, rows)))} per record on average`,
      'Reshape it to long format (one row per record and key), or keep only the keys most records share.',
    );
  }
  const names = collected.order?.([...columns.keys()]) ?? [...columns.keys()];
  if (arrays.size > 0) {
    warnings.push(`Array values in ${[...arrays].map((a) => `"${a}"`).join(', ')} were kept as JSON text.`);
  }
  if (nested) warnings.push('Nested objects were flattened into columns named parent.child.');
  const missing = new MissingMatcher(options.missingMarkers);
  const built: BuiltColumn[] = [];
  const dateFormats = new Map<string, string>();
  const dateAlternatives = new Map<string, string>();
  for (const [c, name] of names.entries()) {
    await cooperate(signal);
    if (c > 0) onProgress?.({ phase: 'Building columns', fraction: 0.8 + 0.2 * (c / names.length) });
    const column = columns.get(name)!;
    const forced = options.columnTypes?.[name];
    const dateFormat = options.dateFormats?.[name];
    const dense = column.count === rows;
    // Numbers or booleans straight from the store; otherwise one column's JS values at a time.
    // Either way its store goes once it is built.
    const col =
      (forced === undefined && dateFormat === undefined ? column.typedColumn?.(rows) : null) ??
      columnFromValues(column.values(), {
        forced,
        missing,
        rows: dense ? undefined : column.rows(),
        length: rows,
        ...(dateFormat ? { dateFormat } : {}),
      });
    column.release();
    if (col.failed > 0) warnings.push(unfitValuesWarning(name, col.failed, forced, dateFormat));
    if (col.dateFormat !== undefined) {
      dateFormats.set(name, col.dateFormat);
      if (col.dateAlternative !== undefined) dateAlternatives.set(name, col.dateAlternative);
      const note = ambiguousDateNote(name, {
        format: col.dateFormat,
        hasTime: false,
        alternative: col.dateAlternative,
      });
      if (note !== null) warnings.push(note);
    }
    built.push({ name, type: col.type, data: col.data, inferred: col.inferred });
  }
  const table = tableFromColumns(built, rows);
  recordDateFormats(table.schema.fields, dateFormats, dateAlternatives);
  return {
    table,
    report: {
      format: ndjson ? 'ndjson' : 'json',
      encoding: decoded.encoding,
      raggedRows: [],
      raggedCount: 0,
      warnings,
      parseMs: performance.now() - started,
    },
  };
}

/** Only JSON whitespace (and vertical tab / form feed, which `String.trim` also removes). */
function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b !== 0x20 && (b < 0x09 || b > 0x0d)) return false;
  }
  return true;
}

function emptyFile(fileName: string): EngineError {
  return new EngineError('EmptyFile', `${fileName} is empty.`, {
    file: fileName,
    hint: 'Choose a file with data.',
  });
}

/** One flattened column of either path, read once when it is built. */
interface CollectedColumn {
  /** Values collected (present or null). */
  readonly count: number;
  values(): unknown[];
  /** The rows of the values (increasing). */
  rows(): ArrayLike<number>;
  /** The built column when the values' types make it plain (see ColumnStore.typedColumn). */
  typedColumn?(length: number): ValuesColumn | null;
  release(): void;
}

interface Collected {
  columns: Map<string, CollectedColumn>;
  arrays: Set<string>;
  nested: boolean;
  rows: number;
  warnings?: string[];
  /** Puts the column names in file order when JS object order differs from it. */
  order?: (names: string[]) => string[];
}

/**
 * The general path: the whole text, JSON.parse, then flattening objects. It reads what the
 * byte-level path leaves to it (object documents, index-like keys, repeated names) and gives
 * syntax errors JSON.parse's message and position.
 */
async function parseGeneral(
  bytes: Uint8Array,
  fileName: string,
  ndjson: boolean,
  signal: AbortSignal | undefined,
  onProgress?: (p: Progress) => void,
): Promise<Collected> {
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === '') throw emptyFile(fileName);
  const warnings: string[] = [];
  let records: unknown[];
  let recordsKey: string | null = null;
  let singleRecord = false;
  if (ndjson) {
    records = [];
    const lines = text.split(/\r?\n|\r/);
    for (let i = 0; i < lines.length; i++) {
      if ((i & 1023) === 1023) {
        onProgress?.({ phase: 'Parsing', fraction: SCANNED + (0.4 - SCANNED) * (i / lines.length) });
        await cooperate(signal);
      }
      const line = lines[i]!;
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line));
      } catch (e) {
        throw syntaxError(fileName, line, e, i);
      }
    }
  } else {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw syntaxError(fileName, text, e);
    }
    const found = recordsOf(doc, fileName);
    records = found.records;
    recordsKey = found.key;
    singleRecord = found.records.length === 1 && found.records[0] === doc;
    if (found.warning) warnings.push(found.warning);
  }
  // A document is parsed by one JSON.parse call, which reports nothing while it runs.
  const { columns, arrays, nested } = await flatten(
    records,
    signal,
    onProgress && ((row) => onProgress({ phase: 'Parsing', fraction: 0.4 + 0.4 * (row / records.length) })),
  );
  const collected = new Map<string, CollectedColumn>();
  for (const [name, column] of columns) {
    let { rows, values } = column;
    collected.set(name, {
      count: values.length,
      values: () => values,
      rows: () => rows,
      release: () => {
        rows = [];
        values = [];
      },
    });
  }
  const order = (names: string[]): string[] => {
    if (!names.some((name) => name.split('.').some(isIndexKey))) return names;
    const fileOrder = ndjson
      ? fileKeyOrderNdjson(text)
      : fileKeyOrder(text, recordsKey, singleRecord && recordsKey === null);
    const rank = (name: string, i: number): number => fileOrder.get(name) ?? fileOrder.size + i;
    return names
      .map((name, i) => [name, rank(name, i)] as const)
      .sort((a, b) => a[1] - b[1])
      .map(([name]) => name);
  };
  return { columns: collected, arrays, nested, rows: records.length, warnings, order };
}

/** `fileKeyOrder` over NDJSON: each line's top-level object is a record. */
function fileKeyOrderNdjson(text: string): Map<string, number> {
  const order = new Map<string, number>();
  for (const line of text.split(/\r?\n|\r/)) {
    if (line.trim() === '') continue;
    for (const name of fileKeyOrder(line, null, true).keys())
      if (!order.has(name)) order.set(name, order.size);
  }
  return order;
}
