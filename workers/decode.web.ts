/**
 * The sub-workers that read Arrow IPC, Parquet and JSON documents in the browser: Web Workers
 * (workers/decode.worker.ts) started from the engine worker; src/io/decode-worker.ts ends them on
 * cancel.
 */
import { type DecodeHost, type DecodeWorker, installDecodeWorkers } from '../src/io/decode-worker';

export function spawnWebDecodeWorker(): DecodeWorker {
  const worker = new Worker(new URL('./decode.worker.ts', import.meta.url), {
    type: 'module',
    name: 'decode',
  });
  return {
    post: (request) => worker.postMessage(request),
    onReply: (handler) => {
      worker.onmessage = (e) => handler(e.data);
    },
    onFailure: (handler) => {
      worker.onerror = (e) => {
        e.preventDefault();
        handler(e.message || 'a reading worker could not start');
      };
      worker.onmessageerror = () => handler('a reading worker sent an unreadable message');
    },
    terminate: () => worker.terminate(),
  };
}

/** Makes Arrow/Parquet/JSON reads in this worker run in sub-workers (returns the previous host). */
export function installWebDecodeWorkers(options: Omit<DecodeHost, 'spawn'> = {}): DecodeHost | null {
  return installDecodeWorkers({ spawn: spawnWebDecodeWorker, ...options });
}
