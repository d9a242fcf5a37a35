/**
 * The UI's handle on the engine worker. It wraps the comlink proxy so that callers get:
 * - named errors (`EngineError`) instead of comlink's generic ones,
 * - jobs with an id, progress callbacks and `cancel()`,
 * - row windows as Arrow tables decoded from transferred IPC bytes,
 * - a fresh worker when the old one dies (an uncaught error, or `restart()` from a watchdog or a
 *   test): calls in flight reject with a named error instead of hanging, and `onRestart`
 *   listeners restore the session into the new engine.
 */

import { type Table, tableFromIPC } from 'apache-arrow';
import { proxy, type Remote, wrap } from 'comlink';
import { EngineError } from '../core/errors';
import type { EngineApi, JobOptions, Progress } from '../protocol/api';
import { installErrorTransfer } from '../protocol/transfer';

installErrorTransfer();

export interface Job<T> {
  readonly id: string;
  readonly promise: Promise<T>;
  cancel(): void;
}

/** What a store needs to run jobs that show in the status bar, with their progress. */
export interface JobHost {
  startJob<T>(label: string, run: (job: JobOptions) => Promise<T>): Job<T>;
  jobProgress(id: string): Progress | null;
}

export interface EngineClient {
  /** Direct access for short calls (listing datasets, backend info). */
  readonly api: Remote<EngineApi>;
  /** Starts a long call with progress and cancel. */
  start<T>(run: (job: JobOptions) => Promise<T>, onProgress?: (p: Progress) => void): Job<T>;
  /** Rows [start, end) of a dataset as an Arrow table (decoded from IPC bytes). */
  rows(datasetId: string, start: number, end: number): Promise<Table>;
  terminate(): void;
  /** Treats the worker as dead: terminates it, fails its calls in flight and starts a fresh one. */
  restart(reason: string): void;
  /** Called after a fresh worker was started; it holds no datasets yet. Returns an unsubscribe. */
  onRestart(listener: (reason: string) => void): () => void;
  /** Called whenever a job settles (done, failed or cancelled), e.g. to re-read the backend. */
  onJobSettled(listener: () => void): () => void;
  /** Test hook (e2e, page opened with ?testhooks): makes the worker throw an uncaught error, a
   * real crash that the client must notice by itself. A worker started without the hook ignores it. */
  crashWorkerForTest?(): void;
}

/** The message a worker started with test hooks answers by crashing (workers/engine.worker.ts). */
export const TEST_CRASH_MESSAGE = 'benchtop-test-crash';

interface Generation {
  worker: Worker;
  remote: Remote<EngineApi>;
  /** Rejects when this worker is given up: a terminated worker gives no event, and a crashed one
   * answers nothing, so without this race a call in flight would wait forever. */
  dead: Promise<never>;
  kill(e: Error): void;
}

let jobCounter = 0;

/** `worker`: a worker, or a function making one (then a crashed worker can be replaced). */
export function createEngineClient(worker?: Worker | (() => Worker)): EngineClient {
  // The worker resolves sample files against the app's base URL, passed as its name.
  const spawn =
    typeof worker === 'function'
      ? worker
      : worker
        ? () => worker
        : () =>
            new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), {
              type: 'module',
              // '#testhooks' (kept out of URL resolution) lets the worker accept the crash hook.
              name:
                new URL('.', document.baseURI).href +
                (new URLSearchParams(location.search).has('testhooks') ? '#testhooks' : ''),
            });
  const restartListeners = new Set<(reason: string) => void>();
  const settledListeners = new Set<() => void>();
  let current: Generation;

  function connect(): Generation {
    const worker = spawn();
    let kill: (e: Error) => void = () => undefined;
    const dead = new Promise<never>((_, reject) => {
      kill = reject;
    });
    dead.catch(() => undefined);
    const generation: Generation = { worker, remote: wrap<EngineApi>(worker), dead, kill };
    // An uncaught error in the worker: its state can no longer be trusted, so start over.
    worker.addEventListener('error', (e) => {
      if (current !== generation) return;
      e.preventDefault();
      restart(`it hit an uncaught error${e.message ? `: ${e.message}` : ''}`);
    });
    return generation;
  }

  function restart(reason: string): void {
    const old = current;
    current = connect();
    old.kill(
      new EngineError('InternalError', `The engine stopped while working (${reason}) and was restarted.`, {
        hint: 'Your data is restored; run the action again.',
      }),
    );
    old.worker.terminate();
    for (const listener of restartListeners) listener(reason);
  }

  current = connect();
  // One stable handle whose calls go to the current worker, so callers may keep `client.api`.
  const api = new Proxy({} as Remote<EngineApi>, {
    get(_target, prop) {
      // Not a thenable: `await client.api` must not call into the worker.
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      return (...args: unknown[]) => {
        const { remote, dead } = current;
        const method = (remote as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[prop]!;
        return Promise.race([method(...args), dead]);
      };
    },
  });
  const subscribe =
    <L>(set: Set<L>) =>
    (listener: L) => {
      set.add(listener);
      return () => void set.delete(listener);
    };
  return {
    api,
    start<T>(run: (job: JobOptions) => Promise<T>, onProgress?: (p: Progress) => void): Job<T> {
      jobCounter += 1;
      const id = `job-${Date.now().toString(36)}-${jobCounter}`;
      const job: JobOptions = onProgress ? { id, onProgress: proxy(onProgress) } : { id };
      const promise = run(job);
      const settled = () => {
        for (const listener of settledListeners) listener();
      };
      promise.then(settled, settled);
      return {
        id,
        promise,
        cancel: () => {
          void api.cancel(id);
        },
      };
    },
    async rows(datasetId: string, start: number, end: number): Promise<Table> {
      const bytes = await api.rows(datasetId, start, end);
      return tableFromIPC(bytes);
    },
    terminate: () => current.worker.terminate(),
    restart,
    onRestart: subscribe(restartListeners),
    onJobSettled: subscribe(settledListeners),
    crashWorkerForTest: () => current.worker.postMessage({ [TEST_CRASH_MESSAGE]: true }),
  };
}

export { EngineError };
