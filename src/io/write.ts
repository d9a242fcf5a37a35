/**
 * Writes a table out as a file the user can keep: CSV (RFC 4180, ISO dates, empty fields for
 * missing values — what pandas.read_csv reads back), Arrow IPC (file format, lossless) or Parquet
 * (snappy, the most widely readable codec). Runs in the worker.
 */
import { DataType, type Table, tableToIPC } from 'apache-arrow';
import { EngineError, throwIfAborted } from '../core/errors';
import { loadParquetWasm } from './parquet';

export type ExportFormat = 'csv' | 'arrow' | 'parquet';

export async function writeTable(
  table: Table,
  format: ExportFormat,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  if (format !== 'csv' && format !== 'arrow' && format !== 'parquet') {
    throw new EngineError(
      'InvalidArgument',
      `Cannot export as "${String(format)}": choose csv, arrow or parquet.`,
    );
  }
  switch (format) {
    case 'arrow':
      return tableToIPC(table, 'file');
    case 'parquet': {
      const wasm = await loadParquetWasm();
      const props = new wasm.WriterPropertiesBuilder().setCompression(wasm.Compression.SNAPPY).build();
      return wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
    }
    case 'csv':
      return writeCsv(table, signal);
  }
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

function quote(s: string): string {
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function formatter(type: DataType): (v: unknown) => string {
  if (DataType.isDate(type)) return (v) => new Date(Number(v)).toISOString().slice(0, 10);
  if (DataType.isTimestamp(type)) return (v) => new Date(Number(v)).toISOString();
  if (DataType.isBool(type)) return (v) => (v ? 'true' : 'false');
  if (DataType.isFloat(type) || DataType.isInt(type)) {
    return (v) => {
      const n = Number(v);
      if (Number.isNaN(n)) return 'NaN';
      if (n === Number.POSITIVE_INFINITY) return 'inf';
      if (n === Number.NEGATIVE_INFINITY) return '-inf';
      return String(v);
    };
  }
  return (v) => quote(String(v));
}

export function writeCsv(table: Table, signal?: AbortSignal): Uint8Array {
  const encoder = new TextEncoder();
  const fields = table.schema.fields;
  const columns = fields.map((_f, j) => table.getChildAt(j)!);
  const formats = fields.map((f) => formatter(f.type));
  const chunks: Uint8Array[] = [encoder.encode(`${fields.map((f) => quote(f.name)).join(',')}\n`)];
  const BLOCK = 10_000;
  for (let start = 0; start < table.numRows; start += BLOCK) {
    throwIfAborted(signal);
    const end = Math.min(table.numRows, start + BLOCK);
    const lines: string[] = [];
    for (let i = start; i < end; i++) {
      const cells = new Array<string>(columns.length);
      for (let j = 0; j < columns.length; j++) {
        const v = columns[j]!.get(i);
        cells[j] = v === null || v === undefined ? '' : formats[j]!(v);
      }
      lines.push(cells.join(','));
    }
    chunks.push(encoder.encode(`${lines.join('\n')}\n`));
  }
  let size = 0;
  for (const c of chunks) size += c.byteLength;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
