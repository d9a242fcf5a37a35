/**
 * The UI's handle on the engine worker. It wraps the comlink proxy so that callers get:
 * - named errors (`EngineError`) instead of comlink's generic ones,
 * - jobs with an id, progress callbacks and `cancel()`,
 * - row windows as Arrow tables decoded from transferred IPC bytes.
 */

import { type Table, tableFromIPC } from 'apache-arrow';
import { proxy, type Remote, wrap } from 'comlink';
import type { EngineApi, JobOptions, Progress } from './api';
import { EngineError } from './errors';
import { installErrorTransfer } from './transfer';

installErrorTransfer();

export interface Job<T> {
  readonly id: string;
  readonly promise: Promise<T>;
  cancel(): void;
}

export interface EngineClient {
  /** Direct access for short calls (listing datasets, backend info). */
  readonly api: Remote<EngineApi>;
  /** Starts a long call with progress and cancel. */
  start<T>(run: (job: JobOptions) => Promise<T>, onProgress?: (p: Progress) => void): Job<T>;
  /** Rows [start, end) of a dataset as an Arrow table (decoded from IPC bytes). */
  rows(datasetId: string, start: number, end: number): Promise<Table>;
  terminate(): void;
}

let jobCounter = 0;

export function createEngineClient(worker?: Worker): EngineClient {
  // The worker resolves sample files against the app's base URL, passed as its name.
  const w =
    worker ??
    new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), {
      type: 'module',
      name: new URL('.', document.baseURI).href,
    });
  const api = wrap<EngineApi>(w);
  return {
    api,
    start<T>(run: (job: JobOptions) => Promise<T>, onProgress?: (p: Progress) => void): Job<T> {
      jobCounter += 1;
      const id = `job-${Date.now().toString(36)}-${jobCounter}`;
      const job: JobOptions = onProgress ? { id, onProgress: proxy(onProgress) } : { id };
      const promise = run(job);
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
    terminate: () => w.terminate(),
  };
}

export { EngineError };
