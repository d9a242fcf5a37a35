/// <reference lib="webworker" />
/**
 * One helper thread of the compute pool in the browser (a Web Worker started by the engine worker,
 * workers/pool.web.ts): runs the kernels it is sent over the chunks it claims
 * (src/core/pool.ts `serveRequest`). Needs SharedArrayBuffer, i.e. a cross-origin isolated page.
 */
import { type PoolReply, type PoolRequest, serveRequest } from '../src/core/pool';
import './pool-kernels';

self.onmessage = (event: MessageEvent<PoolRequest>) => self.postMessage(serveRequest(event.data));
self.postMessage({ id: 0, ready: true } satisfies PoolReply);
