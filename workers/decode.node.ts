/**
 * The sub-workers that read Arrow IPC, Parquet and JSON documents in Node (worker_threads running
 * workers/decode.node-worker.ts through decode.node-worker.mjs, which registers tsx in the thread
 * as bin/benchtop.mjs does); src/io/decode-worker.ts ends them on cancel.
 */
import { Worker } from 'node:worker_threads';
import { type DecodeHost, type DecodeWorker, installDecodeWorkers } from '../src/io/decode-worker';

const entry = new URL('./decode.node-worker.mjs', import.meta.url);

export function spawnNodeDecodeWorker(): DecodeWorker {
  const worker = new Worker(entry);
  return {
    post: (request) => worker.postMessage(request),
    onReply: (handler) => worker.on('message', handler),
    onFailure: (handler) => {
      worker.on('error', (e) => handler(e.message));
      worker.on('exit', (code) => {
        if (code !== 0) handler(`the reading thread exited with code ${code}`);
      });
    },
    hold: (busy) => (busy ? worker.ref() : worker.unref()),
    terminate: () => void worker.terminate(),
  };
}

/** Makes Arrow/Parquet/JSON reads in this process run in sub-workers (returns the previous host). */
export function installNodeDecodeWorkers(options: Omit<DecodeHost, 'spawn'> = {}): DecodeHost | null {
  return installDecodeWorkers({ spawn: spawnNodeDecodeWorker, ...options });
}
