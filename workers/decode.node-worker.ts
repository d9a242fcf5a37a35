/**
 * One reading sub-worker in Node (worker_threads; started by workers/decode.node.ts): reads the
 * file it is sent and transfers the table back (src/io/decode-worker.ts `serveDecode`).
 */
import { parentPort } from 'node:worker_threads';
import { type DecodeReply, type DecodeRequest, serveDecode } from '../src/io/decode-worker';

const port = parentPort!;
port.on('message', (request: DecodeRequest) =>
  serveDecode(request, (reply, transfer) => port.postMessage(reply, transfer)),
);
port.postMessage({ ready: true } satisfies DecodeReply);
