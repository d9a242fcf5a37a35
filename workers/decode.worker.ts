/// <reference lib="webworker" />
/**
 * One reading sub-worker in the browser (a Web Worker started by the engine worker,
 * workers/decode.web.ts): reads the file it is sent and transfers the table back
 * (src/io/decode-worker.ts `serveDecode`).
 */
import { type DecodeReply, type DecodeRequest, serveDecode } from '../src/io/decode-worker';

self.onmessage = (event: MessageEvent<DecodeRequest>) =>
  serveDecode(event.data, (reply, transfer) => self.postMessage(reply, transfer));
self.postMessage({ ready: true } satisfies DecodeReply);
