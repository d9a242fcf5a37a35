/**
 * One helper thread of the compute pool in Node (worker_threads; started by workers/pool.node.ts):
 * runs the kernels it is sent over the chunks it claims (src/core/pool.ts `serveRequest`).
 */
import { parentPort } from 'node:worker_threads';
import { type PoolReply, type PoolRequest, serveRequest } from '../src/core/pool';
import './pool-kernels';

const port = parentPort!;
port.on('message', (request: PoolRequest) => port.postMessage(serveRequest(request)));
port.postMessage({ id: 0, ready: true } satisfies PoolReply);
