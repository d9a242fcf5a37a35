/** A Node worker_threads Worker as a ThreadPort (the compute pool's helpers, the reading sub-workers). */
import { Worker } from 'node:worker_threads';
import type { ThreadPort } from '../src/core/thread';

/** Starts `entry`; `what` names the thread in exit messages ("a compute thread exited with code 1"). */
export function nodeThread<Request, Reply>(entry: URL, what: string): ThreadPort<Request, Reply> {
  const worker = new Worker(entry);
  return {
    post: (request) => worker.postMessage(request),
    onReply: (handler) => worker.on('message', handler),
    onFailure: (handler) => {
      worker.on('error', (e) => handler(e.message));
      worker.on('exit', (code) => {
        if (code !== 0) handler(`${what} exited with code ${code}`);
      });
    },
    hold: (busy) => (busy ? worker.ref() : worker.unref()),
    terminate: () => void worker.terminate(),
  };
}
