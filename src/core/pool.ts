/**
 * A pool of helper threads for the data-parallel kernels (KMeans assignment and center sums,
 * the logistic loss and gradient, …): a kernel runs over rows 0..n cut into fixed-size chunks,
 * every thread claims the next chunk from a shared counter (Atomics) until none is left, and each
 * chunk writes its own slot of `partials` (and, for per-row outputs, its own rows of shared
 * arrays). The caller combines the partials in chunk order. Chunk boundaries depend on the row
 * count and `chunkRows` only — never on the number of threads — so the result is bit for bit the
 * same with 1 thread or 8: one thread runs the very same kernel over the very same chunks inline.
 *
 * The pool lives in core because every layer's kernels use it; the host gives it its threads:
 * workers/pool.node.ts (Node, worker_threads) and workers/pool.web.ts (a browser worker, Web
 * Workers + SharedArrayBuffer, only when `crossOriginIsolated`) call `installComputePool` with a
 * spawn function. Without one (or without SharedArrayBuffer) `computePool()` is a one-thread pool
 * that runs everything inline — the same numbers, one core.
 *
 * Kernels are registered by name (`defineKernel`) in small modules that both the calling thread and
 * the worker entry (workers/pool-kernels.ts) import; their arguments are plain data whose large
 * arrays live in SharedArrayBuffers (`pool.share`, `pool.alloc`), so posting them copies nothing.
 *
 * Cancel: the calling thread stops waiting at once (Cancelled) and raises a shared flag; the
 * helpers finish the chunk in hand (milliseconds) and claim no more.
 */
import { cooperate } from './cooperate';
import { EngineError, throwIfAborted } from './errors';
import type { ThreadPort } from './thread';

/** Fills `partial` (this chunk's slot) from rows lo..hi; may write shared per-row outputs. */
export type RowKernelFn<A> = (args: A, lo: number, hi: number, partial: Float64Array) => void;

export interface RowKernel<A> {
  readonly name: string;
  readonly fn: RowKernelFn<A>;
}

const registry = new Map<string, RowKernelFn<never>>();

/** Registers a kernel under a unique name (the helpers look it up by name). */
export function defineKernel<A>(name: string, fn: RowKernelFn<A>): RowKernel<A> {
  const known = registry.get(name);
  if (known && known !== (fn as RowKernelFn<never>)) throw new Error(`kernel ${name} is defined twice`);
  registry.set(name, fn as RowKernelFn<never>);
  return { name, fn };
}

/** Rows per chunk unless the caller says otherwise: ~1–10 ms of work for the kernels here. */
export const CHUNK_ROWS = 8192;

/**
 * Below this much work (rows × the caller's per-row cost estimate, ≈ flops) a call stays on the
 * calling thread. Measured in Node 20 on 2 cores (2026-12-07, load 11–15): a pooled call's
 * round trip (post, two helpers claim chunks, two replies) costs 0.06–0.07 ms against 0.007 ms
 * inline; the kernels here do ~1–2 flops per ns, so 1 M flops (~0.5–1 ms) is ≥ 10× that cost. The
 * gain itself could not be measured at that load (no free second core: 16k–260k-row calls ran
 * 0.6–1.7× either way); a call also needs at least 2 chunks (CHUNK_ROWS) to use the helpers.
 */
export const MIN_POOLED_WORK = 1_000_000;

/** A helper that has not loaded its kernels by then is taken as failed (the pool runs inline). */
const START_TIMEOUT_MS = 20_000;

export interface RunOptions {
  /** Float64 values each chunk writes (its partial result); 0 for kernels with per-row outputs only. */
  partialSize: number;
  chunkRows?: number;
  /** Rough cost of one row (≈ flops); with the row count it decides whether to use the helpers. */
  rowCost?: number;
  /** Stay on the calling thread (e.g. the inputs are not in shared memory and a copy would cost
   * what the helpers save); the same chunks, so the same numbers. */
  inline?: boolean;
  signal?: AbortSignal;
}

export interface PoolStats {
  /** Calls run, and of those how many on helper threads. */
  calls: number;
  pooledCalls: number;
  /** Most helpers that each ran at least one chunk of a single call. */
  maxThreadsInOneCall: number;
}

export interface ComputePool {
  /** Threads a large call uses (the helpers; 1 = everything inline on the calling thread). */
  readonly threads: number;
  /** Why the pool runs on one thread, when it does. */
  readonly note: string;
  /** One slot of `partialSize` floats per chunk, in chunk order. */
  run<A>(kernel: RowKernel<A>, args: A, rows: number, options: RunOptions): Promise<Float64Array>;
  /** The array itself when it already is shared or the pool is inline; else a shared copy. */
  share<T extends Float64Array | Int32Array | Float32Array | Uint8Array>(array: T): T;
  /** A zeroed array the helpers can write (shared when the pool has helpers). */
  alloc<T extends Float64Array | Int32Array | Float32Array | Uint8Array>(
    ctor: { new (buffer: ArrayBuffer, offset?: number, length?: number): T; BYTES_PER_ELEMENT: number },
    length: number,
  ): T;
  readonly stats: PoolStats;
  /** Starts the helpers now (they otherwise start at the first large call); true when they run. */
  warm(): Promise<boolean>;
  /** Ends the helpers (a later call runs inline). */
  close(): void;
}

/** The messages between the pool and a helper. */
export type PoolRequest = {
  id: number;
  kernel: string;
  args: unknown;
  rows: number;
  chunkRows: number;
  partialSize: number;
  partials: Float64Array;
  /** [next chunk to claim, cancelled flag] */
  control: Int32Array;
};
export type PoolReply =
  | { id: number; chunks: number }
  | { id: number; error: string }
  /** Sent once by a helper when its kernels are loaded. */
  | { id: 0; ready: true };

/** A helper thread as the pool sees it (a Web Worker or a Node worker_threads Worker, adapted). */
/** A helper thread of the pool (post: the call, cloned; its shared arrays are not copied). */
export type PoolWorker = ThreadPort<PoolRequest, PoolReply>;

/** Runs one request on a helper: claims chunks until none is left or the call was cancelled. */
export function serveRequest(request: PoolRequest): PoolReply {
  const fn = registry.get(request.kernel) as RowKernelFn<unknown> | undefined;
  if (!fn) return { id: request.id, error: `unknown kernel ${request.kernel} (not imported by the worker)` };
  const { rows, chunkRows, partialSize, partials, control } = request;
  const chunks = Math.ceil(rows / chunkRows);
  let done = 0;
  try {
    for (;;) {
      if (Atomics.load(control, 1) !== 0) break;
      const c = Atomics.add(control, 0, 1);
      if (c >= chunks) break;
      const lo = c * chunkRows;
      fn(
        request.args,
        lo,
        Math.min(rows, lo + chunkRows),
        partials.subarray(c * partialSize, (c + 1) * partialSize),
      );
      done++;
    }
  } catch (e) {
    Atomics.store(control, 1, 1);
    return { id: request.id, error: e instanceof Error ? e.message : String(e) };
  }
  return { id: request.id, chunks: done };
}

const hasSharedMemory = (): boolean =>
  typeof SharedArrayBuffer !== 'undefined' &&
  typeof Atomics !== 'undefined' &&
  // In a browser SharedArrayBuffer is only postable when the page is cross-origin isolated.
  (typeof (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== 'boolean' ||
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true);

/** Whether the array lives in shared memory (helpers read it without a copy). */
export const isShared = (a: ArrayBufferView): boolean =>
  typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;

export interface PoolOptions {
  /** Makes one helper thread. None: the pool runs inline. */
  spawn?: () => PoolWorker;
  /** Helper threads (default 1 = inline). The host passes hardwareConcurrency / availableParallelism. */
  threads?: number;
  /** Overrides MIN_POOLED_WORK (tests force small calls onto the helpers with 0). */
  minWork?: number;
  /** Why this pool is one thread, when the host knows better than "one thread requested". */
  why?: string;
}

/** One helper thread and the calls waiting for its reply. */
interface Helper {
  worker: PoolWorker;
  waiting: Map<number, (reply: PoolReply) => void>;
}

/** A call run on this thread, chunk by chunk with a turn for cancel between chunks. */
async function runInline<A>(
  kernel: RowKernel<A>,
  args: A,
  rows: number,
  o: RunOptions,
): Promise<Float64Array> {
  const chunkRows = o.chunkRows ?? CHUNK_ROWS;
  const chunks = Math.ceil(rows / chunkRows);
  const partials = new Float64Array(chunks * o.partialSize);
  for (let c = 0; c < chunks; c++) {
    await cooperate(o.signal);
    const lo = c * chunkRows;
    kernel.fn(
      args,
      lo,
      Math.min(rows, lo + chunkRows),
      partials.subarray(c * o.partialSize, (c + 1) * o.partialSize),
    );
  }
  throwIfAborted(o.signal);
  return partials;
}

/**
 * Cancelling a pooled call: the shared flag stops the helpers between chunks, their replies are
 * no longer awaited, and `aborted` rejects with Cancelled at once.
 */
function cancellation(control: Int32Array, used: readonly Helper[], id: number) {
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      Atomics.store(control, 1, 1);
      for (const h of used) {
        h.waiting.delete(id);
        if (h.waiting.size === 0) h.worker.hold?.(false);
      }
      reject(new EngineError('Cancelled', 'The job was cancelled.'));
    };
  });
  aborted.catch(() => undefined);
  return { aborted, onAbort };
}

/** The array in shared memory when helpers will read it (a copy unless it already is). */
function shareIf<T extends ArrayBufferView>(threads: number, array: T): T {
  if (threads < 2 || isShared(array)) return array;
  const Ctor = array.constructor as new (b: SharedArrayBuffer) => T;
  const copy = new Ctor(new SharedArrayBuffer(array.byteLength));
  (copy as unknown as { set(a: T): void }).set(array);
  return copy;
}

/** A new zeroed array, in shared memory when helpers will write it. */
function allocIf<T>(
  threads: number,
  ctor: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
): T {
  if (threads < 2) return new ctor(new ArrayBuffer(length * ctor.BYTES_PER_ELEMENT));
  return new ctor(new SharedArrayBuffer(length * ctor.BYTES_PER_ELEMENT) as unknown as ArrayBuffer);
}

export function createComputePool(options: PoolOptions = {}): ComputePool {
  const wanted = Math.max(1, Math.floor(options.threads ?? 1));
  let note = '';
  if (wanted < 2) note = options.why ?? 'one thread requested';
  else if (!options.spawn) note = 'no worker threads here';
  else if (!hasSharedMemory()) note = 'no SharedArrayBuffer (the page is not cross-origin isolated)';
  let threads = note ? 1 : wanted;
  const minWork = options.minWork ?? MIN_POOLED_WORK;
  const stats: PoolStats = { calls: 0, pooledCalls: 0, maxThreadsInOneCall: 1 };

  let helpers: Helper[] | null = null;
  let broken: string | null = null;
  let nextId = 1;

  const failAll = (message: string) => {
    broken = message;
    threads = 1;
    note = `the helper threads failed (${message}); one thread from now on`;
    for (const h of helpers ?? []) {
      for (const settle of h.waiting.values()) settle({ id: -1, error: message });
      h.waiting.clear();
      h.worker.terminate();
    }
    helpers = null;
  };

  /** Starts the helpers once and waits until each has loaded its kernels; false: run inline. */
  let starting: Promise<boolean> | null = null;
  const start = (): Promise<boolean> => {
    starting ??= new Promise<boolean>((resolve) => {
      const list: Helper[] = [];
      helpers = list;
      let ready = 0;
      const timer = setTimeout(() => {
        failAll(`no answer from ${threads - ready} of ${threads} threads in ${START_TIMEOUT_MS / 1000} s`);
        resolve(false);
      }, START_TIMEOUT_MS);
      const fail = (message: string) => {
        clearTimeout(timer);
        failAll(message);
        resolve(false);
      };
      for (let t = 0; t < threads; t++) {
        let worker: PoolWorker;
        try {
          worker = options.spawn!();
        } catch (e) {
          fail(e instanceof Error ? e.message : String(e));
          return;
        }
        const helper: Helper = { worker, waiting: new Map() };
        worker.onReply((reply) => {
          if ('ready' in reply) {
            worker.hold?.(false);
            if (++ready === threads) {
              clearTimeout(timer);
              resolve(true);
            }
            return;
          }
          const settle = helper.waiting.get(reply.id);
          if (!settle) return; // the reply to a cancelled call
          helper.waiting.delete(reply.id);
          if (helper.waiting.size === 0) worker.hold?.(false);
          settle(reply);
        });
        worker.onFailure(fail);
        worker.hold?.(true);
        list.push(helper);
      }
    });
    return starting;
  };

  const pooled = async <A>(kernel: RowKernel<A>, args: A, rows: number, o: RunOptions) => {
    const chunkRows = o.chunkRows ?? CHUNK_ROWS;
    const chunks = Math.ceil(rows / chunkRows);
    const partials = new Float64Array(new SharedArrayBuffer(chunks * o.partialSize * 8));
    const control = new Int32Array(new SharedArrayBuffer(8));
    const id = nextId++;
    const used = (helpers ?? []).slice(0, Math.min(threads, chunks));
    const request: PoolRequest = {
      id,
      kernel: kernel.name,
      args,
      rows,
      chunkRows,
      partialSize: o.partialSize,
      partials,
      control,
    };
    const replies = used.map(
      (h) =>
        new Promise<PoolReply>((resolve) => {
          h.waiting.set(id, resolve);
          h.worker.hold?.(true);
          h.worker.post(request);
        }),
    );
    const { aborted, onAbort } = cancellation(control, used, id);
    if (o.signal?.aborted) onAbort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const all = await Promise.race([Promise.all(replies), aborted]);
      const failed = all.find((r): r is { id: number; error: string } => 'error' in r);
      if (failed) throw new Error(`a compute pool thread failed: ${failed.error}`);
      const ran = all.filter((r) => 'chunks' in r && r.chunks > 0).length;
      stats.pooledCalls++;
      stats.maxThreadsInOneCall = Math.max(stats.maxThreadsInOneCall, ran);
      return partials;
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
    }
  };

  return {
    get threads() {
      return threads;
    },
    get note() {
      return note;
    },
    stats,
    async run(kernel, args, rows, o) {
      throwIfAborted(o.signal);
      stats.calls++;
      const chunks = Math.ceil(rows / (o.chunkRows ?? CHUNK_ROWS));
      if (o.inline || threads < 2 || broken || chunks < 2 || rows * (o.rowCost ?? 1) < minWork)
        return runInline(kernel, args, rows, o);
      // Helpers that cannot start (no worker script, no shared memory there) leave the call inline.
      if (!(await start())) return runInline(kernel, args, rows, o);
      return pooled(kernel, args, rows, o);
    },
    share: (array) => shareIf(threads, array),
    alloc: (ctor, length) => allocIf(threads, ctor, length),
    warm() {
      return threads < 2 || broken ? Promise.resolve(false) : start();
    },
    close() {
      for (const h of helpers ?? []) h.worker.terminate();
      helpers = null;
      starting = Promise.resolve(false);
      threads = 1;
      note = 'closed';
    },
  };
}

/** Adds the chunks' partial results (one slot of `size` per chunk) in chunk order — the order
 * that makes every thread count give the same sums. */
export function sumSlots(partials: Float64Array, size: number): Float64Array {
  const out = new Float64Array(size);
  for (let o = 0; o < partials.length; o += size) for (let j = 0; j < size; j++) out[j]! += partials[o + j]!;
  return out;
}

/** For progress notes: "2 threads", or "1 thread (why)". */
export function describePool(pool: ComputePool = computePool()): string {
  return pool.threads > 1 ? `${pool.threads} threads` : `1 thread${pool.note ? ` (${pool.note})` : ''}`;
}

let installed: ComputePool | null = null;
const inlinePool = createComputePool({ why: 'no compute pool installed here' });

/** The pool kernels use: the host's (installComputePool), else one thread inline. */
export const computePool = (): ComputePool => installed ?? inlinePool;

/** Sets (or with null, removes) the process's pool; returns the previous one. */
export function installComputePool(pool: ComputePool | null): ComputePool | null {
  const previous = installed;
  installed = pool;
  return previous;
}
