/// <reference lib="webworker" />
/**
 * One helper thread of the UMAP layout's CPU path (src/gpu/kernels/umap/umap.threads.ts): it holds
 * one slice of the vertices with their edges' schedule counters and, for every epoch it is sent the
 * previous positions for, answers with the slice's new positions.
 */
import { type LayoutParams, type LayoutSlice, layoutEpoch } from '../src/gpu/kernels/umap/umap.ref';
import type { LayoutReply, LayoutRequest } from '../src/gpu/kernels/umap/umap.threads';

let params: LayoutParams | null = null;
let slice: LayoutSlice | null = null;

const reply = (message: LayoutReply, transfer: Transferable[] = []): void =>
  self.postMessage(message, transfer);

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'init') {
      params = request.params;
      slice = request.slice;
      return;
    }
    if (!params || !slice) throw new Error('an epoch arrived before the slice');
    const out = new Float32Array(2 * (slice.hi - slice.lo));
    layoutEpoch(params, slice, request.epoch, request.src, out, slice.lo);
    reply({ type: 'epoch', epoch: request.epoch, out }, [out.buffer]);
  } catch (e) {
    reply({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
};
