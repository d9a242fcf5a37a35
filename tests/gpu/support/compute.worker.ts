/// <reference lib="webworker" />
/** Runs the compute layer inside a module Web Worker, as the engine does (see worker.browser.test.ts). */

import { initCompute } from '../../../src/gpu/device';
import { colStatsAll } from '../../../src/gpu/kernels/colstats/colstats';
import type { BackendKind } from '../../../src/protocol/api';

self.onmessage = async (event: MessageEvent<{ cols: Float32Array[]; tfjs: BackendKind[] }>) => {
  try {
    const compute = await initCompute({ tfjs: event.data.tfjs });
    const stats = await colStatsAll(compute, event.data.cols);
    const { tf } = await compute.tf();
    self.postMessage({ info: compute.info(), stats, tfActive: tf.getBackend() });
  } catch (e) {
    self.postMessage({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
};
