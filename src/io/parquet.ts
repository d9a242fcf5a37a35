/**
 * Parquet via parquet-wasm (lazy: the 4.9 MB wasm loads on the first Parquet file). The wasm
 * decodes to an Arrow IPC stream, which we read with apache-arrow and normalize. In the browser
 * the wasm URL comes from Vite (`?url`); in Node the wasm bytes are read from node_modules.
 */
import { type Table, tableFromIPC } from 'apache-arrow';
import { EngineError } from '../core/errors';
import { normalizeTable } from './normalize';
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

export async function parseParquet(
  bytes: Uint8Array,
  fileName: string,
): Promise<{ table: Table; report: LoadReport }> {
  const started = performance.now();
  const wasm = await loadParquetWasm();
  let ipc: Uint8Array;
  try {
    ipc = wasm.readParquet(bytes).intoIPCStream();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new EngineError(
      'ParseError',
      `${fileName} is not a readable Parquet file: ${message.slice(0, 200)}.`,
      {
        file: fileName,
        hint: 'The file may be truncated or damaged; export it again.',
      },
    );
  }
  const { table, warnings } = normalizeTable(tableFromIPC(ipc));
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
