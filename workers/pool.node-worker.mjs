// The entry of a compute-pool thread in Node (workers/pool.node.ts starts it): the sources are
// TypeScript, so register tsx in this thread first (as bin/benchtop.mjs does), then load them.
import { register } from 'tsx/esm/api';

register();
await import('./pool.node-worker.ts');
