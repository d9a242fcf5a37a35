/**
 * The UMAP layout's CPU path on several threads: the vertices are cut into contiguous slices of
 * about equal edge counts, the calling thread runs the first slice and each helper Web Worker
 * (workers/umap-layout.worker.ts) one other, epoch by epoch. Every epoch the previous positions go
 * to each helper (a structured clone of n × 2 floats: 0.56 MB at 70k rows, well under a
 * millisecond against the ~100 ms an epoch costs there) and each slice's new positions come back
 * transferred.
 *
 * The result is bit-identical to umapLayoutRef for any number of threads: within an epoch a vertex
 * moves only itself, from the previous epoch's positions, with negative samples hashed from global
 * edge indices (see umap.ref.ts) — so a failed or unavailable worker costs time, never a different
 * picture: the layout then reruns on the calling thread alone.
 *
 * Without shared memory (it needs cross-origin isolation, which a static host may not give) this
 * is message passing; the messages are small next to the work from `MIN_ROWS` rows on.
 */
import { EngineError, throwIfAborted } from '../../../core/errors';
import {
  type LayoutParams,
  type LayoutSlice,
  layoutEpoch,
  layoutParams,
  layoutSlice,
  type UmapLayoutInput,
  type UmapLayoutOptions,
  umapLayoutRef,
} from './umap.ref';

/** Messages to a layout worker: its slice once, then one per epoch. */
export type LayoutRequest =
  | { type: 'init'; params: LayoutParams; slice: LayoutSlice }
  | { type: 'epoch'; epoch: number; src: Float32Array };

/** A worker's answer to an epoch: the slice's new positions, 2 × (hi − lo) floats. */
export type LayoutReply =
  | { type: 'epoch'; epoch: number; out: Float32Array }
  | { type: 'error'; message: string };

/**
 * Below this many rows the per-epoch messages eat the gain: measured in Chromium on 2 cores
 * (100 epochs, 2 threads against 1), 1,800 rows (37,700 edges) 1.01×, 5,000 rows (108,000 edges)
 * 1.31×, 20,000 rows (449,000 edges) 1.63×. Digits (1,797 rows) stays on one thread.
 */
export const MIN_ROWS = 2_500;
/** Helpers beyond ~8 threads add messages faster than they remove work at the sizes seen here. */
export const MAX_THREADS = 8;

export interface LayoutThreads {
  /** Threads in all, the calling one included. Default: hardwareConcurrency, at most MAX_THREADS. */
  threads?: number;
  /** Makes a helper worker (tests inject failing ones). Default: workers/umap-layout.worker.ts. */
  spawn?: () => Worker;
  /** Told when the threaded run failed and the layout reran on one thread. */
  onFallback?: (reason: string) => void;
}

/** A helper thread of the layout (workers/umap-layout.worker.ts). */
export const spawnLayoutWorker = (): Worker =>
  new Worker(new URL('../../../../workers/umap-layout.worker.ts', import.meta.url), {
    type: 'module',
    name: 'umap-layout',
  });

/**
 * Threads the CPU layout of n rows uses here: 1 below MIN_ROWS and where there are no workers
 * (Node, old browsers), else `requested` or the cores the browser reports, at most MAX_THREADS.
 */
export function layoutThreadCount(n: number, requested?: number): number {
  if (typeof Worker === 'undefined' || n < MIN_ROWS) return 1;
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
  return Math.max(1, Math.min(requested ?? cores, MAX_THREADS));
}

/** Cut vertices 0..n into `parts` contiguous ranges of about equal edge counts. */
export function splitByEdges(rowStart: Uint32Array, n: number, parts: number): number[] {
  const m = rowStart[n]!;
  const cuts = [0];
  let j = 0;
  for (let p = 1; p < parts; p++) {
    const target = (m * p) / parts;
    while (j < n && rowStart[j]! < target) j++;
    cuts.push(Math.max(j, cuts.at(-1)!));
  }
  cuts.push(n);
  return cuts;
}

/**
 * The layout on the CPU with `threads` threads (umapLayoutRef's result, bit for bit). Falls back to
 * umapLayoutRef when workers are missing, the graph is small, or a worker fails.
 */
export async function umapLayoutThreaded(
  input: UmapLayoutInput,
  options: UmapLayoutOptions = {},
  threads: LayoutThreads = {},
): Promise<Float32Array> {
  const count = layoutThreadCount(input.n, threads.threads);
  if (count < 2 || input.n < 2 * count) return umapLayoutRef(input, options);
  try {
    return await runThreaded(input, options, count, threads.spawn ?? spawnLayoutWorker);
  } catch (e) {
    if (e instanceof EngineError && e.name === 'Cancelled') throw e;
    throwIfAborted(options.signal);
    threads.onFallback?.(e instanceof Error ? e.message : String(e));
    return umapLayoutRef(input, options);
  }
}

async function runThreaded(
  input: UmapLayoutInput,
  options: UmapLayoutOptions,
  count: number,
  spawn: () => Worker,
): Promise<Float32Array> {
  const { n } = input;
  const params = layoutParams(input);
  const cuts = splitByEdges(input.rowStart, n, count);
  const own = layoutSlice(input, cuts[0]!, cuts[1]!);
  interface Helper {
    worker: Worker;
    lo: number;
    /** Receives the worker's next reply (set per epoch). */
    next: (reply: LayoutReply) => void;
  }
  const helpers: Helper[] = [];
  let fail: (e: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined);
  try {
    for (let t = 1; t < count; t++) {
      const worker = spawn();
      const helper: Helper = { worker, lo: cuts[t]!, next: () => undefined };
      worker.onmessage = (e: MessageEvent<LayoutReply>) => helper.next(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        fail(new Error(`a UMAP layout worker failed: ${e.message || 'it could not start'}`));
      };
      worker.onmessageerror = () => fail(new Error('a UMAP layout worker sent an unreadable message'));
      const slice = layoutSlice(input, cuts[t]!, cuts[t + 1]!, true);
      const request: LayoutRequest = { type: 'init', params, slice };
      worker.postMessage(request, [
        slice.rowStart.buffer,
        slice.tail.buffer,
        slice.schedule.buffer,
        slice.nextSample.buffer,
        slice.nextNegative.buffer,
      ]);
      helpers.push(helper);
    }
    const reply = (h: Helper, epoch: number) =>
      new Promise<Float32Array>((resolve, reject) => {
        h.next = (r) => {
          if (r.type === 'error') reject(new Error(`a UMAP layout worker failed: ${r.message}`));
          else if (r.epoch !== epoch)
            reject(new Error(`a UMAP layout worker answered epoch ${r.epoch}, not ${epoch}`));
          else resolve(r.out);
        };
      });
    let src = Float32Array.from(input.embedding);
    let dst = new Float32Array(src.length);
    const stop = Math.min(options.stopAfter ?? input.nEpochs, input.nEpochs);
    const every = options.reportEvery ?? 0;
    for (let epoch = 0; epoch < stop; epoch++) {
      const outs = helpers.map((h) => reply(h, epoch));
      const request: LayoutRequest = { type: 'epoch', epoch, src };
      for (const h of helpers) h.worker.postMessage(request);
      layoutEpoch(params, own, epoch, src, dst, 0);
      const parts = await Promise.race([Promise.all(outs), failed]);
      parts.forEach((out, t) => {
        dst.set(out, 2 * helpers[t]!.lo);
      });
      [src, dst] = [dst, src];
      const done = epoch + 1;
      if (options.onEpoch && ((every > 0 && done % every === 0) || done === stop))
        options.onEpoch(done, src.slice());
      throwIfAborted(options.signal);
    }
    return src;
  } finally {
    for (const h of helpers) h.worker.terminate();
  }
}
