/** A Web Worker as a ThreadPort (the compute pool's helpers, the reading sub-workers). */
import type { ThreadPort } from '../src/core/thread';

/** `what` names the thread in failure messages ("a compute worker could not start"). */
export function webThread<Request, Reply>(worker: Worker, what: string): ThreadPort<Request, Reply> {
  return {
    post: (request) => worker.postMessage(request),
    onReply: (handler) => {
      worker.onmessage = (e) => handler(e.data as Reply);
    },
    onFailure: (handler) => {
      worker.onerror = (e) => {
        e.preventDefault();
        handler(e.message || `${what} could not start`);
      };
      worker.onmessageerror = () => handler(`${what} sent an unreadable message`);
    },
    terminate: () => worker.terminate(),
  };
}
