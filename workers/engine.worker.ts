/// <reference lib="webworker" />
import { expose, transfer } from 'comlink';
import { buffersOf } from '../src/core/buffers';
import { createComputePool, installComputePool } from '../src/core/pool';
import { createDatasetStore, hasOpfs, opfsFolder } from '../src/io/opfs';
import { installErrorTransfer } from '../src/protocol/transfer';
import { installWebDecodeWorkers } from './decode.web';
import { createEngine, setTransfer } from './engine';
import { installWebPool } from './pool.web';

installErrorTransfer();
// Every core for the data-parallel kernels when the page is cross-origin isolated (shared memory);
// otherwise the kernels run on this thread and their progress notes say why.
if (self.crossOriginIsolated) installWebPool();
else installComputePool(createComputePool({ why: 'the page is not cross-origin isolated' }));
// Arrow, Parquet and JSON documents are read in sub-workers that cancel can end.
installWebDecodeWorkers();
// comlink keys its transfer list by the value in a WeakMap: null (no embedding frame yet) or a
// primitive would throw "Invalid value used as weak map key" and fail the call.
setTransfer((value) =>
  typeof value === 'object' && value !== null ? transfer(value, buffersOf(value)) : value,
);

// Samples sit in public/samples, i.e. next to index.html. The worker lives under assets/ (build)
// or workers/ (dev), so resolve against the app's base URL, which the client passes in the name.
const appBase = new URL(self.name && /^https?:/.test(self.name) ? self.name : '/', self.location.href);

const engine = createEngine({
  async fetchSample(file, signal) {
    const response = await fetch(new URL(`samples/${file}`, appBase), { signal });
    if (!response.ok) throw new Error(`Could not fetch the sample ${file}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  },
  // Loaded files survive a reload: kept as Arrow IPC in the Origin Private File System.
  store: hasOpfs() ? createDatasetStore(opfsFolder()) : null,
  // Unique per worker: after a restart the UI swaps its old ids for new ones without clashes.
  idPrefix: `ds${Date.now().toString(36)}-`,
});

// e2e hook: a page opened with ?testhooks starts the worker with '#testhooks' in its name; such a
// worker throws an uncaught error when asked (a real crash, noticed by the client on its own).
// Keep the literal in sync with TEST_CRASH_MESSAGE in src/state/client.ts (workers cannot import
// the UI side).
if (self.name.endsWith('#testhooks')) {
  self.addEventListener('message', (e: MessageEvent) => {
    if ((e.data as Record<string, unknown> | null)?.['benchtop-test-crash'] === true) {
      setTimeout(() => {
        throw new Error('crashed by a test hook');
      });
    }
  });
}

// Only the EngineApi crosses to the UI; table()/compute() stay in the worker.
const { table: _table, compute: _compute, ...api } = engine;
expose(api);
