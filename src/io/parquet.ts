/**
 * Parquet via parquet-wasm (lazy: the 4.9 MB wasm loads on the first Parquet file). The wasm
 * decodes to an Arrow IPC stream, which we read with apache-arrow and normalize. In the browser
 * the wasm URL comes from Vite (`?url`); in Node the wasm bytes are read from node_modules.
 */
import { type RecordBatch, Table, Type, tableFromIPC, type Vector } from 'apache-arrow';
import { EngineError, throwIfAborted } from '../core/errors';
import type { Progress } from '../core/job';
import { FREE_CELLS, MAX_COLUMNS, tooManyColumns } from './limits';
import { converting, normalizeOrExplain, PARSED } from './normalize';
import { FooterInvalid, type ParquetFooter, readParquetFooter } from './parquet-footer';
import type { LoadReport } from './types';

export type ParquetWasm = typeof import('parquet-wasm/esm');
type WasmTable = ReturnType<ParquetWasm['readParquet']>;

let loading: Promise<ParquetWasm> | null = null;

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return (
    typeof p?.versions?.node === 'string' && !('window' in globalThis) && !('WorkerGlobalScope' in globalThis)
  );
}

/** The initialized parquet-wasm module (loaded once). */
export function loadParquetWasm(): Promise<ParquetWasm> {
  loading ??= (async () => {
    const mod = await import('parquet-wasm/esm');
    if (isNode()) {
      // Variable specifiers keep Vite from bundling Node built-ins into the browser build.
      const fsName = 'node:fs/promises';
      const moduleName = 'node:module';
      const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
      const nodeModule = (await import(/* @vite-ignore */ moduleName)) as typeof import('node:module');
      const path = nodeModule.createRequire(import.meta.url).resolve('parquet-wasm/esm/parquet_wasm_bg.wasm');
      mod.initSync({ module: await fs.readFile(path) });
    } else {
      const wasmUrl = (await import('parquet-wasm/esm/parquet_wasm_bg.wasm?url')).default;
      await mod.default({ module_or_path: wasmUrl });
    }
    return mod;
  })();
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

/** Rows per decoded batch (the decoder's default, 1,024, makes thousands of tiny batches; each
 * batch passes through its own IPC buffer in wasm memory, so smaller batches keep that memory
 * lower: a 400k-row, 53 MB table read 175–209 MB above its start with 32k rows, 207–237 with 128k). */
const BATCH_ROWS = 1 << 15;

/** Cells (rows × columns) a Parquet file may claim per byte: encodings like RLE legitimately
 * pack a constant column into almost nothing, but not a whole table. */
const PARQUET_CELLS_PER_BYTE = 1024;

function unreadable(fileName: string, why: string): EngineError {
  return new EngineError('ParseError', `${fileName} is not a readable Parquet file: ${why}.`, {
    file: fileName,
    hint: 'The file may be truncated or damaged; export it again.',
  });
}

/** The decoder's own words, minus its "Parquet argument error: Parquet error:" prefixes. */
function decoderMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  // A Rust panic aborts the wasm with "unreachable" (a WebAssembly.RuntimeError).
  if (e instanceof WebAssembly.RuntimeError || /unreachable|RuntimeError/i.test(message)) {
    return 'the Parquet decoder stopped on damaged data';
  }
  const clean = message
    .replace(/^(?:(?:Parquet|Arrow|External|EOF)(?: argument)?(?: error)?:\s*)+/i, '')
    .trim();
  return clean === '' ? 'its data is damaged' : `its data is damaged (${clean.slice(0, 160)})`;
}

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Row counts of the row groups, after checking the footer's claims against the file size. */
function checkFooter(bytes: Uint8Array, fileName: string): number[] {
  let footer: ParquetFooter;
  try {
    footer = readParquetFooter(bytes);
  } catch (e) {
    throw unreadable(fileName, e instanceof FooterInvalid ? e.message : 'its footer is damaged');
  }
  if (footer.columns > MAX_COLUMNS) throw tooManyColumns(fileName, footer.columns);
  const rows = footer.rowGroupRows.reduce((a, b) => a + b, 0);
  const cells = rows * Math.max(1, footer.columns);
  if (cells > FREE_CELLS + PARQUET_CELLS_PER_BYTE * bytes.length) {
    throw new EngineError(
      'SchemaError',
      `${fileName} claims ${rows.toLocaleString('en-US')} rows × ${footer.columns.toLocaleString('en-US')} columns in ${bytes.length.toLocaleString('en-US')} bytes, more than ${PARQUET_CELLS_PER_BYTE.toLocaleString('en-US')} values per byte; it is damaged or built to expand.`,
      {
        file: fileName,
        rows,
        columns: footer.columns,
        hint: 'Export the data again, or load a sample of its rows.',
      },
    );
  }
  return footer.rowGroupRows;
}

/**
 * Batch `b` of a decoded row group as apache-arrow batches, through an IPC stream of that batch
 * alone: the decoder's IPC buffer of a whole row group would sit in its wasm memory next to the
 * decoded row group (and the wasm memory never shrinks).
 */
function batchFromWasm(decoded: WasmTable, b: number, fileName: string): RecordBatch[] {
  let ipc: Uint8Array;
  try {
    const batch = decoded.recordBatch(b);
    if (!batch) return [];
    ipc = batch.intoIPCStream();
  } catch (e) {
    throw unreadable(fileName, decoderMessage(e));
  }
  try {
    return tableFromIPC(ipc).batches;
  } catch {
    throw unreadable(fileName, 'the decoder produced columns that could not be read');
  }
}

/** Whether two buffers hold the same `n` bytes from their start. */
function sameBytes(a: ArrayBufferView | undefined, b: ArrayBufferView | undefined, n: number): boolean {
  if (!a || !b) return a === b || n === 0;
  if (a.byteLength < n || b.byteLength < n) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, n);
  const y = new Uint8Array(b.buffer, b.byteOffset, n);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Whether two dictionaries hold the same values (one chunk each, no missing values). */
function sameDictionary(a: Vector, b: Vector): boolean {
  if (a === b) return true;
  if (a.length !== b.length || a.data.length !== 1 || b.data.length !== 1) return false;
  const x = a.data[0]!;
  const y = b.data[0]!;
  if (String(x.type) !== String(y.type) || x.offset !== 0 || y.offset !== 0) return false;
  if (x.nullCount !== 0 || y.nullCount !== 0 || x.children.length > 0) return false;
  const offsets = x.valueOffsets as unknown as ArrayBufferView | undefined;
  if (offsets) {
    const width = (offsets as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    if (!sameBytes(offsets, y.valueOffsets as unknown as ArrayBufferView, (x.length + 1) * width))
      return false;
    const end = Number((offsets as unknown as ArrayLike<number | bigint>)[x.length]);
    return sameBytes(x.values as ArrayBufferView, y.values as ArrayBufferView, end);
  }
  const values = x.values as unknown as { BYTES_PER_ELEMENT?: number } | undefined;
  if (!values?.BYTES_PER_ELEMENT || x.type.typeId === Type.Bool) return false;
  return sameBytes(
    x.values as ArrayBufferView,
    y.values as ArrayBufferView,
    x.length * values.BYTES_PER_ELEMENT,
  );
}

/**
 * One row group's batches, each from its own IPC stream, carry a dictionary each where the
 * row group's single stream carried one for all: batches whose dictionary equals the previous
 * batch's share that one again, so normalize merges the dictionaries as before.
 */
function shareDictionaries(group: RecordBatch[]): void {
  for (let b = 1; b < group.length; b++) {
    const previous = group[b - 1]!.data.children;
    group[b]!.data.children.forEach((d, c) => {
      const p = previous[c];
      if (d.dictionary && p?.dictionary && sameDictionary(p.dictionary, d.dictionary))
        d.dictionary = p.dictionary;
    });
  }
}

/**
 * Decode row group by row group, each synchronously (a wasm trap then surfaces as an exception
 * here; in the decoder's async stream API it escapes as an uncaught error and the read never
 * ends). The decoder's wasm memory never shrinks, so one row group at a time also keeps it at
 * one row group's size (3M rows × 5 in three groups: 199 MB instead of 731 MB), and each batch
 * leaves it through an IPC stream of its own (see batchFromWasm).
 */
async function decodeBatches(
  wasm: ParquetWasm,
  bytes: Uint8Array,
  fileName: string,
  signal: AbortSignal | undefined,
  onProgress: ((p: Progress) => void) | undefined,
): Promise<RecordBatch[]> {
  const groups = checkFooter(bytes, fileName);
  const total = groups.reduce((a, b) => a + b, 0);
  let rows = 0;
  const batches: RecordBatch[] = [];
  for (let g = 0; g < groups.length; g++) {
    if (groups[g] === 0) continue;
    throwIfAborted(signal);
    let decoded: WasmTable;
    try {
      decoded = wasm.readParquet(bytes, { rowGroups: [g], batchSize: BATCH_ROWS });
    } catch (e) {
      throw unreadable(fileName, decoderMessage(e));
    }
    try {
      const group: RecordBatch[] = [];
      for (let b = 0; b < decoded.numBatches; b++) group.push(...batchFromWasm(decoded, b, fileName));
      shareDictionaries(group);
      batches.push(...group);
    } finally {
      try {
        decoded.free();
      } catch {
        // After a trap the decoder's memory is gone with it; the read's own error stands.
      }
    }
    rows += groups[g]!;
    // Once per row group: a file of one group reports nothing until it is read.
    if (total > 0) onProgress?.({ phase: 'Parsing', fraction: PARSED * (rows / total), done: rows, total });
    await pause();
  }
  return batches;
}

export async function parseParquet(
  bytes: Uint8Array,
  fileName: string,
  options: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
): Promise<{ table: Table; report: LoadReport }> {
  const started = performance.now();
  const wasm = await loadParquetWasm();
  throwIfAborted(options.signal);
  const batches = await decodeBatches(wasm, bytes, fileName, options.signal, options.onProgress);
  let raw: Table;
  try {
    raw = batches.length > 0 ? new Table(batches) : tableFromIPC(wasm.readSchema(bytes).intoIPCStream());
  } catch (e) {
    throw unreadable(fileName, decoderMessage(e));
  }
  const { table, warnings } = normalizeOrExplain(raw, fileName, unreadable, converting(options.onProgress));
  return {
    table,
    report: {
      format: 'parquet',
      raggedRows: [],
      raggedCount: 0,
      warnings,
      parseMs: performance.now() - started,
    },
  };
}
