/**
 * JSON (an array of records, or an object with one key holding that array) and NDJSON (one record
 * per line) → Arrow table. Nested objects become `a.b` columns; arrays are kept as JSON text.
 */
import type { Table } from 'apache-arrow';
import { EngineError } from '../core/errors';
import { type BuiltColumn, tableFromColumns } from './build';
import { ambiguousDateNote, recordDateFormats, unfitValuesWarning } from './dates';
import { decodeToUtf8 } from './encoding';
import { MissingMatcher } from './infer';
import type { ReadOptions } from './read-options';
import type { LoadReport } from './types';
import { columnFromValues } from './values';

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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The records of a parsed document: an array, or the one array-valued key of an object. */
function recordsOf(doc: unknown, fileName: string): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (isRecord(doc)) {
    const arrays = Object.entries(doc).filter(([, v]) => Array.isArray(v));
    if (arrays.length >= 1) return arrays[0]![1] as unknown[];
    return [doc];
  }
  throw new EngineError('ParseError', `${fileName} holds a single JSON value, not a table.`, {
    file: fileName,
    hint: 'Use an array of objects, e.g. [{"a": 1}, {"a": 2}], or one object per line (NDJSON).',
  });
}

/** Flatten records into columns (first-appearance order). */
function flatten(records: readonly unknown[]): { columns: Map<string, unknown[]>; arrays: Set<string> } {
  const columns = new Map<string, unknown[]>();
  const arrays = new Set<string>();
  const n = records.length;
  const put = (name: string, row: number, value: unknown): void => {
    let col = columns.get(name);
    if (col === undefined) {
      col = new Array<unknown>(n).fill(null);
      columns.set(name, col);
    }
    col[row] = value;
  };
  const walk = (prefix: string, obj: Record<string, unknown>, row: number): void => {
    for (const [k, v] of Object.entries(obj)) {
      const name = prefix === '' ? k : `${prefix}.${k}`;
      if (isRecord(v)) walk(name, v, row);
      else if (Array.isArray(v)) {
        arrays.add(name);
        put(name, row, JSON.stringify(v));
      } else put(name, row, v);
    }
  };
  records.forEach((r, row) => {
    if (isRecord(r)) walk('', r, row);
    else put('value', row, Array.isArray(r) ? JSON.stringify(r) : r);
  });
  return { columns, arrays };
}

export function parseJson(
  input: Uint8Array,
  fileName: string,
  options: ReadOptions = {},
  ndjson = false,
): { table: Table; report: LoadReport } {
  const started = performance.now();
  const decoded = decodeToUtf8(input, fileName, options.encoding);
  const text = new TextDecoder().decode(decoded.bytes);
  if (text.trim() === '') {
    throw new EngineError('EmptyFile', `${fileName} is empty.`, {
      file: fileName,
      hint: 'Choose a file with data.',
    });
  }
  let records: unknown[];
  if (ndjson) {
    records = [];
    const lines = text.split(/\r?\n|\r/);
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        records.push(JSON.parse(line));
      } catch (e) {
        throw syntaxError(fileName, line, e, i);
      }
    });
  } else {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw syntaxError(fileName, text, e);
    }
    records = recordsOf(doc, fileName);
  }
  const { columns, arrays } = flatten(records);
  const warnings: string[] = [];
  if (arrays.size > 0) {
    warnings.push(`Array values in ${[...arrays].map((a) => `"${a}"`).join(', ')} were kept as JSON text.`);
  }
  if ([...columns.keys()].some((k) => k.includes('.'))) {
    warnings.push('Nested objects were flattened into columns named parent.child.');
  }
  const missing = new MissingMatcher(options.missingMarkers);
  const built: BuiltColumn[] = [];
  const dateFormats = new Map<string, string>();
  for (const [name, values] of columns) {
    const forced = options.columnTypes?.[name];
    const dateFormat = options.dateFormats?.[name];
    const col = columnFromValues(values, { forced, missing, ...(dateFormat ? { dateFormat } : {}) });
    if (col.failed > 0) warnings.push(unfitValuesWarning(name, col.failed, forced, dateFormat));
    if (col.dateFormat !== undefined) {
      dateFormats.set(name, col.dateFormat);
      const note = ambiguousDateNote(name, {
        format: col.dateFormat,
        hasTime: false,
        alternative: col.dateAlternative,
      });
      if (note !== null) warnings.push(note);
    }
    built.push({ name, type: col.type, data: col.data, inferred: col.inferred });
  }
  const table = tableFromColumns(built, records.length);
  recordDateFormats(table.schema.fields, dateFormats);
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
