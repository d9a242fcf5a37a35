/**
 * One entry point for every file the user can load: the format comes from the contents (magic
 * bytes) and the file name, then the matching reader runs. Runs in Node and in a Web Worker.
 */
import type { Table } from 'apache-arrow';
import { EngineError, throwIfAborted } from '../core/errors';
import type { ColumnType } from '../core/types';
import { TYPE_METADATA_KEY } from '../core/types';
import { castColumn } from './cast';
import { parseDelimited } from './csv/parse';
import { unfitValuesWarning } from './dates';
import { decodeOffThread } from './decode-worker';
import { looksBinary, sniffUtf16 } from './encoding';
import type { ReadOptions } from './read-options';
import type { DataFormat, LoadReport } from './types';

export type { ReadOptions } from './read-options';

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  return magic.every((b, i) => bytes[at + i] === b);
}

const ARROW_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // ARROW1
const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // PAR1

/** Known binary formats users drop by mistake, with what to do about them. */
const BINARY_SIGNATURES: { magic: number[]; what: string; hint: string }[] = [
  {
    magic: [0x89, 0x50, 0x4e, 0x47],
    what: 'a PNG image',
    hint: 'Choose a CSV, JSON, Arrow or Parquet file.',
  },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image', hint: 'Choose a CSV, JSON, Arrow or Parquet file.' },
  {
    magic: [0x25, 0x50, 0x44, 0x46],
    what: 'a PDF document',
    hint: 'Export the table from its source as CSV.',
  },
  {
    magic: [0x50, 0x4b, 0x03, 0x04],
    what: 'a ZIP archive (or an Excel .xlsx workbook)',
    hint: 'Unzip it, or in Excel use "Save as → CSV UTF-8".',
  },
  { magic: [0x1f, 0x8b], what: 'a gzip-compressed file', hint: 'Decompress it first (e.g. gunzip).' },
  {
    magic: [0xd0, 0xcf, 0x11, 0xe0],
    what: 'an old Excel (.xls) or Office document',
    hint: 'In Excel use "Save as → CSV UTF-8".',
  },
];

/** Format from the magic bytes first, then the name; delimited text is the fallback. */
export function sniffFormat(bytes: Uint8Array, fileName: string): DataFormat {
  if (startsWith(bytes, ARROW_MAGIC) || startsWith(bytes, [0xff, 0xff, 0xff, 0xff])) return 'arrow';
  if (startsWith(bytes, PARQUET_MAGIC)) return 'parquet';
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  if (ext === 'parquet' || ext === 'pq') return 'parquet';
  if (ext === 'arrow' || ext === 'arrows' || ext === 'feather' || ext === 'ipc') return 'arrow';
  if (ext === 'ndjson' || ext === 'jsonl') return 'ndjson';
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 32 || bytes[i] === 9 || bytes[i] === 10 || bytes[i] === 13)) i++;
  const first = bytes[i];
  if (ext === 'json' || first === 0x5b /* [ */) return 'json';
  if (first === 0x7b /* { */) return looksLikeNdjson(bytes, i) ? 'ndjson' : 'json';
  return 'csv';
}

/** `{…}\n{…}`: the first line is a complete object and another line follows. */
function looksLikeNdjson(bytes: Uint8Array, start: number): boolean {
  const nl = bytes.indexOf(10, start);
  if (nl < 0) return false;
  const firstLine = new TextDecoder().decode(bytes.subarray(start, nl)).trim();
  try {
    JSON.parse(firstLine);
  } catch {
    return false;
  }
  const rest = new TextDecoder().decode(bytes.subarray(nl + 1, nl + 200)).trimStart();
  return rest.startsWith('{');
}

function rejectBinary(bytes: Uint8Array, fileName: string): void {
  for (const sig of BINARY_SIGNATURES) {
    if (startsWith(bytes, sig.magic)) {
      throw new EngineError('UnsupportedFormat', `${fileName} is ${sig.what}, not a data table.`, {
        file: fileName,
        hint: sig.hint,
      });
    }
  }
  const hasBom = startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]);
  if (!hasBom && sniffUtf16(bytes) === null && looksBinary(bytes)) {
    throw new EngineError(
      'UnsupportedFormat',
      `${fileName} is a binary file, not text or a known table format.`,
      {
        file: fileName,
        hint: 'Choose a CSV/TSV, JSON, NDJSON, Arrow IPC or Parquet file.',
      },
    );
  }
}

export async function readTableWithReport(
  bytes: Uint8Array,
  fileName: string,
  options: ReadOptions = {},
): Promise<{ table: Table; report: LoadReport }> {
  throwIfAborted(options.signal);
  if (bytes.length === 0) {
    throw new EngineError('EmptyFile', `${fileName} is empty (0 bytes).`, {
      file: fileName,
      hint: 'Choose a file with a header line and at least one row.',
    });
  }
  const format = sniffFormat(bytes, fileName);
  options.onProgress?.({ phase: 'Reading', fraction: 0 });
  if (format === 'csv') {
    rejectBinary(bytes, fileName);
    return parseDelimited(bytes, fileName, options);
  }
  let result: { table: Table; report: LoadReport };
  // Arrow, Parquet and JSON documents are read in one uninterruptible call each: in a sub-worker
  // that cancel can end, when the host installed one (decode-worker.ts).
  if (format === 'arrow' || format === 'parquet') {
    result = applyColumnTypes(await decodeOffThread(format, bytes, fileName, options), options);
  } else if (format === 'json') {
    rejectBinary(bytes, fileName);
    result = await decodeOffThread(format, bytes, fileName, options);
  } else {
    rejectBinary(bytes, fileName);
    const { parseJson } = await import('./json');
    result = await parseJson(bytes, fileName, options, true);
  }
  throwIfAborted(options.signal);
  options.onProgress?.({ phase: 'Reading', fraction: 1 });
  return result;
}

/** User type overrides for formats that carry their own types (Arrow, Parquet). */
function applyColumnTypes(
  result: { table: Table; report: LoadReport },
  options: ReadOptions,
): { table: Table; report: LoadReport } {
  let { table } = result;
  const dateFormats = options.dateFormats ?? {};
  const types: Record<string, ColumnType> = { ...options.columnTypes };
  // A date format alone means "read this text column as dates".
  for (const [name, format] of Object.entries(dateFormats))
    types[name] ??= /%[HIMSfp]/.test(format) ? 'datetime' : 'date';
  for (const [name, type] of Object.entries(types)) {
    const field = table.schema.fields.find((f) => f.name === name);
    if (field === undefined) continue;
    const current = field.metadata.get(TYPE_METADATA_KEY);
    const fromText = current === 'text' || current === 'categorical';
    const format = (type === 'date' || type === 'datetime') && fromText ? dateFormats[name] : undefined;
    if (current === type && format === undefined) continue;
    const cast = castColumn(table, name, type, format);
    table = cast.table;
    if (cast.failed > 0) result.report.warnings.push(unfitValuesWarning(name, cast.failed, type, format));
  }
  return { table, report: result.report };
}

export async function readTable(bytes: Uint8Array, fileName: string, options?: ReadOptions): Promise<Table> {
  return (await readTableWithReport(bytes, fileName, options)).table;
}
