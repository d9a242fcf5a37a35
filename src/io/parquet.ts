/**
 * Parquet via parquet-wasm (lazy: the 4.9 MB wasm loads on the first Parquet file). The wasm
 * decodes to an Arrow IPC stream, which we read with apache-arrow and normalize. In the browser
 * the wasm URL comes from Vite (`?url`); in Node the wasm bytes are read from node_modules.
 */
import { type RecordBatch, Table, tableFromIPC } from 'apache-arrow';
import { EngineError, throwIfAborted } from '../core/errors';
import type { Progress } from '../core/job';
import { FREE_CELLS, MAX_COLUMNS, tooManyColumns } from './limits';
import { converting, normalizeOrExplain, PARSED } from './normalize';
import { FooterInvalid, type ParquetFooter, readParquetFooter } from './parquet-footer';
import type { LoadReport } from './types';

export type ParquetWasm = typeof import('parquet-wasm/esm');

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

/** Rows per decoded batch (the decoder's default, 1,024, makes thousands of tiny batches). */
const BATCH_ROWS = 1 << 17;

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
 * Decode row group by row group, each synchronously (a wasm trap then surfaces as an exception
 * here; in the decoder's async stream API it escapes as an uncaught error and the read never
 * ends). The decoder's wasm memory never shrinks, so one row group at a time also keeps it at
 * one row group's size (3M rows × 5 in three groups: 199 MB instead of 731 MB).
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
    let ipc: Uint8Array;
    try {
      ipc = wasm.readParquet(bytes, { rowGroups: [g], batchSize: BATCH_ROWS }).intoIPCStream();
    } catch (e) {
      throw unreadable(fileName, decoderMessage(e));
    }
    try {
      batches.push(...tableFromIPC(ipc).batches);
    } catch {
      throw unreadable(fileName, 'the decoder produced columns that could not be read');
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
