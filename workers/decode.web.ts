/**
 * The sub-workers that read Arrow IPC, Parquet and JSON documents in the browser: Web Workers
 * (workers/decode.worker.ts) started from the engine worker; src/io/decode-worker.ts ends them on
 * cancel.
 */
import { type DecodeHost, type DecodeWorker, installDecodeWorkers } from '../src/io/decode-worker';
import { webThread } from './thread.web';

export function spawnWebDecodeWorker(): DecodeWorker {
  const worker = new Worker(new URL('./decode.worker.ts', import.meta.url), {
    type: 'module',
    name: 'decode',
  });
  return webThread(worker, 'a reading worker');
}

/** Makes Arrow/Parquet/JSON reads in this worker run in sub-workers (returns the previous host). */
export function installWebDecodeWorkers(options: Omit<DecodeHost, 'spawn'> = {}): DecodeHost | null {
  return installDecodeWorkers({ spawn: spawnWebDecodeWorker, ...options });
}
