/**
 * Arrow IPC, Parquet and single-document JSON are each read by one long synchronous call
 * (apache-arrow's `tableFromIPC`, the parquet-wasm decode, `JSON.parse` of the whole text) that no
 * cancel can interrupt, and a hostile file can keep it busy for minutes. So the whole reader runs
 * in a sub-worker that is terminated on cancel (the job rejects with Cancelled at once) or after a
 * time limit that grows with the file's size.
 *
 * The host gives the threads, as for the compute pool (core/pool.ts): workers/decode.node.ts
 * (worker_threads) and workers/decode.web.ts (a Web Worker started by the engine worker) call
 * `installDecodeWorkers` with a spawn function; this layer never imports workers/.
 *
 * The file's bytes are copied to the sub-worker (the caller keeps its own: the catalog hashes
 * them after the read); the table comes back by *transferring* its column buffers (no copy), with
 * the schema as a tiny Arrow IPC message so types and field metadata arrive intact. While a file
 * is read there are two copies of it (the caller's and the sub-worker's); the table then keeps
 * only the sub-worker's (IPC columns are views of it), and the caller's goes when it drops it.
 *
 * Errors keep their names: an EngineError crosses as {name, message, detail}; anything else
 * crosses with its class name and message and becomes the same InternalError/OutOfMemory the
 * in-process read would give.
 */

import type { DataType } from 'apache-arrow';
import { Data, makeData, RecordBatch, Struct, Table, tableFromIPC, tableToIPC, Vector } from 'apache-arrow';
import {
  EngineError,
  type EngineErrorName,
  type ErrorDetail,
  isEngineError,
  throwIfAborted,
} from '../core/errors';
import type { Progress } from '../core/job';
import type { ThreadPort } from '../core/thread';
import type { ReadOptions } from './read-options';
import type { LoadOptions, LoadReport } from './types';

/** The formats whose read is one uninterruptible call (NDJSON and CSV cooperate with cancel). */
export type DecodedFormat = 'arrow' | 'parquet' | 'json';

export interface Decoded {
  table: Table;
  report: LoadReport;
}

/** The reader of each format, on this thread. */
export async function decodeHere(
  format: DecodedFormat,
  bytes: Uint8Array,
  fileName: string,
  options: ReadOptions,
): Promise<Decoded> {
  if (format === 'arrow') {
    const { parseIpc } = await import('./ipc');
    return parseIpc(bytes, fileName, options.onProgress);
  }
  if (format === 'parquet') {
    const { parseParquet } = await import('./parquet');
    return parseParquet(bytes, fileName, options);
  }
  const { parseJson } = await import('./json');
  return parseJson(bytes, fileName, options);
}

/** One column chunk (Arrow Data) as plain data with its buffers, ready to transfer. */
interface DataParts {
  offset: number;
  length: number;
  nullCount: number;
  /** [valueOffsets, values, nullBitmap, typeIds], as apache-arrow's `Data.buffers`. */
  buffers: (ArrayBufferView | undefined)[];
  variadic: Uint8Array[];
  children: DataParts[];
  dictionary: DataParts[] | null;
}

/** A table as the sub-worker sends it: the schema as Arrow IPC, each batch's columns as parts. */
export interface TableParts {
  schema: Uint8Array;
  batches: { length: number; columns: DataParts[] }[];
}

export interface WireError {
  name: string;
  message: string;
  detail: ErrorDetail;
  /** An EngineError (else a JS error of class `name`). */
  engine: boolean;
}

export interface DecodeRequest {
  format: DecodedFormat;
  bytes: Uint8Array;
  fileName: string;
  options: LoadOptions;
}

export type DecodeReply =
  /** Sent once by a sub-worker when its readers are loaded. */
  | { ready: true }
  /** The reader's progress during a read (each phase's first, then at most one per PROGRESS_MS). */
  | { progress: Progress }
  | { ok: true; table: TableParts; report: LoadReport }
  | { ok: false; error: WireError };

/** The sub-worker posts the reader's progress at most this often (10 a second). */
export const PROGRESS_MS = 100;

/** A reading sub-worker (post clones the request: the caller keeps its bytes). */
export type DecodeWorker = ThreadPort<DecodeRequest, DecodeReply>;

export interface DecodeHost {
  spawn: () => DecodeWorker;
  /** Overrides `decodeTimeLimitMs` (tests use a short one). */
  timeLimitMs?: (bytes: number) => number;
  /** Overrides IDLE_MS (tests use a short one). */
  idleMs?: number;
  /** A sub-worker not ready by then is taken as failed to start (default START_TIMEOUT_MS). */
  startTimeoutMs?: number;
}

/** A sub-worker that has not loaded the readers by then did not start (the read runs here). */
const START_TIMEOUT_MS = 20_000;

/**
 * The longest a read may take before it is stopped as hostile: 30 s plus 4 s per MB. Generous
 * for real files on a loaded 2-core machine (JSON and Arrow read at tens of MB/s, Parquet at
 * several MB/s of file), while a 3 KB file crafted to loop in the decoder is stopped after 30 s.
 */
export function decodeTimeLimitMs(bytes: number): number {
  return 30_000 + (4_000 * bytes) / 1e6;
}

// ---------------------------------------------------------------------------------------------
// The sub-worker's side.

function dataParts(data: Data): DataParts {
  const { valueOffsets, values, nullBitmap, typeIds } = data;
  return {
    offset: data.offset,
    length: data.length,
    nullCount: data.nullCount,
    buffers: [valueOffsets, values, nullBitmap, typeIds],
    variadic: [...(data.variadicBuffers ?? [])],
    children: data.children.map(dataParts),
    dictionary: data.dictionary ? data.dictionary.data.map(dataParts) : null,
  };
}

export function tableParts(table: Table): TableParts {
  return {
    schema: tableToIPC(new Table(table.schema), 'stream'),
    batches: table.batches.map((b) => ({ length: b.numRows, columns: b.data.children.map(dataParts) })),
  };
}

/** Every ArrayBuffer behind the parts (each once; shared memory is not transferred). */
function transferList(parts: TableParts): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (v: ArrayBufferView | undefined) => {
    if (v && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  };
  const visit = (d: DataParts) => {
    for (const b of d.buffers) add(b);
    for (const b of d.variadic) add(b);
    for (const c of d.children) visit(c);
    for (const c of d.dictionary ?? []) visit(c);
  };
  add(parts.schema);
  for (const b of parts.batches) for (const c of b.columns) visit(c);
  return [...out];
}

function wireError(e: unknown): WireError {
  if (isEngineError(e)) {
    let detail: ErrorDetail = {};
    try {
      detail = JSON.parse(JSON.stringify(e.detail)) as ErrorDetail;
    } catch {}
    return { name: e.name, message: e.message, detail, engine: true };
  }
  if (e instanceof Error) return { name: e.name, message: e.message, detail: {}, engine: false };
  return { name: 'Error', message: String(e), detail: {}, engine: false };
}

/**
 * Reads one request in the sub-worker and posts the reply, transferring the table's buffers. A
 * buffer that cannot be transferred (e.g. a view of wasm memory) makes the reply go as a copy.
 */
export async function serveDecode(
  request: DecodeRequest,
  post: (reply: DecodeReply, transfer: ArrayBuffer[]) => void,
): Promise<void> {
  let reply: DecodeReply;
  let transfer: ArrayBuffer[] = [];
  // The reader's progress goes to the caller as it comes, throttled: each phase's first at once,
  // then at most one per PROGRESS_MS (the caller's job throttles again for the UI).
  let last = Number.NEGATIVE_INFINITY;
  let phase = '';
  const onProgress = (progress: Progress): void => {
    const now = performance.now();
    if (progress.phase === phase && now - last < PROGRESS_MS) return;
    last = now;
    phase = progress.phase;
    try {
      post({ progress: { ...progress } }, []);
    } catch {}
  };
  try {
    const { table, report } = await decodeHere(request.format, request.bytes, request.fileName, {
      ...request.options,
      onProgress,
    });
    const parts = tableParts(table);
    reply = { ok: true, table: parts, report };
    transfer = transferList(parts);
  } catch (e) {
    reply = { ok: false, error: wireError(e) };
  }
  try {
    post(reply, transfer);
  } catch (e) {
    if (transfer.length === 0) post({ ok: false, error: wireError(e) }, []);
    else post(reply, []);
  }
}

// ---------------------------------------------------------------------------------------------
// The calling thread's side.

function dataFrom(type: DataType, p: DataParts): Data {
  const children = p.children.map((c, i) => dataFrom(type.children[i]!.type, c));
  const dictionary = p.dictionary
    ? new Vector(
        p.dictionary.map((d) => dataFrom((type as unknown as { dictionary: DataType }).dictionary, d)),
      )
    : undefined;
  return new Data(
    type,
    p.offset,
    p.length,
    p.nullCount,
    p.buffers as never,
    children,
    dictionary,
    p.variadic,
  );
}

export function tableFromParts(parts: TableParts): Table {
  const { schema } = tableFromIPC(parts.schema);
  const batches = parts.batches.map(
    (b) =>
      new RecordBatch(
        schema,
        makeData({
          type: new Struct(schema.fields),
          length: b.length,
          nullCount: 0,
          children: b.columns.map((c, i) => dataFrom(schema.fields[i]!.type, c)),
        }),
      ),
  );
  return new Table(schema, batches);
}

function errorFrom(e: WireError): Error {
  if (e.engine) return new EngineError(e.name as EngineErrorName, e.message, e.detail);
  const Ctor = e.name === 'RangeError' ? RangeError : e.name === 'TypeError' ? TypeError : Error;
  const error = new Ctor(e.message);
  if (error.name !== e.name) error.name = e.name;
  return error;
}

const cancelled = () => new EngineError('Cancelled', 'The job was cancelled.');

function tooSlow(fileName: string, ms: number): EngineError {
  return new EngineError(
    'ParseError',
    `${fileName} was still being read after ${Math.round(ms / 1000)} s, so reading it was stopped; it may be damaged or built to be slow to read.`,
    {
      file: fileName,
      hint: 'Export the data again, or convert it to CSV or Parquet with another tool and load that.',
    },
  );
}

function crashed(fileName: string, message: string): EngineError {
  if (/memory/i.test(message)) {
    return new EngineError('OutOfMemory', `Not enough memory to read ${fileName} (${message}).`, {
      file: fileName,
      hint: 'Close other datasets or tabs, or load a smaller file.',
    });
  }
  return new EngineError(
    'InternalError',
    `Reading ${fileName} stopped: the reading thread failed (${message}).`,
    {
      file: fileName,
    },
  );
}

type Event = { reply: DecodeReply } | { failure: string };

/** One sub-worker and where its next reply goes. */
interface Thread {
  worker: DecodeWorker;
  /** true once the readers are loaded; false when it could not start. */
  started: Promise<boolean>;
  settle: ((event: Event) => void) | null;
  /** Where the current read's progress goes. */
  progress: ((p: Progress) => void) | null;
  /** It failed while idle (it is not used again). */
  dead: boolean;
}

let host: DecodeHost | null = null;
/** A started sub-worker waiting for the next read (so most reads skip the start-up). */
let idle: Thread | null = null;
/** Ends the idle sub-worker after this long unused: its decoder's wasm memory (Parquet: ~200 MB
 * after a 3M-row file) never shrinks, and a user who read one file should not carry it all day. */
export const IDLE_MS = 60_000;
let idleTimer: ReturnType<typeof setTimeout> | null = null;

/** Takes the idle sub-worker (null: none, or it died), stopping its idle clock. */
function takeIdle(): Thread | null {
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = null;
  const thread = idle?.dead ? null : idle;
  idle = null;
  return thread;
}
/** Why the host's sub-workers cannot be used (one failed to spawn or start), or null. */
let broken: string | null = null;

/** Sets (or with null, removes) the host's sub-workers; returns the previous host. */
export function installDecodeWorkers(next: DecodeHost | null): DecodeHost | null {
  const previous = host;
  host = next;
  broken = null;
  takeIdle()?.worker.terminate();
  return previous;
}

function spawnThread(h: DecodeHost): Thread {
  const worker = h.spawn();
  let ready = false;
  let resolveStarted: (ok: boolean) => void = () => {};
  const thread: Thread = {
    worker,
    started: new Promise<boolean>((resolve) => {
      resolveStarted = resolve;
    }),
    settle: null,
    progress: null,
    dead: false,
  };
  const timer = setTimeout(() => {
    if (ready) return;
    resolveStarted(false);
    worker.terminate();
  }, h.startTimeoutMs ?? START_TIMEOUT_MS);
  worker.onReply((reply) => {
    if ('ready' in reply) {
      ready = true;
      clearTimeout(timer);
      resolveStarted(true);
      return;
    }
    if ('progress' in reply) {
      if (thread.settle) thread.progress?.(reply.progress);
      return;
    }
    thread.settle?.({ reply });
  });
  worker.onFailure((message) => {
    if (!ready) {
      clearTimeout(timer);
      resolveStarted(false);
      worker.terminate();
      return;
    }
    if (thread.settle) thread.settle({ failure: message });
    else {
      thread.dead = true;
      if (idle === thread) idle = null;
    }
  });
  worker.hold?.(true);
  return thread;
}

/**
 * After a read: keep the thread for the next one unless one is kept already. A fresh thread pays
 * its start (tsx in Node, loading the readers) and, for Parquet, compiling the 4.9 MB decoder and
 * running it unoptimized at first: measured 2026-12-07 (load ~10, 2 cores), a 42 MB Parquet file
 * read in 7–8.5 s on a fresh thread against 3.2 s on a kept one. The kept thread holds the
 * decoder's wasm memory, as the engine's own thread did when it decoded Parquet itself.
 */
function release(thread: Thread): void {
  thread.settle = null;
  thread.progress = null;
  if (idle === null) {
    thread.worker.hold?.(false);
    idle = thread;
    idleTimer = setTimeout(() => takeIdle()?.worker.terminate(), host?.idleMs ?? IDLE_MS);
    // Node: an idle clock must not keep the process alive.
    (idleTimer as { unref?: () => void }).unref?.();
  } else thread.worker.terminate();
}

/** Waits for the thread to start; false when it could not (or was ended), Cancelled on abort. */
function whenStarted(thread: Thread, signal: AbortSignal | undefined): Promise<boolean> {
  if (!signal) return thread.started;
  return new Promise<boolean>((resolve, reject) => {
    const onAbort = () => {
      thread.worker.terminate();
      reject(cancelled());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    thread.started.then((ok) => {
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    });
  });
}

function readOn(
  thread: Thread,
  request: DecodeRequest,
  signal: AbortSignal | undefined,
  limitMs: number,
  onProgress: ((p: Progress) => void) | undefined,
): Promise<Decoded> {
  return new Promise<Decoded>((resolve, reject) => {
    const end = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      thread.settle = null;
      thread.progress = null;
    };
    const onAbort = () => {
      end();
      thread.worker.terminate();
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      end();
      thread.worker.terminate();
      reject(tooSlow(request.fileName, limitMs));
    }, limitMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    thread.settle = (event) => {
      end();
      if ('failure' in event) {
        thread.worker.terminate();
        reject(crashed(request.fileName, event.failure));
        return;
      }
      const { reply } = event;
      if ('ready' in reply || 'progress' in reply) return;
      release(thread);
      if (!reply.ok) {
        reject(errorFrom(reply.error));
        return;
      }
      try {
        resolve({ table: tableFromParts(reply.table), report: reply.report });
      } catch (e) {
        reject(e);
      }
    };
    thread.progress = onProgress ?? null;
    thread.worker.hold?.(true);
    thread.worker.post(request);
  });
}

/**
 * Reads Arrow IPC, Parquet or one JSON document in a sub-worker when the host installed them,
 * else on this thread. Cancel (options.signal) ends the sub-worker and rejects with Cancelled at
 * once; a read past `decodeTimeLimitMs` is ended with a ParseError.
 */
export async function decodeOffThread(
  format: DecodedFormat,
  bytes: Uint8Array,
  fileName: string,
  options: ReadOptions = {},
): Promise<Decoded> {
  throwIfAborted(options.signal);
  const h = host;
  // No host (the readers' own tests, scripts that never installed one): read on this thread.
  if (h === null || broken !== null) return decodeHere(format, bytes, fileName, options);
  let thread = takeIdle();
  if (thread === null) {
    try {
      thread = spawnThread(h);
    } catch (e) {
      // No worker can be spawned here (no Worker constructor, a CSP forbids it): read on this
      // thread from now on — correct, only not cancellable mid-call.
      broken = e instanceof Error ? e.message : String(e);
      return decodeHere(format, bytes, fileName, options);
    }
  }
  // Likewise when the sub-worker fails to start (its script does not load).
  if (!(await whenStarted(thread, options.signal))) {
    broken = 'the reading sub-worker did not start';
    return decodeHere(format, bytes, fileName, options);
  }
  const { signal, onProgress, ...load } = options;
  if (signal?.aborted) {
    release(thread);
    throw cancelled();
  }
  const result = await readOn(
    thread,
    { format, bytes, fileName, options: load },
    signal,
    (h.timeLimitMs ?? decodeTimeLimitMs)(bytes.byteLength),
    onProgress,
  );
  throwIfAborted(signal);
  return result;
}
