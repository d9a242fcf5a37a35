/**
 * The sub-workers that read Arrow IPC, Parquet and JSON documents in Node (worker_threads running
 * workers/decode.node-worker.ts through decode.node-worker.mjs, which registers tsx in the thread
 * as bin/benchtop.mjs does); src/io/decode-worker.ts ends them on cancel.
 */
import { type DecodeHost, type DecodeWorker, installDecodeWorkers } from '../src/io/decode-worker';
import { nodeThread } from './thread.node.ts';

const entry = new URL('./decode.node-worker.mjs', import.meta.url);

export function spawnNodeDecodeWorker(): DecodeWorker {
  return nodeThread(entry, 'the reading thread');
}

/** Makes Arrow/Parquet/JSON reads in this process run in sub-workers (returns the previous host). */
export function installNodeDecodeWorkers(options: Omit<DecodeHost, 'spawn'> = {}): DecodeHost | null {
  return installDecodeWorkers({ spawn: spawnNodeDecodeWorker, ...options });
}
